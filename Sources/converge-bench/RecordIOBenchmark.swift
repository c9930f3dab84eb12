import ArgumentParser
import Foundation
import Mesos

/// Decodes realistic UPDATE events from a RecordIO byte stream fed in 64 KiB chunks, as the
/// scheduler client's stream thread does. Target: at least 50,000 events/s in a release build.
struct RecordIOBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recordio",
        abstract: "Decode UPDATE events from a RecordIO stream (target >= 50,000 events/s).")

    @Option(help: "Number of UPDATE events.")
    var events = 200_000

    @Option(help: "Chunk size in bytes.")
    var chunkSize = 64 * 1024

    @Option(help: "Repetitions; the best is reported.")
    var runs = 3

    func run() throws {
        let stream = try Self.makeStream(count: events)
        print("stream: \(events) UPDATE events, \(stream.count) bytes (\(stream.count / events) bytes/event avg)")
        var best = 0.0
        for run in 1...runs {
            let clock = ContinuousClock()
            var decoded = 0
            var running = 0
            let elapsed = try clock.measure {
                var decoder = EventStreamDecoder()
                var offset = 0
                while offset < stream.count {
                    let end = min(offset + chunkSize, stream.count)
                    stream[offset..<end].withUnsafeBytes { decoder.append($0) }
                    offset = end
                    while let event = try decoder.next() {
                        decoded += 1
                        if event.update?.status.state == .running { running += 1 }
                    }
                }
            }
            guard decoded == events else { throw ValidationError("decoded \(decoded) of \(events) events") }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(decoded) / seconds
            best = max(best, rate)
            print(String(format: "run %d: %d events (%d RUNNING) in %.3f s = %.0f events/s, %.1f MB/s",
                         run, decoded, running, seconds, rate, Double(stream.count) / seconds / 1e6))
        }
        print(String(format: "best: %.0f events/s (target 50000): %@", best, best >= 50_000 ? "PASS" : "FAIL"))
    }

    /// UPDATE events as a master sends them: uuid, timestamps, labels, health, container status.
    static func makeStream(count: Int) throws -> Data {
        let encoder = MesosJSON.makeEncoder()
        var stream = Data()
        let states: [TaskState] = [.staging, .starting, .running, .running, .killing, .finished]
        for index in 0..<count {
            let app = "app-\(index % 97)"
            var uuid = Data(count: 16)
            for byte in 0..<16 { uuid[byte] = UInt8(truncatingIfNeeded: index &* 31 &+ byte) }
            let status = TaskStatus(
                taskID: TaskID("\(app).instance-\(index % 50).\(UUID().uuidString.lowercased())"),
                state: states[index % states.count], message: index % 7 == 0 ? "Command exited with status 0" : nil,
                source: .executor, reason: index % 5 == 0 ? .taskHealthCheckStatusUpdated : nil,
                agentID: AgentID("6f0f3d1c-5a2b-4f4c-9a47-0c1f2e3d4b5a-S\(index % 1000)"),
                executorID: ExecutorID("\(app).instance-\(index % 50)"),
                timestamp: 1_700_000_000 + Double(index) / 1000, uuid: Bytes(uuid), healthy: index % 3 != 0,
                labels: Labels(["converge.app": app, "converge.deploy": "d-\(index % 13)"]),
                containerStatus: ContainerStatus(
                    networkInfos: [.init(ipAddresses: [.init(ipAddress: "127.0.0.\(2 + index % 200)")])],
                    executorPID: UInt32(1000 + index % 30000)))
            RecordIOEncoder.append(try encoder.encode(Event.update(status)), to: &stream)
        }
        return stream
    }
}

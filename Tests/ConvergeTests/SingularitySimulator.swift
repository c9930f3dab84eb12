import Foundation

/// tests/singularity/simulator.py on a free loopback port: Singularity's request API with the
/// JSON shapes of shared/SINGULARITY.md. Stopped by pid.
final class SingularitySimulator {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tests/singularity")

    let process: Process
    /// The API's base URL, e.g. http://127.0.0.1:41234/singularity
    let url: String
    private let log: URL

    private init(process: Process, url: String, log: URL) {
        self.process = process
        self.url = url
        self.log = log
    }

    static func start(fixture: String = "requests.json", _ options: [String] = []) throws -> SingularitySimulator {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("singularity-sim-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", folder.appendingPathComponent("simulator.py").path,
                             "--fixture", folder.appendingPathComponent(fixture).path] + options
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening (http://\S+)"#, options: .regularExpression) {
                return SingularitySimulator(process: process, url: String(text[range].dropFirst("listening ".count)), log: log)
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw HarnessError("the Singularity simulator did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// How many list and detail calls it served.
    func stats() throws -> (list: Int, detail: Int) {
        let base = url.replacingOccurrences(of: "/singularity", with: "")
        let data = try Data(contentsOf: URL(string: base + "/__stats")!)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Int] ?? [:]
        return (object["list"] ?? -1, object["detail"] ?? -1)
    }

    func stop() {
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: log)
    }
}

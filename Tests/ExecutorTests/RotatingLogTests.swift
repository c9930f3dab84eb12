import Foundation
import Mesos
import Testing
@testable import Executor

@Suite struct RotatingLogTests {
    /// A real process writes numbered lines fast through a pipe; every line is found exactly once, whole, over the
    /// live file and the rotated (compressed) ones.
    @Test(arguments: [true, false]) func numberedLinesSurviveRotationExactlyOnce(compress: Bool) throws {
        let folder = TempFolder("rotate")
        defer { folder.cleanup() }
        let policy = ExecutorTaskData.LogPolicy(maxSizeMB: 0.05, keep: 1000, compress: compress)
        let log = try RotatingLog(path: folder.path + "/stdout", policy: policy)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let pump = LogPump(fd: fds[0], log: log)
        pump.start()
        let count = 200_000
        let script = "import sys\nw=sys.stdout.write\nfor i in range(\(count)): w('line %d %s\\n' % (i, 'x' * (i % 97)))"
        let pid = try ProcessSpawn.spawn(executable: "/usr/bin/python3", arguments: ["python3", "-c", script],
                                         environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder.path,
                                         stdout: fds[1], stderr: 2)
        close(fds[1])
        #expect(ProcessWait.wait(pid) == .exited(0))
        #expect(pump.wait(timeout: 60))
        log.flush()
        #expect(pump.droppedBytes == 0)
        let (lines, files) = try rotatedLines(folder.path, "stdout")
        #expect(files.count > 10, "expected several rotations: \(files.keys.sorted())")
        #expect(files.keys.allSatisfy { compress ? ($0 == "stdout" || $0.hasSuffix(".gz")) : !$0.hasSuffix(".gz") })
        #expect(lines.count == count)
        for (index, line) in lines.enumerated() where line != "line \(index) \(String(repeating: "x", count: index % 97))" {
            Issue.record("line \(index) is '\(line.prefix(80))'")
            break
        }
        // Files end at line boundaries and stay within the limit (no line here is longer than the limit).
        let limit = Int(policy.maxSizeMB * 1_048_576)
        for (file, size) in files { #expect(size <= limit, "\(file) has \(size) bytes") }
    }

    @Test func keepsOnlyTheNewestFiles() throws {
        let folder = TempFolder("keep")
        defer { folder.cleanup() }
        let log = try RotatingLog(path: folder.path + "/stderr",
                                  policy: .init(maxSizeMB: 4096.0 / 1_048_576, keep: 3, compress: false))
        var all = ""
        for index in 0..<2000 {
            let line = "entry \(index)\n"
            all += line
            line.utf8CString.withUnsafeBytes { log.write(UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
        }
        log.flush()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["stderr", "stderr.1", "stderr.2", "stderr.3"])
        let (lines, _) = try rotatedLines(folder.path, "stderr")
        // The newest lines, contiguous, ending with the last one written.
        #expect(lines.last == "entry 1999")
        let first = Int(lines.first!.split(separator: " ")[1])!
        #expect(lines == (first..<2000).map { "entry \($0)" }[...].map { Substring($0) })
    }

    @Test func aLineLongerThanTheLimitIsCutIntoPieces() throws {
        let folder = TempFolder("long")
        defer { folder.cleanup() }
        let log = try RotatingLog(path: folder.path + "/stdout", policy: .init(maxSizeMB: 4096.0 / 1_048_576, keep: 10, compress: true))
        let long = String(repeating: "a", count: 10_000) + "\nshort\n"
        Array(long.utf8).withUnsafeBytes { log.write($0) }
        log.flush()
        let (lines, files) = try rotatedLines(folder.path, "stdout")
        #expect(lines.joined() == String(repeating: "a", count: 10_000) + "short")
        #expect(files.values.allSatisfy { $0 <= 4096 })
    }

    @Test func aSlowWriterDropsAndCountsInsteadOfBlockingTheTask() throws {
        let folder = TempFolder("slow")
        defer { folder.cleanup() }
        // The log's "file" is a pipe nobody drains: a disk that takes no writes.
        signal(SIGPIPE, SIG_IGN)
        var sink: [Int32] = [0, 0]
        #expect(pipe(&sink) == 0)
        let fifo = folder.path + "/stdout"
        #expect(symlink("/proc/self/fd/\(sink[1])", fifo) == 0)
        let log = try RotatingLog(path: fifo, policy: .init(maxSizeMB: 100, keep: 1, compress: false))
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let pump = LogPump(fd: fds[0], log: log, capacity: 64 << 10, stallLimit: 0.2)
        pump.start()
        let pid = try ProcessSpawn.spawn(executable: "/bin/sh", arguments: ["sh", "-c", "head -c 4000000 /dev/zero"],
                                         environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder.path,
                                         stdout: fds[1], stderr: 2)
        close(fds[1])
        // The task finishes although nothing drains the "disk".
        #expect(ProcessWait.wait(pid) == .exited(0))
        close(sink[0])  // Unblocks the writer (EPIPE) so its thread ends.
        #expect(pump.wait(timeout: 10))
        close(sink[1])
        #expect(pump.droppedBytes > 0)
        #expect(pump.totalBytes == 4_000_000)
    }
}

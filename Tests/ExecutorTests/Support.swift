import Foundation
@testable import Executor

/// A fresh temporary folder, removed by `cleanup`.
struct TempFolder {
    let path: String
    init(_ name: String = "executor") {
        path = NSTemporaryDirectory() + "converge-\(name)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs a program to completion and returns its exit status and output.
@discardableResult
func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A Python HTTP server on a free loopback port serving `root`, counting GET requests per path into
/// `<root>.counts` (one line per request). Stopped by pid.
final class CountingHTTPServer {
    let port: Int
    let process: Process
    let countsFile: String

    init(root: String) throws {
        countsFile = root + ".counts"
        let script = """
        import http.server, socketserver, sys, os
        root, counts = sys.argv[1], sys.argv[2]
        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **k): super().__init__(*a, directory=root, **k)
            def do_GET(self):
                with open(counts, 'a') as f: f.write(self.path + '\\n')
                super().do_GET()
            def log_message(self, *a): pass
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
        server = Server(('127.0.0.1', 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, root, countsFile]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        self.process = process
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw ExecutorFailure("the test HTTP server did not start")
        }
        self.port = port
    }

    func requests(_ path: String) -> Int {
        let text = (try? String(contentsOfFile: countsFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0 == path }.count
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: countsFile)
    }
}

/// Every line of a rotated log family (`name`, `name.1[.gz]`...), oldest first.
func rotatedLines(_ folder: String, _ name: String) throws -> (lines: [Substring], files: [String: Int]) {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 == name || $0.hasPrefix(name + ".") }
    func index(_ file: String) -> Int {
        if file == name { return 0 }
        let rest = file.dropFirst(name.count + 1).replacingOccurrences(of: ".gz", with: "")
        return Int(rest) ?? -1
    }
    var text = ""
    var sizes: [String: Int] = [:]
    for file in names.sorted(by: { index($0) > index($1) }) {
        let path = folder + "/" + file
        let bytes = file.hasSuffix(".gz") ? try Gzip.decompress(file: path) : Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        sizes[file] = bytes.count
        text += String(decoding: bytes, as: UTF8.self)
    }
    return (text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 }, sizes)
}

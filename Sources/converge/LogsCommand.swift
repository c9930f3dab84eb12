import ArgumentParser
import Foundation
import LogArchive

/// `converge logs NAME`: task logs through the controller's API (which reads the agents' files API), or
/// archived pieces from S3.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show a service's task logs (every running instance, prefixed like docker compose logs).",
        discussion: """
            --follow polls new bytes every 250 ms, survives a rotation (the file shrinks: the rest of stdout.1 is \
            read, then the new file from 0) and moves to the replacement of an instance. --since filters archived \
            pieces by their upload time (log lines carry no timestamps Converge could trust).
            """
    )

    @Argument(help: "The service.") var name: String
    @Option(help: "Only this instance.") var instance: Int?
    @Option(help: "Only this task (running, or archived with --archived).") var task: String?
    @Flag(help: "stderr instead of stdout.") var stderr = false
    @Option(help: "Only the last N lines of each instance.") var tail: Int?
    @Flag(help: "Keep printing new lines.") var follow = false
    @Option(help: "Archived pieces uploaded within this duration (e.g. 10m, 2h).") var since: String?
    @Flag(help: "Read the S3 archive instead of the live sandboxes.") var archived = false
    @OptionGroup var server: ServerOptions

    func validate() throws {
        if instance != nil, task != nil { throw ValidationError("use --instance or --task, not both") }
        if let tail, tail < 0 { throw ValidationError("--tail must be >= 0") }
        if let since { _ = try DurationArgument.seconds(since, option: "--since") }
        if archived, follow { throw ValidationError("--follow reads live sandboxes; drop --archived") }
    }

    func run() async throws {
        let client = try server.client()
        if archived { return try await printArchive(client) }
        var followers: [String: Follower] = [:]
        var lastRefresh = Date.distantPast
        var firstRound = true
        while true {
            if Date().timeIntervalSince(lastRefresh) > 2 || followers.isEmpty {
                lastRefresh = Date()
                let running = try await runningTasks(client)
                if running.isEmpty, followers.isEmpty, !follow {
                    throw ValidationError("no running task of \(name) matches (see converge status \(name); archived logs: --archived)")
                }
                let multiple = running.count > 1 || (instance == nil && task == nil)
                for (id, slot) in running where followers[id] == nil {
                    let prefix = multiple ? "\(name).\(slot) | " : ""
                    var follower = Follower(taskID: id, prefix: prefix, file: stderr ? "stderr" : "stdout")
                    // A replacement (or any task found later while following) is read from its start.
                    try await follower.start(client, service: name, tail: tail, fromStart: !firstRound)
                    followers[id] = follower
                }
                firstRound = false
                for id in followers.keys where !running.keys.contains(id) {
                    try? await followers[id]!.poll(client, service: name)
                    followers[id]!.flushPartial()
                    followers[id] = nil
                }
            }
            for id in followers.keys.sorted() { try await followers[id]!.poll(client, service: name) }
            if !follow { for id in followers.keys { followers[id]!.flushPartial() }; return }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Running tasks of the service: id -> instance.
    private func runningTasks(_ client: APIClient) async throws -> [String: Int] {
        let data = try await client.send("GET", "/api/v1/services/\(name)")
        let detail = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var found: [String: Int] = [:]
        for entry in detail["tasks"] as? [[String: Any]] ?? [] {
            guard let id = entry["id"] as? String, let slot = entry["instance"] as? Int, entry["state"] as? String == "TASK_RUNNING" else { continue }
            if let instance, slot != instance { continue }
            if let task, id != task { continue }
            found[id] = slot
        }
        return found
    }

    private func printArchive(_ client: APIClient) async throws {
        var path = "/api/v1/services/\(name)/archive"
        if let task { path += "?task=\(task.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? task)" }
        let listing = try JSONSerialization.jsonObject(with: try await client.send("GET", path)) as? [String: Any] ?? [:]
        var pieces = listing["pieces"] as? [[String: Any]] ?? []
        let file = stderr ? "stderr" : "stdout"
        pieces = pieces.filter { ($0["file"] as? String).map { $0 == file || $0.hasPrefix(file + ".") } ?? false }
        if let since {
            let cutoff = Date().addingTimeInterval(-(try DurationArgument.seconds(since, option: "--since")))
            let parser = ISO8601DateFormatter()
            parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            pieces = pieces.filter { piece in
                guard let text = piece["lastModified"] as? String, let date = parser.date(from: text) ?? ISO8601DateFormatter().date(from: text) else { return true }
                return date >= cutoff
            }
        }
        // Oldest first: rotated pieces by sequence (stdout.000001.gz before stdout.000002.gz), the final name last.
        pieces.sort { a, b in
            let ta = a["task"] as? String ?? "", tb = b["task"] as? String ?? ""
            if ta != tb { return ta < tb }
            return ArchivedPiece.oldestFirst(a["file"] as? String ?? "", b["file"] as? String ?? "")
        }
        if pieces.isEmpty { throw ValidationError("no archived \(file) pieces of \(name)\(task.map { " task \($0)" } ?? "")") }
        let multiple = Set(pieces.compactMap { $0["task"] as? String }).count > 1
        for piece in pieces {
            guard let key = piece["key"] as? String else { continue }
            var bytes = [UInt8](try await client.send("GET", "/api/v1/services/\(name)/archive/read?key="
                + (key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~/"))) ?? key)))
            if key.hasSuffix(".gz") { bytes = try Gzip.decompress(bytes) }
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            if let tail { lines = Array(lines.suffix(tail)) }
            let prefix = multiple ? "\(piece["task"] as? String ?? "") | " : ""
            for line in lines { print(prefix + line) }
        }
    }
}

/// Reads one task's file through the controller, printing whole lines only.
struct Follower {
    let taskID: String
    let prefix: String
    let file: String
    var offset: Int64 = 0
    var partial: [UInt8] = []

    private func readPath(_ service: String, _ file: String, offset: Int64?, length: Int64? = nil) -> String {
        var path = "/api/v1/services/\(service)/tasks/\(taskID)/files/read?path=\(file)"
        if let offset { path += "&offset=\(offset)" }
        if let length { path += "&length=\(length)" }
        return path
    }

    private func read(_ client: APIClient, _ service: String, _ file: String, offset: Int64?, length: Int64? = nil) async throws -> (Int64, [UInt8]) {
        let data = try await client.send("GET", readPath(service, file, offset: offset, length: length))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let text = object["data"] as? String ?? ""
        let bytes = object["encoding"] as? String == "base64" ? [UInt8](Data(base64Encoded: text) ?? Data()) : Array(text.utf8)
        return (Int64(object["offset"] as? Int ?? 0), bytes)
    }

    mutating func start(_ client: APIClient, service: String, tail: Int?, fromStart: Bool) async throws {
        let size = try await read(client, service, file, offset: nil).0
        guard let tail, !fromStart else { offset = 0; return }
        // Walk back in 64 KiB steps until N line ends are seen (at most 4 MiB).
        var start = size
        var newlines = 0
        while start > 0, newlines <= tail, size - start < 4 << 20 {
            let from = max(0, start - 65536)
            let (_, bytes) = try await read(client, service, file, offset: from, length: start - from)
            for byte in bytes.reversed() {
                if byte == 0x0A { newlines += 1; if newlines > tail { break } }
                start -= 1
            }
            if newlines > tail { break }
            start = from
        }
        offset = start
    }

    mutating func poll(_ client: APIClient, service: String) async throws {
        let size = try await read(client, service, file, offset: nil).0
        if size < offset {
            // Rotated: the unread rest went to `file.1` (if it is there, uncompressed), then start the new file at 0.
            if let (_, rest) = try? await readAll(client, service, file + ".1", from: offset) { emit(rest) }
            offset = 0
        }
        while offset < size {
            let (at, bytes) = try await read(client, service, file, offset: offset)
            guard at == offset, !bytes.isEmpty else { break }
            emit(bytes)
            offset += Int64(bytes.count)
        }
    }

    private func readAll(_ client: APIClient, _ service: String, _ file: String, from: Int64) async throws -> (Int64, [UInt8]) {
        var collected: [UInt8] = []
        var at = from
        while true {
            let (_, bytes) = try await read(client, service, file, offset: at)
            if bytes.isEmpty { return (at, collected) }
            collected += bytes
            at += Int64(bytes.count)
        }
    }

    mutating func emit(_ bytes: [UInt8]) {
        partial += bytes
        guard let last = partial.lastIndex(of: 0x0A) else { return }
        var out = ""
        for line in partial[...last].split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            out += prefix + String(decoding: line, as: UTF8.self) + "\n"
        }
        partial.removeFirst(last + 1)
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    mutating func flushPartial() {
        if !partial.isEmpty { FileHandle.standardOutput.write(Data((prefix + String(decoding: partial, as: UTF8.self) + "\n").utf8)) }
        partial = []
    }
}

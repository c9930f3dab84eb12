import Foundation
import Mesos

/// The agent-wide fetcher cache: a URI with `cache: true` is fetched once into the cache folder
/// (keyed by the URI, as Mesos' fetcher keys it), then copied into every sandbox that asks for it.
/// Concurrent fetches of one URI share one download.
actor FetcherCache {
    let directory: String
    private var inFlight: [String: Task<String?, Never>] = [:]
    /// How many times each URI was actually fetched (not served from the cache).
    private(set) var downloads: [String: Int] = [:]

    init(directory: String) { self.directory = directory }

    /// Fetches `uris` into `sandbox`, through the cache where `cache` is set.
    func fetch(_ uris: [CommandInfo.URI], into sandbox: String) async throws(Fetcher.Failure) {
        for uri in uris {
            guard uri.cache == true else {
                try await Fetcher.fetch([uri], into: sandbox)
                continue
            }
            let cached: String
            switch await cachedCopy(of: uri.value) {
            case let .success(path): cached = path
            case let .failure(failure): throw failure
            }
            var local = uri
            local.value = cached
            local.outputFile = uri.outputFile ?? Fetcher.fileName(of: uri.value)
            local.cache = false
            try await Fetcher.fetch([local], into: sandbox)
        }
    }

    private func cachedCopy(of value: String) async -> Result<String, Fetcher.Failure> {
        let key = Self.key(value)
        let path = (directory as NSString).appendingPathComponent(key)
        if FileManager.default.fileExists(atPath: path) { return .success(path) }
        let task: Task<String?, Never>
        if let running = inFlight[key] {
            task = running
        } else {
            downloads[value, default: 0] += 1
            let directory = self.directory
            task = Task {
                await runBlocking {
                    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    let partial = "\(key).partial-\(UUID().uuidString.prefix(8))"
                    let uri = CommandInfo.URI(value: value, executable: false, extract: false, outputFile: partial)
                    if let error = Fetcher.fetchOne(uri, into: directory) { return error }
                    let from = (directory as NSString).appendingPathComponent(partial)
                    if rename(from, path) != 0 { return "cannot move into the fetcher cache: \(String(cString: strerror(errno)))" }
                    return nil
                }
            }
            inFlight[key] = task
        }
        let error = await task.value
        inFlight[key] = nil
        if let error { return .failure(Fetcher.Failure(description: "Failed to fetch '\(value)': \(error)")) }
        return .success(path)
    }

    /// FNV-1a 64 of the URI, plus its file name for people reading the folder.
    static func key(_ value: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let name = Fetcher.fileName(of: value).filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
        return String(hash, radix: 16) + "-" + name.prefix(64)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Mesos

/// Puts a task's artifacts into its sandbox before the task starts: through the agent-wide cache (or a direct
/// download when `cache` is false), verified, then copied or extracted, with the executable bit where asked.
struct ArtifactFetcher: Sendable {
    let cache: ArtifactCache
    let sandbox: String

    /// Reports progress: artifact number (1-based), count, size when known.
    typealias Progress = (_ index: Int, _ count: Int, _ bytes: UInt64?) -> Void

    /// Fetches every artifact in order; the first failure stops and is thrown. Returns how many were downloaded
    /// (not found in the cache).
    @discardableResult
    func fetch(_ artifacts: [ExecutorTaskData.Artifact], progress: Progress) throws(ExecutorFailure) -> Int {
        var downloads = 0
        for (offset, artifact) in artifacts.enumerated() {
            let uri = Self.normalized(artifact.uri)
            let name = try Self.outputName(artifact)
            var reported = false
            let report: (UInt64?) -> Void = { size in
                guard !reported else { return }
                reported = true
                progress(offset + 1, artifacts.count, size)
            }
            let source: String
            var temporary: String?
            if artifact.cache {
                let blob = try cache.blob(for: uri, sha256: artifact.sha256, onSize: report)
                if blob.source == .downloaded { downloads += 1 }
                source = blob.path
            } else {
                let path = "\(sandbox)/.\(name).download"
                let result = try Download.fetch(uri, to: path, onSize: report)
                downloads += 1
                if let expected = artifact.sha256?.lowercased(), expected != result.sha256 {
                    unlink(path)
                    throw ExecutorFailure("sha256 mismatch for \(uri): expected \(expected), got \(result.sha256)")
                }
                source = path
                temporary = path
            }
            defer { if let temporary { unlink(temporary) } }
            if artifact.extract, let format = ArchiveFormat(name: name) {
                try Extract.run(format, archive: source, into: sandbox, uri: uri)
            } else {
                let destination = "\(sandbox)/\(name)"
                try Self.copy(source, to: destination)
                if artifact.executable { chmod(destination, 0o755) }
            }
        }
        return downloads
    }

    /// A plain absolute path is read as a file:// URI.
    static func normalized(_ uri: String) -> String {
        uri.hasPrefix("/") ? "file://" + uri : uri
    }

    static func outputName(_ artifact: ExecutorTaskData.Artifact) throws(ExecutorFailure) -> String {
        if let output = artifact.outputFile, !output.isEmpty {
            guard !output.split(separator: "/").contains("..") && !output.hasPrefix("/") else {
                throw ExecutorFailure("artifact \(artifact.uri): output_file '\(output)' must stay inside the sandbox")
            }
            return output
        }
        var path = Self.normalized(artifact.uri)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) }
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        guard !last.isEmpty, !last.contains(":"), last != "..", last != "." else {
            throw ExecutorFailure("artifact \(artifact.uri): cannot tell a file name from the URI; set output_file")
        }
        return last.removingPercentEncoding ?? last
    }

    static func copy(_ source: String, to destination: String) throws(ExecutorFailure) {
        let folder = (destination as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ExecutorFailure("cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else {
            throw ExecutorFailure("cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw ExecutorFailure("cannot read \(source): \(String(cString: strerror(errno)))")
            }
            let ok = buffer.withUnsafeBytes { FileIO.writeAll(output, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            guard ok else { throw ExecutorFailure("cannot write \(destination): \(String(cString: strerror(errno)))") }
        }
    }
}

/// Archive formats `extract` handles.
enum ArchiveFormat: Equatable, Sendable {
    case tarGzip, tar, zip

    init?(name: String) {
        let lower = name.lowercased()
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
            self = .tarGzip
        } else if lower.hasSuffix(".tar") {
            self = .tar
        } else if lower.hasSuffix(".zip") {
            self = .zip
        } else {
            return nil
        }
    }
}

/// Unpacks archives with the system's `tar` and `unzip`, spawned with absolute paths.
enum Extract {
    static func run(_ format: ArchiveFormat, archive: String, into folder: String, uri: String) throws(ExecutorFailure) {
        let arguments: [String]
        switch format {
        case .tarGzip: arguments = [tool("tar"), "-xzf", archive, "-C", folder, "--no-same-owner"]
        case .tar: arguments = [tool("tar"), "-xf", archive, "-C", folder, "--no-same-owner"]
        case .zip: arguments = [tool("unzip"), "-o", "-q", archive, "-d", folder]
        }
        let log = "\(folder)/.extract.log"
        let fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer {
            if fd >= 0 { close(fd) }
        }
        let pid: pid_t
        do {
            pid = try ProcessSpawn.spawn(executable: arguments[0], arguments: arguments,
                                         environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder,
                                         stdout: fd, stderr: fd)
        } catch {
            throw ExecutorFailure("cannot extract \(uri): \(error)")
        }
        let exit = ProcessWait.wait(pid)
        guard exit.succeeded else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            throw ExecutorFailure("cannot extract \(uri): \((arguments[0] as NSString).lastPathComponent) failed "
                + "(\(exit.message.lowercased()))\(output.isEmpty ? "" : ": \(output.prefix(500))")")
        }
        unlink(log)
    }

    static func tool(_ name: String) -> String {
        for folder in ["/usr/bin", "/bin", "/usr/local/bin"] where access("\(folder)/\(name)", X_OK) == 0 {
            return "\(folder)/\(name)"
        }
        return "/usr/bin/\(name)"
    }
}

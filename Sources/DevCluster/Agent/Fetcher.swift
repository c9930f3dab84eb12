import CCurl
import Foundation
import Mesos

/// Fetches a task's URIs into its sandbox as the Mesos fetcher does: local paths and file:// are
/// copied, http(s):// is downloaded with libcurl; archives are extracted when `extract` (default
/// true) is set; `executable` sets the executable bit (and skips extraction).
enum Fetcher {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func fetch(_ uris: [CommandInfo.URI], into sandbox: String) async throws(Failure) {
        for uri in uris {
            let result = await runBlocking { fetchOne(uri, into: sandbox) }
            if let error = result { throw Failure(description: "Failed to fetch '\(uri.value)': \(error)") }
        }
    }

    /// nil on success, else the reason.
    static func fetchOne(_ uri: CommandInfo.URI, into sandbox: String) -> String? {
        let value = uri.value
        let name = uri.outputFile ?? fileName(of: value)
        guard !name.isEmpty, !name.contains("..") else { return "cannot derive a file name" }
        let destination = (sandbox as NSString).appendingPathComponent(name)
        if value.hasPrefix("http://") || value.hasPrefix("https://") {
            if let error = download(value, to: destination) { return error }
        } else {
            let source = value.hasPrefix("file://") ? String(value.dropFirst("file://".count)) : value
            guard source.hasPrefix("/") else { return "unsupported URI scheme (use a path, file://, http:// or https://)" }
            do {
                if FileManager.default.fileExists(atPath: destination) { try FileManager.default.removeItem(atPath: destination) }
                try FileManager.default.copyItem(atPath: source, toPath: destination)
            } catch {
                return "copy failed: \(error.localizedDescription)"
            }
        }
        if uri.executable == true {
            if chmod(destination, 0o755) != 0 { return "chmod failed: \(String(cString: strerror(errno)))" }
            return nil
        }
        if uri.extract ?? true, let error = extractIfArchive(destination, into: sandbox) { return error }
        return nil
    }

    static func fileName(of uri: String) -> String {
        var path = uri
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) }
        return (path as NSString).lastPathComponent
    }

    private static func extractIfArchive(_ file: String, into directory: String) -> String? {
        let lower = file.lowercased()
        let tarSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz"]
        if tarSuffixes.contains(where: { lower.hasSuffix($0) }) {
            return runTool(["/bin/sh", "-c", "exec tar -xf \"$0\" -C \"$1\"", file, directory], in: directory)
        }
        if lower.hasSuffix(".zip") {
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
                return runTool(["/usr/bin/unzip", "-o", "-q", file, "-d", directory], in: directory)
            }
            return runTool(["/bin/sh", "-c", "exec python3 -m zipfile -e \"$0\" \"$1\"", file, directory], in: directory)
        }
        return nil
    }

    /// Runs a helper to completion (blocking; callers are on a detached thread).
    private static func runTool(_ argv: [String], in directory: String) -> String? {
        let log = directory + "/.fetcher-\(UUID().uuidString).log"
        defer { unlink(log) }
        let request = SpawnRequest(executable: argv[0], arguments: argv, environment: ProcessInfo.processInfo.environment,
                                   workingDirectory: directory, stdoutPath: log, stderrPath: log)
        let pid: pid_t
        do { pid = try ProcessSpawner.spawn(request) } catch { return "\(error)" }
        let deadline = Date().addingTimeInterval(300)
        while true {
            if let exit = ProcessControl.reap(pid) {
                if exit.succeeded { return nil }
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                return "extraction failed (\(exit.message)): \(output.prefix(500))"
            }
            if Date() > deadline {
                ProcessControl.signalGroup(pid, SIGKILL)
                _ = ProcessControl.reap(pid)
                return "extraction timed out"
            }
            usleep(10_000)
        }
    }

    private static func download(_ url: String, to destination: String) -> String? {
        guard let file = fopen(destination, "wb") else { return "cannot create \(destination)" }
        defer { fclose(file) }
        guard let curl = curl_easy_init() else { return "libcurl init failed" }
        defer { curl_easy_cleanup(curl) }
        converge_curl_setopt_string(curl, CURLOPT_URL, url)
        converge_curl_setopt_ptr(curl, CURLOPT_WRITEDATA, UnsafeRawPointer(file))
        converge_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 1)
        converge_curl_setopt_long(curl, CURLOPT_FAILONERROR, 1)
        converge_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT, 30)
        converge_curl_setopt_long(curl, CURLOPT_TIMEOUT, 600)
        converge_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        let code = curl_easy_perform(curl)
        if code != CURLE_OK {
            var status: Int = 0
            converge_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
            let reason = String(cString: curl_easy_strerror(code))
            return status > 0 ? "HTTP \(status): \(reason)" : reason
        }
        return nil
    }
}

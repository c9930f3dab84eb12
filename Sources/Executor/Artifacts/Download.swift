#if canImport(Glibc)
import Glibc
#endif
import CCurl
import Crypto
import Foundation

/// Downloads a URI (file://, http://, https://) into a file with libcurl, hashing the bytes as they arrive.
enum Download {
    struct Result {
        var bytes: UInt64
        var sha256: String
    }

    /// `onSize` is called once, when the size is known (from Content-Length), before the body.
    static func fetch(_ uri: String, to path: String, onSize: (UInt64?) -> Void) throws(ExecutorFailure) -> Result {
        do {
            return try withoutActuallyEscaping(onSize) { onSize in try fetchEscaping(uri, to: path, onSize: onSize) }
        } catch let error as ExecutorFailure {
            throw error
        } catch {
            throw ExecutorFailure("\(error)")
        }
    }

    private static func fetchEscaping(_ uri: String, to path: String, onSize: @escaping (UInt64?) -> Void) throws(ExecutorFailure) -> Result {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExecutorFailure("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard let curl = curl_easy_init() else { throw ExecutorFailure("curl_easy_init failed") }
        defer { curl_easy_cleanup(curl) }
        let sink = Sink(fd: fd, onSize: onSize)
        sink.curl = curl
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        errorBuffer[0] = 0
        converge_curl_setopt_string(curl, CURLOPT_URL, uri)
        converge_curl_setopt_ptr(curl, CURLOPT_ERRORBUFFER, errorBuffer)
        converge_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        converge_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 1)
        converge_curl_setopt_long(curl, CURLOPT_MAXREDIRS, 10)
        converge_curl_setopt_long(curl, CURLOPT_FAILONERROR, 1)
        converge_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, 30_000)
        // Give up on a transfer slower than 1 KB/s for a minute.
        converge_curl_setopt_long(curl, CURLOPT_LOW_SPEED_LIMIT, 1024)
        converge_curl_setopt_long(curl, CURLOPT_LOW_SPEED_TIME, 60)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        converge_curl_setopt_write(curl, downloadWriteCallback)
        converge_curl_setopt_ptr(curl, CURLOPT_WRITEDATA, unmanaged.toOpaque())
        let code = curl_easy_perform(curl)
        if code != CURLE_OK {
            let detail = String(cString: errorBuffer)
            if let failure = sink.failure { throw ExecutorFailure("cannot fetch \(uri): \(failure)") }
            throw ExecutorFailure("cannot fetch \(uri): \(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)")
        }
        if !sink.sizeReported { onSize(sink.bytes) }
        let digest = sink.hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Result(bytes: sink.bytes, sha256: digest)
    }

    fileprivate final class Sink {
        let fd: Int32
        let onSize: (UInt64?) -> Void
        var hasher = SHA256()
        var bytes: UInt64 = 0
        var failure: String?
        var sizeReported = false
        var curl: UnsafeMutableRawPointer?

        init(fd: Int32, onSize: @escaping (UInt64?) -> Void) {
            self.fd = fd
            self.onSize = onSize
        }
    }
}

private func downloadWriteCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    let sink = Unmanaged<Download.Sink>.fromOpaque(userdata).takeUnretainedValue()
    let total = size * count
    let bytes = UnsafeRawBufferPointer(start: pointer, count: total)
    if !sink.sizeReported {
        sink.sizeReported = true
        var length: Double = -1
        if let curl = sink.curl { converge_curl_getinfo_double(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD, &length) }
        sink.onSize(length >= 0 ? UInt64(length) : nil)
    }
    sink.hasher.update(bufferPointer: bytes)
    guard FileIO.writeAll(sink.fd, bytes) else {
        sink.failure = "write failed: \(String(cString: strerror(errno)))"
        return 0
    }
    sink.bytes += UInt64(total)
    return total
}

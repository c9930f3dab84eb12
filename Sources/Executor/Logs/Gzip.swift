#if canImport(Glibc)
import Glibc
#endif
import CZlib

/// gzip files with zlib, streaming through fixed buffers.
enum Gzip {
    struct Failed: Error, CustomStringConvertible { var description: String }

    /// Writes `source` compressed to `destination` (created or truncated).
    static func compress(file source: String, to destination: String, level: Int32 = 1) throws(Failed) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failed(description: "cannot open \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else {
            throw Failed(description: "cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        defer { close(output) }
        var stream = z_stream()
        guard converge_deflate_init_gzip(&stream, level) == Z_OK else { throw Failed(description: "deflateInit failed") }
        defer { deflateEnd(&stream) }
        let size = 64 << 10
        let inBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        let outBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer {
            inBuffer.deallocate()
            outBuffer.deallocate()
        }
        var finished = false
        while !finished {
            let count = read(input, inBuffer, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw Failed(description: "cannot read \(source): \(String(cString: strerror(errno)))")
            }
            let flush = count == 0 ? Z_FINISH : Z_NO_FLUSH
            stream.next_in = inBuffer
            stream.avail_in = UInt32(count)
            repeat {
                stream.next_out = outBuffer
                stream.avail_out = UInt32(size)
                let result = deflate(&stream, flush)
                if result == Z_STREAM_ERROR { throw Failed(description: "deflate failed") }
                let produced = size - Int(stream.avail_out)
                guard FileIO.writeAll(output, UnsafeRawBufferPointer(start: outBuffer, count: produced)) else {
                    throw Failed(description: "cannot write \(destination): \(String(cString: strerror(errno)))")
                }
                if result == Z_STREAM_END { finished = true }
            } while stream.avail_out == 0
        }
    }

    /// The decompressed content of a gzip file (for checks and tests).
    static func decompress(file path: String) throws(Failed) -> [UInt8] {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failed(description: "cannot open \(path)") }
        defer { close(input) }
        var stream = z_stream()
        guard converge_inflate_init_gzip(&stream) == Z_OK else { throw Failed(description: "inflateInit failed") }
        defer { inflateEnd(&stream) }
        let size = 64 << 10
        var inBuffer = [UInt8](repeating: 0, count: size)
        var outBuffer = [UInt8](repeating: 0, count: size)
        var result: [UInt8] = []
        var status = Z_OK
        while status != Z_STREAM_END {
            let count = read(input, &inBuffer, size)
            if count <= 0 { throw Failed(description: "\(path): truncated gzip stream") }
            try inBuffer.withUnsafeMutableBufferPointer { (inPointer) throws(Failed) in
                stream.next_in = inPointer.baseAddress
                stream.avail_in = UInt32(count)
                repeat {
                    try outBuffer.withUnsafeMutableBufferPointer { (outPointer) throws(Failed) in
                        stream.next_out = outPointer.baseAddress
                        stream.avail_out = UInt32(size)
                        status = inflate(&stream, Z_NO_FLUSH)
                        guard status == Z_OK || status == Z_STREAM_END else {
                            throw Failed(description: "\(path): corrupt gzip stream (\(status))")
                        }
                        result.append(contentsOf: outPointer.prefix(size - Int(stream.avail_out)))
                    }
                } while stream.avail_out == 0 && status != Z_STREAM_END
            }
        }
        return result
    }
}

enum FileIO {
    /// write(2) until every byte is written; false on an error.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var pointer = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let written = write(fd, pointer, left)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            pointer += written
            left -= written
        }
        return true
    }
}

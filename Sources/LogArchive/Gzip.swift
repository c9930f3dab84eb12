import CZlib
import Foundation

/// gzip (RFC 1952) through zlib: rotated log pieces are stored as `stdout.1.gz` and read back here.
public enum Gzip {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func compress(_ input: [UInt8], level: Int32 = 6) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard converge_deflate_init_gzip(&stream, level) == Z_OK else { throw Failure(description: "gzip: deflateInit failed") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "gzip: deflate failed (\(status))") }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    /// Decompresses one or more concatenated gzip members (as `cat a.gz b.gz` makes).
    public static func decompress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        var consumed = 0
        var input = input
        while consumed < input.count {
            var stream = z_stream()
            guard converge_inflate_init_gzip(&stream) == Z_OK else { throw Failure(description: "gzip: inflateInit failed") }
            defer { inflateEnd(&stream) }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            var status: Int32 = Z_OK
            let start = consumed
            input.withUnsafeMutableBufferPointer { source in
                stream.next_in = source.baseAddress! + start
                stream.avail_in = uInt(source.count - start)
                repeat {
                    let produced: Int = chunk.withUnsafeMutableBufferPointer { target in
                        stream.next_out = target.baseAddress
                        stream.avail_out = uInt(target.count)
                        status = inflate(&stream, Z_NO_FLUSH)
                        return target.count - Int(stream.avail_out)
                    }
                    output.append(contentsOf: chunk[0..<produced])
                } while status == Z_OK
            }
            guard status == Z_STREAM_END else {
                throw Failure(description: status == Z_BUF_ERROR ? "gzip: the data is truncated" : "gzip: not gzip data or corrupt (\(status))")
            }
            consumed = start + Int(stream.total_in)
        }
        return output
    }
}

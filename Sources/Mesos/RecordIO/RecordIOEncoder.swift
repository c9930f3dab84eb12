import Foundation

/// Frames records as RecordIO: `<decimal length>\n<bytes>`, no trailing newline.
public enum RecordIOEncoder {
    /// One framed record.
    public static func encode(_ record: some Collection<UInt8>) -> Data {
        var out = Data()
        append(record, to: &out)
        return out
    }

    /// Appends one framed record to `out`.
    public static func append(_ record: some Collection<UInt8>, to out: inout Data) {
        out.append(contentsOf: Array(String(record.count).utf8))
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: record)
    }

    /// An event encoded as JSON and framed.
    public static func encode(event: Event, with encoder: JSONEncoder = MesosJSON.makeEncoder()) throws -> Data {
        encode(try encoder.encode(event))
    }
}

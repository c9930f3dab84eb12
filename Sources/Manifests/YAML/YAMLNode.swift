/// A small YAML document as a tree with line numbers, for configuration files other than manifests
/// (the controller's tokens file). Read through the same event reader and limits as manifests.
public indirect enum YAMLNode: Sendable {
    /// `plain`: written unquoted (only plain scalars may be booleans, numbers or null).
    case scalar(String, plain: Bool, line: Int)
    case mapping([(key: String, keyLine: Int, value: YAMLNode)], line: Int)
    case sequence([YAMLNode], line: Int)

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var line: Int {
        switch self {
        case let .scalar(_, _, line), let .mapping(_, line), let .sequence(_, line): line
        }
    }

    /// The first document of `input`; nil when the input holds none (an empty file).
    public static func parse(_ input: [UInt8]) throws -> YAMLNode? {
        guard input.count <= YAMLLimits.maxFileBytes else {
            throw ParseError(line: 1, message: "the file is larger than \(YAMLLimits.maxFileBytes) bytes")
        }
        let (stream, failure) = YAMLEventReader.read(input)
        if let failure { throw ParseError(line: failure.line, message: failure.message) }
        guard let root = stream.documents.first?.root else { return nil }
        return try node(at: root, in: stream)
    }

    private static func node(at index: Int, in stream: YAMLEventStream) throws -> YAMLNode {
        let event = stream.events[index]
        let line = Int(event.line)
        switch event.kind {
        case .scalar:
            let bytes = stream.bytes[Int(event.valueStart)..<Int(event.valueStart + event.valueLength)]
            return .scalar(String(decoding: bytes, as: UTF8.self), plain: event.plain, line: line)
        case .sequenceStart:
            var items: [YAMLNode] = []
            var child = index + 1
            while stream.events[child].kind != .sequenceEnd {
                items.append(try node(at: child, in: stream))
                child = Int(stream.events[child].end)
            }
            return .sequence(items, line: line)
        case .mappingStart:
            var entries: [(key: String, keyLine: Int, value: YAMLNode)] = []
            var child = index + 1
            while stream.events[child].kind != .mappingEnd {
                let key = stream.events[child]
                guard key.kind == .scalar, case let .scalar(text, _, keyLine) = try node(at: child, in: stream) else {
                    throw ParseError(line: Int(key.line), message: "mapping keys must be plain text")
                }
                if entries.contains(where: { $0.key == text }) {
                    throw ParseError(line: keyLine, message: "duplicate key '\(text)'")
                }
                child = Int(key.end)
                entries.append((text, keyLine, try node(at: child, in: stream)))
                child = Int(stream.events[child].end)
            }
            return .mapping(entries, line: line)
        case .mappingEnd, .sequenceEnd:
            throw ParseError(line: line, message: "unexpected end of a collection")
        }
    }
}

import CYAML

/// Reads a file's bytes through libyaml's event parser into a flat `YAMLEventStream`.
///
/// Aliases are expanded by copying the anchored node's events, within a budget
/// (`YAMLLimits.maxAliasExpansion`), so alias bombs fail fast with bounded memory. Nesting deeper
/// than `YAMLLimits.maxDepth` stops the parse. Documents completed before an error are kept.
struct YAMLEventReader {
    struct Failure: Error {
        var line: Int
        var column: Int
        var message: String
    }

    static func read(_ input: [UInt8]) -> (YAMLEventStream, Failure?) {
        var reader = YAMLEventReader()
        let failure = reader.run(input)
        return (reader.stream, failure)
    }

    private var stream = YAMLEventStream()
    private var anchors: [String: Range<Int>] = [:]
    /// Indexes of open mapping/sequence start events, with the anchor they declared.
    private var open: [(index: Int, anchor: String?)] = []
    private var expanded = 0
    private var documentStart: (line: Int, column: Int) = (1, 1)
    private var documentRoot: Int? = nil

    private mutating func run(_ input: [UInt8]) -> Failure? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else {
            return Failure(line: 1, column: 1, message: "cannot initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        stream.bytes.reserveCapacity(input.count)
        stream.events.reserveCapacity(input.count / 6)
        return input.withUnsafeBufferPointer { buffer -> Failure? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) != 0 else {
                    return Self.parserFailure(&parser)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let failure = handle(&event) { return failure }
            }
        }
    }

    private static func parserFailure(_ parser: inout yaml_parser_t) -> Failure {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context)"
        }
        let mark = parser.problem_mark
        return Failure(line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: "invalid YAML: \(message)")
    }

    private mutating func handle(_ event: inout yaml_event_t) -> Failure? {
        let line = Int32(clamping: event.start_mark.line + 1)
        let column = Int32(clamping: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors.removeAll(keepingCapacity: true)
            documentStart = (Int(line), Int(column))
            documentRoot = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root = documentRoot {
                stream.documents.append((root, documentStart.line, documentStart.column))
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let start = stream.bytes.count
            if let value = scalar.value, scalar.length > 0 {
                stream.bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: scalar.length))
            }
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.tag == nil
            let index = stream.events.count
            noteNode(index)
            stream.events.append(YAMLEvent(
                kind: .scalar, plain: plain, line: line, column: column, end: Int32(index + 1),
                valueStart: Int32(start), valueLength: Int32(scalar.length)))
            if let anchor = Self.string(scalar.anchor) { anchors[anchor] = index..<(index + 1) }
        case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
            if open.count >= YAMLLimits.maxDepth {
                return Failure(
                    line: Int(line), column: Int(column),
                    message: "nesting is deeper than \(YAMLLimits.maxDepth) levels")
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = Self.string(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
            let index = stream.events.count
            noteNode(index)
            stream.events.append(YAMLEvent(
                kind: isMapping ? .mappingStart : .sequenceStart, plain: false, line: line, column: column,
                end: 0, valueStart: 0, valueLength: 0))
            open.append((index, anchor))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            guard let (start, anchor) = open.popLast() else { break }
            let index = stream.events.count
            stream.events.append(YAMLEvent(
                kind: event.type == YAML_MAPPING_END_EVENT ? .mappingEnd : .sequenceEnd, plain: false,
                line: line, column: column, end: Int32(index + 1), valueStart: 0, valueLength: 0))
            stream.events[start].end = Int32(index + 1)
            if let anchor { anchors[anchor] = start..<(index + 1) }
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let range = anchors[name] else {
                return Failure(line: Int(line), column: Int(column), message: "unknown alias '*\(name)'")
            }
            expanded += range.count
            if expanded > YAMLLimits.maxAliasExpansion {
                return Failure(
                    line: Int(line), column: Int(column),
                    message: "alias expansion exceeds \(YAMLLimits.maxAliasExpansion) nodes (an alias bomb?)")
            }
            let offset = stream.events.count - range.lowerBound
            noteNode(stream.events.count)
            for i in range {
                var copy = stream.events[i]
                copy.end += Int32(offset)
                stream.events.append(copy)
            }
        default:
            break
        }
        return nil
    }

    /// Records the first node of a document as its root.
    private mutating func noteNode(_ index: Int) {
        if open.isEmpty && documentRoot == nil { documentRoot = index }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }
}

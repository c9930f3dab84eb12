/// Typed access to the nodes of one file's `YAMLEventStream`, collecting errors instead of stopping.
///
/// Every accessor takes the node's event index and its field path (built only when an error is
/// reported). A null node (`~`, `null` or nothing) counts as an absent field: accessors return nil
/// without an error.
struct NodeDecoder {
    let stream: YAMLEventStream
    let file: String
    /// `file`, interned once for all the locations of this file.
    let fileID: UInt32
    var errors: [ManifestError] = []

    init(stream: YAMLEventStream, file: String) {
        self.stream = stream
        self.file = file
        self.fileID = FilePaths.id(file)
    }

    func location(_ i: Int) -> SourceLocation {
        let event = stream.events[i]
        return SourceLocation(fileID: fileID, line: event.line, column: event.column)
    }

    func kind(_ i: Int) -> YAMLEvent.Kind { stream.events[i].kind }

    /// Index just past node `i`.
    func end(_ i: Int) -> Int { Int(stream.events[i].end) }

    mutating func fail(_ i: Int, _ path: String, _ message: String) {
        errors.append(ManifestError(at: location(i), path: path, message))
    }

    // MARK: Scalars

    func withScalarBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let event = stream.events[i]
        return stream.bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[Int(event.valueStart)..<Int(event.valueStart + event.valueLength)]))
        }
    }

    func text(_ i: Int) -> String {
        withScalarBytes(i) { String(decoding: $0, as: UTF8.self) }
    }

    func isNull(_ i: Int) -> Bool {
        let event = stream.events[i]
        guard event.kind == .scalar, event.plain else { return false }
        return withScalarBytes(i) { ScalarSyntax.isNull($0) }
    }

    /// How a node reads in an error message: `"lots"`, `null`, `a mapping`, `a list`.
    func describe(_ i: Int) -> String {
        switch kind(i) {
        case .mappingStart: return "a mapping"
        case .sequenceStart: return "a list"
        default:
            if isNull(i) { return "null" }
            var value = text(i)
            if value.count > 40 { value = String(value.prefix(40)) + "..." }
            let quoted = "\"" + value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
            return stream.events[i].plain ? quoted : quoted + " (quoted, so a string)"
        }
    }

    /// Any scalar as text (numbers and booleans keep their spelling). Null: nil.
    mutating func string(_ i: Int, _ path: @autoclosure () -> String) -> Located<String>? {
        guard kind(i) == .scalar else {
            fail(i, path(), "expected a string, got \(describe(i))")
            return nil
        }
        if isNull(i) { return nil }
        return Located(value: text(i), location: location(i))
    }

    mutating func int(_ i: Int, _ path: @autoclosure () -> String) -> Located<Int>? {
        if isNull(i) { return nil }
        if kind(i) == .scalar, stream.events[i].plain, let value = withScalarBytes(i, ScalarSyntax.int) {
            return Located(value: value, location: location(i))
        }
        fail(i, path(), "expected an integer, got \(describe(i))")
        return nil
    }

    mutating func double(_ i: Int, _ path: @autoclosure () -> String) -> Located<Double>? {
        if isNull(i) { return nil }
        if kind(i) == .scalar, stream.events[i].plain, let value = withScalarBytes(i, ScalarSyntax.double) {
            return Located(value: value, location: location(i))
        }
        fail(i, path(), "expected a number, got \(describe(i))")
        return nil
    }

    mutating func bool(_ i: Int, _ path: @autoclosure () -> String) -> Located<Bool>? {
        if isNull(i) { return nil }
        if kind(i) == .scalar, stream.events[i].plain, let value = withScalarBytes(i, ScalarSyntax.bool) {
            return Located(value: value, location: location(i))
        }
        fail(i, path(), "expected true or false, got \(describe(i))")
        return nil
    }

    /// A scalar that must be one of an enum's raw values (case-sensitive, with a suggestion).
    mutating func oneOf<E: RawRepresentable & CaseIterable & Sendable & Hashable>(
        _ type: E.Type, _ i: Int, _ path: @autoclosure () -> String
    ) -> Located<E>? where E.RawValue == String {
        guard let raw = string(i, path()) else { return nil }
        if let value = E(rawValue: raw.value) { return Located(value: value, location: raw.location) }
        let names = E.allCases.map(\.rawValue)
        var message = "unknown value \(describe(i)); expected one of \(names.joined(separator: ", "))"
        if let suggestion = FieldSuggestion.closest(to: raw.value, in: names) {
            message = "unknown value \(describe(i)); did you mean '\(suggestion)'?"
        }
        fail(i, path(), message)
        return nil
    }

    // MARK: Collections

    /// The items of a list. Null: nil.
    mutating func sequence(_ i: Int, _ path: @autoclosure () -> String) -> [Int]? {
        if isNull(i) { return nil }
        guard kind(i) == .sequenceStart else {
            fail(i, path(), "expected a list, got \(describe(i))")
            return nil
        }
        var items: [Int] = []
        var j = i + 1
        let stop = end(i) - 1
        while j < stop {
            items.append(j)
            j = end(j)
        }
        return items
    }

    mutating func stringList(_ i: Int, _ path: @autoclosure () -> String) -> Located<[String]>? {
        guard let items = sequence(i, path()) else { return nil }
        var values: [String] = []
        values.reserveCapacity(items.count)
        for (n, item) in items.enumerated() {
            if let value = string(item, "\(path())[\(n)]") { values.append(value.value) }
        }
        return Located(value: values, location: location(i))
    }

    /// A map of free-form keys to strings (env, labels, attributes).
    mutating func stringMap(_ i: Int, _ path: @autoclosure () -> String) -> [String: Located<String>]? {
        guard let entries = mapping(i, path(), fields: nil) else { return nil }
        var map: [String: Located<String>] = [:]
        map.reserveCapacity(entries.count)
        for entry in entries {
            if let value = string(entry.value, "\(path()).\(entry.key)") { map[entry.key] = value }
        }
        return map
    }
}

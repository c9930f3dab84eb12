extension NodeDecoder {
    struct Entry {
        var key: String
        var keyIndex: Int
        var value: Int
    }

    /// The entries of a mapping, with `<<` merge keys applied (explicit keys win, then earlier merges).
    ///
    /// With `fields`, keys outside that list are reported as unknown fields with a suggestion and left
    /// out. Duplicate keys are errors. Null: nil.
    mutating func mapping(_ i: Int, _ path: @autoclosure () -> String, fields: [String]?) -> [Entry]? {
        if isNull(i) { return nil }
        guard kind(i) == .mappingStart else {
            fail(i, path(), "expected a mapping, got \(describe(i))")
            return nil
        }
        var explicit: [Entry] = []
        var merged: [Entry] = []
        var j = i + 1
        let stop = end(i) - 1
        while j < stop {
            let keyIndex = j
            let valueIndex = end(j)
            j = end(valueIndex)
            guard kind(keyIndex) == .scalar else {
                fail(keyIndex, path(), "mapping keys must be plain strings, got \(describe(keyIndex))")
                continue
            }
            let key = text(keyIndex)
            if key == "<<" && stream.events[keyIndex].plain {
                mergeSources(valueIndex, path(), into: &merged)
                continue
            }
            explicit.append(Entry(key: key, keyIndex: keyIndex, value: valueIndex))
        }
        // Small mappings: a linear scan beats hashing every key; large ones (hostile input) use a set.
        var seen: Set<String>? = explicit.count + merged.count > 32 ? [] : nil
        var result: [Entry] = []
        result.reserveCapacity(explicit.count + merged.count)
        for (n, entry) in explicit.enumerated() {
            let duplicate = seen.map { $0.contains(entry.key) } ?? explicit[..<n].contains { $0.key == entry.key }
            seen?.insert(entry.key)
            if duplicate, let first = explicit.first(where: { $0.key == entry.key }) {
                fail(entry.keyIndex, fieldPath(path(), entry.key), "duplicate key (first at line \(location(first.keyIndex).line))")
                continue
            }
            if let fields, !fields.contains(entry.key) {
                unknownField(entry.keyIndex, fieldPath(path(), entry.key), entry.key, fields)
                continue
            }
            result.append(entry)
        }
        for (n, entry) in merged.enumerated() {
            if let set = seen {
                guard !set.contains(entry.key) else { continue }
                seen?.insert(entry.key)
            } else if explicit.contains(where: { $0.key == entry.key }) || merged[..<n].contains(where: { $0.key == entry.key }) {
                continue
            }
            if let fields, !fields.contains(entry.key) {
                unknownField(entry.keyIndex, fieldPath(path(), entry.key), entry.key, fields)
                continue
            }
            result.append(entry)
        }
        return result
    }

    private mutating func mergeSources(_ i: Int, _ path: String, into merged: inout [Entry]) {
        let sources: [Int]
        switch kind(i) {
        case .mappingStart: sources = [i]
        case .sequenceStart: sources = sequence(i, path) ?? []
        default:
            fail(i, fieldPath(path, "<<"), "a merge key needs a mapping or a list of mappings, got \(describe(i))")
            return
        }
        for source in sources {
            guard kind(source) == .mappingStart else {
                fail(source, fieldPath(path, "<<"), "a merge key needs a mapping or a list of mappings, got \(describe(source))")
                continue
            }
            merged.append(contentsOf: mapping(source, path, fields: nil) ?? [])
        }
    }

    mutating func unknownField(_ i: Int, _ path: String, _ key: String, _ fields: [String]) {
        if let suggestion = FieldSuggestion.closest(to: key, in: fields) {
            fail(i, path, "unknown field; did you mean '\(suggestion)'?")
        } else {
            fail(i, path, "unknown field; expected one of \(fields.joined(separator: ", "))")
        }
    }

}

/// `path.key`, or `key` at the top level.
func fieldPath(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : path + "." + key
}

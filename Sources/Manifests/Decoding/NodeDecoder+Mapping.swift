extension NodeDecoder {
    struct Entry {
        var key: String
        var keyIndex: Int
        var value: Int
        /// The key's index in the mapping's `FieldNames`; -1 when it names none.
        var field: Int = -1
    }

    /// The entries of a mapping, with `<<` merge keys applied (explicit keys win, then earlier merges).
    ///
    /// With `fields`, keys outside that list are reported as unknown fields with a suggestion and left
    /// out. Duplicate keys are errors. Null: nil.
    mutating func mapping(_ i: Int, _ path: @autoclosure () -> String, fields: FieldNames?) -> [Entry]? {
        if isNull(i) { return nil }
        guard kind(i) == .mappingStart else {
            fail(i, path(), "expected a mapping, got \(describe(i))")
            return nil
        }
        var explicit: [Entry] = []
        explicit.reserveCapacity(min(16, (end(i) - i) / 2))
        var merged: [Entry] = []
        var j = i + 1
        let stop = end(i) - 1
        // Which known fields were seen (the common case: every key is one, each once).
        var seenFields: UInt64 = 0
        var clean = true
        while j < stop {
            let keyIndex = j
            let valueIndex = end(j)
            j = end(valueIndex)
            guard kind(keyIndex) == .scalar else {
                fail(keyIndex, path(), "mapping keys must be plain strings, got \(describe(keyIndex))")
                continue
            }
            // A known field's key is the list's own string: no string is built for it.
            if let fields, let field = withScalarBytes(keyIndex, { fields.index(of: $0) }) {
                let bit: UInt64 = field < 64 ? 1 << UInt64(field) : 0
                if bit == 0 || seenFields & bit != 0 { clean = false }
                seenFields |= bit
                explicit.append(Entry(key: fields.names[field], keyIndex: keyIndex, value: valueIndex, field: field))
                continue
            }
            let key = text(keyIndex)
            if key == "<<" && stream.events[keyIndex].plain {
                mergeSources(valueIndex, path(), into: &merged)
                continue
            }
            if fields != nil { clean = false }
            explicit.append(Entry(key: key, keyIndex: keyIndex, value: valueIndex))
        }
        // The common case: no merge keys, only known fields, each once.
        if merged.isEmpty && clean {
            if fields != nil { return explicit }
            if explicit.count <= 32 {
                var unique = true
                for n in explicit.indices where unique {
                    let key = explicit[n].key
                    if explicit[..<n].contains(where: { $0.key == key }) { unique = false }
                }
                if unique { return explicit }
            }
        }
        // Small mappings: a linear scan beats hashing every key; large ones (hostile input) use a set.
        var seen: [String: Int]? = explicit.count + merged.count > 32 ? [:] : nil
        var result: [Entry] = []
        result.reserveCapacity(explicit.count + merged.count)
        for (n, entry) in explicit.enumerated() {
            let first: Entry? =
                if seen != nil { seen![entry.key].map { explicit[$0] } } else { explicit[..<n].first { $0.key == entry.key } }
            if seen?[entry.key] == nil { seen?[entry.key] = n }
            if let first {
                fail(entry.keyIndex, fieldPath(path(), entry.key), "duplicate key (first at line \(location(first.keyIndex).line))")
                continue
            }
            if let fields, entry.field < 0 {
                unknownField(entry.keyIndex, fieldPath(path(), entry.key), entry.key, fields.names)
                continue
            }
            result.append(entry)
        }
        for (n, entry) in merged.enumerated() {
            if let set = seen {
                guard set[entry.key] == nil else { continue }
                seen?[entry.key] = -1
            } else if explicit.contains(where: { $0.key == entry.key }) || merged[..<n].contains(where: { $0.key == entry.key }) {
                continue
            }
            if let fields, !fields.names.contains(entry.key) {
                unknownField(entry.keyIndex, fieldPath(path(), entry.key), entry.key, fields.names)
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

/// One node event of a YAML document, flattened: aliases are already expanded into copies.
///
/// Scalars point into the owning `YAMLEventStream.bytes`; start events know the index just past
/// their node (`end`), so a decoder can skip a whole subtree in O(1).
struct YAMLEvent: Sendable {
    enum Kind: UInt8, Sendable {
        case scalar, mappingStart, mappingEnd, sequenceStart, sequenceEnd
    }

    var kind: Kind
    /// True for a plain (unquoted, untagged) scalar: only plain scalars can be numbers, booleans or null.
    var plain: Bool
    var line: Int32
    var column: Int32
    /// Index just past this node (for scalars: own index + 1; for end events: unused).
    var end: Int32
    var valueStart: Int32
    var valueLength: Int32
}

/// The events of one YAML file: a flat array of node events plus one root index per document.
struct YAMLEventStream: Sendable {
    var events: [YAMLEvent] = []
    var bytes: [UInt8] = []
    /// Index of each document's root node, with the 1-based line and column where the document starts.
    var documents: [(root: Int, line: Int, column: Int)] = []
}

/// Limits that keep hostile input bounded in time and memory.
enum YAMLLimits {
    static let maxFileBytes = 1 << 20
    static let maxDepth = 64
    /// Nodes that alias expansion may add per file ("billion laughs" stops here).
    static let maxAliasExpansion = 100_000
}

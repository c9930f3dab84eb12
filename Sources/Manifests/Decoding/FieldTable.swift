/// The value a manifest field takes, as the decoder reads it and the JSON Schema describes it.
public indirect enum FieldType: Sendable {
    /// Any scalar, read as text (`3` and `true` keep their spelling).
    case string
    case integer
    case number
    case boolean
    /// A string from a fixed set (case-sensitive).
    case oneOf([String])
    /// A string (run by /bin/sh -c) or a list of strings (exec'd).
    case command
    case stringList
    /// Free-form keys to strings (env, labels, attributes).
    case stringMap
    /// Free-form keys to lists of strings.
    case stringListMap
    /// A mapping with the table's fields only.
    case object(FieldTable)
    /// A list of mappings with the table's fields only.
    case objectList(FieldTable)
}

/// One field of a mapping: its name, type, whether it must be given, and what it means.
public struct Field: Sendable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    public var description: String

    public init(_ name: String, _ type: FieldType, required: Bool = false, _ description: String) {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
    }
}

/// The fields a mapping may have, in the order the format documents them. The decoder takes its accepted
/// names from here (`names`) and `ManifestSchema` its properties, so the two cannot drift.
public struct FieldTable: Sendable, ExpressibleByArrayLiteral {
    public let fields: [Field]
    /// Exactly one of the fields must be given (a Maintenance selector, a health check probe).
    public var exactlyOne = false
    let names: FieldNames

    public init(arrayLiteral fields: Field...) {
        self.init(fields)
    }

    public init(_ fields: [Field], exactlyOne: Bool = false) {
        self.fields = fields
        self.exactlyOne = exactlyOne
        names = FieldNames(fields.map(\.name))
    }

    public subscript(name: String) -> Field? { fields.first { $0.name == name } }

    /// The allowed values of a `oneOf` field.
    func values(of name: String) -> [String] {
        if case .oneOf(let values)? = self[name]?.type { return values }
        return []
    }
}

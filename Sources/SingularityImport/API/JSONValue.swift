/// Any JSON value, decoded with Codable: used to see every field Singularity sent, so the report can
/// name the ones the importer did not map.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Absent in Jackson's NON_ABSENT sense: null, or an empty list or map.
    var isEmpty: Bool {
        switch self {
        case .null: true
        case .array(let value): value.isEmpty
        case .object(let value): value.isEmpty
        default: false
        }
    }

    /// Compact JSON for the report, cut at `limit` characters.
    func preview(limit: Int = 80) -> String {
        let text = compact
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private var compact: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value):
            var out = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        case .array(let values): return "[" + values.map(\.compact).joined(separator: ",") + "]"
        case .object(let map):
            return "{" + map.keys.sorted().map { "\"\($0)\":" + map[$0]!.compact }.joined(separator: ",") + "}"
        }
    }
}

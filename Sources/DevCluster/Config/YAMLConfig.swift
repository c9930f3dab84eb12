import CYAML
import Foundation

/// Turns a YAML config file into the JSON the config decoder reads (one document; maps, lists,
/// scalars; plain scalars become numbers, booleans or null when they look like them).
enum YAMLConfig {
    static func toJSON(_ data: Data, file: String) throws -> Data {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw DevClusterConfigError(description: "\(file): libyaml init failed") }
        defer { yaml_parser_delete(&parser) }
        let bytes = [UInt8](data)
        return try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var stack: [Node] = []
            var root: Any?
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                    throw DevClusterConfigError(description: "\(file):\(parser.problem_mark.line + 1):\(parser.problem_mark.column + 1): \(problem)")
                }
                defer { yaml_event_delete(&event) }
                let type = event.type
                if type == YAML_STREAM_END_EVENT { break }
                var value: Any?
                switch type {
                case YAML_MAPPING_START_EVENT: stack.append(.map([:], key: nil))
                case YAML_SEQUENCE_START_EVENT: stack.append(.list([]))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    value = stack.removeLast().value
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    value = scalar.style == YAML_PLAIN_SCALAR_STYLE ? plain(text) : text
                case YAML_ALIAS_EVENT:
                    throw DevClusterConfigError(description: "\(file):\(event.start_mark.line + 1): YAML aliases are not supported")
                default: break
                }
                guard let value else { continue }
                if stack.isEmpty { root = value } else { stack[stack.count - 1].add(value) }
            }
            guard let root, JSONSerialization.isValidJSONObject(root) else {
                throw DevClusterConfigError(description: "\(file): the document must be a mapping")
            }
            return try JSONSerialization.data(withJSONObject: root)
        }
    }

    private static func plain(_ text: String) -> Any {
        switch text {
        case "true", "True", "yes": return true
        case "false", "False", "no": return false
        case "", "~", "null": return NSNull()
        default:
            if let integer = Int(text) { return integer }
            if let double = Double(text) { return double }
            return text
        }
    }

    private enum Node {
        case map([String: Any], key: String?)
        case list([Any])

        var value: Any {
            switch self {
            case let .map(map, _): return map
            case let .list(list): return list
            }
        }

        mutating func add(_ value: Any) {
            switch self {
            case let .map(map, key):
                if let key {
                    var map = map
                    map[key] = value
                    self = .map(map, key: nil)
                } else {
                    self = .map(map, key: "\(value)")
                }
            case let .list(list):
                self = .list(list + [value])
            }
        }
    }
}

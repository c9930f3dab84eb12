import Foundation
import Testing
@testable import Manifests

/// `converge schema` against the decoder: built from the same tables, checked by walking both, and the
/// committed schema validated with Python's `jsonschema` against the examples and the decoder's verdicts.
@Suite struct ManifestSchemaTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func committedSchemaIsCurrent() throws {
        let committed = try String(contentsOfFile: Self.packageRoot + "/" + ManifestSchema.committedPath, encoding: .utf8)
        #expect(committed == ManifestSchema.text, "regenerate it: converge schema > \(ManifestSchema.committedPath)")
    }

    /// Every mapping's properties in the schema are exactly the names the decoder accepts, and every
    /// enumeration lists the decoder's values.
    @Test func schemaWalksLikeTheDecoder() throws {
        let schema = try #require(JSONSerialization.jsonObject(with: Data(ManifestSchema.text.utf8)) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        let spec = try #require(defs["spec"] as? [String: Any])
        func object(_ root: [String: Any], _ path: [String]) throws -> [String: Any] {
            var node = root
            for key in path {
                let properties = try #require(node["properties"] as? [String: Any], "no properties at \(key)")
                node = try #require(properties[key] as? [String: Any], "no \(key)")
                if let items = node["items"] as? [String: Any], items["properties"] != nil { node = items }
            }
            #expect(node["additionalProperties"] as? Bool == false, "\(path): unknown fields not refused")
            return node
        }
        func keys(_ node: [String: Any]) -> Set<String> { Set((node["properties"] as? [String: Any] ?? [:]).keys) }
        let mappings: [([String: Any], [String], FieldNames)] = [
            (schema, [], NodeDecoder.documentFields),
            (schema, ["metadata"], NodeDecoder.metadataFields),
            (try #require(defs["maintenanceSpec"] as? [String: Any]), [], NodeDecoder.maintenanceFields),
            (try #require(defs["maintenanceSpec"] as? [String: Any]), ["decommission"], NodeDecoder.selectorFields),
            (spec, [], NodeDecoder.specFields),
            (spec, ["resources"], NodeDecoder.resourceFields),
            (spec, ["artifacts"], NodeDecoder.artifactFields),
            (spec, ["container"], NodeDecoder.containerFields),
            (spec, ["container", "docker"], NodeDecoder.dockerFields),
            (spec, ["container", "docker", "portMappings"], NodeDecoder.portMappingFields),
            (spec, ["container", "docker", "volumes"], NodeDecoder.volumeFields),
            (spec, ["healthCheck"], NodeDecoder.healthCheckFields),
            (spec, ["healthCheck", "http"], NodeDecoder.httpCheckFields),
            (spec, ["healthCheck", "tcp"], NodeDecoder.tcpCheckFields),
            (spec, ["deploy"], NodeDecoder.deployFields),
            (spec, ["placement"], NodeDecoder.placementFields),
        ]
        for (root, path, decoder) in mappings {
            #expect(keys(try object(root, path)) == Set(decoder.names), "\(path.joined(separator: "."))")
        }
        func values(_ root: [String: Any], _ path: [String], _ field: String) throws -> Set<String> {
            let properties = try object(root, path)["properties"] as? [String: Any]
            let node = try #require(properties?[field] as? [String: Any])
            return Set((node["enum"] as? [Any] ?? []).compactMap { $0 as? String })
        }
        #expect(try values(schema, [], "kind") == Set(DocumentKind.allCases.map(\.rawValue)))
        #expect(try values(schema, [], "apiVersion") == [APIVersionRule.current])
        #expect(try values(spec, ["container", "docker"], "network") == Set(DockerContainer.Network.allCases.map(\.rawValue)))
        #expect(try values(spec, ["container", "docker", "portMappings"], "protocol") == Set(NodeDecoder.protocols))
        #expect(try values(spec, ["container", "docker", "volumes"], "mode") == Set(NodeDecoder.volumeModes))
        #expect(try values(spec, ["placement"], "spread") == Set(Placement.Spread.allCases.map(\.rawValue)))
    }

    /// Each field of each table through the real decoder: a sample of its type decodes cleanly, a value of
    /// the wrong type is an error at its path, an unknown neighbour is refused, a missing required field
    /// is an error. The same documents then go to `jsonschema`, which must agree on every one.
    @Test func decoderAndSchemaAgreeFieldByField() throws {
        var cases: [SchemaCase] = []
        for root in SchemaCase.roots {
            cases += SchemaCase.cases(root: root)
        }
        #expect(cases.count > 100)
        for item in cases {
            let errors = decode(item.document)
            if item.valid {
                #expect(errors.isEmpty, "\(item.name): the decoder refuses: \(errors)")
            } else {
                #expect(!errors.isEmpty, "\(item.name): the decoder accepts it")
                if let path = item.errorPath {
                    #expect(errors.contains { $0.path == path }, "\(item.name): no error at \(path): \(errors)")
                }
            }
        }
        // The kinds' requirements come from the validation rules: both refuse the same documents.
        let kindCases = SchemaCase.kindCases()
        for item in kindCases {
            let set = loadManifests([ManifestFile(path: "m.yaml", contents: Array(Self.json(item.document).utf8))])
            #expect(set.errors.isEmpty == item.valid, "\(item.name): \(set.errors)")
        }
        try runPythonCheck(cases: cases + kindCases)
    }

    private func decode(_ document: [String: Any]) -> [ManifestError] {
        parseManifestFile(ManifestFile(path: "m.yaml", contents: Array(Self.json(document).utf8))).errors
    }

    static func json(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    private func runPythonCheck(cases: [SchemaCase]) throws {
        let site = Self.packageRoot + "/.python-deps/site"
        let casesFile = FileManager.default.temporaryDirectory.appendingPathComponent("schema-cases-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: casesFile) }
        let list = cases.map { ["name": $0.name, "document": $0.document, "valid": $0.valid] as [String: Any] }
        try Data(Self.json(list).utf8).write(to: casesFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.packageRoot + "/tests/schema/check_schema.py",
                             Self.packageRoot + "/" + ManifestSchema.committedPath, Self.packageRoot + "/examples", casesFile.path]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = site
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "jsonschema check failed (scripts/python-deps installs jsonschema and PyYAML):\n\(text)")
        #expect(text.contains("\"failures\": 0"), "\(text)")
    }
}

/// One document and the verdict the decoder gives it.
struct SchemaCase {
    var name: String
    var document: [String: Any]
    var valid: Bool
    /// Where the decoder must report the problem (nil: anywhere).
    var errorPath: String?

    /// A document shape: its kind and the table its `spec` is decoded with.
    struct Root {
        var kind: String
        var spec: FieldTable
    }

    static let roots = [Root(kind: "Service", spec: ManifestFields.spec), Root(kind: "Maintenance", spec: ManifestFields.maintenance)]

    static func base(_ kind: String) -> [String: Any] {
        ["apiVersion": ManifestFields.apiVersion, "kind": kind, "metadata": ["name": "web"]]
    }

    /// Every field reachable from the document, with the leaf and unknown-field cases.
    static func cases(root: Root) -> [SchemaCase] {
        var out: [SchemaCase] = []
        var document = ManifestFields.document.fields.filter { $0.name != "spec" }
        document.append(Field("spec", .object(root.spec), "spec"))
        walk(FieldTable(document), path: [], base: base(root.kind), kind: root.kind, into: &out)
        return out
    }

    enum Step {
        case key(String)
        case item
    }

    private static func walk(_ table: FieldTable, path: [Step], base: [String: Any], kind: String, into out: inout [SchemaCase]) {
        let at = dotted(path)
        // An unknown field next to the table's own.
        out.append(SchemaCase(name: "\(kind) \(at.isEmpty ? "top" : at): unknown field",
                              document: set(base, path, sample(.object(table), name: "", fill: true, extra: ["bogusField": 1])),
                              valid: false, errorPath: at.isEmpty ? "bogusField" : at + ".bogusField"))
        for field in table.fields {
            let fieldPath = path + [.key(field.name)]
            let name = "\(kind) \(dotted(fieldPath))"
            let container = set(base, path, sample(.object(table), name: "", fill: !table.exactlyOne))
            if field.required {
                out.append(SchemaCase(name: name + " missing", document: removing(container, fieldPath), valid: false, errorPath: nil))
            }
            if path.isEmpty && field.name == "kind" { continue }  // the kind picks the spec table: its own cases below
            let good = sample(field.type, name: field.name, fill: true)
            out.append(SchemaCase(name: name + " sample", document: set(container, fieldPath, good), valid: true))
            if case .oneOf(let values) = field.type {
                for value in values.dropFirst() {
                    out.append(SchemaCase(name: name + " = \(value)", document: set(container, fieldPath, value), valid: true))
                }
            }
            out.append(SchemaCase(name: name + " wrong type", document: set(container, fieldPath, wrong(field.type)), valid: false,
                                  errorPath: dotted(fieldPath)))
            switch field.type {
            case .object(let nested):
                walk(nested, path: fieldPath, base: container, kind: kind, into: &out)
            case .objectList(let nested):
                walk(nested, path: fieldPath + [.item], base: set(container, fieldPath, [Any]()), kind: kind, into: &out)
            default: break
            }
        }
    }

    /// The kinds' requirements (full validation): a minimal document of each kind, and the same without
    /// what the kind needs.
    static func kindCases() -> [SchemaCase] {
        var out: [SchemaCase] = []
        for kind in DocumentKind.allCases.map(\.rawValue) {
            var document = base(kind)
            switch kind {
            case "Maintenance": document["spec"] = ["decommission": [["hostname": "agent-1"]]]
            case "Defaults": document["spec"] = ["env": ["A": "b"]]
            case "Scheduled": document["spec"] = ["command": "echo hi", "schedule": "*/5 * * * *"]
            default: document["spec"] = ["command": "echo hi"]
            }
            out.append(SchemaCase(name: "minimal \(kind)", document: document, valid: true))
            if WorkloadKind(rawValue: kind) != nil {
                var nameless = document
                nameless["metadata"] = ["owners": ["team"]]
                out.append(SchemaCase(name: "\(kind) without metadata.name", document: nameless, valid: false))
            }
        }
        var unscheduled = base("Scheduled")
        unscheduled["spec"] = ["command": "echo hi"]
        out.append(SchemaCase(name: "Scheduled without schedule", document: unscheduled, valid: false))
        var bad = base("Deployment")
        bad["spec"] = ["command": "echo hi"]
        out.append(SchemaCase(name: "bad kind", document: bad, valid: false))
        var old = base("Service")
        old["apiVersion"] = "converge/v0"
        old["spec"] = ["command": "echo hi"]
        out.append(SchemaCase(name: "unsupported apiVersion", document: old, valid: false))
        return out
    }

    static func dotted(_ path: [Step]) -> String {
        var out = ""
        for step in path {
            switch step {
            case .key(let key): out += out.isEmpty ? key : "." + key
            case .item: out += "[0]"
            }
        }
        return out
    }

    /// A valid value of a type (`fill`: objects get their required fields).
    static func sample(_ type: FieldType, name: String, fill: Bool, extra: [String: Any] = [:]) -> Any {
        switch type {
        case .string:
            switch name {
            case "name": return "web"
            case "path": return "/health"
            case "schedule": return "*/5 * * * *"
            case "timeZone": return "UTC"
            case "hostname": return "agent-1"
            case "sha256": return String(repeating: "ab", count: 32)
            default: return "x"
            }
        case .integer: return 1
        case .number: return 0.5
        case .boolean: return true
        case .oneOf(let values): return values[0]
        case .command: return "echo hi"
        case .stringList: return ["a"]
        case .stringMap: return ["A": "b"]
        case .stringListMap: return ["a": ["b"]]
        case .object(let table):
            var object = extra
            if table.exactlyOne, fill, let first = table.fields.first {
                object[first.name] = sample(first.type, name: first.name, fill: true)
            } else if fill {
                for field in table.fields where field.required {
                    object[field.name] = sample(field.type, name: field.name, fill: true)
                }
            }
            return object
        case .objectList(let table):
            return [sample(.object(table), name: name, fill: true)]
        }
    }

    /// A value of the wrong type, refused by the decoder at the field's path.
    static func wrong(_ type: FieldType) -> Any {
        switch type {
        case .string, .command: return ["nested": "mapping"]
        case .integer, .number, .boolean: return "many"
        case .oneOf: return "Nope"
        case .stringList, .objectList: return "x"
        case .stringMap, .stringListMap, .object: return [1]
        }
    }

    /// `base` with `value` at `path` (missing mappings and a one-item list are created; a mapping fills in
    /// what the one there lacks).
    static func set(_ base: [String: Any], _ path: [Step], _ value: Any) -> [String: Any] {
        setAny(base, path, value) as? [String: Any] ?? base
    }

    /// `base` without the field at `path`.
    static func removing(_ base: [String: Any], _ path: [Step]) -> [String: Any] {
        func remove(_ node: Any?, _ path: ArraySlice<Step>) -> Any? {
            switch path.first {
            case .key(let key)?:
                guard var object = node as? [String: Any] else { return node }
                if path.count == 1 { object[key] = nil } else { object[key] = remove(object[key], path.dropFirst()) }
                return object
            case .item?:
                guard let list = node as? [Any], let first = list.first else { return node }
                return [remove(first, path.dropFirst()) as Any]
            case nil:
                return node
            }
        }
        return remove(base, path[...]) as? [String: Any] ?? base
    }

    private static func setAny(_ node: Any?, _ path: [Step], _ value: Any) -> Any {
        guard let step = path.first else {
            if let object = value as? [String: Any], let existing = node as? [String: Any] {
                return existing.merging(object) { old, _ in old }
            }
            return value
        }
        switch step {
        case .key(let key):
            var object = node as? [String: Any] ?? [:]
            object[key] = setAny(object[key], Array(path.dropFirst()), value)
            return object
        case .item:
            let list = node as? [Any] ?? []
            return [setAny(list.first, Array(path.dropFirst()), value)]
        }
    }
}

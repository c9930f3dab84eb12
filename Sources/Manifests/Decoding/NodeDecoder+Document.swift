/// Decoding the top level of a document: apiVersion, kind, metadata, spec.
extension NodeDecoder {
    static let documentFields = ManifestFields.document.names
    static let metadataFields = ManifestFields.metadata.names
    static let maintenanceFields = ManifestFields.maintenance.names
    static let selectorFields = ManifestFields.selector.names

    mutating func document(root: Int, location: SourceLocation) -> ParsedDocument? {
        if isNull(root) { return nil }  // an empty document, e.g. a trailing `---`
        let errorsBefore = errors.count
        let location = kind(root) == .mappingStart ? self.location(root) : location
        guard let entries = mapping(root, "", fields: Self.documentFields) else {
            return nil
        }
        var apiVersion: Located<String>? = nil
        var documentKind: Located<DocumentKind>? = nil
        var metadata = PartialMetadata()
        var metadataLocation = location
        var specIndex: Int? = nil
        for entry in entries {
            switch entry.key {
            case "apiVersion": apiVersion = string(entry.value, "apiVersion")
            case "kind": documentKind = oneOf(DocumentKind.self, entry.value, "kind")
            case "metadata":
                metadata = self.metadata(entry.value, "metadata")
                metadataLocation = self.location(entry.value)
            case "spec": specIndex = entry.value
            default: break
            }
        }
        if !entries.contains(where: { $0.key == "kind" }) {
            errors.append(ManifestError(at: location, path: "kind", "required field missing"))
        }
        var body = ParsedDocument.Body.unknown
        var spec = PartialSpec()
        switch documentKind?.value {
        case .defaults?:
            body = .defaults
            if let specIndex { spec = partialSpec(specIndex, "spec") }
        case .maintenance?:
            body = .maintenance(specIndex.map { maintenanceSpec($0, "spec") } ?? [])
        case let kind?:
            body = .workload(kind.workloadKind!)
            if let specIndex { spec = partialSpec(specIndex, "spec") }
        case nil:
            break
        }
        let failedPaths = errors.count == errorsBefore ? [] : Set(errors[errorsBefore...].map(\.path))
        return ParsedDocument(
            location: location, apiVersion: apiVersion, kind: documentKind, metadata: metadata,
            metadataLocation: metadataLocation, body: body, spec: spec, failedPaths: failedPaths)
    }

    mutating func metadata(_ i: Int, _ path: String) -> PartialMetadata {
        var metadata = PartialMetadata()
        for entry in mapping(i, path, fields: Self.metadataFields) ?? [] {
            func p() -> String { fieldPath(path, entry.key) }
            switch entry.key {
            case "name": metadata.name = string(entry.value, p())
            case "owners": metadata.owners = stringList(entry.value, p())
            case "labels": metadata.labels = stringMap(entry.value, p())
            default: break
            }
        }
        return metadata
    }

    /// `spec` of a Maintenance document: `decommission: [{hostname: h} | {attributes: {k: v}}]`.
    mutating func maintenanceSpec(_ i: Int, _ path: String) -> [Located<AgentSelector>] {
        var selectors: [Located<AgentSelector>] = []
        for entry in mapping(i, path, fields: Self.maintenanceFields) ?? [] {
            let p = fieldPath(path, "decommission")
            for (n, item) in (sequence(entry.value, p) ?? []).enumerated() {
                let ip = "\(p)[\(n)]"
                guard let fields = mapping(item, ip, fields: Self.selectorFields) else {
                    fail(item, ip, "expected {hostname: ...} or {attributes: {...}}, got null")
                    continue
                }
                if fields.count != 1 {
                    fail(item, ip, "give exactly one of hostname or attributes")
                    continue
                }
                let field = fields[0]
                if field.key == "hostname" {
                    guard let hostname = string(field.value, fieldPath(ip, "hostname")) else {
                        fail(field.value, fieldPath(ip, "hostname"), "must not be empty")
                        continue
                    }
                    if hostname.value.isEmpty {
                        fail(field.value, fieldPath(ip, "hostname"), "must not be empty")
                        continue
                    }
                    if hostname.value.contains(where: \.isWhitespace) {
                        fail(field.value, fieldPath(ip, "hostname"), "expected a hostname, got \(describe(field.value))")
                        continue
                    }
                    selectors.append(Located(value: .hostname(hostname.value), location: location(item)))
                } else {
                    let attributes = stringMap(field.value, fieldPath(ip, "attributes")) ?? [:]
                    if attributes.isEmpty {
                        fail(field.value, fieldPath(ip, "attributes"), "must name at least one attribute")
                        continue
                    }
                    selectors.append(Located(
                        value: .attributes(attributes.mapValues(\.value)), location: location(item)))
                }
            }
        }
        return selectors
    }
}

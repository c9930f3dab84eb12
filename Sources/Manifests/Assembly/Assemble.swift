/// Parses `files` (concurrently) and assembles them: the whole pipeline in one call.
/// The caller chooses which files are manifests (see `ManifestFile.isManifestPath`).
public func loadManifests(_ files: [ManifestFile]) -> ManifestSet {
    assemble(parseManifestFiles(files))
}

/// Assembles parsed files into the desired state: applies Defaults by folder (nearer wins; maps
/// merge, lists and scalars replace; the manifest wins over all), checks kind/field fit, runs every
/// validation rule, checks names are unique, resolves defaults and computes the hashes.
public func assemble(_ files: [ParsedFile]) -> ManifestSet {
    var assembler = Assembler()
    return assembler.run(files)
}

private struct Assembler {
    var errors: [ManifestError] = []
    var defaultsByFolder: [String: (spec: PartialSpec, location: SourceLocation)] = [:]
    var inheritedByFolder: [String: PartialSpec] = [:]

    mutating func run(_ files: [ParsedFile]) -> ManifestSet {
        var documents: [(folder: String, document: ParsedDocument)] = []
        for file in files {
            errors.append(contentsOf: file.errors)
            let folder = Self.folder(of: file.path)
            for document in file.documents {
                documents.append((folder, document))
                for rule in Rules.document { rule.check(document, into: &errors) }
            }
        }
        collectDefaults(documents)

        var workloads: [Workload] = []
        var maintenance: [Maintenance] = []
        var named: [(name: String, location: SourceLocation)] = []
        for (folder, document) in documents {
            switch document.body {
            case .workload(let kind, let own):
                if let name = document.metadata.name { named.append((name.value, name.location)) }
                if let workload = workload(kind, own, document, folder) { workloads.append(workload) }
            case .maintenance(let selectors):
                if let name = document.metadata.name { named.append((name.value, name.location)) }
                var problems: [ManifestError] = []
                for rule in Rules.maintenance { rule.check(document, into: &problems) }
                errors.append(contentsOf: problems)
                if problems.isEmpty, document.failedPaths.isEmpty, let name = document.metadata.name {
                    maintenance.append(Maintenance(
                        metadata: metadata(document.metadata, name: name.value),
                        decommission: selectors.map(\.value), source: document.location))
                }
            case .defaults, .unknown:
                break
            }
        }
        checkUniqueNames(named)

        var byName: [String: Workload] = [:]
        byName.reserveCapacity(workloads.count)
        for workload in workloads where byName[workload.name] == nil { byName[workload.name] = workload }
        maintenance.sort { $0.name < $1.name }
        let sorted = Array(Set(errors)).sorted()
        return ManifestSet(workloads: byName, maintenance: maintenance, errors: sorted, documentCount: documents.count)
    }

    // MARK: Defaults

    private mutating func collectDefaults(_ documents: [(folder: String, document: ParsedDocument)]) {
        for (folder, document) in documents {
            guard case .defaults(let spec) = document.body else { continue }
            if let first = defaultsByFolder[folder] {
                let where_ = folder.isEmpty ? "the repository root" : "folder '\(folder)'"
                errors.add(document.location, "kind", "a second Defaults document in \(where_); the first is at \(first.location)")
                continue
            }
            defaultsByFolder[folder] = (spec, document.location)
        }
    }

    /// The Defaults that apply in `folder`: every ancestor's, nearer laid over farther.
    private mutating func inherited(in folder: String) -> PartialSpec {
        if let cached = inheritedByFolder[folder] { return cached }
        var result: PartialSpec
        if folder.isEmpty {
            result = defaultsByFolder[""]?.spec ?? PartialSpec()
        } else {
            let parent = Self.folder(of: folder)
            result = inherited(in: parent)
            if let own = defaultsByFolder[folder]?.spec { result = own.merged(over: result) }
        }
        inheritedByFolder[folder] = result
        return result
    }

    // MARK: Workloads

    private mutating func workload(
        _ kind: WorkloadKind, _ own: PartialSpec, _ document: ParsedDocument, _ folder: String
    ) -> Workload? {
        var problems: [ManifestError] = []
        for misfit in own.misfits(for: kind) {
            problems.add(misfit.location, misfit.path, misfit.message)
        }
        let spec = own.merged(over: inherited(in: folder)).restricted(to: kind)
        let draft = WorkloadDraft(kind: kind, document: document, spec: spec)
        for rule in Rules.workload { rule.check(draft, into: &problems) }
        errors.append(contentsOf: problems)
        guard problems.isEmpty, document.failedPaths.isEmpty, let name = document.metadata.name?.value else { return nil }
        return Workload(
            kind: kind, metadata: metadata(document.metadata, name: name), spec: spec.resolved(for: kind),
            source: document.location)
    }

    private func metadata(_ partial: PartialMetadata, name: String) -> Metadata {
        Metadata(name: name, owners: partial.owners?.value ?? [], labels: partial.labels?.mapValues(\.value) ?? [:])
    }

    private mutating func checkUniqueNames(_ named: [(name: String, location: SourceLocation)]) {
        var first: [String: SourceLocation] = [:]
        var reported = Set<String>()
        for (name, location) in named {
            guard let original = first[name] else {
                first[name] = location
                continue
            }
            errors.add(location, "metadata.name", "\"\(name)\" is already used at \(original)")
            if reported.insert(name).inserted {
                errors.add(original, "metadata.name", "\"\(name)\" is used again at \(location)")
            }
        }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses `files` (concurrently) and assembles them: the whole pipeline in one call.
/// The caller chooses which files are manifests (see `ManifestFile.isManifestPath`).
public func loadManifests(_ files: [ManifestFile]) -> ManifestSet {
    assemble(parseManifestFiles(files))
}

/// Assembles parsed files into the desired state: applies Defaults by folder (nearer wins; maps
/// merge, lists and scalars replace; the manifest wins over all), checks kind/field fit, runs every
/// validation rule, checks names are unique, resolves defaults and computes the hashes.
public func assemble(_ files: [ParsedFile]) -> ManifestSet {
    var assembler = Assembler(files: files)
    return assembler.run()
}

/// `assemble(files)`, reusing the workloads `memo` resolved before: a document (the same
/// `ParsedDocument` object, as a parse cache hands out) under the same Defaults documents is not
/// resolved again.
public func assemble(_ files: [ParsedFile], memo: AssemblyMemo) -> ManifestSet {
    var assembler = Assembler(files: files)
    assembler.memo = memo
    return assembler.run()
}

private struct Assembler {
    struct Ref {
        var file: Int
        var document: Int
        var folder: String
        /// `folder`'s index in `folders`.
        var folderIndex: Int
    }

    let files: [ParsedFile]
    var errors: [ManifestError] = []
    var defaultsByFolder: [String: (spec: PartialSpec, location: SourceLocation)] = [:]
    var inheritedByFolder: [String: PartialSpec] = [:]
    /// The folders of the files, each once, and the Defaults inherited in each (same order): an
    /// array, so that resolving a workload borrows its folder's spec instead of copying it out of
    /// a dictionary.
    var folders: [String] = []
    var folderIndex: [String: Int] = [:]
    /// Where each folder's Defaults document is (the first one, the one that applies).
    var defaultsRefByFolder: [String: Ref] = [:]
    var memo: AssemblyMemo?
    var signatureByFolder: [String: (ids: [ObjectIdentifier], documents: [ParsedDocument])] = [:]

    init(files: [ParsedFile]) { self.files = files }

    func document(_ ref: Ref) -> ParsedDocument { files[ref.file].documents[ref.document] }

    mutating func run() -> ManifestSet {
        var refs: [Ref] = []
        refs.reserveCapacity(files.count)
        var lastFolder: (name: String, index: Int)? = nil
        for (f, file) in files.enumerated() {
            errors.append(contentsOf: file.errors)
            // Files come sorted by path, so most share the folder of the file before.
            let folder: String
            let index: Int
            if let last = lastFolder, Self.isFile(file.path, in: last.name) {
                (folder, index) = last
            } else {
                folder = Self.folder(of: file.path)
                if let known = folderIndex[folder] {
                    index = known
                } else {
                    index = folders.count
                    folders.append(folder)
                    folderIndex[folder] = index
                }
                lastFolder = (folder, index)
            }
            for d in file.documents.indices {
                refs.append(Ref(file: f, document: d, folder: folder, folderIndex: index))
            }
        }
        collectDefaults(refs)

        var workloadRefs: [Ref] = []
        var maintenance: [Maintenance] = []
        var named: [(name: String, location: SourceLocation)] = []
        for ref in refs {
            let document = files[ref.file].documents[ref.document]
            switch document.body {
            case .workload:
                if let name = document.metadata.name { named.append((name.value, name.location)) }
                workloadRefs.append(ref)
            case .maintenance(let selectors):
                if let name = document.metadata.name { named.append((name.value, name.location)) }
                var problems: [ManifestError] = []
                for rule in Rules.maintenance { rule.check(document, into: &problems) }
                errors.append(contentsOf: problems)
                if problems.isEmpty, document.failedPaths.isEmpty, let name = document.metadata.name {
                    maintenance.append(Maintenance(
                        metadata: Self.metadata(document.metadata, name: name.value),
                        decommission: selectors.map(\.value), source: document.location))
                }
            case .defaults, .unknown:
                break
            }
        }
        checkUniqueNames(named)

        let results = resolve(workloadRefs)
        var byName: [String: Workload] = [:]
        byName.reserveCapacity(results.count)
        for (workload, problems) in results {
            errors.append(contentsOf: problems)
            if let workload, byName[workload.name] == nil { byName[workload.name] = workload }
        }
        maintenance.sort { $0.name < $1.name }
        let sorted = Array(Set(errors)).sorted()
        return ManifestSet(workloads: byName, maintenance: maintenance, errors: sorted, documentCount: refs.count)
    }

    // MARK: Defaults

    private mutating func collectDefaults(_ refs: [Ref]) {
        for ref in refs {
            let document = files[ref.file].documents[ref.document]
            guard case .defaults = document.body else { continue }
            let spec = document.spec
            if let first = defaultsByFolder[ref.folder] {
                let place = ref.folder.isEmpty ? "the repository root" : "folder '\(ref.folder)'"
                errors.add(document.location, "kind", "a second Defaults document in \(place); the first is at \(first.location)")
                continue
            }
            defaultsByFolder[ref.folder] = (spec, document.location)
            defaultsRefByFolder[ref.folder] = ref
        }
    }

    /// The Defaults documents that govern `folder`, nearest first, and their identities.
    private mutating func defaultsSignature(_ folder: String) -> (ids: [ObjectIdentifier], documents: [ParsedDocument]) {
        if let cached = signatureByFolder[folder] { return cached }
        var signature: (ids: [ObjectIdentifier], documents: [ParsedDocument]) = ([], [])
        if let ref = defaultsRefByFolder[folder] {
            let document = self.document(ref)
            signature = ([ObjectIdentifier(document)], [document])
        }
        if !folder.isEmpty {
            let outer = defaultsSignature(Self.folder(of: folder))
            signature.ids += outer.ids
            signature.documents += outer.documents
        }
        signatureByFolder[folder] = signature
        return signature
    }

    /// Resolves the workload documents (through the memo when there is one), in parallel.
    private mutating func resolve(_ refs: [Ref]) -> [(Workload?, [ManifestError])] {
        var specs: [PartialSpec] = []
        specs.reserveCapacity(folders.count)
        for folder in folders { specs.append(inherited(in: folder)) }
        let inherited = specs
        let files = self.files
        guard let memo else {
            return concurrentMap(refs, minimumCount: 256) { ref in
                Self.workload(files[ref.file].documents[ref.document], inherited: inherited[ref.folderIndex])
            }
        }
        var signatures: [(ids: [ObjectIdentifier], documents: [ParsedDocument])] = []
        signatures.reserveCapacity(folders.count)
        for folder in folders { signatures.append(defaultsSignature(folder)) }
        var memoKeys: [AssemblyMemo.Key] = []
        var governing: [[ParsedDocument]] = []
        memoKeys.reserveCapacity(refs.count)
        governing.reserveCapacity(refs.count)
        for ref in refs {
            let signature = signatures[ref.folderIndex]
            memoKeys.append(AssemblyMemo.Key(document: ObjectIdentifier(document(ref)), defaults: signature.ids))
            governing.append(signature.documents)
        }
        let governingDocuments = governing
        var results = memo.lookup(memoKeys)
        let missing = results.indices.filter { results[$0] == nil }
        let resolved = concurrentMap(missing, minimumCount: 256) { i in
            let ref = refs[i]
            let document = files[ref.file].documents[ref.document]
            let (workload, problems) = Self.workload(document, inherited: inherited[ref.folderIndex])
            return AssemblyMemo.Entry(workload: workload, problems: problems, document: document, defaults: governingDocuments[i])
        }
        for (i, entry) in zip(missing, resolved) { results[i] = entry }
        var used: [AssemblyMemo.Key: AssemblyMemo.Entry] = [:]
        used.reserveCapacity(refs.count)
        for (key, entry) in zip(memoKeys, results) { used[key] = entry! }
        memo.record(used)
        return results.map { ($0!.workload, $0!.problems) }
    }

    /// The Defaults that apply in `folder`: every ancestor's, nearer laid over farther.
    private mutating func inherited(in folder: String) -> PartialSpec {
        if let cached = inheritedByFolder[folder] { return cached }
        var result: PartialSpec
        if folder.isEmpty {
            result = defaultsByFolder[""]?.spec ?? PartialSpec()
        } else {
            result = inherited(in: Self.folder(of: folder))
            if let own = defaultsByFolder[folder]?.spec { result = own.merged(over: result) }
        }
        inheritedByFolder[folder] = result
        return result
    }

    // MARK: Workloads

    /// Resolves one workload document: fit, rules, defaults, hashes. Pure, so it runs concurrently.
    private static func workload(_ document: ParsedDocument, inherited: PartialSpec) -> (Workload?, [ManifestError]) {
        guard case .workload(let kind) = document.body else { return (nil, []) }
        var problems: [ManifestError] = []
        for misfit in document.spec.misfits(for: kind) {
            problems.add(misfit.location, misfit.path, misfit.message)
        }
        let spec = document.spec.merged(over: inherited).restricted(to: kind)
        let draft = WorkloadDraft(kind: kind, document: document, spec: spec)
        for rule in Rules.workload { rule.check(draft, into: &problems) }
        guard problems.isEmpty, document.failedPaths.isEmpty, let name = document.metadata.name?.value else {
            return (nil, problems)
        }
        let workload = Workload(
            kind: kind, metadata: metadata(document.metadata, name: name), spec: spec.resolved(for: kind),
            source: document.location)
        return (workload, [])
    }

    private static func metadata(_ partial: PartialMetadata, name: String) -> Metadata {
        Metadata(name: name, owners: partial.owners?.value ?? [], labels: partial.labels?.mapValues(\.value) ?? [:])
    }

    private mutating func checkUniqueNames(_ named: [(name: String, location: SourceLocation)]) {
        var first: [String: SourceLocation] = [:]
        first.reserveCapacity(named.count)
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

    /// `path` up to its last `/` (empty for a file at the root).
    static func folder(of path: String) -> String {
        var path = path
        let end = path.withUTF8 { bytes in bytes.lastIndex(of: UInt8(ascii: "/")) ?? 0 }
        return String(Substring(path.utf8.prefix(end)))
    }

    /// Whether `folder(of: path) == folder`, byte-wise, without building the folder.
    static func isFile(_ path: String, in folder: String) -> Bool {
        var path = path, folder = folder
        return path.withUTF8 { p in
            folder.withUTF8 { f in
                guard p.count > f.count, p.lastIndex(of: UInt8(ascii: "/")) ?? 0 == f.count else { return false }
                return f.isEmpty || memcmp(p.baseAddress!, f.baseAddress!, f.count) == 0
            }
        }
    }
}

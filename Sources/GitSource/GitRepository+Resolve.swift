import CGit2

extension GitRepository {
    /// Resolves a branch, tag (annotated or lightweight, peeled), full or abbreviated sha, `HEAD`,
    /// a full ref name (`refs/...`) or a revision expression (`main~2`) to a commit.
    ///
    /// Names are tried in this order: `refs/heads/<name>`, `refs/remotes/origin/<name>` (how a
    /// cache stores the remote's branches), `refs/tags/<name>`, `refs/remotes/<name>` (so
    /// `origin/main` works), then a sha of at least 4 hex digits, then git's revision syntax.
    public func resolve(_ ref: String) throws(GitSourceError) -> CommitID {
        let name = ref.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .unknownRef(ref, suggestions: []) }
        return try withHandles { repo, _ throws(GitSourceError) in
            for candidate in Self.candidateRefs(for: name, origin: origin) {
                if let id = try Self.peeledCommit(ofReference: candidate, requested: name, repo: repo) {
                    return id
                }
            }
            if name.utf8.count >= 4, name.utf8.count <= 40, ObjectHex.isHex(name) {
                if let id = try Self.commit(forShaPrefix: name, repo: repo) { return id }
            }
            if let id = try Self.revparse(name, repo: repo) { return id }
            throw .unknownRef(name, suggestions: Self.suggestions(for: name, repo: repo))
        }
    }

    static func candidateRefs(for name: String, origin: Origin) -> [String] {
        if name == "HEAD" {
            if case .cache = origin { return ["refs/remotes/origin/HEAD", "HEAD"] }
            return ["HEAD"]
        }
        if name.hasPrefix("refs/") { return [name] }
        return ["refs/heads/\(name)", "refs/remotes/origin/\(name)", "refs/tags/\(name)", "refs/remotes/\(name)"]
    }

    /// nil when the reference does not exist; throws when it exists but is not a commit.
    private static func peeledCommit(ofReference refName: String, requested: String, repo: OpaquePointer) throws(GitSourceError) -> CommitID? {
        var reference: OpaquePointer?
        let code = git_reference_lookup(&reference, repo, refName)
        guard code == 0, let reference else {
            if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
            throw LibGit2.error("reading ref \(refName)", code: code)
        }
        defer { git_reference_free(reference) }
        var object: OpaquePointer?
        let peel = git_reference_peel(&object, reference, GIT_OBJECT_COMMIT)
        guard peel == 0, let object else {
            // A symbolic ref to a missing branch (an unborn HEAD) is the same as no ref at all.
            if peel == GIT_ENOTFOUND.rawValue || peel == GIT_EUNBORNBRANCH.rawValue { return nil }
            if peel == GIT_EPEEL.rawValue || peel == GIT_EINVALIDSPEC.rawValue { throw .notACommit(ref: requested) }
            throw LibGit2.error("resolving \(refName)", code: peel)
        }
        defer { git_object_free(object) }
        return CommitID(oid: git_object_id(object).pointee)
    }

    private static func commit(forShaPrefix hex: String, repo: OpaquePointer) throws(GitSourceError) -> CommitID? {
        var oid = git_oid()
        guard hex.withCString({ git_oid_fromstrn(&oid, $0, hex.utf8.count) }) == 0 else { return nil }
        var object: OpaquePointer?
        let code = git_object_lookup_prefix(&object, repo, &oid, hex.utf8.count, GIT_OBJECT_ANY)
        guard code == 0, let object else {
            if code == GIT_EAMBIGUOUS.rawValue { throw .ambiguousRef(hex) }
            return nil
        }
        defer { git_object_free(object) }
        return try peelToCommit(object, requested: hex)
    }

    private static func revparse(_ spec: String, repo: OpaquePointer) throws(GitSourceError) -> CommitID? {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, repo, spec)
        guard code == 0, let object else {
            if code == GIT_EAMBIGUOUS.rawValue { throw .ambiguousRef(spec) }
            return nil
        }
        defer { git_object_free(object) }
        return try peelToCommit(object, requested: spec)
    }

    private static func peelToCommit(_ object: OpaquePointer, requested: String) throws(GitSourceError) -> CommitID {
        var commit: OpaquePointer?
        let code = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        guard code == 0, let commit else { throw .notACommit(ref: requested) }
        defer { git_object_free(commit) }
        return CommitID(oid: git_object_id(commit).pointee)
    }

    /// Up to three branch or tag names close to `name` (edit distance, or containing it).
    static func suggestions(for name: String, repo: OpaquePointer) -> [String] {
        var iterator: OpaquePointer?
        guard git_reference_iterator_new(&iterator, repo) == 0, let iterator else { return [] }
        defer { git_reference_iterator_free(iterator) }
        var names = Set<String>()
        var namePointer: UnsafePointer<CChar>?
        var seen = 0
        while seen < 20_000, git_reference_next_name(&namePointer, iterator) == 0, let namePointer {
            seen += 1
            let full = String(cString: namePointer)
            for prefix in ["refs/heads/", "refs/remotes/origin/", "refs/tags/", "refs/remotes/"] where full.hasPrefix(prefix) {
                let short = String(full.dropFirst(prefix.count))
                if short != "HEAD" { names.insert(short) }
                break
            }
        }
        let lowered = name.lowercased()
        let limit = max(2, lowered.count / 3)
        let scored: [(String, Int)] = names.compactMap { candidate in
            let c = candidate.lowercased()
            let distance = EditDistance.between(lowered, c, limit: limit + 1)
            if distance <= limit { return (candidate, distance) }
            if lowered.count >= 3, c.contains(lowered) || lowered.contains(c) && c.count >= 3 { return (candidate, limit + 1) }
            return nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }
}

enum EditDistance {
    /// Levenshtein distance, giving up (returning `limit`) once it exceeds `limit`.
    static func between(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if abs(a.count - b.count) >= limit { return limit }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMin = current[0]
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin >= limit { return limit }
            swap(&previous, &current)
        }
        return min(previous[b.count], limit)
    }
}

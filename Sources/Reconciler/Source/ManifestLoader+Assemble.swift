import Manifests

extension ManifestLoader {
    /// Assembles parsed files into a revision: Defaults, validation, then (on first use) the
    /// planner's view. Source problems (unreadable, oversize, escaping symlinks) join the manifest
    /// errors. Workloads whose parsed document (from the cache) and governing Defaults did not
    /// change since an earlier load are reused, not resolved again.
    func assemble(_ files: [ParsedFile], extraProblems: [ManifestError], parsedFiles: Int) -> LoadedRevision {
        let set = cache.retains ? Manifests.assemble(files, memo: cache.assemblies) : Manifests.assemble(files)
        let problems = extraProblems.isEmpty ? set.errors : (set.errors + extraProblems).sorted()
        return LoadedRevision(
            commit: nil, manifestCount: set.documentCount, problems: problems,
            parsedFiles: parsedFiles, manifests: problems.isEmpty ? set : nil)
    }
}

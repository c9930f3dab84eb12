import Manifests

extension ManifestLoader {
    /// Assembles parsed files into a revision: Defaults, validation, hashes, then the planner's view.
    /// Source problems (unreadable, oversize, escaping symlinks) join the manifest errors.
    /// `fileKeys[i]` identifies the contents of `files[i]`: workloads whose file and governing
    /// Defaults did not change since an earlier load are reused, not resolved again.
    func assemble(_ files: [ParsedFile], fileKeys: [String], extraProblems: [ManifestError], parsedFiles: Int) -> LoadedRevision {
        let set = Manifests.assemble(files, fileKeys: fileKeys, memo: cache.assemblies)
        let problems = (set.errors + extraProblems).sorted()
        var view: ClusterView?
        if problems.isEmpty {
            view = ClusterView(
                workloads: set.workloads.values.map(WorkloadState.init),
                maintenance: Set(set.decommission.map(MaintenanceSelector.init)))
        }
        return LoadedRevision(
            commit: nil, manifestCount: set.documentCount, problems: problems, view: view,
            parsedFiles: parsedFiles, manifests: problems.isEmpty ? set : nil)
    }
}

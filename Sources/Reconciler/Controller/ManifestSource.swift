import Crypto
import Foundation
import GitSource
import Manifests

/// Where the desired state comes from: a git repository pinned to a branch, tag or sha, or a plain folder
/// read as it is on disk (`converge dev` on a folder that is not a repository).
public enum ManifestSource: Sendable, Hashable {
    /// `repository` is a local path or a remote URL (cloned and fetched into `cacheDirectory`).
    case git(repository: String, ref: String, path: String?, cacheDirectory: String)
    case folder(String, path: String?)

    public var description: SourceDescription {
        switch self {
        case .git(let repository, let ref, let path, _):
            SourceDescription(repository: RemoteSpec(url: repository).displayURL, ref: ref, path: path)
        case .folder(let folder, let path):
            SourceDescription(repository: folder, ref: nil, path: path)
        }
    }
}

/// One read of the source: the revision and its manifests (valid or not).
public struct SourceRead: Sendable {
    /// The commit sha, or for a folder `tree-` and a digest of what it holds.
    public var revision: String
    public var loaded: LoadedRevision
}

/// Reads a `ManifestSource`, re-parsing only files whose blobs changed since the last read.
public struct SourceReader: Sendable {
    public let source: ManifestSource
    let loader = ManifestLoader()

    public init(source: ManifestSource) {
        self.source = source
    }

    /// Fetches (remotes), resolves the ref and loads the manifests. Blocking: call off the actor.
    public func read() throws -> SourceRead {
        switch source {
        case .git(let repository, let ref, let path, let cacheDirectory):
            let repo = try RepositorySource.open(repository, cacheDirectory: cacheDirectory)
            let loaded = try loader.load(repository: repo, ref: ref, path: path)
            return SourceRead(revision: loaded.commit ?? "", loaded: loaded)
        case .folder(let folder, let path):
            let loaded = try loader.loadDirectory(folder, path: path)
            return SourceRead(revision: Self.folderRevision(loaded), loaded: loaded)
        }
    }

    /// A revision read before (the last good one after a restart), without fetching: the local
    /// repository or the clone cache.
    public func read(revision: String) throws -> SourceRead {
        guard case .git(let repository, _, let path, let cacheDirectory) = source else { return try read() }
        let repo = RepositorySource.isRemote(repository)
            ? try GitRepository.openCached(remote: RemoteSpec(url: repository), cache: URL(fileURLWithPath: cacheDirectory))
            : try GitRepository.open(path: repository)
        let loaded = try loader.load(repository: repo, ref: revision, path: path)
        return SourceRead(revision: loaded.commit ?? revision, loaded: loaded)
    }

    /// Only resolves the ref (cheap): lets a fast poll skip loading an unchanged commit. Nil for folders
    /// and remotes (a remote must be fetched to know).
    public func peekRevision() -> String? {
        guard case .git(let repository, let ref, _, _) = source, !RepositorySource.isRemote(repository) else { return nil }
        return try? GitRepository.open(path: repository).resolve(ref).hex
    }

    /// A digest of what a folder holds that matters to the cluster: every workload's hashes and
    /// instances, the Maintenance selectors, or the problems when invalid.
    static func folderRevision(_ loaded: LoadedRevision) -> String {
        var hasher = SHA256()
        if let manifests = loaded.manifests {
            for name in manifests.workloads.keys.sorted() {
                let workload = manifests.workloads[name]!
                hasher.update(data: Data("\(name)\t\(workload.templateHash)\t\(workload.requestHash)\t\(workload.spec.instances)\n".utf8))
            }
            for selector in manifests.decommission { hasher.update(data: Data("\(selector)\n".utf8)) }
        } else {
            for problem in loaded.problems { hasher.update(data: Data("\(problem)\n".utf8)) }
        }
        return "tree-" + hasher.finalize().map { String(format: "%02x", $0) }.joined().prefix(12)
    }
}

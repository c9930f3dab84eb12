import Foundation
import GitSource

/// Opens the repository a command names: a local path as is, a URL through the clone cache.
public enum RepositorySource {
    /// True for `scheme://...` and scp-like `user@host:path` remotes.
    public static func isRemote(_ pathOrURL: String) -> Bool {
        if pathOrURL.contains("://") { return true }
        // `git@github.com:org/repo.git`: a colon before any slash, and an `@` before the colon.
        if let colon = pathOrURL.firstIndex(of: ":"), let at = pathOrURL.firstIndex(of: "@"), at < colon,
           !pathOrURL[..<colon].contains("/") {
            return true
        }
        return false
    }

    /// A local repository (its work tree root, its .git folder or a bare repository), or a remote
    /// cloned or fetched into `cacheDirectory`.
    public static func open(_ pathOrURL: String, cacheDirectory: String) throws -> GitRepository {
        if isRemote(pathOrURL) {
            return try GitRepository.cloneOrFetchBlocking(
                remote: RemoteSpec(url: pathOrURL), cache: URL(fileURLWithPath: cacheDirectory))
        }
        return try GitRepository.open(path: pathOrURL)
    }
}

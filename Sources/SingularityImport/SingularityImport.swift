import Foundation
import Manifests
#if canImport(Glibc)
import Glibc
#endif

/// Turns Singularity requests into a folder of Converge manifests and a report.
public enum SingularityImport {
    public enum PathPer: String, Sendable, CaseIterable {
        /// `<first owner>/<name>.yaml`
        case owner
        /// `<name>.yaml`
        case none
    }

    public struct Options: Sendable {
        public var pathPer: PathPer
        /// Import the others when some requests have no active deploy (they go in the report).
        public var skipUndeployed: Bool

        public init(pathPer: PathPer = .owner, skipUndeployed: Bool = false) {
            self.pathPer = pathPer
            self.skipUndeployed = skipUndeployed
        }
    }

    /// The files to write (paths relative to the output folder) and the report.
    public struct Output: Sendable {
        public var files: [ManifestFile]
        public var report: ImportReport
    }

    static let reportFile = "IMPORT-REPORT.md"

    /// Maps every request; a pure function of its input. Throws when requests lack a deploy (unless
    /// `skipUndeployed`) or when the result would not validate.
    public static func convert(_ parents: [SingularityRequestParent], source: String, options: Options) throws(ImportError) -> Output {
        let undeployed = parents.filter { $0.activeDeploy == nil && !["DELETING", "DELETED"].contains($0.state?.uppercased() ?? "") }
        if !undeployed.isEmpty, !options.skipUndeployed {
            throw .missingDeploys(undeployed.map(\.request.id).sorted())
        }
        let sorted = parents.sorted { $0.request.id < $1.request.id }
        let names = Naming.assign(sorted.map(\.request.id))
        var files: [ManifestFile] = []
        var entries: [ImportReport.Entry] = []
        for parent in sorted {
            let id = parent.request.id
            let name = names[id]!
            let mapped = RequestMapping.map(parent, name: name)
            var path: String?
            if let manifest = mapped.manifest {
                let folder = options.pathPer == .owner ? Naming.folder(forOwner: parent.request.owners?.first) + "/" : ""
                let file = folder + name + ".yaml"
                let header = "# Imported from Singularity request \(YAMLEmitter.scalar(id))"
                    + (parent.activeDeploy?.id.map { ", deploy \(YAMLEmitter.scalar($0))" } ?? "") + "\n"
                files.append(ManifestFile(path: file, contents: Array((header + YAMLEmitter.document(manifest)).utf8)))
                path = file
            }
            entries.append(ImportReport.Entry(
                requestId: id, requestType: parent.request.requestType ?? mapped.kind, name: name, path: path,
                skipped: mapped.skipped, notes: mapped.notes))
        }
        let set = loadManifests(files)
        if !set.errors.isEmpty {
            throw .invalidOutput(set.errors.sorted().map(\.description))
        }
        return Output(files: files, report: ImportReport(source: source, entries: entries))
    }

    /// Fails unless `directory` is absent or an empty folder (so an import never mixes with, or
    /// half-overwrites, earlier files).
    public static func checkOutputFolder(_ directory: String) throws(ImportError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw .output("--out \(directory) exists and is not a folder") }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        if !contents.isEmpty { throw .output("--out \(directory) exists and is not empty; give a new or empty folder") }
    }

    /// Writes the files and the report into a temp folder beside `directory`, then renames it into
    /// place: `directory` gets all of it or nothing.
    public static func write(_ output: Output, to directory: String) throws(ImportError) {
        try checkOutputFolder(directory)
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).import-\(UUID().uuidString.prefix(8))").path
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try makeDirectory(staging)
            let folders = Set(output.files.compactMap { file in file.path.split(separator: "/").dropLast().first.map(String.init) })
            for folder in folders.sorted() { try makeDirectory(staging + "/" + folder) }
            for file in output.files { try writeFile(staging + "/" + file.path, file.contents) }
            try writeFile(staging + "/" + reportFile, Array(output.report.markdown.utf8))
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }  // empty, checked above
            guard rename(staging, target.path) == 0 else {
                throw ImportError.output("cannot move the import into \(directory): \(String(cString: strerror(errno)))")
            }
        } catch let error as ImportError {
            try? fm.removeItem(atPath: staging)
            throw error
        } catch {
            try? fm.removeItem(atPath: staging)
            throw .output("cannot write the import to \(directory): \(error.localizedDescription)")
        }
    }

    private static func makeDirectory(_ path: String) throws(ImportError) {
        guard mkdir(path, 0o755) == 0 else {
            throw .output("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// A new file with `bytes` (plain POSIX calls: Foundation's file writing costs milliseconds per file).
    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws(ImportError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .output("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .output("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}

import CGit2

extension GitRepository {
    /// The default cap on one blob read: 1 MiB.
    public static let defaultMaxBlobSize = 1 << 20

    /// The bytes of a blob. Throws `.blobTooLarge` (after reading only the object's header) when it is
    /// bigger than `maxSize`.
    public func blob(_ id: BlobID, maxSize: Int = GitRepository.defaultMaxBlobSize) throws(GitSourceError) -> [UInt8] {
        try withHandles { _, odb throws(GitSourceError) in
            try Self.readBlob(id, maxSize: maxSize, odb: odb)
        }
    }

    /// The bytes of an entry from `entries`. When its size is known, a blob over `maxSize` costs no
    /// object read at all and a small one a single read. Throws `.unreadableEntry` for an entry with
    /// a problem (or a submodule).
    public func read(_ entry: TreeEntry, maxSize: Int = GitRepository.defaultMaxBlobSize) throws(GitSourceError) -> [UInt8] {
        guard case .blob(let id, let size) = entry.content else {
            throw .unreadableEntry(path: entry.path, reason: entry.problem?.description ?? "a submodule has no content in this repository")
        }
        if let size, size > maxSize { throw .blobTooLarge(id, size: size, limit: maxSize) }
        return try withHandles { _, odb throws(GitSourceError) in
            try Self.readBlob(id, maxSize: maxSize, odb: odb, knownSize: size != nil)
        }
    }

    /// Reads many blobs under one lock acquisition; each result is the blob's bytes or its error.
    /// `sizesChecked`: every id's size is already known to be within `maxSize` (from `entries`), so
    /// no object header is read first.
    public func blobs(
        _ ids: [BlobID], maxSize: Int = GitRepository.defaultMaxBlobSize, sizesChecked: Bool = false
    ) -> [BlobID: Result<[UInt8], GitSourceError>] {
        var results: [BlobID: Result<[UInt8], GitSourceError>] = [:]
        results.reserveCapacity(ids.count)
        lockedOdb { odb in
            for id in ids where results[id] == nil {
                do throws(GitSourceError) {
                    results[id] = .success(try Self.readBlob(id, maxSize: maxSize, odb: odb, knownSize: sizesChecked))
                } catch {
                    results[id] = .failure(error)
                }
            }
        }
        return results
    }

    private func lockedOdb(_ body: (OpaquePointer) -> Void) {
        // withHandles only throws what body throws; body here does not throw.
        try? withHandles { _, odb throws(GitSourceError) in body(odb) }
    }

    /// `knownSize`: the caller checked the size already (from the tree listing), so the object's
    /// header is not read separately.
    static func readBlob(_ id: BlobID, maxSize: Int, odb: OpaquePointer, knownSize: Bool = false) throws(GitSourceError) -> [UInt8] {
        var oid = id.oid
        if !knownSize {
            var size = 0
            var type = GIT_OBJECT_INVALID
            let header = git_odb_read_header(&size, &type, odb, &oid)
            guard header == 0 else {
                if header == GIT_ENOTFOUND.rawValue { throw .objectNotFound("blob \(id.hex)") }
                throw LibGit2.error("reading blob \(id.short)", code: header)
            }
            guard type == GIT_OBJECT_BLOB else { throw .objectNotFound("blob \(id.hex) (the object is not a blob)") }
            guard size <= maxSize else { throw .blobTooLarge(id, size: size, limit: maxSize) }
        }
        var object: OpaquePointer?
        let code = git_odb_read(&object, odb, &oid)
        guard code == 0, let object else {
            if code == GIT_ENOTFOUND.rawValue { throw .objectNotFound("blob \(id.hex)") }
            throw LibGit2.error("reading blob \(id.short)", code: code)
        }
        defer { git_odb_object_free(object) }
        guard git_odb_object_type(object) == GIT_OBJECT_BLOB else { throw .objectNotFound("blob \(id.hex) (the object is not a blob)") }
        let count = git_odb_object_size(object)
        guard count > 0, let data = git_odb_object_data(object) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: data, count: count))
    }
}

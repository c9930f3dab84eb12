import Dispatch

/// Decodes one file: checks it is UTF-8 text within the size limit, reads its YAML events, and decodes
/// each document. Never crashes; every problem becomes a `ManifestError` in the result.
public func parseManifestFile(_ file: ManifestFile) -> ParsedFile {
    func fileError(_ line: Int, _ column: Int, _ message: String) -> ParsedFile {
        ParsedFile(
            path: file.path,
            errors: [ManifestError(file: file.path, line: line, column: column, path: "", message: message)],
            documents: [])
    }
    switch TextCheck.check(file.contents) {
    case .tooLarge(let size)?:
        return fileError(1, 1, "file is \(size) bytes, over the limit of \(YAMLLimits.maxFileBytes) bytes (1 MiB)")
    case .binary(let line, let column)?:
        return fileError(line, column, "not a text file (contains a NUL byte)")
    case .invalidUTF8(let line, let column)?:
        return fileError(line, column, "invalid UTF-8 (manifests must be UTF-8 text)")
    case nil:
        break
    }
    let (stream, failure) = YAMLEventReader.read(file.contents)
    var decoder = NodeDecoder(stream: stream, file: file.path)
    var documents: [ParsedDocument] = []
    documents.reserveCapacity(stream.documents.count)
    for document in stream.documents {
        let location = SourceLocation(file: file.path, line: document.line, column: document.column)
        if let parsed = decoder.document(root: document.root, location: location) {
            documents.append(parsed)
        }
    }
    var errors = decoder.errors
    if let failure {
        errors.append(ManifestError(
            file: file.path, line: failure.line, column: failure.column, path: "", message: failure.message))
    }
    return ParsedFile(path: file.path, errors: errors, documents: documents)
}

/// Decodes many files, spread over all cores; results are in the order of `files`.
public func parseManifestFiles(_ files: [ManifestFile]) -> [ParsedFile] {
    if files.count < 64 { return files.map(parseManifestFile) }
    let slots = ResultSlots<ParsedFile>(count: files.count)
    let chunks = min(files.count, 64)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        var i = chunk
        while i < files.count {
            slots.store(parseManifestFile(files[i]), at: i)
            i += chunks
        }
    }
    return slots.take()
}

/// Write-once result slots for `concurrentPerform`.
///
/// `@unchecked Sendable` is safe because each index is written by exactly one iteration, and the
/// values are read only after `concurrentPerform` has returned (which orders all writes before it).
private final class ResultSlots<T>: @unchecked Sendable {
    private var storage: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    func store(_ value: T, at index: Int) { storage[index] = value }

    func take() -> [T] { storage.map { $0! } }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }
}

import Dispatch

/// Decodes one file: checks it is UTF-8 text within the size limit, reads its YAML events, decodes
/// each document and checks the rules that concern a document alone (`Rules.document`). Never
/// crashes; every problem becomes a `ManifestError` in the result.
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
        let location = SourceLocation(
            fileID: decoder.fileID, line: Int32(clamping: document.line), column: Int32(clamping: document.column))
        if let parsed = decoder.document(root: document.root, location: location) {
            documents.append(parsed)
        }
    }
    var errors = decoder.errors
    // Rules about a document alone run here, on the parsing thread, and are cached with the file.
    for document in documents {
        for rule in Rules.document { rule.check(document, into: &errors) }
    }
    if let failure {
        errors.append(ManifestError(
            file: file.path, line: failure.line, column: failure.column, path: "", message: failure.message))
    }
    return ParsedFile(path: file.path, errors: errors, documents: documents)
}

/// Decodes many files, spread over all cores; results are in the order of `files`.
public func parseManifestFiles(_ files: [ManifestFile]) -> [ParsedFile] {
    concurrentMap(files, minimumCount: 64, parseManifestFile)
}

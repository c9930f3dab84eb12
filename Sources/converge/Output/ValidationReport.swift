import Manifests

/// The outcome of `converge validate`, in the three formats it prints.
struct ValidationReport: Sendable {
    struct Problem: Sendable {
        var file: String
        var line: Int
        var column: Int
        /// The field path, e.g. `spec.resources.cpus`; empty when the problem is about the whole file.
        var path: String
        var message: String
    }

    /// Manifest documents found (workloads, Defaults and Maintenance).
    var manifests: Int
    var problems: [Problem]

    var isValid: Bool { problems.isEmpty }

    /// `services/web.yaml:12:5: spec.resources.cpus: expected a number, got "lots"` lines, then a summary.
    func text(style: Style) -> String {
        var out = ""
        for problem in problems {
            out += style.bold(Self.location(problem)) + ": " + style.red("error") + ": " + Self.message(problem) + "\n"
        }
        if isValid {
            out += style.green("OK: \(manifests) manifest\(manifests == 1 ? "" : "s") valid.") + "\n"
        } else {
            let files = Set(problems.map(\.file)).count
            out += style.red("\(problems.count) error\(problems.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s").") + "\n"
        }
        return out
    }

    /// `{"valid": bool, "manifests": N, "errors": [{"file","line","column","path","message"}]}`
    var json: JSONValue {
        .object([
            ("valid", .bool(isValid)),
            ("manifests", .int(manifests)),
            ("errors", .array(problems.map { problem in
                .object([
                    ("file", .string(problem.file)),
                    ("line", .int(problem.line)),
                    ("column", .int(problem.column)),
                    ("path", .string(problem.path)),
                    ("message", .string(problem.message)),
                ])
            })),
        ])
    }

    /// GitHub Actions workflow commands: `::error file=F,line=L,col=C::MESSAGE`.
    var github: String {
        var out = ""
        for problem in problems {
            out += "::error file=\(Self.property(problem.file)),line=\(problem.line),col=\(problem.column)::"
                + Self.data(Self.message(problem)) + "\n"
        }
        if isValid {
            out += "::notice::\(manifests) manifest\(manifests == 1 ? "" : "s") valid\n"
        }
        return out
    }

    static func location(_ problem: Problem) -> String {
        problem.line > 0 ? "\(problem.file):\(problem.line):\(problem.column)" : problem.file
    }

    static func message(_ problem: Problem) -> String {
        problem.path.isEmpty ? problem.message : "\(problem.path): \(problem.message)"
    }

    /// Escapes a workflow command's message (https://github.com/actions/toolkit, command.ts).
    static func data(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escapes a workflow command's property value.
    static func property(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension ValidationReport.Problem {
    init(_ error: ManifestError) {
        self.init(file: error.file, line: error.line, column: error.column, path: error.path, message: error.message)
    }
}

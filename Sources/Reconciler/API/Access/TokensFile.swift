import Foundation
import Manifests

/// The `--tokens-file`: named tokens stored as SHA-256 digests, each scoped to owners or admin.
///
/// ```yaml
/// tokens:
///   ci-web:
///     sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
///     owners: [team-web, team-search]
///   platform:
///     sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
///     admin: true
/// ```
public struct TokensFile: Sendable, Hashable {
    public var tokens: [APIToken]

    public struct Invalid: Error, CustomStringConvertible {
        /// Every problem, `FILE:LINE: field: message`, in file order.
        public var problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    /// Reads and parses the file at `path`.
    public static func load(_ path: String) throws -> TokensFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(problems: ["\(path): cannot read the tokens file"])
        }
        return try parse(Array(data), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws -> TokensFile {
        var problems: [String] = []
        func problem(_ line: Int, _ field: String, _ message: String) {
            problems.append("\(file):\(line): \(field.isEmpty ? "" : "\(field): ")\(message)")
        }
        let root: YAMLNode?
        do {
            root = try YAMLNode.parse(bytes)
        } catch let error as YAMLNode.ParseError {
            throw Invalid(problems: ["\(file):\(error.line): \(error.message)"])
        }
        guard case let .mapping(top, line)? = root else {
            throw Invalid(problems: ["\(file):\(root?.line ?? 1): the file must be a mapping with a 'tokens' key"])
        }
        for entry in top where entry.key != "tokens" {
            problem(entry.keyLine, entry.key, "unknown field (expected: tokens)")
        }
        guard let list = top.first(where: { $0.key == "tokens" }) else {
            problem(line, "tokens", "missing")
            throw Invalid(problems: problems)
        }
        guard case let .mapping(entries, _) = list.value else {
            problem(list.value.line, "tokens", "must map token names to {sha256, owners | admin}")
            throw Invalid(problems: problems)
        }
        var tokens: [APIToken] = []
        var digests: [[UInt8]: String] = [:]
        for entry in entries {
            let path = "tokens.\(entry.key)"
            if entry.key == Caller.legacyTokenName {
                problem(entry.keyLine, path, "the name '\(Caller.legacyTokenName)' is reserved for the --token-file token")
            }
            guard let token = parseToken(entry.key, entry.value, path: path, problem: problem) else { continue }
            if let other = digests[token.digest] {
                problem(entry.keyLine, "\(path).sha256", "the same token as '\(other)' (each token needs its own name and digest)")
                continue
            }
            digests[token.digest] = token.name
            tokens.append(token)
        }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        return TokensFile(tokens: tokens)
    }

    private static func parseToken(_ name: String, _ node: YAMLNode, path: String,
                                   problem: (Int, String, String) -> Void) -> APIToken? {
        guard case let .mapping(fields, line) = node else {
            problem(node.line, path, "must be a mapping with sha256 and owners or admin")
            return nil
        }
        var digest: [UInt8]?
        var owners: Set<String>?
        var admin = false
        var ok = true
        for field in fields {
            let fieldPath = "\(path).\(field.key)"
            switch field.key {
            case "sha256":
                guard case let .scalar(text, _, _) = field.value, text.utf8.count == 64, let bytes = Hex.decode(text) else {
                    problem(field.value.line, fieldPath, "must be 64 hex digits (the SHA-256 of the token: converge token hash)")
                    ok = false
                    continue
                }
                digest = bytes
            case "owners":
                guard case let .sequence(items, _) = field.value else {
                    problem(field.value.line, fieldPath, "must be a list of owners, e.g. [team-web]")
                    ok = false
                    continue
                }
                var names: Set<String> = []
                for item in items {
                    guard case let .scalar(text, _, _) = item, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                        problem(item.line, fieldPath, "each owner must be a non-empty name")
                        ok = false
                        continue
                    }
                    names.insert(text)
                }
                owners = names
            case "admin":
                guard case let .scalar(text, plain, _) = field.value, plain, text == "true" || text == "false" else {
                    problem(field.value.line, fieldPath, "must be true or false")
                    ok = false
                    continue
                }
                admin = text == "true"
            default:
                problem(field.keyLine, fieldPath, "unknown field (expected: sha256, owners, admin)")
                ok = false
            }
        }
        if digest == nil, !fields.contains(where: { $0.key == "sha256" }) {
            problem(line, "\(path).sha256", "missing (the SHA-256 of the token: converge token hash)")
            ok = false
        }
        if owners == nil, !admin, !fields.contains(where: { $0.key == "owners" }) {
            problem(line, path, "needs owners: [...] or admin: true")
            ok = false
        } else if let owners, owners.isEmpty, !admin {
            problem(line, "\(path).owners", "is empty: the token could change nothing (name owners, or set admin: true)")
            ok = false
        }
        guard ok, let digest else { return nil }
        return APIToken(name: name, digest: digest, owners: owners ?? [], admin: admin)
    }
}

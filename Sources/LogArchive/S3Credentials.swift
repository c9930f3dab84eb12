import Foundation

/// AWS credentials, read on the machine that uses them (never from a TaskInfo or a label).
public struct S3Credentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Shows the key id only.
    public var description: String { "\(accessKeyID):<secret>" }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// A credentials file when one is named (`file`, else `AWS_SHARED_CREDENTIALS_FILE`), else the environment
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), else `~/.aws/credentials`.
    /// The profile is `profile`, else `AWS_PROFILE`, else `default`.
    public static func load(file: String? = nil, profile: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> S3Credentials {
        let profile = profile ?? environment["AWS_PROFILE"] ?? "default"
        if let path = file ?? environment["AWS_SHARED_CREDENTIALS_FILE"] {
            return try fromFile(path, profile: profile)
        }
        if let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
                throw Missing(description: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
        }
        if let home = environment["HOME"], FileManager.default.fileExists(atPath: home + "/.aws/credentials") {
            return try fromFile(home + "/.aws/credentials", profile: profile)
        }
        throw Missing(description: "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a credentials file")
    }

    /// The AWS ini format: `[profile]` sections of `key = value` lines, `#`/`;` comments.
    public static func fromFile(_ path: String, profile: String = "default") throws -> S3Credentials {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Missing(description: "cannot read the AWS credentials file \(path)")
        }
        var section: String?
        var values: [String: String] = [:]
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw Missing(description: "\(path):\(index + 1): unclosed section header") }
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                continue
            }
            guard section == profile || section == "profile \(profile)" else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw Missing(description: "\(path):\(index + 1): expected key = value")
            }
            values[line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        guard let id = values["aws_access_key_id"], !id.isEmpty else {
            throw Missing(description: "\(path): profile [\(profile)] has no aws_access_key_id")
        }
        guard let secret = values["aws_secret_access_key"], !secret.isEmpty else {
            throw Missing(description: "\(path): profile [\(profile)] has no aws_secret_access_key")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
    }
}

import Foundation

/// Where archived logs go: `s3://BUCKET/PREFIX`, with keys `PREFIX/{service}/{yyyy-mm-dd}/{taskId}/{file}`.
public struct ArchiveLocation: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// No leading or trailing slash; may be empty.
    public var prefix: String

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(bucket: String, prefix: String = "") {
        self.bucket = bucket
        self.prefix = prefix.split(separator: "/").joined(separator: "/")
    }

    /// Parses `s3://bucket/some/prefix`.
    public init(parsing text: String) throws {
        guard text.hasPrefix("s3://") else {
            throw ParseError(description: "invalid log archive \"\(text)\": expected s3://BUCKET/PREFIX")
        }
        let rest = text.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard bucket.count >= 3, bucket.count <= 63,
              bucket.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }), bucket.allSatisfy(\.isASCII) else {
            throw ParseError(description: "invalid log archive \"\(text)\": the bucket name must be 3-63 lowercase letters, digits, '-' or '.'")
        }
        self.init(bucket: String(bucket), prefix: String(rest.dropFirst(bucket.count)))
    }

    public var description: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }

    /// The key of one archived piece; the date is the UTC day of `date`.
    public func key(service: String, date: Date, taskID: String, file: String) -> String {
        let day = Self.day(date)
        return ([prefix].filter { !$0.isEmpty } + [service, day, taskID, file]).joined(separator: "/")
    }

    /// The prefix every key of a service starts with (ends in `/`).
    public func servicePrefix(_ service: String) -> String {
        ([prefix].filter { !$0.isEmpty } + [service]).joined(separator: "/") + "/"
    }

    /// The parts of a key of this layout; nil for a key that does not follow it.
    public func parse(key: String) -> ArchivedPiece? {
        var rest = Substring(key)
        if !prefix.isEmpty {
            guard rest.hasPrefix(prefix + "/") else { return nil }
            rest = rest.dropFirst(prefix.count + 1)
        }
        let parts = rest.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, !parts.contains(where: \.isEmpty) else { return nil }
        return ArchivedPiece(key: key, service: parts[0], day: parts[1], taskID: parts[2], file: parts[3])
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

/// One archived log piece, as its key names it.
public struct ArchivedPiece: Sendable, Hashable {
    public var key: String
    public var service: String
    /// `yyyy-mm-dd` (UTC) of the upload.
    public var day: String
    public var taskID: String
    /// `stdout`, `stdout.000001.gz`, ...
    public var file: String

    /// The rotation sequence number of a piece the executor uploaded (`stdout.000003.gz` -> 3); nil for the final
    /// `stdout`/`stderr`, uploaded when the task ended. A task's pieces in order: by this number, the final last.
    public static func sequence(ofFile file: String) -> Int? {
        let parts = file.split(separator: ".")
        return parts.count > 1 ? Int(parts[1]) : nil
    }

    /// Orders one task's pieces of one stream oldest first (rotated pieces by sequence, the final file last).
    public static func oldestFirst(_ a: String, _ b: String) -> Bool {
        (sequence(ofFile: a) ?? .max) < (sequence(ofFile: b) ?? .max)
    }
}

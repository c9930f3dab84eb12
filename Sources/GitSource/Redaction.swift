/// Keeps credentials out of messages.
enum Redaction {
    /// `https://user:token@host/x` -> `https://host/x`. Leaves other text unchanged.
    static func redactURL(_ url: String) -> String {
        redactURLs(in: url)
    }

    /// Removes the userinfo of every `scheme://userinfo@host` occurrence in `text`.
    static func redactURLs(in text: String) -> String {
        guard text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            // The authority ends at the first '/', whitespace, quote or end of text.
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == " " || $0 == "'" || $0 == "\"" || $0 == "\n" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                rest = rest[rest.index(after: at)...]
            }
        }
        return result + rest
    }

    /// Also removes literal secret values (a token echoed back by a server, say).
    static func redact(_ text: String, secrets: [String]) -> String {
        var text = redactURLs(in: text)
        for secret in secrets where secret.count >= 4 {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

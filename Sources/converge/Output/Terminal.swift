#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ANSI styling, used only when stdout is a terminal and NO_COLOR is not set.
struct Style: Sendable {
    let enabled: Bool

    /// Colour when stdout is a terminal, unless NO_COLOR is set (https://no-color.org).
    static func forStandardOutput() -> Style {
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        return Style(enabled: isatty(STDOUT_FILENO) == 1 && noColor.isEmpty)
    }

    /// Colour when stderr is a terminal, unless NO_COLOR is set.
    static func forStandardError() -> Style {
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        return Style(enabled: isatty(STDERR_FILENO) == 1 && noColor.isEmpty)
    }

    func green(_ s: String) -> String { wrap(s, "32") }
    func yellow(_ s: String) -> String { wrap(s, "33") }
    func cyan(_ s: String) -> String { wrap(s, "36") }
    func red(_ s: String) -> String { wrap(s, "31") }
    func magenta(_ s: String) -> String { wrap(s, "35") }
    func bold(_ s: String) -> String { wrap(s, "1") }
    func dim(_ s: String) -> String { wrap(s, "2") }

    private func wrap(_ s: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}

/// Writes to standard output and standard error without buffering surprises between the two.
enum Console {
    static func out(_ s: String) {
        write(s, to: stdout)
    }

    static func err(_ s: String) {
        write(s, to: stderr)
    }

    private static func write(_ s: String, to stream: UnsafeMutablePointer<FILE>?) {
        fputs(s, stream)
        fflush(stream)
    }
}

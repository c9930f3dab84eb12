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

/// Writes to standard output and standard error, unbuffered (each call is one write).
enum Console {
    static func out(_ s: String) { write(s, to: STDOUT_FILENO) }

    static func err(_ s: String) { write(s, to: STDERR_FILENO) }

    /// Writes the chunks in order (a plan's output: megabytes, rendered in parallel chunks).
    static func out(_ output: OutputChunks) {
        for chunk in output.chunks {
            chunk.withBytes { write($0, to: STDOUT_FILENO) }
        }
    }

    private static func write(_ s: String, to fd: Int32) {
        var s = s
        // Straight from the string's storage (a plan can be megabytes): no copy.
        s.withUTF8 { write(UnsafeRawBufferPointer($0), to: fd) }
    }

    private static func write(_ all: UnsafeRawBufferPointer, to fd: Int32) {
        var bytes = all
        while !bytes.isEmpty {
            #if canImport(Glibc)
            let written = Glibc.write(fd, bytes.baseAddress, bytes.count)
            #else
            let written = Darwin.write(fd, bytes.baseAddress, bytes.count)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing sensible left to do
            }
            bytes = UnsafeRawBufferPointer(rebasing: bytes[written...])
        }
    }
}

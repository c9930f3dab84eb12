/// What a task runs: a string runs under `/bin/sh -c`, a list is exec'd without a shell.
public enum Command: Sendable, Hashable {
    case shell(String)
    case argv([String])
}

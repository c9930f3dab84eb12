#if canImport(Glibc)
import Glibc
#endif
import Executor
import Foundation
import Logging

// The agent opened the sandbox's `stdout` and `stderr` as this process's own; they belong to the task. The
// executor's own output goes to `converge-executor.log` in the sandbox.
let processEnvironment = ProcessInfo.processInfo.environment
let sandbox = processEnvironment["MESOS_DIRECTORY"] ?? FileManager.default.currentDirectoryPath
let logFD = open(sandbox + "/converge-executor.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
if logFD >= 0 {
    dup2(logFD, 1)
    dup2(logFD, 2)
    close(logFD)
}
signal(SIGPIPE, SIG_IGN)
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = processEnvironment["CONVERGE_EXECUTOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return handler
}
let logger = Logger(label: "converge-executor")

let environment: ExecutorEnvironment
do {
    environment = try ExecutorEnvironment(processEnvironment)
} catch {
    logger.critical("\(error)")
    exit(2)
}
let executor = ConvergeExecutor(environment: environment, processEnvironment: processEnvironment, logger: logger)
exit(executor.run())

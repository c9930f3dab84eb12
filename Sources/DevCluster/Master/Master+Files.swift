import Foundation
import Mesos

extension Master {
    /// The sandboxes an agent's files endpoints serve, as a real agent attaches them: each executor's run
    /// directory under its real path and under `/frameworks/FW/executors/EX/runs/latest`, for live and
    /// completed executors alike. `agentID` nil: every agent (the shared listener of virtual mode).
    func fileAttachments(agentID: AgentID?) -> FileAttachments {
        var records = tasks.values.filter { agentID == nil || $0.agentID == agentID }
        for framework in frameworks.values.map({ $0 }) + removedFrameworks.values.map({ $0 }) {
            records += framework.completedTasks.filter { agentID == nil || $0.agentID == agentID }
        }
        var paths: [String: String] = [:]
        for task in records {
            let real = FileAttachments.realPath(task.sandbox) ?? task.sandbox
            let executor = FileAttachments.executorID(inSandbox: task.sandbox) ?? task.key.taskID.value
            paths["/frameworks/\(task.key.frameworkID.value)/executors/\(executor)/runs/latest"] = real
            paths[real] = real
        }
        // Custom executors' runs, live and completed (their tasks share the executor's sandbox).
        for record in executors.values.map({ $0 }) + completedExecutors where agentID == nil || record.key.agentID == agentID {
            let real = FileAttachments.realPath(record.directory) ?? record.directory
            let runs = "/frameworks/\(record.key.frameworkID.value)/executors/\(record.key.executorID.value)/runs"
            paths["\(runs)/\(record.containerID)"] = real
            if executors[record.key] != nil || paths["\(runs)/latest"] == nil { paths["\(runs)/latest"] = real }
            paths[real] = real
        }
        return FileAttachments(paths: paths)
    }
}

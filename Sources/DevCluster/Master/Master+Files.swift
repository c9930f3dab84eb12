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
        return FileAttachments(paths: paths)
    }
}

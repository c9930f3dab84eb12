/// `command` is required unless a container image supplies the entrypoint; it must not be empty.
enum CommandRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        guard let command = draft.spec.command else {
            if draft.spec.container?.docker == nil && !draft.document.failed("spec.command") {
                errors.add(draft.document.location, "spec.command", "required field missing (or give spec.container)")
            }
            return
        }
        switch command.value {
        case .shell(let text) where text.allSatisfy(\.isWhitespace):
            errors.add(command.location, "spec.command", "must not be empty")
        case .argv(let argv) where argv.isEmpty || argv[0].isEmpty:
            errors.add(command.location, "spec.command", "the list must start with a program to run")
        default:
            break
        }
    }
}

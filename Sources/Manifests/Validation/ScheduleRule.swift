/// Scheduled requires `schedule`, a valid 5-field cron expression.
enum ScheduleRule: WorkloadRule {
    static func check(_ draft: WorkloadDraft, into errors: inout [ManifestError]) {
        guard draft.kind == .scheduled else { return }
        guard let schedule = draft.spec.schedule else {
            if draft.document.failed("spec.schedule") { return }
            errors.add(draft.document.location, "spec.schedule", "required field missing for Scheduled")
            return
        }
        do {
            _ = try CronExpression(parsing: schedule.value)
        } catch {
            errors.add(schedule.location, "spec.schedule", "invalid cron expression: \(error.message)")
        }
    }
}

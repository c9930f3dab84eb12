/// Notes collected while mapping one request.
struct MappingNotes {
    private(set) var notes: [ImportReport.Note] = []

    mutating func add(_ field: String, _ message: String) {
        notes.append(ImportReport.Note(field: field, message))
    }
}

/// Whole seconds from milliseconds, rounded up (a limit never gets shorter).
func secondsRoundingUp(millis: Int) -> Int {
    millis <= 0 ? 0 : (millis + 999) / 1000
}

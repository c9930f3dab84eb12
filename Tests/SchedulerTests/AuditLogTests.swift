import Foundation
import Testing
@testable import Scheduler

@Suite("Audit log in the state store")
struct AuditLogTests {
    @Test func entriesSurviveAReopenNewestFirstFilteredByService() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("converge-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        do {
            let store = try StateStore(directory: directory)
            let first = try store.appendAudit(AuditEntry(time: t0, actor: "ci-web", action: "scale", service: "web",
                                                         remoteAddress: "127.0.0.1:5000", status: 200, message: "scaled to 4"))
            #expect(first.id == 1)
            try store.appendAudit(AuditEntry(time: t0.addingTimeInterval(1), actor: "anonymous", action: "sync", service: nil,
                                             remoteAddress: "10.0.0.9:41000", status: 401, message: "unknown token"))
            try store.appendAudit(AuditEntry(time: t0.addingTimeInterval(2), actor: "ci-web", action: "pause", service: "queue",
                                             remoteAddress: "127.0.0.1:5001", status: 403, message: "changing queue needs ..."))
        }
        let reopened = try StateStore(directory: directory)
        let all = try reopened.auditEntries(service: nil, limit: 10)
        #expect(all.map(\.action) == ["pause", "sync", "scale"])
        #expect(all.last == AuditEntry(id: 1, time: t0, actor: "ci-web", action: "scale", service: "web",
                                       remoteAddress: "127.0.0.1:5000", status: 200, message: "scaled to 4"))
        #expect(try reopened.auditEntries(service: "web", limit: 10).map(\.id) == [1])
        #expect(try reopened.auditEntries(service: nil, limit: 2).map(\.id) == [3, 2])
        #expect(all.filter(\.allowed).map(\.id) == [1])
    }

    @Test func retentionKeepsTheNewestEntries() throws {
        let store = try StateStore.inMemory()
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let extra: Int64 = 25
        for index in 0..<(StateStore.auditRetention + extra) {
            try store.appendAudit(AuditEntry(time: t0.addingTimeInterval(Double(index)), actor: "a", action: "sync", service: nil,
                                             remoteAddress: "127.0.0.1:1", status: 200, message: "\(index)"))
        }
        let kept = try store.auditEntries(service: nil, limit: Int(StateStore.auditRetention) * 2)
        #expect(kept.count == Int(StateStore.auditRetention))
        #expect(kept.first?.id == StateStore.auditRetention + extra)
        #expect(kept.last?.id == extra + 1)
    }
}

import Foundation
import Scheduler
import Testing
@testable import Reconciler

/// The samples of a Prometheus text exposition: `name{labels}` -> value; fails on a malformed line.
private func samples(_ text: String) throws -> [String: Double] {
    var result: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.isEmpty {
        if line.hasPrefix("#") {
            #expect(line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP "), "\(line)")
            continue
        }
        let parts = line.split(separator: " ")
        try #require(parts.count == 2, "malformed sample: \(line)")
        let series = String(parts[0])
        let name = series.prefix { $0 != "{" }
        #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }, "\(line)")
        if series.contains("{") { #expect(series.hasSuffix("}"), "\(line)") }
        let text = String(parts[1])
        guard let value = Double(text) else { throw MetricsParseError(line: String(line)) }
        result[series] = value
    }
    return result
}

private struct MetricsParseError: Error {
    var line: String
}

@Suite(.serialized) struct MetricsTests {
    @Test func scrapeExposesStateAndSyncs() async throws {
        var services = APIFixtures.workloads.mapValues { APIFixtures.converged($0) }
        services["web"]!.launchGate = .cooldown(until: APIFixtures.epoch.addingTimeInterval(60), reason: "crash loop")
        services["web"]!.tasks.append(APIFixtures.task("web", 3, deploy: "old", state: .failed, healthy: false))
        let handle = RecordingHandle(APIFixtures.state(services: services))
        let metrics = ControllerMetrics()
        let record = SyncRecord(id: 1, revision: "abc", trigger: .poll, startedAt: APIFixtures.epoch,
                                finishedAt: APIFixtures.epoch.addingTimeInterval(0.3), outcome: .synced, message: "ok")
        metrics.recordSync(record, duration: .milliseconds(300))
        metrics.recordSync(record, duration: .milliseconds(30))
        metrics.recordSync(SyncRecord(id: 2, revision: "bad", trigger: .webhook, startedAt: APIFixtures.epoch, outcome: .rejected,
                                      message: "invalid"), duration: .milliseconds(20))
        try await withAPIServer(handle, metrics: metrics) { server, _ in
            let reply = try await TestHTTP.get(server.baseURL + "/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let values = try samples(reply.text)
            let expected: [String: Double] = [
                #"converge_syncs_total{outcome="synced"}"#: 2,
                #"converge_syncs_total{outcome="rejected"}"#: 1,
                "converge_sync_duration_seconds_count": 3,
                #"converge_sync_duration_seconds_bucket{le="0.025"}"#: 1,
                #"converge_sync_duration_seconds_bucket{le="0.05"}"#: 2,
                #"converge_sync_duration_seconds_bucket{le="+Inf"}"#: 3,
                #"converge_services_by_sync{status="Synced"}"#: 4,
                #"converge_services_by_sync{status="OutOfSync"}"#: 0,
                #"converge_services_by_health{status="Healthy"}"#: 3,
                #"converge_services_by_health{status="Degraded"}"#: 1,
                #"converge_services_by_health{status="Missing"}"#: 0,
                #"converge_tasks{state="running"}"#: 5,
                #"converge_tasks{state="failed"}"#: 1,
                #"converge_agents{state="decommissioned"}"#: 1,
                #"converge_deploys_total{outcome="succeeded"}"#: 4,
                #"converge_deploys_total{outcome="failed"}"#: 1,
                "converge_git_fetch_errors_total": 2,
                "converge_offers_received_total": 12,
                "converge_offers_declined_total": 7,
                "converge_ready": 1,
                "converge_framework_connected": 1,
            ]
            for (series, value) in expected {
                #expect(values[series] == value, "\(series): \(String(describing: values[series]))")
            }
            #expect(abs((values["converge_sync_duration_seconds_sum"] ?? 0) - 0.35) < 1e-6)

            // Totals kept by the core become counter increments: a second scrape does not count twice.
            handle.update { $0.core.counters.offersReceived = 20 }
            let again = try samples(try await TestHTTP.get(server.baseURL + "/metrics").text)
            #expect(again["converge_offers_received_total"] == 20)
            #expect(again["converge_deploys_total{outcome=\"succeeded\"}"] == 4)
            // A restarted core counts from zero again; the counter never goes down.
            handle.update { $0.core.counters.offersReceived = 3 }
            let afterRestart = try samples(try await TestHTTP.get(server.baseURL + "/metrics").text)
            #expect(afterRestart["converge_offers_received_total"] == 23)
        }
    }

    @Test func registriesAreIndependent() {
        let a = ControllerMetrics(), b = ControllerMetrics()
        a.recordSync(SyncRecord(id: 1, revision: nil, trigger: .start, startedAt: APIFixtures.epoch, outcome: .failed, message: "x"),
                     duration: .seconds(1))
        let state = APIFixtures.state()
        #expect(a.exposition(for: state, now: APIFixtures.epoch).contains("converge_syncs_total{outcome=\"failed\"} 1"))
        #expect(b.exposition(for: state, now: APIFixtures.epoch).contains("converge_syncs_total{outcome=\"failed\"} 0"))
    }
}

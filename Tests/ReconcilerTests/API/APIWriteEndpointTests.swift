import Foundation
import Scheduler
import Testing
@testable import Reconciler

@Suite(.serialized) struct APIWriteEndpointTests {
    @Test func writesNeedTheBearerToken() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle) { server, _ in
            let url = server.baseURL + "/api/v1/sync"
            let none = try await TestHTTP.post(url)
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer")
            #expect(try none.decode(ErrorDocument.self).error == "missing Authorization: Bearer <token>")
            let basic = try await TestHTTP.post(url, headers: ["Authorization": "Basic Zm9vOmJhcg=="])
            #expect(basic.status == 401)
            let wrong = try await TestHTTP.post(url, token: "s3cr3t-token-0123456788")
            #expect(wrong.status == 401)
            #expect(try wrong.decode(ErrorDocument.self).error == "unknown token")
            let short = try await TestHTTP.post(url, token: "s3cr3t")
            #expect(short.status == 401)
            #expect(handle.recorded.syncs.isEmpty)
            let good = try await TestHTTP.post(url, token: SecretsFolder.token)
            #expect(good.status == 200)
            let record = try good.decode(SyncRecordDocument.self)
            #expect(record.trigger == "api" && record.outcome == "synced" && record.id == 1)
            #expect(handle.recorded.syncs == [.api])
            // Unauthenticated callers learn nothing about service names.
            let probe = try await TestHTTP.post(server.baseURL + "/api/v1/services/nope/pause")
            #expect(probe.status == 401)
        }
    }

    @Test func withoutATokenFileWritesAreRefused() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle, tokens: false) { server, _ in
            let reply = try await TestHTTP.post(server.baseURL + "/api/v1/sync", token: SecretsFolder.token)
            #expect(reply.status == 403)
            #expect(try reply.decode(ErrorDocument.self).error.contains("no API token file"))
            let hook = try await TestHTTP.post(server.baseURL + "/hooks/git", json: "{}")
            #expect(hook.status == 403)
            #expect(handle.recorded.syncs.isEmpty)
        }
    }

    @Test func overrides() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        let now = APIFixtures.epoch.addingTimeInterval(10)
        try await withAPIServer(handle) { server, _ in
            let base = server.baseURL + "/api/v1/services"
            let token = SecretsFolder.token
            let scale = try await TestHTTP.post(base + "/web/scale", token: token, json: #"{"instances":40,"for":"2h","reason":"incident 7"}"#)
            #expect(scale.status == 200, "\(scale.text)")
            #expect(scale.text == """
                {"service":"web","kind":"scale","value":40,"reason":"incident 7","createdAt":"2026-09-21T14:13:30.000Z",\
                "expiresAt":"2026-09-21T16:13:30.000Z"}

                """)
            #expect(handle.recorded.overrides == [Override(service: "web", kind: .scale, value: 40, reason: "incident 7", createdAt: now,
                                                           expiresAt: now.addingTimeInterval(7_200))])

            let pause = try await TestHTTP.post(base + "/queue/pause", token: token)
            #expect(pause.status == 200)
            let bounce = try await TestHTTP.post(base + "/web/bounce", token: token, json: #"{"reason":"leak"}"#)
            #expect(bounce.status == 200)
            #expect(handle.recorded.overrides.dropFirst().map { "\($0.service) \($0.kind) \($0.reason) \(String(describing: $0.expiresAt))" } == [
                "queue pause pause through the API nil", "web bounce leak nil",
            ])
            let resume = try await TestHTTP.post(base + "/queue/resume", token: token)
            #expect(resume.status == 200)
            var delete = try await TestHTTP.send("DELETE", base + "/web/overrides/scale", headers: ["Authorization": "Bearer \(token)"])
            #expect(delete.status == 200)
            #expect(handle.recorded.removed.map { "\($0.0) \($0.1)" } == ["queue pause", "web scale"])
            delete = try await TestHTTP.send("DELETE", base + "/web/overrides/everything", headers: ["Authorization": "Bearer \(token)"])
            #expect(delete.status == 400)
            #expect(try delete.decode(ErrorDocument.self).error == "unknown override kind everything (one of scale, pause, bounce, skipHealthChecks)")

            // Bad input is refused with a clear message and changes nothing.
            let refusals: [(String, String, Int, String)] = [
                ("/web/scale", #"{"instances":-1}"#, 400, "\"instances\" must be between 0 and 10000"),
                ("/web/scale", #"{"instances":3,"for":"2 hours"}"#, 400, "\"for\": invalid duration \"2 hours\""),
                ("/web/scale", #"{"for":"2h"}"#, 400, "missing field \"instances\""),
                ("/web/scale", #"{"instances":"many"}"#, 400, "wrong type for \"instances\""),
                ("/web/scale", "not json", 400, "not valid JSON"),
                ("/nope/scale", #"{"instances":1}"#, 404, "no service named nope"),
                ("/web/trigger", "", 409, "web is not an OnDemand job"),
                ("/web/explode", "", 404, "no such endpoint"),
            ]
            for (path, body, status, message) in refusals {
                let reply = try await TestHTTP.post(base + path, token: token, json: body)
                #expect(reply.status == status, "\(path) \(body): \(reply.text)")
                #expect(try reply.decode(ErrorDocument.self).error.contains(message), "\(path) \(body): \(reply.text)")
            }
            #expect(handle.recorded.overrides.count == 3)

            let trigger = try await TestHTTP.post(base + "/report/trigger", token: token,
                                                  json: #"{"args":["--day","2026-09-20"],"env":{"API_TOKEN":"xyz"}}"#)
            #expect(trigger.status == 202)
            #expect(trigger.text == "{\"service\":\"report\",\"run\":\"report-run-1\"}\n")
            let call = try #require(handle.recorded.triggers.first)
            #expect(call.0 == "report" && call.1 == ["--day", "2026-09-20"] && call.2 == ["API_TOKEN": "xyz"])
        }
    }

    @Test func bodiesAreCapped() async throws {
        let handle = RecordingHandle(APIFixtures.state())
        try await withAPIServer(handle, maxBodyBytes: 1_024) { server, _ in
            let big = #"{"instances":1,"reason":""# + String(repeating: "x", count: 4_000) + #""}"#
            let reply = try await TestHTTP.post(server.baseURL + "/api/v1/services/web/scale", token: SecretsFolder.token, json: big)
            #expect(reply.status == 413)
            #expect(handle.recorded.overrides.isEmpty)
        }
    }
}

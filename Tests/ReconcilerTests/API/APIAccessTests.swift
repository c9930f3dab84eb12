import Foundation
import Logging
import Scheduler
import Testing
@testable import Reconciler

/// Owners' scopes and the audit log over real HTTP: the real API server, a tokens file on disk, the
/// real SQLite state store.
@Suite(.serialized) struct APIAccessTests {
    static let manifests = """
        apiVersion: converge/v1
        kind: Worker
        metadata: {name: web, owners: [team-web]}
        spec: {instances: 2, command: [sleep, "3600"]}
        ---
        apiVersion: converge/v1
        kind: Worker
        metadata: {name: queue, owners: [team-queue, sre]}
        spec: {instances: 1, command: [sleep, "3600"]}
        ---
        apiVersion: converge/v1
        kind: Worker
        metadata: {name: orphan}
        spec: {instances: 1, command: [sleep, "3600"]}
        ---
        apiVersion: converge/v1
        kind: OnDemand
        metadata: {name: report, owners: [team-web]}
        spec: {command: echo report}
        """

    static let webToken = "web-team-token-7f3a"
    static let sreToken = "sre-token-19bd"
    static let adminToken = "platform-admin-token-c0de"
    static let legacyToken = "legacy-admin-token-42"

    static func tokensYAML(web: String = webToken) -> String {
        """
        tokens:
          ci-web:
            sha256: \(APIToken.hexDigest(of: Array(web.utf8)))
            owners: [team-web]
          oncall-sre:
            sha256: \(APIToken.hexDigest(of: Array(sreToken.utf8)))
            owners: [sre]
          platform:
            sha256: \(APIToken.hexDigest(of: Array(adminToken.utf8)))
            admin: true

        """
    }

    /// A folder with the tokens file, the legacy token file and the state store.
    final class Folder {
        let root: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("api-access-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try Data(APIAccessTests.tokensYAML().utf8).write(to: URL(fileURLWithPath: tokensFile))
            try Data((APIAccessTests.legacyToken + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
        }
        deinit { try? FileManager.default.removeItem(at: root) }
        var tokensFile: String { root.appendingPathComponent("tokens.yaml").path }
        var tokenFile: String { root.appendingPathComponent("token").path }
        var state: URL { root.appendingPathComponent("state") }
    }

    static func serve(_ handle: RecordingHandle, folder: Folder, protectReads: Bool = false, legacy: Bool = true) async throws -> RunningAPIServer {
        var logger = Logger(label: "api-access-test")
        logger.logLevel = .critical
        let configuration = APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0), tokenFile: legacy ? folder.tokenFile : nil,
                                             tokensFile: folder.tokensFile, protectReads: protectReads)
        return try await APIServer(handle: handle, configuration: configuration, audit: try StateStore(directory: folder.state),
                                   logger: logger, now: { APIFixtures.epoch }).start()
    }

    static func handle() -> RecordingHandle {
        RecordingHandle(APIFixtures.state(desired: APIFixtures.parse(manifests)))
    }

    static func send(_ method: String, _ url: String, token: String?, json: String? = nil) async throws -> HTTPResult {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if json != nil { headers["Content-Type"] = "application/json" }
        return try await TestHTTP.send(method, url, headers: headers, body: json.map { Data($0.utf8) })
    }

    @Test func writesNeedATokenOfTheServicesOwnersOrAdmin() async throws {
        let folder = try Folder()
        let handle = Self.handle()
        let server = try await Self.serve(handle, folder: folder)
        let base = server.baseURL + "/api/v1"
        func post(_ path: String, _ token: String?, _ json: String? = nil) async throws -> HTTPResult {
            try await Self.send("POST", base + path, token: token, json: json)
        }
        do {
            // Owner match: team-web's token on web.
            #expect(try await post("/services/web/scale", Self.webToken, #"{"instances": 4}"#).status == 200)
            #expect(try await post("/services/web/pause", Self.webToken).status == 200)
            #expect(try await post("/services/web/resume", Self.webToken).status == 200)
            #expect(try await post("/services/web/bounce", Self.webToken).status == 200)
            #expect(try await post("/services/report/trigger", Self.webToken, #"{"env": {"API_KEY": "sk-live-123"}}"#).status == 202)
            #expect(try await Self.send("DELETE", base + "/services/web/overrides/scale", token: Self.webToken).status == 200)
            // No match: 403 naming the owners needed.
            let refused = try await post("/services/queue/pause", Self.webToken)
            #expect(refused.status == 403)
            #expect(try refused.decode(ErrorDocument.self).error
                    == "changing queue needs a token of one of its owners (team-queue, sre) or an admin token; token ci-web has owners team-web")
            let deleteRefused = try await Self.send("DELETE", base + "/services/queue/overrides/pause", token: Self.webToken)
            #expect(deleteRefused.status == 403)
            let orphan = try await post("/services/orphan/pause", Self.sreToken)
            #expect(orphan.status == 403)
            #expect(try orphan.decode(ErrorDocument.self).error.contains("orphan has no owners in its manifest (metadata.owners)"))
            // One shared owner is enough.
            #expect(try await post("/services/queue/pause", Self.sreToken).status == 200)
            // Sync needs admin.
            let sync = try await post("/sync", Self.webToken)
            #expect(sync.status == 403)
            #expect(try sync.decode(ErrorDocument.self).error == "sync needs an admin token; token ci-web has owners team-web")
            // Admin and the legacy token may do anything.
            #expect(try await post("/services/orphan/pause", Self.adminToken).status == 200)
            #expect(try await post("/sync", Self.adminToken).status == 200)
            #expect(try await post("/services/queue/scale", Self.legacyToken, #"{"instances": 0}"#).status == 200)
            #expect(try await post("/sync", Self.legacyToken).status == 200)
            // Unknown or missing tokens: 401, whatever the service.
            let unknown = try await post("/services/web/pause", "web-team-token-7f3b")
            #expect(unknown.status == 401)
            #expect(try unknown.decode(ErrorDocument.self).error == "unknown token")
            #expect(try await post("/services/nope/pause", nil).status == 401)
            // A valid token on an unknown service: 404.
            #expect(try await post("/services/nope/pause", Self.webToken).status == 404)
            // Reads stay open.
            #expect(try await TestHTTP.get(base + "/status").status == 200)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(handle.recorded.syncs == [.api, .api])
        #expect(Set(handle.recorded.overrides.map { "\($0.service) \($0.kind.rawValue)" })
                == ["web scale", "web pause", "web bounce", "queue pause", "orphan pause", "queue scale"])
        #expect(handle.recorded.removed.map { "\($0.0) \($0.1.rawValue)" } == ["web pause", "web scale"])
    }

    @Test func everyWriteIsAuditedAllowedOrRefusedAndSurvivesARestart() async throws {
        let folder = try Folder()
        let handle = Self.handle()
        let first = try await Self.serve(handle, folder: folder)
        let base = first.baseURL + "/api/v1"
        _ = try await Self.send("POST", base + "/services/web/scale", token: Self.webToken, json: #"{"instances": 5, "for": "1h"}"#)
        _ = try await Self.send("POST", base + "/services/queue/pause", token: Self.webToken)
        _ = try await Self.send("POST", base + "/services/report/trigger", token: Self.webToken, json: #"{"env": {"API_KEY": "sk-live-123"}}"#)
        _ = try await Self.send("POST", base + "/sync", token: "not-a-token")
        _ = try await Self.send("POST", base + "/sync", token: Self.legacyToken)
        await first.stop()

        // A new server over the same state folder: the controller restarted.
        let second = try await Self.serve(handle, folder: folder)
        let reply = try await TestHTTP.get(second.baseURL + "/api/v1/audit")
        let webOnly = try await TestHTTP.get(second.baseURL + "/api/v1/audit?service=web&limit=5")
        let limited = try await TestHTTP.get(second.baseURL + "/api/v1/audit?limit=2")
        let badLimit = try await TestHTTP.get(second.baseURL + "/api/v1/audit?limit=zero")
        await second.stop()
        #expect(reply.status == 200)
        let entries = try reply.decode([AuditEntryDocument].self)
        #expect(entries.map(\.action) == ["sync", "sync", "trigger", "pause", "scale"])
        #expect(entries.map(\.actor) == ["token-file", "anonymous", "ci-web", "ci-web", "ci-web"])
        #expect(entries.map(\.status) == [200, 401, 202, 403, 200])
        #expect(entries.map(\.service) == [nil, nil, "report", "queue", "web"])
        #expect(entries[4].message == "scale to 5 until 2026-09-21T15:13:20.000Z")
        #expect(entries[3].message.contains("needs a token of one of its owners (team-queue, sre)"))
        #expect(entries[2].message == "run report-run-1")
        #expect(entries.allSatisfy { $0.remoteAddress.hasPrefix("127.0.0.1:") && $0.time == APIFixtures.epoch })
        // Nothing secret: no token, no trigger environment.
        for secret in [Self.webToken, Self.legacyToken, "not-a-token", "sk-live-123", "API_KEY"] {
            #expect(!reply.text.contains(secret))
        }
        #expect(try webOnly.decode([AuditEntryDocument].self).map(\.action) == ["scale"])
        #expect(try limited.decode([AuditEntryDocument].self).count == 2)
        #expect(badLimit.status == 400)
    }

    @Test func rotatingOrBreakingTheTokensFileNeedsNoRestartAndFailsClosed() async throws {
        let folder = try Folder()
        let handle = Self.handle()
        let server = try await Self.serve(handle, folder: folder)
        let url = server.baseURL + "/api/v1/services/web/pause"
        do {
            #expect(try await Self.send("POST", url, token: Self.webToken).status == 200)
            try Data(Self.tokensYAML(web: "rotated-web-token").utf8).write(to: URL(fileURLWithPath: folder.tokensFile))
            #expect(try await Self.send("POST", url, token: Self.webToken).status == 401)
            #expect(try await Self.send("POST", url, token: "rotated-web-token").status == 200)
            // A broken file refuses its tokens (500, the reason is in the log), the legacy token still works.
            try Data("tokens:\n  ci-web: [\n".utf8).write(to: URL(fileURLWithPath: folder.tokensFile))
            let broken = try await Self.send("POST", url, token: "rotated-web-token")
            #expect(broken.status == 500)
            #expect(try broken.decode(ErrorDocument.self).error == "the tokens file cannot be read on the server (see its log)")
            #expect(try await Self.send("POST", url, token: Self.legacyToken).status == 200)
            try FileManager.default.removeItem(atPath: folder.tokensFile)
            #expect(try await Self.send("POST", url, token: "rotated-web-token").status == 500)
            try Data(Self.tokensYAML().utf8).write(to: URL(fileURLWithPath: folder.tokensFile))
            #expect(try await Self.send("POST", url, token: Self.webToken).status == 200)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func protectReadsNeedsAnyValidTokenForReadsButNotForProbes() async throws {
        let folder = try Folder()
        let server = try await Self.serve(Self.handle(), folder: folder, protectReads: true, legacy: false)
        let base = server.baseURL
        do {
            let open = try await TestHTTP.get(base + "/api/v1/status")
            #expect(open.status == 401)
            #expect(open.header("WWW-Authenticate") == "Bearer")
            #expect(try await TestHTTP.get(base + "/metrics").status == 401)
            #expect(try await TestHTTP.get(base + "/api/v1/audit").status == 401)
            #expect(try await Self.send("GET", base + "/api/v1/status", token: "nope").status == 401)
            #expect(try await Self.send("GET", base + "/api/v1/status", token: Self.webToken).status == 200)
            #expect(try await Self.send("GET", base + "/api/v1/services/queue", token: Self.webToken).status == 200)
            #expect(try await Self.send("GET", base + "/metrics", token: Self.sreToken).status == 200)
            #expect(try await TestHTTP.get(base + "/healthz").status == 200)
            #expect(try await TestHTTP.get(base + "/readyz").status == 200)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

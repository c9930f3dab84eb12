import Foundation
import Testing
@testable import DevCluster
import Mesos

/// The agent's files API answered as a Mesos 1.11.0 agent does (../shared/MESOS-EXECUTOR.md section 2),
/// over raw HTTP against a real task's sandbox.
@Suite struct FilesAPITests {
    /// The body as the agent sends it, decoded the only way that gives the bytes back: latin-1.
    static func latin1JSON(_ body: Data) throws -> Any {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: body.map { Unicode.Scalar($0) })
        return try JSONSerialization.jsonObject(with: Data(String(scalars).utf8))
    }

    static func bytes(ofLatin1 string: String) -> [UInt8] { string.unicodeScalars.map { UInt8($0.value) } }

    /// What the agent's JSON writer makes of raw bytes (control characters escaped, the rest raw).
    static func escaped(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        let short: [UInt8: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: "\\\"", 0x5C: "\\\\"]
        for byte in bytes {
            if let text = short[byte] { out += Array(text.utf8) } else if byte < 0x20 {
                out += Array(String(format: "\\u%04X", byte).utf8)
            } else { out.append(byte) }
        }
        return out
    }

    @Test func everyReadBrowseAndDownloadCaseAsARealAgent() async throws {
        try await withCluster(agents: 1, portBase: 43100) { cluster in
            let agent = try #require(cluster.agents.first)
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            let script = "import os; open('all.bin','wb').write(bytes(range(256))); open('utf8.txt','wb').write('hé€'.encode()); "
                + "open('big.txt','wb').write(b'x' * 240000); os.mkdir('sub'); open('sub/inner','w').write('in'); "
                + "os.symlink('/etc', 'escape'); os.symlink('/etc/hostname', 'escape-file'); open('ready','w').write('1')"
            try await scheduler.launch(offer: offer, tasks: [commandTask("files", agent: offer["agent_id"]!,
                command: "python3 -c \"\(script)\" && printf 'hello\\nworld\\n' && exec sleep 300")])
            _ = try await scheduler.update("files", ["TASK_RUNNING"])
            let state = try await RawHTTP.send(port: agent.port, host: agent.hostname, "GET", "/state").json()
            let executor = try #require(((state["frameworks"] as? [[String: Any]])?.first?["executors"] as? [[String: Any]])?.first)
            let directory = try #require(executor["directory"] as? String)
            #expect(try await eventually { FileManager.default.fileExists(atPath: directory + "/ready") })
            #expect(try await eventually { (try? String(contentsOfFile: directory + "/stdout", encoding: .utf8)) == "hello\nworld\n" })
            let virtual = "/frameworks/\(scheduler.frameworkID)/executors/files/runs/latest"
            func get(_ path: String) async throws -> RawResponse {
                try await RawHTTP.send(port: agent.port, host: agent.hostname, "GET", path)
            }
            func read(_ query: String) async throws -> RawResponse { try await get("/files/read?\(query)") }

            // Normal read, and the size trick (offset -1 or no offset).
            var response = try await read("path=\(directory)/stdout&offset=0&length=5")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.text == #"{"data":"hello","offset":0}"#)
            #expect(try await read("path=\(directory)/stdout&offset=-1").text == #"{"data":"","offset":12}"#)
            #expect(try await read("path=\(directory)/stdout").text == #"{"data":"","offset":12}"#)
            // Near and past the end: the offset is echoed.
            #expect(try await read("path=\(directory)/stdout&offset=6&length=100").text == #"{"data":"world\n","offset":6}"#)
            #expect(try await read("path=\(directory)/stdout&offset=12").text == #"{"data":"","offset":12}"#)
            #expect(try await read("path=\(directory)/stdout&offset=1012&length=10").text == #"{"data":"","offset":1012}"#)
            // Length: absent or -1 to the end capped at 16 pages; 0 gives nothing.
            for query in ["offset=0", "offset=0&length=-1", "offset=0&length=1000000"] {
                let big = try await read("path=\(directory)/big.txt&\(query)")
                let data = try #require((try Self.latin1JSON(big.body) as? [String: Any])?["data"] as? String)
                #expect(data.utf8.count == 65536, "\(query)")
            }
            #expect(try await read("path=\(directory)/stdout&offset=0&length=0").text == #"{"data":"","offset":0}"#)
            // Errors, with the agent's texts.
            response = try await read("path=\(directory)/stdout&offset=-5")
            #expect(response.status == 400 && response.text == "Negative offset provided: -5.\n")
            response = try await read("path=\(directory)/stdout&offset=abc")
            #expect(response.status == 400 && response.text == "Failed to parse offset: Failed to convert 'abc' to number.\n")
            response = try await read("path=\(directory)/missing")
            #expect(response.status == 404 && response.body.isEmpty)
            response = try await read("path=/etc/passwd")
            #expect(response.status == 404 && response.body.isEmpty)
            response = try await read("path=\(directory)/sub")
            #expect(response.status == 400 && response.text == "Cannot read a directory.\n")
            response = try await read("offset=0")
            #expect(response.status == 400 && response.text == "Expecting 'path=value' in query.\n")
            response = try await read("path=\(directory)/escape/hostname")
            #expect(response.status == 400 && response.text.hasSuffix("' is inaccessible.\n"))
            response = try await read("path=\(directory)/../../../../../../../../etc/hostname")
            #expect(response.status == 404 || response.status == 400)
            // JSONP.
            response = try await read("path=\(directory)/stdout&offset=0&length=5&jsonp=cb")
            #expect(response.headers["content-type"] == "text/javascript")
            #expect(response.text == #"cb({"data":"hello","offset":0})"#)

            // Byte-exact on a 0..255 file: control characters escaped, bytes >= 0x80 raw (not valid UTF-8).
            let all = [UInt8](0...255)
            response = try await read("path=\(directory)/all.bin&offset=0")
            #expect([UInt8](response.body) == Array(#"{"data":""#.utf8) + Self.escaped(all) + Array(#"","offset":0}"#.utf8))
            #expect(String(validatingUTF8: [UInt8](response.body).map { CChar(bitPattern: $0) } + [0]) == nil)
            let decoded = try #require((try Self.latin1JSON(response.body) as? [String: Any])?["data"] as? String)
            #expect(Self.bytes(ofLatin1: decoded) == all)
            // A read that splits a UTF-8 character: the body holds the raw half.
            let utf8 = Array("hé€".utf8)
            response = try await read("path=\(directory)/utf8.txt&offset=0&length=2")
            #expect([UInt8](response.body) == Array(#"{"data":"h"#.utf8) + [0xC3] + Array(#"","offset":0}"#.utf8))
            for split in 0...utf8.count {
                let head = try await read("path=\(directory)/utf8.txt&offset=0&length=\(split)")
                let tail = try await read("path=\(directory)/utf8.txt&offset=\(split)")
                let a = try #require((try Self.latin1JSON(head.body) as? [String: Any])?["data"] as? String)
                let b = try #require((try Self.latin1JSON(tail.body) as? [String: Any])?["data"] as? String)
                #expect(Self.bytes(ofLatin1: a) + Self.bytes(ofLatin1: b) == utf8)
            }

            // The virtual path works in every call, and browse shows virtual entry paths.
            #expect(try await read("path=\(virtual)/stdout&offset=0&length=5").text == #"{"data":"hello","offset":0}"#)
            let listing = try await get("/files/browse?path=\(virtual)")
            #expect(listing.status == 200)
            let entries = try #require(try JSONSerialization.jsonObject(with: listing.body) as? [[String: Any]])
            let stdoutEntry = try #require(entries.first { $0["path"] as? String == "\(virtual)/stdout" })
            #expect(stdoutEntry["size"] as? Int == 12)
            #expect(stdoutEntry["mode"] as? String == "-rw-r--r--" || (stdoutEntry["mode"] as? String)?.hasPrefix("-rw") == true)
            #expect(Set(stdoutEntry.keys) == ["gid", "mode", "mtime", "nlink", "path", "size", "uid"])
            #expect((entries.first { $0["path"] as? String == "\(virtual)/sub" })?["mode"] as? String == "drwxr-xr-x"
                || ((entries.first { $0["path"] as? String == "\(virtual)/sub" })?["mode"] as? String)?.hasPrefix("d") == true)
            #expect(listing.text.contains(#""mtime":"#) && listing.text.range(of: #""mtime":[0-9]+\.0,"#, options: .regularExpression) != nil)
            #expect(entries.map { $0["path"] as? String ?? "" } == entries.map { $0["path"] as? String ?? "" }.sorted())
            let real = try JSONSerialization.jsonObject(with: try await get("/files/browse?path=\(directory)").body) as? [[String: Any]]
            #expect(real?.contains { $0["path"] as? String == "\(directory)/stdout" } == true)
            response = try await get("/files/browse?path=\(directory)/stdout")
            #expect(response.status == 200 && response.text == "[]")
            response = try await get("/files/browse?path=\(directory)/missing")
            #expect(response.status == 404 && response.body.isEmpty)
            response = try await get("/files/browse")
            #expect(response.status == 400 && response.text == "Expecting 'path=value' in query.\n")
            #expect(try await get("/files/browse?path=\(directory)/escape").status == 500)

            // Download: raw bytes; a directory is refused; a missing file is 404.
            response = try await get("/files/download?path=\(virtual)/all.bin")
            #expect(response.status == 200 && [UInt8](response.body) == all)
            #expect(response.headers["content-type"] == "application/octet-stream")
            #expect(response.headers["content-disposition"] == "attachment; filename=all.bin")
            #expect(try await get("/files/download?path=\(virtual)/sub").status == 400)
            #expect(try await get("/files/download?path=\(virtual)/missing").status == 404)
            #expect(try await get("/files/download?path=/etc/passwd").status == 404)

            // The virtual path map; the .json aliases do not exist.
            let debug = try await get("/files/debug").json()
            #expect(debug[virtual] as? String == directory)
            #expect(debug[directory] as? String == directory)
            #expect(try await get("/files/read.json?path=\(directory)/stdout").status == 404)
            #expect(try await get("/files/browse.json?path=\(directory)").status == 404)

            // The v1 operator API on the agent: numeric modes, base64 data with the size, offset required.
            func call(_ body: [String: Any]) async throws -> RawResponse {
                try await RawHTTP.send(port: agent.port, host: agent.hostname, "POST", "/api/v1",
                                       headers: [("Content-Type", "application/json")], body: RawHTTP.json(body))
            }
            let list = try await call(["type": "LIST_FILES", "list_files": ["path": virtual]]).json()
            #expect(list["type"] as? String == "LIST_FILES")
            let infos = try #require((list["list_files"] as? [String: Any])?["file_infos"] as? [[String: Any]])
            let info = try #require(infos.first { $0["path"] as? String == "\(virtual)/stdout" })
            #expect(info["mode"] as? Int == 0o100644 || ((info["mode"] as? Int).map { $0 & 0o170000 == 0o100000 } ?? false))
            #expect(((info["mtime"] as? [String: Any])?["nanoseconds"] as? Int ?? 0) > 1_000_000_000_000_000_000)
            let readFile = try await call(["type": "READ_FILE", "read_file": ["path": "\(virtual)/all.bin", "offset": 0]]).json()
            let readBody = try #require(readFile["read_file"] as? [String: Any])
            #expect(readBody["size"] as? Int == 256)
            #expect(Data(base64Encoded: readBody["data"] as? String ?? "").map([UInt8].init) == all)
            let past = try await call(["type": "READ_FILE", "read_file": ["path": "\(directory)/stdout", "offset": 100]]).json()
            #expect((past["read_file"] as? [String: Any])?["data"] as? String == "")
            let missingOffset = try await call(["type": "READ_FILE", "read_file": ["path": "\(directory)/stdout"]])
            #expect(missingOffset.status == 400 && missingOffset.text.contains("Missing required fields: read_file.offset"))
            #expect(try await call(["type": "READ_FILE", "read_file": ["path": "\(directory)/nope", "offset": 0]]).status == 404)

            // The client finds the sandbox through /master/state and gets the bytes back exactly.
            let client = AgentFilesClient(configuration: try MesosClientConfiguration(masters: [cluster.masterURL]))
            let location = try #require(try await client.locate(frameworkID: scheduler.frameworkID, taskID: "files"))
            #expect(location.directory == virtual && location.agent.url("/") == "http://\(agent.hostname):\(agent.port)/")
            #expect(try await client.read(agent: location.agent, path: location.directory + "/all.bin", offset: 0).data == all)
            #expect(try await client.read(agent: location.agent, path: location.directory + "/utf8.txt", offset: 0, length: 2).data == [0x68, 0xC3])
            #expect(try await client.size(agent: location.agent, path: location.directory + "/big.txt") == 240000)
            #expect(try await client.browse(agent: location.agent, path: location.directory).contains { $0.path == virtual + "/sub" && $0.isDirectory })
            await #expect(throws: MesosError.self) { try await client.read(agent: location.agent, path: location.directory + "/gone", offset: 0) }

            // The master does not serve agent files.
            let master = { (path: String) async throws -> RawResponse in try await RawHTTP.send(port: cluster.port, "GET", path) }
            response = try await master("/files/read?path=\(directory)/stdout&offset=0")
            #expect(response.status == 404 && response.body.isEmpty)
            #expect(try await master("/files/read?path=\(virtual)/stdout").status == 404)
            #expect(try await master("/files/browse?path=\(virtual)").status == 404)
            #expect(try await master("/files/debug").text == "{}")
            let masterRead = try await RawHTTP.send(port: cluster.port, "POST", "/api/v1", headers: [("Content-Type", "application/json")],
                body: RawHTTP.json(["type": "READ_FILE", "read_file": ["path": "\(directory)/stdout", "offset": 0]]))
            #expect(masterRead.status == 404)
        }
    }

    @Test func virtualModeServesEveryAgentsFilesOnTheMastersListener() async throws {
        try await withCluster(agents: 2, virtual: true, portBase: 43200) { cluster in
            let scheduler = try await TestScheduler.subscribe(port: cluster.port, framework: basicFramework)
            let offer = try await scheduler.firstOffer()
            try await scheduler.launch(offer: offer, tasks: [commandTask("v", agent: offer["agent_id"]!, command: "sleep 1")])
            _ = try await scheduler.update("v", ["TASK_RUNNING"])
            let debug = try await RawHTTP.send(port: cluster.port, "GET", "/files/debug").json()
            #expect(debug.keys.contains("/frameworks/\(scheduler.frameworkID)/executors/v/runs/latest"))
            #expect(try await RawHTTP.send(port: cluster.port, "GET", "/files/read").status == 400)
        }
    }
}

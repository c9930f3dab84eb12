import Foundation
import Testing
@testable import Mesos

@Suite("Fast event decoding agrees with JSONDecoder")
struct FastEventDecodingTests {
    static let fastCases: [String] = [
        #"{"type":"HEARTBEAT"}"#,
        #" { "type" : "HEARTBEAT" } "#,
        #"{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING"}}}"#,
        """
        {"type":"UPDATE","update":{"status":{"task_id":{"value":"web.1"},"state":"TASK_FAILED",
         "message":"Command exited with status 1 \\"quoted\\" \\u00e9\\ud83d\\ude00\\n\\t\\\\ /","source":"SOURCE_EXECUTOR",
         "reason":"REASON_COMMAND_EXECUTOR_FAILED","agent_id":{"value":"A1"},"executor_id":{"value":"web.1"},
         "timestamp":1.7000000012345e9,"uuid":"AAECAwQFBgcICQoLDA0ODw==","healthy":false,"data":"aGk=",
         "labels":{"labels":[{"key":"a","value":"1"},{"key":"b"}]},
         "container_status":{"container_id":{"value":"c1"},"executor_pid":4242,
           "network_infos":[{"name":"n","ip_addresses":[{"protocol":"IPv4","ip_address":"127.0.0.2"}]}],"cgroup_info":{}},
         "unreachable_time":{"nanoseconds":12345},"check_status":{"type":"COMMAND","command":{"exit_code":0}},
         "future_field":[1,{"x":null},true]}}}
        """,
        #"{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_FROM_THE_FUTURE","reason":"REASON_NEW"}}}"#,
    ]

    static let fallbackCases: [String] = [
        #"{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"F"},"heartbeat_interval_seconds":15}}"#,
        #"{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","timestamp":"1.5"}}}"#,
        #"{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","healthy":"true"}}}"#,
        #"{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","message":null}}}"#,
        #"{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","uuid":"AAE"}}}"#,
        #"{"type":"UPDATE","extra":1,"update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING"}}}"#,
        """
        {"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING",
         "container_status":{"network_infos":[{"groups":["g"]}]}}}}
        """,
    ]

    @Test(arguments: fastCases)
    func fastPathMatchesJSONDecoder(json: String) throws {
        let data = Data(json.utf8)
        let fast = try #require(FastEventDecoding.decode(data))
        #expect(fast == (try MesosJSON.decode(Event.self, from: data)))
    }

    @Test(arguments: fallbackCases)
    func unusualEventsFallBackAndStillDecode(json: String) throws {
        let data = Data(json.utf8)
        #expect(FastEventDecoding.decode(data) == nil)
        var decoder = EventStreamDecoder()
        decoder.append(Array(RecordIOEncoder.encode(data)))
        #expect(try decoder.next() == (try MesosJSON.decode(Event.self, from: data)))
    }

    @Test func malformedJSONIsNotAcceptedByTheFastPath() {
        for json in [#"{"type":"HEARTBEAT""#, #"{"type":"HEARTBEAT"}x"#, #"{"type":HEARTBEAT}"#, "", "[]",
                     #"{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"}}}}"#] {
            #expect(FastEventDecoding.decode(Data(json.utf8)) == nil, "\(json)")
        }
    }

    @Test func generatedUpdatesRoundTripThroughBothPaths() throws {
        let encoder = MesosJSON.makeEncoder()
        for index in 0..<200 {
            let status = TaskStatus(
                taskID: TaskID("app.\(index)"), state: TaskState.allKnown[index % TaskState.allKnown.count],
                message: index % 2 == 0 ? "msg \(index) \"q\" \n é" : nil, source: .agent,
                reason: TaskStatus.Reason.allKnown[index % TaskStatus.Reason.allKnown.count],
                agentID: "A", executorID: index % 3 == 0 ? "E" : nil, timestamp: Double(index) * 1.25,
                uuid: Bytes(Data([UInt8(index), 1, 2])), healthy: index % 4 == 0 ? nil : index % 2 == 0,
                labels: Labels(["k\(index)": "v"]),
                containerStatus: index % 5 == 0 ? ContainerStatus(executorPID: UInt32(index)) : nil)
            let event = Event.update(status)
            let data = try encoder.encode(event)
            #expect(FastEventDecoding.decode(data) == event)
        }
    }
}

@Test func benchmarkShapedUpdateTakesTheFastPath() throws {
    let status = TaskStatus(
        taskID: "app-1.instance-1.1b4e28ba-2fa1-11d2-883f-0016d3cca427", state: .running,
        message: "Command exited with status 0", source: .executor, reason: .taskHealthCheckStatusUpdated,
        agentID: "6f0f3d1c-5a2b-4f4c-9a47-0c1f2e3d4b5a-S1", executorID: "app-1.instance-1",
        timestamp: 1_700_000_000.001, uuid: Bytes(Data(repeating: 7, count: 16)), healthy: true,
        labels: Labels(["converge.app": "app-1", "converge.deploy": "d-1"]),
        containerStatus: ContainerStatus(networkInfos: [.init(ipAddresses: [.init(ipAddress: "127.0.0.2")])],
                                         executorPID: 1234))
    let data = try MesosJSON.encode(Event.update(status))
    #expect(FastEventDecoding.decode(data) == .update(status), "\(String(decoding: data, as: UTF8.self))")
}

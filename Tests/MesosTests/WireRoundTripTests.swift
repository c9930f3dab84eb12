import Foundation
import Testing
@testable import Mesos

@Suite("Wire JSON round trips")
struct WireRoundTripTests {
    @Test func subscribeCall() throws {
        let json = """
        {"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"converge",
         "failover_timeout":604800,"checkpoint":true,"roles":["web"],"principal":"converge",
         "hostname":"sched1","webui_url":"http://sched1:8080/",
         "capabilities":[{"type":"PARTITION_AWARE"},{"type":"TASK_KILLING_STATE"},{"type":"MULTI_ROLE"}]}}}
        """
        let call = try expectRoundTrip(Call.self, json)
        #expect(call.type == .subscribe)
        #expect(call.frameworkID == nil)
        let info = try #require(call.subscribe?.frameworkInfo)
        #expect(info.failoverTimeout == 604800)
        #expect(info.has(.partitionAware) && info.has(.multiRole))
        #expect(!info.has(.gpuResources))
    }

    @Test func resubscribeCarriesFrameworkIDTwice() throws {
        let info = FrameworkInfo(user: "root", name: "converge", id: "F-1", failoverTimeout: 60)
        let encoded = try encodedObject(Call.subscribe(info))
        let expected = try jsonObject("""
        {"framework_id":{"value":"F-1"},"type":"SUBSCRIBE","subscribe":{"framework_info":
         {"user":"root","name":"converge","id":{"value":"F-1"},"failover_timeout":60}}}
        """)
        #expect(encoded == expected)
    }

    @Test func acceptWithLaunch() throws {
        let json = """
        {"framework_id":{"value":"F"},"type":"ACCEPT","accept":{"offer_ids":[{"value":"O1"}],
         "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"web","task_id":{"value":"web.1"},
          "agent_id":{"value":"A1"},
          "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},
                       {"name":"mem","type":"SCALAR","scalar":{"value":128}},
                       {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31001}]}}],
          "command":{"shell":false,"value":"/bin/server","arguments":["server","--port","31000"],
            "uris":[{"value":"http://x/app.tgz","extract":true,"executable":false,"cache":false,"output_file":"app.tgz"}],
            "environment":{"variables":[{"name":"A","value":"1"},{"name":"S","type":"SECRET"}]},"user":"nobody"},
          "container":{"type":"DOCKER","docker":{"image":"nginx:1","network":"BRIDGE",
            "port_mappings":[{"host_port":31000,"container_port":80,"protocol":"tcp"}],
            "force_pull_image":true,"parameters":[{"key":"label","value":"x=y"}]}},
          "health_check":{"type":"HTTP","http":{"port":31000,"path":"/health","scheme":"http","statuses":[200]},
            "delay_seconds":1,"interval_seconds":2,"timeout_seconds":3,"consecutive_failures":4,"grace_period_seconds":5},
          "kill_policy":{"grace_period":{"nanoseconds":5000000000}},
          "labels":{"labels":[{"key":"app","value":"web"},{"key":"flag"}]},
          "discovery":{"visibility":"FRAMEWORK","name":"web","ports":{"ports":[{"number":31000,"name":"http","protocol":"tcp"}]}}
         }]}}],"filters":{"refuse_seconds":10}}}
        """
        let call = try expectRoundTrip(Call.self, json)
        let task = try #require(call.accept?.operations.first?.launch?.taskInfos.first)
        #expect(task.taskID == "web.1")
        #expect(task.command?.shell == false)
        #expect(task.command?.arguments == ["server", "--port", "31000"])
        #expect(task.command?.environment?.variables[1].type == .secret)
        #expect(task.container?.docker?.network == .bridge)
        #expect(task.healthCheck?.type == .http)
        #expect(task.healthCheck?.http?.port == 31000)
        #expect(task.healthCheck?.effectiveConsecutiveFailures == 4)
        #expect(task.killPolicy?.gracePeriod?.seconds == 5)
        #expect(task.labels?["app"] == "web")
        #expect(task.labels?["flag"] == nil)
        #expect(task.resources[2].ranges?.range.first?.count == 2)
        #expect(call.accept?.filters?.effectiveRefuseSeconds == 10)
    }

    @Test func commandShellDefaultsToTrueAndIsAlwaysWritten() throws {
        let command = try decodeWire(CommandInfo.self, #"{"value":"echo hi"}"#)
        #expect(command.shell)
        #expect(try encodedObject(command) == jsonObject(#"{"value":"echo hi","shell":true}"#))
    }

    @Test func everyCallConstructorEncodesAsTheMasterExpects() throws {
        let f: FrameworkID = "F"
        let cases: [(Call, String)] = [
            (.teardown(f), #"{"framework_id":{"value":"F"},"type":"TEARDOWN"}"#),
            (.decline(f, offerIDs: ["O1", "O2"], filters: Filters(refuseSeconds: 30)),
             #"{"framework_id":{"value":"F"},"type":"DECLINE","decline":{"offer_ids":[{"value":"O1"},{"value":"O2"}],"filters":{"refuse_seconds":30}}}"#),
            (.revive(f, roles: ["web"]), #"{"framework_id":{"value":"F"},"type":"REVIVE","revive":{"roles":["web"]}}"#),
            (.suppress(f), #"{"framework_id":{"value":"F"},"type":"SUPPRESS","suppress":{}}"#),
            (.kill(f, taskID: "T", agentID: "A", killPolicy: KillPolicy(gracePeriodSeconds: 3)),
             #"{"framework_id":{"value":"F"},"type":"KILL","kill":{"task_id":{"value":"T"},"agent_id":{"value":"A"},"kill_policy":{"grace_period":{"nanoseconds":3000000000}}}}"#),
            (.acknowledge(f, agentID: "A", taskID: "T", uuid: Bytes(Data([1, 2, 3, 250]))),
             #"{"framework_id":{"value":"F"},"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":"A"},"task_id":{"value":"T"},"uuid":"AQID+g=="}}"#),
            (.reconcile(f, tasks: [.init(taskID: "T", agentID: "A")]),
             #"{"framework_id":{"value":"F"},"type":"RECONCILE","reconcile":{"tasks":[{"task_id":{"value":"T"},"agent_id":{"value":"A"}}]}}"#),
            (.reconcile(f, tasks: []), #"{"framework_id":{"value":"F"},"type":"RECONCILE","reconcile":{}}"#),
            (.acceptInverseOffers(f, inverseOfferIDs: ["I"], filters: Filters(refuseSeconds: 1)),
             #"{"framework_id":{"value":"F"},"type":"ACCEPT_INVERSE_OFFERS","accept_inverse_offers":{"inverse_offer_ids":[{"value":"I"}],"filters":{"refuse_seconds":1}}}"#),
            (.declineInverseOffers(f, inverseOfferIDs: ["I"]),
             #"{"framework_id":{"value":"F"},"type":"DECLINE_INVERSE_OFFERS","decline_inverse_offers":{"inverse_offer_ids":[{"value":"I"}]}}"#),
            (.shutdown(f, executorID: "E", agentID: "A"),
             #"{"framework_id":{"value":"F"},"type":"SHUTDOWN","shutdown":{"executor_id":{"value":"E"},"agent_id":{"value":"A"}}}"#),
            (.message(f, agentID: "A", executorID: "E", data: Bytes(Data("hi".utf8))),
             #"{"framework_id":{"value":"F"},"type":"MESSAGE","message":{"agent_id":{"value":"A"},"executor_id":{"value":"E"},"data":"aGk="}}"#),
            (.request(f, requests: [.init(agentID: "A", resources: [.scalar("cpus", 1)])]),
             #"{"framework_id":{"value":"F"},"type":"REQUEST","request":{"requests":[{"agent_id":{"value":"A"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}]}]}}"#),
        ]
        for (call, json) in cases {
            #expect(try encodedObject(call) == jsonObject(json), "\(call.type)")
            #expect(try decodeWire(Call.self, json) == call, "\(call.type)")
        }
    }

    @Test func subscribedEvent() throws {
        let json = """
        {"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"F-1"},"heartbeat_interval_seconds":15,
         "master_info":{"id":"M","ip":16777343,"port":5050,"hostname":"localhost","version":"1.11.0",
         "address":{"hostname":"localhost","ip":"127.0.0.1","port":5050}}}}
        """
        let event = try expectRoundTrip(Event.self, json)
        #expect(event.subscribed?.frameworkID == "F-1")
        #expect(event.subscribed?.heartbeatIntervalSeconds == 15)
        #expect(event.subscribed?.masterInfo?.address?.port == 5050)
    }

    @Test func offersEvent() throws {
        let json = """
        {"type":"OFFERS","offers":{"offers":[{"id":{"value":"O1"},"framework_id":{"value":"F"},
         "agent_id":{"value":"A1"},"hostname":"127.0.0.2",
         "url":{"scheme":"http","address":{"hostname":"127.0.0.2","ip":"127.0.0.2","port":5051},"path":"/slave(1)"},
         "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":4},"role":"*","allocation_info":{"role":"web"}},
          {"name":"disks","type":"SET","set":{"item":["a","b"]}},
          {"name":"mem","type":"SCALAR","scalar":{"value":1024},"reservations":[{"type":"STATIC","role":"web"}]}],
         "attributes":[{"name":"rack","type":"TEXT","text":{"value":"r1"}},{"name":"cores","type":"SCALAR","scalar":{"value":8}},
          {"name":"ids","type":"RANGES","ranges":{"range":[{"begin":1,"end":3}]}},{"name":"tags","type":"SET","set":{"item":["x","y"]}}],
         "unavailability":{"start":{"nanoseconds":1700000000000000000},"duration":{"nanoseconds":3600000000000}},
         "allocation_info":{"role":"web"}}]}}
        """
        let event = try expectRoundTrip(Event.self, json)
        let offer = try #require(event.offers?.offers.first)
        #expect(offer.attributes.map(\.stringValue) == ["r1", "8", "[1-3]", "{x,y}"])
        #expect(offer.resources[0].reservedRole == nil)
        #expect(offer.resources[2].reservedRole == "web")
        #expect(offer.unavailability?.duration?.seconds == 3600)
        #expect(offer.allocationInfo?.role == "web")
    }

    @Test func updateEvent() throws {
        let json = """
        {"type":"UPDATE","update":{"status":{"task_id":{"value":"web.1"},"state":"TASK_RUNNING",
         "message":"ok","source":"SOURCE_EXECUTOR","reason":"REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
         "agent_id":{"value":"A1"},"executor_id":{"value":"web.1"},"timestamp":1700000000.25,
         "uuid":"3q2+7wAAAAAAAAAAAAAAAA==","healthy":true,"labels":{"labels":[{"key":"k","value":"v"}]},
         "data":"AAE=","container_status":{"network_infos":[{"ip_addresses":[{"ip_address":"127.0.0.2"}]}],"executor_pid":42}}}}
        """
        let event = try expectRoundTrip(Event.self, json)
        let status = try #require(event.update?.status)
        #expect(status.state == .running)
        #expect(status.reason == .taskHealthCheckStatusUpdated)
        #expect(status.source == .executor)
        #expect(status.uuid?.data.prefix(4) == Data([0xde, 0xad, 0xbe, 0xef]))
        #expect(status.healthy == true)
        #expect(status.timestamp == 1700000000.25)
        #expect(status.containerStatus?.executorPID == 42)
    }

    @Test func otherEvents() throws {
        try expectRoundTrip(Event.self, #"{"type":"HEARTBEAT"}"#)
        try expectRoundTrip(Event.self, #"{"type":"RESCIND","rescind":{"offer_id":{"value":"O1"}}}"#)
        try expectRoundTrip(Event.self,
            #"{"type":"RESCIND_INVERSE_OFFER","rescind_inverse_offer":{"inverse_offer_id":{"value":"I1"}}}"#)
        try expectRoundTrip(Event.self, #"{"type":"ERROR","error":{"message":"Framework has been removed"}}"#)
        try expectRoundTrip(Event.self, #"{"type":"FAILURE","failure":{"agent_id":{"value":"A1"}}}"#)
        try expectRoundTrip(Event.self,
            #"{"type":"FAILURE","failure":{"agent_id":{"value":"A1"},"executor_id":{"value":"E"},"status":137}}"#)
        try expectRoundTrip(Event.self,
            #"{"type":"MESSAGE","message":{"agent_id":{"value":"A"},"executor_id":{"value":"E"},"data":"aGk="}}"#)
        let inverse = try expectRoundTrip(Event.self, """
        {"type":"INVERSE_OFFERS","inverse_offers":{"inverse_offers":[{"id":{"value":"I1"},"framework_id":{"value":"F"},
         "agent_id":{"value":"A1"},"unavailability":{"start":{"nanoseconds":5}}}]}}
        """)
        #expect(inverse.inverseOffers?.inverseOffers.first?.unavailability.duration == nil)
        try expectRoundTrip(Event.self, """
        {"type":"UPDATE_OPERATION_STATUS","update_operation_status":{"status":{"operation_id":{"value":"op"},
         "state":"OPERATION_FINISHED","uuid":{"value":"AAE="},"agent_id":{"value":"A"}}}}
        """)
    }

    @Test func eventConstructorsMatchTheirJSON() throws {
        #expect(try encodedObject(Event.heartbeat) == jsonObject(#"{"type":"HEARTBEAT"}"#))
        #expect(try encodedObject(Event.error("x")) == jsonObject(#"{"type":"ERROR","error":{"message":"x"}}"#))
        #expect(try encodedObject(Event.subscribed("F", heartbeatIntervalSeconds: 1)) == jsonObject(
            #"{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"F"},"heartbeat_interval_seconds":1}}"#))
        #expect(try encodedObject(Event.rescind("O")) == jsonObject(#"{"type":"RESCIND","rescind":{"offer_id":{"value":"O"}}}"#))
    }

    @Test func operatorCalls() throws {
        try expectRoundTrip(OperatorCall.self,
            #"{"type":"DRAIN_AGENT","drain_agent":{"agent_id":{"value":"A1"},"max_grace_period":{"seconds":30},"mark_gone":false}}"#)
        #expect(try encodedObject(OperatorCall.drainAgent("A1", maxGracePeriodSeconds: 10)) == jsonObject(
            #"{"type":"DRAIN_AGENT","drain_agent":{"agent_id":{"value":"A1"},"max_grace_period":{"seconds":10}}}"#))
        #expect(try encodedObject(OperatorCall.deactivateAgent("A1")) == jsonObject(
            #"{"type":"DEACTIVATE_AGENT","deactivate_agent":{"agent_id":{"value":"A1"}}}"#))
        #expect(try encodedObject(OperatorCall.reactivateAgent("A1")) == jsonObject(
            #"{"type":"REACTIVATE_AGENT","reactivate_agent":{"agent_id":{"value":"A1"}}}"#))
        try expectRoundTrip(OperatorCall.self, """
        {"type":"UPDATE_MAINTENANCE_SCHEDULE","update_maintenance_schedule":{"schedule":{"windows":[
         {"machine_ids":[{"hostname":"127.0.0.2","ip":"127.0.0.2"}],
          "unavailability":{"start":{"nanoseconds":1},"duration":{"nanoseconds":2}}}]}}}
        """)
        try expectRoundTrip(OperatorCall.self,
            #"{"type":"START_MAINTENANCE","start_maintenance":{"machines":[{"hostname":"h","ip":"127.0.0.2"}]}}"#)
        try expectRoundTrip(OperatorCall.self,
            #"{"type":"STOP_MAINTENANCE","stop_maintenance":{"machines":[{"hostname":"h"}]}}"#)
        try expectRoundTrip(OperatorCall.self, #"{"type":"GET_STATE"}"#)
    }

    @Test func masterStateLegacyFormat() throws {
        let json = """
        {"version":"1.11.0","git_sha":"abc","id":"M1","pid":"master@127.0.0.1:5050","hostname":"localhost",
         "leader":"master@127.0.0.1:5050","start_time":1700000000.5,"activated_slaves":1,
         "slaves":[{"id":"S0","pid":"slave(1)@127.0.0.2:5051","hostname":"127.0.0.2","port":5051,
          "resources":{"cpus":4,"mem":4096,"disk":10000,"gpus":0,"ports":"[31000-31999, 33000-33010]"},
          "used_resources":{"cpus":0.5,"mem":128,"disk":0,"ports":"[31000-31000]"},
          "attributes":{"rack":"r1","zone":"z1","cores":8},"active":true,"version":"1.11.0"}],
         "frameworks":[{"id":"F1","name":"converge","active":true,"connected":true,"user":"root",
          "failover_timeout":604800,"checkpoint":true,"roles":["web"],"capabilities":["PARTITION_AWARE"],
          "tasks":[{"id":"web.1","name":"web","framework_id":"F1","executor_id":"","slave_id":"S0",
           "state":"TASK_RUNNING","resources":{"cpus":0.5,"mem":128,"disk":0,"ports":"[31000-31000]"},
           "statuses":[{"state":"TASK_STARTING","timestamp":1700000001.0},
                       {"state":"TASK_RUNNING","timestamp":1700000002.0,"healthy":true,
                        "container_status":{"network_infos":[{"ip_addresses":[{"ip_address":"127.0.0.2"}]}]}}],
           "labels":[{"key":"converge.app","value":"web"},{"key":"converge.slot","value":"0"}]}],
          "completed_tasks":[],"unreachable_tasks":[]}],
         "completed_frameworks":[]}
        """
        let state = try decodeWire(MasterState.self, json)
        #expect(state.slaves.count == 1)
        let agent = try #require(state.slaves.first)
        #expect(agent.resources?.cpus == 4)
        #expect(agent.resources?.ports == [31000...31999, 33000...33010])
        #expect(agent.attributes?["rack"]?.description == "r1")
        #expect(agent.attributes?["cores"]?.description == "8")
        let framework = try #require(state.framework("F1"))
        #expect(framework.roles == ["web"])
        let task = try #require(framework.tasks.first)
        #expect(task.state == .running)
        #expect(task.label("converge.slot") == "0")
        #expect(task.statuses.last?.healthy == true)
        #expect(task.resources?.ports == [31000...31000])
        // Encoding and decoding again keeps the model.
        #expect(try MesosJSON.decode(MasterState.self, from: MesosJSON.encode(state)) == state)
    }

    @Test func flatResourcesFromV1Resources() {
        let flat = FlatResources([
            .scalar("cpus", 1), .scalar("cpus", 0.5), .scalar("mem", 256),
            .ranges("ports", [31005...31006, 31000...31001]),
        ])
        #expect(flat.cpus == 1.5)
        #expect(flat.mem == 256)
        #expect(flat["ports"] == .text("[31000-31001, 31005-31006]"))
    }

    @Test func versionAndFileChunk() throws {
        let version = try expectRoundTrip(VersionInfo.self,
            #"{"version":"1.11.0","build_date":"2020-01-01","build_time":1577836800,"build_user":"ci","git_sha":"abc"}"#)
        #expect(version.version == "1.11.0")
        let chunk = try expectRoundTrip(FileChunk.self, #"{"offset":12,"data":"hello\n"}"#)
        #expect(chunk.offset == 12 && chunk.data == "hello\n")
    }
}

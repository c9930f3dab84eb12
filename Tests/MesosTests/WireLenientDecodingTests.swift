import Foundation
import Testing
@testable import Mesos

@Suite("Lenient wire decoding")
struct WireLenientDecodingTests {
    @Test func unknownFieldsAreIgnored() throws {
        let event = try decodeWire(Event.self, """
        {"type":"UPDATE","new_top_level":{"x":[1,2]},"update":{"status":{"task_id":{"value":"t","extra":1},
         "state":"TASK_FAILED","check_status":{"type":"COMMAND"},"limitation":{"resources":[]},"unreachable_time":{"nanoseconds":3}}}}
        """)
        #expect(event.update?.status.state == .failed)
        #expect(event.update?.status.unreachableTime?.nanoseconds == 3)
    }

    @Test func unknownEnumValuesSurvive() throws {
        let event = try decodeWire(Event.self, """
        {"type":"SOMETHING_NEW","update":{"status":{"task_id":{"value":"t"},"state":"TASK_FROBNICATED",
         "reason":"REASON_FROM_THE_FUTURE","source":"SOURCE_MOON"}}}
        """)
        #expect(event.type == Event.EventType("SOMETHING_NEW"))
        #expect(event.update?.status.state.rawValue == "TASK_FROBNICATED")
        #expect(event.update?.status.state.isTerminal == false)
        #expect(event.update?.status.reason?.rawValue == "REASON_FROM_THE_FUTURE")
        // And they encode back unchanged.
        let again = try MesosJSON.decode(Event.self, from: MesosJSON.encode(event))
        #expect(again == event)
        let info = try decodeWire(FrameworkInfo.self,
            #"{"user":"u","name":"n","capabilities":[{"type":"TELEPATHY"},{}]}"#)
        #expect(info.capabilities.map { $0.type?.rawValue } == ["TELEPATHY", nil])
    }

    @Test func numericEnumValueIsKeptAsUnknown() throws {
        let status = try decodeWire(TaskStatus.self, #"{"task_id":{"value":"t"},"state":1}"#)
        #expect(status.state.rawValue == "1")
    }

    @Test func numbersAsStrings() throws {
        let task = try decodeWire(TaskInfo.self, """
        {"name":"n","task_id":{"value":"t"},"agent_id":{"value":"a"},
         "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":"0.25"}},
                      {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":"31000","end":"31002"}]}}],
         "command":{"value":"x","shell":"false"},
         "health_check":{"type":"TCP","tcp":{"port":"8080"},"consecutive_failures":"5","interval_seconds":"2.5"},
         "kill_policy":{"grace_period":{"nanoseconds":"1000"}}}
        """)
        #expect(task.resources[0].scalar?.value == 0.25)
        #expect(task.resources[1].ranges?.range.first == ValueRange(begin: 31000, end: 31002))
        #expect(task.command?.shell == false)
        #expect(task.healthCheck?.tcp?.port == 8080)
        #expect(task.healthCheck?.consecutiveFailures == 5)
        #expect(task.healthCheck?.intervalSeconds == 2.5)
        #expect(task.killPolicy?.gracePeriod?.nanoseconds == 1000)
        // Encoding writes numbers, not strings.
        let encoded = String(decoding: try MesosJSON.encode(task), as: UTF8.self)
        #expect(encoded.contains(#""port":8080"#))
        #expect(encoded.contains(#""nanoseconds":1000"#))
    }

    @Test func integralDoublesForIntegers() throws {
        let range = try decodeWire(ValueRange.self, #"{"begin":31000.0,"end":3.1001e4}"#)
        #expect(range == ValueRange(begin: 31000, end: 31001))
        #expect(throws: DecodingError.self) { try decodeWire(ValueRange.self, #"{"begin":1.5,"end":2}"#) }
    }

    @Test func infinityDoubles() throws {
        let info = try decodeWire(FrameworkInfo.self, #"{"user":"u","name":"n","failover_timeout":"Infinity"}"#)
        #expect(info.failoverTimeout == .infinity)
        let filters = try decodeWire(Filters.self, #"{"refuse_seconds":"Infinity"}"#)
        #expect(filters.effectiveRefuseSeconds == 365 * 86400)
        #expect(try encodedObject(filters) == jsonObject(#"{"refuse_seconds":"Infinity"}"#))
        let scalar = try decodeWire(ScalarValue.self, #"{"value":"-Infinity"}"#)
        #expect(scalar.value == -.infinity)
    }

    @Test func badValuesAreErrorsNotCrashes() throws {
        #expect(throws: DecodingError.self) { try decodeWire(ScalarValue.self, #"{"value":"lots"}"#) }
        #expect(throws: DecodingError.self) { try decodeWire(ScalarValue.self, #"{"value":[1]}"#) }
        #expect(throws: DecodingError.self) { try decodeWire(TaskStatus.self, #"{"state":"TASK_RUNNING"}"#) }
        #expect(throws: DecodingError.self) {
            try decodeWire(TaskStatus.self, #"{"task_id":{"value":"t"},"state":"TASK_RUNNING","uuid":"%%%"}"#)
        }
    }

    @Test func nullsAndMissingRepeatedFields() throws {
        let offer = try decodeWire(Offer.self, """
        {"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"},"hostname":"h","resources":null}
        """)
        #expect(offer.resources.isEmpty && offer.attributes.isEmpty)
        #expect(try encodedObject(offer) == jsonObject(
            #"{"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"},"hostname":"h"}"#))
    }

    @Test func booleansAsStringsOrNumbers() throws {
        let uri = try decodeWire(CommandInfo.URI.self, #"{"value":"u","extract":"true","executable":0,"cache":"1"}"#)
        #expect(uri.extract == true && uri.executable == false && uri.cache == true)
    }

    @Test func taskStateClassification() {
        #expect(TaskState.allKnown.filter(\.isTerminal) == [.finished, .failed, .killed, .error, .dropped, .gone])
        #expect(TaskState.allKnown.filter(\.isPartitionAwareOnly) ==
            [.dropped, .unreachable, .gone, .goneByOperator, .unknown])
        #expect(TaskStatus.Reason.allKnown.count == 35)
        #expect(Set(TaskStatus.Reason.allKnown).count == 35)
    }

    @Test func unpaddedBase64Uuid() throws {
        let status = try decodeWire(TaskStatus.self, #"{"task_id":{"value":"t"},"state":"TASK_RUNNING","uuid":"AAE"}"#)
        #expect(status.uuid?.data == Data([0, 1]))
    }
}

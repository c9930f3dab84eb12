import Foundation

/// A hand-written decoder for the events that dominate the stream (UPDATE, HEARTBEAT).
///
/// It returns nil for anything outside its simple subset (other event types, numeric strings,
/// fields it does not model, malformed JSON); the caller then uses `JSONDecoder`, which stays the
/// reference. Tests check both paths agree.
enum FastEventDecoding {
    static func decode(_ record: Data) -> Event? {
        record.withUnsafeBytes { raw -> Event? in
            var cursor = JSONCursor(raw)
            var type: String?
            var status: TaskStatus?
            let ok = cursor.readObject { cursor, key in
                switch key {
                case "type":
                    type = cursor.readString()
                    return type != nil
                case "update":
                    return cursor.readObject { cursor, key in
                        guard key == "status" else { return cursor.skipValue() }
                        status = readTaskStatus(&cursor)
                        return status != nil
                    }
                default:
                    return false
                }
            }
            cursor.skipWhitespace()
            guard ok, cursor.isAtEnd, let type else { return nil }
            switch type {
            case "UPDATE":
                guard let status else { return nil }
                return .update(status)
            case "HEARTBEAT":
                return status == nil ? .heartbeat : nil
            default:
                return nil
            }
        }
    }

    private static func readTaskStatus(_ cursor: inout JSONCursor) -> TaskStatus? {
        var taskID: String?
        var state: String?
        var status = TaskStatus(taskID: "", state: .unknown)
        let ok = cursor.readObject { cursor, key in
            switch key {
            case "task_id":
                taskID = cursor.readIDValue()
                return taskID != nil
            case "state":
                state = cursor.readString()
                return state != nil
            case "message":
                guard let value = cursor.readString() else { return false }
                status.message = value
            case "source":
                guard let value = cursor.readString() else { return false }
                status.source = TaskStatus.Source(value)
            case "reason":
                guard let value = cursor.readString() else { return false }
                status.reason = TaskStatus.Reason(value)
            case "agent_id":
                guard let value = cursor.readIDValue() else { return false }
                status.agentID = AgentID(value)
            case "executor_id":
                guard let value = cursor.readIDValue() else { return false }
                status.executorID = ExecutorID(value)
            case "timestamp":
                guard let value = cursor.readNumber() else { return false }
                status.timestamp = value
            case "uuid":
                guard let value = cursor.readString(), let bytes = Bytes(base64: value) else { return false }
                status.uuid = bytes
            case "data":
                guard let value = cursor.readString(), let bytes = Bytes(base64: value) else { return false }
                status.data = bytes
            case "healthy":
                guard let value = cursor.readBool() else { return false }
                status.healthy = value
            case "labels":
                guard let labels = readLabels(&cursor) else { return false }
                status.labels = labels
            case "container_status":
                guard let containerStatus = readContainerStatus(&cursor) else { return false }
                status.containerStatus = containerStatus
            case "unreachable_time":
                var nanos: Double?
                guard cursor.readObject({ cursor, key in
                    guard key == "nanoseconds" else { return cursor.skipValue() }
                    nanos = cursor.readNumber()
                    return nanos != nil
                }), let nanos, let exact = Int64(exactly: nanos) else { return false }
                status.unreachableTime = TimeInfo(nanoseconds: exact)
            case "check_status", "limitation":
                return cursor.skipValue()  // Not modelled; the Codable path ignores them too.
            default:
                return cursor.skipValue()
            }
            return true
        }
        guard ok, let taskID, let state else { return nil }
        status.taskID = TaskID(taskID)
        status.state = TaskState(state)
        return status
    }

    private static func readLabels(_ cursor: inout JSONCursor) -> Labels? {
        var labels: [Label] = []
        let ok = cursor.readObject { cursor, key in
            guard key == "labels" else { return cursor.skipValue() }
            return cursor.readArray { cursor in
                var labelKey: String?
                var value: String?
                guard cursor.readObject({ cursor, key in
                    switch key {
                    case "key": labelKey = cursor.readString(); return labelKey != nil
                    case "value": value = cursor.readString(); return value != nil
                    default: return cursor.skipValue()
                    }
                }), let labelKey else { return false }
                labels.append(Label(key: labelKey, value: value))
                return true
            }
        }
        return ok ? Labels(labels) : nil
    }

    private static func readContainerStatus(_ cursor: inout JSONCursor) -> ContainerStatus? {
        var status = ContainerStatus()
        let ok = cursor.readObject { cursor, key in
            switch key {
            case "executor_pid":
                guard let value = cursor.readNumber(), let pid = UInt32(exactly: value) else { return false }
                status.executorPID = pid
                return true
            case "network_infos":
                return cursor.readArray { cursor in
                    guard let info = readNetworkInfo(&cursor) else { return false }
                    status.networkInfos.append(info)
                    return true
                }
            case "container_id":
                // A nested container id chain: leave it to the Codable path unless it is flat.
                var value: String?
                guard cursor.readObject({ cursor, key in
                    guard key == "value" else { return false }
                    value = cursor.readString()
                    return value != nil
                }), let value else { return false }
                status.containerID = ContainerID(value)
                return true
            case "cgroup_info":
                return cursor.skipValue()
            default:
                return cursor.skipValue()
            }
        }
        return ok ? status : nil
    }

    private static func readNetworkInfo(_ cursor: inout JSONCursor) -> ContainerInfo.NetworkInfo? {
        var info = ContainerInfo.NetworkInfo()
        let ok = cursor.readObject { cursor, key in
            switch key {
            case "name":
                guard let name = cursor.readString() else { return false }
                info.name = name
                return true
            case "ip_addresses":
                return cursor.readArray { cursor in
                    var address = ContainerInfo.NetworkInfo.IPAddress()
                    guard cursor.readObject({ cursor, key in
                        switch key {
                        case "ip_address":
                            address.ipAddress = cursor.readString()
                            return address.ipAddress != nil
                        case "protocol":
                            address.protocol = cursor.readString()
                            return address.protocol != nil
                        default:
                            return cursor.skipValue()
                        }
                    }) else { return false }
                    info.ipAddresses.append(address)
                    return true
                }
            case "groups", "labels", "port_mappings":
                return false  // Modelled fields this fast path leaves to the Codable path.
            default:
                return cursor.skipValue()
            }
        }
        return ok ? info : nil
    }
}

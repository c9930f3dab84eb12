import CZooKeeper
import Foundation

/// What a znode's stat says that Converge uses.
public struct NodeStat: Sendable, Hashable {
    public var version: Int32
    public var dataLength: Int32
    public var numChildren: Int32
    /// The owning session for ephemeral nodes; 0 for persistent ones.
    public var ephemeralOwner: Int64
    public var modified: Date

    init(_ stat: Stat) {
        version = stat.version
        dataLength = stat.dataLength
        numChildren = stat.numChildren
        ephemeralOwner = stat.ephemeralOwner
        modified = Date(timeIntervalSince1970: Double(stat.mtime) / 1000)
    }
}

public enum CreateMode: Sendable {
    case persistent, ephemeral, ephemeralSequential, persistentSequential

    var flags: Int32 {
        switch self {
        case .persistent: ZOO_PERSISTENT
        case .ephemeral: ZOO_EPHEMERAL
        case .ephemeralSequential: ZOO_EPHEMERAL_SEQUENTIAL
        case .persistentSequential: ZOO_PERSISTENT_SEQUENTIAL
        }
    }
}

extension ZooKeeperSession {
    /// Largest znode data the server accepts by default (jute.maxbuffer).
    public static let maxDataSize = 1_048_575

    /// Creates a node; returns its path (with the sequence suffix for sequential modes).
    @discardableResult
    public func create(_ path: String, data: Data = Data(), mode: CreateMode = .persistent) async throws -> String {
        try await blocking { zh in
            var created = [CChar](repeating: 0, count: path.utf8.count + 32)
            let code = data.withUnsafeBytes { bytes -> Int32 in
                zoo_create(zh, path, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(data.count),
                           converge_zoo_open_acl(), mode.flags, &created, Int32(created.count))
            }
            guard code == ZOK.rawValue else { throw ZooKeeperError(code: code, path: path) }
            return String(cString: created)
        }
    }

    /// Creates `path` and its missing parents as empty persistent nodes.
    public func ensurePath(_ path: String) async throws {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            do {
                try await create(current)
            } catch ZooKeeperError.nodeExists {
            }
        }
    }

    /// The node's data and stat, or nil when it does not exist. `watch` sets a data watch
    /// (`dataChanged`/`deleted`) when it exists.
    public func get(_ path: String, watch: Bool = false) async throws -> (data: Data, stat: NodeStat)? {
        try await blocking { zh in
            var capacity = 64 * 1024
            while true {
                var buffer = [CChar](repeating: 0, count: capacity)
                var length = Int32(capacity)
                var stat = Stat()
                let code = zoo_get(zh, path, watch ? 1 : 0, &buffer, &length, &stat)
                if code == ZNONODE.rawValue { return nil }
                guard code == ZOK.rawValue else { throw ZooKeeperError(code: code, path: path) }
                if Int(stat.dataLength) > capacity {
                    capacity = Int(stat.dataLength)
                    continue
                }
                let data = length > 0 ? buffer.withUnsafeBytes { Data($0.prefix(Int(length))) } : Data()
                return (data, NodeStat(stat))
            }
        }
    }

    /// Replaces the node's data; `version` -1 matches any version.
    @discardableResult
    public func set(_ path: String, data: Data, version: Int32 = -1) async throws -> NodeStat {
        guard data.count <= Self.maxDataSize else {
            throw ZooKeeperError.other(code: ZBADARGUMENTS.rawValue, path: "\(path) (\(data.count) bytes is over the 1 MB limit)")
        }
        return try await blocking { zh in
            var stat = Stat()
            let code = data.withUnsafeBytes { bytes -> Int32 in
                zoo_set2(zh, path, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(data.count), version, &stat)
            }
            guard code == ZOK.rawValue else { throw ZooKeeperError(code: code, path: path) }
            return NodeStat(stat)
        }
    }

    /// Sets the data, creating the node (persistent, parents too) when it is missing.
    public func put(_ path: String, data: Data) async throws {
        do {
            try await set(path, data: data)
        } catch ZooKeeperError.noNode {
            if let parent = path.range(of: "/", options: .backwards).map({ String(path[..<$0.lowerBound]) }), !parent.isEmpty {
                try await ensurePath(parent)
            }
            do {
                try await create(path, data: data)
            } catch ZooKeeperError.nodeExists {
                try await set(path, data: data)
            }
        }
    }

    /// Deletes the node; false when it did not exist.
    @discardableResult
    public func delete(_ path: String, version: Int32 = -1) async throws -> Bool {
        try await blocking { zh in
            let code = zoo_delete(zh, path, version)
            if code == ZNONODE.rawValue { return false }
            guard code == ZOK.rawValue else { throw ZooKeeperError(code: code, path: path) }
            return true
        }
    }

    /// The stat, or nil when the node does not exist. `watch` sets a watch that fires on its creation,
    /// deletion or change.
    public func exists(_ path: String, watch: Bool = false) async throws -> NodeStat? {
        try await blocking { zh in
            var stat = Stat()
            let code = zoo_exists(zh, path, watch ? 1 : 0, &stat)
            if code == ZNONODE.rawValue { return nil }
            guard code == ZOK.rawValue else { throw ZooKeeperError(code: code, path: path) }
            return NodeStat(stat)
        }
    }

    /// The children's names (unsorted). `watch` sets a watch that fires `childrenChanged` once.
    public func children(_ path: String, watch: Bool = false) async throws -> [String] {
        try await blocking { zh in
            var strings = String_vector()
            let code = zoo_get_children(zh, path, watch ? 1 : 0, &strings)
            guard code == ZOK.rawValue else { throw ZooKeeperError(code: code, path: path) }
            defer { deallocate_String_vector(&strings) }
            return (0..<Int(strings.count)).compactMap { strings.data[$0].map { String(cString: $0) } }
        }
    }
}

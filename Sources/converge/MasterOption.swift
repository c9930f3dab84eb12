import ArgumentParser
import Logging
import Mesos
import ZooKeeper

/// `--master`: a comma-separated list of master URLs, or `zk://hosts/path` (the leader found in ZooKeeper).
enum MasterOption {
    static func clientConfiguration(_ value: String, logger: Logger) async throws -> MesosClientConfiguration {
        if ZooKeeperAddress.isZooKeeper(value) {
            let address: ZooKeeperAddress
            do {
                address = try ZooKeeperAddress(parsing: value)
            } catch {
                throw ValidationError("--master: \(error)")
            }
            let detector = ZooKeeperMasterDetector(address: address, logger: logger)
            let leader = try await detector.start(deadline: .seconds(30))
            logger.info("Leading Mesos master found in ZooKeeper", metadata: ["master": "\(leader)", "zk": "\(address)"])
            return MesosClientConfiguration(detector: detector, fallback: leader)
        }
        let masters = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try MesosClientConfiguration(masters: masters)
    }
}

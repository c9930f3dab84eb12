import Foundation
import Manifests
@testable import SingularityImport

enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tests/singularity")

    /// The simulator's fixture: request parents with their active deploys.
    static func parents(_ file: String = "requests.json") throws -> [SingularityRequestParent] {
        try JSONDecoder().decode([SingularityRequestParent].self, from: Data(contentsOf: folder.appendingPathComponent(file)))
    }

    static func parent(_ json: String) throws -> SingularityRequestParent {
        try JSONDecoder().decode(SingularityRequestParent.self, from: Data(json.utf8))
    }

    /// Converts, then reads the output back with Converge's own manifest loader.
    static func imported(_ parents: [SingularityRequestParent], options: SingularityImport.Options = .init(skipUndeployed: true))
        throws -> (output: SingularityImport.Output, set: ManifestSet)
    {
        let output = try SingularityImport.convert(parents, source: "test", options: options)
        return (output, loadManifests(output.files))
    }
}

extension ImportReport {
    func entry(_ id: String) -> Entry? { entries.first { $0.requestId == id } }
}

/// A small deterministic generator (SplitMix64) for property tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

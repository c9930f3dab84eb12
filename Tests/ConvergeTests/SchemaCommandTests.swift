import Foundation
import Testing

/// `converge schema` prints the committed schema/converge-v1.schema.json byte for byte.
@Suite struct SchemaCommandTests {
    @Test func printsTheCommittedSchema() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("schema/converge-v1.schema.json"), encoding: .utf8)
        let result = try ConvergeBinary.run(["schema"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == committed, "regenerate it: converge schema > schema/converge-v1.schema.json")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }
}

import Manifests
import Testing
@testable import SingularityImport

@Suite("Request ids to names")
struct NamingTests {
    @Test("sanitized into DNS labels", arguments: [
        ("billing-api", "billing-api"), ("Search_API.v2", "search-api-v2"), ("--x--", "x"), ("a__b", "a-b"),
        ("UPPER", "upper"), ("émoji☃", "moji"), ("___", "request"), ("a/b:c", "a-b-c"),
    ])
    func sanitize(_ row: (String, String)) {
        #expect(Naming.sanitize(row.0) == row.1)
    }

    @Test("long ids are cut to 63 with a hash, still unique and valid")
    func long() {
        let a = String(repeating: "service.", count: 12) + "one"
        let b = String(repeating: "service.", count: 12) + "two"
        let names = Naming.assign([a, b])
        #expect(names[a]!.count <= 63 && names[b]!.count <= 63)
        #expect(names[a] != names[b])
    }

    @Test("collisions: the id that is already the name keeps it; others get a stable hash suffix")
    func collisions() {
        let ids = ["search-api-v2", "Search_API.v2", "search.api.v2", "other"]
        let names = Naming.assign(ids)
        #expect(names["search-api-v2"] == "search-api-v2")
        #expect(names["other"] == "other")
        #expect(Set(names.values).count == ids.count)
        #expect(names["Search_API.v2"]!.hasPrefix("search-api-v2-"))
        // Deterministic whatever the order.
        #expect(Naming.assign(ids.reversed()) == names)
    }

    @Test("names of 2,000 random ids are unique and valid")
    func randomIds() {
        var generator = SeededGenerator(state: 7)
        let alphabet = Array("abAB09-_.:/ ")
        let ids = (0..<2000).map { _ in String((0..<Int.random(in: 1...70, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
        let names = Naming.assign(ids)
        #expect(Set(names.values).count == Set(ids).count)
        let docs = names.values.map { "apiVersion: converge/v1\nkind: Worker\nmetadata: {name: \($0)}\nspec: {command: x}\n" }
        let set = loadManifests(docs.enumerated().map { ManifestFile(path: "\($0.offset).yaml", contents: Array($0.element.utf8)) })
        #expect(set.errors.isEmpty, "\(set.errors.prefix(3))")
    }

    @Test("owner folders")
    func folders() {
        #expect(Naming.folder(forOwner: "team-billing@example.com") == "team-billing")
        #expect(Naming.folder(forOwner: nil) == "unowned")
        #expect(Naming.folder(forOwner: "Data Science") == "data-science")
    }
}

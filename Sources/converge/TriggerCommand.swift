import ArgumentParser
import Reconciler

/// `converge trigger NAME [--env KEY=VALUE]... [-- ARGS...]`: start a run of an OnDemand job.
struct TriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Start a run of an OnDemand job, with extra arguments after --.")

    @Argument(help: "The OnDemand job.") var name: String
    @Option(name: .customLong("env"), help: ArgumentHelp("Extra environment for the run (repeatable).", valueName: "key=value"))
    var environment: [String] = []
    @Argument(parsing: .postTerminator, help: "Extra arguments for the run.") var arguments: [String] = []
    @OptionGroup var server: ServerOptions

    func validate() throws {
        _ = try parsedEnvironment()
    }

    func parsedEnvironment() throws -> [(String, APIJSON)] {
        var seen = Set<String>()
        return try environment.map { entry in
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--env must be KEY=VALUE, got \"\(entry.prefix(40))\"")
            }
            let key = String(entry[..<equals])
            guard seen.insert(key).inserted else { throw ValidationError("--env \(key) given twice") }
            return (key, APIJSON.string(String(entry[entry.index(after: equals)...])))
        }
    }

    func run() async throws {
        let client = try server.client(withToken: true)
        let body = APIJSON.object([("args", .array(arguments.map(APIJSON.string))), ("env", .object(try parsedEnvironment()))])
        let answer = try await APIClient.run {
            try await client.post("/api/v1/services/\(APIClient.segment(name))/trigger", body: body, as: TriggerAnswer.self)
        }
        Console.out("\(answer.service): started run \(answer.run)\n")
    }
}

import ArgumentParser

/// Benchmarks: `swift run -c release converge-bench <name>`; see docs/benchmarks.md.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converge-bench",
        abstract: "Converge's benchmarks (run in a release build).",
        subcommands: [
            ManifestsBenchmark.self,
            ManifestsPhase.self,
            GitReadBenchmark.self,
            RecordIOBenchmark.self,
            PlacementBenchmark.self,
            DevClusterBenchmark.self,
            ControllerScaleBenchmark.self,
            ControllerConvergeBenchmark.self,
            ControllerMemoryBenchmark.self,
            CoreStateBenchmark.self,
            CoreConvergeBenchmark.self,
            CoreScaleBenchmark.self,
            ImportBenchmark.self,
            NotifyBenchmark.self,
            ExecutorBenchmark.self,
            DashboardBenchmark.self,
        ]
    )
}

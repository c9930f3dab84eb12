// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Converge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "converge", targets: ["converge"]),
        .executable(name: "converge-executor", targets: ["converge-executor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // No pkg-config file: the module map links zookeeper_mt.
        .systemLibrary(name: "CZooKeeper", providers: [.apt(["libzookeeper-mt-dev"])]),

        // The data path: git -> manifests -> plan -> Mesos.
        .target(name: "Manifests", dependencies: [
            "CYAML",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "GitSource", dependencies: ["CGit2"]),
        .target(name: "Mesos", dependencies: [
            "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ZooKeeper", dependencies: [
            "CZooKeeper", "Mesos",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Task logs archived to S3 (the executor uploads, the controller reads).
        .target(name: "LogArchive", dependencies: [
            "CCurl", "CZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Reconciler", dependencies: [
            "Manifests", "GitSource", "Scheduler", "Mesos", "ZooKeeper", "LogArchive",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Scheduler", dependencies: [
            "Mesos", "Manifests",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "DevCluster", dependencies: [
            "Mesos", "CCurl", "CYAML", "ZooKeeper",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SingularityImport", dependencies: ["Manifests", "Mesos"]),
        .executableTarget(name: "converge", dependencies: [
            "Manifests", "GitSource", "Reconciler", "Scheduler", "Mesos", "DevCluster", "SingularityImport", "ZooKeeper", "LogArchive",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The Mesos custom executor run on agents.
        .target(name: "Executor", dependencies: [
            "Mesos", "CCurl", "CZlib", "LogArchive",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "converge-executor", dependencies: [
            "Executor",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "converge-bench", dependencies: [
            "Manifests", "GitSource", "Reconciler", "Mesos", "DevCluster", "Scheduler", "CYAML",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "ManifestsTests", dependencies: ["Manifests"]),
        .testTarget(name: "GitSourceTests", dependencies: ["GitSource"]),
        .testTarget(name: "ReconcilerTests", dependencies: ["Reconciler", "Manifests", "GitSource", "Scheduler", "Mesos", "DevCluster"]),
        .testTarget(name: "MesosTests", dependencies: ["Mesos"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Mesos", "Manifests", "DevCluster"]),
        .testTarget(name: "DevClusterTests", dependencies: ["DevCluster", "Mesos"]),
        .testTarget(name: "ZooKeeperTests", dependencies: ["ZooKeeper", "Mesos", "DevCluster", "Scheduler", "Reconciler"]),
        .testTarget(name: "ConvergeTests", dependencies: ["converge"]),
        .testTarget(name: "SingularityImportTests", dependencies: ["SingularityImport", "Manifests"]),
        .testTarget(name: "ExecutorTests", dependencies: ["Executor", "Mesos", "DevCluster", "converge-executor", "LogArchive"]),
        .testTarget(name: "LogArchiveTests", dependencies: ["LogArchive"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0

#if !os(Linux)
#error("runbook builds and runs on Linux only: it uses Glibc (flock, fork/exec, signals, termios) and the system libcurl and cmark-gfm")
#endif
import PackageDescription

// Linux only: the code speaks Glibc (flock, fork/exec, signals, termios) and links the system's
// libcurl and cmark-gfm. See README "Module map" for what each target does.

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "runbook",
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookCore", targets: ["RunbookCore"]),
        .library(name: "DocGen", targets: ["DocGen"]),
        .library(name: "OpsActions", targets: ["OpsActions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: - C
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),

        // MARK: - Libraries, bottom up
        // The operating system: reading files of every kind, syscalls, user and host names.
        .target(name: "SystemIO", swiftSettings: strict),
        // Docs: the doc model, the dialect parser (cmark-gfm), runbook.toml, shell words, checks.
        .target(
            name: "RunbookCore",
            dependencies: ["CCmarkGFM", "SystemIO", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Ops actions over libcurl: AWS (SigV4, credentials, ECS, Logs, RDS, STS, S3), probes, Slack, Redis.
        .target(
            name: "OpsActions",
            dependencies: ["CCurl", "SystemIO", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The static site from the doc model. No network, runs nothing.
        .target(name: "DocGen", dependencies: ["RunbookCore", "SystemIO"], swiftSettings: strict),
        // `runbook serve`.
        .target(name: "SitePreview", dependencies: ["DocGen", "RunbookCore", "SystemIO"], swiftSettings: strict),
        // The audit log: append, verify, show, timeline, and its CloudWatch Logs copy.
        .target(
            name: "AuditTrail",
            dependencies: ["SystemIO", "OpsActions", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Running a section: plan, bind, gate, lock, run, record.
        .target(
            name: "RunbookExec",
            dependencies: ["RunbookCore", "OpsActions", "AuditTrail", "SystemIO", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The CLI: one thin file per subcommand.
        .executableTarget(
            name: "runbook",
            dependencies: [
                "AuditTrail",
                "DocGen",
                "OpsActions",
                "RunbookCore",
                "RunbookExec",
                "SitePreview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Tests: one target per module; every test that runs the binary is in RunbookCLITests.
        .target(name: "TestSupport", dependencies: ["OpsActions", "DocGen", "RunbookCore", "SystemIO"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RunbookCoreTests", dependencies: ["RunbookCore", "TestSupport", .product(name: "Yams", package: "Yams")],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "OpsActionsTests", dependencies: ["OpsActions", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "DocGenTests", dependencies: ["DocGen", "RunbookCore", "TestSupport"], exclude: ["Fixtures", "Golden"], swiftSettings: strict),
        .testTarget(name: "SitePreviewTests", dependencies: ["SitePreview", "DocGen", "RunbookCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AuditTrailTests", dependencies: ["AuditTrail", "OpsActions", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RunbookExecTests", dependencies: ["RunbookExec", "RunbookCore", "AuditTrail", "OpsActions", "TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "RunbookCLITests", dependencies: ["runbook", "AuditTrail", "OpsActions", "SystemIO", "TestSupport", .product(name: "Yams", package: "Yams")],
                    swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

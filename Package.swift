// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "runbook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "DocGen", targets: ["DocGen"]),
        .library(name: "OpsActions", targets: ["OpsActions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(
            name: "OpsActions",
            dependencies: ["CCurl", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "DocGen",
            dependencies: ["CCmarkGFM", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(name: "SitePreview", dependencies: ["DocGen"], swiftSettings: strict),
        .target(
            name: "RunbookExec",
            dependencies: ["DocGen", "OpsActions", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "AuditTrail",
            dependencies: ["RunbookExec", "OpsActions"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "runbook",
            dependencies: [
                "AuditTrail",
                "DocGen",
                "OpsActions",
                "RunbookExec",
                "SitePreview",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "DocGenTests", dependencies: ["DocGen", "TestSupport", .product(name: "Yams", package: "Yams")], resources: [.copy("Fixtures")], swiftSettings: strict),
        .target(name: "TestSupport", dependencies: ["OpsActions"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "OpsActionsTests", dependencies: ["OpsActions", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RunbookExecTests", dependencies: ["RunbookExec", "DocGen", "OpsActions", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "RunbookCLITests", dependencies: ["runbook", "OpsActions", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AuditTrailTests", dependencies: ["AuditTrail", "RunbookExec", "OpsActions", "TestSupport", "runbook"], swiftSettings: strict),
        .testTarget(name: "SiteTests", dependencies: ["DocGen", "SitePreview", "TestSupport"], exclude: ["Fixtures", "Golden"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

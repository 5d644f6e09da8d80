// swift-tools-version: 6.0
import PackageDescription

/// Release builds drop the run-time exclusivity checks: they cost ~9% of CPU on the request
/// path (thread-local access sets), and the compiler still proves exclusivity statically.
/// Debug builds and tests keep them.
let releaseSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// Ferrite: a Redis-compatible data server. The arrows point one way:
/// ferrite-server → Server → Engine → RESP, and Server → CFerriteSys;
/// ferrite-bench → LoadGen → RESP, CFerriteSys (LoadGen talks to servers over sockets only);
/// ferrite-dashboard → Dashboard (regression detection and pages over recorded results).
let package = Package(
    name: "Ferrite",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferrite-server", targets: ["ferrite-server"]),
        .executable(name: "ferrite-bench", targets: ["ferrite-bench"]),
        .executable(name: "ferrite-dashboard", targets: ["ferrite-dashboard"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "LoadGen", targets: ["LoadGen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "CFerriteSys",
            exclude: ["bpf"],
            linkerSettings: [.linkedLibrary("uring"), .linkedLibrary("numa"), .linkedLibrary("bpf"), .linkedLibrary("crypto")]
        ),
        .target(name: "RESP", swiftSettings: releaseSettings),
        .target(name: "Engine", dependencies: ["RESP", "CFerriteSys"], swiftSettings: releaseSettings),
        .target(
            name: "Server",
            dependencies: [
                "Engine", "RESP", "CFerriteSys",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: releaseSettings
        ),
        .executableTarget(name: "ferrite-server", dependencies: ["Server"]),
        .target(
            name: "LoadGen",
            dependencies: [
                "RESP", "CFerriteSys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: releaseSettings
        ),
        .executableTarget(name: "ferrite-bench", dependencies: ["LoadGen"]),
        .target(
            name: "Dashboard",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: releaseSettings
        ),
        .executableTarget(
            name: "ferrite-dashboard",
            dependencies: ["Dashboard", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "RESP"]),
        .testTarget(name: "ServerTests", dependencies: ["Server"]),
        .testTarget(name: "LoadGenTests", dependencies: ["LoadGen"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

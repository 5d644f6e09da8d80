// swift-tools-version: 6.0
import PackageDescription

/// Ferrite: a Redis-compatible data server. The arrows point one way:
/// ferrite-server → Server → Engine → RESP, and Server → CFerriteSys.
let package = Package(
    name: "Ferrite",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferrite-server", targets: ["ferrite-server"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "CFerriteSys",
            linkerSettings: [.linkedLibrary("uring")]
        ),
        .target(name: "RESP"),
        .target(name: "Engine", dependencies: ["RESP"]),
        .target(
            name: "Server",
            dependencies: [
                "Engine", "RESP", "CFerriteSys",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "ferrite-server", dependencies: ["Server"]),
        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "RESP"]),
        .testTarget(name: "ServerTests", dependencies: ["Server"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "campaignsh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "campaignsh", targets: ["campaignsh"]),
        .executable(name: "genesys-emulator", targets: ["genesys-emulator"]),
        .library(name: "GenesysCloud", targets: ["GenesysCloud"]),
        .library(name: "GenesysEmulator", targets: ["GenesysEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Notification channels: the client's WebSocket, and the emulator's.
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // Exact: before 1.0 a minor version may change the API.
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
    ],
    targets: [
        // Core
        .systemLibrary(name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // JSON kept as received (numbers' spelling, members' order): shared by the client and the emulator.
        .target(name: "JSONDocument"),
        .target(
            name: "GenesysCloud",
            dependencies: [
                "JSONDocument",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "WSClient", package: "swift-websocket"),
            ]
        ),
        .target(
            name: "CampaignControl",
            dependencies: [
                "GenesysCloud",
                "JSONDocument",
                "AuditStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Configuration: profiles (config.toml, through TOMLKit), .env, the XDG paths.
        .target(
            name: "ShellConfiguration",
            dependencies: ["CampaignControl", "GenesysCloud", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "AuditStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for `verify`'s hot loop (GRDB's row accessors allocate per column).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ShellKit",
            dependencies: [
                "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // The executable's swift-metrics backend: counters, timers, their quantiles and the Prometheus text.
        .target(
            name: "MetricsBackend",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Stores JSON documents checked against the SDK's schema, never the client's models.
        .target(
            name: "GenesysEmulator",
            dependencies: [
                "JSONDocument",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            // Generated from the official SDK by scripts/conformance/schema; checked by scripts/test.
            resources: [.embedInCode("Resources/sdk-schema.json")]
        ),

        // Plugins: ordinary library targets contributing shell commands.
        .target(
            name: "SessionPlugin",
            dependencies: [
                "ShellKit", "CampaignControl", "ShellConfiguration", "GenesysCloud", "AuditStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Plugins/SessionPlugin"
        ),
        .target(
            name: "CampaignsPlugin",
            dependencies: ["ShellKit", "CampaignControl", "AuditStore", "GenesysCloud", "JSONDocument", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/CampaignsPlugin"
        ),
        .target(
            name: "TransitionsPlugin",
            dependencies: [
                "ShellKit", "CampaignControl", "AuditStore", "GenesysCloud",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Plugins/TransitionsPlugin"
        ),
        .target(
            name: "CapacityPlugin",
            dependencies: ["ShellKit", "CampaignControl", "GenesysCloud", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/CapacityPlugin"
        ),
        .target(
            name: "AuditPlugin",
            dependencies: [
                "ShellKit", "AuditStore", "CampaignControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Plugins/AuditPlugin"
        ),
        .target(
            name: "MetricsPlugin",
            dependencies: [
                "ShellKit",
                "CampaignControl",
                "MetricsBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Plugins/MetricsPlugin"
        ),
        .target(
            name: "WebhookPlugin",
            dependencies: ["ShellKit", "CampaignControl", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Plugins/WebhookPlugin"
        ),

        // Executables
        .executableTarget(
            name: "genesys-emulator",
            dependencies: [
                "GenesysEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "campaignsh",
            dependencies: [
                "GenesysCloud",
                "GenesysEmulator",
                "CampaignControl",
                "ShellConfiguration",
                "ShellKit",
                "AuditStore",
                "MetricsBackend",
                "SessionPlugin",
                "CampaignsPlugin",
                "AuditPlugin",
                "MetricsPlugin",
                "WebhookPlugin",
                "TransitionsPlugin",
                "CapacityPlugin",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // With the Swift runtime linked in (--static-swift-stdlib, as a release ships), the toolchain
            // exports every symbol of the executable: some 47,000 that the dynamic loader and the runtime's
            // dladdr at start-up search through, about a millisecond of every start. Nothing looks them up.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),

        // Benchmarks
        .executableTarget(name: "audit-bench", dependencies: ["AuditStore"], path: "Benchmarks/audit-bench"),

        // Tests
        .target(
            name: "GenesysTestSupport",
            dependencies: [
                "GenesysCloud",
                "JSONDocument",
                "GenesysEmulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/GenesysTestSupport"
        ),
        .testTarget(name: "ShellKitTests", dependencies: ["ShellKit", "GenesysTestSupport"]),
        .testTarget(name: "AuditPluginTests", dependencies: ["AuditPlugin", "AuditStore", "ShellKit"]),
        .testTarget(
            name: "CampaignControlTests",
            dependencies: [
                "CampaignControl", "AuditStore", "GenesysCloud", "GenesysEmulator", "GenesysTestSupport", "JSONDocument",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MetricsPluginTests",
            dependencies: ["MetricsBackend", .product(name: "CoreMetrics", package: "swift-metrics")]
        ),
        .testTarget(
            name: "AuditStoreTests",
            dependencies: ["AuditStore", "audit-bench", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "campaignsh", "ShellKit", "AuditStore", "GenesysEmulator", "GenesysTestSupport", "JSONDocument",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ShellConfigurationTests",
            dependencies: ["ShellConfiguration", "CampaignControl", "GenesysCloud", "GenesysTestSupport"]
        ),
        .testTarget(name: "JSONDocumentTests", dependencies: ["JSONDocument"]),
        .testTarget(
            name: "GenesysCloudTests",
            dependencies: [
                "GenesysCloud", "GenesysEmulator", "GenesysTestSupport", "JSONDocument",
            ]
        ),
        .testTarget(
            name: "GenesysEmulatorTests",
            dependencies: [
                "GenesysEmulator", "GenesysTestSupport", "JSONDocument",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ]
}

// swift-tools-version:6.1
import PackageDescription

/// qwery: live semantic search over your own folders, with an in-process Qwen3 engine.
let package = Package(
    name: "qwery",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "qwery", targets: ["qwery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CXML2", path: "Sources/CXML2", pkgConfig: "libxml-2.0"),
        .systemLibrary(name: "CTreeSitter", path: "Sources/CTreeSitter", pkgConfig: "tree-sitter"),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1"),

        // MARK: - C kernels (SIMD intrinsics; per-function target attributes, chosen at run time)
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // glibc calls Swift's Glibc module leaves out (pipe2, posix_spawn's closefrom).
        .target(name: "CProcess"),
        // poppler-glib loaded with dlopen when the first PDF is read: linked, its ~45 libraries (cairo, X11, nss…)
        // cost every qwery process ~20 ms of start-up in the dynamic loader (perf: do_lookup_x).
        .target(name: "CPDF"),
        // OpenBLAS loaded with dlopen when a model loads (cblas_loader.h says why: start-up and its spinning pool).
        .target(name: "CBLAS"),

        // MARK: - Libraries
        .target(name: "Tokenizers"),
        .target(
            name: "Engine",
            dependencies: ["Tokenizers", "CBLAS", "CKernels", "Checksums"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),

        .target(name: "Checksums"),
        .target(name: "ModelHub", dependencies: ["Checksums"]),
        .target(name: "Store", dependencies: ["Corpus", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // The words Indexing and Search share: chunk text, file kinds, glob rules, line splitting, model
        // identity, indexing progress. No dependency but checksums.
        .target(name: "Corpus", dependencies: ["Checksums", "CProcess"]),
        // Text out of PDF, DOCX, ODT, EPUB, HTML and notebooks, run in a worker process (`qwery extract-worker`).
        .target(name: "Documents", dependencies: ["Corpus", "CPDF", "CXML2", "CProcess", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Code by its syntax tree: grammars built from PyPI sdists, loaded with dlopen; symbols and highlights.
        .target(name: "Syntax", dependencies: ["Corpus", "CTreeSitter", "CYAML", "CProcess"]),
        .target(name: "Indexing", dependencies: ["Corpus", "Documents", "Syntax", "Store", "Engine", "Tokenizers", "Checksums", "CProcess"]),
        .target(name: "Search", dependencies: ["Corpus", "Store", "Engine"]),

        // The core the faces speak: every face imports QweryCore and no module below it (but the grammar installer,
        // and the model puller, named in the executable's own dependencies).
        .target(name: "QweryCore", dependencies: ["Search", "Indexing", "Documents", "Syntax", "Corpus", "Store", "Engine", "Tokenizers",
                                                  "Checksums", "CProcess"]),

        .target(name: "TUI", dependencies: ["QweryCore", "CNcurses"]),
        .target(name: "MCPServer", dependencies: ["QweryCore", .product(name: "MCP", package: "swift-sdk"),
                                         .product(name: "Logging", package: "swift-log")]),

        // `qwery bench`: the engine, indexing and search measured on generated checkpoints and trees.
        .target(name: "Bench", dependencies: ["Engine", "Tokenizers", "Indexing", "Documents", "Syntax", "Search", "Store", "Corpus", "CKernels"]),

        // `qwery eval`: labelled queries run through the search pipeline, scored (nDCG, recall, MRR).
        .target(name: "Evaluation", dependencies: ["Search"]),

        // MARK: - Executable
        .executableTarget(
            name: "qwery",
            dependencies: [
                "QweryCore",
                "Syntax",
                "ModelHub",
                "TUI",
                "MCPServer",
                "Bench",
                "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests (one target per module; TestSupport: where the fixtures are, the hub look-alike)
        .target(name: "TestSupport", dependencies: ["Checksums"], path: "Tests/TestSupport"),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Tokenizers", "TestSupport"]),
        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
        .testTarget(name: "ModelHubTests", dependencies: ["ModelHub", "TestSupport"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
        .testTarget(name: "IndexingTests", dependencies: ["Indexing", "Syntax", "Documents", "Corpus", "Store", "Engine", "Tokenizers", "TestSupport",
                                                          .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Indexing", "Corpus", "Store", "Engine", "Tokenizers", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Corpus"]),
        .testTarget(name: "TUITests", dependencies: ["TUI", "QweryCore", "TestSupport"]),
        .testTarget(name: "MCPServerTests", dependencies: ["MCPServer", "QweryCore", "TestSupport", .product(name: "MCP", package: "swift-sdk")]),
        .testTarget(name: "SyntaxTests", dependencies: ["Syntax", "Corpus"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "Corpus", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "CoreTests", dependencies: ["QweryCore", "Search", "Indexing", "Corpus", "Engine", "Store", "CProcess", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Search"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench"]),
        .testTarget(name: "CLITests", dependencies: ["qwery", "Engine", "Tokenizers", "Store", "Checksums", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

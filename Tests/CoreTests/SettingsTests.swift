import Engine
import Foundation
import Testing
@testable import QweryCore
import TestSupport

/// Configuration resolution, once for every face: flags, then environment, then the config file, then
/// discovery or the default — each value with the source `qwery config` prints.
@Suite("Settings resolution")
struct SettingsTests {
    static let fixtures = Repository.fixtures

    static let embedding = fixtures + "/models/tiny-embedding"
    static let causal = fixtures + "/models/tiny-causal"
    static let sharded = fixtures + "/models/tiny-sharded"

    static func config(model: String? = nil, precision: String? = nil, rerankPrecision: String? = nil,
                       maximumFileSize: Int? = nil, ignore: [String]? = nil) -> ConfigFile {
        var config = ConfigFile()
        config.path = "/home/user/.config/qwery/config.toml"
        config.model = model
        config.precision = precision
        config.rerankPrecision = rerankPrecision
        config.maximumFileSize = maximumFileSize
        config.ignore = ignore
        return config
    }

    static func nothingOnDisk(_ role: ModelLocator.Role) -> ModelLocator.Found? { nil }

    @Test("Given a model in flag, environment and config, when resolved, then the flag wins, then the environment, then the file, then discovery")
    func modelOrder() throws {
        let config = Self.config(model: Self.sharded)
        let environment = ["QWERY_MODEL": Self.causal]
        let discovered: (ModelLocator.Role) -> ModelLocator.Found? = { role in
            role == .embedding ? ModelLocator.Found(name: "Qwen3-Embedding-0.6B", folder: Self.embedding, source: "Hugging Face cache") : nil
        }

        let flag = try Settings.resolve(.init(model: Self.embedding), environment: environment, config: config, discover: discovered)
        let fromEnvironment = try Settings.resolve(.init(), environment: environment, config: config, discover: discovered)
        let fromFile = try Settings.resolve(.init(), environment: [:], config: config, discover: discovered)
        let found = try Settings.resolve(.init(), environment: [:], config: Self.config(), discover: discovered)
        let none = try Settings.resolve(.init(), environment: ["QWERY_MODEL": ""], config: Self.config(), discover: Self.nothingOnDisk)

        #expect(flag.embeddingModel.value == Self.embedding && flag.embeddingModel.source == .flag)
        #expect(fromEnvironment.embeddingModel.value == Self.causal && fromEnvironment.embeddingModel.source == .environment("QWERY_MODEL"))
        #expect(fromFile.embeddingModel.value == Self.sharded && fromFile.embeddingModel.source == .configFile("/home/user/.config/qwery/config.toml"))
        #expect(found.embeddingModel.value == Self.embedding && found.embeddingModel.source == .discovered("Hugging Face cache"))
        #expect(found.reranker.value == nil && found.reranker.source.description == "none found")
        // An empty variable counts as unset, as shells mean `QWERY_MODEL= qwery …`.
        #expect(none.embeddingModel.value == nil)
    }

    @Test("Given precisions in flag, environment and config, when resolved, then the same order holds and the reranker follows a chosen precision")
    func precisionOrder() throws {
        let config = Self.config(precision: "int8")
        let flag = try Settings.resolve(.init(precision: .exact), environment: ["QWERY_PRECISION": "int8"], config: config, discover: Self.nothingOnDisk)
        let environment = try Settings.resolve(.init(), environment: ["QWERY_PRECISION": "exact"], config: config, discover: Self.nothingOnDisk)
        let file = try Settings.resolve(.init(), environment: [:], config: config, discover: Self.nothingOnDisk)
        let separate = try Settings.resolve(.init(rerankPrecision: .exact), environment: [:], config: config, discover: Self.nothingOnDisk)
        let neither = try Settings.resolve(.init(), environment: [:], config: Self.config(), discover: Self.nothingOnDisk)

        #expect(flag.precision.value == .exact && flag.precision.source == .flag)
        #expect(flag.rerankPrecision.value == .exact && flag.rerankPrecision.source == .defaultValue("same as precision"))
        #expect(environment.precision.value == .exact && environment.precision.source == .environment("QWERY_PRECISION"))
        #expect(file.precision.value == .int8 && file.precision.source == .configFile("/home/user/.config/qwery/config.toml"))
        #expect(separate.precision.value == .int8 && separate.rerankPrecision.value == .exact && separate.rerankPrecision.source == .flag)
        // Nothing chose: both are measured when their model loads (exact until then).
        #expect(neither.measuresPrecision && neither.measuresRerankPrecision)
        #expect(neither.precision.value == .exact && neither.rerankPrecision.value == .exact)
        #expect(!flag.measuresPrecision && !flag.measuresRerankPrecision, "a chosen precision applies to both")
        #expect(!separate.measuresRerankPrecision && !separate.measuresPrecision)
        let onlyReranker = try Settings.resolve(.init(rerankPrecision: .int8), environment: [:], config: Self.config(), discover: Self.nothingOnDisk)
        #expect(onlyReranker.measuresPrecision && !onlyReranker.measuresRerankPrecision)
    }

    @Test("Given fast asked for, when resolved, then it runs fast only where AVX512_BF16 does and a note says what runs instead")
    func fastWhereItIsFast() throws {
        let settings = try Settings.resolve(.init(precision: .fast), environment: [:], config: Self.config(), discover: Self.nothingOnDisk)
        let (runs, note) = Precision.fast.effective
        #expect(settings.precision.value == runs)
        #expect(settings.notes == (note.map { [$0] } ?? []))
    }

    @Test("Given unusable values, when resolved, then the error names the value, where it came from and what to use")
    func errors() {
        #expect(throws: SettingsError.unknownPrecision("bf16", source: "environment QWERY_PRECISION")) {
            try Settings.resolve(.init(), environment: ["QWERY_PRECISION": "bf16"], config: Self.config(), discover: Self.nothingOnDisk)
        }
        let unknown = SettingsError.unknownPrecision("quick", source: "config file /home/user/.config/qwery/config.toml")
        #expect(throws: unknown) {
            try Settings.resolve(.init(), environment: [:], config: Self.config(precision: "quick"), discover: Self.nothingOnDisk)
        }
        #expect(unknown.description == "quick (from config file /home/user/.config/qwery/config.toml) is not a precision; use one of: exact, fast, int8.")
        do {
            _ = try Settings.resolve(.init(model: "/nonexistent/model"), environment: [:], config: Self.config(), discover: Self.nothingOnDisk)
            Issue.record("a missing model folder was accepted")
        } catch {
            #expect(error.description.hasPrefix("The embedding model folder /nonexistent/model does not exist."))
        }
        #expect(throws: SettingsError.invalidValue("--max-tokens must be at least 2 (got 1).")) {
            try Settings.resolve(.init(maximumTokens: 1), environment: [:], config: Self.config(), discover: Self.nothingOnDisk)
        }
    }

    @Test("Given an index path, size limit and ignore rules from several places, when resolved, then flag beats XDG_DATA_HOME and the config adds to the global excludes")
    func indexAndWalking() throws {
        let config = Self.config(maximumFileSize: 1_000, ignore: ["*.log"])
        let flag = try Settings.resolve(.init(index: "/tmp/q/index.sqlite", maximumFileSize: 5_000), environment: ["XDG_DATA_HOME": "/data"],
                                        config: config, discover: Self.nothingOnDisk, globalExcludes: ["*.swp"])
        let environment = try Settings.resolve(.init(), environment: ["XDG_DATA_HOME": "/data"], config: config, discover: Self.nothingOnDisk)

        #expect(flag.indexPath.value == "/tmp/q/index.sqlite" && flag.indexPath.source == .flag)
        #expect(flag.maximumFileSize == 5_000)
        #expect(flag.extraIgnorePatterns == ["*.swp", "*.log"])
        #expect(environment.indexPath.value == "/data/qwery/index.sqlite" && environment.indexPath.source == .environment("XDG_DATA_HOME"))
        #expect(environment.maximumFileSize == 1_000)
        // Links: not followed unless --follow or follow_symlinks = true says so.
        var following = config
        following.followSymlinks = true
        #expect(!flag.followSymlinks)
        #expect(try Settings.resolve(.init(followSymlinks: true), environment: [:], config: config, discover: Self.nothingOnDisk).followSymlinks)
        #expect(try Settings.resolve(.init(), environment: [:], config: following, discover: Self.nothingOnDisk).followSymlinks)
    }
}

extension SettingsTests {
    @Test("Given no precision chosen, when settings are made one-shot, then exact runs without measuring; a precision chosen by flag stays")
    func oneShotPrefersExact() throws {
        let measured = try Settings.resolve(.init(model: Self.embedding), environment: [:], config: ConfigFile(), discover: Self.nothingOnDisk)
        #expect(measured.measuresPrecision)
        let oneShot = measured.forOneShot()
        #expect(!oneShot.measuresPrecision && !oneShot.measuresRerankPrecision)
        #expect(oneShot.precision.value == .exact && oneShot.precision.source.description.contains("one-shot"))
        let chosen = try Settings.resolve(.init(model: Self.embedding, precision: .int8), environment: [:], config: ConfigFile(),
                                          discover: Self.nothingOnDisk)
        #expect(chosen.forOneShot().precision.value == chosen.precision.value)
        #expect(chosen.forOneShot().precision.source == .flag)
    }
}

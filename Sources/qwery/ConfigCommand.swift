import ArgumentParser
import Foundation
import QweryCore

/// `qwery config`: the effective configuration and where each value comes from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration and where each value came from."
    )

    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions

    func run() throws {
        let settings = try CommandLineSettings.resolve(models: models, engine: engine)
        for row in try settings.configurationRows() {
            print(row.key.padding(toLength: max(17, row.key.count), withPad: " ", startingAt: 0) + " " + row.value + "   (" + row.source + ")")
        }
    }
}

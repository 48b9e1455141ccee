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
        let rows = try settings.configurationRows()
        let width = rows.map(\.key.count).max() ?? 0
        for row in rows {
            print(row.key.padding(toLength: width, withPad: " ", startingAt: 0) + " " + row.value + "   (" + row.source + ")")
        }
    }
}

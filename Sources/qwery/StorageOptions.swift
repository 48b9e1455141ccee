import ArgumentParser

/// `--db PATH`: where the index lives (resolved with the other settings: the flag, else
/// `$XDG_DATA_HOME/qwery/index.sqlite`).
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "The index file (default: $XDG_DATA_HOME/qwery/index.sqlite).")
    var db: String?
}

import ArgumentParser

/// `--follow`: how the folders are walked (with `follow_symlinks` in the config file).
struct WalkOptions: ParsableArguments {
    @Flag(name: .long, help: "Follow symbolic links whose target is inside the folder (never outside it); also follow_symlinks = true.")
    var follow = false

    /// The flag as a setting: nil when not given, so the config file decides.
    var followSymlinks: Bool? { follow ? true : nil }
}

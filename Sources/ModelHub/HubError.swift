import Foundation

/// What can go wrong while pulling a checkpoint from the Hugging Face hub, told so a user can act.
package enum HubError: Error, LocalizedError, Equatable {
    /// The hub cannot be reached at all (no network, DNS, refused, timed out).
    case unreachable(endpoint: String, reason: String)
    /// The hub answered with an HTTP error.
    case httpStatus(url: String, status: Int)
    /// 401/403: the repository needs a token, or the token is wrong.
    case unauthorized(repository: String, tokenSent: Bool)
    /// 404 on the repository listing.
    case repositoryNotFound(repository: String, revision: String)
    /// The listing is not the JSON the hub sends, or lacks a file every checkpoint needs.
    case badListing(repository: String, reason: String)
    /// A downloaded file has another size than the hub says.
    case sizeMismatch(file: String, expected: Int64, found: Int64)
    /// A downloaded file's SHA-256 differs from the hub's (LFS) checksum.
    case checksumMismatch(file: String, expected: String, found: String)
    /// The download kept failing after every retry.
    case interrupted(file: String, attempts: Int, reason: String)
    /// Another `qwery models pull` is downloading the same model.
    case busy(folder: String)
    /// Writing into the models folder failed.
    case fileSystem(path: String, reason: String)

    package var errorDescription: String? {
        switch self {
        case .unreachable(let endpoint, let reason):
            guard endpoint.trimmingCharacters(in: CharacterSet(charactersIn: "/")) == HubClient.defaultEndpoint else {
                // A mirror is already named: suggesting a mirror would send the user in a circle.
                return "Cannot reach the hub mirror \(endpoint) (\(reason)); qwery still searches lexically. "
                    + "Check that the mirror is up, or unset HF_ENDPOINT (and drop --endpoint) to pull from \(HubClient.defaultEndpoint)."
            }
            return "Cannot reach \(endpoint) (\(reason)). This machine looks offline: qwery still searches lexically. "
                + "Copy a Hugging Face model folder here and pass --model DIR, or set HF_ENDPOINT to a mirror."
        case .httpStatus(let url, let status):
            return "\(url) answered HTTP \(status)."
        case .unauthorized(let repository, let tokenSent):
            return tokenSent
                ? "The hub refused the token in HF_TOKEN for \(repository); check that it is valid and has read access."
                : "\(repository) needs a Hugging Face token: set HF_TOKEN and run again."
        case .repositoryNotFound(let repository, let revision):
            return "The hub has no model \(repository) at revision \(revision); check the name (e.g. Qwen3-Embedding-0.6B)."
        case .badListing(let repository, let reason):
            return "The hub's file list for \(repository) is unusable: \(reason)."
        case .sizeMismatch(let file, let expected, let found):
            return "\(file) has \(found) bytes but the hub says \(expected); it was deleted, run the pull again."
        case .checksumMismatch(let file, let expected, let found):
            return "\(file) has SHA-256 \(found) but the hub says \(expected); it was deleted, run the pull again."
        case .interrupted(let file, let attempts, let reason):
            return "Downloading \(file) failed \(attempts) times (\(reason)); run the pull again to resume where it stopped."
        case .busy(let folder):
            return "Another qwery is downloading into \(folder); wait for it or remove the folder if it is stale."
        case .fileSystem(let path, let reason):
            return "Cannot write \(path): \(reason)."
        }
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request run to the end, synchronously, with the body streamed into a file or memory.
///
/// A download that resumes (`existingBytes` > 0) asks for `Range: bytes=N-`; a 206 answer is appended
/// after the bytes already there, a 200 answer (the server ignored the range) starts the file over.
/// Error answers are kept in memory, never written into the file.
///
/// `@unchecked Sendable` (URLSession calls the delegate on its own queue): `lock` guards every mutable field
/// (`outcome`, `writesToFile`); the rest is set in `init`.
final class HTTPExchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How the exchange ended.
    struct Outcome {
        /// The HTTP status, when an answer arrived.
        var status: Int?
        /// The body, when it was not written to a file (listings, error pages).
        var body = Data()
        /// Bytes written to the file by this exchange.
        var bytesWritten: Int64 = 0
        /// Why the transfer stopped early (network, timeout, dropped connection).
        var error: URLError?
    }

    private let request: URLRequest
    private let file: FileHandle?
    private let existingBytes: Int64
    private let progress: (@Sendable (Int64) -> Void)?
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome = Outcome()
    private var writesToFile = false

    /// `progress` receives the bytes of the file on disk so far (existing + new).
    init(request: URLRequest, file: FileHandle? = nil, existingBytes: Int64 = 0, progress: (@Sendable (Int64) -> Void)? = nil) {
        var request = request
        if file != nil, existingBytes > 0 {
            request.setValue("bytes=\(existingBytes)-", forHTTPHeaderField: "Range")
        }
        self.request = request
        self.file = file
        self.existingBytes = existingBytes
        self.progress = progress
    }

    /// Runs the request and waits for it to end.
    func run(timeout: TimeInterval) -> Outcome {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        session.dataTask(with: request).resume()
        finished.wait()
        session.finishTasksAndInvalidate()
        return lock.withLock { outcome }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        lock.withLock {
            outcome.status = status
            guard let file else { return }
            do {
                if status == 206 {
                    try file.truncate(atOffset: UInt64(existingBytes))
                    try file.seekToEnd()
                    writesToFile = true
                } else if status == 200 {
                    try file.truncate(atOffset: 0)
                    writesToFile = true
                }
            } catch {
                outcome.error = URLError(.cannotWriteToFile)
            }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let onDisk: Int64? = lock.withLock {
            guard writesToFile, let file else {
                outcome.body.append(data)
                return nil
            }
            do {
                try file.write(contentsOf: data)
            } catch {
                outcome.error = URLError(.cannotWriteToFile)
                dataTask.cancel()
                return nil
            }
            outcome.bytesWritten += Int64(data.count)
            return (outcome.status == 206 ? existingBytes : 0) + outcome.bytesWritten
        }
        if let onDisk { progress?(onDisk) }
    }

    /// Follows redirects (the hub sends weights to a CDN), keeping the range but not the token:
    /// a signed CDN address rejects a second credential, and the token is the hub's business only.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        var redirected = request
        if let range = self.request.value(forHTTPHeaderField: "Range") {
            redirected.setValue(range, forHTTPHeaderField: "Range")
        }
        if request.url?.host != self.request.url?.host {
            redirected.setValue(nil, forHTTPHeaderField: "Authorization")
        } else if let token = self.request.value(forHTTPHeaderField: "Authorization") {
            redirected.setValue(token, forHTTPHeaderField: "Authorization")
        }
        completionHandler(redirected)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock {
            if let error, outcome.error == nil {
                outcome.error = (error as? URLError) ?? URLError(.unknown)
            }
        }
        finished.signal()
    }
}

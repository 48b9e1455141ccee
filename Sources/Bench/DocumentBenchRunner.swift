import Corpus
import Documents
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `qwery bench --documents FOLDER`: extraction speed per format over the documents in a folder, timed
/// twice — through the worker process, as indexing runs it, and in this process, so the worker's own cost
/// (a process start per document) shows as the difference.
package struct DocumentBenchRunner {
    package struct FormatFigures: Codable, Sendable {
        package var format: String
        package var files = 0
        package var pages = 0
        package var megabytes = 0.0
        package var textMegabytes = 0.0
        package var workerSeconds = 0.0
        package var inProcessSeconds = 0.0
        package var failures = 0

        package var pagesPerSecond: Double { workerSeconds > 0 ? Double(pages) / workerSeconds : 0 }
        package var filesPerSecond: Double { workerSeconds > 0 ? Double(files) / workerSeconds : 0 }
    }

    let folder: String
    let client: ExtractionClient

    package init(folder: String, client: ExtractionClient = ExtractionClient()) {
        self.folder = folder
        self.client = client
    }

    package func run(progress: (String) -> Void = { _ in }) -> [FormatFigures] {
        var figures: [DocumentFormat: FormatFigures] = [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for name in names {
            guard let format = DocumentFormat(path: name) else { continue }
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            var entry = figures[format] ?? FormatFigures(format: format.displayName)
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            let workerStart = DispatchTime.now().uptimeNanoseconds
            let result = client.extract(descriptor: descriptor, format: format)
            entry.workerSeconds += Double(DispatchTime.now().uptimeNanoseconds - workerStart) / 1e9
            close(descriptor)
            let inProcessStart = DispatchTime.now().uptimeNanoseconds
            _ = try? DocumentExtractor.extract(data, format: format, limits: client.limits)
            entry.inProcessSeconds += Double(DispatchTime.now().uptimeNanoseconds - inProcessStart) / 1e9
            entry.files += 1
            entry.megabytes += Double(data.count) / 1e6
            switch result {
            case .success(let document):
                entry.pages += document.sections.compactMap { section -> Int? in
                    if case .page(let page) = section.locator { return page }
                    return nil
                }.max() ?? 0
                entry.textMegabytes += Double(document.sections.reduce(0) { $0 + $1.text.utf8.count }) / 1e6
            case .failure(let failure):
                entry.failures += 1
                progress("\(name): \(failure.reason)")
            }
            figures[format] = entry
        }
        return DocumentFormat.allCases.compactMap { figures[$0] }
    }
}

import Foundation
import Testing
import Tokenizers

/// The JSON Lines contracts of `tokenize`, `embed` and `rerank`, through the real binary.
@Suite("Command-line contracts")
struct CommandContractTests {
    static let tokenizerFile = QweryProcess.fixtures + "/tokenizer/qwen3-tokenizer.json"
    static let causalModel = QweryProcess.fixtures + "/models/tiny-causal"

    static func jsonLine(_ key: String, _ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 { escaped += String(format: "\\u%04x", scalar.value) } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return "{\"\(key)\": \"\(escaped)\"}"
    }

    @Test("Given JSON Lines texts, when tokenized by the binary, then each line's ids equal the reference's, in order")
    func tokenizeMatchesFixtures() throws {
        let lines = try String(contentsOfFile: QweryProcess.fixtures + "/tokenizer/expected-ids.jsonl", encoding: .utf8)
            .split(separator: "\n").prefix(400).map(String.init)
        var input = ""
        var expected: [[Int]] = []
        for line in lines {
            let json = try JSONParser.parse(line)
            input += Self.jsonLine("text", json["text"]?.stringValue ?? "") + "\n"
            expected.append(json["ids"]?.arrayValue?.compactMap(\.intValue) ?? [])
        }
        let result = try QweryProcess.run(["tokenize", "--model", Self.tokenizerFile], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        let outputs = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(outputs.count == expected.count)
        for (output, ids) in zip(outputs, expected) {
            #expect(try JSONParser.parse(output)["ids"]?.arrayValue?.compactMap(\.intValue) == ids)
        }
        #expect(outputs.first == "{\"ids\": [785, 3974, 13876, 38835, 34208, 916, 279, 15678, 5562, 13, 1084, 594, 220, 20, 297, 62410, 14696, 11, 4436, 944, 432, 30]}")
    }

    @Test("Given a bad input line, when tokenizing, then stderr names the line and the exit status is non-zero")
    func badLineIsReported() throws {
        let result = try QweryProcess.run(["tokenize", "--model", Self.tokenizerFile], input: "{\"text\": \"ok\"}\n{\"txt\": 1}\n")
        #expect(result.status != 0)
        #expect(result.standardError.contains("line 2"))
        #expect(result.standardOutput == "{\"ids\": [562]}\n")
    }

    @Test("Given documents, when embedded by the binary, then vectors match the reference with 7+ significant digits")
    func embedMatchesReference() throws {
        let expected = try JSONParser.parse(String(contentsOfFile: Self.causalModel + "/expected.json", encoding: .utf8))
        let documents = try #require(expected["documents"]?.arrayValue).prefix(3)
        let input = documents.map { Self.jsonLine("text", $0["text"]?.stringValue ?? "") }.joined(separator: "\n")
        let result = try QweryProcess.run(["embed", "--model", Self.causalModel, "--precision", "exact"], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        let outputs = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(outputs.count == 3)
        for (output, document) in zip(outputs, documents) {
            let actual = try JSONParser.parse(output)["embedding"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            let reference = document["embedding"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            #expect(actual.count == reference.count && actual.count == 16)
            #expect(zip(actual, reference).allSatisfy { abs($0 - $1) <= 1e-4 })
        }
    }

    @Test("Given a query and documents, when reranked by the binary, then scores match the reference")
    func rerankMatchesReference() throws {
        let input = Self.jsonLine("document", "The capital of China is Beijing.") + "\n" + Self.jsonLine("document", "Gravity makes apples fall.") + "\n"
        let result = try QweryProcess.run(["rerank", "--model", Self.causalModel, "--query", "what is the capital of China?", "--precision", "exact"], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        let scores = try result.standardOutput.split(separator: "\n").map { try JSONParser.parse(String($0))["score"]?.doubleValue ?? -1 }
        #expect(scores.count == 2)
        #expect(abs(scores[0] - 0.6383219957351685) <= 1e-4)
        #expect(abs(scores[1] - 0.6733620166778564) <= 1e-4)
    }
}

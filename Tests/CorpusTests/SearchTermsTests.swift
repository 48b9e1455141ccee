import Testing
@testable import Corpus

@Suite("Search terms: identifier parts, stems, variants")
struct SearchTermsTests {
    @Test("Given identifiers in each case style, when split, then their parts come out lowercased and one-part words give none", arguments: [
        ("HttpRedirect", ["http", "redirect"]),
        ("XMLHttpRequest", ["xml", "http", "request"]),
        ("safeParse", ["safe", "parse"]),
        ("utf8Decode", ["utf8", "decode"]),
        ("GsonBuilderTest", ["gson", "builder", "test"]),
        ("redirect", []),
        ("HTTP", []),
        ("ab", []),
    ])
    func identifierParts(word: String, parts: [String]) {
        #expect(SearchTerms.identifierParts(word) == parts)
    }

    @Test("Given the forms of one word, when stemmed, then they meet at one stem", arguments: [
        ["parse", "parses", "parsed", "parsing", "parser"],
        ["redirect", "redirects", "redirected", "redirecting"],
        ["validate", "validation", "validator", "validators"],
        ["authenticate", "authentication"],
        ["library", "libraries"],
        ["run", "running"],
    ])
    func stemsMeet(forms: [String]) {
        let stems = Set(forms.map(SearchTerms.stem))
        #expect(stems.count == 1, "\(forms) → \(stems)")
    }

    @Test("Given short words, digits and other scripts, when stemmed, then they are their own stem")
    func stemLeavesAlone() {
        #expect(SearchTerms.stem("bus") == "bus")
        #expect(SearchTerms.stem("class") == "class")
        #expect(SearchTerms.stem("2024") == "2024")
        #expect(SearchTerms.stem("café") == "café")
    }

    @Test("Given code text, when its indexed variants are made, then parts and stems are added once and words already whole are not repeated")
    func variants() {
        let variants = SearchTerms.indexedVariants("func followRedirects(HttpRedirect) redirects").split(separator: " ").map(String.init)
        #expect(variants.contains("http"))
        #expect(variants.contains("redirect"))
        #expect(variants.contains("follow"))
        #expect(!variants.contains("func"), "a word that is its own stem and has no parts adds nothing")
        #expect(Set(variants).count == variants.count)
    }

    @Test("Given words as unicode61 cuts them, when split, then underscores, dots and colons separate and letters with digits stay together")
    func words() {
        #expect(SearchTerms.words("Sinatra::Base os.path.join snake_case utf8 Crème")
                == ["Sinatra", "Base", "os", "path", "join", "snake", "case", "utf8", "Crème"])
    }
}

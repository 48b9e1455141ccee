/// What a definition is in each language, how it is named, and how names nest into a symbol path. One
/// convention per language: `Ledger.reconcile` (Python, JavaScript, TypeScript, Java, Swift, C#, Kotlin,
/// Scala, Go — a method under its receiver type, pointer or not), `Ledger:reconcile` (Lua's own), `Ledger::reconcile` (Rust, C, C++), `Ledger#reconcile` (Ruby; `Ledger.build` for
/// a singleton method).
struct LanguageRules {
    enum Kind {
        /// A function or method: one unit, never split by members.
        case function
        /// A class, impl, module…: split into its members when too large for one chunk.
        case container
    }

    let definitions: [String: Kind]
    /// Node types that wrap a definition (decorators, `export`, `template<…>`): the field holding it, or nil
    /// for "the first definition among its children".
    let wrappers: [String: String?]
    /// Siblings just above a definition that belong to it: comments, attributes, decorators.
    let attached: Set<String>
    let separator: String
    /// Where a grammar names no `name` field (Kotlin): the node types of the child that is the name.
    var nameTypes: Set<String> = []

    static func rules(for language: String) -> LanguageRules? {
        switch language {
        case "python":
            return LanguageRules(definitions: ["function_definition": .function, "class_definition": .container],
                                 wrappers: ["decorated_definition": "definition"], attached: ["comment"], separator: ".")
        case "javascript":
            return LanguageRules(definitions: ["function_declaration": .function, "generator_function_declaration": .function,
                                               "class_declaration": .container, "method_definition": .function,
                                               "lexical_declaration": .function, "variable_declaration": .function,
                                               "field_definition": .function],
                                 wrappers: ["export_statement": "declaration"], attached: ["comment"], separator: ".")
        case "typescript", "tsx":
            // JavaScript's definitions plus the type-level ones; `declare …` and `export …` wrap a definition.
            return LanguageRules(definitions: ["function_declaration": .function, "generator_function_declaration": .function,
                                               "function_signature": .function, "class_declaration": .container,
                                               "abstract_class_declaration": .container, "interface_declaration": .container,
                                               "internal_module": .container, "module": .container, "method_definition": .function,
                                               "method_signature": .function, "abstract_method_signature": .function,
                                               "enum_declaration": .function, "type_alias_declaration": .function,
                                               "lexical_declaration": .function, "variable_declaration": .function,
                                               "public_field_definition": .function],
                                 wrappers: ["export_statement": "declaration", "ambient_declaration": nil],
                                 attached: ["comment"], separator: ".")
        case "swift":
            // class_declaration is also struct, enum, extension and actor; an extension's members join the type's name.
            return LanguageRules(definitions: ["class_declaration": .container, "protocol_declaration": .container,
                                               "function_declaration": .function, "protocol_function_declaration": .function,
                                               "init_declaration": .function, "deinit_declaration": .function,
                                               "subscript_declaration": .function, "typealias_declaration": .function],
                                 wrappers: [:], attached: ["comment", "multiline_comment"], separator: ".")
        case "csharp":
            // A namespace is not part of the symbol (as Java's package is not): nearly every file has one.
            return LanguageRules(definitions: ["class_declaration": .container, "interface_declaration": .container,
                                               "struct_declaration": .container, "record_declaration": .container,
                                               "enum_declaration": .function,
                                               "method_declaration": .function, "constructor_declaration": .function,
                                               "property_declaration": .function, "delegate_declaration": .function],
                                 wrappers: [:], attached: ["comment"], separator: ".")
        case "kotlin":
            return LanguageRules(definitions: ["class_declaration": .container, "object_declaration": .container,
                                               "companion_object": .container, "function_declaration": .function],
                                 wrappers: [:], attached: ["line_comment", "multiline_comment"], separator: ".",
                                 nameTypes: ["type_identifier", "simple_identifier"])
        case "scala":
            return LanguageRules(definitions: ["class_definition": .container, "object_definition": .container,
                                               "trait_definition": .container, "enum_definition": .container,
                                               "function_definition": .function, "function_declaration": .function],
                                 wrappers: [:], attached: ["comment", "block_comment"], separator: ".")
        case "lua":
            // Lua's own notation is the symbol: `Ledger.new`, `Ledger:reconcile` (a method), `helper`.
            return LanguageRules(definitions: ["function_declaration": .function], wrappers: [:], attached: ["comment"], separator: ".")
        case "php":
            // PHP's own notation: `Ledger::reconcile`; a namespace is not part of the symbol (nearly every file has one).
            return LanguageRules(definitions: ["class_declaration": .container, "interface_declaration": .container,
                                               "trait_declaration": .container, "enum_declaration": .container,
                                               "method_declaration": .function, "function_definition": .function],
                                 wrappers: [:], attached: ["comment"], separator: "::")
        case "go":
            return LanguageRules(definitions: ["function_declaration": .function, "method_declaration": .function, "type_declaration": .function],
                                 wrappers: [:], attached: ["comment"], separator: ".")
        case "rust":
            return LanguageRules(definitions: ["function_item": .function, "function_signature_item": .function, "impl_item": .container,
                                               "trait_item": .container, "mod_item": .container, "struct_item": .function,
                                               "enum_item": .function, "macro_definition": .function],
                                 wrappers: [:], attached: ["line_comment", "block_comment", "attribute_item"], separator: "::")
        case "c":
            // Types too: `struct Ledger {…}`, `enum Side {…}`, `union Value {…}` (with a body; a mention is no
            // definition) and `typedef … amount_t;`.
            // Macros with a value or parameters too (`#define LZ4_COMPRESSBOUND(isize) …`): a name looked up like a function.
            return LanguageRules(definitions: ["function_definition": .function, "struct_specifier": .function, "enum_specifier": .function,
                                               "union_specifier": .function, "type_definition": .function,
                                               "preproc_def": .function, "preproc_function_def": .function],
                                 wrappers: [:], attached: ["comment"], separator: "::")
        case "cpp":
            return LanguageRules(definitions: ["function_definition": .function, "class_specifier": .container, "struct_specifier": .container,
                                               "namespace_definition": .container, "enum_specifier": .function,
                                               "union_specifier": .function, "type_definition": .function,
                                               "preproc_def": .function, "preproc_function_def": .function],
                                 wrappers: ["template_declaration": nil, "declaration": nil, "field_declaration": nil],
                                 attached: ["comment"], separator: "::")
        case "java":
            return LanguageRules(definitions: ["class_declaration": .container, "interface_declaration": .container, "enum_declaration": .container,
                                               "record_declaration": .container, "method_declaration": .function,
                                               "constructor_declaration": .function],
                                 wrappers: [:], attached: ["line_comment", "block_comment"], separator: ".")
        case "ruby":
            return LanguageRules(definitions: ["class": .container, "module": .container, "method": .function, "singleton_method": .function],
                                 wrappers: [:], attached: ["comment"], separator: "#")
        case "json":
            // A key's value, when large, is split into its own keys.
            return LanguageRules(definitions: ["pair": .container], wrappers: [:], attached: [], separator: ".")
        case "toml":
            return LanguageRules(definitions: ["table": .container, "table_array_element": .container, "pair": .function],
                                 wrappers: [:], attached: ["comment"], separator: ".")
        case "bash":
            return LanguageRules(definitions: ["function_definition": .function], wrappers: [:], attached: ["comment"], separator: ".")
        default:
            return nil
        }
    }
}

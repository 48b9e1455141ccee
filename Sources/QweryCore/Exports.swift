// The faces (the commands, and anything else built on the core) see the vocabulary they print and pass
// around — results, precisions, index events, store errors, model pulls — through QweryCore, so the
// executable depends on QweryCore, TUI, MCPServer and Bench alone, and the arrows keep pointing one way.
@_exported import Corpus
@_exported import Documents
@_exported import Engine
@_exported import Indexing
@_exported import ModelHub
@_exported import Search
@_exported import Store
@_exported import Syntax
@_exported import Tokenizers

import Foundation
import MCP

/// qwery's Model Context Protocol server: the tools of `QweryTools` on the official Swift SDK. The transport
/// is stdio for `qwery mcp` (nothing but JSON-RPC on stdout) or in-memory for tests.
package enum QweryServer {
    /// A server with qwery's tools registered, not yet started.
    package static func make(tools: QweryTools, version: String) async -> Server {
        let server = Server(
            name: "qwery", version: version,
            instructions: "Search the user's own notes and code folders by meaning (search), read files inside them (get), "
                + "find related passages (similar), and check what is indexed (status).",
            capabilities: .init(tools: .init(listChanged: false))
        )
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: QweryTools.definitions)
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            // Tools run the engine and read the database: off the server's own executor.
            await Task.detached { tools.call(parameters.name, arguments: parameters.arguments ?? [:]) }.value
        }
        return server
    }

    /// Serves `tools` over stdio (qwery's own `LineTransport`) until the client's input ends and every request
    /// read has been answered.
    package static func serve(tools: QweryTools, version: String) async throws {
        let server = await make(tools: tools, version: version)
        try await server.start(transport: LineTransport())
        await server.waitUntilCompleted()
    }
}

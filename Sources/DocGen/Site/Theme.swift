/// The templates and assets of the site. The embedded theme is compiled into the binary.
struct Theme: Sendable {
    var page: Template
    /// Static files by name (`style.css`, ...).
    var assets: [String: String]

    static let embedded = Theme(page: Template(EmbeddedTheme.page), assets: ["style.css": EmbeddedTheme.style])
}

/// A template with `{{name}}` placeholders, filled with already-escaped HTML.
struct Template: Sendable {
    private enum Piece: Sendable { case text(String), variable(String) }
    private let pieces: [Piece]

    init(_ text: String) {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            pieces.append(.text(String(rest[..<open.lowerBound])))
            pieces.append(.variable(rest[open.upperBound..<close.lowerBound].trimmed))
            rest = rest[close.upperBound...]
        }
        pieces.append(.text(String(rest)))
        self.pieces = pieces
    }

    /// The names of the placeholders in this template.
    var variables: [String] {
        pieces.compactMap { if case .variable(let v) = $0 { return v } else { return nil } }
    }

    func fill(_ values: [String: String]) -> String {
        var out = ""
        for p in pieces {
            switch p {
            case .text(let t): out += t
            case .variable(let v): out += values[v] ?? ""
            }
        }
        return out
    }
}

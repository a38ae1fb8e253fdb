import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small immutable XML element tree (name, text, children), built with Foundation's `XMLParser`;
/// enough for the query protocol's replies and errors.
public final class XMLTree: Sendable {
    public let name: String
    public let text: String
    public let children: [XMLTree]

    init(name: String, text: String, children: [XMLTree]) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// Parses `data`; nil if it is not well-formed XML.
    public static func parse(_ data: Data) -> XMLTree? {
        guard !data.isEmpty else { return nil }
        let parser = XMLParser(data: data)
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    /// The first element named `name` in this subtree (depth first, self included).
    public func first(_ name: String) -> XMLTree? {
        if self.name == name { return self }
        for c in children {
            if let hit = c.first(name) { return hit }
        }
        return nil
    }

    /// The direct children named `name`.
    public func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// Text of the first `name` below (for leaves like `<Arn>`).
    public func value(_ name: String) -> String? { first(name)?.text }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [(name: String, text: String, children: [XMLTree])] = []
        var root: XMLTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            stack.append((name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let top = stack.popLast() else { return }
            let node = XMLTree(name: top.name, text: top.text.trimmingCharacters(in: .whitespacesAndNewlines), children: top.children)
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }
}

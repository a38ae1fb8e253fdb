import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small immutable XML element tree (name, text, children), built with Foundation's `XMLParser`;
/// enough for the query protocol's replies and errors.
///
/// Input is bounded before the parser sees it (`maxBytes`, never more than 1 GiB), a document type
/// (and so any entity) is refused, and nesting is bounded while it reads: a hostile or broken
/// reply is an error, never a crash.
public final class XMLTree: Sendable {
    public let name: String
    public let text: String
    public let children: [XMLTree]

    /// Elements nested deeper than this are refused (AWS replies nest less than 10 deep).
    public static let maxDepth = 64

    init(name: String, text: String, children: [XMLTree]) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// Why bytes are not an XML tree.
    public enum ParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case tooLarge(bytes: Int, limit: UInt64)
        case tooDeep(limit: Int)
        /// A `<!DOCTYPE`: AWS never sends one, and its entities can expand a small reply enormously.
        case documentType
        case malformed(line: Int, column: Int)

        public var description: String {
            switch self {
            case .empty: return "the body is empty, where an XML document was expected"
            case .tooLarge(let bytes, let limit):
                return "the body is \(bytes) bytes, more than the \(HTTPTransportError.bytes(limit)) an XML reply may have"
            case .tooDeep(let limit): return "the XML nests deeper than \(limit) elements"
            case .documentType: return "the XML declares a document type (<!DOCTYPE), which no AWS reply does"
            case .malformed(let line, let column): return "the body is not well-formed XML (line \(line), column \(column))"
            }
        }
    }

    /// Parses `data`, refusing more than `maxBytes` without reading it.
    public static func read(_ data: Data, maxBytes: UInt64 = AWSReplyLimit.accepted.upperBound) throws(ParseFailure) -> XMLTree {
        guard !data.isEmpty else { throw .empty }
        let limit = min(maxBytes, AWSReplyLimit.accepted.upperBound)
        guard UInt64(data.count) <= limit else { throw .tooLarge(bytes: data.count, limit: limit) }
        // S3 may send spaces before the document to keep a long CompleteMultipartUpload alive.
        let start = data.firstIndex { !(0x20 == $0 || 0x09 == $0 || 0x0A == $0 || 0x0D == $0) } ?? data.endIndex
        guard start < data.endIndex else { throw .empty }
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil { throw .documentType }
        let parser = XMLParser(data: start == data.startIndex ? data : Data(data[start...]))
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        let parsed = parser.parse()
        if builder.tooDeep { throw .tooDeep(limit: maxDepth) }
        // XMLParser may report success after an error (content after the root): check both.
        guard parsed, !builder.failed, parser.parserError == nil, let root = builder.root else {
            throw .malformed(line: parser.lineNumber, column: parser.columnNumber)
        }
        return root
    }

    /// Parses `data`; nil if it is empty, larger than `maxBytes` or not well-formed XML.
    public static func parse(_ data: Data, maxBytes: UInt64 = AWSReplyLimit.accepted.upperBound) -> XMLTree? {
        try? read(data, maxBytes: maxBytes)
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
        var tooDeep = false
        var failed = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            guard stack.count < XMLTree.maxDepth else {
                tooDeep = true
                parser.abortParsing()
                return
            }
            stack.append((name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            failed = true
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard !tooDeep, let top = stack.popLast() else { return }
            let node = XMLTree(name: top.name, text: top.text.trimmingCharacters(in: .whitespacesAndNewlines), children: top.children)
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }
}

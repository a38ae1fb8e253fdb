import ArgumentParser
import RunbookCore
import Foundation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every executable section (DOC#ID) and its steps.")

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    struct SectionJSON: Encodable {
        var target: String
        var doc: String
        var id: String
        var title: String
        var line: Int
        var steps: [StepJSON]
    }

    struct StepJSON: Encodable {
        var id: String
        var kind: String
        var line: Int
        var timeout: Int
        var confirm: Bool
        var condition: String?
        var skip: Bool
        var parameters: [String]
    }

    func run() throws {
        try Terminal.guarded {
            let docSet = try options.loadDocSet()
            for w in docSet.diagnostics where w.severity == .warning { Terminal.warning("\(w.file):\(w.line): \(w.message)") }
            if !docSet.errors.isEmpty { throw DiagnosticsError(docSet.errors) }
            var sections: [SectionJSON] = []
            for doc in docSet.documents {
                for s in doc.executableSections {
                    sections.append(SectionJSON(
                        target: "\(doc.name)#\(s.heading.id)", doc: doc.path, id: s.heading.id, title: s.heading.text,
                        line: s.heading.line,
                        steps: s.allSteps.map {
                            StepJSON(id: $0.id, kind: $0.kind.rawValue, line: $0.line, timeout: $0.timeoutSeconds, confirm: $0.confirm,
                                     condition: $0.condition?.description, skip: $0.skip, parameters: $0.parameters)
                        }))
                }
            }
            if json {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try enc.encode(sections), as: UTF8.self))
                return
            }
            for s in sections {
                print("\(s.target)  \(s.title)  (\(s.doc):\(s.line))")
                for st in s.steps {
                    var extra = ""
                    if let c = st.condition { extra += " if=\(c)" }
                    if st.skip { extra += " skip" }
                    print("    \(st.id.padding(toLength: max(st.id.count, 18), withPad: " ", startingAt: 0))  \(st.kind.padding(toLength: 8, withPad: " ", startingAt: 0))\(extra)")
                }
            }
        }
    }
}

import ArgumentParser
import DocGen
import RunbookCore
import Foundation
import RunbookExec

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the docs: review dates, steps, links and anchors, referenced files, the config and the committed site.",
        discussion: "Exits 1 when there is any error finding; warnings alone exit 0.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Output format: text, json or github (annotations).")
    var format: Format = .text

    @Option(name: .long, help: "Check review dates as of this day (YYYY-MM-DD; default: today, UTC).")
    var today: String?

    @Flag(name: .long, help: "Do not compare the committed site with a fresh build.")
    var skipSite = false

    func run() throws {
        var findings: [Diagnostic] = []
        var day = CalendarDate.today(now: Date().timeIntervalSince1970)
        if let today {
            guard let d = CalendarDate(iso: today) else {
                Terminal.error("--today '\(today)' is not a date; write it as YYYY-MM-DD")
                throw ExitCode(2)
            }
            day = d
        }
        do {
            let docSet = try options.loadDocSet()
            var checker = DocChecker(docSet: docSet, today: day)
            let config = docSet.config
            checker.stepCheck = { step, doc in StepPlanCheck.findings(step, doc, config: config) }
            findings = checker.run()
            if !skipSite {
                findings += siteFindings(docSet)
            }
        } catch let e as ConfigError {
            findings = [Diagnostic(file: e.file, line: max(e.line, 1), code: .config, message: e.message)]
        }
        emit(findings)
        if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }

    private func siteFindings(_ docSet: DocSet) -> [Diagnostic] {
        guard docSet.errors.isEmpty else { return [] }
        let out = docSet.root.appendingPathComponent(docSet.config.site.out)
        let outName = docSet.config.site.out
        do {
            let cmp = try SiteBuilder(docSet: docSet).compare(with: out)
            if cmp.isFresh { return [] }
            var parts: [String] = []
            if !cmp.stale.isEmpty { parts.append("changed: " + cmp.stale.prefix(5).joined(separator: ", ") + (cmp.stale.count > 5 ? ", ..." : "")) }
            if !cmp.missing.isEmpty { parts.append("missing: " + cmp.missing.prefix(5).joined(separator: ", ") + (cmp.missing.count > 5 ? ", ..." : "")) }
            if !cmp.extra.isEmpty { parts.append("extra: " + cmp.extra.prefix(5).joined(separator: ", ") + (cmp.extra.count > 5 ? ", ..." : "")) }
            return [Diagnostic(file: outName, line: 1, code: .staleSite,
                               message: "the committed site is stale (\(parts.joined(separator: "; "))); run `runbook build` and commit \(outName)/")]
        } catch {
            return [Diagnostic(file: outName, line: 1, code: .staleSite, message: "cannot compare the site: \(error)")]
        }
    }

    private func emit(_ findings: [Diagnostic]) {
        switch format {
        case .text:
            for f in findings { print("\(f.file):\(f.line): \(f.severity.rawValue): \(f.message) [\(f.code.rawValue)]") }
            let errors = findings.filter { $0.severity == .error }.count
            let warnings = findings.count - errors
            print(findings.isEmpty ? "check: all docs fresh and sound" : "check: \(errors) error(s), \(warnings) warning(s)")
        case .github:
            for f in findings {
                print("::\(f.severity.rawValue) file=\(Self.escapeProperty(f.file)),line=\(f.line),title=\(f.code.rawValue)::\(Self.escapeData(f.message))")
            }
        case .json:
            struct Finding: Encodable {
                var file: String
                var line: Int
                var severity: String
                var code: String
                var message: String
            }
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = (try? enc.encode(findings.map {
                Finding(file: $0.file, line: $0.line, severity: $0.severity.rawValue, code: $0.code.rawValue, message: $0.message)
            })) ?? Data("[]".utf8)
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// GitHub workflow-command escaping for the message part.
    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// GitHub workflow-command escaping for property values.
    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// Per-step findings from the executor's planner: every planning problem of the step, at its line.
enum StepPlanCheck {
    static func findings(_ step: Step, _ doc: RunbookDocument, config: RunbookConfig) -> [Diagnostic] {
        StepPlanProblems.problems(step: step, config: config).map {
            Diagnostic(file: doc.path, line: step.line, code: .stepPlan, message: $0)
        }
    }
}

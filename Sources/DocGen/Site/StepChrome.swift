import RunbookCore
/// The HTML around step blocks and code: id, kind badge, the exact run command, copy buttons.
enum StepChrome {
    /// A step block; `anchored` gives the figure the id `step-ID` (false when a heading has that id).
    static func step(_ step: Step, doc: String, section: String, anchored: Bool = true) -> String {
        let command = "runbook exec \(doc)#\(section) --only \(step.id)"
        var meta = "<span class=\"step-id\">\(HTMLEscaping.escape(step.id))</span>"
        meta += "<span class=\"badge kind-\(step.kind.rawValue)\">\(step.kind.rawValue)</span>"
        if step.kind == .act && step.confirm { meta += "<span class=\"badge confirm\">실행 전 확인</span>" }
        if let c = step.condition { meta += "<span class=\"badge cond\">if \(HTMLEscaping.escape(c.description))</span>" }
        if step.skip { meta += "<span class=\"badge skip\">실행 안 함 (skip)</span>" }
        meta += "<span class=\"timeout\">timeout \(DurationText.format(seconds: step.timeoutSeconds))</span>"
        // A step outside any section with an id cannot be run on its own: no command to show.
        let run = step.sectionID.isEmpty ? "" : "<div class=\"run\"><code>\(HTMLEscaping.escape(command))</code>\(copyButton(command))</div>"
        return """
        <figure class="step kind-\(step.kind.rawValue)"\(anchored ? " id=\"step-\(HTMLEscaping.escape(step.id))\"" : "")>
        <figcaption>\(meta)</figcaption>
        \(codeBlock(step.code, language: step.language))\(run)
        </figure>

        """
    }

    static func sectionCommand(doc: String, section: String) -> String {
        let command = "runbook exec \(doc)#\(section)"
        return "<div class=\"run section-run\"><code>\(HTMLEscaping.escape(command))</code>\(copyButton(command))</div>\n"
    }

    static func codeBlock(_ code: String, language: String) -> String {
        let lang = language.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        let cls = lang.isEmpty ? "" : " class=\"language-\(lang)\""
        let body = Step.languages.contains(lang.lowercased()) ? ShellHighlighter.highlight(code) : HTMLEscaping.escape(code)
        return "<div class=\"code\"><pre><code\(cls)>\(body)</code></pre>\(copyButton(nil))</div>\n"
    }

    /// A copy button; with `text`, it copies that text, else the code block next to it.
    static func copyButton(_ text: String?) -> String {
        let data = text.map { " data-copy=\"\(HTMLEscaping.escape($0))\"" } ?? ""
        let label = text == nil ? "코드 복사" : "명령 복사"
        return "<button type=\"button\" class=\"copy\"\(data) aria-label=\"\(label)\">복사</button>"
    }
}

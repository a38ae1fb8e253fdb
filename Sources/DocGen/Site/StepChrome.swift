/// The HTML around step blocks and code: id, kind badge, the exact run command, copy buttons.
enum StepChrome {
    static func step(_ step: Step, doc: String) -> String {
        let command = "runbook exec \(doc)#\(step.sectionID) --only \(step.id)"
        var meta = "<span class=\"step-id\">\(HTMLEscaping.escape(step.id))</span>"
        meta += "<span class=\"badge kind-\(step.kind.rawValue)\">\(step.kind.rawValue)</span>"
        if step.kind == .act && step.confirm { meta += "<span class=\"badge confirm\">asks first</span>" }
        if let c = step.condition { meta += "<span class=\"badge cond\">if \(HTMLEscaping.escape(c.description))</span>" }
        if step.skip { meta += "<span class=\"badge skip\">skipped</span>" }
        meta += "<span class=\"timeout\">timeout \(DurationText.format(seconds: step.timeoutSeconds))</span>"
        return """
        <figure class="step kind-\(step.kind.rawValue)" id="step-\(HTMLEscaping.escape(step.id))">
        <figcaption>\(meta)</figcaption>
        \(codeBlock(step.code, language: step.language))<div class="run"><code>\(HTMLEscaping.escape(command))</code>\(copyButton(command))</div>
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
        return "<button type=\"button\" class=\"copy\"\(data) aria-label=\"Copy\">copy</button>"
    }
}

import Foundation

/// Posts run notices to a Slack incoming webhook: run started, step failed, run finished (with the
/// audit chain head, so a cut-off audit log is detectable from outside).
///
/// The webhook URL is a secret: it is never printed, logged or put in an error; a failed notice
/// is a `SlackDelivery.failed` for the caller to show as a warning, never a failed run.
public struct SlackNotifier: Sendable {
    private let webhookURL: URL
    public var transport: any HTTPTransport
    public var timeout: Double

    public init(webhookURL: URL, transport: any HTTPTransport = CurlTransport(), timeout: Double = 10) {
        self.webhookURL = webhookURL
        self.transport = transport
        self.timeout = timeout
    }

    /// The notifier for the webhook in the environment variable `variable` (runbook.toml's
    /// `slack_webhook_env`); the error names the variable, never its value.
    public static func fromEnvironment(variable: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                                       transport: any HTTPTransport = CurlTransport()) throws(SlackConfigurationError) -> SlackNotifier {
        guard let raw = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else {
            throw SlackConfigurationError.variableUnset(variable)
        }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            throw SlackConfigurationError.notAURL(variable)
        }
        return SlackNotifier(webhookURL: url, transport: transport)
    }

    // MARK: - Notices

    /// What a notice says about the run.
    public struct Run: Sendable, Equatable {
        public var id: String
        /// `DOC#SECTION`.
        public var target: String
        public var environment: String
        /// Who runs it (user@host, or the AWS caller ARN).
        public var operatorName: String

        public init(id: String, target: String, environment: String, operatorName: String) {
            self.id = id
            self.target = target
            self.environment = environment
            self.operatorName = operatorName
        }
    }

    /// How a run ended.
    public enum Outcome: String, Sendable {
        case succeeded, failed, interrupted
    }

    @discardableResult
    public func runStarted(_ run: Run, steps: Int) -> SlackDelivery {
        post(text: ":arrow_forward: runbook `\(run.target)` started on *\(run.environment)* by \(run.operatorName) (\(steps) step\(steps == 1 ? "" : "s"), run \(run.id))")
    }

    @discardableResult
    public func stepFailed(_ run: Run, step: String, reason: String) -> SlackDelivery {
        post(text: ":x: runbook `\(run.target)` on *\(run.environment)*: step `\(step)` failed: \(reason) (run \(run.id))")
    }

    /// The finished notice; `chainHead` is the audit log's last record hash, in the text for people
    /// and as `audit_chain_head` for machines, so a log cut off after the run is detectable.
    @discardableResult
    public func runFinished(_ run: Run, outcome: Outcome, durationSeconds: Double, chainHead: String) -> SlackDelivery {
        let icon = outcome == .succeeded ? ":white_check_mark:" : (outcome == .failed ? ":x:" : ":warning:")
        let text = "\(icon) runbook `\(run.target)` on *\(run.environment)* \(outcome.rawValue) in \(Self.duration(durationSeconds)) (run \(run.id), audit chain head \(chainHead))"
        return post(payload: ["text": text, "audit_chain_head": chainHead, "run_id": run.id])
    }

    /// Posts `{"text": text}`.
    @discardableResult
    public func post(text: String) -> SlackDelivery {
        post(payload: ["text": text])
    }

    /// Posts a JSON object of strings (Slack reads `text`; other fields ride along for workflows).
    @discardableResult
    public func post(payload: [String: String]) -> SlackDelivery {
        let body: Data
        do {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            body = try enc.encode(payload)
        } catch {
            return .failed("could not encode the notice: \(error)")
        }
        let request = HTTPRequest(method: "POST", url: webhookURL, headers: [(name: "Content-Type", value: "application/json; charset=utf-8")],
                                  body: .bytes(body), connectTimeout: min(timeout, 5), timeout: timeout)
        do {
            let response = try transport.send(request)
            guard (200..<300).contains(response.status) else {
                // Slack's error words (`invalid_payload`, `no_service`) are safe to show; the URL is not.
                let words = String(decoding: response.body.prefix(120), as: UTF8.self)
                    .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
                return .failed("the Slack webhook answered HTTP \(response.status)\(words.isEmpty ? "" : ": \(redact(words))")")
            }
            return .delivered
        } catch {
            return .failed("the Slack webhook could not be reached (\(error.kind.rawValue) at \(error.endpoint))")
        }
    }

    /// Removes the webhook URL and its path from text (in case a server echoes them).
    private func redact(_ text: String) -> String {
        var t = text.replacingOccurrences(of: webhookURL.absoluteString, with: "[webhook]")
        if webhookURL.path.count > 1 { t = t.replacingOccurrences(of: webhookURL.path, with: "[webhook]") }
        return t
    }

    static func duration(_ s: Double) -> String {
        let total = Int(s.rounded())
        return total >= 60 ? "\(total / 60)m \(total % 60)s" : "\(total)s"
    }
}

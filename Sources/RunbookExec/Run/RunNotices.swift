import SystemIO
import RunbookCore
import Foundation
import OpsActions

/// Slack notices of a real run, when the environment names `slack_webhook_env` and that variable
/// is set: run start (who, where, what), each failed step, run end (status, duration, chain head).
///
/// A notice that cannot be sent is a warning on stderr, never a failed run; the webhook URL is
/// never printed (OpsActions keeps it out of every message, and the redactor knows it too).
struct RunNotices: Sendable {
    let notifier: SlackNotifier?
    let run: SlackNotifier.Run
    let reporter: RunReporter
    let redactor: Redactor

    init(environment: EnvironmentConfig, processEnvironment: [String: String], run: SlackNotifier.Run, reporter: RunReporter,
         redactor: Redactor) {
        self.run = run
        self.reporter = reporter
        self.redactor = redactor
        guard let variable = environment.slackWebhookEnv, let value = processEnvironment[variable], !value.isEmpty else {
            notifier = nil
            return
        }
        do {
            notifier = try SlackNotifier.fromEnvironment(variable: variable, environment: processEnvironment)
        } catch {
            notifier = nil
            reporter.notice("warning: no Slack notices for this run: \(redactor.redact(error.description))")
        }
    }

    func started(steps: Int) async {
        await send("run start") { n, r in n.runStarted(r, steps: steps) }
    }

    func stepFailed(_ step: String, status: StepStatus, reason: String?) async {
        let why = redactor.redact(reason ?? status.rawValue)
        await send("step \(step) failed") { n, r in n.stepFailed(r, step: step, reason: status == .failed ? why : "\(status.rawValue): \(why)") }
    }

    func finished(status: RunStatus, durationSeconds: Double, chainHead: String) async {
        let outcome: SlackNotifier.Outcome
        switch status {
        case .ok: outcome = .succeeded
        case .failed: outcome = .failed
        case .interrupted, .declined, .refused: outcome = .interrupted
        }
        await send("run end") { n, r in n.runFinished(r, outcome: outcome, durationSeconds: durationSeconds, chainHead: chainHead) }
    }

    private func send(_ what: String, _ post: @escaping @Sendable (SlackNotifier, SlackNotifier.Run) -> SlackDelivery) async {
        guard let notifier else { return }
        let run = self.run
        let delivery = (try? await BlockingWork.run { post(notifier, run) }) ?? .failed("cancelled")
        if case .failed(let why) = delivery {
            reporter.notice("warning: Slack notice (\(what)) not sent: \(redactor.redact(why)); the run goes on")
        }
    }
}

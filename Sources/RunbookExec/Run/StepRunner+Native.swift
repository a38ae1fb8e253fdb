import RunbookCore

extension StepRunner {
    /// How a native action ended: the first of its own end, the step's deadline, Ctrl-C and a
    /// cancellation of the run's task.
    private enum NativeRace: Sendable {
        case done(NativeActionResult)
        case error(String)
        case timeout
        case interrupted
        case cancelled
    }

    /// Runs `action` through the executor, racing it against the step's deadline and Ctrl-C; the
    /// losers are cancelled (the executor honours cancellation). Nothing polls: the deadline is a
    /// sleep and Ctrl-C an awaited flag.
    func runNative(_ action: NativeAction, step id: String, deadline: Double, capture: OutputCapture)
        async -> (status: StepStatus, message: String?, before: [String: String]?, after: [String: String]?) {
        let output = self.output(step: id, capture: capture)
        let context = NativeActionContext(environment: environment, timeoutSeconds: max(0, deadline - Self.now()), force: force,
                                          workingDirectory: workingDirectory, processEnvironment: processEnvironment) { line in
            output(line, false)
        }
        let executor = self.executor
        let interrupt = self.interrupt
        let race: NativeRace = await withTaskGroup(of: NativeRace.self) { group in
            group.addTask {
                do {
                    return .done(try await executor.run(action, context: context))
                } catch {
                    return Task.isCancelled ? .cancelled : .error(String(describing: error))
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(nanoseconds: UInt64(max(0, deadline - Self.now()) * 1e9))
                    return .timeout
                } catch {
                    return .cancelled
                }
            }
            group.addTask {
                await interrupt.wait()
                return interrupt.isSet ? .interrupted : .cancelled
            }
            let first = await group.next() ?? .error("the action ended without a result")
            group.cancelAll()
            return first
        }
        switch race {
        case .done(let r):
            return (r.succeeded ? .ok : .failed, r.message.map(redactor.redact), r.before, r.after)
        case .error(let message):
            return (.failed, redactor.redact(message), nil, nil)
        case .timeout:
            return (.timeout, "\(action.name) timed out; \(sent(context))", nil, nil)
        case .interrupted:
            return (.interrupted, "\(action.name) stopped by a signal (Ctrl-C, SIGTERM or SIGHUP); \(sent(context))", nil, nil)
        case .cancelled:
            return (.interrupted, "\(action.name) cancelled; \(sent(context))", nil, nil)
        }
    }

    /// What a stopped native action had sent: nothing more leaves after the stop.
    private func sent(_ context: NativeActionContext) -> String {
        let requests = context.sentRequests.all
        return requests.isEmpty ? "no request was sent"
            : redactor.redact("requests sent before the stop: " + requests.joined(separator: ", ") + "; none after it")
    }
}

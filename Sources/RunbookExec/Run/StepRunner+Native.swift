import RunbookCore

extension StepRunner {
    /// How a native action ended: the first of its own end, the step's deadline and Ctrl-C.
    private enum NativeRace: Sendable {
        case done(NativeActionResult)
        case error(String)
        case timeout
        case interrupted
    }

    /// Runs `action` through the executor, racing it against the step's deadline and Ctrl-C; the
    /// loser is cancelled (the executor honours cancellation).
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
                    return .error(String(describing: error))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    if interrupt.isSet { return .interrupted }
                    if Self.now() > deadline { return .timeout }
                    try? await Task.sleep(nanoseconds: 100_000_000)
                }
                return .timeout
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
            return (.timeout, "\(action.name) timed out", nil, nil)
        case .interrupted:
            return (.interrupted, "\(action.name) stopped by Ctrl-C", nil, nil)
        }
    }
}

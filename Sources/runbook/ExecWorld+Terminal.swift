import ArgumentParser
import Foundation
import RunbookCore
import RunbookExec

extension ExecWorld {
    /// The world of a run started from the terminal (`runbook exec`, `runbook ecs redeploy|rollback`):
    /// this process's environment, the terminal prompter, the standard reporter and, when
    /// runbook.toml names one, the CloudWatch copy of the audit log.
    static func terminal(config: RunbookConfig, executor: OpsActionExecutor, json: Bool, interrupt: InterruptFlag) -> ExecWorld {
        var world = ExecWorld(processEnvironment: ProcessInfo.processInfo.environment, executor: executor,
                              resolvers: [ServiceTasksResolver(source: ECSRunningTasks())], prompter: TerminalPrompter(interrupt: interrupt),
                              interrupt: interrupt, reporter: .standard(json: json))
        world.auditMirror = AuditMirrorSetup.factory(config: config, processEnvironment: world.processEnvironment)
        return world
    }

    /// Runs `body` and turns its outcome into the process's: a refusal is its lines and exit 2,
    /// a failed step exit 1.
    static func exitWith(_ body: () async throws(ExecError) -> Int32) async throws {
        let code: Int32
        do {
            code = try await body()
        } catch {
            throw CLIFailure(error.lines, exitCode: error.exitCode)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

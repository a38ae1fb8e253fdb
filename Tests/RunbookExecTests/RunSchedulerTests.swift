import RunbookCore
import Testing
@testable import RunbookExec

/// Which step runs next and how a run ends, without running anything.
@Suite("Run scheduler")
struct RunSchedulerTests {
    static func step(_ id: String, kind: StepKind = .diagnose, condition: String? = nil, skip: Bool = false) -> Step {
        Step(id: id, hasExplicitID: true, language: "bash", kind: kind, hasExplicitKind: true, timeoutSeconds: 60, confirm: false,
             condition: condition.flatMap(StepCondition.init), skip: skip, code: "true", parameters: [], line: 1, sectionID: "s")
    }

    static let apiDown = [
        step("health"), step("redeploy", kind: .act, condition: "failed:health"), step("health-after", kind: .verify),
    ]

    @Test func aFailureALaterStepHandlesIsHandedOverAndAPassingVerifyMakesTheRunOK() {
        var scheduler = RunScheduler(steps: Self.apiDown, only: [])
        #expect(scheduler.decide(Self.apiDown[0]) == .init())
        #expect(scheduler.ended(Self.apiDown[0], .failed) == .handedOver)
        #expect(scheduler.decide(Self.apiDown[1]) == .init())
        #expect(scheduler.ended(Self.apiDown[1], .ok) == .next)
        #expect(scheduler.decide(Self.apiDown[2]) == .init())
        #expect(scheduler.ended(Self.apiDown[2], .ok) == .next)
        #expect(scheduler.outcome().status == .ok)
        #expect(scheduler.counts == ["ok": 2, "failed": 1])
    }

    @Test func aHandledFailureWithoutAPassingVerifyFailsTheRunAndSaysWhy() {
        var scheduler = RunScheduler(steps: Self.apiDown, only: [])
        _ = scheduler.decide(Self.apiDown[0])
        _ = scheduler.ended(Self.apiDown[0], .timeout)
        _ = scheduler.decide(Self.apiDown[1])
        _ = scheduler.ended(Self.apiDown[1], .ok)
        _ = scheduler.decide(Self.apiDown[2])
        _ = scheduler.ended(Self.apiDown[2], .failed)
        #expect(scheduler.outcome().status == .failed)
        let alone = [Self.step("a"), Self.step("b", condition: "failed:a")]
        var second = RunScheduler(steps: alone, only: [])
        _ = second.decide(alone[0])
        _ = second.ended(alone[0], .failed)
        _ = second.decide(alone[1])
        _ = second.ended(alone[1], .ok)
        #expect(second.outcome().status == .failed)
        #expect(second.outcome().note == "step a failed and no verify step passed after it; the run counts as failed")
    }

    @Test func conditionsThatDoNotHoldAndEarlierFailuresSkip() {
        var scheduler = RunScheduler(steps: Self.apiDown, only: [])
        _ = scheduler.decide(Self.apiDown[0])
        _ = scheduler.ended(Self.apiDown[0], .ok)
        #expect(scheduler.decide(Self.apiDown[1]).skipReason == "if=failed:health does not hold (health: ok)")
        let steps = [Self.step("a"), Self.step("b"), Self.step("c", condition: "ok:b"), Self.step("d", skip: true)]
        var other = RunScheduler(steps: steps, only: [])
        _ = other.decide(steps[0])
        #expect(other.ended(steps[0], .failed) == .failed)
        #expect(other.decide(steps[1]).skipReason == "an earlier step failed")
        #expect(other.decide(steps[2]).skipReason == "if=ok:b does not hold (b did not run)")
        #expect(other.decide(steps[3]).skipReason == "marked skip in the doc")
        #expect(other.outcome().status == .failed)
        #expect(other.counts == ["failed": 1, "skipped": 3])
    }

    @Test func onlyRunsAConditionedStepWhoseConditionIsOutsideTheRun() {
        let steps = [Self.step("recover", condition: "failed:check")]
        var scheduler = RunScheduler(steps: steps, only: ["recover"])
        let decision = scheduler.decide(steps[0])
        #expect(decision.skipReason == nil)
        #expect(decision.note == "step recover: if=failed:check is not checked, because check is not part of this run and --only names recover")
    }

    @Test func anInterruptedStepOrAStopEndsTheRun() {
        var scheduler = RunScheduler(steps: Self.apiDown, only: [])
        _ = scheduler.decide(Self.apiDown[0])
        #expect(scheduler.ended(Self.apiDown[0], .interrupted) == .stop)
        #expect(scheduler.outcome().status == .interrupted)
        var declined = RunScheduler(steps: Self.apiDown, only: [])
        declined.stop(.declined)
        #expect(declined.outcome().status == .declined)
        #expect(RunStatus.declined.exitCode == 2)
    }
}

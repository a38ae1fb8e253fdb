import SystemIO
import Testing

/// Blocking work on threads of its own: the pool stays free, and a cancellation reaches the work.
/// The time limits only bound a wait for an event that never comes; they are wide because in a full
/// run a test may wait long for a thread of the pool.
@Suite("BlockingWork and CancelFlag")
struct BlockingWorkTests {
    struct Broken: Error, Equatable {}

    @Test func returnsWhatTheWorkReturnsAndThrowsWhatItThrows() async throws {
        #expect(try await BlockingWork.run { 6 * 7 } == 42)
        await #expect(throws: Broken.self) { try await BlockingWork.run { throw Broken() } }
    }

    @Test(.timeLimit(.minutes(10))) func sixteenBlockedCallsLeaveThePoolFree() async throws {
        let gate = CancelFlag()
        let (started, starting) = AsyncStream<Void>.makeStream()
        let calls = (0..<16).map { _ in
            Task {
                try await BlockingWork.run {
                    starting.yield()
                    gate.sleep(seconds: 60)
                    return gate.isSet
                }
            }
        }
        var count = 0
        for await _ in started {
            count += 1
            if count == calls.count { break }
        }
        // Sixteen threads are blocked; had they been the pool's (two here), nothing below would run.
        #expect(await Task { 6 * 7 }.value == 42)
        gate.set()
        for call in calls { #expect(try await call.value) }
    }

    @Test(.timeLimit(.minutes(10))) func abandonedWorkIsToldAndTheCallReturnsAtOnce() async throws {
        let cancel = CancelFlag()
        let (started, starting) = AsyncStream<Void>.makeStream()
        let call = Task {
            try await BlockingWork.run(cancel: cancel) {
                starting.yield()
                cancel.sleep(seconds: 600)
                return "finished"
            }
        }
        for await _ in started { break }
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(cancel.isSet, "the work sees its flag set and ends early")
    }

    @Test(.timeLimit(.minutes(10))) func workThatFinishesIsToldAndItsResultComesBack() async throws {
        let cancel = CancelFlag()
        let (started, starting) = AsyncStream<Void>.makeStream()
        let call = Task {
            try await BlockingWork.run(cancel: cancel, whenCancelled: .finish) {
                starting.yield()
                cancel.sleep(seconds: 600)
                return cancel.isSet ? "stopped when told" : "ran out"
            }
        }
        for await _ in started { break }
        call.cancel()
        #expect(try await call.value == "stopped when told")
    }

    @Test func aTaskCancelledBeforehandNeverStartsTheWork() async {
        let ran = CancelFlag()
        let call = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await BlockingWork.run(whenCancelled: .finish) { ran.set() }
        }
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(!ran.isSet)
    }

    @Test(.timeLimit(.minutes(10))) func aFlagWakesWhoSleepsOrWaitsOnIt() async throws {
        let flag = CancelFlag()
        let (sleeping, asleep) = AsyncStream<Void>.makeStream()
        let sleeper = Task {
            try await BlockingWork.run {
                asleep.yield()
                flag.sleep(seconds: 600)
                return flag.isSet
            }
        }
        let waiter = Task {
            await flag.wait()
            return flag.isSet
        }
        for await _ in sleeping { break }
        flag.set()
        flag.set()
        #expect(try await sleeper.value)
        #expect(await waiter.value)
        flag.sleep(seconds: 600)  // already set: returns at once
    }

    @Test(.timeLimit(.minutes(10))) func waitingOnAFlagEndsWhenTheTaskIsCancelled() async {
        let flag = CancelFlag()
        let waiter = Task { await flag.wait() }
        waiter.cancel()
        await waiter.value
        #expect(!flag.isSet)
    }
}

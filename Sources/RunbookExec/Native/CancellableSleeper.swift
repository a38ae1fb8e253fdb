import OpsActions
import SystemIO

/// Sleeps until the time is up or the step's task is cancelled, whichever comes first.
struct CancellableSleeper: Sleeper {
    let flag: CancelFlag

    func sleep(seconds: Double) {
        flag.sleep(seconds: seconds)
    }
}

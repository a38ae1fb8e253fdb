import Foundation
import OpsActions

/// Sleeps in short slices and stops early once the step's task is cancelled.
struct CancellableSleeper: Sleeper {
    let flag: CancelFlag

    func sleep(seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while !flag.isSet {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return }
            Thread.sleep(forTimeInterval: min(0.2, left))
        }
    }
}

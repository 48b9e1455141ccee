import CKernels

/// Runs the parts of one step of the forward pass on every core. Helpers spin between the steps
/// of a pass, so handing out work costs far less than waking threads through the dispatch queues.
enum ThreadPool {
    /// Calls `body(task)` for every task in 0..<tasks, in parallel, and returns when all are done.
    static func run(_ tasks: Int, _ body: (Int) -> Void) {
        guard tasks > 1 else {
            if tasks == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            var job = Job(body: escapable)
            withUnsafeMutablePointer(to: &job) { pointer in
                qwery_parallel_run(Int32(tasks), { context, task in
                    context?.assumingMemoryBound(to: Job.self).pointee.body(Int(task))
                }, UnsafeMutableRawPointer(pointer))
            }
        }
    }

    /// Splits 0..<count into `workers` contiguous shares (their starts at multiples of `alignment`) and
    /// calls `body(worker, share)` for each non-empty share, in parallel.
    static func runShares(of count: Int, workers: Int, alignment: Int = 1, _ body: (_ worker: Int, _ share: Range<Int>) -> Void) {
        let workers = max(1, workers)
        let perWorker = ((count + workers - 1) / workers + alignment - 1) / alignment * alignment
        run(workers) { worker in
            let begin = worker * perWorker
            let end = min(count, begin + perWorker)
            guard begin < end else { return }
            body(worker, begin..<end)
        }
    }

    private struct Job {
        let body: (Int) -> Void
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! Cost of one wake+poll cycle: this executor, embassy-executor's raw executor, and
//! futures' `LocalPool`, running the same task.
//!
//! Meant to be run under callgrind by `tools/bench/executor.sh`, which counts the
//! instructions executed inside each `cycles_*` function for two cycle counts and
//! reports the difference divided by the extra cycles, so setup cost cancels out.
//!
//! ```text
//! wake_poll <ibmvmc|ibmvmc_outline|embassy|localpool> <cycles>
//!                                                 run one executor (for callgrind)
//! wake_poll                                       (as `cargo bench`) wall-clock sanity run
//! ```

use std::cell::UnsafeCell;
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;
use std::task::Context;
use std::task::Poll;
use std::task::Waker;
use std::time::Instant;

/// Set by the benchmark before each wake; consumed by the task.
static SIGNAL: AtomicBool = AtomicBool::new(false);
/// Bumped by the task once per signal; checks that every cycle really ran the task.
static HANDLED: AtomicU64 = AtomicU64::new(0);
/// Set by both penders (the same body for ours and embassy's).
static PENDED: AtomicBool = AtomicBool::new(false);

/// The waker the task registered. Only the benchmark's single thread touches it.
struct WakerSlot(UnsafeCell<Option<Waker>>);

// SAFETY: the benchmark is single-threaded; the slot is accessed only from the main
// thread (the task runs inside `poll` on that thread, and never concurrently with the
// benchmark loop).
unsafe impl Sync for WakerSlot {}

static WAKER: WakerSlot = WakerSlot(UnsafeCell::new(None));

fn wake_registered() {
    // SAFETY: single-threaded (see `WakerSlot`), and not inside a task poll.
    if let Some(waker) = unsafe { &*WAKER.0.get() } {
        waker.wake_by_ref();
    }
}

/// Waits for one `SIGNAL`, registering the waker only when it changed (as a
/// well-behaved leaf future does), so that every executor's cycle is: wake, poll.
struct NextSignal;

impl Future for NextSignal {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if SIGNAL.swap(false, Relaxed) {
            return Poll::Ready(());
        }
        // SAFETY: single-threaded; no other reference to the slot is live during poll.
        let slot = unsafe { &mut *WAKER.0.get() };
        match slot {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

async fn task_body() {
    loop {
        NextSignal.await;
        HANDLED.fetch_add(1, Relaxed);
    }
}

fn signal() {
    SIGNAL.store(true, Relaxed);
}

mod ours {
    use super::*;
    use ibmvmc_executor::Executor;
    use ibmvmc_executor::Pender;

    fn pend(_context: *mut ()) {
        PENDED.store(true, Relaxed);
    }

    pub static EXECUTOR: Executor<4, 128> = Executor::new(Pender::new(pend, std::ptr::null_mut()));

    pub fn setup() {
        EXECUTOR.spawn(task_body()).expect("spawn");
        EXECUTOR.poll();
    }

    /// `poll()` as the compiler chooses to compile it (here: inlined).
    #[no_mangle]
    #[inline(never)]
    pub fn cycles_ibmvmc(executor: &'static Executor<4, 128>, cycles: u64) {
        for _ in 0..cycles {
            signal();
            wake_registered();
            executor.poll();
        }
    }

    #[inline(never)]
    fn poll_out_of_line(executor: &'static Executor<4, 128>) {
        executor.poll();
    }

    /// `poll()` forced out of line, like embassy's (a non-generic function in another
    /// crate, which the compiler does not inline here).
    #[no_mangle]
    #[inline(never)]
    pub fn cycles_ibmvmc_outline(executor: &'static Executor<4, 128>, cycles: u64) {
        for _ in 0..cycles {
            signal();
            wake_registered();
            poll_out_of_line(executor);
        }
    }
}

mod embassy {
    use super::*;
    use embassy_executor::raw;

    #[no_mangle]
    fn __pender(_context: *mut ()) {
        PENDED.store(true, Relaxed);
    }

    pub fn setup() -> &'static raw::Executor {
        let executor: &'static raw::Executor =
            Box::leak(Box::new(raw::Executor::new(std::ptr::null_mut())));
        let task = Box::leak(Box::new(raw::TaskStorage::new()));
        let token = task.spawn(task_body).expect("spawn");
        executor.spawner().spawn(token);
        // SAFETY: single-threaded, not called from the pender or reentrantly.
        unsafe { executor.poll() };
        executor
    }

    #[no_mangle]
    #[inline(never)]
    pub fn cycles_embassy(executor: &'static raw::Executor, cycles: u64) {
        for _ in 0..cycles {
            signal();
            wake_registered();
            // SAFETY: as in `setup`.
            unsafe { executor.poll() };
        }
    }
}

mod localpool {
    use super::*;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;

    pub fn setup() -> LocalPool {
        let mut pool = LocalPool::new();
        pool.spawner().spawn_local(task_body()).expect("spawn");
        pool.run_until_stalled();
        pool
    }

    #[no_mangle]
    #[inline(never)]
    pub fn cycles_localpool(pool: &mut LocalPool, cycles: u64) {
        for _ in 0..cycles {
            signal();
            wake_registered();
            pool.run_until_stalled();
        }
    }
}

/// Runs `cycles` wake+poll cycles on `which`; returns false if the task did not see
/// every signal.
fn run(which: &str, cycles: u64) -> Option<bool> {
    let cycles = black_box(cycles);
    let before = HANDLED.load(Relaxed);
    match which {
        "ibmvmc" => {
            ours::setup();
            ours::cycles_ibmvmc(&ours::EXECUTOR, cycles);
        }
        "ibmvmc_outline" => {
            ours::setup();
            ours::cycles_ibmvmc_outline(&ours::EXECUTOR, cycles);
        }
        "embassy" => {
            let executor = embassy::setup();
            embassy::cycles_embassy(executor, cycles);
        }
        "localpool" => {
            let mut pool = localpool::setup();
            localpool::cycles_localpool(&mut pool, cycles);
        }
        _ => return None,
    }
    Some(HANDLED.load(Relaxed) - before == cycles)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [which, cycles] = args.as_slice() {
        let Ok(cycles) = cycles.parse() else {
            eprintln!("bad cycle count {cycles}");
            return ExitCode::FAILURE;
        };
        return match run(which, cycles) {
            Some(true) => ExitCode::SUCCESS,
            Some(false) => {
                eprintln!("{which}: the task missed signals");
                ExitCode::FAILURE
            }
            None => {
                eprintln!("unknown executor {which} (ibmvmc, ibmvmc_outline, embassy, localpool)");
                ExitCode::FAILURE
            }
        };
    }
    // `cargo bench`: a quick wall-clock run of each, in one process. (Each executor's
    // setup runs once per process, and the waker slot is shared, so run them in an
    // order where each setup replaces the previous task's waker.)
    const CYCLES: u64 = 2_000_000;
    for which in ["ibmvmc", "ibmvmc_outline", "embassy", "localpool"] {
        let start = Instant::now();
        let ok = run(which, CYCLES) == Some(true);
        let ns = start.elapsed().as_nanos() as f64 / CYCLES as f64;
        let missed = if ok { "" } else { "  (MISSED SIGNALS)" };
        println!("{which:>14}: {ns:6.1} ns per wake+poll{missed}");
    }
    println!("instruction counts: tools/bench/executor.sh");
    ExitCode::SUCCESS
}

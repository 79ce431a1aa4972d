// SPDX-License-Identifier: GPL-2.0-or-later
//! Loom models of the wake / poll / run-queue / shutdown protocol.
//!
//! The library cannot depend on loom, so this test compiles the library's own
//! `src/raw/` sources a second time, against a `sync` module backed by loom's atomics
//! and cells instead of `core`'s. Loom then explores every interleaving (up to the
//! preemption bound) of a few threads spawning, waking, polling and shutting down, and
//! its cells flag any unsynchronised access to a future, a run-queue link or a slot's
//! function pointers.
//!
//! The models are slow unoptimised, so they run only in release builds
//! (`tools/check/executor.sh`); `LOOM_MAX_PREEMPTIONS` overrides the default bound of 3.

/// The loom twin of `src/sync.rs`: same names, loom's types.
mod sync {
    pub(crate) use loom::cell::UnsafeCell;
    pub(crate) use loom::sync::atomic::AtomicPtr;
    pub(crate) use loom::sync::atomic::AtomicU32;
    #[cfg(debug_assertions)]
    pub(crate) use loom::sync::atomic::AtomicUsize;
    pub(crate) use loom::sync::atomic::Ordering;

    /// loom's atomics have no `const` constructor.
    macro_rules! maybe_const_fn {
        ($(#[$attr:meta])* $vis:vis fn $($rest:tt)*) => {
            $(#[$attr])* $vis fn $($rest)*
        };
    }
    pub(crate) use maybe_const_fn;

    macro_rules! array_repeat {
        ($elem:expr; $n:expr) => {
            core::array::from_fn(|_| $elem)
        };
    }
    pub(crate) use array_repeat;
}

// The library's public API is only partly used by the models.
#[allow(dead_code, unused_imports)]
#[path = "../src/raw/mod.rs"]
mod raw;

use std::future::Future;
use std::pin::Pin;
use std::task::Context;
use std::task::Poll;

use loom::sync::atomic::AtomicBool;
use loom::sync::atomic::AtomicUsize;
use loom::sync::atomic::Ordering::Acquire;
use loom::sync::atomic::Ordering::Relaxed;
use loom::sync::atomic::Ordering::Release;
use loom::sync::atomic::Ordering::SeqCst;
use loom::thread;
use raw::Executor;
use raw::Pender;
use raw::SpawnError;

const SIZE: usize = 64;

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// Runs `f` under loom, bounded to 3 preemptions unless `LOOM_MAX_PREEMPTIONS` says
/// otherwise.
fn model(f: impl Fn() + Send + Sync + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(f);
}

/// The kernel side: the pender records a request (like `queue_work`), `run` plays the
/// work item until no request is left.
struct Platform {
    pends: AtomicUsize,
    requested: AtomicBool,
}

fn pend(context: *mut ()) {
    // SAFETY: `context` is the leaked `Platform` handed to `Pender::new` in `setup`.
    let platform = unsafe { &*context.cast::<Platform>() };
    platform.pends.fetch_add(1, SeqCst);
    // A read-modify-write, like the kernel's test_and_set_bit in queue_work(). (Also,
    // loom can misplace plain stores in the modification order, tokio-rs/loom#282.)
    platform.requested.swap(true, SeqCst);
}

impl Platform {
    fn pends(&self) -> usize {
        self.pends.load(SeqCst)
    }

    fn run<const N: usize>(&self, executor: &'static Executor<N, SIZE>) {
        while self.requested.swap(false, SeqCst) {
            executor.poll();
        }
    }
}

fn setup<const N: usize>() -> (&'static Executor<N, SIZE>, &'static Platform) {
    let platform = leak(Platform {
        pends: AtomicUsize::new(0),
        requested: AtomicBool::new(false),
    });
    let context = std::ptr::from_ref(platform).cast_mut().cast();
    (leak(Executor::new(Pender::new(pend, context))), platform)
}

/// What a model observes of one task.
struct Probe {
    /// Set by the "interrupt" before it wakes; the task completes once it sees it.
    event: AtomicBool,
    /// Events signalled (bumped before each wake) and the count the last poll saw.
    sent: AtomicUsize,
    seen: AtomicUsize,
    polls: AtomicUsize,
    drops: AtomicUsize,
}

impl Probe {
    fn new() -> &'static Probe {
        leak(Probe {
            event: AtomicBool::new(false),
            sent: AtomicUsize::new(0),
            seen: AtomicUsize::new(0),
            polls: AtomicUsize::new(0),
            drops: AtomicUsize::new(0),
        })
    }

    fn task(&'static self) -> Task {
        Task(self)
    }

    /// Signals one event and wakes the task.
    fn signal(&self, waker: &std::task::Waker) {
        self.sent.fetch_add(1, Release);
        waker.wake_by_ref();
    }
}

/// Completes at the first poll that sees `probe.event`.
struct Task(&'static Probe);

impl Future for Task {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        assert_eq!(self.0.drops.load(Relaxed), 0, "polled after drop");
        self.0.polls.fetch_add(1, Relaxed);
        self.0.seen.swap(self.0.sent.load(Acquire), Relaxed);
        if self.0.event.load(Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        self.0.drops.fetch_add(1, Relaxed);
    }
}

/// The classic lost wake-up: the event and wake arrive while the task is being polled.
/// Because QUEUED is cleared before the poll, the wake queues the task again and pends.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn wake_racing_with_poll_is_not_lost() {
    model(|| {
        let (executor, platform) = setup::<1>();
        let probe = Probe::new();
        let id = executor.spawn(probe.task()).unwrap();
        let waker = executor.waker(id).unwrap();
        let irq = thread::spawn(move || {
            probe.event.store(true, Release);
            waker.wake();
        });
        platform.run(executor);
        irq.join().unwrap();
        platform.run(executor);
        assert!(!executor.is_running(id), "the wake was lost");
        assert_eq!(probe.drops.load(Relaxed), 1);
        assert!(probe.polls.load(Relaxed) <= 2);
    });
}

/// Two contexts wake the same idle task at once: one pend, one poll.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn concurrent_wakes_of_one_task_pend_once() {
    model(|| {
        let (executor, platform) = setup::<2>();
        let probe = Probe::new();
        let id = executor.spawn(probe.task()).unwrap();
        platform.run(executor);
        assert_eq!(platform.pends(), 1);
        let irqs: Vec<_> = (0..2)
            .map(|_| {
                let waker = executor.waker(id).unwrap();
                thread::spawn(move || waker.wake())
            })
            .collect();
        for irq in irqs {
            irq.join().unwrap();
        }
        assert_eq!(platform.pends(), 2, "exactly one pend for the two wakes");
        platform.run(executor);
        assert_eq!(
            probe.polls.load(Relaxed),
            2,
            "exactly one poll for the two wakes"
        );
    });
}

/// Two contexts wake two idle tasks at once: both headers are pushed, but only the
/// push onto the empty queue pends.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn concurrent_wakes_of_two_tasks_pend_once() {
    model(|| {
        let (executor, platform) = setup::<2>();
        let probes = [Probe::new(), Probe::new()];
        let ids = probes.map(|probe| executor.spawn(probe.task()).unwrap());
        platform.run(executor);
        assert_eq!(platform.pends(), 1);
        let irqs: Vec<_> = ids
            .iter()
            .map(|&id| {
                let waker = executor.waker(id).unwrap();
                thread::spawn(move || waker.wake())
            })
            .collect();
        for irq in irqs {
            irq.join().unwrap();
        }
        assert_eq!(platform.pends(), 2, "one empty-to-non-empty edge, one pend");
        platform.run(executor);
        for probe in probes {
            assert_eq!(probe.polls.load(Relaxed), 2);
        }
    });
}

/// A wake from another CPU while the work item polls and a second poll() runs
/// concurrently: the task is polled by one of them at a time (loom's cells would flag
/// an overlap) and the wake is not stranded by the poll() that found the lock taken.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn concurrent_pollers_lose_no_wake() {
    model(|| {
        let (executor, platform) = setup::<1>();
        let probe = Probe::new();
        let id = executor.spawn(probe.task()).unwrap();
        platform.run(executor);
        let waker = executor.waker(id).unwrap();
        let irq = thread::spawn(move || {
            probe.event.store(true, Release);
            waker.wake();
        });
        let other_cpu = thread::spawn(move || executor.poll());
        platform.run(executor);
        irq.join().unwrap();
        other_cpu.join().unwrap();
        platform.run(executor);
        assert!(!executor.is_running(id), "the wake was lost");
        assert_eq!(probe.drops.load(Relaxed), 1);
    });
}

/// A small storm: two interrupt contexts signal two tasks while two CPUs poll. Every
/// signal is seen by a later poll of its task.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn wakes_from_two_contexts_while_two_cpus_poll() {
    model(|| {
        let (executor, platform) = setup::<2>();
        let probes = [Probe::new(), Probe::new()];
        let ids = probes.map(|probe| executor.spawn(probe.task()).unwrap());
        platform.run(executor);
        let wakers = ids.map(|id| executor.waker(id).unwrap());
        let [first, second] = wakers.clone();
        let irq_a = thread::spawn(move || {
            probes[0].signal(&first);
            probes[1].signal(&second);
        });
        let irq_b = thread::spawn(move || probes[0].signal(&wakers[0]));
        let other_cpu = thread::spawn(move || executor.poll());
        platform.run(executor);
        irq_a.join().unwrap();
        irq_b.join().unwrap();
        other_cpu.join().unwrap();
        platform.run(executor);
        for probe in probes {
            assert_eq!(
                probe.seen.load(Relaxed),
                probe.sent.load(Relaxed),
                "a wake was lost"
            );
        }
    });
}

/// A stale waker fires while its task completes and the slot is re-spawned: the new
/// spawn always succeeds, the old future is dropped once, the new one is polled and
/// never dropped, and no access to a slot's storage races (loom's cells).
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn stale_wake_racing_with_completion_and_respawn() {
    model(|| {
        let (executor, platform) = setup::<1>();
        let old = Probe::new();
        // Completes at its first poll, which the spawn requested.
        old.event.store(true, Release);
        let old_id = executor.spawn(old.task()).unwrap();
        let stale = executor.waker(old_id).unwrap();
        let irq = thread::spawn(move || stale.wake());

        platform.run(executor);
        assert!(!executor.is_running(old_id));
        let new = Probe::new();
        let new_id = executor.spawn(new.task()).expect("the slot is free again");
        assert_eq!(new_id.index(), old_id.index());
        platform.run(executor);
        irq.join().unwrap();
        platform.run(executor);

        assert_eq!(old.polls.load(Relaxed), 1);
        assert_eq!(old.drops.load(Relaxed), 1);
        assert_eq!(new.drops.load(Relaxed), 0);
        assert!(executor.is_running(new_id));
        let new_polls = new.polls.load(Relaxed);
        assert!(
            (1..=2).contains(&new_polls),
            "one poll, plus at most one spurious"
        );
    });
}

/// A task completes on the work item's CPU while another CPU spawns into the same
/// (only) slot: the old future's drop happens before the new future is written (loom's
/// cell checks it: `finish` Release pairs with `try_claim` Acquire).
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn completion_racing_with_respawn_on_another_cpu() {
    model(|| {
        let (executor, platform) = setup::<1>();
        let old = Probe::new();
        old.event.store(true, Release);
        let old_id = executor.spawn(old.task()).unwrap();
        let spawner = thread::spawn(move || loop {
            let new = Probe::new();
            match executor.spawn(new.task()) {
                Ok(id) => return (new, id),
                Err(SpawnError::Busy) => thread::yield_now(),
                Err(SpawnError::ShutDown) => unreachable!(),
            }
        });
        platform.run(executor);
        let (new, new_id) = spawner.join().unwrap();
        platform.run(executor);
        assert_eq!(old.polls.load(Relaxed), 1);
        assert_eq!(old.drops.load(Relaxed), 1);
        assert!(!executor.is_running(old_id));
        assert!(executor.is_running(new_id));
        assert_eq!(new.polls.load(Relaxed), 1);
        assert_eq!(new.drops.load(Relaxed), 0);
    });
}

/// A wake racing with shutdown: the future is dropped exactly once and never polled
/// after shutdown; wakes after shutdown returned pend nothing, even for a task that
/// was idle (not queued) when the executor shut down.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn wake_racing_with_shutdown() {
    model(|| {
        let (executor, platform) = setup::<2>();
        let probes = [Probe::new(), Probe::new()];
        let ids = probes.map(|probe| executor.spawn(probe.task()).unwrap());
        platform.run(executor);
        let waker = executor.waker(ids[0]).unwrap();
        let late = [waker.clone(), executor.waker(ids[1]).unwrap()];
        let irq = thread::spawn(move || {
            probes[0].event.store(true, Release);
            waker.wake();
        });
        let report = executor.shutdown();
        assert!(report.drained);
        assert_eq!(report.dropped, 2);
        let polls = probes.map(|probe| probe.polls.load(Relaxed));
        irq.join().unwrap();
        let pends = platform.pends();
        for waker in late {
            waker.wake();
        }
        assert_eq!(platform.pends(), pends, "a wake after shutdown pended");
        platform.run(executor);
        for (probe, polls) in probes.iter().zip(polls) {
            assert_eq!(probe.polls.load(Relaxed), polls, "polled after shutdown");
            assert_eq!(probe.drops.load(Relaxed), 1);
        }
    });
}

/// Shutdown while another CPU is inside poll(): whichever holds the poll lock drains,
/// exactly once, and no poll of the task starts after the drain.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn shutdown_racing_with_poll() {
    model(|| {
        let (executor, platform) = setup::<2>();
        let probes = [Probe::new(), Probe::new()];
        for probe in probes {
            executor.spawn(probe.task()).unwrap();
        }
        let work_item = thread::spawn(move || platform.run(executor));
        let report = executor.shutdown();
        work_item.join().unwrap();
        assert!(executor.is_drained());
        assert!(report.drained || report.dropped == 0);
        for probe in probes {
            assert_eq!(probe.drops.load(Relaxed), 1);
            assert!(probe.polls.load(Relaxed) <= 1);
        }
        assert_eq!(
            executor.spawn(Probe::new().task()),
            Err(SpawnError::ShutDown)
        );
    });
}

/// A spawn racing with shutdown: the future is either refused and dropped by the
/// spawner, or accepted and dropped by the drain; exactly once either way.
#[test]
#[cfg_attr(debug_assertions, ignore = "loom model: run with --release")]
fn spawn_racing_with_shutdown() {
    model(|| {
        let (executor, platform) = setup::<1>();
        let probe = Probe::new();
        let spawner = thread::spawn(move || executor.spawn(probe.task()).map(|_| ()));
        executor.shutdown();
        let result = spawner.join().unwrap();
        assert!(matches!(result, Ok(()) | Err(SpawnError::ShutDown)));
        platform.run(executor);
        assert!(executor.is_drained());
        assert_eq!(probe.drops.load(Relaxed), 1);
        assert_eq!(probe.polls.load(Relaxed), 0);
    });
}

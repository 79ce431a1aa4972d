// SPDX-License-Identifier: GPL-2.0-or-later
//! Test platform: a pender that records requests, and probe futures that count what
//! happens to them.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Mutex;
use std::task::Context;
use std::task::Poll;
use std::task::Waker;
use std::time::Duration;
use std::time::Instant;

use ibmvmc_executor::Executor;
use ibmvmc_executor::Pender;

pub fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// Stands in for the kernel: the pender sets `requested` (like `queue_work`) and
/// counts its calls; `run` plays the work item.
pub struct Platform {
    pub pends: AtomicUsize,
    pub requested: AtomicBool,
    pub polls: AtomicUsize,
}

fn pend(context: *mut ()) {
    // SAFETY: `context` is the leaked `Platform` given to `Pender::new` in `new_executor`.
    let platform = unsafe { &*context.cast::<Platform>() };
    platform.pends.fetch_add(1, SeqCst);
    platform.requested.store(true, SeqCst);
}

pub fn new_executor<const N: usize, const SIZE: usize>(
) -> (&'static Executor<N, SIZE>, &'static Platform) {
    let platform = leak(Platform {
        pends: AtomicUsize::new(0),
        requested: AtomicBool::new(false),
        polls: AtomicUsize::new(0),
    });
    let context = std::ptr::from_ref(platform).cast_mut().cast();
    (leak(Executor::new(Pender::new(pend, context))), platform)
}

impl Platform {
    pub fn pends(&self) -> usize {
        self.pends.load(SeqCst)
    }

    /// One run of the work item, if one was requested. True if it polled.
    pub fn run_once<const N: usize, const SIZE: usize>(
        &self,
        executor: &'static Executor<N, SIZE>,
    ) -> bool {
        if self.requested.swap(false, SeqCst) {
            self.polls.fetch_add(1, SeqCst);
            executor.poll();
            true
        } else {
            false
        }
    }

    /// Runs the work item until no poll is requested. Returns how many times it polled.
    pub fn run_until_idle<const N: usize, const SIZE: usize>(
        &self,
        executor: &'static Executor<N, SIZE>,
    ) -> usize {
        let mut polls = 0;
        while self.run_once(executor) {
            polls += 1;
            assert!(polls < 1_000_000, "executor never went idle");
        }
        polls
    }
}

/// Runs `platform` until `done()` or a deadline (a lost wake must fail, not hang).
pub fn run_until<const N: usize, const SIZE: usize>(
    platform: &Platform,
    executor: &'static Executor<N, SIZE>,
    mut done: impl FnMut() -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if !platform.run_once(executor) {
            if done() {
                return;
            }
            assert!(Instant::now() < deadline, "timed out: a wake was lost");
            std::thread::yield_now();
        }
    }
}

/// What a test observes of one probe task.
#[derive(Default)]
pub struct Probe {
    /// Times the future was polled.
    pub polls: AtomicUsize,
    /// Times the future was dropped (must end at exactly 1).
    pub drops: AtomicUsize,
    /// Set by the test to let the future complete at its next poll.
    pub finish: AtomicBool,
    /// Set by the future while inside `poll` (checks that polls never overlap).
    pub in_poll: AtomicBool,
    /// The waker of the last poll.
    pub waker: Mutex<Option<Waker>>,
    /// Bumped by wakers before they wake; the future records the value it saw.
    pub sent: AtomicUsize,
    pub seen: AtomicUsize,
}

impl Probe {
    pub fn new() -> &'static Probe {
        leak(Probe::default())
    }

    pub fn polls(&self) -> usize {
        self.polls.load(SeqCst)
    }

    pub fn drops(&self) -> usize {
        self.drops.load(SeqCst)
    }

    pub fn waker(&self) -> Waker {
        self.waker
            .lock()
            .unwrap()
            .clone()
            .expect("probe not polled yet")
    }

    /// Signals one event and wakes the task, like an interrupt handler would.
    pub fn send(&self) {
        self.sent.fetch_add(1, SeqCst);
        self.waker().wake_by_ref();
    }

    pub fn future(&'static self) -> ProbeFuture {
        ProbeFuture(self)
    }
}

/// Pending until `probe.finish` is set; counts polls and drops.
pub struct ProbeFuture(pub &'static Probe);

impl Future for ProbeFuture {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let probe = self.0;
        assert!(
            !probe.in_poll.swap(true, SeqCst),
            "task polled concurrently with itself"
        );
        probe.polls.fetch_add(1, SeqCst);
        probe.seen.store(probe.sent.load(SeqCst), SeqCst);
        let mut slot = probe.waker.lock().unwrap();
        match &*slot {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
        drop(slot);
        let result = if probe.finish.load(SeqCst) {
            Poll::Ready(())
        } else {
            Poll::Pending
        };
        probe.in_poll.store(false, SeqCst);
        result
    }
}

impl Drop for ProbeFuture {
    fn drop(&mut self) {
        self.0.drops.fetch_add(1, SeqCst);
    }
}

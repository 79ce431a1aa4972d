// SPDX-License-Identifier: GPL-2.0-or-later

//! The executor, its kernel pender, and the core's timers.
//!
//! Wakers (from hard IRQ, softirq or process context, on any CPU) reach the executor's
//! pender, which queues one static work item; the work item (the bottom half) runs
//! `EXECUTOR.poll()`. The workqueue never runs one work item on two CPUs at once, and
//! the executor itself tolerates a racing `poll()` anyway.
//!
//! The core's timers ([`ibmvmc::Timers`]) are one hrtimer per slot in `shim.c`; a
//! firing one calls `Vmc::timer_expired`, whose signal wakes the sleeping task through
//! the same pender.

use ibmvmc::Timers;
use ibmvmc_executor::Executor;
use ibmvmc_executor::Pender;

use crate::ffi;
use crate::instance;

const _: () = assert!(
    ffi::TIMER_SLOTS == ibmvmc::TIMER_SLOTS,
    "IBMVMC_TIMER_SLOTS in shim.h"
);

/// The core's timers: hrtimers, and the monotonic clock.
pub(crate) struct KernelTimers;

impl Timers for KernelTimers {
    fn now_us(&self) -> u64 {
        ffi::now_ns() / 1000
    }
    fn now_ns(&self) -> u64 {
        ffi::now_ns()
    }
    fn arm(&self, slot: u8, delay_us: u64) {
        ffi::timer_arm(slot, delay_us);
    }
    fn disarm(&self, slot: u8) {
        ffi::timer_disarm(slot);
    }
}

/// The timers every instance sleeps on.
pub(crate) static TIMERS: KernelTimers = KernelTimers;

/// Called by `shim.c`'s hrtimer callback (hard IRQ): wakes the task sleeping on `slot`.
/// After unload started there is no instance, and nothing to wake.
#[no_mangle]
extern "C" fn ibmvmc_rs_timer(slot: kernel::ffi::c_uint) {
    if let (Some(instance), Ok(slot)) = (instance::current(), u8::try_from(slot)) {
        instance.vmc.timer_expired(slot);
    }
}

/// Task slots: the handshake, the CRQ task, one per HMC session, and the self-test.
pub(crate) const TASKS: usize = 8;
/// Bytes per task slot; a bigger future is a compile-time error at its `spawn`.
pub(crate) const TASK_BYTES: usize = 1024;

fn pend(_context: *mut ()) {
    ffi::bh_pend();
}

/// The module's executor. It lives in the module image, so it is freed at unload: see
/// `IbmVmc::drop` for the teardown order that keeps every waker away from it by then.
pub(crate) static EXECUTOR: Executor<TASKS, TASK_BYTES> =
    Executor::new(Pender::new(pend, core::ptr::null_mut()));

/// Called by the work item in `shim.c`.
#[no_mangle]
extern "C" fn ibmvmc_rs_bottom_half() {
    EXECUTOR.poll();
}

pub(crate) fn start(mode: u32) {
    ffi::timers_init();
    ffi::bh_start(mode);
}

/// Cancels the timers and waits for a running callback: after the executor's shutdown
/// (nothing can arm one any more), before the module's memory goes.
pub(crate) fn timers_sync() {
    ffi::timers_sync();
}

pub(crate) fn stop() {
    // A pend checks the stopped flag, then queues the work: two steps, so a pend that
    // checked before the flag was set could queue after a plain cancel. Every pend
    // runs in a context that is waited for here, between the flag and the cancel: the
    // irq_works (self-test in a debug build, simulator, trace), the timers' hrtimer callbacks, the
    // bottom half itself (cancel_work_sync() also cancels a work queued by its own
    // run). The pseries interrupt is freed by remove, before this. (A raw lock around
    // check and queue was tried first; it coincided with an intermittent "init exited
    // with irqs disabled" BUG on ppc64le and was not kept.)
    ffi::bh_refuse();
    #[cfg(ibmvmc_debug)]
    ffi::test_irq_sync();
    ffi::sim_irq_sync();
    ffi::trace_sync();
    ffi::timers_sync();
    ffi::bh_cancel();
}

ffi::same_signature!(ibmvmc_rs_timer, ibmvmc_rs_bottom_half);

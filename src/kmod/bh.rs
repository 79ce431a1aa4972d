// SPDX-License-Identifier: GPL-2.0-or-later

//! The executor and its kernel pender.
//!
//! Wakers (from hard IRQ, softirq or process context, on any CPU) reach the executor's
//! pender, which queues one static work item; the work item (the bottom half) runs
//! `EXECUTOR.poll()`. The workqueue never runs one work item on two CPUs at once, and
//! the executor itself tolerates a racing `poll()` anyway.

use ibmvmc_executor::Executor;
use ibmvmc_executor::Pender;

use crate::ffi;

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
    ffi::bh_start(mode);
}

pub(crate) fn stop() {
    ffi::bh_stop();
}

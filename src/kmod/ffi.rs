// SPDX-License-Identifier: GPL-2.0-or-later

//! The C shim's functions (`shim.c`), each wrapped once in a safe function.
//!
//! None of them has preconditions beyond what its comment in `shim.c` says about
//! context, and each is callable from the contexts noted here.

use kernel::ffi::{c_int, c_uint, c_ulong};

mod raw {
    use super::*;

    extern "C" {
        pub(super) fn ibmvmc_cs_acquire() -> c_ulong;
        pub(super) fn ibmvmc_cs_release(flags: c_ulong);
        pub(super) fn ibmvmc_bh_start(mode: c_int);
        pub(super) fn ibmvmc_bh_pend();
        pub(super) fn ibmvmc_bh_stop();
        pub(super) fn ibmvmc_in_bh() -> bool;
        pub(super) fn ibmvmc_test_irq_raise();
        pub(super) fn ibmvmc_test_irq_sync();
        pub(super) fn ibmvmc_in_hardirq() -> bool;
        pub(super) fn ibmvmc_selftest_done();
        pub(super) fn ibmvmc_selftest_wait(ms: c_uint) -> bool;
        pub(super) fn ibmvmc_now_ns() -> u64;
        pub(super) fn ibmvmc_inject_splat();
        pub(super) fn ibmvmc_inject_leak();
    }
}

/// Enters the module's critical section (any context). Returns the token for `cs_release`.
///
/// # Safety
/// Must be paired with exactly one `cs_release` of the returned token on the same CPU,
/// properly nested, without sleeping in between.
pub(crate) unsafe fn cs_acquire() -> c_ulong {
    // SAFETY: no preconditions of its own; the pairing is the caller's contract above.
    unsafe { raw::ibmvmc_cs_acquire() }
}

/// Leaves the critical section entered by the `cs_acquire` that returned `token`.
///
/// # Safety
/// `token` comes from the matching, innermost, not yet released `cs_acquire` on this CPU.
pub(crate) unsafe fn cs_release(token: c_ulong) {
    // SAFETY: the caller passes the token of the innermost acquire, as required.
    unsafe { raw::ibmvmc_cs_release(token) }
}

/// Selects the bottom half's workqueue and allows pends. Process context.
pub(crate) fn bh_start(mode: u32) {
    let mode = c_int::from(mode != 0);
    // SAFETY: stores two words; called once at init before anything can pend.
    unsafe { raw::ibmvmc_bh_start(mode) }
}

/// Schedules the bottom half. Any context, hard IRQ included; no-op once stopped.
pub(crate) fn bh_pend() {
    // SAFETY: queue_work() on a static work item is safe in any context.
    unsafe { raw::ibmvmc_bh_pend() }
}

/// Stops pends and waits for a running bottom half. Process context (may sleep).
pub(crate) fn bh_stop() {
    // SAFETY: called from module init failure or exit, which are process context.
    unsafe { raw::ibmvmc_bh_stop() }
}

/// Whether the caller runs in softirq context (the BH workqueue).
pub(crate) fn in_bh() -> bool {
    // SAFETY: reads the preempt count only.
    unsafe { raw::ibmvmc_in_bh() }
}

/// Queues the test interrupt (a hard irq_work). Any context.
pub(crate) fn test_irq_raise() {
    // SAFETY: irq_work_queue() on a static irq_work is safe in any context.
    unsafe { raw::ibmvmc_test_irq_raise() }
}

/// Waits until the test interrupt is not running. Process context.
pub(crate) fn test_irq_sync() {
    // SAFETY: irq_work_sync() may sleep; callers are module init/exit.
    unsafe { raw::ibmvmc_test_irq_sync() }
}

/// Whether the caller runs in hard-IRQ context.
pub(crate) fn in_hardirq() -> bool {
    // SAFETY: reads the preempt count only.
    unsafe { raw::ibmvmc_in_hardirq() }
}

/// Completes the self-test completion. Any context.
pub(crate) fn selftest_done() {
    // SAFETY: complete() on a static completion is safe in any context.
    unsafe { raw::ibmvmc_selftest_done() }
}

/// Waits up to `ms` for `selftest_done`. Process context (sleeps).
pub(crate) fn selftest_wait(ms: u32) -> bool {
    // SAFETY: sleeping wait, called from module init.
    unsafe { raw::ibmvmc_selftest_wait(ms) }
}

/// Monotonic time in nanoseconds. Any context.
pub(crate) fn now_ns() -> u64 {
    // SAFETY: ktime_get_ns() is safe in any context.
    unsafe { raw::ibmvmc_now_ns() }
}

/// Emits a kernel WARNING on purpose (debug parameter `inject_splat`).
pub(crate) fn inject_splat() {
    // SAFETY: WARN() is safe in process context.
    unsafe { raw::ibmvmc_inject_splat() }
}

/// Leaks one 16 KiB allocation on purpose (debug parameter `inject_leak`).
pub(crate) fn inject_leak() {
    // SAFETY: kmalloc() and printk in process context; the leak is the point.
    unsafe { raw::ibmvmc_inject_leak() }
}

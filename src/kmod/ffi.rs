// SPDX-License-Identifier: GPL-2.0-or-later

//! The C shim's functions (`shim.c`, `cdev.c`, `trace_debugfs.c`), each wrapped once in
//! a safe function, over the declarations generated from `shim.h`.
//!
//! None of them has preconditions beyond what its comment in `shim.c` says about
//! context, and each is callable from the contexts noted here.

use kernel::ffi::{c_int, c_uint, c_ulong};

// The declarations generated from shim.h (src/kmod/bindings.rs).
use crate::bindings as raw;

/// Checks, at compile time, that the Rust function `$name` that C calls has the
/// signature shim.h declares for it (its declaration in [`crate::bindings`]): the two
/// must coerce to one function pointer type, or the build fails.
macro_rules! same_signature {
    ($($name:ident),+ $(,)?) => {
        $(
            const _: () = {
                let _ = [crate::bindings::$name, $name];
            };
        )+
    };
}
pub(crate) use same_signature;

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

/// The core's timer slots, as shim.h has them (`IBMVMC_TIMER_SLOTS`).
pub(crate) const TIMER_SLOTS: usize = raw::IBMVMC_TIMER_SLOTS as usize;
/// HMC connections the C side has wait queues for (`IBMVMC_MAX_HMCS`).
pub(crate) const MAX_HMCS: usize = raw::IBMVMC_MAX_HMCS as usize;
const _: () = assert!(
    MAX_HMCS == ibmvmc::params::MAX_HMCS,
    "IBMVMC_MAX_HMCS in shim.h is not the core's MAX_HMCS"
);

/// Sets up the core's hrtimers. Process context, once per load, before any is armed.
pub(crate) fn timers_init() {
    // SAFETY: hrtimer_setup() on static timers that are not armed (module init, or a
    // load after the previous one's `timers_sync`).
    unsafe { raw::ibmvmc_timers_init() }
}

/// (Re)arms timer `slot` to fire in `delay_us`. Any context; out-of-range slots are ignored.
pub(crate) fn timer_arm(slot: u8, delay_us: u64) {
    // SAFETY: hrtimer_start() on a timer set up by `timers_init`; the C side checks the slot.
    unsafe { raw::ibmvmc_timer_arm(c_uint::from(slot), delay_us) }
}

/// Disarms timer `slot` without waiting. Any context.
pub(crate) fn timer_disarm(slot: u8) {
    // SAFETY: hrtimer_try_to_cancel() never sleeps; the C side checks the slot.
    unsafe { raw::ibmvmc_timer_disarm(c_uint::from(slot)) }
}

/// Cancels every timer, waiting for running callbacks. Process context (may sleep).
pub(crate) fn timers_sync() {
    // SAFETY: hrtimer_cancel() from module init failure or exit, process context.
    unsafe { raw::ibmvmc_timers_sync() }
}

/// Makes later pends queue nothing (step 1 of `bh::stop`). Any context.
pub(crate) fn bh_refuse() {
    // SAFETY: a store and a barrier on a static flag.
    unsafe { raw::ibmvmc_bh_refuse() }
}

/// Cancels the bottom half and waits for a running one (step 2 of `bh::stop`).
/// Process context (may sleep).
pub(crate) fn bh_cancel() {
    // SAFETY: called from module init failure or exit, which are process context.
    unsafe { raw::ibmvmc_bh_cancel() }
}

#[cfg(ibmvmc_debug)]
/// Whether the caller runs in softirq context (the BH workqueue).
pub(crate) fn in_bh() -> bool {
    // SAFETY: reads the preempt count only.
    unsafe { raw::ibmvmc_in_bh() }
}

#[cfg(ibmvmc_debug)]
/// Queues the test interrupt (a hard irq_work). Any context.
pub(crate) fn test_irq_raise() {
    // SAFETY: irq_work_queue() on a static irq_work is safe in any context.
    unsafe { raw::ibmvmc_test_irq_raise() }
}

#[cfg(ibmvmc_debug)]
/// Waits until the test interrupt is not running. Process context.
pub(crate) fn test_irq_sync() {
    // SAFETY: irq_work_sync() may sleep; callers are module init/exit.
    unsafe { raw::ibmvmc_test_irq_sync() }
}

#[cfg(ibmvmc_debug)]
/// Whether the caller runs in hard-IRQ context.
pub(crate) fn in_hardirq() -> bool {
    // SAFETY: reads the preempt count only.
    unsafe { raw::ibmvmc_in_hardirq() }
}

#[cfg(ibmvmc_debug)]
/// Completes the self-test completion. Any context.
pub(crate) fn selftest_done() {
    // SAFETY: complete() on a static completion is safe in any context.
    unsafe { raw::ibmvmc_selftest_done() }
}

#[cfg(ibmvmc_debug)]
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

#[cfg(ibmvmc_debug)]
/// Emits a kernel WARNING on purpose (debug parameter `inject_splat`).
pub(crate) fn inject_splat() {
    // SAFETY: WARN() is safe in process context.
    unsafe { raw::ibmvmc_inject_splat() }
}

#[cfg(ibmvmc_debug)]
/// Leaks one 16 KiB allocation on purpose (debug parameter `inject_leak`).
pub(crate) fn inject_leak() {
    // SAFETY: kmalloc() and printk in process context; the leak is the point.
    unsafe { raw::ibmvmc_inject_leak() }
}

#[cfg(ibmvmc_debug)]
/// Sets up the unload race on purpose (debug parameter `inject_unload_race`): raises
/// the simulator's interrupt on another CPU, whose pend is then held `us` microseconds
/// between its check and its queue. Returns that CPU once the pend is being held.
/// Process context (it spins, up to a second, until the pend is held).
pub(crate) fn race_unload(us: u32) -> Result<u32, c_int> {
    // SAFETY: smp_call_function_single() (which queues the module's own static
    // irq_work on that CPU) and a bounded spin, in process context, which is where
    // unload calls this.
    let rc = unsafe { raw::ibmvmc_race_unload(us) };
    u32::try_from(rc).map_err(|_| rc)
}

/// The module parameters as loaded: (buf_pool_size, max_hmcs, max_mtu). They are
/// read-only (0444), so these are the values for the module's whole life.
pub(crate) fn params() -> (i64, i64, i64) {
    // SAFETY: each reads one int that the module loader wrote before init.
    unsafe {
        (
            i64::from(raw::ibmvmc_param_buf_pool_size()),
            i64::from(raw::ibmvmc_param_max_hmcs()),
            i64::from(raw::ibmvmc_param_max_mtu()),
        )
    }
}

/// Stores the clamped parameters back, so /sys/module/ibmvmc/parameters shows the
/// values in use (as the C driver's clamping did). Module init only, before the device
/// exists (nothing reads them concurrently).
pub(crate) fn params_set(params: &ibmvmc::Params) {
    // SAFETY: three int stores from module init; the parameters are read-only (0444) to
    // user space, and the driver never reads them after this.
    unsafe {
        raw::ibmvmc_params_set(
            c_int::from(params.buf_pool_size()),
            c_int::from(params.max_hmcs()),
            params.max_mtu() as c_int,
        )
    }
}

/// Wakes the wait queue of the files that hold no connection (the one `ibmvmc_queue`
/// in `cdev.c` gives an index out of range). Any context.
pub(crate) fn wake_no_session() {
    // SAFETY: as for `wake`; -1 selects the no-connection queue.
    unsafe { raw::ibmvmc_wake(-1) }
}

/// Wakes the wait queue of HMC connection `index` (any other value: the queue of
/// files without a connection). Any context.
pub(crate) fn wake(index: u8) {
    // SAFETY: wake_up_interruptible() on a static, initialised wait queue; the index
    // is range-checked on the C side.
    unsafe { raw::ibmvmc_wake(c_int::from(index)) }
}

/// Wakes every wait queue. Any context.
pub(crate) fn wake_all() {
    // SAFETY: as `wake`, for each static wait queue.
    unsafe { raw::ibmvmc_wake_all() }
}

/// Whether the calling task has CAP_SYS_ADMIN. Process context.
pub(crate) fn capable_sys_admin() -> bool {
    // SAFETY: capable() reads the current task's credentials.
    unsafe { raw::ibmvmc_capable_sys_admin() }
}

/// Registers /dev/ibmvmc and the debugfs files. Process context; once, after the
/// driver instance exists (the file operations use it from the first open).
pub(crate) fn cdev_register() -> kernel::error::Result {
    // SAFETY: module init, process context; registers static objects once.
    let rc = unsafe { raw::ibmvmc_cdev_register() };
    if rc < 0 {
        return Err(kernel::error::Error::from_errno(rc));
    }
    Ok(())
}

/// Removes /dev/ibmvmc and the debugfs files. Process context; no file can be open
/// (the file operations' owner pins the module).
pub(crate) fn cdev_unregister() {
    // SAFETY: module exit after a successful `cdev_register`.
    unsafe { raw::ibmvmc_cdev_unregister() }
}

/// Raises the simulator's interrupt (a hard irq_work). Any context.
pub(crate) fn sim_irq_raise() {
    // SAFETY: irq_work_queue() on a static irq_work is safe in any context.
    unsafe { raw::ibmvmc_sim_irq_raise() }
}

/// Waits until the simulator's interrupt is not running. Process context.
pub(crate) fn sim_irq_sync() {
    // SAFETY: irq_work_sync() may sleep; called from module exit.
    unsafe { raw::ibmvmc_sim_irq_sync() }
}

/// Wakes trace_pipe readers if any sleeps (through an irq_work). Any context, also
/// inside the critical section.
pub(crate) fn trace_kick() {
    // SAFETY: wq_has_sleeper() and irq_work_queue() on static objects, both safe in any
    // context including with interrupts off.
    unsafe { raw::ibmvmc_trace_kick() }
}

/// Waits for the trace's wake-up irq_work. Module exit, process context.
pub(crate) fn trace_sync() {
    // SAFETY: irq_work_sync() on a static irq_work, from module exit.
    unsafe { raw::ibmvmc_trace_sync() }
}

/// This build's trace id (`traceid.c`, generated by Kbuild).
pub(crate) fn trace_id() -> [u8; 16] {
    // SAFETY: a 16-byte constant array defined in C, never written.
    unsafe { raw::ibmvmc_trace_id }
}

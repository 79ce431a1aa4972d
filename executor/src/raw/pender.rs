// SPDX-License-Identifier: GPL-2.0-or-later
//! The hook through which the executor asks the platform for a `poll()`.

/// How the executor tells the platform "`poll()` has work".
///
/// The executor calls `func(context)` exactly once each time its run queue goes from
/// empty to non-empty. The call comes from whatever context woke a task: a hard IRQ
/// handler, a timer, another CPU, a task inside `poll()`, or `spawn()`. So `func` must
/// not sleep, must not take a lock that any of those contexts may hold, and must not call
/// [`Executor::poll`](crate::Executor::poll) itself; it only arranges for `poll()` to run
/// later (in the kernel: `queue_work()` of the executor's work item).
#[derive(Clone, Copy)]
pub struct Pender {
    /// The platform's "schedule a poll" function.
    pub func: fn(*mut ()),
    /// Passed to `func` unchanged; the executor never dereferences it.
    pub context: *mut (),
}

// SAFETY: the executor only ever copies `context` and hands it back to `func`; it never
// reads or writes through it. By constructing a `Pender` and giving it to an executor,
// the platform states that `func(context)` may be called from any CPU and any context,
// which is exactly what sending or sharing the pair between threads allows.
unsafe impl Send for Pender {}
// SAFETY: as for `Send`: a shared `Pender` only permits calling `func(context)`, which
// the platform has declared safe from every context.
unsafe impl Sync for Pender {}

impl Pender {
    /// A pender that calls `func(context)`.
    pub const fn new(func: fn(*mut ()), context: *mut ()) -> Self {
        Self { func, context }
    }

    #[inline(always)]
    pub(crate) fn pend(&self) {
        (self.func)(self.context)
    }
}

impl core::fmt::Debug for Pender {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Pender")
            .field("func", &(self.func as *const ()))
            .field("context", &self.context)
            .finish()
    }
}

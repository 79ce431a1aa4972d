// SPDX-License-Identifier: GPL-2.0-or-later
//! The executor: N slots, the head word (run queue, poll lock, shutdown) and the pender.

use core::future::Future;
use core::ptr::NonNull;
use core::task::Waker;

use super::pender::Pender;
use super::run_queue::Lock;
use super::run_queue::Push;
use super::run_queue::RunQueue;
use super::run_queue::Shutdown;
use super::run_queue::Unlock;
use super::run_queue::HEADER_ALIGN;
use super::state::TryClaim;
use super::task::Slot;
use super::task::TaskHeader;
use super::task::TaskId;
use super::task::SLOT_ALIGN;
use super::SpawnError;
#[cfg(debug_assertions)]
use crate::sync::AtomicUsize;
#[cfg(debug_assertions)]
use crate::sync::Ordering::Relaxed;

/// The part of the executor that does not depend on its size; task headers point here.
pub(crate) struct Core {
    /// The run queue, the poll lock and the shutdown state (see `run_queue.rs`).
    queue: RunQueue,
    pender: Pender,
    #[cfg(debug_assertions)]
    live_wakers: AtomicUsize,
}

impl Core {
    crate::sync::maybe_const_fn! {
        fn new(pender: Pender) -> Self {
            Self {
                queue: RunQueue::new(),
                pender,
                #[cfg(debug_assertions)]
                live_wakers: AtomicUsize::new(0),
            }
        }
    }

    /// Pushes a woken or freshly spawned task and pends on the empty->non-empty edge.
    ///
    /// # Safety
    ///
    /// `task` is the header pointer of one of this executor's slots (see
    /// `TaskHeader`'s invariants) and the caller is the one that set its QUEUED bit.
    #[inline(always)]
    pub(crate) unsafe fn enqueue(&self, task: *const TaskHeader) {
        // SAFETY: forwarded contract.
        match unsafe { self.queue.try_push(task) } {
            Some(true) => self.pender.pend(),
            Some(false) => {}
            // SAFETY: forwarded contract; nothing was pushed.
            None => unsafe { self.enqueue_flagged(task) },
        }
    }

    /// `enqueue` while a poll runs or after shutdown.
    ///
    /// # Safety
    ///
    /// As for `enqueue`.
    #[inline(never)]
    unsafe fn enqueue_flagged(&self, task: *const TaskHeader) {
        // SAFETY: forwarded contract.
        if unsafe { self.queue.push(task) } == Push::WasEmpty {
            self.pender.pend();
        }
    }

    #[cfg(debug_assertions)]
    pub(crate) fn count_waker(&self, delta: isize) {
        if delta >= 0 {
            self.live_wakers.fetch_add(delta.unsigned_abs(), Relaxed);
        } else {
            self.live_wakers.fetch_sub(delta.unsigned_abs(), Relaxed);
        }
    }

    fn live_wakers(&self) -> Option<usize> {
        #[cfg(debug_assertions)]
        return Some(self.live_wakers.load(Relaxed));
        #[cfg(not(debug_assertions))]
        return None;
    }
}

/// What [`Executor::shutdown`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Futures this call dropped.
    pub dropped: usize,
    /// True if no live future is left when the call returns. False if a `poll()` was
    /// running (on another CPU, or this call came from inside a task): that `poll()`
    /// polls no further task and drops every future before it returns, so the platform
    /// must wait for it (cancel/flush the work item) before the storage goes away.
    pub drained: bool,
    /// Debug builds: wakers handed out (clones, [`Executor::waker`]) and not yet dropped.
    /// They are harmless no-ops from now on, but must all be gone before the executor's
    /// memory is freed. `None` in release builds, which keep no count.
    pub live_wakers: Option<usize>,
}

/// A static, heap-free executor with `N` task slots of `SIZE` bytes each.
///
/// See the [crate documentation](crate) for the protocol and the platform's duties.
pub struct Executor<const N: usize, const SIZE: usize> {
    core: Core,
    slots: [Slot<SIZE>; N],
}

impl<const N: usize, const SIZE: usize> Executor<N, SIZE> {
    crate::sync::maybe_const_fn! {
        /// An executor with every slot free, which calls `pender` when work arrives.
        ///
        /// `const`, so that it can be a `static` (or live in a `StaticCell`).
        pub fn new(pender: Pender) -> Self {
            const {
                assert!(N <= u32::MAX as usize, "too many slots for a TaskId");
                // The run queue keeps flags in the low bits of header pointers.
                assert!(core::mem::align_of::<Slot<SIZE>>() >= HEADER_ALIGN);
            };
            Self {
                core: Core::new(pender),
                slots: crate::sync::array_repeat![Slot::<SIZE>::new(); N],
            }
        }
    }

    /// Moves `future` into a free slot, marks it ready and pends.
    ///
    /// Claiming a slot is one compare-and-swap. A future larger than `SIZE` bytes or
    /// aligned to more than [`SLOT_ALIGN`](crate::SLOT_ALIGN) is rejected at compile time.
    /// May be called from any context, including a task of this executor.
    ///
    /// # Errors
    ///
    /// [`SpawnError::Busy`] if every slot holds a live task, [`SpawnError::ShutDown`]
    /// after [`shutdown`](Self::shutdown). On error the future is dropped.
    pub fn spawn<F>(&'static self, future: F) -> Result<TaskId, SpawnError>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        const {
            assert!(
                core::mem::size_of::<F>() <= SIZE,
                "future is larger than the executor's slots"
            );
            assert!(
                core::mem::align_of::<F>() <= SLOT_ALIGN,
                "future is aligned to more than the executor's slots"
            );
        };
        if self.is_shut_down() {
            return Err(SpawnError::ShutDown);
        }
        for (index, slot) in self.slots.iter().enumerate() {
            match slot.header.state.try_claim() {
                TryClaim::Claimed(claim) => {
                    let generation = slot.spawn(claim, &self.core, future)?;
                    return Ok(TaskId::new(index, generation));
                }
                TryClaim::InUse => {}
                TryClaim::Closed => return Err(SpawnError::ShutDown),
            }
        }
        Err(SpawnError::Busy)
    }

    /// Polls every task that is ready, once, and returns.
    ///
    /// May be called from any thread. If another `poll()` is running, this one returns
    /// at once after asking that one to take the run queue once more, so work that
    /// arrived meanwhile is not stranded. Tasks woken while a pass runs (including a task
    /// waking itself) are pushed on the fresh queue, which calls the pender: they run in
    /// the next `poll()`. A completed future is dropped in place and its slot is free
    /// for a new spawn.
    ///
    /// Never call this from the pender (the pender may be called from inside `poll()`).
    /// After [`shutdown`](Self::shutdown) this does nothing.
    pub fn poll(&'static self) {
        match self.core.queue.try_lock() {
            Some(queued) => self.poll_locked(queued),
            None => self.poll_contended(),
        }
    }

    /// `poll()` when the head word was not simply "unlocked".
    #[cold]
    #[inline(never)]
    fn poll_contended(&'static self) {
        if let Lock::Taken(queued) = self.core.queue.lock_contended() {
            self.poll_locked(queued);
        }
    }

    /// Runs a pass while holding the poll lock, then releases it.
    #[inline(always)]
    fn poll_locked(&'static self, queued: Option<NonNull<TaskHeader>>) {
        self.run_list(queued);
        if !self.core.queue.try_unlock() {
            self.unlock_contended();
        }
    }

    /// The end of a pass when the unlock found pushes, REPOLL or shutdown.
    #[cold]
    #[inline(never)]
    fn unlock_contended(&'static self) {
        loop {
            match self.core.queue.unlock_contended() {
                Unlock::Done => return,
                Unlock::Again(queued) => self.run_list(queued),
                Unlock::Drain => {
                    self.drain();
                    return;
                }
            }
        }
    }

    /// One pass: polls each task of a list taken from the run queue once.
    #[inline(always)]
    fn run_list(&'static self, mut next: Option<NonNull<TaskHeader>>) {
        while let Some(task) = next {
            // SAFETY: we hold the poll lock and took the list `task` is in; its QUEUED bit
            // is still set.
            next = unsafe { task.as_ref().next() };
            // SAFETY: only `Core::enqueue` pushes on this queue, always with the header
            // pointer of one of `self.slots` (a header's `core` names only the executor
            // owning the slot); that pointer carries the whole slot's provenance and the
            // header is the slot's first field (`repr(C)`).
            let slot = unsafe { task.cast::<Slot<SIZE>>().as_ref() };
            // Skips the task if shutdown closed its slot meanwhile.
            slot.run();
        }
    }

    /// Stops the executor for module unload; idempotent.
    ///
    /// From the moment this returns, spawns fail with [`SpawnError::ShutDown`] and wakes
    /// (from wakers still held anywhere) are no-ops that touch no future and never call
    /// the pender. Every live future is dropped exactly once: by this call, or, if a
    /// `poll()` is running (on another CPU, or this call comes from inside a task), by
    /// that `poll()` before it returns; it starts no further task poll. The report says
    /// which; [`is_drained`](Self::is_drained) tells when it is done.
    pub fn shutdown(&'static self) -> ShutdownReport {
        // From here on no wake can push or pend, and no spawn that starts can succeed
        // (one already past its check may; the drain then drops its future).
        let dropped = match self.core.queue.shutdown() {
            Shutdown::Locked => self.drain(),
            Shutdown::Deferred => {
                // A poll() holds the lock and will drain. Closing the slots now makes
                // it skip every task it has not started yet.
                for slot in &self.slots {
                    slot.header.state.close();
                }
                0
            }
            Shutdown::Already => 0,
        };
        ShutdownReport {
            dropped,
            drained: self.is_drained(),
            live_wakers: self.core.live_wakers(),
        }
    }

    /// Closes every slot and drops every live future. Only the holder of the poll lock
    /// after shutdown closed the queue calls this, once; the lock is never released.
    fn drain(&'static self) -> usize {
        let dropped = self.slots.iter().filter(|slot| slot.drain()).count();
        self.core.queue.set_drained();
        dropped
    }

    /// True while the task `id` names has not completed (nor been dropped by shutdown).
    pub fn is_running(&self, id: TaskId) -> bool {
        self.slots
            .get(id.index())
            .is_some_and(|slot| slot.header.state.is_running(id.generation()))
    }

    /// A waker for task `id`, or `None` if it is not running. Handy for contexts that
    /// know a task by id, such as an interrupt handler. The waker may outlive the task;
    /// waking it then is harmless (at worst one spurious poll of the slot's next task).
    pub fn waker(&'static self, id: TaskId) -> Option<Waker> {
        let slot = self.slots.get(id.index())?;
        slot.header
            .state
            .is_running(id.generation())
            .then(|| slot.waker())
    }

    /// Wakes task `id` if it is running; same cost and guarantees as a waker's
    /// `wake_by_ref`. Returns whether the task was running.
    pub fn wake(&'static self, id: TaskId) -> bool {
        match self.slots.get(id.index()) {
            Some(slot) if slot.header.state.is_running(id.generation()) => {
                slot.wake();
                true
            }
            _ => false,
        }
    }

    /// Number of slots holding a live future.
    pub fn live_tasks(&self) -> usize {
        self.slots
            .iter()
            .filter(|slot| slot.header.state.is_spawned())
            .count()
    }

    /// Number of task slots, `N`.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// True once [`shutdown`](Self::shutdown) was called.
    pub fn is_shut_down(&self) -> bool {
        self.core.queue.is_shut_down()
    }

    /// True once shutdown dropped every live future.
    pub fn is_drained(&self) -> bool {
        self.core.queue.is_drained()
    }
}

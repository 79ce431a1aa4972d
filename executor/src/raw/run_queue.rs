// SPDX-License-Identifier: GPL-2.0-or-later
//! The executor's head word: the run queue, the poll lock and the shutdown state in one
//! atomic pointer, so that every executor-level transition is one read-modify-write.
//!
//! ```text
//!  bits 4..  the run queue: the most recently pushed task header, or null (headers
//!            start slots, which are 16-byte aligned, so the low 4 bits are free)
//!  bit 0     POLLING  someone is inside `poll()` (for good once CLOSED)
//!  bit 1     REPOLL   a `poll()` found the lock taken: the holder owes one more pass
//!  bit 2     CLOSED   shut down: pushes do nothing, the lock is never free again
//!  bit 3     DRAINED  shut down and every live future dropped
//! ```
//!
//! The run queue is an intrusive stack. A waker pushes one header with a CAS loop; the
//! poller takes the whole stack, and the lock, with one CAS, and walks the list
//! privately, so there is no single-element pop and hence no ABA problem. A header is in
//! the queue at most once, because only the waker that set its QUEUED bit pushes it and
//! the bit is cleared only after the poller took the list.
//!
//! The push that finds the stack empty calls the pender, whether or not a poll is
//! running. A `poll()` that finds the lock taken sets REPOLL and returns; the holder's
//! unlock sees REPOLL and takes the queue for one more pass. The pushes that led to that
//! `poll()` (through the pender) are read-modify-writes of this same word that precede
//! the REPOLL in its modification order, so that pass sees them. Tasks pushed during a
//! pass with no REPOLL are left queued: their pend already asked for the next `poll()`.

use core::ptr;
use core::ptr::NonNull;

use super::task::TaskHeader;
use crate::sync::AtomicPtr;
use crate::sync::Ordering::AcqRel;
use crate::sync::Ordering::Acquire;
use crate::sync::Ordering::Relaxed;
use crate::sync::Ordering::Release;

const POLLING: usize = 1 << 0;
const REPOLL: usize = 1 << 1;
const CLOSED: usize = 1 << 2;
const DRAINED: usize = 1 << 3;
const FLAGS: usize = 0xf;

/// Task headers must leave the flag bits free.
pub(crate) const HEADER_ALIGN: usize = FLAGS + 1;

/// The list part of a head value. (Subtracting the flags clears them; cheaper than a
/// provenance-preserving AND.)
#[inline(always)]
fn list(head: *mut TaskHeader) -> Option<NonNull<TaskHeader>> {
    NonNull::new(head.wrapping_byte_sub(flags(head)))
}

/// The flag part of a head value.
#[inline(always)]
fn flags(head: *mut TaskHeader) -> usize {
    head.addr() & FLAGS
}

/// A head value with no list.
#[inline(always)]
fn only(flags: usize) -> *mut TaskHeader {
    ptr::without_provenance_mut(flags)
}

/// What a push found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Push {
    /// The queue was empty: the pusher must call the pender.
    WasEmpty,
    /// Other headers were waiting already; a poll has been requested for them.
    WasNonEmpty,
    /// The executor shut down; nothing was pushed.
    Closed,
}

/// What `lock` got.
pub(crate) enum Lock {
    /// The poll lock, and the queue as it was (possibly empty).
    Taken(Option<NonNull<TaskHeader>>),
    /// The lock is held (REPOLL is set for its holder), or the executor shut down.
    Busy,
}

/// What `unlock` did.
pub(crate) enum Unlock {
    /// Released.
    Done,
    /// Still held, because of REPOLL: here is the queue for another pass.
    Again(Option<NonNull<TaskHeader>>),
    /// Still held, for good: shut down, the holder must drain.
    Drain,
}

/// What `shutdown` found.
pub(crate) enum Shutdown {
    /// The lock was free and is now the caller's, for good: the caller drains.
    Locked,
    /// A `poll()` holds the lock; it drains when it unlocks.
    Deferred,
    /// Shut down before.
    Already,
}

pub(crate) struct RunQueue {
    head: AtomicPtr<TaskHeader>,
}

impl RunQueue {
    crate::sync::maybe_const_fn! {
        pub(crate) fn new() -> Self {
            Self { head: AtomicPtr::new(ptr::null_mut()) }
        }
    }

    /// The common case of a push, a wake while no poll runs: no flag is set and the word
    /// is the list itself. Returns whether the queue was empty, or `None` (nothing
    /// pushed) if a flag is set; then `push_flagged` decides.
    ///
    /// # Safety
    ///
    /// `task` is a header pointer as described in `TaskHeader`'s invariants, and the
    /// caller is the one that set the header's QUEUED bit (so it owns the `next` link
    /// and the header is in no queue).
    #[inline(always)]
    pub(crate) unsafe fn try_push(&self, task: *const TaskHeader) -> Option<bool> {
        let mut head = self.head.load(Relaxed);
        while flags(head) == 0 {
            // SAFETY: per this function's contract the link is ours until the poller
            // takes the list, which it can only do after the CAS below succeeds.
            unsafe { (*task).set_next(NonNull::new(head)) };
            // Release publishes the link (and the QUEUED bit before it) to the taker.
            match self
                .head
                .compare_exchange_weak(head, task.cast_mut(), Release, Relaxed)
            {
                Ok(_) => return Some(head.is_null()),
                Err(seen) => head = seen,
            }
        }
        None
    }

    /// Pushes `task` whatever the flags (a poll may be running, or the queue closed).
    ///
    /// # Safety
    ///
    /// As for `try_push`.
    pub(crate) unsafe fn push(&self, task: *const TaskHeader) -> Push {
        let mut head = self.head.load(Relaxed);
        loop {
            if flags(head) & CLOSED != 0 {
                return Push::Closed;
            }
            let below = list(head);
            // SAFETY: as in `try_push`.
            unsafe { (*task).set_next(below) };
            // The flags are kept as they are. (`task`'s low bits are clear, so adding
            // sets them; cheaper than a provenance-preserving OR.)
            let pushed = task.cast_mut().wrapping_byte_add(flags(head));
            match self
                .head
                .compare_exchange_weak(head, pushed, Release, Relaxed)
            {
                Ok(_) if below.is_none() => return Push::WasEmpty,
                Ok(_) => return Push::WasNonEmpty,
                Err(seen) => head = seen,
            }
        }
    }

    /// The common case of taking the poll lock: free, and no flag set. Takes the lock and
    /// the whole queue (most recently pushed first) with one CAS; `None` if the word
    /// was not in that state, and then `lock_contended` decides.
    #[inline(always)]
    pub(crate) fn try_lock(&self) -> Option<Option<NonNull<TaskHeader>>> {
        let head = self.head.load(Relaxed);
        // Acquire: the links, and the previous holder's accesses to futures (its unlock
        // was a Release on this word), happen before what we do next.
        if flags(head) == 0
            && self
                .head
                .compare_exchange(head, only(POLLING), Acquire, Relaxed)
                .is_ok()
        {
            // No flags: the word is the list itself.
            return Some(NonNull::new(head));
        }
        None
    }

    /// Takes the poll lock and the queue, or, if the lock is held, asks its holder for
    /// one more pass.
    #[cold]
    #[inline(never)]
    pub(crate) fn lock_contended(&self) -> Lock {
        let mut head = self.head.load(Relaxed);
        loop {
            let flags = flags(head);
            if flags & CLOSED != 0 {
                return Lock::Busy;
            }
            let (next, locked) = if flags & POLLING == 0 {
                // Free (again): take it.
                (only(POLLING), true)
            } else if flags & REPOLL == 0 {
                // Held: ask for another pass.
                (head.map_addr(|addr| addr | REPOLL), false)
            } else {
                // Held, and another pass is owed already.
                return Lock::Busy;
            };
            match self.head.compare_exchange_weak(head, next, AcqRel, Relaxed) {
                Ok(_) if locked => return Lock::Taken(list(head)),
                Ok(_) => return Lock::Busy,
                Err(seen) => head = seen,
            }
        }
    }

    /// The common case of releasing the poll lock after a pass: nothing was pushed
    /// meanwhile and no flag is set. False if the word was not in that state (the lock
    /// is still held), and then `unlock_contended` decides.
    #[inline(always)]
    pub(crate) fn try_unlock(&self) -> bool {
        // Release: our accesses to futures happen before the next holder's.
        self.head
            .compare_exchange(only(POLLING), ptr::null_mut(), Release, Relaxed)
            .is_ok()
    }

    /// Releases the poll lock after a pass, unless REPOLL or shutdown keep it.
    #[cold]
    #[inline(never)]
    pub(crate) fn unlock_contended(&self) -> Unlock {
        let mut head = self.head.load(Relaxed);
        loop {
            let flags = flags(head);
            if flags & CLOSED != 0 {
                return Unlock::Drain;
            }
            let (next, unlock) = if flags & REPOLL != 0 {
                // Take the queue for another pass. Acquire: the REPOLL requester's
                // pushes are visible to that pass.
                (only(POLLING), Unlock::Again(list(head)))
            } else {
                // Only pushes during the pass: leave them queued, their pend asked for
                // the next poll().
                (head.map_addr(|addr| addr & !POLLING), Unlock::Done)
            };
            match self.head.compare_exchange_weak(head, next, AcqRel, Relaxed) {
                Ok(_) => return unlock,
                Err(seen) => head = seen,
            }
        }
    }

    /// Closes the queue for good and takes the poll lock if it is free. Headers still
    /// queued are abandoned with QUEUED set, which is harmless: their slots are closed
    /// and never polled again.
    pub(crate) fn shutdown(&self) -> Shutdown {
        let mut head = self.head.load(Relaxed);
        loop {
            let flags = flags(head);
            if flags & CLOSED != 0 {
                return Shutdown::Already;
            }
            match self.head.compare_exchange_weak(
                head,
                only(flags | CLOSED | POLLING),
                AcqRel,
                Relaxed,
            ) {
                Ok(_) if flags & POLLING == 0 => return Shutdown::Locked,
                Ok(_) => return Shutdown::Deferred,
                Err(seen) => head = seen,
            }
        }
    }

    /// Records that the drain is complete.
    pub(crate) fn set_drained(&self) {
        let mut head = self.head.load(Relaxed);
        loop {
            match self.head.compare_exchange_weak(
                head,
                head.map_addr(|addr| addr | DRAINED),
                Release,
                Relaxed,
            ) {
                Ok(_) => return,
                Err(seen) => head = seen,
            }
        }
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        flags(self.head.load(Acquire)) & CLOSED != 0
    }

    pub(crate) fn is_drained(&self) -> bool {
        flags(self.head.load(Acquire)) & DRAINED != 0
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! The state word of one task slot: every transition of a slot is one atomic operation
//! on this word, and this file is the only place that changes it.
//!
//! ```text
//!  bit 0      CLAIMED  the slot's storage belongs to a spawner or to a live future
//!  bit 1      SPAWNED  a future is written and published: the poller may poll it
//!  bit 2      QUEUED   the slot's header is in the run queue (or being pushed); whoever
//!                      set the bit owns the header's `next` link until the poller
//!                      takes the queue and clears the bit
//!  bit 3      CLOSED   the executor shut down: the slot is never claimed or published
//!                      again
//!  bit 4      DOOMED   closed while SPAWNED: the future is still there, for the drain to
//!                      drop, but is never polled again (SPAWNED is cleared, so the
//!                      poller tests a single bit)
//!  bits 8..32 generation, bumped by every claim (wraps after 2^24 spawns of one slot)
//! ```
//!
//! Lifecycle of the ownership bits (QUEUED is independent, see below):
//!
//! ```text
//!   free --claim (CAS, Acquire)--> CLAIMED --publish (CAS, Release)--> CLAIMED|SPAWNED
//!    ^                               |                                      |
//!    |                      CLOSED seen: the spawner                        |
//!    |                      drops its own future                    Ready: the poller
//!    |                      and clears CLAIMED                      drops the future
//!    +------------------------ finish (Release) <---------------------------+
//!
//!   shutdown: close turns SPAWNED into DOOMED; the drain drops the future, then finish
//! ```
//!
//! QUEUED is set by `wake` with a single `fetch_or` whatever the other bits say, so a
//! wake of a queued task costs one atomic operation and nothing else. A stale waker can
//! therefore queue a free slot or a slot that was re-spawned since; the poller clears
//! QUEUED and skips a slot that is not SPAWNED, and the new occupant of a re-spawned
//! slot sees one spurious poll, which futures must tolerate anyway. `claim` accepts a
//! queued slot: the header then is already in the queue and `publish` does not push it.

use crate::sync::AtomicU32;
use crate::sync::Ordering::AcqRel;
use crate::sync::Ordering::Acquire;
use crate::sync::Ordering::Relaxed;
use crate::sync::Ordering::Release;

const CLAIMED: u32 = 1 << 0;
const SPAWNED: u32 = 1 << 1;
const QUEUED: u32 = 1 << 2;
const CLOSED: u32 = 1 << 3;
const DOOMED: u32 = 1 << 4;
/// A live future is in the slot.
const LIVE: u32 = SPAWNED | DOOMED;
const GENERATION_SHIFT: u32 = 8;
const GENERATION_ONE: u32 = 1 << GENERATION_SHIFT;

/// A claimed slot's state as the claiming spawner saw it; consumed by `publish`.
#[derive(Clone, Copy)]
pub(crate) struct Claim(u32);

impl Claim {
    pub(crate) fn generation(self) -> u32 {
        self.0 >> GENERATION_SHIFT
    }
}

/// What `try_claim` found.
pub(crate) enum TryClaim {
    /// The slot is ours to fill.
    Claimed(Claim),
    /// A spawner or a live task holds it.
    InUse,
    /// The executor shut down.
    Closed,
}

/// What `publish` did.
pub(crate) enum Publish {
    /// The task is spawned and this call set QUEUED: the caller must push the header.
    Enqueue,
    /// The task is spawned; a stale wake had already queued the header.
    AlreadyQueued,
    /// The executor shut down: the future was not published and still belongs to the
    /// spawner, which must drop it and then call `abandon`.
    Closed,
}

pub(crate) struct TaskState(AtomicU32);

impl TaskState {
    crate::sync::maybe_const_fn! {
        pub(crate) fn new() -> Self {
            Self(AtomicU32::new(0))
        }
    }

    /// free -> CLAIMED, bumping the generation.
    ///
    /// Acquire pairs with the Release of the previous occupant's `finish`, so its drop
    /// of the old future happens before the spawner writes the new one.
    #[inline]
    pub(crate) fn try_claim(&self) -> TryClaim {
        let mut current = self.0.load(Relaxed);
        loop {
            if current & CLOSED != 0 {
                // Reported as such: the executor's SHUTDOWN flag is another location,
                // and a load of it need not yet show what this slot already shows.
                return TryClaim::Closed;
            }
            if current & CLAIMED != 0 {
                return TryClaim::InUse;
            }
            // Only QUEUED may be set here; it is kept (see the module docs).
            let claimed = current.wrapping_add(GENERATION_ONE) | CLAIMED;
            match self
                .0
                .compare_exchange_weak(current, claimed, Acquire, Relaxed)
            {
                Ok(_) => return TryClaim::Claimed(Claim(claimed)),
                Err(seen) => current = seen,
            }
        }
    }

    /// CLAIMED -> CLAIMED|SPAWNED|QUEUED, unless the slot was closed meanwhile.
    ///
    /// Release publishes the future and the slot's function pointers to the poller,
    /// whose `dequeue` (Acquire) reads this value or a later read-modify-write of it.
    #[inline]
    pub(crate) fn publish(&self, claim: Claim) -> Publish {
        // Between claim and publish only QUEUED (stale wakes, the poller) and CLOSED
        // (shutdown) can change; the generation and CLAIMED are ours.
        let mut current = claim.0;
        loop {
            if current & CLOSED != 0 {
                return Publish::Closed;
            }
            match self
                .0
                .compare_exchange_weak(current, current | SPAWNED | QUEUED, AcqRel, Relaxed)
            {
                Ok(_) if current & QUEUED != 0 => return Publish::AlreadyQueued,
                Ok(_) => return Publish::Enqueue,
                Err(seen) => current = seen,
            }
        }
    }

    /// Gives back a claim whose publish found the slot closed (after the spawner
    /// dropped its future).
    pub(crate) fn abandon(&self) {
        self.0.fetch_and(!CLAIMED, Release);
    }

    /// Sets QUEUED; true if this call set it, so the caller must push the header.
    ///
    /// Release: the waker's earlier writes (the event it signals) become visible to the
    /// poller, whose `dequeue` reads this value through the chain of read-modify-writes.
    /// Acquire: the poller's read of the header's old `next` link (before its `dequeue`)
    /// happens before the caller overwrites the link.
    #[inline(always)]
    pub(crate) fn set_queued(&self) -> bool {
        self.0.fetch_or(QUEUED, AcqRel) & QUEUED == 0
    }

    /// Clears QUEUED before the poll, so that a wake arriving during the poll queues the
    /// task again. True if a published future is present and may be polled (SPAWNED,
    /// which `close` clears: a shutdown stops polling at once).
    ///
    /// Acquire pairs with `publish` and with every waker's `set_queued`; Release with
    /// the next `set_queued` (see there).
    ///
    /// # Safety
    ///
    /// QUEUED is set and the caller owns it: it took the header from the run queue.
    #[inline(always)]
    pub(crate) unsafe fn dequeue(&self) -> bool {
        // A subtraction clears the bit because it is known to be set; unlike fetch_and,
        // it is a single instruction (`lock xadd`) on x86 even though we test another bit.
        self.0.fetch_sub(QUEUED, AcqRel) & SPAWNED != 0
    }

    /// After the poller or the drain dropped the future: the slot is free for a new
    /// claim (unless closed).
    #[inline(always)]
    pub(crate) fn finish(&self) {
        self.0.fetch_and(!(CLAIMED | LIVE), Release);
    }

    /// Closes the slot for good: it is never claimed, published or polled again (a
    /// SPAWNED future becomes DOOMED). True if a published future is present, which the
    /// drain (the holder of the poll lock) must then drop before calling `finish`.
    pub(crate) fn close(&self) -> bool {
        let mut current = self.0.load(Relaxed);
        loop {
            let closed = if current & SPAWNED != 0 {
                (current & !SPAWNED) | DOOMED | CLOSED
            } else {
                current | CLOSED
            };
            match self
                .0
                .compare_exchange_weak(current, closed, AcqRel, Acquire)
            {
                Ok(_) => return current & LIVE != 0,
                Err(seen) => current = seen,
            }
        }
    }

    /// True while the future of `generation` is alive.
    pub(crate) fn is_running(&self, generation: u32) -> bool {
        let current = self.0.load(Acquire);
        current & LIVE != 0 && current >> GENERATION_SHIFT == generation
    }

    /// True while a future is alive in the slot.
    pub(crate) fn is_spawned(&self) -> bool {
        self.0.load(Relaxed) & LIVE != 0
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! How long the core waits, and for what: the hcall retry policy and the timeouts of
//! a partner that stops answering. One place, so that every wait is bounded, every
//! wait sleeps on a timer (none spins the bottom half), and every send that still
//! fails at the end of its retries has one outcome: a reset and a new registration.
//!
//! Who waits where (each task sleeps on its own timer slot, `vmc::TIMER_SLOTS`):
//! - the link task: H_REG_CRQ, H_FREE_CRQ and H_ENABLE_CRQ while busy (long-busy as
//!   long as the hypervisor asks), the handshake's sends while the partner's queue is
//!   full, the handshake and capabilities timeouts, and the pause before it registers
//!   again after registration failed;
//! - the CRQ task: the Add and Remove Buffer Responses while the partner's queue is
//!   full, and a local buffer that a reader of a reset session still copies;
//! - each session task: Interface Open and Close while the partner's queue is full,
//!   and the wait for their responses.
//!
//! File operations never wait here: they run under the core's spinlock, repeat H_BUSY
//! at once a few times (`vmc::BUSY_RETRIES`) and return EBUSY for a full queue.

use core::future::Future;

use futures_util::future::select;
use futures_util::future::Either;

use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::vmc::Vmc;
use crate::vmc::LINK_TIMER;
use crate::wire::CrqRepr;

/// Attempts of an hcall made by a task, the first included, before the task gives up
/// on it.
pub(crate) const TASK_ATTEMPTS: u32 = 16;

/// The first wait after H_BUSY or H_DROPPED; each further one doubles, up to
/// [`BACKOFF_MAX_US`].
const BACKOFF_FIRST_US: u64 = 100;
/// The longest wait after H_BUSY or H_DROPPED.
const BACKOFF_MAX_US: u64 = 10_000;

/// The wait before the next attempt of an hcall whose attempt number `attempt` (0 for
/// the first) answered `rc`: what a long-busy code asks for, or an exponential backoff
/// for H_BUSY and H_DROPPED (the partner's queue is full). `None`: another attempt
/// would not help.
pub(crate) fn backoff_us(rc: HcallRc, attempt: u32) -> Option<u64> {
    if let Some(ms) = rc.long_busy_ms() {
        return Some(ms as u64 * 1000);
    }
    if rc == HcallRc::BUSY || rc == HcallRc::DROPPED {
        return Some(doubling(BACKOFF_FIRST_US, attempt, BACKOFF_MAX_US));
    }
    None
}

/// `first` doubled `times` times, at most `max`.
pub(crate) fn doubling(first: u64, times: u32, max: u64) -> u64 {
    first.checked_shl(times.min(32)).unwrap_or(max).min(max)
}

/// After the partner accepted our Initialize, how long the link task waits for its
/// Initialize or Initialization Complete before it resets the link (frees and
/// registers the queue: a new registration also discards whatever late answers the
/// old queue would still bring, where sending Initialize again would cross them).
/// After H_CLOSED there is no limit: the partner has not registered, and sends
/// Initialize itself when it does; the link task only sends Initialize again now and
/// then ([`CLOSED_RESEND_US`]) in case that Initialize never comes.
pub(crate) const HANDSHAKE_TIMEOUT_US: u64 = 5_000_000;

/// After Initialize met H_CLOSED, the pause before it is sent again (nothing was
/// delivered, so nothing can cross): 5 s, doubling up to [`CLOSED_RESEND_MAX_US`].
pub(crate) const CLOSED_RESEND_US: u64 = 5_000_000;
/// The longest pause between two Initialize that meet H_CLOSED.
pub(crate) const CLOSED_RESEND_MAX_US: u64 = 60_000_000;

/// How long the link task waits for the Capabilities Response before it resets the
/// link (the partner answered the handshake, so it is there, but does not serve).
pub(crate) const CAPABILITIES_TIMEOUT_US: u64 = 5_000_000;

/// How long a session task waits for an Interface Open or Close Response before it
/// resets the link: without the response the connection can neither be used nor given
/// to anyone else (with `max_hmcs=1`, the whole device).
pub(crate) const RESPONSE_TIMEOUT_US: u64 = 10_000_000;

/// After registration failed, the pause before the link task tries again (doubling
/// up to [`REGISTER_RETRY_MAX_US`]): the driver is failed meanwhile, not dead.
pub(crate) const REGISTER_RETRY_US: u64 = 1_000_000;
/// The longest pause between two registration attempts.
pub(crate) const REGISTER_RETRY_MAX_US: u64 = 60_000_000;

/// The first wait for a local buffer that a reader or writer of a reset session still
/// holds (each further one doubles, up to [`BORROW_WAIT_MAX_US`]), and how many waits
/// before the message is dropped and counted.
pub(crate) const BORROW_WAIT_US: u64 = 50;
/// The longest single wait for a held local buffer.
pub(crate) const BORROW_WAIT_MAX_US: u64 = 10_000;
/// Waits for a held local buffer before the message is dropped (about 0.4 s in all).
pub(crate) const BORROW_WAITS: u32 = 48;

// ----- the helpers every task uses to retry and to wait -----

/// How many times an hcall made under the core's lock (H_SEND_CRQ, a write's
/// H_COPY_RDMA) or by H_REQUEST_VMC is repeated at once while it answers H_BUSY or
/// long-busy (H_SEND_CRQ busy is brief). A task that still sees busy after that sleeps
/// and tries again (`retry.rs`); a file operation returns the error.
pub(crate) const BUSY_RETRIES: u32 = 16;

/// Calls `hcall` again while its return code (`rc_of` its answer) is H_BUSY or
/// long-busy, [`BUSY_RETRIES`] calls at most, without waiting: for the hcalls made
/// where nothing may sleep or yield. Returns the last answer.
pub(crate) fn while_busy<T>(mut hcall: impl FnMut() -> T, rc_of: impl Fn(&T) -> HcallRc) -> T {
    let mut answer = hcall();
    let mut tries = 1;
    while rc_of(&answer).is_busy() && tries < BUSY_RETRIES {
        answer = hcall();
        tries += 1;
    }
    answer
}

/// Disarms a timer slot when dropped (a sleep that ended, or was abandoned).
struct Disarm<'a, T: Timers> {
    timers: &'a T,
    slot: u8,
}

impl<T: Timers> Drop for Disarm<'_, T> {
    fn drop(&mut self) {
        self.timers.disarm(self.slot);
    }
}

/// Whether `rc` is worth another attempt: the hypervisor's queue was full, or busy.
pub(crate) fn again(rc: HcallRc) -> bool {
    rc == HcallRc::DROPPED || rc.is_busy()
}

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    /// Sleeps `delay_us` on timer `slot`. The timer is disarmed if the future is dropped
    /// first; an early or stale firing is slept through (the deadline is checked on
    /// every wake).
    pub(crate) async fn sleep(&self, slot: u8, delay_us: u64) {
        let Some(fired) = self.timer_fired.get(slot as usize) else {
            return;
        };
        let deadline = self.timers.now_us().saturating_add(delay_us);
        let _disarm = Disarm {
            timers: &self.timers,
            slot,
        };
        loop {
            let now = self.timers.now_us();
            if now >= deadline {
                return;
            }
            fired.reset();
            self.timers.arm(slot, deadline - now);
            fired.wait().await;
        }
    }

    /// `f`, unless `delay_us` on timer `slot` pass first (`None`).
    pub(crate) async fn within<R>(
        &self,
        slot: u8,
        delay_us: u64,
        f: impl Future<Output = R>,
    ) -> Option<R> {
        let f = core::pin::pin!(f);
        let timeout = core::pin::pin!(self.sleep(slot, delay_us));
        match select(f, timeout).await {
            Either::Left((value, _)) => Some(value),
            Either::Right(((), _)) => None,
        }
    }

    /// Sends `repr` from a task, sleeping on timer `slot` between attempts while the
    /// hypervisor answers busy or its queue is full (`retry::backoff_us`), at most
    /// `retry::TASK_ATTEMPTS` times. The trace shows the first and the last attempt.
    pub(crate) async fn send_retrying(&self, slot: u8, repr: CrqRepr) -> HcallRc {
        let mut attempt = 0;
        loop {
            let quiet = attempt > 0 && attempt + 1 < crate::retry::TASK_ATTEMPTS;
            let rc = self.lock(|s| self.send_entry(s, repr, quiet));
            attempt += 1;
            match crate::retry::backoff_us(rc, attempt - 1) {
                Some(wait) if attempt < crate::retry::TASK_ATTEMPTS => self.sleep(slot, wait).await,
                _ => return rc,
            }
        }
    }

    /// Repeats `hcall` (the link task's H_REG_CRQ, H_FREE_CRQ, H_ENABLE_CRQ) while it
    /// answers busy, sleeping in between as long as a long-busy code asks (else a
    /// backoff), [`TASK_ATTEMPTS`] attempts at most. The caller logs the final return
    /// code.
    pub(crate) async fn retry_busy(&self, mut hcall: impl FnMut() -> HcallRc) -> HcallRc {
        let mut attempt = 0;
        loop {
            let rc = hcall();
            attempt += 1;
            match backoff_us(rc, attempt - 1) {
                Some(wait) if rc.is_busy() && attempt < TASK_ATTEMPTS => {
                    self.sleep(LINK_TIMER, wait).await
                }
                _ => {
                    if !rc.is_success() {
                        self.lock(|s| s.count_hcall(rc));
                    }
                    return rc;
                }
            }
        }
    }
}

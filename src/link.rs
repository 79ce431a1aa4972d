// SPDX-License-Identifier: GPL-2.0-or-later
//! The link: registering the queue, the initialisation handshake, the capabilities
//! exchange, transport events, resets and their recovery, and the device's removal.
//! The link task (`run_link`) drives it; the CRQ task hands it the handshake's entries
//! and the events (`partner_init`, `transport_event`, `capabilities_response`).
//!
//! The driver's state ([`DriverState`], changed only through `State::set_driver`):
//!
//! ```text
//!   Initial --(1)--> CrqInit --(2)--> Capabilities --(3)--> Ready
//!                     |   ^                 |
//!                    (4) (5)               (6)
//!                     v   |                 v
//!                    Failed <---------------+
//!
//!   CrqInit, Capabilities, Ready --(7)--> SchedReset --(8)--> CrqInit
//!   any --(9)--> Failed, for good
//! ```
//!
//! 1. `register`: H_REG_CRQ succeeded (or H_CLOSED: the partner is not there yet).
//! 2. `send_init` → `capabilities`: the partner answered Initialize (its Initialize
//!    or Initialization Complete); our Capabilities went out.
//! 3. `capabilities_response`: the response checked out (`negotiate`).
//! 4. `register_and_init`: the queue cannot be registered.
//! 5. `register_and_init`: the pause is over (1 s doubling to 60 s), or a reset came:
//!    register again.
//! 6. `capabilities_response`: capabilities we cannot work with; a reset from the
//!    partner is the way out.
//! 7. `hang_up_all`, from `transport_event` (0x01/0x02/0x04, 0x06/0x0A),
//!    `partner_init` (an Initialize after the handshake), or `stall` (a send of ours
//!    failed for good, or the partner stopped answering: the timeouts of `retry.rs`).
//!    Every connection is forgotten; causes seen before the link task acts combine
//!    (`ResetCause::combine`).
//! 8. `run_link`: the recovery the cause calls for: register again (`PartnerGone`,
//!    `Stalled`), H_ENABLE_CRQ then Initialize (`PartnerSuspended`), or answer the
//!    partner's Initialize (`PartnerRestarted`).
//! 9. `remove`: the device went away; the link task stops.

use core::pin::pin;
use core::sync::atomic::Ordering;

use futures_util::future::select;
use futures_util::future::Either;

use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::retry::*;
use crate::state::DriverState;
use crate::state::Negotiated;
use crate::state::ResetCause;
use crate::vmc::Vmc;
use crate::vmc::LINK_TIMER;
use crate::wire::version_compatible;
use crate::wire::Capabilities;
use crate::wire::CrqRepr;
use crate::wire::Status;
use crate::wire::TransportEvent;
use crate::wire::VmcMessage;
use crate::wire::HMC_ID_LEN;
use crate::wire::PROTOCOL_VERSION;

/// What the CRQ task passes to the link task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub(crate) enum LinkEvent {
    /// The partner's Initialize.
    Init,
    /// The partner's Initialization Complete.
    InitComplete,
    /// The Capabilities Response was applied (the driver is now ready or failed).
    Capabilities,
}

/// Capacity of the link task's inbox; more events than this between two polls of
/// the link task can only be a misbehaving partner, and the excess is dropped.
pub(crate) const LINK_EVENTS: usize = 4;

/// Attempts at H_REG_CRQ (each H_RESOURCE is answered with H_FREE_CRQ first).
const REG_ATTEMPTS: u32 = 8;

/// What the link task waits for: a handshake message or a reset.
enum LinkInput {
    Event(LinkEvent),
    Reset(ResetCause),
}

/// How the link comes back after a reset.
#[derive(Clone, Copy)]
enum Recovery {
    /// Free (if registered) and register the queue, then send Initialize.
    Register,
    /// H_ENABLE_CRQ, then send Initialize.
    Enable,
    /// The partner restarted: answer its Initialize and exchange capabilities again.
    AnswerInit,
}

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    /// A send of ours failed for good, or the partner stopped answering: hang up
    /// everything and have the link task free the queue and register it again, the one
    /// recovery that leaves no state behind on either side.
    pub(crate) fn stall(&self, why: &str) {
        if self.is_removed() {
            return;
        }
        crate::trace_error!("link: {=str}: resetting", why);
        self.hang_up_all(ResetCause::Stalled);
    }

    /// Forgets every connection (their files now see a hung-up session), records that
    /// a reset is due, and wakes every waiter. Runs in the CRQ task the moment the
    /// cause is seen, so no entry behind it in the queue is taken for the old sessions.
    pub(crate) fn hang_up_all(&self, cause: ResetCause) {
        crate::trace_warn!("reset: {}", cause);
        self.lock(|s| {
            s.set_driver(DriverState::SchedReset);
            s.negotiated = None;
            for conn in s.conns.iter_mut() {
                conn.forget();
            }
            match cause {
                ResetCause::PartnerGone(_) => s.stats.resets_partner_gone += 1,
                ResetCause::PartnerSuspended(_) => s.stats.resets_suspended += 1,
                ResetCause::PartnerRestarted => s.stats.resets_partner_restarted += 1,
                ResetCause::Stalled => s.stats.resets_stalled += 1,
            }
        });
        self.link.clear();
        // A reset the link task has not taken yet: keep the recovery that covers both.
        // (Only the tasks of this one executor call this, so nothing signals between
        // the take and the signal.)
        let cause = match self.reset.try_take() {
            Some(pending) => pending.combine(cause),
            None => cause,
        };
        self.reset.signal(cause);
        self.wake_all();
    }

    /// The device went away (VIO remove, or the simulator's "remove"): every session
    /// is hung up, every waiter woken, and from now on the driver stays failed and
    /// ignores the queue. Open files see POLLHUP, EBADFD from read and EIO from write
    /// and SETHMCID until they are closed.
    pub fn remove(&self) {
        self.removed.store(true, Ordering::Release);
        crate::trace_warn!("driver: device removed");
        self.lock(|s| {
            s.set_driver(DriverState::Failed);
            s.negotiated = None;
            for conn in s.conns.iter_mut() {
                conn.forget();
            }
        });
        self.wake_all();
    }

    /// Whether [`Vmc::remove`] was called.
    pub fn is_removed(&self) -> bool {
        self.removed.load(Ordering::Acquire)
    }

    /// The partner's Initialize: part of the handshake while we are in it; at any later
    /// point the partner restarted and lost every session, so we reset (the C driver
    /// only logged it, defect 19).
    pub(crate) fn partner_init(&self) {
        let state = self.lock(|s| s.driver);
        match state {
            // A reset is scheduled and the link task has not started it yet: whatever
            // the cause, its recovery ends in a handshake with this partner, so a
            // second Initialize (a partner that restarted twice before we answered)
            // would only start a second one.
            DriverState::SchedReset if self.reset.signaled() => {
                crate::trace_warn!("link: partner init while a reset is pending: already covered");
            }
            DriverState::CrqInit | DriverState::SchedReset => self.link_event(LinkEvent::Init),
            _ => self.hang_up_all(ResetCause::PartnerRestarted),
        }
    }

    /// Transport events by format (the C driver treated them all alike, defect 18).
    pub(crate) fn transport_event(&self, event: TransportEvent) {
        match event {
            TransportEvent::PartnerFailed
            | TransportEvent::PartnerDeregistered
            | TransportEvent::PartnerControlTerminate => {
                self.hang_up_all(ResetCause::PartnerGone(event.code()))
            }
            TransportEvent::PartnerSuspended | TransportEvent::ClientResume => {
                self.hang_up_all(ResetCause::PartnerSuspended(event.code()))
            }
            TransportEvent::PrepareForSuspend => {
                crate::trace_warn!("transport: prepare for suspend");
            }
            TransportEvent::Unknown(code) => {
                crate::trace_warn!("transport: unknown event {=u8:#04x}, dropped", code);
                self.drop_invalid();
            }
        }
    }

    pub(crate) fn link_event(&self, event: LinkEvent) {
        if self.link.try_send(event).is_err() {
            crate::trace_warn!("link: inbox full, dropped {}", event);
            self.drop_invalid();
        }
    }

    /// Capabilities Response: applied here, not in the link task, because the Add
    /// Buffers right behind it in the queue are only valid once the driver is ready.
    pub(crate) fn capabilities_response(&self, status: Status, theirs: &Capabilities) {
        let negotiated = self.negotiate(status, theirs);
        let applied = self.lock(|s| {
            if s.driver != DriverState::Capabilities {
                s.stats.dropped_invalid += 1;
                return false;
            }
            match negotiated {
                Some(n) => {
                    s.negotiated = Some(n);
                    s.set_driver(DriverState::Ready);
                }
                None => s.set_driver(DriverState::Failed),
            }
            true
        });
        if !applied {
            crate::trace_warn!(
                "driver: unexpected capabilities response {} {}, dropped",
                status,
                theirs
            );
            return;
        }
        match negotiated {
            Some(n) => crate::trace_info!("driver: capabilities agreed: {}", n),
            None => crate::trace_error!("driver: capabilities refused: {} {}", status, theirs),
        }
        self.link_event(LinkEvent::Capabilities);
        self.wake_all();
    }

    /// Checks everything the hypervisor answered and settles on the minimum of both
    /// sides. `None` if we cannot work with it (the C driver trusted these values,
    /// defect 16: `max_hmcs == 0` disabled its bounds checks).
    fn negotiate(&self, status: Status, theirs: &Capabilities) -> Option<Negotiated> {
        if !status.is_success() || !version_compatible(theirs.version) {
            return None;
        }
        if theirs.max_hmcs == 0 || theirs.pool_size == 0 || theirs.crq_size == 0 {
            return None;
        }
        // The HMC ID travels in one buffer, so anything smaller is unusable.
        if theirs.mtu < HMC_ID_LEN as u32 {
            return None;
        }
        Some(Negotiated {
            max_hmcs: theirs.max_hmcs.min(self.params.max_hmcs()),
            pool_size: theirs.pool_size.min(self.params.buf_pool_size()),
            mtu: theirs.mtu.min(self.params.max_mtu()),
            hv_crq_size: theirs.crq_size,
        })
    }

    /// The link task: registers the queue, runs the initialisation handshake and the
    /// capabilities exchange, then waits for a reset and recovers from it, forever (or
    /// until the device is removed).
    pub async fn run_link(&self) {
        let mut recovery = Recovery::Register;
        // Registrations that failed in a row: the pause before the next one doubles.
        let mut failures = 0;
        loop {
            if self.is_removed() {
                crate::trace_info!("link: device removed, stopping");
                core::future::pending::<()>().await;
            }
            let cause = match recovery {
                Recovery::Register => self.register_and_init(&mut failures).await,
                Recovery::Enable => {
                    let rc = self.retry_busy(|| self.dev.enable_crq()).await;
                    if rc.is_success() {
                        crate::trace_debug!("H_ENABLE_CRQ rc={}", rc);
                        self.send_init().await
                    } else {
                        // The queue stays disabled: start over with a new registration.
                        crate::trace_warn!("H_ENABLE_CRQ rc={}: registering again", rc);
                        self.register_and_init(&mut failures).await
                    }
                }
                Recovery::AnswerInit => {
                    self.set_driver(DriverState::CrqInit);
                    let rc = self.answer_init().await;
                    if rc.is_success() {
                        self.capabilities().await
                    } else {
                        self.stalled("initialization complete not sent")
                    }
                }
            };
            recovery = match cause {
                ResetCause::PartnerGone(_) | ResetCause::Stalled => Recovery::Register,
                ResetCause::PartnerSuspended(_) => Recovery::Enable,
                ResetCause::PartnerRestarted => Recovery::AnswerInit,
            };
        }
    }

    /// Registers the queue and runs the handshake; if the queue cannot be registered,
    /// the driver is failed until a reset, or until the pause is over and it tries
    /// again (`failures` in a row so far, each doubling the pause).
    async fn register_and_init(&self, failures: &mut u32) -> ResetCause {
        if self.register().await {
            *failures = 0;
            return self.send_init().await;
        }
        let pause = doubling(REGISTER_RETRY_US, *failures, REGISTER_RETRY_MAX_US);
        *failures = failures.saturating_add(1);
        self.set_driver(DriverState::Failed);
        match self.within(LINK_TIMER, pause, self.reset.wait()).await {
            // Whatever the new cause, the registration it interrupts is still owed
            // (after 0x01, a 0x0A's H_ENABLE_CRQ would re-enable a queue the partner
            // has forgotten).
            Some(cause) => cause.combine(ResetCause::Stalled),
            None => {
                crate::trace_info!("link: registering again after {=u64} us", pause);
                ResetCause::Stalled
            }
        }
    }

    /// [`Vmc::stall`] from the link task itself: the reset it raises is the one the
    /// link task recovers from next (combined with any already pending).
    fn stalled(&self, why: &str) -> ResetCause {
        self.stall(why);
        self.reset.try_take().unwrap_or(ResetCause::Stalled)
    }

    /// H_REG_CRQ until it succeeds: H_CLOSED (partner not there yet) is success;
    /// H_RESOURCE (a stale registration) is answered with H_FREE_CRQ and another try
    /// (the C driver had these two the wrong way round, defect 17).
    async fn register(&self) -> bool {
        self.set_driver(DriverState::CrqInit);
        for _ in 0..REG_ATTEMPTS {
            let rc = self.retry_busy(|| self.dev.reg_crq()).await;
            if rc.is_success() || rc == HcallRc::CLOSED {
                crate::trace_debug!("H_REG_CRQ rc={}", rc);
                // Registering disables the queue's interrupt (LoPAR), and the CRQ task
                // may be asleep waiting for one: wake it, it drains the new queue and
                // re-enables the interrupt itself.
                self.irq.raise();
                return true;
            }
            if rc != HcallRc::RESOURCE {
                crate::trace_error!("H_REG_CRQ rc={}: the queue cannot be registered", rc);
                return false;
            }
            crate::trace_warn!("H_REG_CRQ rc={}: a stale registration, freeing it", rc);
            let rc = self.retry_busy(|| self.dev.free_crq()).await;
            if rc.is_success() {
                crate::trace_debug!("H_FREE_CRQ rc={}", rc);
            } else {
                crate::trace_warn!("H_FREE_CRQ rc={}", rc);
            }
        }
        crate::trace_error!(
            "H_REG_CRQ: no registration in {=u32} attempts",
            REG_ATTEMPTS
        );
        false
    }

    async fn next_input(&self) -> LinkInput {
        if let Some(cause) = self.reset.try_take() {
            return LinkInput::Reset(cause);
        }
        let reset = pin!(self.reset.wait());
        let event = pin!(self.link.receive());
        match select(reset, event).await {
            Either::Left((cause, _)) => LinkInput::Reset(cause),
            Either::Right((event, _)) => LinkInput::Event(event),
        }
    }

    /// Sends Initialize and waits for the partner's Initialize or Complete. H_CLOSED
    /// is normal here: the partner has not registered yet and will send Initialize
    /// itself when it does, however long that takes (Initialize is sent again now and
    /// then, 5 s doubling to 60 s, in case it never does). A partner that accepted our
    /// Initialize but does not answer it within 5 s, or a send that fails otherwise,
    /// resets the link.
    async fn send_init(&self) -> ResetCause {
        self.set_driver(DriverState::CrqInit);
        let mut rc = self.send_retrying(LINK_TIMER, CrqRepr::Init).await;
        let mut resends = 0;
        loop {
            if !rc.is_success() && rc != HcallRc::CLOSED {
                return self.stalled("initialize not sent");
            }
            let input = if rc.is_success() {
                match self
                    .within(LINK_TIMER, HANDSHAKE_TIMEOUT_US, self.next_input())
                    .await
                {
                    Some(input) => input,
                    None => return self.stalled("no answer to initialize"),
                }
            } else {
                let pause = doubling(CLOSED_RESEND_US, resends, CLOSED_RESEND_MAX_US);
                match self.within(LINK_TIMER, pause, self.next_input()).await {
                    Some(input) => input,
                    None => {
                        resends += 1;
                        rc = self.send_retrying(LINK_TIMER, CrqRepr::Init).await;
                        continue;
                    }
                }
            };
            match input {
                LinkInput::Reset(cause) => return cause,
                LinkInput::Event(LinkEvent::Init) => {
                    let rc = self.answer_init().await;
                    if !rc.is_success() {
                        return self.stalled("initialization complete not sent");
                    }
                    return self.capabilities().await;
                }
                LinkInput::Event(LinkEvent::InitComplete) => return self.capabilities().await,
                LinkInput::Event(other) => {
                    crate::trace_warn!("handshake: unexpected {}, dropped", other);
                    self.lock(|s| s.stats.dropped_invalid += 1);
                }
            }
        }
    }

    /// Answers the partner's Initialize with Initialization Complete. Every handshake
    /// message already in the inbox when it went out came before it: it answers each
    /// Initialize there (a partner that restarted twice before we answered wants one
    /// answer after its last Initialize, not two, and a second would start a second
    /// capabilities exchange whose Add Buffers the first one's answers cross), and the
    /// partner's Initialization Complete is of no more use. They are dropped; only one
    /// that comes after is a restart of the partner.
    async fn answer_init(&self) -> HcallRc {
        let rc = self.send_retrying(LINK_TIMER, CrqRepr::InitComplete).await;
        if rc.is_success() {
            while let Ok(event) = self.link.try_receive() {
                crate::trace_debug!("handshake: {} from before our answer, covered", event);
            }
        }
        rc
    }

    /// Sends our capabilities and waits for the response (5 s at most, else the link
    /// is reset), then serves until a reset.
    async fn capabilities(&self) -> ResetCause {
        self.set_driver(DriverState::Capabilities);
        let ours = Capabilities {
            max_hmcs: self.params.max_hmcs(),
            pool_size: self.params.buf_pool_size(),
            mtu: self.params.max_mtu(),
            crq_size: self.dev.crq_entries(),
            version: PROTOCOL_VERSION,
        };
        let rc = self
            .send_retrying(LINK_TIMER, CrqRepr::Vmc(VmcMessage::Capabilities(ours)))
            .await;
        if !rc.is_success() {
            return self.stalled("capabilities not sent");
        }
        // The CRQ task applies the response (the Add Buffers right behind it depend
        // on it) and turns a later Initialize into a reset; from here on the link task
        // only waits for a reset.
        let mut answered = false;
        loop {
            let input = if answered {
                self.next_input().await
            } else {
                match self
                    .within(LINK_TIMER, CAPABILITIES_TIMEOUT_US, self.next_input())
                    .await
                {
                    Some(input) => input,
                    None => return self.stalled("no capabilities response"),
                }
            };
            match input {
                LinkInput::Reset(cause) => return cause,
                LinkInput::Event(LinkEvent::Capabilities) => answered = true,
                // The partner's Initialize crossed our handshake (it was queued while
                // we were still in it): the partner restarted and waits for our
                // answer, and has dropped what we sent since.
                LinkInput::Event(LinkEvent::Init) => self.hang_up_all(ResetCause::PartnerRestarted),
                LinkInput::Event(other) => {
                    crate::trace_warn!("link: unexpected {}, dropped", other);
                    self.lock(|s| s.stats.dropped_invalid += 1);
                }
            }
        }
    }
}

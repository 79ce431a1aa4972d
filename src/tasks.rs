//! The driver's futures: the CRQ task, the link task and the session tasks.
//!
//! They run on the executor in the bottom half. None of them blocks: each waits on an
//! embassy-sync `Signal` or `Channel` that the interrupt, another task, a file
//! operation or a timer raises. How long they wait, between retries and for a partner
//! that does not answer, is decided in `retry.rs`.

use core::pin::pin;

use futures_util::future::select;
use futures_util::future::Either;

use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::state::Buf;
use crate::state::ConnState;
use crate::state::DriverState;
use crate::state::ResetCause;
use crate::retry::backoff_us;
use crate::retry::doubling;
use crate::retry::CAPABILITIES_TIMEOUT_US;
use crate::retry::CLOSED_RESEND_MAX_US;
use crate::retry::CLOSED_RESEND_US;
use crate::retry::HANDSHAKE_TIMEOUT_US;
use crate::retry::REGISTER_RETRY_MAX_US;
use crate::retry::REGISTER_RETRY_US;
use crate::retry::RESPONSE_TIMEOUT_US;
use crate::retry::TASK_ATTEMPTS;
use crate::vmc::session_timer;
use crate::vmc::LinkEvent;
use crate::vmc::Vmc;
use crate::vmc::YieldNow;
use crate::vmc::DRAIN_BUDGET;
use crate::vmc::LINK_TIMER;
use crate::wire::Capabilities;
use crate::wire::CrqRepr;
use crate::wire::VmcMessage;
use crate::wire::HMC_ID_LEN;
use crate::wire::PROTOCOL_VERSION;

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
    /// The CRQ task: drains the queue, dispatching each entry, then re-enables the
    /// interrupt and looks once more before it sleeps (an entry enqueued in between
    /// raised no interrupt: LoPAR asks the receiver to poll after enabling).
    pub async fn run_crq(&self) {
        loop {
            let mut budget = DRAIN_BUDGET;
            while let Some(entry) = self.dev.next_crq() {
                self.dispatch(entry).await;
                budget -= 1;
                if budget == 0 {
                    budget = DRAIN_BUDGET;
                    crate::trace_trace!("crq task: budget spent, yielding");
                    YieldNow::new().await;
                }
            }
            self.dev.enable_interrupts();
            match self.dev.next_crq() {
                Some(entry) => {
                    self.dev.disable_interrupts();
                    self.dispatch(entry).await;
                }
                None => {
                    crate::trace_trace!("crq task: queue empty, waiting for the interrupt");
                    self.irq.wait().await;
                    crate::trace_trace!("crq task: woken");
                }
            }
        }
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
                    let rc = self.send_retrying(LINK_TIMER, CrqRepr::InitComplete).await;
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

    /// The session task of connection `hmc_index`: sends Interface Open when SETHMCID
    /// asked for one, and Interface Close when the file let an open connection go.
    /// The responses are handled by the CRQ task, in queue order with the messages.
    pub async fn run_session(&self, hmc_index: u8) {
        let Some(kick) = self.session_kick.get(hmc_index as usize) else {
            return;
        };
        let slot = session_timer(hmc_index);
        loop {
            // An open or close we sent waits for its response only so long: without
            // it the connection can be neither used nor given to anyone else.
            match self.awaited(hmc_index) {
                None => kick.wait().await,
                Some(awaited) => {
                    if self.within(slot, RESPONSE_TIMEOUT_US, kick.wait()).await.is_none()
                        && self.awaited(hmc_index) == Some(awaited)
                    {
                        crate::trace_error!(
                            "hmc {=u8}: no response to {} of session {=u8} in {=u64} us",
                            hmc_index,
                            awaited.2,
                            awaited.1,
                            RESPONSE_TIMEOUT_US
                        );
                        self.stall("a response never came");
                        continue;
                    }
                }
            }
            crate::trace_trace!("hmc {=u8}: session task woken", hmc_index);
            // Both may be due: an open, then a close of the same connection.
            self.send_open(hmc_index).await;
            self.send_close(hmc_index).await;
        }
    }

    /// The response connection `hmc_index` waits for, if it sent an open or a close:
    /// its generation, session and state (`Opening` or `Closing`).
    fn awaited(&self, hmc_index: u8) -> Option<(u32, u8, ConnState)> {
        self.lock(|s| {
            let conn = s.conns.get(hmc_index as usize)?;
            let waiting = match conn.state {
                ConnState::Opening => !conn.open_pending,
                ConnState::Closing => conn.close_sent,
                _ => false,
            };
            waiting.then_some((conn.generation, conn.session, conn.state))
        })
    }

    /// Moves the driver to `state` (logged by [`State::set_driver`]), unless the device
    /// was removed.
    ///
    /// [`State::set_driver`]: crate::state::State::set_driver
    pub(crate) fn set_driver(&self, state: DriverState) {
        if self.is_removed() {
            return;
        }
        self.lock(|s| s.set_driver(state));
    }

    /// Repeats `hcall` (the link task's H_REG_CRQ, H_FREE_CRQ, H_ENABLE_CRQ) while it
    /// answers busy, sleeping in between as long as a long-busy code asks (else a
    /// backoff), [`TASK_ATTEMPTS`] attempts at most. The caller logs the final return
    /// code.
    async fn retry_busy(&self, mut hcall: impl FnMut() -> HcallRc) -> HcallRc {
        let mut attempt = 0;
        loop {
            let rc = hcall();
            attempt += 1;
            match backoff_us(rc, attempt - 1) {
                Some(wait) if rc.is_busy() && attempt < TASK_ATTEMPTS => self.sleep(LINK_TIMER, wait).await,
                _ => {
                    if !rc.is_success() {
                        self.lock(|s| s.count_hcall(rc));
                    }
                    return rc;
                }
            }
        }
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
                self.irq.signal(());
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
        crate::trace_error!("H_REG_CRQ: no registration in {=u32} attempts", REG_ATTEMPTS);
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
                match self.within(LINK_TIMER, HANDSHAKE_TIMEOUT_US, self.next_input()).await {
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
                    let rc = self.send_retrying(LINK_TIMER, CrqRepr::InitComplete).await;
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
        let rc = self.send_retrying(LINK_TIMER, CrqRepr::Vmc(VmcMessage::Capabilities(ours))).await;
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
                match self.within(LINK_TIMER, CAPABILITIES_TIMEOUT_US, self.next_input()).await {
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

    /// Sends `repr` for connection `hmc_index` if it is still of `generation` and in
    /// `state`, after first RDMAing `rdma` (buffer ID, local bytes, their I/O address,
    /// the hypervisor's LIOBA) if given: the check, the RDMA and the send are one step
    /// under the lock, so nothing of ours crosses a reset into the next session (whose
    /// hypervisor buffers may have the same addresses). While the hypervisor's queue is
    /// full (H_DROPPED) or busy, sleeps on the session's timer and tries again
    /// (`retry::backoff_us`, [`TASK_ATTEMPTS`] in all; the trace shows the first and the
    /// last attempt). `None` if the connection moved on before it could be sent.
    async fn send_for(
        &self,
        hmc_index: u8,
        generation: u32,
        state: ConnState,
        repr: CrqRepr,
        rdma: Option<(u8, &[u8], u64, u32)>,
    ) -> Option<HcallRc> {
        let mut rdma = rdma;
        let mut attempt = 0;
        loop {
            let last = attempt + 1 >= TASK_ATTEMPTS;
            // An attempt between the first and the last is not traced if it fails again.
            let quiet = attempt > 0 && !last;
            let rc = self.lock(|s| {
                match s.conns.get(hmc_index as usize) {
                    Some(conn) if conn.generation == generation && conn.state == state => {}
                    _ => return None,
                }
                if let Some((id, local, ioba, lioba)) = rdma {
                    let rc = self.dev.rdma_to_hv(local, ioba, lioba);
                    if !(quiet && again(rc)) {
                        crate::trace_debug!(
                            "hmc {=u8}: HMC ID out in buffer {=u8}, {=usize} bytes, H_COPY_RDMA rc={}",
                            hmc_index,
                            id,
                            local.len(),
                            rc
                        );
                    }
                    if !rc.is_success() {
                        s.count_hcall(rc);
                        return Some(rc);
                    }
                    rdma = None;
                }
                Some(self.send_entry(s, repr, quiet))
            })?;
            match backoff_us(rc, attempt) {
                Some(wait) if !last => self.sleep(session_timer(hmc_index), wait).await,
                _ => return Some(rc),
            }
            attempt += 1;
        }
    }

    /// RDMAs the HMC ID and sends Interface Open, if SETHMCID asked for it.
    async fn send_open(&self, hmc_index: u8) {
        let job = self.lock(|s| {
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.state != ConnState::Opening || !conn.open_pending {
                return None;
            }
            conn.open_pending = false;
            let id = conn.id_buffer;
            match conn.bufs.get(id as usize) {
                Some(Buf::OpenLent { lioba }) => Some((id, *lioba, conn.session, conn.generation)),
                _ => None,
            }
        });
        let Some((id, lioba, session, generation)) = job else {
            return;
        };
        // RDMA of the ID and Interface Open in one step under the lock, checked against
        // the connection's generation: after a reset the same hypervisor buffer may
        // belong to the next session, and nothing of ours may reach it.
        let open = CrqRepr::Vmc(VmcMessage::InterfaceOpen { hmc_session: session, hmc_index, buffer_id: id as u16 });
        let rc = match self.local(hmc_index, id).and_then(|local| local.borrow()) {
            Some(mut guard) => {
                let ioba = guard.ioba();
                match guard.bytes().get(..HMC_ID_LEN) {
                    Some(hmc_id) => {
                        let rdma = Some((id, hmc_id, ioba, lioba));
                        self.send_for(hmc_index, generation, ConnState::Opening, open, rdma).await
                    }
                    None => Some(HcallRc::PARAMETER),
                }
            }
            None => Some(HcallRc::BUSY),
        };
        if rc.is_some_and(HcallRc::is_success) {
            crate::trace_info!("hmc {=u8}: open sent, session {=u8}", hmc_index, session);
            return;
        }
        // The open never reached the hypervisor (the C driver ignored this and left
        // the connection in `opening` for good, defect 3), or the file let go of the
        // connection before it was sent.
        self.lock(|s| {
            if let Some(conn) = s.conns.get_mut(hmc_index as usize) {
                if conn.generation != generation {
                    return;
                }
                match conn.state {
                    ConnState::Opening => {
                        conn.set_state(ConnState::Failed);
                        conn.release_buffer(id, lioba);
                    }
                    // Released meanwhile: there is nothing to close.
                    ConnState::Closing => {
                        conn.release_buffer(id, lioba);
                        conn.vacate();
                    }
                    _ => {}
                }
            }
        });
        match rc {
            Some(rc) => crate::trace_error!(
                "hmc {=u8}: open not sent, session {=u8} rc={}",
                hmc_index,
                session,
                rc
            ),
            None => crate::trace_info!(
                "hmc {=u8}: open not sent, session {=u8} ended first",
                hmc_index,
                session
            ),
        }
        self.wake(hmc_index);
    }

    /// Sends Interface Close if the file let an open connection go. Its response frees
    /// the connection; if it cannot be sent, the link is reset (which frees every
    /// connection here and every session at the hypervisor).
    async fn send_close(&self, hmc_index: u8) {
        let job = self.lock(|s| {
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.state != ConnState::Closing || !conn.close_pending {
                return None;
            }
            conn.close_pending = false;
            conn.close_sent = true;
            Some((conn.session, conn.generation))
        });
        let Some((session, generation)) = job else {
            return;
        };
        let close = VmcMessage::InterfaceClose { hmc_session: session, hmc_index };
        let rc = match self.send_for(hmc_index, generation, ConnState::Closing, CrqRepr::Vmc(close), None).await {
            // Reset meanwhile: the connection is already free.
            None => return,
            Some(rc) => rc,
        };
        if rc.is_success() {
            crate::trace_info!("hmc {=u8}: close sent, session {=u8}", hmc_index, session);
            return;
        }
        // The hypervisor keeps the session until it sees a Close (or a new
        // registration): freeing the connection here would leave it open there, and the
        // next open of this index would be refused.
        crate::trace_error!("hmc {=u8}: close not sent, session {=u8} rc={}", hmc_index, session, rc);
        self.stall("interface close not sent");
    }
}

/// Whether `rc` is worth another attempt: the hypervisor's queue was full, or busy.
fn again(rc: HcallRc) -> bool {
    rc == HcallRc::DROPPED || rc.is_busy()
}

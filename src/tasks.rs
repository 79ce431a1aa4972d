//! The driver's futures: the CRQ task, the link task and the session tasks.
//!
//! They run on the executor in the bottom half. None of them blocks: each waits on an
//! embassy-sync `Signal` or `Channel` that the interrupt, another task or a file
//! operation raises, and yields to the executor between retries of a busy hcall.

use core::pin::pin;

use futures_util::future::select;
use futures_util::future::Either;

use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::Waiters;
use crate::state::Buf;
use crate::state::ConnState;
use crate::state::DriverState;
use crate::state::ResetCause;
use crate::vmc::LinkEvent;
use crate::vmc::Vmc;
use crate::vmc::YieldNow;
use crate::vmc::DRAIN_BUDGET;
use crate::wire::Capabilities;
use crate::wire::CrqRepr;
use crate::wire::VmcMessage;
use crate::wire::HMC_ID_LEN;
use crate::wire::PROTOCOL_VERSION;

/// Attempts at H_REG_CRQ (each H_RESOURCE is answered with H_FREE_CRQ first).
const REG_ATTEMPTS: u32 = 8;
/// Times a task yields on a busy hcall (H_FREE_CRQ, H_ENABLE_CRQ, H_COPY_RDMA, or a
/// dropped H_SEND_CRQ while the hypervisor's queue is full) before giving up.
const TASK_BUSY_YIELDS: u32 = 1024;

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

impl<D: Device, W: Waiters> Vmc<D, W> {
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
    /// capabilities exchange, then waits for a reset and recovers from it, forever.
    pub async fn run_link(&self) {
        let mut recovery = Recovery::Register;
        loop {
            let cause = match recovery {
                Recovery::Register => {
                    if self.register().await {
                        self.send_init().await
                    } else {
                        self.fail().await
                    }
                }
                Recovery::Enable => {
                    let rc = self.retry_busy(|| self.dev.enable_crq()).await;
                    if rc.is_success() {
                        crate::trace_debug!("H_ENABLE_CRQ rc={}", rc);
                        self.send_init().await
                    } else {
                        // The queue stays disabled: start over with a new registration.
                        crate::trace_warn!("H_ENABLE_CRQ rc={}: registering again", rc);
                        if self.register().await {
                            self.send_init().await
                        } else {
                            self.fail().await
                        }
                    }
                }
                Recovery::AnswerInit => {
                    self.set_driver(DriverState::CrqInit);
                    self.send(CrqRepr::InitComplete);
                    self.capabilities().await
                }
            };
            recovery = match cause {
                ResetCause::PartnerGone(_) => Recovery::Register,
                ResetCause::PartnerSuspended(_) => Recovery::Enable,
                ResetCause::PartnerRestarted => Recovery::AnswerInit,
            };
        }
    }

    /// The session task of connection `hmc_index`: sends Interface Open when SETHMCID
    /// asked for one, and Interface Close when the file let an open connection go.
    /// The responses are handled by the CRQ task, in queue order with the messages.
    pub async fn run_session(&self, hmc_index: u8) {
        let Some(kick) = self.session_kick.get(hmc_index as usize) else {
            return;
        };
        loop {
            kick.wait().await;
            crate::trace_trace!("hmc {=u8}: session task woken", hmc_index);
            // Both may be due: an open, then a close of the same connection.
            self.send_open(hmc_index).await;
            self.send_close(hmc_index).await;
        }
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

    /// Repeats `hcall` while it answers busy, yielding in between. The caller logs the
    /// final return code.
    async fn retry_busy(&self, mut hcall: impl FnMut() -> HcallRc) -> HcallRc {
        let mut rc = hcall();
        let mut tries = 0;
        while rc.is_busy() && tries < TASK_BUSY_YIELDS {
            YieldNow::new().await;
            rc = hcall();
            tries += 1;
        }
        if !rc.is_success() {
            self.lock(|s| s.count_hcall(rc));
        }
        rc
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

    /// Nothing can be done until the partner resets the transport.
    async fn fail(&self) -> ResetCause {
        self.set_driver(DriverState::Failed);
        self.reset.wait().await
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
    /// itself when it does.
    async fn send_init(&self) -> ResetCause {
        self.set_driver(DriverState::CrqInit);
        self.send(CrqRepr::Init);
        loop {
            match self.next_input().await {
                LinkInput::Reset(cause) => return cause,
                LinkInput::Event(LinkEvent::Init) => {
                    self.send(CrqRepr::InitComplete);
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

    /// Sends our capabilities, then serves until a reset.
    async fn capabilities(&self) -> ResetCause {
        self.set_driver(DriverState::Capabilities);
        let ours = Capabilities {
            max_hmcs: self.params.max_hmcs(),
            pool_size: self.params.buf_pool_size(),
            mtu: self.params.max_mtu(),
            crq_size: self.dev.crq_entries(),
            version: PROTOCOL_VERSION,
        };
        self.send(CrqRepr::Vmc(VmcMessage::Capabilities(ours)));
        // The CRQ task applies the response (the Add Buffers right behind it depend
        // on it) and turns a later Initialize into a reset; from here on the link task
        // only waits for a reset.
        loop {
            match self.next_input().await {
                LinkInput::Reset(cause) => return cause,
                LinkInput::Event(LinkEvent::Capabilities) => {}
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
    /// full (H_DROPPED) or busy, yields and tries again (the trace shows the first and
    /// the last attempt). `None` if the connection moved on before it could be sent.
    async fn send_for(
        &self,
        hmc_index: u8,
        generation: u32,
        state: ConnState,
        repr: CrqRepr,
        rdma: Option<(u8, &[u8], u64, u32)>,
    ) -> Option<HcallRc> {
        let mut rdma = rdma;
        let mut tries = 0;
        loop {
            let retried = tries < TASK_BUSY_YIELDS;
            // An attempt between the first and the last is not traced if it fails again.
            let quiet = tries > 0 && retried;
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
            if again(rc) && retried {
                tries += 1;
                YieldNow::new().await;
                continue;
            }
            return Some(rc);
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
    /// the connection; if it cannot be sent, the connection is freed here (a reset is
    /// coming or the partner is gone; either way nobody will answer).
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
        self.lock(|s| {
            if let Some(conn) = s.conns.get_mut(hmc_index as usize) {
                if conn.generation == generation && conn.state == ConnState::Closing {
                    conn.forget();
                }
            }
        });
        crate::trace_warn!(
            "hmc {=u8}: close not sent, session {=u8} rc={}, freed",
            hmc_index,
            session,
            rc
        );
        self.wake(hmc_index);
    }
}

/// Whether `rc` is worth another attempt: the hypervisor's queue was full, or busy.
fn again(rc: HcallRc) -> bool {
    rc == HcallRc::DROPPED || rc.is_busy()
}

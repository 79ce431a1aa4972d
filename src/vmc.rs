//! The driver instance: its state, its lock, and what it does with each inbound entry.
//!
//! One [`Vmc`] per VMC device. Three kinds of caller reach it:
//! - the tasks in `tasks.rs` (on the executor, in the bottom half): the CRQ task takes
//!   entries off the queue and hands each to [`Vmc::dispatch`]; the link task runs the
//!   handshake and resets; one session task per HMC index sends Interface Open and
//!   Close;
//! - the file operations, through `api.rs` (process context);
//! - the interrupt handler, through [`Vmc::interrupt`] (hard-IRQ context).
//!
//! All state sits behind one lock (embassy-sync's blocking mutex over the platform's
//! critical section: an irq-saving spinlock in the kernel). The rule, stated here once
//! (the README and `hv.rs` point here): it is held for field updates, for H_SEND_CRQ,
//! and for the outbound H_COPY_RDMA of a write's message or an open's HMC ID (up to one
//! MTU), because the check that the session is still current and those hcalls must be
//! one step, or a message of a reset session could reach the next one; none of these
//! sleeps. It is never held across an inbound H_COPY_RDMA, a copy to or from user
//! space, a wake, or anything that takes it again. (The cost, interrupts off for one
//! outbound RDMA of up to an MTU on one global lock, has not been measured yet.)

use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::AtomicBool;
use core::sync::atomic::Ordering;
use core::task::Context;
use core::task::Poll;

use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::blocking_mutex::Mutex;
use embassy_sync::channel::Channel;
use embassy_sync::signal::Signal;
use futures_util::future::select;
use futures_util::future::Either;

use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::LocalBuf;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::params::Params;
use crate::params::MAX_HMCS;
use crate::state::Buf;
use crate::state::ConnState;
use crate::state::DriverState;
use crate::state::Negotiated;
use crate::state::ResetCause;
use crate::state::State;
use crate::state::Stats;
use crate::wire::BufferOwner;
use crate::wire::Capabilities;
use crate::wire::CrqRepr;
use crate::wire::Status;
use crate::wire::TransportEvent;
use crate::wire::version_compatible;
use crate::wire::VmcMessage;
use crate::wire::HMC_ID_LEN;
use crate::wire::CRQ_ENTRY_SIZE;

/// The lock flavour of every embassy-sync primitive in the core.
pub(crate) type Cs = CriticalSectionRawMutex;

/// How many times an hcall made under the core's lock (H_SEND_CRQ, a write's
/// H_COPY_RDMA) or by H_REQUEST_VMC is repeated at once while it answers H_BUSY or
/// long-busy (H_SEND_CRQ busy is brief). A task that still sees busy after that sleeps
/// and tries again (`retry.rs`); a file operation returns the error.
pub(crate) const BUSY_RETRIES: u32 = 16;

/// Entries the CRQ task dispatches before it yields, so a flood cannot monopolise the
/// bottom half.
pub(crate) const DRAIN_BUDGET: u32 = 64;

/// Timer slots ([`Timers`]): one per task that waits on time.
pub const TIMER_SLOTS: usize = 2 + MAX_HMCS;
/// The link task's timer slot.
pub(crate) const LINK_TIMER: u8 = 0;
/// The CRQ task's timer slot.
pub(crate) const CRQ_TIMER: u8 = 1;

/// The timer slot of the session task of connection `hmc_index`.
pub(crate) const fn session_timer(hmc_index: u8) -> u8 {
    2 + hmc_index
}

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
const LINK_EVENTS: usize = 4;

/// One VMC device's driver core.
///
/// `D` is the hypervisor (pseries hcalls or the simulator), `W` the platform's wait
/// queues, `T` its timers. Build it with [`Vmc::new`], put it somewhere `'static` (a `StaticCell`), and
/// spawn its tasks ([`Vmc::run_crq`], [`Vmc::run_link`], [`Vmc::run_session`] for each
/// index below `params.max_hmcs()`) on the executor.
pub struct Vmc<D: Device, W: Waiters, T: Timers> {
    pub(crate) dev: D,
    pub(crate) waiters: W,
    pub(crate) timers: T,
    pub(crate) params: Params,
    local: &'static [LocalBuf],
    state: Mutex<Cs, State>,
    /// Raised by [`Vmc::interrupt`]; the CRQ task waits on it.
    pub(crate) irq: Signal<Cs, ()>,
    /// Handshake messages for the link task.
    pub(crate) link: Channel<Cs, LinkEvent, LINK_EVENTS>,
    /// A reset to perform; causes seen before the link task takes it combine into the
    /// one whose recovery covers them all ([`ResetCause::combine`]).
    pub(crate) reset: Signal<Cs, ResetCause>,
    /// Kicks for the session tasks: "look at your connection".
    pub(crate) session_kick: [Signal<Cs, ()>; MAX_HMCS],
    /// Raised by [`Vmc::timer_expired`], one per timer slot.
    timer_fired: [Signal<Cs, ()>; TIMER_SLOTS],
    /// The device is gone ([`Vmc::remove`]): nothing it sends is looked at any more.
    removed: AtomicBool,
}

/// Why [`Vmc::new`] refused its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum SetupError {
    /// Fewer local buffers than `params.local_buffers()`.
    TooFewBuffers,
    /// A local buffer shorter than `params.max_mtu()`.
    BufferTooSmall,
}

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    /// A driver for `dev`, waking `waiters`, sleeping on `timers`, with the (already
    /// clamped) `params` and the platform's `local` message buffers:
    /// `params.local_buffers()` of them, each at least `params.max_mtu()` bytes, indexed
    /// `hmc_index * buf_pool_size + buffer_id`.
    pub fn new(dev: D, waiters: W, timers: T, params: Params, local: &'static [LocalBuf]) -> Result<Self, SetupError> {
        if local.len() < params.local_buffers() {
            return Err(SetupError::TooFewBuffers);
        }
        if local.iter().any(|buf| buf.len() < params.max_mtu() as usize) {
            return Err(SetupError::BufferTooSmall);
        }
        Ok(Vmc {
            dev,
            waiters,
            timers,
            params,
            local,
            state: Mutex::new(const { State::new() }),
            irq: Signal::new(),
            link: Channel::new(),
            reset: Signal::new(),
            session_kick: [const { Signal::new() }; MAX_HMCS],
            timer_fired: [const { Signal::new() }; TIMER_SLOTS],
            removed: AtomicBool::new(false),
        })
    }

    /// The parameters this driver runs with.
    pub fn params(&self) -> Params {
        self.params
    }

    /// The hypervisor device.
    pub fn device(&self) -> &D {
        &self.dev
    }

    /// The platform's timers.
    pub fn timers(&self) -> &T {
        &self.timers
    }

    /// Called by the platform's interrupt handler after it disabled the queue's
    /// interrupt: wakes the CRQ task. Safe in hard-IRQ context.
    pub fn interrupt(&self) {
        self.irq.signal(());
    }

    /// Called by the platform when timer `slot` fires (see [`Timers::arm`]): wakes the
    /// task sleeping on it. Safe in hard-IRQ context; a slot out of range is ignored.
    pub fn timer_expired(&self, slot: u8) {
        if let Some(fired) = self.timer_fired.get(slot as usize) {
            fired.signal(());
        }
    }

    /// Sleeps `delay_us` on timer `slot`. The timer is disarmed if the future is dropped
    /// first; an early or stale firing is slept through (the deadline is checked on
    /// every wake).
    pub(crate) async fn sleep(&self, slot: u8, delay_us: u64) {
        let Some(fired) = self.timer_fired.get(slot as usize) else {
            return;
        };
        let deadline = self.timers.now_us().saturating_add(delay_us);
        let _disarm = Disarm { timers: &self.timers, slot };
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
    pub(crate) async fn within<R>(&self, slot: u8, delay_us: u64, f: impl Future<Output = R>) -> Option<R> {
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

    /// Runs `f` on the state under the lock.
    ///
    /// Every closure passed here (in `vmc.rs`, `tasks.rs` and `api.rs`) updates the
    /// state it is given and calls nothing that takes this lock again: no hcall, no
    /// wake, no user copy, no other `lock`. That is the one rule of the core's locking,
    /// and it is also what makes the `&mut` below unique. (A `RefCell` would check it at
    /// run time, but its failure path is a panic, and the kernel build must have none.)
    pub(crate) fn lock<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        // SAFETY: `lock_mut` requires that it is not re-entered for this mutex while
        // `f` runs. The critical section excludes every other CPU and interrupt, and
        // on this CPU `f` never calls `lock` (the rule above, kept by every closure in
        // this crate), so this is the only `&mut State` in existence.
        unsafe { self.state.lock_mut(f) }
    }

    /// A copy of the counters.
    pub fn stats(&self) -> Stats {
        self.lock(|s| s.stats)
    }

    /// A summary of the state (debugfs `state`), small enough for a kernel stack.
    pub fn summary(&self) -> crate::state::Summary {
        self.lock(|s| s.summary())
    }

    /// A copy of the whole state, for tests (about 2 KiB: not for a kernel stack).
    pub fn snapshot(&self) -> State {
        self.lock(|s| s.clone())
    }

    /// The driver's state.
    pub fn driver_state(&self) -> DriverState {
        self.lock(|s| s.driver)
    }

    /// The local buffer of (`hmc_index`, `buffer_id`), if both are in range of the
    /// parameters (the negotiated values are never larger).
    pub(crate) fn local(&self, hmc_index: u8, buffer_id: u8) -> Option<&'static LocalBuf> {
        let pool = self.params.buf_pool_size() as usize;
        if hmc_index >= self.params.max_hmcs() || buffer_id as usize >= pool {
            return None;
        }
        self.local.get(hmc_index as usize * pool + buffer_id as usize)
    }

    /// Wakes the waiters of connection `index`.
    pub(crate) fn wake(&self, index: u8) {
        crate::trace_trace!("hmc {=u8}: waking the waiters", index);
        self.waiters.wake(index);
    }

    /// Has the session task of connection `index` look at it (an open or close to
    /// send, or the response it waits for has come).
    pub(crate) fn kick_session(&self, index: u8) {
        if let Some(kick) = self.session_kick.get(index as usize) {
            kick.signal(());
        }
    }

    /// Wakes the waiters of every connection.
    pub(crate) fn wake_all(&self) {
        crate::trace_trace!("driver: waking the waiters of every connection");
        for index in 0..self.params.max_hmcs() {
            self.waiters.wake(index);
        }
    }

    /// Sends one entry, repeating H_BUSY up to [`BUSY_RETRIES`] times, and counts the
    /// outcome. Runs under the lock (the caller's `s`): H_SEND_CRQ never sleeps, and
    /// sending while the state cannot change is what keeps a Signal, an Open or a Close
    /// from crossing a reset (the check of the session's generation and the send are
    /// one step). Nothing in it takes the lock again.
    pub(crate) fn send_locked(&self, s: &mut State, repr: CrqRepr) -> HcallRc {
        self.send_entry(s, repr, false)
    }

    /// [`Vmc::send_locked`], for a caller that sends the entry again if it comes back
    /// H_DROPPED or busy: with `quiet`, the trace does not show such an attempt.
    pub(crate) fn send_entry(&self, s: &mut State, repr: CrqRepr, quiet: bool) -> HcallRc {
        let entry = repr.to_bytes();
        let rc = while_busy(|| self.dev.send_crq(&entry), |rc| *rc);
        if rc.is_success() {
            s.stats.crq_out += 1;
            crate::trace_debug!("crq out: {} rc={}", repr, rc);
        } else {
            s.count_hcall(rc);
            if !(quiet && (rc == HcallRc::DROPPED || rc.is_busy())) {
                crate::trace_warn!("crq out: {} rc={}", repr, rc);
            }
        }
        rc
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

    /// Handles one entry taken off the queue.
    pub(crate) async fn dispatch(&self, raw: [u8; CRQ_ENTRY_SIZE]) {
        if self.is_removed() {
            return;
        }
        self.lock(|s| s.stats.crq_in += 1);
        let repr = match CrqRepr::from_bytes(&raw) {
            Ok(repr) => repr,
            Err(err) => {
                crate::trace_warn!("crq in: undecodable {=[u8]:#04x}: {}, dropped", raw, err);
                self.drop_invalid();
                return;
            }
        };
        crate::trace_debug!("crq in: {}", repr);
        match repr {
            CrqRepr::Empty => {}
            CrqRepr::Init => self.partner_init(),
            CrqRepr::InitComplete => self.link_event(LinkEvent::InitComplete),
            CrqRepr::Transport(event) => self.transport_event(event),
            CrqRepr::Vmc(message) => self.vmc_message(message).await,
        }
    }

    fn drop_invalid(&self) {
        self.lock(|s| s.stats.dropped_invalid += 1);
    }

    fn link_event(&self, event: LinkEvent) {
        if self.link.try_send(event).is_err() {
            crate::trace_warn!("link: inbox full, dropped {}", event);
            self.drop_invalid();
        }
    }

    /// The partner's Initialize: part of the handshake while we are in it; at any later
    /// point the partner restarted and lost every session, so we reset (the C driver
    /// only logged it, defect 19).
    fn partner_init(&self) {
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
    fn transport_event(&self, event: TransportEvent) {
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

    async fn vmc_message(&self, message: VmcMessage) {
        match message {
            VmcMessage::CapabilitiesResponse { status, capabilities } => {
                self.capabilities_response(status, &capabilities)
            }
            VmcMessage::InterfaceOpenResponse { status, hmc_session, hmc_index, buffer_id } => {
                self.open_response(status, hmc_session, hmc_index, buffer_id)
            }
            VmcMessage::InterfaceCloseResponse { status, hmc_session, hmc_index } => {
                self.close_response(status, hmc_session, hmc_index)
            }
            VmcMessage::AddBuffer { hmc_session, hmc_index, buffer_id, owner, lioba } => {
                self.add_buffer(hmc_session, hmc_index, buffer_id, owner, lioba).await
            }
            VmcMessage::RemoveBuffer { hmc_session, hmc_index } => {
                self.remove_buffer(hmc_session, hmc_index).await
            }
            VmcMessage::Signal { hmc_session, hmc_index, buffer_id, msg_len } => {
                self.signal(hmc_session, hmc_index, buffer_id, msg_len).await
            }
            // Messages only the management partition sends, or responses to requests
            // the hypervisor never makes of us: a confused partner. Signal has no
            // response (the C driver answered a bad one with Add Buffer Response,
            // defect 13), and neither do these.
            VmcMessage::Capabilities(_)
            | VmcMessage::InterfaceOpen { .. }
            | VmcMessage::InterfaceClose { .. }
            | VmcMessage::AddBufferResponse { .. }
            | VmcMessage::RemoveBufferResponse { .. } => {
                crate::trace_warn!("crq in: unexpected from hypervisor, dropped: {}", message);
                self.drop_invalid();
            }
        }
    }

    /// Capabilities Response: applied here, not in the link task, because the Add
    /// Buffers right behind it in the queue are only valid once the driver is ready.
    fn capabilities_response(&self, status: Status, theirs: &Capabilities) {
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

    fn open_response(&self, status: Status, hmc_session: u8, hmc_index: u8, buffer_id: u16) {
        let woke = self.lock(|s| {
            let conn = match s.conns.get_mut(hmc_index as usize) {
                Some(conn) if matches!(conn.state, ConnState::Opening | ConnState::Closing) => conn,
                _ => {
                    s.stats.dropped_invalid += 1;
                    return false;
                }
            };
            if conn.session != hmc_session || conn.open_pending {
                s.stats.dropped_invalid += 1;
                return false;
            }
            // The buffer that carried the HMC ID comes back to us. The response can only
            // mean the one buffer the open lent: one that names another (not ours to
            // take, or not a buffer at all) still ends the open, and still gives the
            // lent buffer back; otherwise it would stay lent for good (on a pool of one,
            // the session could never write, nor would poll() say why). The wrong field
            // is counted.
            let lent = conn.id_buffer;
            if buffer_id != lent as u16 {
                s.stats.dropped_invalid += 1;
                crate::trace_warn!(
                    "hmc {=u8}: open response names buffer {=u16}, the open lent {=u8}",
                    hmc_index,
                    buffer_id,
                    lent
                );
            }
            if let Some(Buf::OpenLent { lioba }) = conn.bufs.get(lent as usize).copied() {
                conn.release_buffer(lent, lioba);
            }
            if conn.state == ConnState::Opening {
                let to = if status.is_success() { ConnState::Ready } else { ConnState::Failed };
                conn.set_state(to);
            }
            true
        });
        if woke {
            crate::trace_info!(
                "hmc {=u8}: open response {} session {=u8}",
                hmc_index,
                status,
                hmc_session
            );
            self.wake(hmc_index);
            self.kick_session(hmc_index);
        } else {
            crate::trace_warn!(
                "hmc {=u8}: unexpected open response session {=u8}, dropped",
                hmc_index,
                hmc_session
            );
        }
    }

    fn close_response(&self, status: Status, hmc_session: u8, hmc_index: u8) {
        let done = self.lock(|s| match s.conns.get_mut(hmc_index as usize) {
            Some(conn) if conn.state == ConnState::Closing && conn.session == hmc_session && conn.close_sent => {
                conn.forget();
                true
            }
            _ => {
                s.stats.dropped_invalid += 1;
                false
            }
        });
        if done {
            crate::trace_info!(
                "hmc {=u8}: closed, status {} session {=u8}",
                hmc_index,
                status,
                hmc_session
            );
            self.wake(hmc_index);
            self.kick_session(hmc_index);
        } else {
            crate::trace_warn!(
                "hmc {=u8}: unexpected close response session {=u8}, dropped",
                hmc_index,
                hmc_session
            );
        }
    }

    /// Add Buffer: check everything the hypervisor says, take the buffer, answer.
    async fn add_buffer(&self, hmc_session: u8, hmc_index: u8, buffer_id: u16, owner: BufferOwner, lioba: u32) {
        let status = self.lock(|s| {
            let negotiated = agreed(s)?;
            if hmc_index >= negotiated.max_hmcs {
                return Some(Status::InvalidHmcIndex);
            }
            let Some(conn) = s.conns.get_mut(hmc_index as usize) else {
                return Some(Status::InvalidHmcIndex);
            };
            match conn.state {
                // A connection in use takes buffers of its own session only.
                ConnState::Opening | ConnState::Ready if conn.session != hmc_session => {
                    return Some(Status::ClosedHmc)
                }
                ConnState::Closing | ConnState::Failed => return Some(Status::ClosedHmc),
                _ => {}
            }
            if buffer_id >= negotiated.pool_size {
                return Some(Status::InvalidBufferId);
            }
            let id = buffer_id as u8;
            match conn.bufs.get(id as usize) {
                Some(Buf::Invalid) => {}
                // Already added: a duplicate.
                _ => return Some(Status::InvalidBufferId),
            }
            match owner {
                BufferOwner::ManagementPartition => conn.release_buffer(id, lioba),
                BufferOwner::Hypervisor => conn.set_buf(id, Buf::Hypervisor { lioba }),
                BufferOwner::Other(_) => return Some(Status::InterfaceFailure),
            }
            Some(Status::Success)
        });
        let Some(status) = status else {
            crate::trace_warn!(
                "hmc {=u8}: add buffer {=u16} before capabilities, dropped",
                hmc_index,
                buffer_id
            );
            return;
        };
        if !status.is_success() {
            crate::trace_warn!(
                "hmc {=u8}: add buffer {=u16} owner {} refused: {}",
                hmc_index,
                buffer_id,
                owner,
                status
            );
            self.drop_invalid();
        }
        let response = CrqRepr::Vmc(VmcMessage::AddBufferResponse { status, hmc_session, hmc_index, buffer_id });
        let rc = self.send_retrying(CRQ_TIMER, response).await;
        if !rc.is_success() {
            // The hypervisor does not know whether we took the buffer: only a new
            // registration puts both sides on the same footing again.
            self.stall("add buffer response not sent");
            return;
        }
        if status.is_success() {
            self.wake(hmc_index);
        }
    }

    /// Remove Buffer: give back a free buffer of ours, never the last one (LoPAR calls
    /// removing it an interface error: we would have nothing to send with).
    async fn remove_buffer(&self, hmc_session: u8, hmc_index: u8) {
        let answer = self.lock(|s| {
            let negotiated = agreed(s)?;
            if hmc_index >= negotiated.max_hmcs {
                return Some((Status::InvalidHmcIndex, crate::wire::INVALID_BUFFER_ID));
            }
            let Some(conn) = s.conns.get_mut(hmc_index as usize) else {
                return Some((Status::InvalidHmcIndex, crate::wire::INVALID_BUFFER_ID));
            };
            // A connection that has had a session gives buffers to that session only (a
            // Remove Buffer naming an earlier one is stale), and none while it closes
            // (the close gives them all back).
            match conn.state {
                ConnState::Opening | ConnState::Ready | ConnState::Failed if conn.session != hmc_session => {
                    return Some((Status::ClosedHmc, crate::wire::INVALID_BUFFER_ID))
                }
                ConnState::Closing => return Some((Status::ClosedHmc, crate::wire::INVALID_BUFFER_ID)),
                _ => {}
            }
            let ours = conn
                .bufs
                .iter()
                .filter(|b| !matches!(b, Buf::Invalid | Buf::Hypervisor { .. } | Buf::OpenLent { .. }))
                .count();
            if ours <= 1 {
                return Some((Status::NoBuffer, crate::wire::INVALID_BUFFER_ID));
            }
            match conn.free.pop() {
                Some(id) => {
                    conn.set_buf(id, Buf::Invalid);
                    Some((Status::Success, id as u16))
                }
                None => Some((Status::NoBuffer, crate::wire::INVALID_BUFFER_ID)),
            }
        });
        let Some((status, buffer_id)) = answer else {
            crate::trace_warn!("hmc {=u8}: remove buffer before capabilities, dropped", hmc_index);
            return;
        };
        if !status.is_success() {
            crate::trace_warn!("hmc {=u8}: remove buffer refused: {}", hmc_index, status);
        }
        let response = CrqRepr::Vmc(VmcMessage::RemoveBufferResponse { status, hmc_session, hmc_index, buffer_id });
        let rc = self.send_retrying(CRQ_TIMER, response).await;
        if !rc.is_success() {
            // The buffer is given up here but still ours at the hypervisor (or the
            // other way round, had we kept it): reset, as for Add Buffer.
            self.stall("remove buffer response not sent");
        }
    }

    /// Signal from the hypervisor: an HMC message waits in one of its buffers. RDMA it
    /// into our buffer of the same ID (which becomes ours), queue it for the session's
    /// reader, and wake that session only.
    async fn signal(&self, hmc_session: u8, hmc_index: u8, buffer_id: u16, msg_len: u32) {
        let accepted = self.lock(|s| {
            let negotiated = match (s.driver, s.negotiated) {
                (DriverState::Ready, Some(n)) => n,
                _ => return None,
            };
            if hmc_index >= negotiated.max_hmcs || buffer_id >= negotiated.pool_size {
                return None;
            }
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.state != ConnState::Ready || conn.session != hmc_session {
                return None;
            }
            let id = buffer_id as u8;
            let Some(&Buf::Hypervisor { lioba }) = conn.bufs.get(id as usize) else {
                return None;
            };
            // Bounded by the buffer (and MTU) size: the C driver once trusted it
            // (defect 14). The Signal still hands the buffer over (LoPAR: the sender
            // gives up the buffer it signals), so it becomes a free one of ours rather
            // than one nobody holds.
            if msg_len == 0 || msg_len > negotiated.mtu {
                conn.release_buffer(id, lioba);
                return Some(Err(id));
            }
            // In transit: ours, but not yet readable.
            conn.set_buf(id, Buf::Receiving { lioba });
            Some(Ok((id, lioba, conn.generation)))
        });
        let accepted = match accepted {
            Some(Err(id)) => {
                crate::trace_warn!(
                    "hmc {=u8}: signal of buffer {=u8} with bad length {=u32}, message dropped, buffer ours",
                    hmc_index,
                    id,
                    msg_len
                );
                self.drop_invalid();
                // A send buffer is free.
                self.wake(hmc_index);
                return;
            }
            Some(Ok(accepted)) => Some(accepted),
            None => None,
        };
        let Some((id, lioba, generation)) = accepted else {
            crate::trace_warn!(
                "hmc {=u8}: bad signal session {=u8} buffer {=u16} len {=u32}, dropped",
                hmc_index,
                hmc_session,
                buffer_id,
                msg_len
            );
            self.drop_invalid();
            return;
        };
        let rc = match self.local(hmc_index, id) {
            Some(local) => {
                let mut guard = local.borrow();
                let mut waits = 0;
                while guard.is_none() && waits < crate::retry::BORROW_WAITS {
                    let wait = crate::retry::doubling(crate::retry::BORROW_WAIT_US, waits, crate::retry::BORROW_WAIT_MAX_US);
                    self.sleep(CRQ_TIMER, wait).await;
                    waits += 1;
                    guard = local.borrow();
                }
                match guard {
                    Some(mut guard) => {
                        let ioba = guard.ioba();
                        match guard.bytes().get_mut(..msg_len as usize) {
                            Some(bytes) => self.dev.rdma_from_hv(lioba, bytes, ioba),
                            None => HcallRc::PARAMETER,
                        }
                    }
                    None => HcallRc::BUSY,
                }
            }
            None => HcallRc::PARAMETER,
        };
        let queued = self.lock(|s| {
            if !rc.is_success() {
                s.count_hcall(rc);
                s.stats.dropped_rdma += 1;
            }
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.generation != generation {
                return None;
            }
            if rc.is_success() {
                conn.set_buf(id, Buf::Queued { lioba, len: msg_len });
                conn.rx.push_back(id);
                s.stats.msgs_in += 1;
                s.stats.bytes_in += msg_len as u64;
                Some(true)
            } else {
                // The message is lost, but the buffer is ours now: keep it usable
                // (the C driver leaked it, defect 14).
                conn.release_buffer(id, lioba);
                Some(false)
            }
        });
        // One frame for the H_COPY_RDMA and what became of the message.
        match queued {
            Some(true) => {
                crate::trace_debug!(
                    "hmc {=u8}: message in buffer {=u8}, {=u32} bytes, H_COPY_RDMA rc={}",
                    hmc_index,
                    id,
                    msg_len,
                    rc
                );
                self.wake(hmc_index);
            }
            Some(false) => {
                crate::trace_error!(
                    "hmc {=u8}: message in buffer {=u8}, {=u32} bytes, lost: H_COPY_RDMA rc={}",
                    hmc_index,
                    id,
                    msg_len,
                    rc
                );
                self.wake(hmc_index);
            }
            None => crate::trace_warn!(
                "hmc {=u8}: message in buffer {=u8} discarded (reset session), H_COPY_RDMA rc={}",
                hmc_index,
                id,
                rc
            ),
        }
    }
}

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

/// The capabilities agreed, if the driver is ready; otherwise the HMC interface message
/// being handled is dropped unanswered (LoPAR: before capabilities are agreed they are
/// dropped), and counted.
fn agreed(s: &mut State) -> Option<Negotiated> {
    match (s.driver, s.negotiated) {
        (DriverState::Ready, Some(n)) => Some(n),
        _ => {
            s.stats.dropped_invalid += 1;
            None
        }
    }
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

/// A future that returns `Pending` once, after waking itself: lets the executor run
/// other tasks (futures-util has no `yield_now`).
pub(crate) struct YieldNow {
    yielded: bool,
}

impl YieldNow {
    pub(crate) fn new() -> Self {
        YieldNow { yielded: false }
    }
}

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            Poll::Ready(())
        } else {
            self.yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

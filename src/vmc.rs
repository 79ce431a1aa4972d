// SPDX-License-Identifier: GPL-2.0-or-later
//! The driver instance: its state, its lock, the CRQ task and the dispatch of each
//! inbound entry to the concept it belongs to.
//!
//! One [`Vmc`] per VMC device; its methods live with their concept:
//! - `link.rs`: registration, handshake, capabilities, transport events, resets,
//!   removal (the link task);
//! - `session.rs`: SETHMCID, Interface Open and Close, release (the session tasks);
//! - `transfer.rs`: write, Signal, read, poll, Add and Remove Buffer;
//! - `retry.rs`: the hcall retry policy, the timeouts, and sleeping on a timer;
//! - `api.rs`: the file's types and the device-wide ioctls (QUERY, REQUESTVMC).
//!
//! Three kinds of caller reach it: the tasks (on the executor, in the bottom half: the
//! CRQ task here takes entries off the queue and hands each to [`Vmc::dispatch`]), the
//! file operations (process context), and the interrupt handler, through
//! [`Vmc::interrupt`] (hard-IRQ context).
//!
//! All state sits behind one lock (embassy-sync's blocking mutex over the platform's
//! critical section: an irq-saving spinlock in the kernel). The rule, stated here once
//! (the README and `hv.rs` point here): it is held for field updates, for H_SEND_CRQ,
//! and for the outbound H_COPY_RDMA of a write's message or an open's HMC ID (up to one
//! MTU), because the check that the session is still current and those hcalls must be
//! one step, or a message of a reset session could reach the next one; none of these
//! sleeps. It is never held across an inbound H_COPY_RDMA, a copy to or from user
//! space, a wake, or anything that takes it again. The cost, interrupts off for one
//! outbound RDMA of up to an MTU and a Signal on one global lock, is measured by
//! `tools/bench/pseries.sh` (debugfs `stats`: `write_locked*`; figures in
//! `tools/bench/BENCHMARKS.md`).

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
use futures_util::task::AtomicWaker;

use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::LocalBuf;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::link::LinkEvent;
use crate::link::LINK_EVENTS;
use crate::params::Params;
use crate::params::MAX_HMCS;
use crate::retry::while_busy;
use crate::state::DriverState;
use crate::state::ResetCause;
use crate::state::State;
use crate::state::Stats;
use crate::wire::CrqRepr;
use crate::wire::VmcMessage;
use crate::wire::CRQ_ENTRY_SIZE;

/// The lock flavour of every embassy-sync primitive in the core.
pub(crate) type Cs = CriticalSectionRawMutex;

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

/// The protocol state of one [`Vmc`]: the bulk of the core (about 2.1 KiB), kept out of
/// the `Vmc` value so that it never has to be built on a stack. It is `const`: a
/// platform with small stacks (a kernel's, 8 KiB on the ppc64le test kernel) gives it a
/// `static`, so it sits initialised in the image. One `Vmc` at a time claims it
/// ([`Vmc::new`]); dropping that `Vmc` makes it fresh and free again.
pub struct CoreState {
    state: Mutex<Cs, State>,
    claimed: AtomicBool,
}

impl CoreState {
    /// A fresh state, before any handshake. For a `static`'s initialiser (or a host's
    /// heap): built at run time it took a 3.7 KiB frame on ppc64le, so `#[inline]`
    /// keeps it out of the module's objects unless something calls it (tools/check/frames.py).
    // No `Default`: a non-generic trait impl is compiled into the module whether used
    // or not, with that frame.
    #[allow(clippy::new_without_default)]
    #[inline]
    pub const fn new() -> Self {
        CoreState {
            state: Mutex::new(State::new()),
            claimed: AtomicBool::new(false),
        }
    }
}

/// One VMC device's driver core.
///
/// `D` is the hypervisor (pseries hcalls or the simulator), `W` the platform's wait
/// queues, `T` its timers. Build it with [`Vmc::new`] over a [`CoreState`], put it
/// somewhere `'static` (the module: a `StaticCell`), and spawn its tasks
/// ([`Vmc::run_crq`], [`Vmc::run_link`], [`Vmc::run_session`] for each index below
/// `params.max_hmcs()`) on the executor.
pub struct Vmc<D: Device, W: Waiters, T: Timers> {
    pub(crate) dev: D,
    pub(crate) waiters: W,
    pub(crate) timers: T,
    pub(crate) params: Params,
    pub(crate) local: &'static [LocalBuf],
    /// Claimed by this driver alone (see [`Vmc::lock`]).
    pub(crate) state: &'static CoreState,
    /// Raised by [`Vmc::interrupt`]; the CRQ task waits on it.
    pub(crate) irq: IrqFlag,
    /// Handshake messages for the link task.
    pub(crate) link: Channel<Cs, LinkEvent, LINK_EVENTS>,
    /// A reset to perform; causes seen before the link task takes it combine into the
    /// one whose recovery covers them all ([`ResetCause::combine`]).
    pub(crate) reset: Signal<Cs, ResetCause>,
    /// Kicks for the session tasks: "look at your connection".
    pub(crate) session_kick: [Signal<Cs, ()>; MAX_HMCS],
    /// Raised by [`Vmc::timer_expired`], one per timer slot.
    pub(crate) timer_fired: [Signal<Cs, ()>; TIMER_SLOTS],
    /// The device is gone ([`Vmc::remove`]): nothing it sends is looked at any more.
    pub(crate) removed: AtomicBool,
}

/// A driver that goes away leaves its [`CoreState`] fresh and free for the next one (a
/// host test's or a fuzzer's next driver; the module's core lives as long as the module
/// and is never dropped).
impl<D: Device, W: Waiters, T: Timers> Drop for Vmc<D, W, T> {
    fn drop(&mut self) {
        // A `const` block: copied from the image, never built on the stack.
        self.lock(|s| *s = const { State::new() });
        self.state.claimed.store(false, Ordering::Release);
    }
}

/// Why [`Vmc::new`] refused its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum SetupError {
    /// Fewer local buffers than `params.local_buffers()`.
    TooFewBuffers,
    /// A local buffer shorter than `params.max_mtu()`.
    BufferTooSmall,
    /// The [`CoreState`] belongs to another driver already.
    StateInUse,
}

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    /// A driver for `dev`, waking `waiters`, sleeping on `timers`, with the (already
    /// clamped) `params` and the platform's `local` message buffers:
    /// `params.local_buffers()` of them, each at least `params.max_mtu()` bytes, indexed
    /// `hmc_index * buf_pool_size + buffer_id`; its protocol state lives in `state`,
    /// which a fresh driver claims (a second claim is [`SetupError::StateInUse`]).
    pub fn new(
        dev: D,
        waiters: W,
        timers: T,
        params: Params,
        local: &'static [LocalBuf],
        state: &'static CoreState,
    ) -> Result<Self, SetupError> {
        if local.len() < params.local_buffers() {
            return Err(SetupError::TooFewBuffers);
        }
        if local
            .iter()
            .any(|buf| buf.len() < params.max_mtu() as usize)
        {
            return Err(SetupError::BufferTooSmall);
        }
        if state.claimed.swap(true, Ordering::AcqRel) {
            return Err(SetupError::StateInUse);
        }
        Ok(Vmc {
            dev,
            waiters,
            timers,
            params,
            local,
            state,
            irq: IrqFlag::new(),
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
        self.irq.raise();
    }

    /// Called by the platform when timer `slot` fires (see [`Timers::arm`]): wakes the
    /// task sleeping on it. Safe in hard-IRQ context; a slot out of range is ignored.
    pub fn timer_expired(&self, slot: u8) {
        if let Some(fired) = self.timer_fired.get(slot as usize) {
            fired.signal(());
        }
    }

    /// Runs `f` on the state under the lock.
    ///
    /// Every closure passed here (in every file of the core) updates the
    /// state it is given and calls nothing that takes this lock again: no hcall, no
    /// wake, no user copy, no other `lock`. That is the one rule of the core's locking,
    /// and it is also what makes the `&mut` below unique. (A `RefCell` would check it at
    /// run time, but its failure path is a panic, and the kernel build must have none.)
    ///
    /// Inline: called several times per message, and the closures are small; out of
    /// line, each instance passes the closure's captures and result through memory.
    #[inline(always)]
    pub(crate) fn lock<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        // SAFETY: `lock_mut` requires that it is not re-entered for this mutex while
        // `f` runs. The mutex is this driver's alone (`new` claimed its `CoreState`,
        // given back only by `drop`, after the last `lock`), the critical section excludes every other
        // CPU and interrupt, and on this CPU `f` never calls `lock` (the rule above,
        // kept by every closure in this crate), so this is the only `&mut State` in
        // existence.
        unsafe { self.state.state.lock_mut(f) }
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
        self.local
            .get(hmc_index as usize * pool + buffer_id as usize)
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

    /// Handles one entry taken off the queue.
    pub(crate) async fn dispatch(&self, raw: [u8; CRQ_ENTRY_SIZE]) {
        if self.is_removed() {
            return;
        }
        let repr = match CrqRepr::from_bytes(&raw) {
            Ok(repr) => repr,
            Err(err) => {
                crate::trace_warn!("crq in: undecodable {=[u8]:#04x}: {}, dropped", raw, err);
                self.lock(|s| {
                    s.stats.crq_in += 1;
                    s.stats.dropped_invalid += 1;
                });
                return;
            }
        };
        crate::trace_debug!("crq in: {}", repr);
        // Every entry is counted in `crq_in` once. A Signal (the entry of every inbound
        // message, and the answer to every outbound one) is counted by `signal()` in
        // its first lock round trip; any other entry here, before its handler.
        if !matches!(repr, CrqRepr::Vmc(VmcMessage::Signal { .. })) {
            self.lock(|s| s.stats.crq_in += 1);
        }
        match repr {
            CrqRepr::Empty => {}
            CrqRepr::Init => self.partner_init(),
            CrqRepr::InitComplete => self.link_event(LinkEvent::InitComplete),
            CrqRepr::Transport(event) => self.transport_event(event),
            CrqRepr::Vmc(message) => self.vmc_message(message).await,
        }
    }

    pub(crate) fn drop_invalid(&self) {
        self.lock(|s| s.stats.dropped_invalid += 1);
    }

    async fn vmc_message(&self, message: VmcMessage) {
        match message {
            VmcMessage::CapabilitiesResponse {
                status,
                capabilities,
            } => self.capabilities_response(status, &capabilities),
            VmcMessage::InterfaceOpenResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            } => self.open_response(status, hmc_session, hmc_index, buffer_id),
            VmcMessage::InterfaceCloseResponse {
                status,
                hmc_session,
                hmc_index,
            } => self.close_response(status, hmc_session, hmc_index),
            VmcMessage::AddBuffer {
                hmc_session,
                hmc_index,
                buffer_id,
                owner,
                lioba,
            } => {
                self.add_buffer(hmc_session, hmc_index, buffer_id, owner, lioba)
                    .await
            }
            VmcMessage::RemoveBuffer {
                hmc_session,
                hmc_index,
            } => self.remove_buffer(hmc_session, hmc_index).await,
            VmcMessage::Signal {
                hmc_session,
                hmc_index,
                buffer_id,
                msg_len,
            } => {
                self.signal(hmc_session, hmc_index, buffer_id, msg_len)
                    .await
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
}

/// The CRQ task's interrupt: a flag and the waker of the task waiting for it.
///
/// Raised from hard-IRQ context ([`Vmc::interrupt`]), so it takes no lock, not even
/// the critical section (an embassy-sync `Signal` takes it twice per interrupt, once
/// to raise and once to be polled): [`IrqFlag::raise`] is an atomic store and
/// futures-util's `AtomicWaker::wake`, which is lock-free and never waits: if the task
/// is registering its waker at that moment (on another CPU, or on this one, interrupted
/// by this interrupt), `wake` only marks the waker as to be woken and returns, and
/// `register` wakes it itself as it finishes; nothing spins for the other side, so an
/// interrupt that lands in the middle of `register` on the same CPU cannot deadlock.
/// The wake itself is the executor's waker, which the `Signal` also called from the
/// interrupt (with interrupts off, as they are in a hard-IRQ handler).
///
/// Raises are not counted: the task drains the whole queue after each wake-up, so any
/// number of interrupts before it runs are one.
pub(crate) struct IrqFlag {
    raised: AtomicBool,
    waker: AtomicWaker,
}

impl IrqFlag {
    pub(crate) const fn new() -> Self {
        IrqFlag {
            raised: AtomicBool::new(false),
            waker: AtomicWaker::new(),
        }
    }

    /// Raises the flag and wakes the waiting task, if any. Safe in hard-IRQ context.
    pub(crate) fn raise(&self) {
        // Release: what the raiser did before (e.g. a registration of the queue) is
        // seen by the task that takes the flag.
        self.raised.store(true, Ordering::Release);
        self.waker.wake();
    }

    /// Takes the flag, if it is raised.
    fn take(&self) -> bool {
        self.raised.swap(false, Ordering::Acquire)
    }

    /// Waits until the flag is raised, and lowers it.
    pub(crate) fn wait(&self) -> impl Future<Output = ()> + '_ {
        core::future::poll_fn(move |cx| {
            if self.take() {
                return Poll::Ready(());
            }
            self.waker.register(cx.waker());
            // Raised between the check and the registration: its wake may have found
            // no waker (or the previous one), so look again.
            if self.take() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
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

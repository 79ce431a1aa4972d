// SPDX-License-Identifier: GPL-2.0-or-later
//! Driver and connection state, and the per-connection buffer pool.
//!
//! Everything here lives inside the core's one lock and is changed only by the
//! functions of the core's concept files (`link.rs`, `session.rs`, `transfer.rs`), whose headers draw each state's lifecycle; this file defines the shapes and the O(1)
//! operations on them.
//!
//! The driver's state, a connection's state and a buffer's owner change only through
//! [`State::set_driver`], [`Conn::set_state`] and [`Conn::set_buf`] (and
//! [`Conn::forget`], which logs the buffers it drops in one line), so that the trace
//! shows every change once, as `from -> to`.

use crate::params::MAX_HMCS;
use crate::params::MAX_POOL;

/// The driver's state, numbered as `VMC_IOCTL_QUERY` reports it (C `ibmvmc_states`).
///
/// The C driver kept this in a `u32` and compared it with `<`, so its `sched_reset = -1`
/// compared as the largest value and passed every "not ready" check (defect 6). Here
/// every check is a `match` on the variant; the number exists only for QUERY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum DriverState {
    /// -1: a reset is scheduled or running.
    SchedReset,
    /// 0: not started.
    Initial,
    /// 1: the CRQ is registered and the init handshake is under way.
    CrqInit,
    /// 2: capabilities sent, waiting for the response.
    Capabilities,
    /// 3: capabilities agreed; HMC connections may open.
    Ready,
    /// 4: the hypervisor said something we cannot work with; waiting for a reset.
    Failed,
}

impl DriverState {
    /// The value `VMC_IOCTL_QUERY` reports.
    pub const fn as_query(self) -> i32 {
        match self {
            DriverState::SchedReset => -1,
            DriverState::Initial => 0,
            DriverState::CrqInit => 1,
            DriverState::Capabilities => 2,
            DriverState::Ready => 3,
            DriverState::Failed => 4,
        }
    }
}

/// An HMC connection's state. The first five are the C driver's `ibmhmc_states`;
/// `Closing` is ours: the connection waits for Interface Close Response before anyone
/// may reuse it (the C driver freed it at once, defect 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum ConnState {
    /// 0: nobody holds the connection.
    Free,
    /// 1: a file holds it; no open was sent (or sending it failed).
    Initial,
    /// 2: Interface Open sent, waiting for its response.
    Opening,
    /// 3: open; messages flow.
    Ready,
    /// 4: the hypervisor refused the open.
    Failed,
    /// Interface Close sent, waiting for its response; no file holds it any more.
    Closing,
}

/// One buffer of a connection's pool, by who holds it. The variants carry the
/// buffer's address in the hypervisor's window (`lioba`), learnt from Add Buffer, and
/// a message's length (`len`) where there is one.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Buf {
    /// Never added, or removed, or forgotten at close or reset.
    Invalid,
    /// Owned by the hypervisor: it was added for hypervisor-to-partition messages. A
    /// Signal from the hypervisor hands it to us.
    Hypervisor { lioba: u32 },
    /// Owned by the hypervisor, holding a message we sent: one of our messages in
    /// flight (LoPAR's half-queue rule counts these). A Signal from the hypervisor
    /// hands it back to us.
    Sent { lioba: u32 },
    /// Ours and unused: on the free stack, ready for a write.
    Free { lioba: u32 },
    /// Reserved by a writer that is filling it and sending it.
    Writing { lioba: u32 },
    /// Lent to the hypervisor with Interface Open (it holds the HMC ID); the open's
    /// response gives it back.
    OpenLent { lioba: u32 },
    /// Holds a received message of `len` bytes, in the receive queue.
    Queued { lioba: u32, len: u32 },
    /// A Signal named it: the CRQ task is RDMAing the message in.
    Receiving { lioba: u32 },
    /// A reader is copying its message out.
    Reading { lioba: u32, len: u32 },
}

impl Buf {
    /// Writing or Sent: counted in [`Conn::sent`] (our messages being sent or in flight).
    #[inline(always)]
    fn in_flight(&self) -> bool {
        matches!(self, Buf::Writing { .. } | Buf::Sent { .. })
    }
}

/// A stack of buffer IDs: O(1) push and pop, no allocation.
#[derive(Debug, Clone)]
pub struct IdStack {
    ids: [u8; MAX_POOL],
    len: u8,
}

impl IdStack {
    /// An empty stack.
    pub const fn new() -> Self {
        IdStack {
            ids: [0; MAX_POOL],
            len: 0,
        }
    }

    /// Pushes `id`; false (and nothing changes) if full, which the callers' invariant
    /// (each buffer at most once) makes impossible.
    pub fn push(&mut self, id: u8) -> bool {
        match self.ids.get_mut(self.len as usize) {
            Some(slot) => {
                *slot = id;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// Pops the most recently pushed ID.
    pub fn pop(&mut self) -> Option<u8> {
        let top = self.len.checked_sub(1)?;
        self.len = top;
        self.ids.get(top as usize).copied()
    }

    /// Number of IDs held.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// The IDs held, bottom first.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        self.ids.iter().take(self.len as usize).copied()
    }

    /// Whether no ID is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Default for IdStack {
    fn default() -> Self {
        Self::new()
    }
}

/// A FIFO of buffer IDs (the receive queue): O(1) at both ends, no allocation. Each
/// buffer is in it at most once, so it cannot overflow (unlike the C driver's ring,
/// which wrapped onto unread messages, defect 15); a push onto a full ring is refused
/// and reported rather than overwriting.
#[derive(Debug, Clone)]
pub struct IdRing {
    ids: [u8; MAX_POOL],
    head: u8,
    len: u8,
}

impl IdRing {
    /// An empty ring.
    pub const fn new() -> Self {
        IdRing {
            ids: [0; MAX_POOL],
            head: 0,
            len: 0,
        }
    }

    fn slot(&self, offset: usize) -> usize {
        (self.head as usize + offset) % MAX_POOL
    }

    /// Appends `id` at the back; false if full.
    pub fn push_back(&mut self, id: u8) -> bool {
        if self.len as usize >= MAX_POOL {
            return false;
        }
        let at = self.slot(self.len as usize);
        match self.ids.get_mut(at) {
            Some(slot) => {
                *slot = id;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// Puts `id` back at the front (a reader that failed to copy it out); false if full.
    pub fn push_front(&mut self, id: u8) -> bool {
        if self.len as usize >= MAX_POOL {
            return false;
        }
        let at = (self.head as usize + MAX_POOL - 1) % MAX_POOL;
        match self.ids.get_mut(at) {
            Some(slot) => {
                *slot = id;
                self.head = at as u8;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// The ID at the front.
    pub fn front(&self) -> Option<u8> {
        if self.len == 0 {
            return None;
        }
        self.ids.get(self.head as usize).copied()
    }

    /// Removes and returns the ID at the front.
    pub fn pop_front(&mut self) -> Option<u8> {
        let id = self.front()?;
        self.head = ((self.head as usize + 1) % MAX_POOL) as u8;
        self.len -= 1;
        Some(id)
    }

    /// Number of IDs queued.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// The IDs queued, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..self.len as usize).filter_map(|i| self.ids.get(self.slot(i)).copied())
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Default for IdRing {
    fn default() -> Self {
        Self::new()
    }
}

/// A connection's generation: how many times it was freed or reset.
pub type Generation = u64;

/// The last generation a connection reaches; a connection there is retired. A file
/// keeps its generation in 55 bits of one word ([`crate::api::File`]); at one reset
/// per microsecond the limit is more than a thousand years away, but it is a limit,
/// not a wrap.
pub const GENERATION_LIMIT: Generation = (1 << 55) - 1;

/// One HMC connection: its state, session, buffer pool and receive queue.
#[derive(Debug, Clone)]
pub struct Conn {
    /// The connection's index (its place in [`State::conns`]), for the trace.
    pub index: u8,
    /// Where the connection is in its life. Changed through [`Conn::set_state`].
    pub state: ConnState,
    /// Session number of the current (or last) open, 1..=255; 0 before the first.
    pub session: u8,
    /// Bumped whenever the connection is freed or reset, so that a file holding an
    /// older [`SessionRef`](crate::api::SessionRef) sees a hung-up session and can never
    /// touch the next holder's (C driver defect 12). It never wraps: see
    /// [`GENERATION_LIMIT`].
    pub generation: Generation,
    /// The pool, indexed by buffer ID. Changed through [`Conn::set_buf`].
    pub bufs: [Buf; MAX_POOL],
    /// IDs of the buffers in [`Buf::Free`].
    pub free: IdStack,
    /// IDs of the buffers in [`Buf::Queued`], oldest first.
    pub rx: IdRing,
    /// SETHMCID asked for an open that the session task has not sent yet.
    pub open_pending: bool,
    /// The file let go of an open connection; the session task has not sent Close yet.
    pub close_pending: bool,
    /// Interface Close went out; its response frees the connection.
    pub close_sent: bool,
    /// The buffer that carries the HMC ID during the open.
    pub id_buffer: u8,
    /// How many of the pool are [`Buf::Writing`] or [`Buf::Sent`] (kept by
    /// [`Conn::set_buf`]): a writer counts from the step that takes its buffer, so
    /// concurrent writers cannot pass the half-queue check together.
    pub sent: u16,
    /// The pool was last forgotten by a close (not by a reset or the handshake): the
    /// hypervisor adds the next open's buffer after its Close Response, so SETHMCID
    /// answers EBUSY (it is on its way: retry), not ENOBUFS, while none is free.
    pub after_close: bool,
}

/// The frame of a buffer's change of hands ([`Conn::set_buf`]): cold and out of line,
/// with its arguments by value, so the inlined setter neither spills them nor saves
/// registers for the call when the level filters it out.
#[cold]
#[inline(never)]
fn trace_buf_move(index: u8, id: u8, from: Buf, to: Buf) {
    crate::trace_debug!("hmc {=u8}: buffer {=u8} {} -> {}", index, id, from, to);
}

impl Conn {
    /// A free connection with an empty pool, at `index`.
    pub const fn new(index: u8) -> Self {
        Conn {
            index,
            state: ConnState::Free,
            session: 0,
            generation: 0,
            bufs: [Buf::Invalid; MAX_POOL],
            free: IdStack::new(),
            rx: IdRing::new(),
            open_pending: false,
            close_pending: false,
            close_sent: false,
            id_buffer: 0,
            after_close: false,
            sent: 0,
        }
    }

    /// The next session number: 1..=255, wrapping from 255 to 1 (the C driver skipped
    /// 255, defect 20).
    pub fn next_session(&mut self) -> u8 {
        self.session = if self.session == u8::MAX {
            1
        } else {
            self.session + 1
        };
        self.session
    }

    /// Moves the connection to `to`, logging the change (if it is one).
    pub fn set_state(&mut self, to: ConnState) {
        if self.state != to {
            crate::trace_info!("hmc {=u8}: state {} -> {}", self.index, self.state, to);
            self.state = to;
        }
    }

    /// Hands buffer `id` to `to`, logging the change (if it is one). An `id` outside
    /// the pool changes nothing. Inline: it is on every message's path (four times per
    /// inbound message, twice per outbound); the frame is built out of line, by value,
    /// after the change, so the inlined part is the compare, the counter and the store.
    #[inline(always)]
    pub fn set_buf(&mut self, id: u8, to: Buf) {
        let Some(buf) = self.bufs.get_mut(id as usize) else {
            return;
        };
        let from = *buf;
        if from == to {
            return;
        }
        *buf = to;
        if from.in_flight() {
            self.sent = self.sent.saturating_sub(1);
        }
        if to.in_flight() {
            self.sent += 1;
        }
        if crate::trace::enabled(crate::trace::Level::Debug) {
            trace_buf_move(self.index, id, from, to);
        }
    }

    /// Ends the connection's current generation. At [`GENERATION_LIMIT`] it stops there
    /// and the connection is retired ([`Conn::takeable`] is false for good): a count
    /// that wrapped would let a file of an old generation match a new holder's.
    pub fn bump_generation(&mut self) {
        if self.generation < GENERATION_LIMIT {
            self.generation += 1;
        }
    }

    /// Whether SETHMCID may give this connection to a file: it is free, and its
    /// generation can still be told from every earlier one.
    pub fn takeable(&self) -> bool {
        self.state == ConnState::Free && self.generation < GENERATION_LIMIT
    }

    /// Forgets every buffer and queued message and makes the connection free for the
    /// next holder; files of the old generation now see a hung-up session.
    pub fn forget(&mut self) {
        self.set_state(ConnState::Free);
        crate::trace_debug!(
            "hmc {=u8}: every buffer -> Invalid, were (free, busy, hypervisor's) {}",
            self.index,
            self.buffer_counts()
        );
        self.bump_generation();
        self.bufs = [Buf::Invalid; MAX_POOL];
        self.sent = 0;
        self.free = IdStack::new();
        self.rx = IdRing::new();
        self.open_pending = false;
        self.close_pending = false;
        self.close_sent = false;
        self.after_close = false;
    }

    /// Frees a connection that never opened (or whose open failed) but keeps its
    /// buffers: the hypervisor still counts them as ours, and only takes them back with
    /// Interface Close. Files of the old generation see a hung-up session.
    pub fn vacate(&mut self) {
        self.set_state(ConnState::Free);
        self.bump_generation();
        self.open_pending = false;
        self.close_pending = false;
        self.close_sent = false;
        self.rx = IdRing::new();
        self.free = IdStack::new();
        for id in 0..self.bufs.len() {
            let lioba = match self.bufs.get(id) {
                Some(Buf::Free { lioba } | Buf::OpenLent { lioba } | Buf::Queued { lioba, .. }) => {
                    *lioba
                }
                _ => continue,
            };
            self.release_buffer(id as u8, lioba);
        }
    }

    /// Marks buffer `id` ours and free and pushes it on the free stack.
    pub fn release_buffer(&mut self, id: u8, lioba: u32) {
        if (id as usize) < self.bufs.len() {
            self.set_buf(id, Buf::Free { lioba });
            self.free.push(id);
        }
    }

    /// Number of buffers in each ownership: (ours free, ours busy, hypervisor's).
    pub fn buffer_counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for buf in &self.bufs {
            match buf {
                Buf::Invalid => {}
                Buf::Free { .. } => counts.0 += 1,
                Buf::Writing { .. }
                | Buf::Receiving { .. }
                | Buf::Queued { .. }
                | Buf::Reading { .. } => counts.1 += 1,
                Buf::Hypervisor { .. } | Buf::Sent { .. } | Buf::OpenLent { .. } => counts.2 += 1,
            }
        }
        counts
    }
}

impl Conn {
    /// Our messages of this connection the hypervisor has not answered: those in
    /// [`Buf::Sent`] (and in [`Buf::Writing`], on their way), and an Interface Open
    /// or Close awaiting its response.
    pub fn in_flight(&self) -> u32 {
        let awaiting = match self.state {
            ConnState::Opening => !self.open_pending,
            ConnState::Closing => self.close_sent,
            _ => false,
        };
        self.sent as u32 + awaiting as u32
    }
}

impl Default for Conn {
    /// A free connection at index 0.
    fn default() -> Self {
        Self::new(0)
    }
}

/// What the capabilities exchange settled: the minimum of both sides, each checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct Negotiated {
    /// HMC connections in use (1..=MAX_HMCS).
    pub max_hmcs: u8,
    /// Buffers per connection (1..=MAX_POOL).
    pub pool_size: u16,
    /// Largest message (HMC_ID_LEN..=our max_mtu).
    pub mtu: u32,
    /// Entries in the hypervisor's queue.
    pub hv_crq_size: u16,
}

/// Why the transport was reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum ResetCause {
    /// Transport event 0x01, 0x02 or 0x04: free and register the queue again.
    PartnerGone(u8),
    /// Transport event 0x06 (or 0x0A): H_ENABLE_CRQ, then initialise again.
    PartnerSuspended(u8),
    /// The partner sent Initialize while we were past the handshake: it restarted.
    PartnerRestarted,
    /// A send of ours failed for good, or the partner stopped answering (no response
    /// to the handshake's capabilities, an open or a close): free and register again.
    Stalled,
}

impl ResetCause {
    /// How much of the link its recovery redoes: registering the queue again (2)
    /// covers re-enabling it (1), which covers answering the partner's Initialize (0).
    const fn depth(self) -> u8 {
        match self {
            ResetCause::PartnerGone(_) | ResetCause::Stalled => 2,
            ResetCause::PartnerSuspended(_) => 1,
            ResetCause::PartnerRestarted => 0,
        }
    }

    /// The cause whose recovery covers both `self` and `other` (the later one if
    /// they are equally deep): two events seen before the link task ran must not
    /// leave only the weaker recovery (0x01 then 0x06 needs a new registration, not
    /// H_ENABLE_CRQ).
    pub const fn combine(self, other: ResetCause) -> ResetCause {
        if self.depth() > other.depth() {
            self
        } else {
            other
        }
    }
}

/// Counters for `stats` (debugfs) and the tests. Each is a plain count since load.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, defmt::Format)]
pub struct Stats {
    /// CRQ entries taken off the queue.
    pub crq_in: u64,
    /// CRQ entries sent successfully.
    pub crq_out: u64,
    /// HMC messages delivered to readers' queues.
    pub msgs_in: u64,
    /// HMC messages sent (Signal accepted by H_SEND_CRQ).
    pub msgs_out: u64,
    /// Bytes of those messages.
    pub bytes_in: u64,
    /// Bytes of those messages.
    pub bytes_out: u64,
    /// Inbound entries dropped as invalid (bad index, session, buffer, length, state,
    /// undecodable, unexpected).
    pub dropped_invalid: u64,
    /// Inbound messages lost because their RDMA failed.
    pub dropped_rdma: u64,
    /// Resets by transport event (0x01, 0x02, 0x04).
    pub resets_partner_gone: u64,
    /// Resets by transport event 0x06 / 0x0A.
    pub resets_suspended: u64,
    /// Resets because the partner initialised again.
    pub resets_partner_restarted: u64,
    /// Resets because a send of ours failed for good or the partner stopped
    /// answering ([`ResetCause::Stalled`]).
    pub resets_stalled: u64,
    /// Writes that reached the locked RDMA and Signal, and the nanoseconds they held
    /// the lock (interrupts off) for those two hcalls: in all, and the longest.
    pub write_locked: u64,
    /// See [`Stats::write_locked`].
    pub write_locked_ns: u64,
    /// See [`Stats::write_locked`].
    pub write_locked_max_ns: u64,
    /// Hcalls that failed (any code but success), all kinds together (busy and
    /// long-busy only once the retries were exhausted).
    pub hcall_failures: u64,
    /// The same by return code: slot [`HcallRc::stats_slot`](crate::hv::HcallRc::stats_slot),
    /// named by [`HcallRc::slot_name`](crate::hv::HcallRc::slot_name).
    pub hcall_by_code: [u64; HCALL_SLOTS],
}

/// Slots of [`Stats::hcall_by_code`]: the counted codes and "other".
pub const HCALL_SLOTS: usize = crate::hv::HcallRc::COUNTED.len() + 1;

/// Everything behind the core's lock.
#[derive(Debug, Clone)]
pub struct State {
    /// The driver's state. Changed through [`State::set_driver`].
    pub driver: DriverState,
    /// The capabilities agreed, once [`DriverState::Ready`].
    pub negotiated: Option<Negotiated>,
    /// The HMC connections.
    pub conns: [Conn; MAX_HMCS],
    /// DRC index from the last successful REQUESTVMC.
    pub vmc_drc_index: u32,
    /// Counters.
    pub stats: Stats,
}

impl State {
    /// The state before the link task starts.
    pub const fn new() -> Self {
        State {
            driver: DriverState::Initial,
            negotiated: None,
            conns: conns(),
            vmc_drc_index: 0,
            stats: Stats {
                crq_in: 0,
                crq_out: 0,
                msgs_in: 0,
                msgs_out: 0,
                bytes_in: 0,
                bytes_out: 0,
                dropped_invalid: 0,
                dropped_rdma: 0,
                resets_partner_gone: 0,
                resets_suspended: 0,
                resets_partner_restarted: 0,
                resets_stalled: 0,
                write_locked: 0,
                write_locked_ns: 0,
                write_locked_max_ns: 0,
                hcall_failures: 0,
                hcall_by_code: [0; HCALL_SLOTS],
            },
        }
    }

    /// LoPAR: the partition keeps its outstanding messages to at most half of the
    /// hypervisor's queue (its CRQ size, from the capabilities exchange). Whether one
    /// more write may go out under that rule (false before the exchange).
    pub fn below_half_queue(&self) -> bool {
        let Some(n) = self.negotiated else {
            return false;
        };
        let limit = (n.hv_crq_size as u32 / 2).max(1);
        let mut in_flight = 0;
        for conn in &self.conns {
            in_flight += conn.in_flight();
        }
        in_flight < limit
    }

    /// Moves the driver to `to`, logging the change (if it is one).
    pub fn set_driver(&mut self, to: DriverState) {
        if self.driver != to {
            crate::trace_info!("driver: state {} -> {}", self.driver, to);
            self.driver = to;
        }
    }

    /// Counts a write's locked RDMA and Signal that took `ns`.
    pub fn count_write_locked(&mut self, ns: u64) {
        self.stats.write_locked += 1;
        self.stats.write_locked_ns = self.stats.write_locked_ns.saturating_add(ns);
        self.stats.write_locked_max_ns = self.stats.write_locked_max_ns.max(ns);
    }

    /// Counts a failed hcall.
    pub fn count_hcall(&mut self, rc: crate::hv::HcallRc) {
        if rc.is_success() {
            return;
        }
        self.stats.hcall_failures += 1;
        if let Some(count) = self.stats.hcall_by_code.get_mut(rc.stats_slot()) {
            *count += 1;
        }
    }
}

/// One connection as debugfs `state` shows it: small enough for a kernel stack (a
/// [`State`] is about 2 KiB, too big to copy there).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnSummary {
    pub state: ConnState,
    pub session: u8,
    pub generation: Generation,
    /// [`Conn::buffer_counts`].
    pub buffers: (usize, usize, usize),
    /// Messages in the receive queue.
    pub queued: usize,
    pub open_pending: bool,
    pub close_pending: bool,
    pub close_sent: bool,
}

/// The driver as debugfs `state` shows it ([`State::summary`]).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub driver: DriverState,
    pub negotiated: Option<Negotiated>,
    pub vmc_drc_index: u32,
    pub conns: [ConnSummary; MAX_HMCS],
}

impl State {
    /// The summary of the state.
    pub fn summary(&self) -> Summary {
        let conn = |c: &Conn| ConnSummary {
            state: c.state,
            session: c.session,
            generation: c.generation,
            buffers: c.buffer_counts(),
            queued: c.rx.len(),
            open_pending: c.open_pending,
            close_pending: c.close_pending,
            close_sent: c.close_sent,
        };
        Summary {
            driver: self.driver,
            negotiated: self.negotiated,
            vmc_drc_index: self.vmc_drc_index,
            conns: self.conns.each_ref().map(conn),
        }
    }
}

/// The connections, each knowing its index.
const fn conns() -> [Conn; MAX_HMCS] {
    let mut conns = [const { Conn::new(0) }; MAX_HMCS];
    let mut rest: &mut [Conn] = &mut conns;
    let mut index: u8 = 0;
    while let [conn, tail @ ..] = rest {
        conn.index = index;
        index = index.wrapping_add(1);
        rest = tail;
    }
    conns
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generation_stops_at_the_limit_and_retires_the_connection() {
        let mut conn = Conn::new(0);
        assert!(conn.takeable());
        conn.generation = GENERATION_LIMIT - 1;
        conn.forget();
        assert_eq!(conn.generation, GENERATION_LIMIT);
        assert!(!conn.takeable(), "a connection at the limit is retired");
        conn.forget();
        conn.vacate();
        assert_eq!(
            conn.generation, GENERATION_LIMIT,
            "never wraps back to an old generation"
        );
    }
}

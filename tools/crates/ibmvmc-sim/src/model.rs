// SPDX-License-Identifier: GPL-2.0-or-later
//! The hypervisor's state and what it does with each hcall and each message.

use ibmvmc::wire::BufferOwner;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::VmcMessage;
use ibmvmc::wire::CRQ_ENTRY_SIZE;
use ibmvmc::wire::HMC_ID_LEN;
use ibmvmc::HcallRc;

use crate::hmc;
use crate::queue::Backlog;
use crate::queue::Entry;
use crate::queue::PartitionQueue;
use crate::queue::Trace;
use crate::Direction;
use crate::Hcall;
use crate::SimConfig;
use crate::SimStats;
use crate::Trigger;
use crate::DEFAULT_DRC_INDEX;
use crate::MAX_HMCS;
use crate::MAX_POOL;
use crate::MAX_TRIGGERS;
use crate::TRIGGER_INIT;
use crate::TRIGGER_INIT_COMPLETE;

/// LoPAR's "general failure", the status of every refusal.
const GENERAL_FAILURE: Status = Status::InvalidHmcIndex; // byte 1
/// LoPAR's "invalid version" in the Capabilities Response.
const INVALID_VERSION: Status = Status::InvalidBufferId; // byte 2

/// Where the hypervisor's side of the link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Link {
    /// Not registered.
    Down,
    /// Registered, no handshake yet.
    Waiting,
    /// Sent Initialize; waiting for Initialization Complete.
    InitSent,
    /// Handshake done; waiting for Capabilities.
    Up,
    /// Capabilities agreed: HMC interface messages flow.
    Ready,
}

/// Who holds a buffer, in the hypervisor's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Not in the pool.
    Absent,
    /// The management partition's.
    Partition,
    /// The hypervisor's.
    Hypervisor,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct BufState {
    pub(crate) owner: Owner,
    /// Add Buffer sent with this session, response not yet received.
    pub(crate) add_pending: Option<u8>,
    /// How many such Add Buffers are unanswered: a seed buffer is lent again after a
    /// close while the response to its previous lending may still be on its way.
    pub(crate) adds_owed: u8,
    /// Bytes from the start the partition has RDMAed since it got the buffer.
    pub(crate) written: u32,
}

impl BufState {
    const ABSENT: BufState = BufState {
        owner: Owner::Absent,
        add_pending: None,
        adds_owed: 0,
        written: 0,
    };
}

pub(crate) struct Conn {
    pub(crate) open: bool,
    pub(crate) session: u8,
    /// Session of the last Interface Open received (0: none since the last close).
    pub(crate) attempted: u8,
    pub(crate) hmc_id: Option<[u8; HMC_ID_LEN]>,
    pub(crate) bufs: [BufState; MAX_POOL],
    pub(crate) pending_removes: u16,
}

impl Conn {
    const fn new() -> Self {
        Conn {
            open: false,
            session: 0,
            attempted: 0,
            hmc_id: None,
            bufs: [BufState::ABSENT; MAX_POOL],
            pending_removes: 0,
        }
    }

    /// Forgets the connection (the HMC ID of the last open stays for inspection).
    fn forget(&mut self) {
        let hmc_id = self.hmc_id;
        *self = Conn::new();
        self.hmc_id = hmc_id;
    }

    pub(crate) fn partition_owned(&self) -> u16 {
        self.bufs
            .iter()
            .filter(|b| b.owner == Owner::Partition)
            .count() as u16
    }
}

/// The values the hypervisor works with after the capabilities exchange.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Negotiated {
    max_hmcs: u8,
    pool: u16,
    mtu: u32,
}

pub(crate) struct State {
    pub(crate) cfg: SimConfig,
    pub(crate) mem: &'static mut [u8],
    pub(crate) hook: Option<&'static (dyn Fn() + Sync)>,
    /// The interrupt is to be raised once the lock is released.
    pub(crate) pending_irq: bool,

    // The partition's side.
    pub(crate) queue: PartitionQueue,
    registered: bool,
    /// Disabled by a suspend event until H_ENABLE_CRQ.
    disabled: bool,
    pub(crate) irq_enabled: bool,
    pub(crate) backlog: Backlog,
    pub(crate) held: bool,

    // The hypervisor's side.
    hv_present: bool,
    /// Gone by a transport event; registers again when the partition does.
    auto_return: bool,
    link: Link,
    /// An Initialize of ours awaits the partition's Initialization Complete.
    /// Initializes of ours not answered yet. A restart does not clear it: the
    /// partition may still answer the Initialize sent before, which is not an error.
    init_outstanding: u8,
    /// The hypervisor reset on its own and the partition has not yet answered with
    /// an Initialize or Initialization Complete: its messages may predate the reset.
    stale: bool,
    pub(crate) caps_override: Option<Capabilities>,
    /// While set, seed buffers wait in `seeds_owed` (bit per connection).
    pub(crate) seeds_held: bool,
    pub(crate) seeds_owed: u8,
    neg: Negotiated,
    pub(crate) conns: [Conn; MAX_HMCS],
    triggers: [Option<(u8, Trigger)>; MAX_TRIGGERS],
    failures: [(HcallRc, u32); 6],
    pub(crate) request_vmc: (HcallRc, u32),
    pub(crate) stats: SimStats,
    pub(crate) trace: Trace,
    /// The entry a refusal trigger last refused, and how many times in a row.
    last_refused: Option<(Entry, u32)>,
}

fn hcall_slot(call: Hcall) -> usize {
    match call {
        Hcall::RegCrq => 0,
        Hcall::FreeCrq => 1,
        Hcall::EnableCrq => 2,
        Hcall::SendCrq => 3,
        Hcall::CopyRdma => 4,
        Hcall::RequestVmc => 5,
    }
}

fn in_window(window: (u64, u64), ioba: u64, len: usize) -> bool {
    let (base, size) = window;
    match (ioba.checked_add(len as u64), base.checked_add(size)) {
        (Some(end), Some(limit)) => ioba >= base && end <= limit,
        _ => false,
    }
}

impl State {
    pub(crate) const fn new(cfg: SimConfig, mem: &'static mut [u8]) -> Self {
        State {
            cfg,
            mem,
            hook: None,
            pending_irq: false,
            queue: PartitionQueue::new(cfg.crq_entries),
            registered: false,
            disabled: false,
            irq_enabled: false,
            backlog: Backlog::new(),
            held: false,
            hv_present: cfg.partner_present,
            auto_return: false,
            link: if cfg.partner_present {
                Link::Waiting
            } else {
                Link::Down
            },
            init_outstanding: 0,
            stale: false,
            caps_override: None,
            seeds_held: false,
            seeds_owed: 0,
            neg: Negotiated {
                max_hmcs: 0,
                pool: 0,
                mtu: 0,
            },
            conns: [const { Conn::new() }; MAX_HMCS],
            triggers: [None; MAX_TRIGGERS],
            failures: [(HcallRc::SUCCESS, 0); 6],
            request_vmc: (HcallRc::SUCCESS, DEFAULT_DRC_INDEX),
            stats: SimStats::ZERO,
            trace: Trace::new(),
            last_refused: None,
        }
    }

    // ----- configuration helpers -----

    pub(crate) fn set_failure(&mut self, call: Hcall, rc: HcallRc, count: u32) {
        if let Some(slot) = self.failures.get_mut(hcall_slot(call)) {
            *slot = (rc, count);
        }
    }

    /// Consumes one injected failure of `call`, if any is armed.
    pub(crate) fn injected(&mut self, call: Hcall) -> Option<HcallRc> {
        let slot = self.failures.get_mut(hcall_slot(call))?;
        if slot.1 == 0 {
            return None;
        }
        slot.1 -= 1;
        Some(slot.0)
    }

    pub(crate) fn arm(&mut self, msg_type: u8, trigger: Trigger) {
        if let Some(slot) = self.triggers.iter_mut().find(|t| t.is_none()) {
            *slot = Some((msg_type, trigger));
        }
    }

    /// The code a [`Trigger::Refuse`] armed for `entry`'s message type makes its send
    /// return, if the oldest trigger armed for that type is one (it is then used up).
    fn refused(&mut self, entry: &Entry) -> Option<HcallRc> {
        let msg_type = match entry {
            [0xC0, format, ..] => 0xC0 | *format,
            [0x80, msg_type, ..] => *msg_type,
            _ => return None,
        };
        let oldest = self
            .triggers
            .iter()
            .flatten()
            .find(|(ty, _)| *ty == msg_type)
            .map(|(_, t)| *t);
        let rc = match oldest {
            Some(Trigger::Refuse(rc)) | Some(Trigger::RefuseTimes(rc, 0 | 1)) => {
                self.take_trigger(msg_type);
                rc
            }
            Some(Trigger::RefuseTimes(rc, n)) => {
                // One fewer to go; it stays the oldest of its type.
                if let Some(slot) = self
                    .triggers
                    .iter_mut()
                    .flatten()
                    .find(|(ty, _)| *ty == msg_type)
                {
                    slot.1 = Trigger::RefuseTimes(rc, n - 1);
                }
                rc
            }
            _ => return None,
        };
        self.stats.refused += 1;
        let streak = match self.last_refused {
            Some((last, n)) if last == *entry => n.saturating_add(1),
            _ => 1,
        };
        self.last_refused = Some((*entry, streak));
        self.stats.longest_refusal_streak = self.stats.longest_refusal_streak.max(streak);
        Some(rc)
    }

    /// Takes the oldest trigger armed for `msg_type`.
    fn take_trigger(&mut self, msg_type: u8) -> Option<Trigger> {
        let at = self
            .triggers
            .iter()
            .position(|t| matches!(t, Some((ty, _)) if *ty == msg_type))?;
        let (_, trigger) = self.triggers.get_mut(at)?.take()?;
        // Keep the armed ones in order.
        let mut i = at;
        while i + 1 < MAX_TRIGGERS {
            let next = self.triggers.get(i + 1).copied().flatten();
            if let Some(slot) = self.triggers.get_mut(i) {
                *slot = next;
            }
            i += 1;
        }
        if let Some(last) = self.triggers.last_mut() {
            *last = None;
        }
        Some(trigger)
    }

    pub(crate) fn lioba(&self, index: usize, id: usize) -> Option<u32> {
        if index >= self.cfg.max_hmcs as usize || id >= self.cfg.pool_size as usize {
            return None;
        }
        let offset = (index * self.cfg.pool_size as usize + id) * self.cfg.mtu as usize;
        u32::try_from(offset)
            .ok()?
            .checked_add(self.cfg.hv_window_base)
    }

    /// The buffer that holds `[lioba, lioba + len)`, if the range lies inside one:
    /// (connection index, buffer id, offset in `mem`).
    fn hv_range(&self, lioba: u32, len: usize) -> Option<(usize, usize, usize)> {
        let offset = lioba.checked_sub(self.cfg.hv_window_base)? as usize;
        let mtu = self.cfg.mtu as usize;
        let pool = self.cfg.pool_size as usize;
        let slot = offset.checked_div(mtu)?;
        let within = offset.checked_rem(mtu)?;
        let index = slot.checked_div(pool)?;
        let id = slot.checked_rem(pool)?;
        if index >= self.cfg.max_hmcs as usize || within.checked_add(len)? > mtu {
            return None;
        }
        Some((index, id, offset))
    }

    fn buf_mut(&mut self, index: usize, id: usize) -> Option<&mut BufState> {
        self.conns.get_mut(index)?.bufs.get_mut(id)
    }

    /// The memory of buffer (`index`, `id`).
    fn buf_mem(&mut self, index: usize, id: usize) -> Option<&mut [u8]> {
        let mtu = self.cfg.mtu as usize;
        let start = (index * self.cfg.pool_size as usize + id) * mtu;
        self.mem.get_mut(start..start + mtu)
    }

    // ----- the partition's queue -----

    /// The hypervisor sends `entry` to the partition: onto its queue if nothing is
    /// kept back and the slot is free, else into the backlog. Lost (as H_CLOSED would
    /// tell the hypervisor) if the partition is not registered.
    pub(crate) fn emit(&mut self, entry: Entry) {
        if !self.registered {
            return;
        }
        self.trace.record(Direction::ToPartition, &entry);
        let delivered = !self.held && self.backlog.is_empty() && self.deliver(&entry);
        if !delivered && !self.backlog.push(entry) {
            self.stats.dropped_to_partition += 1;
        }
    }

    fn emit_repr(&mut self, repr: CrqRepr) {
        self.emit(repr.to_bytes());
    }

    fn emit_vmc(&mut self, message: VmcMessage) {
        self.emit_repr(CrqRepr::Vmc(message));
    }

    fn deliver(&mut self, entry: &Entry) -> bool {
        let was_empty = self.queue.valid() == 0;
        if !self.queue.try_push(entry) {
            return false;
        }
        if was_empty && self.irq_enabled {
            self.pending_irq = true;
        }
        true
    }

    /// Moves kept-back entries onto the queue while there is room.
    pub(crate) fn flush(&mut self) {
        if self.held || !self.registered {
            return;
        }
        while let Some(entry) = self.backlog.front() {
            if !self.deliver(&entry) {
                break;
            }
            self.backlog.pop_front();
        }
    }

    // ----- hcalls -----

    pub(crate) fn reg_crq(&mut self) -> HcallRc {
        // H_CLOSED is a success code of H_REG_CRQ (registered, the partner not yet):
        // an injected one makes the call do what it would have done, and only where
        // that was a success does the answer say the partner is absent (it may
        // register a moment later).
        let injected = self.injected(Hcall::RegCrq);
        match injected {
            Some(HcallRc::CLOSED) | None => {}
            Some(rc) => return rc,
        }
        if self.registered {
            return HcallRc::RESOURCE;
        }
        self.queue.reset();
        self.backlog.clear();
        self.registered = true;
        self.stats.registrations += 1;
        // Whatever the partition sends on the new queue is a new message.
        self.last_refused = None;
        self.disabled = false;
        self.irq_enabled = false;
        self.come_back();
        if self.hv_present && injected.is_none() {
            HcallRc::SUCCESS
        } else {
            HcallRc::CLOSED
        }
    }

    /// After a "partner gone" event the hypervisor registers again while the
    /// partition is deregistered: its Initialize finds no queue and is lost.
    fn come_back(&mut self) {
        if self.auto_return {
            self.auto_return = false;
            self.hv_present = true;
            self.link = Link::Waiting;
            self.init_outstanding = 0;
            self.stale = false;
        }
    }

    pub(crate) fn free_crq(&mut self) -> HcallRc {
        if let Some(rc) = self.injected(Hcall::FreeCrq) {
            return rc;
        }
        if self.registered {
            self.stats.frees += 1;
            // The hypervisor sees "partner deregistered": it forgets the connections
            // and waits for the next handshake.
            self.forget_all();
            if self.hv_present {
                self.link = Link::Waiting;
            }
        }
        self.registered = false;
        self.disabled = false;
        self.irq_enabled = false;
        self.queue.reset();
        self.backlog.clear();
        self.come_back();
        HcallRc::SUCCESS
    }

    pub(crate) fn enable_crq(&mut self) -> HcallRc {
        if let Some(rc) = self.injected(Hcall::EnableCrq) {
            return rc;
        }
        self.disabled = false;
        self.stats.enables += 1;
        HcallRc::SUCCESS
    }

    pub(crate) fn next_crq(&mut self) -> Option<Entry> {
        if !self.registered {
            return None;
        }
        let entry = self.queue.pop()?;
        self.flush();
        Some(entry)
    }

    pub(crate) fn send_crq(&mut self, entry: &[u8; CRQ_ENTRY_SIZE]) -> HcallRc {
        if let Some(rc) = self.injected(Hcall::SendCrq) {
            return rc;
        }
        let header = entry.first().copied().unwrap_or(0);
        if header & 0x80 == 0 || header == 0xFF {
            return HcallRc::PARAMETER;
        }
        if !self.registered || !self.hv_present || self.disabled {
            return HcallRc::CLOSED;
        }
        if let Some(rc) = self.refused(entry) {
            return rc;
        }
        if self.last_refused.is_some_and(|(last, _)| last == *entry) {
            // Got through: a later refusal of the same entry starts a new streak.
            self.last_refused = None;
        }
        self.trace.record(Direction::ToHypervisor, entry);
        self.receive(entry);
        HcallRc::SUCCESS
    }

    pub(crate) fn rdma_to_hv(
        &mut self,
        local: &[u8],
        local_ioba: u64,
        remote_lioba: u32,
    ) -> HcallRc {
        let rc = self.copy_to_hv(local, local_ioba, remote_lioba);
        self.count_rdma(rc)
    }

    fn copy_to_hv(&mut self, local: &[u8], local_ioba: u64, remote_lioba: u32) -> HcallRc {
        if let Some(rc) = self.injected(Hcall::CopyRdma) {
            return rc;
        }
        if !self.registered || !self.hv_present {
            return HcallRc::DEST_PARM;
        }
        if !in_window(self.cfg.local_window, local_ioba, local.len()) {
            return HcallRc::SOURCE_PARM;
        }
        let Some((index, id, offset)) = self.hv_range(remote_lioba, local.len()) else {
            return HcallRc::DEST_PARM;
        };
        let within = offset.checked_rem(self.cfg.mtu as usize).unwrap_or(0);
        match self.buf_mut(index, id) {
            Some(buf) if buf.owner == Owner::Partition => {
                if within == 0 || within as u32 <= buf.written {
                    buf.written = buf.written.max((within + local.len()) as u32);
                }
            }
            _ => return HcallRc::PERMISSION,
        }
        match self.mem.get_mut(offset..offset + local.len()) {
            Some(dst) => {
                dst.copy_from_slice(local);
                HcallRc::SUCCESS
            }
            None => HcallRc::DEST_PARM,
        }
    }

    pub(crate) fn rdma_from_hv(
        &mut self,
        remote_lioba: u32,
        local: &mut [u8],
        local_ioba: u64,
    ) -> HcallRc {
        let rc = self.copy_from_hv(remote_lioba, local, local_ioba);
        self.count_rdma(rc)
    }

    fn copy_from_hv(&mut self, remote_lioba: u32, local: &mut [u8], local_ioba: u64) -> HcallRc {
        if let Some(rc) = self.injected(Hcall::CopyRdma) {
            return rc;
        }
        if !self.registered || !self.hv_present {
            return HcallRc::SOURCE_PARM;
        }
        let Some((_, _, offset)) = self.hv_range(remote_lioba, local.len()) else {
            return HcallRc::SOURCE_PARM;
        };
        if !in_window(self.cfg.local_window, local_ioba, local.len()) {
            return HcallRc::DEST_PARM;
        }
        match self.mem.get(offset..offset + local.len()) {
            Some(src) => {
                local.copy_from_slice(src);
                HcallRc::SUCCESS
            }
            None => HcallRc::SOURCE_PARM,
        }
    }

    fn count_rdma(&mut self, rc: HcallRc) -> HcallRc {
        if rc.is_success() {
            self.stats.rdma_ok += 1;
        } else {
            self.stats.rdma_failed += 1;
        }
        rc
    }

    // ----- the hypervisor's own actions -----

    /// Forgets the connections and the capabilities.
    fn forget_all(&mut self) {
        for conn in self.conns.iter_mut() {
            conn.forget();
        }
        if self.link == Link::Ready {
            self.link = Link::Up;
        }
        self.neg = Negotiated {
            max_hmcs: 0,
            pool: 0,
            mtu: 0,
        };
    }

    pub(crate) fn transport(&mut self, code: u8) {
        match code {
            0x01 | 0x02 | 0x04 => {
                self.forget_all();
                self.hv_present = false;
                self.auto_return = true;
                self.link = Link::Down;
                self.init_outstanding = 0;
                self.stale = true;
            }
            0x06 => {
                self.forget_all();
                self.disabled = true;
                if self.hv_present {
                    self.link = Link::Waiting;
                }
                self.init_outstanding = 0;
                self.stale = true;
            }
            _ => {}
        }
        self.emit_repr(CrqRepr::Transport(ibmvmc::wire::TransportEvent::from_code(
            code,
        )));
    }

    /// The hypervisor deregisters (the partition sees transport event 2) and stays
    /// away until [`State::arrive`].
    pub(crate) fn depart(&mut self) {
        self.transport(0x02);
        self.auto_return = false;
    }

    pub(crate) fn arrive(&mut self) {
        if self.hv_present {
            return;
        }
        self.hv_present = true;
        self.auto_return = false;
        self.link = Link::Waiting;
        self.init_outstanding = 0;
        if self.registered && !self.disabled {
            self.send_init();
        }
    }

    pub(crate) fn restart(&mut self) {
        self.forget_all();
        self.hv_present = true;
        self.auto_return = false;
        self.link = Link::Waiting;
        self.stale = true;
        if self.registered {
            self.send_init();
        }
    }

    fn send_init(&mut self) {
        self.link = Link::InitSent;
        self.init_outstanding = self.init_outstanding.saturating_add(1);
        self.emit_repr(CrqRepr::Init);
    }

    pub(crate) fn request_remove(&mut self, index: u8) -> bool {
        if self.link != Link::Ready || index >= self.neg.max_hmcs || !self.registered {
            return false;
        }
        let Some(conn) = self.conns.get_mut(index as usize) else {
            return false;
        };
        conn.pending_removes = conn.pending_removes.saturating_add(1);
        let hmc_session = if conn.open { conn.session } else { 0 };
        self.emit_vmc(VmcMessage::RemoveBuffer {
            hmc_session,
            hmc_index: index,
        });
        true
    }

    pub(crate) fn send_message(&mut self, index: u8, data: &[u8]) -> bool {
        if self.link != Link::Ready || index >= self.neg.max_hmcs || !self.registered {
            return false;
        }
        if data.is_empty() || data.len() > self.neg.mtu as usize {
            return false;
        }
        let pool = self.neg.pool as usize;
        let Some(conn) = self.conns.get(index as usize) else {
            return false;
        };
        if !conn.open {
            return false;
        }
        let session = conn.session;
        let Some(id) = conn
            .bufs
            .iter()
            .take(pool)
            .position(|b| b.owner == Owner::Hypervisor)
        else {
            return false;
        };
        match self
            .buf_mem(index as usize, id)
            .and_then(|mem| mem.get_mut(..data.len()))
        {
            Some(dst) => dst.copy_from_slice(data),
            None => return false,
        }
        self.signal_partition(index, id, session, data.len() as u32);
        true
    }

    pub(crate) fn send_signal(
        &mut self,
        index: u8,
        session: u8,
        buffer_id: u16,
        len: u32,
        data: &[u8],
    ) -> bool {
        let id = buffer_id as usize;
        let held = self.link == Link::Ready
            && self.registered
            && index < self.neg.max_hmcs
            && buffer_id < self.neg.pool
            && self.conns.get(index as usize).is_some_and(|c| {
                c.open
                    && c.session == session
                    && c.bufs.get(id).is_some_and(|b| b.owner == Owner::Hypervisor)
            });
        let fits = !data.is_empty() && data.len() <= self.neg.mtu as usize;
        if held {
            if fits {
                if let Some(dst) = self
                    .buf_mem(index as usize, id)
                    .and_then(|mem| mem.get_mut(..data.len()))
                {
                    dst.copy_from_slice(data);
                }
            }
            if let Some(buf) = self.buf_mut(index as usize, id) {
                buf.owner = Owner::Partition;
                buf.written = 0;
            }
        }
        self.stats.signals_out += 1;
        self.emit_vmc(VmcMessage::Signal {
            hmc_session: session,
            hmc_index: index,
            buffer_id,
            msg_len: len,
        });
        held && fits && len as usize == data.len()
    }

    pub(crate) fn buffer_held(&self, index: u8, by_hypervisor: bool) -> Option<u16> {
        let owner = if by_hypervisor {
            Owner::Hypervisor
        } else {
            Owner::Partition
        };
        let conn = self.conns.get(index as usize)?;
        conn.bufs
            .iter()
            .take(self.neg.pool as usize)
            .position(|b| b.owner == owner)
            .map(|id| id as u16)
    }

    /// Hands buffer `id` to the partition with a Signal of `len` bytes.
    fn signal_partition(&mut self, index: u8, id: usize, session: u8, len: u32) {
        if let Some(buf) = self.buf_mut(index as usize, id) {
            buf.owner = Owner::Partition;
            buf.written = 0;
        }
        self.stats.signals_out += 1;
        self.emit_vmc(VmcMessage::Signal {
            hmc_session: session,
            hmc_index: index,
            buffer_id: id as u16,
            msg_len: len,
        });
    }

    /// Add Buffer of id 0 to the partition, session 0: the buffer for the next open.
    fn seed(&mut self, index: u8) {
        if !self.cfg.seed_buffers {
            return;
        }
        if self.seeds_held {
            self.seeds_owed |= 1u8.checked_shl(index as u32).unwrap_or(0);
            return;
        }
        let Some(lioba) = self.lioba(index as usize, 0) else {
            return;
        };
        if let Some(buf) = self.buf_mut(index as usize, 0) {
            buf.owner = Owner::Partition;
            buf.adds_owed = match buf.add_pending {
                Some(0) => buf.adds_owed.saturating_add(1),
                _ => 1,
            };
            buf.add_pending = Some(0);
            buf.written = 0;
        }
        self.emit_vmc(VmcMessage::AddBuffer {
            hmc_session: 0,
            hmc_index: index,
            buffer_id: 0,
            owner: BufferOwner::ManagementPartition,
            lioba,
        });
    }

    /// Holds seed buffers back (`hold`), or sends those owed while they were held.
    pub(crate) fn hold_seeds(&mut self, hold: bool) {
        self.seeds_held = hold;
        if !hold {
            let owed = core::mem::take(&mut self.seeds_owed);
            for index in 0..8u8 {
                if owed & (1 << index) != 0 {
                    self.seed(index);
                }
            }
        }
    }

    // ----- messages from the partition -----

    #[track_caller]
    fn protocol_error(&mut self) {
        if self.stats.protocol_errors == 0 {
            self.stats.first_protocol_error_line = core::panic::Location::caller().line();
        }
        self.stats.protocol_errors += 1;
    }

    fn receive(&mut self, raw: &Entry) {
        match CrqRepr::from_bytes(raw) {
            Ok(CrqRepr::Init) => self.on_init(),
            Ok(CrqRepr::InitComplete) => self.on_init_complete(),
            Ok(CrqRepr::Vmc(message)) => self.on_vmc(message),
            // Empty and transport events cannot pass H_SEND_CRQ; the rest is an
            // entry class or type LoPAR does not define for the partition to send.
            Ok(CrqRepr::Empty) | Ok(CrqRepr::Transport(_)) | Err(_) => self.protocol_error(),
        }
    }

    fn on_init(&mut self) {
        self.stats.inits += 1;
        let trigger = self.take_trigger(TRIGGER_INIT);
        match trigger {
            Some(Trigger::Swallow) => return,
            Some(Trigger::TransportEvent(code)) => return self.transport(code),
            _ => {}
        }
        // The partition (re)starts: whatever it had is gone.
        self.stale = false;
        self.forget_all();
        self.link = Link::Up;
        self.emit_repr(CrqRepr::InitComplete);
        self.after(trigger, |s| s.emit_repr(CrqRepr::InitComplete));
    }

    fn on_init_complete(&mut self) {
        match self.take_trigger(TRIGGER_INIT_COMPLETE) {
            Some(Trigger::Swallow) => return,
            Some(Trigger::TransportEvent(code)) => return self.transport(code),
            _ => {}
        }
        if self.init_outstanding == 0 {
            self.protocol_error();
            return;
        }
        self.init_outstanding -= 1;
        self.stale = false;
        if self.link == Link::InitSent {
            self.link = Link::Up;
        }
    }

    /// Applies the Duplicate and PartnerInit triggers after a message was handled.
    fn after(&mut self, trigger: Option<Trigger>, again: impl FnOnce(&mut Self)) {
        match trigger {
            Some(Trigger::Duplicate) => again(self),
            Some(Trigger::PartnerInit) => self.restart(),
            _ => {}
        }
    }

    /// Whether an HMC interface message may be handled now; counts a violation if not
    /// (unless it may predate a reset the hypervisor started).
    #[track_caller]
    fn gate(&mut self, allowed: bool) -> bool {
        if !allowed && !self.stale {
            self.protocol_error();
        }
        allowed
    }

    /// Takes the trigger for `msg_type`; `Err` if it consumed the message (Swallow,
    /// TransportEvent).
    fn trigger_for(&mut self, msg_type: u8) -> Result<Option<Trigger>, ()> {
        match self.take_trigger(msg_type) {
            Some(Trigger::Swallow) => Err(()),
            Some(Trigger::TransportEvent(code)) => {
                self.transport(code);
                Err(())
            }
            other => Ok(other),
        }
    }

    fn on_vmc(&mut self, message: VmcMessage) {
        match message {
            VmcMessage::Capabilities(caps) => self.on_capabilities(caps),
            VmcMessage::InterfaceOpen {
                hmc_session,
                hmc_index,
                buffer_id,
            } => self.on_open(hmc_session, hmc_index, buffer_id),
            VmcMessage::InterfaceClose {
                hmc_session,
                hmc_index,
            } => self.on_close(hmc_session, hmc_index),
            VmcMessage::AddBufferResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            } => self.on_add_response(status, hmc_session, hmc_index, buffer_id),
            VmcMessage::RemoveBufferResponse {
                status,
                hmc_session,
                hmc_index,
                buffer_id,
            } => self.on_remove_response(status, hmc_session, hmc_index, buffer_id),
            VmcMessage::Signal {
                hmc_session,
                hmc_index,
                buffer_id,
                msg_len,
            } => self.on_signal(hmc_session, hmc_index, buffer_id, msg_len),
            // Only the hypervisor sends these.
            VmcMessage::CapabilitiesResponse { .. }
            | VmcMessage::InterfaceOpenResponse { .. }
            | VmcMessage::InterfaceCloseResponse { .. }
            | VmcMessage::AddBuffer { .. }
            | VmcMessage::RemoveBuffer { .. } => self.protocol_error(),
        }
    }

    fn announced(&self) -> Capabilities {
        self.caps_override.unwrap_or(self.cfg.capabilities())
    }

    fn on_capabilities(&mut self, theirs: Capabilities) {
        self.stats.capabilities += 1;
        if !self.gate(matches!(self.link, Link::Up | Link::Ready)) {
            return;
        }
        let Ok(trigger) = self.trigger_for(ibmvmc::wire::msg_type::CAP) else {
            return;
        };
        let ours = self.announced();
        let usable = theirs.max_hmcs != 0
            && theirs.pool_size != 0
            && theirs.crq_size != 0
            && theirs.mtu >= HMC_ID_LEN as u32;
        let status = match trigger {
            Some(Trigger::Status(status)) => status,
            _ if theirs.version >> 8 != self.cfg.version >> 8 => INVALID_VERSION,
            _ if !usable => {
                self.protocol_error();
                GENERAL_FAILURE
            }
            _ => Status::Success,
        };
        // A new exchange starts the connections afresh.
        self.forget_all();
        let response = VmcMessage::CapabilitiesResponse {
            status,
            capabilities: ours,
        };
        self.emit_vmc(response);
        if trigger == Some(Trigger::Duplicate) {
            self.emit_vmc(response);
        }
        if status.is_success() {
            self.neg = Negotiated {
                max_hmcs: ours.max_hmcs.min(theirs.max_hmcs).min(self.cfg.max_hmcs),
                pool: ours.pool_size.min(theirs.pool_size).min(self.cfg.pool_size),
                mtu: ours.mtu.min(theirs.mtu).min(self.cfg.mtu),
            };
            self.link = Link::Ready;
            for index in 0..self.neg.max_hmcs {
                self.seed(index);
            }
        }
        if trigger == Some(Trigger::PartnerInit) {
            self.restart();
        }
    }

    fn on_open(&mut self, session: u8, index: u8, buffer_id: u16) {
        self.stats.opens += 1;
        if !self.gate(self.link == Link::Ready) {
            return;
        }
        if let Some(conn) = self.conns.get_mut(index as usize) {
            if index < self.neg.max_hmcs {
                conn.attempted = session;
            }
        }
        let Ok(trigger) = self.trigger_for(ibmvmc::wire::msg_type::OPEN) else {
            return;
        };
        let id = buffer_id as usize;
        let valid = index < self.neg.max_hmcs
            && session != 0
            && buffer_id < self.neg.pool
            && self.conns.get(index as usize).is_some_and(|conn| {
                !conn.open
                    && conn.bufs.get(id).is_some_and(|b| {
                        b.owner == Owner::Partition && b.written >= HMC_ID_LEN as u32
                    })
            });
        let status = if !valid {
            self.protocol_error();
            GENERAL_FAILURE
        } else {
            // The HMC ID, RDMAed into the buffer before the open.
            let mut hmc_id = [0u8; HMC_ID_LEN];
            if let Some(src) = self
                .buf_mem(index as usize, id)
                .and_then(|m| m.get(..HMC_ID_LEN))
            {
                hmc_id.copy_from_slice(src);
            }
            if let Some(conn) = self.conns.get_mut(index as usize) {
                conn.hmc_id = Some(hmc_id);
            }
            match trigger {
                Some(Trigger::Status(status)) => status,
                _ => Status::Success,
            }
        };
        if valid && status.is_success() {
            if let Some(conn) = self.conns.get_mut(index as usize) {
                conn.open = true;
                conn.session = session;
            }
            let adds = self
                .cfg
                .open_add_buffers
                .min(self.neg.pool.saturating_sub(1));
            for add in 1..=adds as usize {
                if add == id {
                    continue;
                }
                let (Some(lioba), Some(buf)) = (
                    self.lioba(index as usize, add),
                    self.conns
                        .get(index as usize)
                        .and_then(|c| c.bufs.get(add))
                        .copied(),
                ) else {
                    continue;
                };
                if buf.owner != Owner::Absent || buf.add_pending.is_some() {
                    continue;
                }
                let (owner, hv_owner) = if add % 2 == 1 {
                    (Owner::Partition, BufferOwner::ManagementPartition)
                } else {
                    (Owner::Hypervisor, BufferOwner::Hypervisor)
                };
                if let Some(buf) = self.buf_mut(index as usize, add) {
                    *buf = BufState {
                        owner,
                        add_pending: Some(session),
                        adds_owed: 1,
                        written: 0,
                    };
                }
                self.emit_vmc(VmcMessage::AddBuffer {
                    hmc_session: session,
                    hmc_index: index,
                    buffer_id: add as u16,
                    owner: hv_owner,
                    lioba,
                });
            }
        }
        // The response hands the buffer back to the partition.
        if let Some(buf) = self.buf_mut(index as usize, id) {
            if buf.owner == Owner::Partition {
                buf.written = 0;
            }
        }
        let response = VmcMessage::InterfaceOpenResponse {
            status,
            hmc_session: session,
            hmc_index: index,
            buffer_id,
        };
        self.emit_vmc(response);
        self.after(trigger, |s| s.emit_vmc(response));
    }

    fn on_close(&mut self, session: u8, index: u8) {
        self.stats.closes += 1;
        if !self.gate(self.link == Link::Ready) {
            return;
        }
        let Ok(trigger) = self.trigger_for(ibmvmc::wire::msg_type::CLOSE) else {
            return;
        };
        // The session must be the open one, or that of an open the hypervisor refused
        // (the partition may let go before it sees the refusal).
        let valid = index < self.neg.max_hmcs
            && session != 0
            && self.conns.get(index as usize).is_some_and(|conn| {
                if conn.open {
                    conn.session == session
                } else {
                    conn.attempted == session
                }
            });
        let status = if !valid {
            self.protocol_error();
            GENERAL_FAILURE
        } else {
            match trigger {
                Some(Trigger::Status(status)) => status,
                _ => Status::Success,
            }
        };
        let response = VmcMessage::InterfaceCloseResponse {
            status,
            hmc_session: session,
            hmc_index: index,
        };
        self.emit_vmc(response);
        if valid && status.is_success() {
            if let Some(conn) = self.conns.get_mut(index as usize) {
                conn.open = false;
                conn.session = 0;
                conn.attempted = 0;
                // Every buffer is forgotten; an Add Buffer still unanswered stays
                // pending (its response may still come).
                for buf in conn.bufs.iter_mut() {
                    buf.owner = Owner::Absent;
                    buf.written = 0;
                }
            }
            self.seed(index);
        }
        self.after(trigger, |s| s.emit_vmc(response));
    }

    fn on_add_response(&mut self, status: Status, session: u8, index: u8, buffer_id: u16) {
        if !self.gate(self.link == Link::Ready) {
            return;
        }
        if self
            .trigger_for(ibmvmc::wire::msg_type::ADD_BUF_RESP)
            .is_err()
        {
            return;
        }
        let Some(buf) = self.buf_mut(index as usize, buffer_id as usize) else {
            return self.protocol_error();
        };
        if buf.add_pending != Some(session) {
            return self.protocol_error();
        }
        buf.adds_owed = buf.adds_owed.saturating_sub(1);
        if buf.adds_owed > 0 {
            // Another lending of it is unanswered: which one this answers, no field
            // tells; the last answer decides.
            return;
        }
        buf.add_pending = None;
        if !status.is_success() {
            buf.owner = Owner::Absent;
            buf.written = 0;
            self.stats.add_buffer_failures += 1;
        }
    }

    fn on_remove_response(&mut self, status: Status, _session: u8, index: u8, buffer_id: u16) {
        if !self.gate(self.link == Link::Ready) {
            return;
        }
        if self
            .trigger_for(ibmvmc::wire::msg_type::REM_BUF_RESP)
            .is_err()
        {
            return;
        }
        let Some(conn) = self.conns.get_mut(index as usize) else {
            return self.protocol_error();
        };
        if conn.pending_removes == 0 {
            return self.protocol_error();
        }
        conn.pending_removes -= 1;
        self.stats.remove_buffer_responses += 1;
        if !status.is_success() {
            return;
        }
        let open = conn.open;
        match conn.bufs.get_mut(buffer_id as usize) {
            Some(buf) if buf.owner == Owner::Partition => {
                buf.owner = Owner::Absent;
                buf.written = 0;
            }
            // A buffer the partition does not hold; after a close, nothing to remove.
            _ if open => self.protocol_error(),
            _ => {}
        }
    }

    fn on_signal(&mut self, session: u8, index: u8, buffer_id: u16, len: u32) {
        self.stats.signals_in += 1;
        if !self.gate(self.link == Link::Ready) {
            return;
        }
        let Ok(trigger) = self.trigger_for(ibmvmc::wire::msg_type::SIGNAL) else {
            return;
        };
        let id = buffer_id as usize;
        let written = match self.conns.get(index as usize) {
            Some(conn)
                if index < self.neg.max_hmcs
                    && conn.open
                    && conn.session == session
                    && buffer_id < self.neg.pool
                    && len != 0
                    && len <= self.neg.mtu =>
            {
                match conn.bufs.get(id) {
                    Some(buf) if buf.owner == Owner::Partition => buf.written,
                    _ => return self.protocol_error(),
                }
            }
            _ => return self.protocol_error(),
        };
        // The message must have been RDMAed before the Signal.
        if written < len {
            self.protocol_error();
        }
        if let Some(buf) = self.buf_mut(index as usize, id) {
            buf.owner = Owner::Hypervisor;
        }
        let mtu = self.neg.mtu as usize;
        let mut stats = self.stats;
        let reply_len = match self.buf_mem(index as usize, id) {
            Some(mem) => hmc::serve(mem, len as usize, mtu, &mut stats),
            None => len as usize,
        };
        self.stats = stats;
        self.signal_partition(index, id, session, reply_len as u32);
        if trigger == Some(Trigger::Duplicate) {
            self.signal_partition(index, id, session, reply_len as u32);
        }
        if trigger == Some(Trigger::PartnerInit) {
            self.restart();
        }
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! ibmvmc-sim: a model of the PowerVM hypervisor's side of one Virtual Management
//! Channel device, implementing [`ibmvmc::hv::Device`].
//!
//! The host tests drive the driver core against it, and the x86_64 test kernel
//! compiles it into the module in place of the pseries hcalls. It follows LoPAR (the
//! CRQ, H_COPY_RDMA and the VMC chapter), not QEMU.
//!
//! # Model
//! - The partition's CRQ is `crq_entries` 16-byte slots used circularly. The
//!   hypervisor writes an entry (bytes 1..16, then the header) only into a free slot;
//!   an entry that does not fit waits in an in-order backlog of [`BACKLOG_CAPACITY`]
//!   entries, flushed as the partition takes entries off; beyond that it is lost and
//!   counted in [`SimStats::dropped_to_partition`]. The interrupt hook fires on an
//!   empty-to-non-empty transition while interrupts are enabled, never under the lock.
//! - H_SEND_CRQ from the partition is handled synchronously: the hypervisor's answers
//!   are on the partition's queue (or backlog) when it returns.
//! - The hypervisor's buffers live in the `hv_mem` given to [`Sim::new`]: buffer
//!   (index `i`, id `b`) is the `mtu` bytes at offset `(i * pool_size + b) * mtu`, mapped
//!   at LIOBA `hv_window_base` plus that offset. Each buffer is, in the hypervisor's
//!   view, absent, the partition's, or the hypervisor's; H_COPY_RDMA into a buffer the
//!   partition does not own is refused with H_PERMISSION.
//! - Every protocol violation by the partition is counted in
//!   [`SimStats::protocol_errors`]; a correct driver leaves it at zero. Messages that
//!   race with a reset the hypervisor started (sent before the partition could have
//!   seen the reset) are dropped without being counted, as LoPAR drops HMC interface
//!   messages received before the capabilities exchange.
//!
//! # Choices where LoPAR leaves one
//! - Status bytes: every failure the hypervisor reports is 1 (LoPAR's "general
//!   failure"), except a Capabilities Response to an incompatible major version,
//!   which says 2 ("invalid version").
//! - H_SEND_CRQ checks, in order: an injected failure, the header (H_PARAMETER),
//!   then the connection (H_CLOSED: partition not registered, hypervisor absent, or
//!   queue disabled by a suspend event).
//! - H_COPY_RDMA while the partition is not registered or the hypervisor is absent:
//!   the hypervisor's window is not authorised (LoPAR authorises logical remote DMA
//!   when the partner registers), so the remote side's parameter error: H_DEST_PARM
//!   for [`Device::rdma_to_hv`], H_SOURCE_PARM for [`Device::rdma_from_hv`]. Reads
//!   from the hypervisor's window are not checked for ownership.
//! - After transport event 0x01, 0x02 or 0x04 the hypervisor is gone; it registers
//!   again while the partition is deregistered (at the partition's H_FREE_CRQ, or at
//!   its H_REG_CRQ at the latest), so its own Initialize is lost (H_CLOSED), the
//!   partition's H_REG_CRQ returns H_SUCCESS and the partition's Initialize gets
//!   Initialization Complete: one clean handshake.
//! - H_REQUEST_VMC answers (H_SUCCESS, [`DEFAULT_DRC_INDEX`]) until
//!   [`Sim::set_request_vmc`] says otherwise.
//! - The exchange-ops response carries [`hmc::EXCHANGE_OPS_DATA`].
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use core::cell::RefCell;

use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::blocking_mutex::Mutex;
use ibmvmc::hv::Device;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::Status;
use ibmvmc::wire::CRQ_ENTRY_SIZE;
use ibmvmc::wire::PROTOCOL_VERSION;
use ibmvmc::HcallRc;

pub mod command;
pub mod hmc;
mod model;
mod queue;

use model::State;

/// Most HMC connections the simulator has room for.
pub const MAX_HMCS: usize = 2;
/// Most buffers per connection.
pub const MAX_POOL: usize = 64;
/// Largest MTU.
pub const MAX_MTU: u32 = 16384;
/// Most entries in the partition's queue ([`SimConfig::crq_entries`]).
pub const MAX_CRQ_ENTRIES: usize = 256;
/// Entries the hypervisor keeps back for the partition before it loses them.
pub const BACKLOG_CAPACITY: usize = 256;
/// Entries kept by [`Sim::trace`].
pub const TRACE_LEN: usize = 256;
/// Triggers that can be armed at once.
pub const MAX_TRIGGERS: usize = 16;
/// DRC index H_REQUEST_VMC returns by default.
pub const DEFAULT_DRC_INDEX: u32 = 0x1000_0001;
/// Type byte that [`Sim::on_message`] uses for the partition's Initialize (0xC0 0x01).
pub const TRIGGER_INIT: u8 = 0xC1;
/// Type byte that [`Sim::on_message`] uses for the partition's Initialization
/// Complete (0xC0 0x02).
pub const TRIGGER_INIT_COMPLETE: u8 = 0xC2;

/// How the simulated hypervisor is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct SimConfig {
    /// Announced in the Capabilities Response (1..=2); default 2.
    pub max_hmcs: u8,
    /// Buffers per connection (1..=64); default 64.
    pub pool_size: u16,
    /// Size of each hypervisor buffer (32..=16384); default 16384.
    pub mtu: u32,
    /// The hypervisor's queue size, announced in the Capabilities Response; default 256.
    pub hv_crq_size: u16,
    /// Protocol version announced; its major byte must match the partition's; default
    /// 0x0101.
    pub version: u16,
    /// Entries in the partition's queue (1..=[`MAX_CRQ_ENTRIES`]); default 256.
    pub crq_entries: u16,
    /// (base I/O address, size) of the partition's DMA window; default (0, 1 << 32).
    pub local_window: (u64, u64),
    /// LIOBA of the hypervisor's first buffer; default 0x1000_0000.
    pub hv_window_base: u32,
    /// Whether the hypervisor side is registered at start; default true.
    pub partner_present: bool,
    /// Buffers the hypervisor adds on Interface Open besides the one that carried the
    /// HMC ID (ids 1.., odd ids the partition's, even ids the hypervisor's); clamped to
    /// the negotiated pool size minus one; default `pool_size - 1`.
    pub open_add_buffers: u16,
    /// Whether the hypervisor gives each connection its seed buffer (Add Buffer of id
    /// 0, session 0) after the capabilities exchange and after each close; default
    /// true. Without it no connection can open.
    pub seed_buffers: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig::DEFAULT
    }
}

impl SimConfig {
    /// The default configuration, usable in `const` context (see [`Sim::new_static`]).
    pub const DEFAULT: SimConfig = SimConfig {
        max_hmcs: 2,
        pool_size: 64,
        mtu: 16384,
        hv_crq_size: 256,
        version: PROTOCOL_VERSION,
        crq_entries: 256,
        local_window: (0, 1 << 32),
        hv_window_base: 0x1000_0000,
        partner_present: true,
        open_add_buffers: 63,
        seed_buffers: true,
    };
}

impl SimConfig {
    /// The Capabilities this configuration announces.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_hmcs: self.max_hmcs,
            pool_size: self.pool_size,
            mtu: self.mtu,
            crq_size: self.hv_crq_size,
            version: self.version,
        }
    }

    /// Bytes of hypervisor memory this configuration needs.
    pub fn hv_mem_len(&self) -> usize {
        self.max_hmcs as usize * self.pool_size as usize * self.mtu as usize
    }

    fn valid(&self) -> bool {
        let (base, size) = self.local_window;
        (1..=MAX_HMCS as u8).contains(&self.max_hmcs)
            && (1..=MAX_POOL as u16).contains(&self.pool_size)
            && (ibmvmc::wire::HMC_ID_LEN as u32..=MAX_MTU).contains(&self.mtu)
            && (1..=MAX_CRQ_ENTRIES as u16).contains(&self.crq_entries)
            && base.checked_add(size).is_some()
            && (self.hv_window_base as u64 + self.hv_mem_len() as u64) <= u32::MAX as u64 + 1
    }
}

/// Why [`Sim::new`] refused its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum SimError {
    /// `hv_mem` is shorter than `max_hmcs * pool_size * mtu` bytes.
    HvMemoryTooSmall,
    /// A configuration value is out of range.
    BadConfig,
}

/// An hcall whose result [`Sim::fail_next`] can force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Hcall {
    /// H_REG_CRQ.
    RegCrq,
    /// H_FREE_CRQ.
    FreeCrq,
    /// H_ENABLE_CRQ.
    EnableCrq,
    /// H_SEND_CRQ.
    SendCrq,
    /// H_COPY_RDMA, both directions.
    CopyRdma,
    /// H_REQUEST_VMC.
    RequestVmc,
}

/// A one-shot reaction to the partition's next message of a given type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Trigger {
    /// Enqueue transport event `code` (with its modelled effect) instead of handling
    /// the message.
    TransportEvent(u8),
    /// The message is lost: no effect, no answer.
    Swallow,
    /// Answer with this status (Capabilities, Open and Close); a failing status means
    /// the request had no effect. Ignored for other messages.
    Status(Status),
    /// Handle the message, then restart (as [`Sim::partner_restart`]).
    PartnerInit,
    /// Handle the message and send its answer twice (a Signal's echo too).
    Duplicate,
    /// The partition's H_SEND_CRQ of the message returns this code, and the message
    /// has no effect (a send that fails: a full queue, a hardware error).
    Refuse(HcallRc),
    /// As [`Trigger::Refuse`], for the next `n` sends of messages of the type, one
    /// after the other (`n` of 0 or 1: once): enough H_DROPPED in a row exhausts the
    /// partition's retries of one message.
    RefuseTimes(HcallRc, u32),
}

/// Counters, each a plain count since [`Sim::new`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, defmt::Format)]
pub struct SimStats {
    /// Initialize entries received from the partition.
    pub inits: u32,
    /// Capabilities received.
    pub capabilities: u32,
    /// Interface Open received.
    pub opens: u32,
    /// Interface Close received.
    pub closes: u32,
    /// Signals received.
    pub signals_in: u32,
    /// Signals sent to the partition.
    pub signals_out: u32,
    /// HMC echo requests (router opcode 0x0103) answered.
    pub echoes: u32,
    /// HMC exchange-ops requests answered.
    pub exchange_ops: u32,
    /// HMC close requests answered.
    pub hmc_closes: u32,
    /// Messages that were not HMC-framed, echoed as they were.
    pub raw_echoes: u32,
    /// Add Buffer Responses with a failing status.
    pub add_buffer_failures: u32,
    /// Remove Buffer Responses received for a Remove Buffer.
    pub remove_buffer_responses: u32,
    /// Protocol violations by the partition.
    pub protocol_errors: u32,
    /// Where the simulator found the first of them: the line of `model.rs` whose check
    /// failed (0: none yet). For diagnosing a failing test.
    pub first_protocol_error_line: u32,
    /// H_COPY_RDMA calls that copied.
    pub rdma_ok: u32,
    /// H_COPY_RDMA calls that failed (injected failures included).
    pub rdma_failed: u32,
    /// Entries for the partition lost because the backlog was full.
    pub dropped_to_partition: u32,
    /// H_REG_CRQ calls that registered the partition's queue.
    pub registrations: u32,
    /// H_FREE_CRQ calls that freed a registered queue.
    pub frees: u32,
    /// H_ENABLE_CRQ calls that succeeded.
    pub enables: u32,
    /// H_SEND_CRQ calls a [`Trigger::Refuse`] or [`Trigger::RefuseTimes`] refused.
    pub refused: u32,
    /// The most H_SEND_CRQ calls of one same entry refused by those triggers with no
    /// accepted send of that entry and no registration in between: the attempts one
    /// message got before the partition gave up on it (or got it through).
    pub longest_refusal_streak: u32,
}

impl SimStats {
    /// Each counter with its name (the field's), in the order of [`Sim::write_stats`].
    pub const fn counters(&self) -> [(&'static str, u32); 22] {
        [
            ("inits", self.inits),
            ("capabilities", self.capabilities),
            ("opens", self.opens),
            ("closes", self.closes),
            ("signals_in", self.signals_in),
            ("signals_out", self.signals_out),
            ("echoes", self.echoes),
            ("exchange_ops", self.exchange_ops),
            ("hmc_closes", self.hmc_closes),
            ("raw_echoes", self.raw_echoes),
            ("add_buffer_failures", self.add_buffer_failures),
            ("remove_buffer_responses", self.remove_buffer_responses),
            ("protocol_errors", self.protocol_errors),
            ("first_protocol_error_line", self.first_protocol_error_line),
            ("rdma_ok", self.rdma_ok),
            ("rdma_failed", self.rdma_failed),
            ("dropped_to_partition", self.dropped_to_partition),
            ("registrations", self.registrations),
            ("frees", self.frees),
            ("enables", self.enables),
            ("refused", self.refused),
            ("longest_refusal_streak", self.longest_refusal_streak),
        ]
    }

    /// All counters zero.
    pub const ZERO: SimStats = SimStats {
        inits: 0,
        capabilities: 0,
        opens: 0,
        closes: 0,
        signals_in: 0,
        signals_out: 0,
        echoes: 0,
        exchange_ops: 0,
        hmc_closes: 0,
        raw_echoes: 0,
        add_buffer_failures: 0,
        remove_buffer_responses: 0,
        protocol_errors: 0,
        first_protocol_error_line: 0,
        rdma_ok: 0,
        rdma_failed: 0,
        dropped_to_partition: 0,
        registrations: 0,
        frees: 0,
        enables: 0,
        refused: 0,
        longest_refusal_streak: 0,
    };
}

/// Which way a traced entry went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Direction {
    /// Sent by the partition (H_SEND_CRQ accepted it).
    ToHypervisor,
    /// Sent by the hypervisor to the partition's queue.
    ToPartition,
}

/// The simulated hypervisor of one VMC device. All state sits behind one lock; the
/// interrupt hook is called with the lock released.
pub struct Sim {
    state: Mutex<CriticalSectionRawMutex, RefCell<State>>,
}

impl Sim {
    /// A hypervisor for `config`, with `hv_mem` (at least
    /// [`SimConfig::hv_mem_len`] bytes) as its buffer memory.
    ///
    /// # Errors
    /// [`SimError::BadConfig`] for a value out of range, [`SimError::HvMemoryTooSmall`]
    /// if `hv_mem` is too short.
    pub fn new(config: SimConfig, hv_mem: &'static mut [u8]) -> Result<Sim, SimError> {
        if !config.valid() {
            return Err(SimError::BadConfig);
        }
        if hv_mem.len() < config.hv_mem_len() {
            return Err(SimError::HvMemoryTooSmall);
        }
        Ok(Sim {
            state: Mutex::new(RefCell::new(State::new(config, hv_mem))),
        })
    }

    /// A simulator for `config` without hypervisor memory yet, built at compile time
    /// so that it can be a `static`: a `Sim` is about 14 KiB, too big to build on a
    /// kernel stack. [`Sim::attach`] gives it its memory; until then every hcall
    /// fails (the partition's queue works, no buffer exists).
    pub const fn new_static(config: SimConfig) -> Sim {
        Sim {
            state: Mutex::new(RefCell::new(State::new(config, &mut []))),
        }
    }

    /// Gives a [`Sim::new_static`] simulator its hypervisor memory, checking the
    /// configuration as [`Sim::new`] does.
    ///
    /// # Errors
    /// As [`Sim::new`].
    pub fn attach(&self, hv_mem: &'static mut [u8]) -> Result<(), SimError> {
        self.with(Err(SimError::BadConfig), |s| {
            if !s.cfg.valid() {
                return Err(SimError::BadConfig);
            }
            if hv_mem.len() < s.cfg.hv_mem_len() {
                return Err(SimError::HvMemoryTooSmall);
            }
            s.mem = hv_mem;
            Ok(())
        })
    }

    /// Takes the hypervisor memory back (before the caller frees it) and stops the
    /// interrupt hook. The simulator then answers nothing that needs memory.
    pub fn detach(&self) {
        self.with((), |s| {
            s.mem = &mut [];
            s.hook = None;
        });
    }

    /// Runs `f` on the state under the lock, then, with the lock released, calls the
    /// interrupt hook if `f` raised the interrupt. `fallback` if the state is already
    /// borrowed (impossible: nothing here calls out under the lock).
    fn with<R>(&self, fallback: R, f: impl FnOnce(&mut State) -> R) -> R {
        let (result, hook) = self.state.lock(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => {
                let result = f(&mut s);
                let hook = if core::mem::take(&mut s.pending_irq) {
                    s.hook
                } else {
                    None
                };
                (result, hook)
            }
            Err(_) => (fallback, None),
        });
        if let Some(hook) = hook {
            hook();
        }
        result
    }

    /// Sets the hook called on an empty-to-non-empty transition of the partition's
    /// queue while its interrupt is enabled (the virtual interrupt).
    pub fn set_irq(&self, hook: &'static (dyn Fn() + Sync)) {
        self.with((), |s| s.hook = Some(hook));
    }

    /// The next `count` calls of `call` return `rc` and do nothing else, except
    /// H_CLOSED from H_REG_CRQ: a success code, so the call does what it would have
    /// done, and answers H_CLOSED instead of H_SUCCESS (as if the partner were absent
    /// at that moment; it is not).
    pub fn fail_next(&self, call: Hcall, rc: HcallRc, count: u32) {
        self.with((), |s| s.set_failure(call, rc, count));
    }

    /// Puts `entry` on the partition's queue as if the hypervisor had sent it (in
    /// order with the hypervisor's other entries). An entry whose header lacks the
    /// valid bit (0x80) would be a free slot, so it is ignored; so is any entry while
    /// the partition is not registered.
    pub fn inject_entry(&self, entry: [u8; 16]) {
        self.with((), |s| {
            if entry.first().is_some_and(|h| h & 0x80 != 0) {
                s.emit(entry);
            }
        });
    }

    /// Transport event `code`, with its effect: 0x01, 0x02 and 0x04 take the
    /// hypervisor away (it forgets its connections; the partition's sends return
    /// H_CLOSED until it frees and registers its queue again); 0x06 disables the
    /// partition's queue until H_ENABLE_CRQ (the hypervisor forgets its connections
    /// and waits for the partition's Initialize); any other code is only enqueued.
    pub fn transport_event(&self, code: u8) {
        self.with((), |s| s.transport(code));
    }

    /// Arms a one-shot `trigger` for the partition's next message of type `msg_type`
    /// (the VMC type byte, or [`TRIGGER_INIT`] / [`TRIGGER_INIT_COMPLETE`]). Several
    /// may be armed, for the same type too (they fire in the order armed); beyond
    /// [`MAX_TRIGGERS`] the new one is ignored.
    pub fn on_message(&self, msg_type: u8, trigger: Trigger) {
        self.with((), |s| s.arm(msg_type, trigger));
    }

    /// What every following Capabilities Response announces (its status still comes
    /// from the version check and triggers; the version check uses
    /// [`SimConfig::version`], not this). The hypervisor itself never goes beyond its
    /// configuration: it uses the minimum of this, the partition's values and the
    /// configuration.
    pub fn set_capabilities(&self, caps: Capabilities) {
        self.with((), |s| s.caps_override = Some(caps));
    }

    /// The hypervisor deregisters and stays away: the partition gets transport event
    /// 2 (partner deregistered), and its H_REG_CRQ answers H_CLOSED until
    /// [`Sim::partner_arrive`].
    pub fn partner_depart(&self) {
        self.with((), |s| s.depart());
    }

    /// The hypervisor registers (if it was absent): sends Initialize if the partition
    /// is registered.
    pub fn partner_arrive(&self) {
        self.with((), |s| s.arrive());
    }

    /// The hypervisor restarts: forgets every connection and the capabilities, and
    /// sends Initialize (if the partition is registered).
    pub fn partner_restart(&self) {
        self.with((), |s| s.restart());
    }

    /// Sends Remove Buffer for connection `hmc_index`; false if the capabilities are
    /// not agreed or the index is out of range.
    pub fn remove_buffer(&self, hmc_index: u8) -> bool {
        self.with(false, |s| s.request_remove(hmc_index))
    }

    /// Sends `data` as an unsolicited message to the partition in a hypervisor-owned
    /// buffer of open connection `hmc_index` (the lowest such ID). False if the
    /// connection is not open, no buffer is the hypervisor's, or `data` is empty or
    /// longer than the negotiated MTU.
    pub fn send_hmc_message(&self, hmc_index: u8, data: &[u8]) -> bool {
        self.with(false, |s| s.send_message(hmc_index, data))
    }

    /// Sends a Signal as a hypervisor might, each field as given, right or wrong. If it
    /// names the session open on `hmc_index` and a buffer the hypervisor holds, `data`
    /// (if it fits the negotiated MTU) is written there first, and the buffer goes to
    /// the partition whatever `msg_len` says (LoPAR: the sender gives up the buffer it
    /// signals); otherwise no buffer changes hands. Returns whether the Signal was well
    /// formed: that session, such a buffer, and `msg_len` the length of `data`
    /// (1..=MTU).
    pub fn send_signal(
        &self,
        hmc_index: u8,
        hmc_session: u8,
        buffer_id: u16,
        msg_len: u32,
        data: &[u8],
    ) -> bool {
        self.with(false, |s| {
            s.send_signal(hmc_index, hmc_session, buffer_id, msg_len, data)
        })
    }

    /// The lowest buffer ID of connection `hmc_index` (within the negotiated pool)
    /// that the hypervisor holds (`by_hypervisor`) or the partition holds.
    pub fn buffer_held(&self, hmc_index: u8, by_hypervisor: bool) -> Option<u16> {
        self.with(None, |s| s.buffer_held(hmc_index, by_hypervisor))
    }

    /// What H_REQUEST_VMC answers from now on.
    pub fn set_request_vmc(&self, rc: HcallRc, drc_index: u32) {
        self.with((), |s| s.request_vmc = (rc, drc_index));
    }

    /// While held, entries for the partition are kept back in order; releasing
    /// flushes them (as far as the queue has room).
    pub fn hold_responses(&self, hold: bool) {
        self.with((), |s| {
            s.held = hold;
            s.flush();
        });
    }

    /// While held, the seed buffer each connection gets after the capabilities
    /// exchange and after each close is kept back (the partition sees the close
    /// response, and no buffer yet); releasing sends the buffers owed.
    pub fn hold_seeds(&self, hold: bool) {
        self.with((), |s| s.hold_seeds(hold));
    }

    /// The counters.
    pub fn stats(&self) -> SimStats {
        self.with(SimStats::default(), |s| s.stats)
    }

    /// Calls `f` on each of the last [`TRACE_LEN`] entries, both ways, oldest first.
    /// `f` runs under the simulator's lock: it must not call the simulator.
    pub fn trace(&self, f: &mut dyn FnMut(Direction, &[u8; 16])) {
        self.with((), |s| s.trace.for_each(f));
    }

    /// The HMC ID the partition sent with its last Interface Open on `hmc_index`.
    pub fn hmc_id(&self, hmc_index: u8) -> Option<[u8; 32]> {
        self.with(None, |s| {
            s.conns.get(hmc_index as usize).and_then(|c| c.hmc_id)
        })
    }

    /// The session number of open connection `hmc_index`; `None` if it is not open.
    pub fn session(&self, hmc_index: u8) -> Option<u8> {
        self.with(None, |s| {
            s.conns
                .get(hmc_index as usize)
                .and_then(|c| c.open.then_some(c.session))
        })
    }

    /// Buffers of connection `hmc_index` that the hypervisor considers the
    /// partition's.
    pub fn partition_owned(&self, hmc_index: u8) -> u16 {
        self.with(0, |s| {
            s.conns
                .get(hmc_index as usize)
                .map_or(0, |c| c.partition_owned())
        })
    }

    /// Entries for the partition not yet taken: on its queue plus in the backlog.
    pub fn queued_to_partition(&self) -> usize {
        self.with(0, |s| s.queue.valid() as usize + s.backlog.len())
    }

    /// The simulator's counters as text, one `name value` per line: each of
    /// [`SimStats::counters`], then `queued_to_partition`. What the x86_64 test module's
    /// debugfs `ibmvmc/sim` reads back, and the QEMU device's statistics.
    pub fn write_stats(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        for (name, value) in self.stats().counters() {
            writeln!(out, "{name} {value}")?;
        }
        writeln!(out, "queued_to_partition {}", self.queued_to_partition())
    }

    /// The LIOBA of buffer (`hmc_index`, `buffer_id`) in the hypervisor's window, if
    /// both are within the configuration.
    pub fn buffer_lioba(&self, hmc_index: u8, buffer_id: u16) -> Option<u32> {
        self.with(None, |s| s.lioba(hmc_index as usize, buffer_id as usize))
    }
}

impl Device for Sim {
    fn crq_entries(&self) -> u16 {
        self.with(0, |s| s.cfg.crq_entries)
    }

    fn reg_crq(&self) -> HcallRc {
        self.with(HcallRc::BUSY, |s| s.reg_crq())
    }

    fn free_crq(&self) -> HcallRc {
        self.with(HcallRc::BUSY, |s| s.free_crq())
    }

    fn enable_crq(&self) -> HcallRc {
        self.with(HcallRc::BUSY, |s| s.enable_crq())
    }

    fn send_crq(&self, entry: &[u8; CRQ_ENTRY_SIZE]) -> HcallRc {
        self.with(HcallRc::BUSY, |s| s.send_crq(entry))
    }

    fn next_crq(&self) -> Option<[u8; CRQ_ENTRY_SIZE]> {
        self.with(None, |s| s.next_crq())
    }

    fn enable_interrupts(&self) {
        self.with((), |s| s.irq_enabled = true);
    }

    fn disable_interrupts(&self) {
        self.with((), |s| s.irq_enabled = false);
    }

    fn rdma_to_hv(&self, local: &[u8], local_ioba: u64, remote_lioba: u32) -> HcallRc {
        self.with(HcallRc::BUSY, |s| {
            s.rdma_to_hv(local, local_ioba, remote_lioba)
        })
    }

    fn rdma_from_hv(&self, remote_lioba: u32, local: &mut [u8], local_ioba: u64) -> HcallRc {
        self.with(HcallRc::BUSY, |s| {
            s.rdma_from_hv(remote_lioba, local, local_ioba)
        })
    }

    fn request_vmc(&self) -> (HcallRc, u32) {
        self.with((HcallRc::BUSY, 0), |s| {
            match s.injected(Hcall::RequestVmc) {
                Some(rc) => (rc, 0),
                None => s.request_vmc,
            }
        })
    }
}

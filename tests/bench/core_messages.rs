// SPDX-License-Identifier: GPL-2.0-or-later
//! Instructions per HMC message through the driver core, inbound and outbound, with
//! RDMA simulated by `memcpy`, next to the bare copies the same messages need anyway.
//!
//! Meant to be run under callgrind by `tools/bench/core.sh`, which counts the
//! instructions executed inside each measured function (`outbound_one`, `inbound_one`,
//! `baseline_outbound_one`, `baseline_inbound_one`) for two message counts and reports
//! the difference divided by the extra messages, so setup cost cancels out.
//!
//! No executor and no simulator: the bench has its own minimal hypervisor
//! ([`BenchDevice`]: a fixed ring of 16-byte entries, an array for the hypervisor's
//! memory) and polls the core's three futures itself ([`Tasks::settle`]) with wakers
//! that only raise a flag, so that what is counted is the core and the copies.
//!
//! - `outbound_one`: `Vmc::write` of one message: the fill copy (user to local buffer),
//!   the RDMA copy (local buffer to the hypervisor's), the Signal to the hypervisor.
//! - `inbound_one`: the hypervisor signals the buffer just written back (it is the
//!   hypervisor's after the write), `Vmc::interrupt`, the CRQ task runs (dispatch, RDMA
//!   copy in, receive queue, wake), then `Vmc::read` copies it out. The buffer is free
//!   again afterwards, so the loop recycles it.
//! - `baseline_*_one`: the same two copies and the codec work of one entry
//!   (`CrqRepr::to_bytes` out, `CrqRepr::from_bytes` in), without the core.
//!
//! A counting global allocator checks that the measured loops allocate nothing; the
//! process exits non-zero if they did (or if any message went missing).
//!
//! ```text
//! core_messages <core|baseline|all> <pool> <len> <n> [level]
//!     set up (pool = buf_pool_size, 16..=64), then run the measured loop(s) n times:
//!     core: outbound_one + inbound_one; baseline: the two baselines; all: both;
//!     level: the run-time trace level (default debug; the module ships with info)
//! core_messages            (as `cargo bench`) a quick wall-clock run of each size
//! ```
//!
//! Logging: with the default `DEFMT_LOG=trace` (`.cargo/config.toml`, as the module is
//! built) the core's trace call sites are compiled in and, at the run-time level debug,
//! log into `ibmvmc-hostlog`, which keeps frames in a growing `Vec` (a host artefact:
//! the module's ring is fixed). Before the measured loop that capture is pre-grown so it
//! does not reallocate during the loop; see [`presize_logger`]. At the level info (the
//! module's default) the per-message call sites only load and compare the level. With
//! `DEFMT_LOG=off` there is nothing to log.

use std::alloc::GlobalAlloc;
use std::alloc::Layout;
use std::alloc::System;
use std::cell::Cell;
use std::cell::UnsafeCell;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;
use std::task::Context;
use std::task::RawWaker;
use std::task::RawWakerVTable;
use std::task::Waker;
use std::time::Instant;

use ibmvmc::hv::Device;
use ibmvmc::hv::HcallRc;
use ibmvmc::hv::Timers;
use ibmvmc::hv::Waiters;
use ibmvmc::state::Buf;
use ibmvmc::state::ConnState;
use ibmvmc::state::DriverState;
use ibmvmc::wire::msg_type;
use ibmvmc::wire::BufferOwner;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::VmcMessage;
use ibmvmc::wire::CRQ_ENTRY_SIZE;
use ibmvmc::wire::PROTOCOL_VERSION;
use ibmvmc::CoreState;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::LocalBuf;
use ibmvmc::Params;
use ibmvmc::Vmc;
use ibmvmc_hostlog as _;

// ---------------------------------------------------------------------------------
// Counting allocator

/// Heap allocations (alloc, alloc_zeroed, realloc) since the process started.
static ALLOCS: AtomicU64 = AtomicU64::new(0);

struct CountingAlloc;

// SAFETY: every call is forwarded unchanged to `System`; the counter is a side effect.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn allocs() -> u64 {
    ALLOCS.load(Relaxed)
}

// ---------------------------------------------------------------------------------
// The hypervisor

/// Message size the bench runs with (the default and smallest `max_mtu`).
const MTU: usize = 4096;
/// Entries in the partition's CRQ (a power of two, for the ring index).
const QUEUE: usize = 256;
/// Where the hypervisor's buffer `id` sits in its window: `id * MTU`.
const fn lioba(id: u16) -> u32 {
    id as u32 * MTU as u32
}

/// A minimal PowerVM: answers the handshake and the open the way the hypervisor does,
/// accepts Signals by remembering the last one, and copies for H_COPY_RDMA.
///
/// Single-threaded: the bench calls into the core from one thread only, and the core
/// never calls the device re-entrantly from inside a device call.
struct BenchDevice {
    /// The partition's CRQ: entries `head..tail` (mod QUEUE) are valid.
    queue: UnsafeCell<[[u8; CRQ_ENTRY_SIZE]; QUEUE]>,
    head: Cell<usize>,
    tail: Cell<usize>,
    /// The hypervisor's message buffers, `pool * MTU` bytes.
    hv_mem: UnsafeCell<Box<[u8]>>,
    /// Buffers per connection the hypervisor offers (and adds).
    pool: u16,
    /// The last Signal the partition sent, as it came.
    last_signal: Cell<[u8; CRQ_ENTRY_SIZE]>,
    /// Entries the partition sent that the hypervisor found wrong, and queue overflows.
    errors: Cell<u32>,
}

// SAFETY: single-threaded use only (see the type's documentation); the cells and the
// queue are never touched from two threads.
unsafe impl Sync for BenchDevice {}

impl BenchDevice {
    fn new(pool: u16) -> Self {
        BenchDevice {
            queue: UnsafeCell::new([[0; CRQ_ENTRY_SIZE]; QUEUE]),
            head: Cell::new(0),
            tail: Cell::new(0),
            hv_mem: UnsafeCell::new(vec![0u8; pool as usize * MTU].into_boxed_slice()),
            pool,
            last_signal: Cell::new([0; CRQ_ENTRY_SIZE]),
            errors: Cell::new(0),
        }
    }

    /// Puts one entry on the partition's queue (the hypervisor's side of H_SEND_CRQ).
    fn enqueue(&self, entry: [u8; CRQ_ENTRY_SIZE]) {
        let tail = self.tail.get();
        if tail.wrapping_sub(self.head.get()) >= QUEUE {
            self.errors.set(self.errors.get() + 1);
            return;
        }
        // SAFETY: single-threaded, and no reference into the queue outlives a call.
        unsafe { (*self.queue.get())[tail % QUEUE] = entry };
        self.tail.set(tail.wrapping_add(1));
    }

    fn enqueue_repr(&self, repr: CrqRepr) {
        self.enqueue(repr.to_bytes());
    }

    fn pending(&self) -> usize {
        self.tail.get().wrapping_sub(self.head.get())
    }

    /// The hypervisor hands the buffer of the partition's last Signal back with a
    /// Signal of its own: same session, index, buffer and length (a Signal reads the
    /// same in both directions), and its memory still holds what the partition RDMAed.
    fn echo_last_signal(&self) {
        self.enqueue(self.last_signal.get());
    }

    /// Add Buffer for `id`: the first half of the pool for the management partition
    /// (its send buffers), the second half for the hypervisor.
    fn add_buffer(&self, id: u16) {
        let owner = if id < self.pool / 2 {
            BufferOwner::ManagementPartition
        } else {
            BufferOwner::Hypervisor
        };
        self.enqueue_repr(CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session: 0,
            hmc_index: 0,
            buffer_id: id,
            owner,
            lioba: lioba(id),
        }));
    }

    /// Runs `copy` on `len` bytes of the hypervisor's memory at `lioba` (one
    /// H_COPY_RDMA), or answers H_PARAMETER if they are outside it.
    fn with_hv(&self, lioba: u32, len: usize, copy: impl FnOnce(&mut [u8])) -> HcallRc {
        // SAFETY: single-threaded, and the slice does not outlive this call.
        let mem = unsafe { &mut *self.hv_mem.get() };
        let end = (lioba as usize).saturating_add(len);
        match mem.get_mut(lioba as usize..end) {
            Some(remote) => {
                copy(remote);
                HcallRc::SUCCESS
            }
            None => HcallRc::PARAMETER,
        }
    }

    /// The hypervisor's reaction to anything but a Signal (setup only).
    fn answer(&self, entry: &[u8; CRQ_ENTRY_SIZE]) {
        let Ok(repr) = CrqRepr::from_bytes(entry) else {
            self.errors.set(self.errors.get() + 1);
            return;
        };
        match repr {
            CrqRepr::Init => self.enqueue_repr(CrqRepr::InitComplete),
            CrqRepr::Vmc(VmcMessage::Capabilities(_)) => {
                self.enqueue_repr(CrqRepr::Vmc(VmcMessage::CapabilitiesResponse {
                    status: Status::Success,
                    capabilities: Capabilities {
                        max_hmcs: 1,
                        pool_size: self.pool,
                        mtu: MTU as u32,
                        crq_size: QUEUE as u16,
                        version: PROTOCOL_VERSION,
                    },
                }));
                // As PowerVM does: the buffers right behind the response.
                for id in 0..self.pool {
                    self.add_buffer(id);
                }
            }
            CrqRepr::Vmc(VmcMessage::InterfaceOpen {
                hmc_session,
                hmc_index,
                buffer_id,
            }) => {
                self.enqueue_repr(CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse {
                    status: Status::Success,
                    hmc_session,
                    hmc_index,
                    buffer_id,
                }));
            }
            CrqRepr::Vmc(VmcMessage::InterfaceClose {
                hmc_session,
                hmc_index,
            }) => {
                self.enqueue_repr(CrqRepr::Vmc(VmcMessage::InterfaceCloseResponse {
                    status: Status::Success,
                    hmc_session,
                    hmc_index,
                }));
            }
            CrqRepr::Vmc(VmcMessage::AddBufferResponse { status, .. }) if status.is_success() => {}
            CrqRepr::InitComplete => {}
            _ => self.errors.set(self.errors.get() + 1),
        }
    }
}

impl Device for BenchDevice {
    fn crq_entries(&self) -> u16 {
        QUEUE as u16
    }

    fn reg_crq(&self) -> HcallRc {
        self.head.set(0);
        self.tail.set(0);
        HcallRc::SUCCESS
    }

    fn free_crq(&self) -> HcallRc {
        HcallRc::SUCCESS
    }

    fn enable_crq(&self) -> HcallRc {
        HcallRc::SUCCESS
    }

    fn send_crq(&self, entry: &[u8; CRQ_ENTRY_SIZE]) -> HcallRc {
        // The measured path sends only Signals: accept them by remembering them.
        if entry[0] == ibmvmc::wire::header::COMMAND_RESPONSE && entry[1] == msg_type::SIGNAL {
            self.last_signal.set(*entry);
        } else {
            self.answer(entry);
        }
        HcallRc::SUCCESS
    }

    fn next_crq(&self) -> Option<[u8; CRQ_ENTRY_SIZE]> {
        let head = self.head.get();
        if head == self.tail.get() {
            return None;
        }
        // SAFETY: single-threaded, and no reference into the queue outlives a call.
        let entry = unsafe { (*self.queue.get())[head % QUEUE] };
        self.head.set(head.wrapping_add(1));
        Some(entry)
    }

    fn enable_interrupts(&self) {}

    fn disable_interrupts(&self) {}

    fn rdma_to_hv(&self, local: &[u8], _local_ioba: u64, remote_lioba: u32) -> HcallRc {
        self.with_hv(remote_lioba, local.len(), |remote| {
            remote.copy_from_slice(local)
        })
    }

    fn rdma_from_hv(&self, remote_lioba: u32, local: &mut [u8], _local_ioba: u64) -> HcallRc {
        self.with_hv(remote_lioba, local.len(), |remote| {
            local.copy_from_slice(remote)
        })
    }

    fn request_vmc(&self) -> (HcallRc, u32) {
        (HcallRc::SUCCESS, 0x1234)
    }
}

/// The wait queues: a counter.
#[derive(Default)]
struct BenchWaiters {
    wakes: AtomicU64,
}

impl Waiters for BenchWaiters {
    fn wake(&self, _hmc_index: u8) {
        self.wakes.fetch_add(1, Relaxed);
    }
}

/// The timers: never fire (nothing in the measured loops waits on time).
struct BenchTimers;

impl Timers for BenchTimers {
    fn now_us(&self) -> u64 {
        0
    }
    fn now_ns(&self) -> u64 {
        0
    }
    fn arm(&self, _slot: u8, _delay_us: u64) {}
    fn disarm(&self, _slot: u8) {}
}

type BenchVmc = Vmc<BenchDevice, BenchWaiters, BenchTimers>;

// ---------------------------------------------------------------------------------
// Running the core's futures without an executor

/// One "woken" flag per task; a task's waker raises its flag and nothing else.
static WOKEN: [AtomicBool; 3] = [const { AtomicBool::new(true) }; 3];

const VTABLE: RawWakerVTable = RawWakerVTable::new(waker_clone, waker_wake, waker_wake, waker_drop);

fn waker_clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &VTABLE)
}

fn waker_wake(data: *const ()) {
    // SAFETY: `data` is always a pointer to one of the `WOKEN` statics (see `Tasks::new`).
    unsafe { &*(data as *const AtomicBool) }.store(true, Relaxed);
}

fn waker_drop(_data: *const ()) {}

/// The core's three futures (CRQ, link, session 0), pinned by the caller, and their
/// wakers.
struct Tasks<'a> {
    futures: [Pin<&'a mut dyn Future<Output = ()>>; 3],
    wakers: [Waker; 3],
    done: [bool; 3],
}

impl<'a> Tasks<'a> {
    fn new(futures: [Pin<&'a mut dyn Future<Output = ()>>; 3]) -> Self {
        let wakers = std::array::from_fn(|i| {
            let data = &WOKEN[i] as *const AtomicBool as *const ();
            // SAFETY: the vtable's functions uphold the RawWaker contract: the data is a
            // `'static` atomic, clone copies the pointer, drop does nothing.
            unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) }
        });
        for flag in &WOKEN {
            flag.store(true, Relaxed);
        }
        Tasks {
            futures,
            wakers,
            done: [false; 3],
        }
    }

    /// Polls every woken task until none is woken (what the executor's `poll` loop
    /// does in the bottom half). Panics on a livelock.
    #[inline(never)]
    fn settle(&mut self) {
        for _ in 0..100_000 {
            let mut any = false;
            let tasks = self
                .futures
                .iter_mut()
                .zip(&self.wakers)
                .zip(&mut self.done);
            for (((future, waker), done), woken) in tasks.zip(&WOKEN) {
                if woken.swap(false, Relaxed) && !*done {
                    any = true;
                    if future
                        .as_mut()
                        .poll(&mut Context::from_waker(waker))
                        .is_ready()
                    {
                        *done = true;
                    }
                }
            }
            if !any {
                return;
            }
        }
        panic!("the core's tasks never went idle");
    }
}

/// Setup only: runs the tasks and raises the interrupt while the hypervisor has
/// entries queued for the partition.
fn pump(vmc: &BenchVmc, tasks: &mut Tasks<'_>) {
    tasks.settle();
    for _ in 0..1000 {
        if vmc.device().pending() == 0 {
            return;
        }
        vmc.interrupt();
        tasks.settle();
    }
    panic!("the CRQ task does not drain its queue");
}

// ---------------------------------------------------------------------------------
// The measured functions

/// One outbound message: `write()` with the user copy, the RDMA, the Signal.
#[no_mangle]
#[inline(never)]
fn outbound_one(vmc: &BenchVmc, file: &File, user: &[u8]) -> Result<usize, Errno> {
    vmc.write(file, user.len(), |dst| {
        dst.copy_from_slice(user);
        Ok(())
    })
}

/// One inbound message: the hypervisor signals the buffer back, the interrupt wakes
/// the CRQ task, it runs, and `read()` copies the message out to `user`.
#[no_mangle]
#[inline(never)]
fn inbound_one(
    vmc: &BenchVmc,
    tasks: &mut Tasks<'_>,
    file: &File,
    user: &mut [u8],
) -> Result<usize, Errno> {
    vmc.device().echo_last_signal();
    vmc.interrupt();
    tasks.settle();
    vmc.read(file, MTU, |src| match user.get_mut(..src.len()) {
        Some(dst) => {
            dst.copy_from_slice(src);
            Ok(())
        }
        None => Err(Errno::Fault),
    })
}

/// Buffers for the baseline: the same four copies, in memory laid out as the core's.
struct Bare {
    local: Box<[u8]>,
    hv: Box<[u8]>,
    entry: [u8; CRQ_ENTRY_SIZE],
}

/// Outbound without the core: user to local buffer, local to hypervisor, one entry
/// emitted.
#[no_mangle]
#[inline(never)]
fn baseline_outbound_one(bare: &mut Bare, user: &[u8]) {
    let len = user.len();
    bare.local[..len].copy_from_slice(user);
    bare.hv[..len].copy_from_slice(&bare.local[..len]);
    let signal = VmcMessage::Signal {
        hmc_session: 1,
        hmc_index: 0,
        buffer_id: 0,
        msg_len: len as u32,
    };
    bare.entry = black_box(CrqRepr::Vmc(signal)).to_bytes();
}

/// Inbound without the core: one entry parsed, hypervisor to local buffer, local to
/// user.
#[no_mangle]
#[inline(never)]
fn baseline_inbound_one(bare: &mut Bare, user: &mut [u8]) -> usize {
    let len = match CrqRepr::from_bytes(black_box(&bare.entry)) {
        Ok(CrqRepr::Vmc(VmcMessage::Signal { msg_len, .. })) => msg_len as usize,
        _ => return 0,
    };
    bare.local[..len].copy_from_slice(&bare.hv[..len]);
    user[..len].copy_from_slice(&bare.local[..len]);
    len
}

// ---------------------------------------------------------------------------------
// Setup and the run

/// The core's state when the measured loop starts and ends, for the sanity checks.
#[derive(Clone, Copy)]
struct Marks {
    allocs: u64,
    frames: u64,
    msgs_in: u64,
    msgs_out: u64,
    dropped: u64,
}

fn marks(vmc: &BenchVmc) -> Marks {
    let stats = vmc.stats();
    Marks {
        allocs: allocs(),
        frames: ibmvmc_hostlog::frames(),
        msgs_in: stats.msgs_in,
        msgs_out: stats.msgs_out,
        dropped: stats.dropped_invalid + stats.dropped_rdma + stats.hcall_failures,
    }
}

/// Whether defmt call sites log at all in this build (`DEFMT_LOG=off` removes them).
fn logging_compiled_in() -> bool {
    let before = ibmvmc_hostlog::frames();
    defmt::debug!("core_messages: logging probe");
    ibmvmc_hostlog::frames() != before
}

/// `ibmvmc-hostlog` keeps its frames in a `Vec` that grows by doubling until it holds
/// [`ibmvmc_hostlog::CAPACITY`] bytes and then starts over (keeping its capacity). So
/// that the measured loop does not see that growth, leave the capture with room for
/// `needed` more bytes: empty it, then log just over half of a power of two that is at
/// least twice `needed` (the capacity becomes that power of two), or, if that is more
/// than the capture ever holds, log until it has started over once.
fn presize_logger(needed: usize) {
    let blob = [0x5Au8; 4096];
    drop(ibmvmc_hostlog::take());
    defmt::debug!("core_messages: warm-up {=[u8]}", blob);
    let frame = ibmvmc_hostlog::take().len();
    let slack = frame + 64;
    let target = (2 * (needed + slack)).next_power_of_two();
    if target > ibmvmc_hostlog::CAPACITY {
        let lost = ibmvmc_hostlog::lost();
        while ibmvmc_hostlog::lost() == lost {
            defmt::debug!("core_messages: warm-up {=[u8]}", blob);
        }
        return;
    }
    // Frames differ by a few bytes (the timestamp): count each as 16 bytes short.
    let frames = target / 2 / frame.saturating_sub(16).max(1) + 1;
    for _ in 0..frames {
        defmt::debug!("core_messages: warm-up {=[u8]}", blob);
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("core_messages: {msg}");
    ExitCode::FAILURE
}

fn err<T>(msg: impl Into<String>) -> Result<T, String> {
    Err(msg.into())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Core,
    Baseline,
    All,
}

/// Sets up a driver with `pool` buffers, runs the loop(s) `n` times with messages of
/// `len` bytes, checks that nothing was lost or allocated, and prints a summary line.
fn run(which: Which, pool: u16, len: usize, n: u64, quiet: bool) -> Result<(), String> {
    if len == 0 || len > MTU {
        return err(format!("len must be 1..={MTU}"));
    }
    let (params, clamped) = Params::clamped(pool as i64, 1, MTU as i64);
    if clamped.any() {
        return err(format!("pool {pool} out of range (16..=64)"));
    }
    let local: Vec<LocalBuf> = (0..params.local_buffers())
        .map(|i| LocalBuf::new(vec![0u8; MTU].leak(), 0x10_0000 + (i * MTU) as u64))
        .collect();
    let local: &'static [LocalBuf] = local.leak();
    let vmc: BenchVmc = match Vmc::new(
        BenchDevice::new(pool),
        BenchWaiters::default(),
        BenchTimers,
        params,
        local,
        Box::leak(Box::new(CoreState::new())),
    ) {
        Ok(vmc) => vmc,
        Err(e) => return err(format!("Vmc::new: {e:?}")),
    };
    let crq = pin!(vmc.run_crq());
    let link = pin!(vmc.run_link());
    let session = pin!(vmc.run_session(0));
    let mut tasks = Tasks::new([crq, link, session]);

    // Handshake: Initialize, Complete, Capabilities and their response, Add Buffers.
    pump(&vmc, &mut tasks);
    if vmc.driver_state() != DriverState::Ready {
        return err("handshake did not reach ready");
    }
    let added = |vmc: &BenchVmc| {
        vmc.snapshot().conns[0]
            .bufs
            .iter()
            .filter(|b| **b != Buf::Invalid)
            .count()
    };
    if added(&vmc) < pool as usize {
        // PowerVM sends its Add Buffers right behind the Capabilities Response: all of
        // them must be taken.
        return err(format!(
            "{} of {pool} Add Buffers behind the Capabilities Response were dropped",
            pool as usize - added(&vmc)
        ));
    }

    // Open: SETHMCID, the session task RDMAs the ID and sends Interface Open, the
    // hypervisor answers.
    let file = File::new();
    if let Err(errno) = vmc.set_hmc_id(&file, &[0x42; 32]) {
        return err(format!("SETHMCID: {errno:?}"));
    }
    pump(&vmc, &mut tasks);
    let conn = &vmc.snapshot().conns[0];
    if conn.state != ConnState::Ready {
        return err(format!("connection not ready: {:?}", conn.state));
    }
    let (free, busy, hv) = conn.buffer_counts();
    if (free, busy, hv) != (pool as usize / 2, 0, pool as usize - pool as usize / 2) {
        return err(format!(
            "unexpected pool after the open: free {free} busy {busy} hypervisor's {hv}"
        ));
    }

    let user_out: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
    let mut user_in = vec![0u8; MTU];
    let mut bare = Bare {
        local: vec![0u8; MTU].into_boxed_slice(),
        hv: vec![0u8; MTU].into_boxed_slice(),
        entry: [0; CRQ_ENTRY_SIZE],
    };

    // A few unmeasured round trips: everything warm, and the round trip checked.
    for _ in 0..8 {
        if outbound_one(&vmc, &file, &user_out) != Ok(len) {
            return err("warm-up write failed");
        }
        if inbound_one(&vmc, &mut tasks, &file, &mut user_in) != Ok(len)
            || user_in[..len] != user_out[..]
        {
            return err("warm-up read failed or returned other bytes");
        }
        baseline_outbound_one(&mut bare, &user_out);
        if baseline_inbound_one(&mut bare, &mut user_in) != len {
            return err("baseline failed");
        }
    }

    // The host logger's capture must not grow inside the loop (see `presize_logger`).
    let logging = logging_compiled_in();
    let mut log_bytes_per_pair = 0;
    if logging {
        drop(ibmvmc_hostlog::take());
        const CALIBRATE: usize = 16;
        for _ in 0..CALIBRATE {
            let _ = outbound_one(&vmc, &file, &user_out);
            let _ = inbound_one(&vmc, &mut tasks, &file, &mut user_in);
        }
        log_bytes_per_pair = ibmvmc_hostlog::take().len() / CALIBRATE;
        let loops = if which == Which::Baseline {
            0
        } else {
            n as usize
        };
        presize_logger(log_bytes_per_pair * loops + 4096);
    }
    user_in.fill(0);

    let before = marks(&vmc);
    let mut failures = 0u64;
    let n = black_box(n);
    if which != Which::Baseline {
        for _ in 0..n {
            failures += (outbound_one(&vmc, &file, &user_out) != Ok(len)) as u64;
            failures += (inbound_one(&vmc, &mut tasks, &file, &mut user_in) != Ok(len)) as u64;
        }
    }
    if which != Which::Core {
        for _ in 0..n {
            baseline_outbound_one(&mut bare, &user_out);
            failures += (baseline_inbound_one(&mut bare, &mut user_in) != len) as u64;
        }
    }
    let after = marks(&vmc);

    let allocations = after.allocs - before.allocs;
    let core_msgs = if which == Which::Baseline { 0 } else { n };
    let frames = after.frames - before.frames;
    if !quiet {
        println!(
            "pool={pool} len={len} n={n} allocs={allocations} logging={} frames_per_msg={:.2} log_bytes_per_msg={}",
            if logging { "on" } else { "off" },
            if core_msgs == 0 { 0.0 } else { frames as f64 / (2 * core_msgs) as f64 },
            log_bytes_per_pair / 2,
        );
    }
    let mut ok = true;
    if allocations != 0 {
        eprintln!(
            "core_messages: {allocations} heap allocations in the measured loop (expected none)"
        );
        ok = false;
    }
    if failures != 0 || user_in[..len] != user_out[..] {
        eprintln!("core_messages: {failures} failed calls in the measured loop, or the bytes came back wrong");
        ok = false;
    }
    if after.msgs_out - before.msgs_out != core_msgs || after.msgs_in - before.msgs_in != core_msgs
    {
        eprintln!(
            "core_messages: {} messages out, {} in, expected {core_msgs} each",
            after.msgs_out - before.msgs_out,
            after.msgs_in - before.msgs_in
        );
        ok = false;
    }
    if after.dropped != before.dropped || vmc.device().errors.get() != 0 {
        eprintln!(
            "core_messages: drops or failed hcalls in the loop ({}), or hypervisor-side errors ({})",
            after.dropped - before.dropped,
            vmc.device().errors.get()
        );
        ok = false;
    }
    if ok {
        Ok(())
    } else {
        err("the measured loop failed its checks")
    }
}

fn main() -> ExitCode {
    // With call sites compiled in, measure them at debug (the level a support engineer
    // switches on), as before the run-time level existed, unless a level is given
    // (`info`, the module's default, is what ships).
    ibmvmc::trace::set_level(ibmvmc::trace::Level::Debug);
    let mut args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.len() == 5 {
        let Some(level) = args
            .pop()
            .and_then(|l| ibmvmc::trace::Level::parse(l.as_bytes()))
        else {
            return fail("unknown trace level (off, error, warn, info, debug, trace)");
        };
        ibmvmc::trace::set_level(level);
    }
    if let [which, pool, len, n] = args.as_slice() {
        let which = match which.as_str() {
            "core" => Which::Core,
            "baseline" => Which::Baseline,
            "all" => Which::All,
            other => return fail(&format!("unknown loop {other} (core, baseline, all)")),
        };
        let (Ok(pool), Ok(len), Ok(n)) = (pool.parse(), len.parse(), n.parse()) else {
            return fail("usage: core_messages <core|baseline|all> <pool> <len> <n> [level]");
        };
        return match run(which, pool, len, n, false) {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => fail(&msg),
        };
    }
    if !args.is_empty() {
        return fail("usage: core_messages <core|baseline|all> <pool> <len> <n> [level]");
    }
    // `cargo bench`: a quick wall-clock run of each pool size (one process; each run
    // builds its own driver).
    const N: u64 = 200_000;
    for pool in [16u16, 64] {
        for len in [256usize, 4096] {
            let start = Instant::now();
            if let Err(msg) = run(Which::Core, pool, len, N, true) {
                return fail(&msg);
            }
            let ns = start.elapsed().as_nanos() as f64 / N as f64;
            println!("pool {pool:2}, {len:4} bytes: {ns:7.1} ns per message pair (out + in), setup included");
        }
    }
    println!("instruction counts: tools/bench/core.sh");
    ExitCode::SUCCESS
}

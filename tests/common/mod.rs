// SPDX-License-Identifier: GPL-2.0-or-later
//! The test rig: the driver core on its executor against the PowerVM simulator, all
//! in-process and deterministic. A test drives the file-operation API the way the
//! kernel glue will, and calls [`Rig::run`] to let the bottom half (the executor) run
//! until it has nothing left to do.
#![allow(dead_code)]

use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicU32;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use ibmvmc::hv::Timers;
use ibmvmc::hv::Waiters;
use ibmvmc::state::ConnState;
use ibmvmc::state::DriverState;
use ibmvmc::CoreState;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::LocalBuf;
use ibmvmc::Params;
use ibmvmc::Readiness;
use ibmvmc::Vmc;
use ibmvmc_executor::Executor;
use ibmvmc_executor::Pender;
use ibmvmc_sim::Sim;
use ibmvmc_sim::SimConfig;

pub use ibmvmc_hostlog as _;

/// Counts wake-ups per connection, as the kernel's wait queues would see them.
#[derive(Default)]
pub struct Wakes {
    pub count: [AtomicU32; 2],
}

impl Waiters for Wakes {
    fn wake(&self, hmc_index: u8) {
        if let Some(c) = self.count.get(hmc_index as usize) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Wakes {
    pub fn get(&self, index: usize) -> u32 {
        self.count[index].load(Ordering::Relaxed)
    }
}

/// The core's timers on a virtual clock: time moves only when a test says so
/// ([`Rig::advance`], [`Rig::settle`]), so every timeout and backoff is deterministic.
#[derive(Default)]
pub struct Clock {
    now: AtomicU64,
    deadlines: Mutex<[Option<u64>; ibmvmc::TIMER_SLOTS]>,
    /// Times `arm` was called, all slots together.
    pub arms: AtomicU32,
}

impl Timers for Clock {
    fn now_us(&self) -> u64 {
        self.now.load(Ordering::Acquire)
    }
    fn now_ns(&self) -> u64 {
        self.now_us() * 1000
    }
    fn arm(&self, slot: u8, delay_us: u64) {
        self.arms.fetch_add(1, Ordering::Relaxed);
        let at = self.now_us().saturating_add(delay_us);
        if let Some(d) = self.deadlines.lock().unwrap().get_mut(slot as usize) {
            *d = Some(at);
        }
    }
    fn disarm(&self, slot: u8) {
        if let Some(d) = self.deadlines.lock().unwrap().get_mut(slot as usize) {
            *d = None;
        }
    }
}

impl Clock {
    /// The earliest armed deadline and its slot.
    pub fn next(&self) -> Option<(u64, u8)> {
        let deadlines = self.deadlines.lock().unwrap();
        deadlines
            .iter()
            .enumerate()
            .filter_map(|(slot, d)| d.map(|at| (at, slot as u8)))
            .min()
    }

    /// Whether timer `slot` is armed.
    pub fn armed(&self, slot: u8) -> bool {
        self.deadlines.lock().unwrap()[slot as usize].is_some()
    }
}

pub type TestVmc = Vmc<&'static Sim, &'static Wakes, &'static Clock>;

/// Task slot size; the futures must fit (a compile-time check at `spawn`).
pub const TASK_BYTES: usize = 2048;

pub struct Rig {
    pub sim: &'static Sim,
    pub vmc: &'static TestVmc,
    pub wakes: &'static Wakes,
    pub clock: &'static Clock,
    pub exec: &'static Executor<4, TASK_BYTES>,
    pending: &'static AtomicBool,
}

fn pend(context: *mut ()) {
    // SAFETY: the context is the `&'static AtomicBool` leaked in `Rig::with`.
    let flag = unsafe { &*(context as *const AtomicBool) };
    flag.store(true, Ordering::Release);
}

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// An HMC ID for tests: `tag` repeated.
pub fn hmc_id(tag: u8) -> [u8; 32] {
    [tag; 32]
}

impl Rig {
    /// A rig with the default simulator and default parameters, started and ready.
    pub fn ready() -> Rig {
        let rig = Rig::with(SimConfig::default(), Params::default());
        assert_eq!(
            rig.vmc.driver_state(),
            DriverState::Ready,
            "handshake did not finish"
        );
        rig
    }

    /// A rig with `max_hmcs = 2`, started and ready.
    pub fn ready_two() -> Rig {
        let (params, _) = Params::clamped(32, 2, 4096);
        let rig = Rig::with(SimConfig::default(), params);
        assert_eq!(
            rig.vmc.driver_state(),
            DriverState::Ready,
            "handshake did not finish"
        );
        rig
    }

    /// Builds and starts a rig (the tasks run until idle); the handshake may or may not
    /// have finished, depending on `config`.
    pub fn with(config: SimConfig, params: Params) -> Rig {
        let rig = Rig::build(config, params);
        rig.start();
        rig
    }

    /// Builds a rig without spawning its tasks.
    pub fn build(config: SimConfig, params: Params) -> Rig {
        let hv_bytes = config.max_hmcs as usize * config.pool_size as usize * config.mtu as usize;
        let hv_mem: &'static mut [u8] = vec![0u8; hv_bytes.max(1)].leak();
        let sim: &'static Sim =
            leak(Sim::new(config, hv_mem).unwrap_or_else(|_| panic!("sim config")));
        let mtu = params.max_mtu() as usize;
        let local: Vec<LocalBuf> = (0..params.local_buffers())
            .map(|i| LocalBuf::new(vec![0u8; mtu].leak(), 0x10_0000 + (i * mtu) as u64))
            .collect();
        let local: &'static [LocalBuf] = local.leak();
        let wakes: &'static Wakes = leak(Wakes::default());
        let clock: &'static Clock = leak(Clock::default());
        let vmc: &'static TestVmc = leak(
            Vmc::new(sim, wakes, clock, params, local, leak(CoreState::new()))
                .unwrap_or_else(|_| panic!("vmc")),
        );
        let pending: &'static AtomicBool = leak(AtomicBool::new(false));
        let exec = leak(Executor::new(Pender::new(
            pend,
            pending as *const AtomicBool as *mut (),
        )));
        let hook: &'static (dyn Fn() + Sync) = leak(move || {
            // What the kernel's interrupt handler does.
            ibmvmc::hv::Device::disable_interrupts(&sim);
            vmc.interrupt();
        });
        sim.set_irq(hook);
        Rig {
            sim,
            vmc,
            wakes,
            clock,
            exec,
            pending,
        }
    }

    /// Spawns the driver's tasks and runs them until idle.
    pub fn start(&self) {
        let vmc = self.vmc;
        self.exec.spawn(vmc.run_crq()).expect("spawn crq");
        self.exec.spawn(vmc.run_link()).expect("spawn link");
        for index in 0..vmc.params().max_hmcs() {
            self.exec
                .spawn(vmc.run_session(index))
                .expect("spawn session");
        }
        self.run();
    }

    /// Runs the bottom half until no task is ready. Panics on a livelock.
    pub fn run(&self) {
        for _ in 0..1_000_000 {
            if !self.pending.swap(false, Ordering::AcqRel) {
                return;
            }
            self.exec.poll();
        }
        panic!("executor never went idle");
    }

    /// Moves the virtual clock `us` forward, firing each timer whose deadline passes (in
    /// deadline order, running the bottom half after each, as the kernel would).
    pub fn advance(&self, us: u64) {
        self.run();
        let end = self.clock.now_us() + us;
        while let Some((at, slot)) = self.clock.next().filter(|(at, _)| *at <= end) {
            self.clock
                .now
                .store(at.max(self.clock.now_us()), Ordering::Release);
            self.clock.disarm(slot);
            self.vmc.timer_expired(slot);
            self.run();
        }
        self.clock.now.store(end, Ordering::Release);
        self.run();
    }

    /// Runs the bottom half and lets virtual time pass, timer after timer, until no
    /// timer is armed within `limit_us` from now: every retry and timeout that can play
    /// out in that time has. Returns the virtual time that passed.
    pub fn settle(&self, limit_us: u64) -> u64 {
        self.run();
        let start = self.clock.now_us();
        let end = start + limit_us;
        while let Some((at, _)) = self.clock.next().filter(|(at, _)| *at <= end) {
            self.advance(at - self.clock.now_us());
        }
        self.clock.now_us() - start
    }

    /// Opens a session on `file` and waits for it to be ready.
    pub fn open(&self, file: &File, tag: u8) {
        self.vmc.set_hmc_id(file, &hmc_id(tag)).expect("SETHMCID");
        self.run();
        let index = self.vmc.wait_index(file).expect("no connection");
        assert_eq!(
            self.conn_state(index),
            ConnState::Ready,
            "open did not complete"
        );
    }

    pub fn conn_state(&self, index: u8) -> ConnState {
        self.vmc.snapshot().conns[index as usize].state
    }

    pub fn write(&self, file: &File, data: &[u8]) -> Result<usize, Errno> {
        self.vmc.write(file, data.len(), |dst| {
            dst.copy_from_slice(data);
            Ok(())
        })
    }

    pub fn read(&self, file: &File, len: usize) -> Result<Vec<u8>, Errno> {
        let mut out = Vec::new();
        let n = self.vmc.read(file, len, |src| {
            out.extend_from_slice(src);
            Ok(())
        })?;
        assert_eq!(n, out.len());
        Ok(out)
    }

    pub fn poll(&self, file: &File) -> Readiness {
        self.vmc.poll(file)
    }

    /// Writes `data`, lets the simulator answer, and reads the answer.
    pub fn round_trip(&self, file: &File, data: &[u8]) -> Vec<u8> {
        assert_eq!(self.write(file, data), Ok(data.len()));
        self.run();
        self.read(file, self.mtu()).expect("read")
    }

    pub fn mtu(&self) -> usize {
        self.vmc
            .snapshot()
            .negotiated
            .map(|n| n.mtu as usize)
            .unwrap_or(0)
    }

    pub fn close(&self, file: &File) {
        self.vmc.release(file);
        self.run();
    }

    pub fn protocol_errors(&self) -> u32 {
        self.sim.stats().protocol_errors
    }

    /// The driver works: ready, a new session opens and echoes `what`, the pool's books
    /// are exact, and the hypervisor saw no protocol violation.
    pub fn assert_works(&self, what: &str) {
        self.run();
        assert_eq!(
            self.vmc.driver_state(),
            DriverState::Ready,
            "{what}: not ready"
        );
        let f = File::new();
        self.open(&f, 0x77);
        assert_eq!(
            self.round_trip(&f, what.as_bytes()),
            what.as_bytes(),
            "{what}"
        );
        self.close(&f);
        check_invariants(&self.vmc.snapshot());
        assert_eq!(self.protocol_errors(), 0, "{what}: protocol errors");
    }
}

/// An HMC-protocol message (32-byte header, then `data`).
pub fn hmc_message(opcode: u16, token: u32, data: &[u8]) -> Vec<u8> {
    let mut m = vec![0u8; 32];
    m[0..3].copy_from_slice(&[0xDE, 0xCA, 0xFF]);
    m[3] = 32;
    m[4..8].copy_from_slice(&((32 + data.len()) as u32).to_be_bytes());
    m[8..12].copy_from_slice(&token.to_be_bytes());
    m[12..14].copy_from_slice(&0x8000u16.to_be_bytes());
    m[15] = 0x80;
    m[16..20].copy_from_slice(&(data.len() as u32).to_be_bytes());
    m[20..22].copy_from_slice(&opcode.to_be_bytes());
    m.extend_from_slice(data);
    m
}

/// Opcode, return code, token and data of an HMC-protocol response.
pub fn hmc_response(m: &[u8]) -> (u16, u16, u32, Vec<u8>) {
    assert!(m.len() >= 32, "response shorter than its header");
    assert_eq!(&m[0..3], &[0xDE, 0xCA, 0xFF]);
    assert_ne!(m[15] & 0x40, 0, "response flag");
    let opcode = u16::from_be_bytes([m[20], m[21]]);
    let rc = u16::from_be_bytes([m[22], m[23]]);
    let token = u32::from_be_bytes([m[8], m[9], m[10], m[11]]);
    (opcode, rc, token, m[32..].to_vec())
}

/// Checks the pool bookkeeping of every connection in a snapshot taken while no file
/// operation is in progress: the free stack holds exactly the free buffers, once
/// each; the receive queue exactly the queued ones, once each; nothing is half-way.
pub fn check_invariants(state: &ibmvmc::state::State) {
    use ibmvmc::state::Buf;
    for (index, conn) in state.conns.iter().enumerate() {
        let mut seen = [false; 64];
        for id in conn.free.iter() {
            assert!(
                !seen[id as usize],
                "hmc {index}: buffer {id} twice on the free stack"
            );
            seen[id as usize] = true;
            assert!(
                matches!(conn.bufs[id as usize], Buf::Free { .. }),
                "hmc {index}: {id} on the free stack but {:?}",
                conn.bufs[id as usize]
            );
        }
        let free = conn
            .bufs
            .iter()
            .filter(|b| matches!(b, Buf::Free { .. }))
            .count();
        assert_eq!(
            free,
            conn.free.len(),
            "hmc {index}: free buffers not all on the stack"
        );
        let mut queued = [false; 64];
        for id in conn.rx.iter() {
            assert!(
                !queued[id as usize],
                "hmc {index}: buffer {id} queued twice"
            );
            queued[id as usize] = true;
            assert!(
                matches!(conn.bufs[id as usize], Buf::Queued { .. }),
                "hmc {index}: {id} queued but {:?}",
                conn.bufs[id as usize]
            );
        }
        let nqueued = conn
            .bufs
            .iter()
            .filter(|b| matches!(b, Buf::Queued { .. }))
            .count();
        assert_eq!(
            nqueued,
            conn.rx.len(),
            "hmc {index}: queued buffers not all in the queue"
        );
        for (id, buf) in conn.bufs.iter().enumerate() {
            assert!(
                !matches!(
                    buf,
                    Buf::Writing { .. } | Buf::Reading { .. } | Buf::Receiving { .. }
                ),
                "hmc {index}: buffer {id} left {buf:?}"
            );
        }
    }
}

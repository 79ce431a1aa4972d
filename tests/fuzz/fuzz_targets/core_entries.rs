// SPDX-License-Identifier: GPL-2.0-or-later
//! Fuzz target: the driver core fed arbitrary hypervisor entries, hcall results and
//! application calls, in any order. The core must never panic, never livelock, keep
//! its pool bookkeeping exact, and answer every call with an error of its contract.
//!
//! The input is a little program: each command byte picks an action and takes its
//! operands from the bytes after it. The hypervisor here is not the simulator but a
//! device that says whatever the input says, so nothing sane is guaranteed.
#![no_main]

use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::OnceLock;
use std::task::Context;
use std::task::Wake;
use std::task::Waker;

use ibmvmc::hv::Device;
use ibmvmc::hv::HcallRc;
use ibmvmc::hv::Timers;
use ibmvmc::hv::Waiters;
use ibmvmc::state::Buf;
use ibmvmc::wire::BufferOwner;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::VmcMessage;
use ibmvmc::CoreState;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::LocalBuf;
use ibmvmc::Params;
use ibmvmc::Vmc;
use ibmvmc_hostlog as _;
use libfuzzer_sys::fuzz_target;

const HV_MEM: usize = 64 * 1024;
const RCS: [HcallRc; 8] = [
    HcallRc::SUCCESS,
    HcallRc::BUSY,
    HcallRc::CLOSED,
    HcallRc::DROPPED,
    HcallRc::RESOURCE,
    HcallRc::HARDWARE,
    HcallRc::LONG_BUSY_1_MSEC,
    HcallRc(-12345),
];

#[derive(Default)]
struct FuzzDevice {
    queue: Mutex<VecDeque<[u8; 16]>>,
    /// Return codes the next hcalls give, in order; empty: success.
    rcs: Mutex<VecDeque<HcallRc>>,
    hv_mem: Mutex<Vec<u8>>,
}

impl FuzzDevice {
    fn rc(&self) -> HcallRc {
        self.rcs
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(HcallRc::SUCCESS)
    }
}

impl Device for FuzzDevice {
    fn crq_entries(&self) -> u16 {
        256
    }
    fn reg_crq(&self) -> HcallRc {
        self.rc()
    }
    fn free_crq(&self) -> HcallRc {
        self.rc()
    }
    fn enable_crq(&self) -> HcallRc {
        self.rc()
    }
    fn send_crq(&self, entry: &[u8; 16]) -> HcallRc {
        // Whatever we send must be something H_SEND_CRQ accepts.
        assert!(
            entry[0] & 0x80 != 0 && entry[0] != 0xFF,
            "bad header sent: {entry:02x?}"
        );
        self.rc()
    }
    fn next_crq(&self) -> Option<[u8; 16]> {
        self.queue.lock().unwrap().pop_front()
    }
    fn enable_interrupts(&self) {}
    fn disable_interrupts(&self) {}
    fn rdma_to_hv(&self, local: &[u8], _ioba: u64, remote: u32) -> HcallRc {
        let rc = self.rc();
        if !rc.is_success() {
            return rc;
        }
        let mut mem = self.hv_mem.lock().unwrap();
        match mem.get_mut(remote as usize..remote as usize + local.len()) {
            Some(dst) => {
                dst.copy_from_slice(local);
                HcallRc::SUCCESS
            }
            None => HcallRc::DEST_PARM,
        }
    }
    fn rdma_from_hv(&self, remote: u32, local: &mut [u8], _ioba: u64) -> HcallRc {
        let rc = self.rc();
        if !rc.is_success() {
            return rc;
        }
        let mem = self.hv_mem.lock().unwrap();
        match mem.get(remote as usize..remote as usize + local.len()) {
            Some(src) => {
                local.copy_from_slice(src);
                HcallRc::SUCCESS
            }
            None => HcallRc::SOURCE_PARM,
        }
    }
    fn request_vmc(&self) -> (HcallRc, u32) {
        (self.rc(), 7)
    }
}

struct NoWaiters;
impl Waiters for NoWaiters {
    fn wake(&self, hmc_index: u8) {
        assert!(hmc_index < 2, "woke connection {hmc_index}");
    }
}

/// Time passes only when the input says so (command 9: the earliest armed timer fires).
#[derive(Default)]
struct FuzzClock {
    now: AtomicU64,
    deadlines: Mutex<[Option<u64>; ibmvmc::TIMER_SLOTS]>,
}

impl Timers for FuzzClock {
    fn now_us(&self) -> u64 {
        self.now.load(Ordering::Acquire)
    }
    fn now_ns(&self) -> u64 {
        self.now_us() * 1000
    }
    fn arm(&self, slot: u8, delay_us: u64) {
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

impl FuzzClock {
    /// Moves time to the earliest deadline and takes that timer: its slot.
    fn fire_next(&self) -> Option<u8> {
        let mut deadlines = self.deadlines.lock().unwrap();
        let (at, slot) = deadlines
            .iter()
            .enumerate()
            .filter_map(|(slot, d)| d.map(|at| (at, slot)))
            .min()?;
        self.now.fetch_max(at, Ordering::AcqRel);
        deadlines[slot] = None;
        Some(slot as u8)
    }
}

struct Flag(AtomicBool);
impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
}

fn local_buffers(params: &Params) -> &'static [LocalBuf] {
    static LOCAL: OnceLock<&'static [LocalBuf]> = OnceLock::new();
    let mtu = params.max_mtu() as usize;
    LOCAL.get_or_init(|| {
        let bufs: Vec<LocalBuf> = (0..params.local_buffers())
            .map(|i| LocalBuf::new(vec![0u8; mtu].leak(), (i * mtu) as u64))
            .collect();
        bufs.leak()
    })
}

/// Bytes of the input, read front to back; zeros once it runs out.
struct Input<'a>(&'a [u8]);
impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn entry(&mut self) -> [u8; 16] {
        let mut e = [0u8; 16];
        for b in e.iter_mut() {
            *b = self.byte();
        }
        e
    }
    fn done(&self) -> bool {
        self.0.is_empty()
    }
}

/// An entry that gets past the first checks more often than random bytes would.
fn plausible(input: &mut Input) -> [u8; 16] {
    let session = input.byte() % 4;
    let index = input.byte() % 3;
    let id = (input.byte() % 20) as u16;
    let repr = match input.byte() % 10 {
        0 => CrqRepr::Init,
        1 => CrqRepr::InitComplete,
        2 => CrqRepr::Vmc(VmcMessage::CapabilitiesResponse {
            status: Status::from_u8(input.byte() % 3),
            capabilities: Capabilities {
                max_hmcs: input.byte() % 4,
                pool_size: (input.byte() % 70) as u16,
                mtu: [0, 16, 32, 100, 4096, 70000][(input.byte() % 6) as usize],
                crq_size: (input.byte() % 3) as u16 * 128,
                version: [0x0101, 0x0102, 0x0201][(input.byte() % 3) as usize],
            },
        }),
        3 | 4 => CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session: session,
            hmc_index: index,
            buffer_id: id,
            owner: BufferOwner::from_u8(input.byte() % 3),
            lioba: (id as u32) * 4096,
        }),
        5 => CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse {
            status: Status::from_u8(input.byte() % 2),
            hmc_session: session,
            hmc_index: index,
            buffer_id: id,
        }),
        6 => CrqRepr::Vmc(VmcMessage::InterfaceCloseResponse {
            status: Status::Success,
            hmc_session: session,
            hmc_index: index,
        }),
        7 | 8 => CrqRepr::Vmc(VmcMessage::Signal {
            hmc_session: session,
            hmc_index: index,
            buffer_id: id,
            msg_len: [0, 1, 100, 4096, 4097, u32::MAX][(input.byte() % 6) as usize],
        }),
        _ => CrqRepr::Vmc(VmcMessage::RemoveBuffer {
            hmc_session: session,
            hmc_index: index,
        }),
    };
    repr.to_bytes()
}

fn check(vmc: &Vmc<FuzzDevice, NoWaiters, FuzzClock>) {
    let state = vmc.snapshot();
    for conn in &state.conns {
        let free = conn
            .bufs
            .iter()
            .filter(|b| matches!(b, Buf::Free { .. }))
            .count();
        assert_eq!(free, conn.free.len());
        for id in conn.free.iter() {
            assert!(matches!(conn.bufs[id as usize], Buf::Free { .. }));
        }
        let queued = conn
            .bufs
            .iter()
            .filter(|b| matches!(b, Buf::Queued { .. }))
            .count();
        assert_eq!(queued, conn.rx.len());
        for id in conn.rx.iter() {
            assert!(matches!(conn.bufs[id as usize], Buf::Queued { .. }));
        }
    }
}

/// The core's protocol state, one driver at a time.
static STATE: CoreState = CoreState::new();

fuzz_target!(|data: &[u8]| {
    let (params, _) = Params::clamped(16, 2, 4096);
    let dev = FuzzDevice {
        hv_mem: Mutex::new(vec![0u8; HV_MEM]),
        ..Default::default()
    };
    let vmc = match Vmc::new(
        dev,
        NoWaiters,
        FuzzClock::default(),
        params,
        local_buffers(&params),
        // Fresh again each time: the previous input's driver was dropped.
        &STATE,
    ) {
        Ok(vmc) => vmc,
        Err(_) => return,
    };
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut crq = pin!(vmc.run_crq());
    let mut link = pin!(vmc.run_link());
    let mut s0 = pin!(vmc.run_session(0));
    let mut s1 = pin!(vmc.run_session(1));
    let mut settle = |cx: &mut Context| {
        for _ in 0..200_000 {
            if !flag.0.swap(false, Ordering::AcqRel) {
                return;
            }
            let _ = crq.as_mut().poll(cx);
            let _ = link.as_mut().poll(cx);
            let _ = s0.as_mut().poll(cx);
            let _ = s1.as_mut().poll(cx);
        }
        panic!("the core never went idle");
    };
    settle(&mut cx);

    let mut files = [File::new(), File::new(), File::new()];
    let mut input = Input(data);
    while !input.done() {
        let cmd = input.byte();
        match cmd % 10 {
            0 => {
                let e = input.entry();
                vmc.device().queue.lock().unwrap().push_back(e);
                vmc.interrupt();
            }
            1 | 2 => {
                let e = plausible(&mut input);
                vmc.device().queue.lock().unwrap().push_back(e);
                vmc.interrupt();
            }
            3 => {
                let f = &files[(input.byte() % 3) as usize];
                let r = vmc.set_hmc_id(f, &[cmd; 32]);
                assert!(
                    matches!(
                        r,
                        Ok(()) | Err(Errno::Io | Errno::Again | Errno::Busy | Errno::NoBufs)
                    ),
                    "{r:?}"
                );
            }
            4 => {
                let f = &files[(input.byte() % 3) as usize];
                let len = [0usize, 1, 32, 4096, 4097][(input.byte() % 5) as usize];
                let r = vmc.write(f, len, |dst| {
                    dst.fill(cmd);
                    if cmd & 0x40 != 0 {
                        Err(Errno::Fault)
                    } else {
                        Ok(())
                    }
                });
                assert!(
                    matches!(r, Ok(_) | Err(Errno::Io | Errno::Busy | Errno::Fault)),
                    "{r:?}"
                );
            }
            5 => {
                let f = &files[(input.byte() % 3) as usize];
                let len = [0usize, 1, 100, 4096, 5000][(input.byte() % 5) as usize];
                let r = vmc.read(f, len, |src| {
                    assert!(src.len() <= len);
                    if cmd & 0x40 != 0 {
                        Err(Errno::Fault)
                    } else {
                        Ok(())
                    }
                });
                assert!(
                    matches!(
                        r,
                        Ok(_)
                            | Err(Errno::Io
                                | Errno::Again
                                | Errno::BadFd
                                | Errno::Inval
                                | Errno::MsgSize
                                | Errno::Fault)
                    ),
                    "{r:?}"
                );
                let _ = vmc.poll(f);
            }
            6 => {
                let k = (input.byte() % 3) as usize;
                vmc.release(&files[k]);
                files[k] = File::new();
            }
            7 => {
                let rc = RCS[(input.byte() % 8) as usize];
                let n = input.byte() % 4;
                let mut rcs = vmc.device().rcs.lock().unwrap();
                for _ in 0..n {
                    rcs.push_back(rc);
                }
            }
            8 => {
                let _ = vmc.request_vmc();
                let _ = vmc.query();
            }
            _ => {
                if let Some(slot) = vmc.timers().fire_next() {
                    vmc.timer_expired(slot);
                }
            }
        }
        settle(&mut cx);
        check(&vmc);
    }
});

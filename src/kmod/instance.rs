// SPDX-License-Identifier: GPL-2.0-or-later

//! The driver instance: the core (`ibmvmc::Vmc`) over its hypervisor backend, its
//! memory, and its tasks on the executor.
//!
//! This build's backend is the PowerVM simulator (`ibmvmc_sim`), raising its CRQ
//! interrupt through a hard irq_work like the real VIO interrupt. Memory the core and
//! the simulator need for the instance's whole life (the hypervisor's buffers, the
//! partition's message buffers, the core's state) is allocated at load, handed
//! out as `'static` references, and freed by `Instance::drop` after every user is
//! gone (see `IbmVmc::drop` for the order).

use core::sync::atomic::AtomicPtr;
use core::sync::atomic::AtomicU64;
use core::sync::atomic::Ordering;

use ibmvmc::hv::Device;
use ibmvmc::LocalBuf;
use ibmvmc::Params;
use ibmvmc::Vmc;
use ibmvmc::Waiters;
use ibmvmc_sim::Sim;
use ibmvmc_sim::SimConfig;
use kernel::alloc::flags::GFP_KERNEL;
use kernel::alloc::KBox;
use kernel::alloc::KVec;
use kernel::alloc::VVec;
use kernel::prelude::*;

use crate::bh::EXECUTOR;
use crate::ffi;

/// The wait queues of the connections (in `cdev.c`), with a count of wake-ups per
/// queue for debugfs `stats` (the two-session VM test reads it).
pub(crate) struct WaitQueues {
    pub(crate) wakeups: [AtomicU64; 2],
}

impl Waiters for WaitQueues {
    fn wake(&self, hmc_index: u8) {
        if let Some(count) = self.wakeups.get(hmc_index as usize) {
            count.fetch_add(1, Ordering::Relaxed);
        }
        ffi::wake(hmc_index);
    }
}

/// The hypervisor of this build.
pub(crate) type Hv = &'static Sim;
/// The core of this build.
pub(crate) type KVmc = Vmc<Hv, &'static WaitQueues>;

/// The running instance, for the file operations and the interrupt. Set once the
/// instance is complete, cleared before it is torn down.
static CURRENT: AtomicPtr<Instance> = AtomicPtr::new(core::ptr::null_mut());

/// The instance the file operations work on. Files can only be open between
/// `publish` and `unpublish` (the device node exists only then, and the module cannot
/// go away while a file is open), so for a file operation this is always `Some`.
pub(crate) fn current() -> Option<&'static Instance> {
    let ptr = CURRENT.load(Ordering::Acquire);
    // SAFETY: a non-null CURRENT points to the `Instance` boxed in `IbmVmc`, which
    // stays allocated until after `unpublish` cleared CURRENT and every user of the
    // reference (file operations, the interrupt, the bottom half) has been stopped.
    unsafe { ptr.as_ref() }
}

/// Memory leaked for the instance's life and reclaimed by `Instance::drop`.
struct Reclaim {
    hv_mem: (*mut u8, usize, usize),
    local_mem: (*mut u8, usize, usize),
    local_bufs: (*mut LocalBuf, usize, usize),
    vmc: *mut KVmc,
}

pub(crate) struct Instance {
    pub(crate) vmc: &'static KVmc,
    pub(crate) sim: &'static Sim,
    reclaim: Reclaim,
}

// SAFETY: the raw pointers in `reclaim` are only used by `drop`, which runs once,
// after every other user of the memory has stopped; the shared parts are `Sync`.
unsafe impl Sync for Instance {}
// SAFETY: as above; the instance is created and dropped in process context.
unsafe impl Send for Instance {}

static WAIT_QUEUES: WaitQueues = WaitQueues { wakeups: [const { AtomicU64::new(0) }; 2] };

const SIM_CONFIG: SimConfig = SimConfig::DEFAULT;

/// The simulator, built at compile time: at about 14 KiB it must not be built on the
/// kernel stack. One per module load; `Instance::new` gives it its memory.
static SIM: Sim = Sim::new_static(SIM_CONFIG);

/// Bytes of the simulator's "send" command pattern (the largest MTU).
static PATTERN: [u8; 16384] = [0xA5; 16384];

fn leak_vec(v: VVec<u8>) -> ((*mut u8, usize, usize), &'static mut [u8]) {
    let (ptr, len, cap) = v.into_raw_parts();
    // SAFETY: `ptr` and `len` describe the initialised elements of the vector just
    // taken apart, which nothing else references; the memory stays allocated until
    // `Instance::drop` rebuilds the vector from the same parts, after every user of
    // the slice has stopped.
    let slice = unsafe { core::slice::from_raw_parts_mut(ptr, len) };
    ((ptr, len, cap), slice)
}

fn irq_hook() {
    ffi::sim_irq_raise();
}

/// The simulator's interrupt, in hard-IRQ context: what a VIO interrupt handler does.
#[no_mangle]
extern "C" fn ibmvmc_rs_sim_irq() {
    if let Some(instance) = current() {
        instance.sim.disable_interrupts();
        instance.vmc.interrupt();
    }
}

impl Instance {
    /// Builds the instance (not started yet). Process context.
    pub(crate) fn new(params: Params) -> Result<KBox<Instance>> {
        let config = SIM_CONFIG;
        let (hv_parts, hv_mem) = leak_vec(VVec::from_elem(0u8, config.hv_mem_len(), GFP_KERNEL)?);
        let mtu = params.max_mtu() as usize;
        let (local_parts, local_mem) =
            leak_vec(VVec::from_elem(0u8, params.local_buffers() * mtu, GFP_KERNEL)?);

        let mut bufs = KVec::with_capacity(params.local_buffers(), GFP_KERNEL)?;
        for (i, chunk) in local_mem.chunks_mut(mtu).enumerate() {
            bufs.push(LocalBuf::new(chunk, (i * mtu) as u64), GFP_KERNEL)?;
        }
        let (bufs_ptr, bufs_len, bufs_cap) = bufs.into_raw_parts();
        // SAFETY: the initialised elements of the vector just taken apart; freed by
        // `Instance::drop` only.
        let local_bufs: &'static [LocalBuf] = unsafe { core::slice::from_raw_parts(bufs_ptr, bufs_len) };

        let sim: &'static Sim = &SIM;
        sim.attach(hv_mem).map_err(|_| EINVAL)?;
        sim.set_irq(&irq_hook);

        let vmc = Vmc::new(sim, &WAIT_QUEUES, params, local_bufs).map_err(|_| EINVAL)?;
        let vmc: &'static mut KVmc = KBox::leak(KBox::new(vmc, GFP_KERNEL)?);
        let vmc_ptr: *mut KVmc = vmc;
        // SAFETY: as for `sim`.
        let vmc: &'static KVmc = unsafe { &*vmc_ptr };

        let instance = KBox::new(
            Instance {
                vmc,
                sim,
                reclaim: Reclaim {
                    hv_mem: hv_parts,
                    local_mem: local_parts,
                    local_bufs: (bufs_ptr, bufs_len, bufs_cap),
                    vmc: vmc_ptr,
                },
            },
            GFP_KERNEL,
        )?;
        Ok(instance)
    }

    /// Makes the instance the one the file operations and the interrupt use, then
    /// starts its tasks (in that order: the first interrupt must find it).
    pub(crate) fn start(&self) -> Result {
        CURRENT.store(core::ptr::from_ref(self).cast_mut(), Ordering::Release);
        let vmc = self.vmc;
        EXECUTOR.spawn(vmc.run_crq()).map_err(|_| ENOMEM)?;
        EXECUTOR.spawn(vmc.run_link()).map_err(|_| ENOMEM)?;
        for index in 0..vmc.params().max_hmcs() {
            EXECUTOR.spawn(vmc.run_session(index)).map_err(|_| ENOMEM)?;
        }
        Ok(())
    }

    /// Stops handing the instance out. The caller then stops every context that may
    /// still hold it (bottom half, irq_work) before dropping it.
    pub(crate) fn unpublish() {
        CURRENT.store(core::ptr::null_mut(), Ordering::Release);
    }

    /// Wake-ups of connection `index`'s wait queue since load.
    pub(crate) fn wakeups(&self, index: usize) -> u64 {
        WAIT_QUEUES.wakeups.get(index).map(|c| c.load(Ordering::Relaxed)).unwrap_or(0)
    }

    /// Runs one command of debugfs `ibmvmc/sim`.
    pub(crate) fn sim_command(&self, cmd: &str) -> Result {
        use ibmvmc::HcallRc;
        use ibmvmc_sim::Hcall;

        let mut words = [""; 4];
        for (i, word) in cmd.split_ascii_whitespace().enumerate() {
            *words.get_mut(i).ok_or(EINVAL)? = word;
        }
        let word = |i: usize| words.get(i).copied().filter(|w| !w.is_empty()).ok_or(EINVAL);
        let int = |i: usize| word(i)?.parse::<i64>().map_err(|_| EINVAL);
        match word(0)? {
            "transport" => self.sim.transport_event(int(1)? as u8),
            "hold" => self.sim.hold_responses(int(1)? != 0),
            "restart" => self.sim.partner_restart(),
            "remove_buffer" => {
                if !self.sim.remove_buffer(int(1)? as u8) {
                    return Err(EIO);
                }
            }
            "send" => {
                let len = usize::try_from(int(2)?).map_err(|_| EINVAL)?;
                let data = PATTERN.get(..len).ok_or(EINVAL)?;
                if !self.sim.send_hmc_message(int(1)? as u8, data) {
                    return Err(EIO);
                }
            }
            "request_vmc" => self.sim.set_request_vmc(HcallRc(int(1)?), int(2)? as u32),
            "fail" => {
                let call = match word(1)? {
                    "reg_crq" => Hcall::RegCrq,
                    "free_crq" => Hcall::FreeCrq,
                    "enable_crq" => Hcall::EnableCrq,
                    "send_crq" => Hcall::SendCrq,
                    "copy_rdma" => Hcall::CopyRdma,
                    "request_vmc" => Hcall::RequestVmc,
                    _ => return Err(EINVAL),
                };
                let times = u32::try_from(int(3)?).map_err(|_| EINVAL)?;
                self.sim.fail_next(call, HcallRc(int(2)?), times);
            }
            "remove" => {
                self.vmc.remove();
                ffi::wake_all();
            }
            _ => return Err(EINVAL),
        }
        Ok(())
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let r = &self.reclaim;
        // SAFETY: every pointer below came from the matching `into_raw_parts` or
        // `KBox::leak` in `new`, is reclaimed exactly once (here), and its users are
        // gone: the caller unpublished the instance, stopped the bottom half and the
        // irq_work, and shut the executor down (its futures held the references).
        unsafe {
            drop(KBox::from_raw(r.vmc));
            SIM.detach();
            drop(KVec::from_raw_parts(r.local_bufs.0, r.local_bufs.1, r.local_bufs.2));
            drop(VVec::from_raw_parts(r.local_mem.0, r.local_mem.1, r.local_mem.2));
            drop(VVec::from_raw_parts(r.hv_mem.0, r.hv_mem.1, r.hv_mem.2));
        }
    }
}

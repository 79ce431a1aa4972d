// SPDX-License-Identifier: GPL-2.0-or-later

//! The driver instance: the core (`ibmvmc::Vmc`) over its hypervisor backend, its
//! memory, and its tasks on the executor.
//!
//! The backend is chosen at build time. With `--cfg ibmvmc_sim` it is the PowerVM
//! simulator (`ibmvmc_sim`), raising its CRQ interrupt through a hard irq_work like the
//! real VIO interrupt. Memory the core and the simulator need for the instance's whole
//! life (the hypervisor's buffers, the partition's message buffers) is allocated at
//! load, handed out as `'static` references, and freed by `Instance::drop` after every
//! user is gone (see `IbmVmc::drop` for the order); the core's state is a `StaticCell`
//! in module memory (`CORE`), one per load.
//!
//! With `--cfg ibmvmc_pseries` it is the VMC's VIO device (`pseries.rs`): the instance
//! is built when the device is probed, over message buffers `pseries.c` allocated and
//! mapped, and freed at module exit like the simulator's.

use core::mem::MaybeUninit;
use core::sync::atomic::AtomicPtr;
use core::sync::atomic::AtomicU64;
use core::sync::atomic::Ordering;

#[cfg(ibmvmc_sim)]
use ibmvmc::hv::Device;
use ibmvmc::CoreState;
use ibmvmc::LocalBuf;
use ibmvmc::Params;
use ibmvmc::Vmc;
use ibmvmc::Waiters;
#[cfg(ibmvmc_sim)]
use ibmvmc_sim::Sim;
#[cfg(ibmvmc_sim)]
use ibmvmc_sim::SimConfig;
use kernel::alloc::flags::GFP_KERNEL;
use kernel::alloc::KBox;
use kernel::alloc::KVec;
#[cfg(ibmvmc_sim)]
use kernel::alloc::VVec;
use kernel::prelude::*;
use static_cell::StaticCell;

use crate::bh::EXECUTOR;
use crate::ffi;
#[cfg(ibmvmc_sim)]
use crate::load_step;

/// The wait queues of the connections (in `cdev.c`), with a count of wake-ups per
/// queue for debugfs `stats` (the two-session VM test reads it).
pub(crate) struct WaitQueues {
    pub(crate) wakeups: [AtomicU64; ffi::MAX_HMCS],
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
#[cfg(ibmvmc_sim)]
pub(crate) type Hv = &'static Sim;
/// The hypervisor of this build.
#[cfg(ibmvmc_pseries)]
pub(crate) type Hv = &'static crate::pseries::Vio;
/// The core of this build.
pub(crate) type KVmc = Vmc<Hv, &'static WaitQueues, &'static crate::bh::KernelTimers>;

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

/// Memory leaked for the instance's life, recorded as it is leaked, and reclaimed when
/// this is dropped: with the instance (after its users stopped), or half way through
/// building one whose next step failed (before anything but what is recorded here
/// referenced the memory), so that a failed load leaks nothing.
#[derive(Default)]
struct Reclaim {
    #[cfg(ibmvmc_sim)]
    hv_mem: Option<(*mut u8, usize, usize)>,
    #[cfg(ibmvmc_sim)]
    local_mem: Option<(*mut u8, usize, usize)>,
    /// The simulator was given `hv_mem` (and holds it until detached).
    #[cfg(ibmvmc_sim)]
    attached: bool,
    local_bufs: Option<(*mut LocalBuf, usize, usize)>,
}

impl Drop for Reclaim {
    fn drop(&mut self) {
        // SAFETY: every pointer below came from the matching `into_raw_parts` in
        // `Instance::new*`, is taken out of its `Option` and so reclaimed once, and
        // nothing uses it any more: for a built instance, its owner unpublished it,
        // stopped the bottom half and the irq_works, shut the executor down (its
        // futures held the references) and cancelled the timers (see `IbmVmc::drop`);
        // for one that failed half way, nothing was started. The core in `CORE` still
        // holds references to the local buffers and the simulator, but it is never
        // used again (see `CORE`). They go in dependency order: the simulator's hold
        // on its memory, the local buffers (which refer to the local memory), then the
        // memory.
        unsafe {
            #[cfg(ibmvmc_sim)]
            if core::mem::take(&mut self.attached) {
                SIM.detach();
            }
            if let Some((ptr, len, cap)) = self.local_bufs.take() {
                drop(KVec::from_raw_parts(ptr, len, cap));
            }
            #[cfg(ibmvmc_sim)]
            if let Some((ptr, len, cap)) = self.local_mem.take() {
                drop(VVec::from_raw_parts(ptr, len, cap));
            }
            #[cfg(ibmvmc_sim)]
            if let Some((ptr, len, cap)) = self.hv_mem.take() {
                drop(VVec::from_raw_parts(ptr, len, cap));
            }
        }
    }
}

pub(crate) struct Instance {
    pub(crate) vmc: &'static KVmc,
    #[cfg(ibmvmc_sim)]
    pub(crate) sim: &'static Sim,
    /// Held for its `Drop`: the instance's memory goes with the instance.
    _reclaim: Reclaim,
}

// SAFETY: the raw pointers in `reclaim` are only used by its `drop`, which runs once,
// after every other user of the memory has stopped; the shared parts are `Sync`.
unsafe impl Sync for Instance {}
// SAFETY: as above; the instance is created and dropped in process context.
unsafe impl Send for Instance {}

/// The core: one per module load (the simulator's, built at init; or the one of the VIO
/// device's single probe), in module memory, handed out `&'static` by the cell, with
/// no allocation and no raw pointer. A second claim is refused. It is never dropped: it
/// owns nothing (`Reclaim` frees the memory it refers to), and after the instance is
/// released nothing reaches it; it goes with the module's memory.
static CORE: StaticCell<KVmc> = StaticCell::new();

/// The core's protocol state (about 2.1 KiB): built at compile time, in module memory,
/// since an 8 KiB kernel stack cannot hold it next to module loading's own frames (it
/// overflowed: the init frame was 5.4 KiB while the core was built on the stack).
static CORE_STATE: CoreState = CoreState::new();

/// Builds the core over `hv` and `local_bufs` and puts it in [`CORE`] (EBUSY if this load
/// already has its core). The box its instance goes into is allocated before the claim,
/// so nothing can fail after it.
fn claim_core(
    hv: Hv,
    params: Params,
    local_bufs: &'static [LocalBuf],
) -> Result<(KBox<MaybeUninit<Instance>>, &'static KVmc)> {
    let vmc = Vmc::new(
        hv,
        &WAIT_QUEUES,
        &crate::bh::TIMERS,
        params,
        local_bufs,
        &CORE_STATE,
    )
    .map_err(|_| EINVAL)?;
    let instance = KBox::<Instance>::new_uninit(GFP_KERNEL)?;
    match CORE.try_init(vmc) {
        Some(vmc) => Ok((instance, vmc)),
        None => {
            pr_err!("this module load already has its VMC core\n");
            Err(EBUSY)
        }
    }
}

static WAIT_QUEUES: WaitQueues = WaitQueues {
    wakeups: [const { AtomicU64::new(0) }; ffi::MAX_HMCS],
};

#[cfg(ibmvmc_sim)]
const SIM_CONFIG: SimConfig = SimConfig::DEFAULT;

/// The simulator, built at compile time: at about 14 KiB it must not be built on the
/// kernel stack. One per module load; `Instance::new` gives it its memory.
#[cfg(ibmvmc_sim)]
static SIM: Sim = Sim::new_static(SIM_CONFIG);

#[cfg(ibmvmc_sim)]
fn leak_vec(v: VVec<u8>) -> ((*mut u8, usize, usize), &'static mut [u8]) {
    let (ptr, len, cap) = v.into_raw_parts();
    // SAFETY: `ptr` and `len` describe the initialised elements of the vector just
    // taken apart, which nothing else references; the memory stays allocated until
    // `Instance::drop` rebuilds the vector from the same parts, after every user of
    // the slice has stopped.
    let slice = unsafe { core::slice::from_raw_parts_mut(ptr, len) };
    ((ptr, len, cap), slice)
}

#[cfg(ibmvmc_sim)]
fn irq_hook() {
    ffi::sim_irq_raise();
}

/// The simulator's interrupt, in hard-IRQ context: what a VIO interrupt handler does.
#[cfg(ibmvmc_sim)]
#[no_mangle]
extern "C" fn ibmvmc_rs_sim_irq() {
    if let Some(instance) = current() {
        instance.sim.disable_interrupts();
        instance.vmc.interrupt();
    }
}

/// `shim.c`'s simulator irq_work calls this; the pseries build never queues it.
#[cfg(ibmvmc_pseries)]
#[no_mangle]
extern "C" fn ibmvmc_rs_sim_irq() {}

impl Instance {
    /// Builds the instance (not started yet). Process context.
    #[cfg(ibmvmc_sim)]
    pub(crate) fn new(params: Params) -> Result<KBox<Instance>> {
        let config = SIM_CONFIG;
        // Each allocation is recorded as soon as it is leaked: an error return from
        // here on drops `reclaim`, which frees what was recorded.
        let mut reclaim = Reclaim::default();
        let (hv_parts, hv_mem) = leak_vec(VVec::from_elem(0u8, config.hv_mem_len(), GFP_KERNEL)?);
        reclaim.hv_mem = Some(hv_parts);
        load_step(1)?;
        let mtu = params.max_mtu() as usize;
        let (local_parts, local_mem) = leak_vec(VVec::from_elem(
            0u8,
            params.local_buffers() * mtu,
            GFP_KERNEL,
        )?);
        reclaim.local_mem = Some(local_parts);
        load_step(2)?;

        // Dropped before `reclaim` on an error: it refers to `local_mem`.
        let mut bufs = KVec::with_capacity(params.local_buffers(), GFP_KERNEL)?;
        for (i, chunk) in local_mem.chunks_mut(mtu).enumerate() {
            bufs.push(LocalBuf::new(chunk, (i * mtu) as u64), GFP_KERNEL)?;
        }
        let (bufs_ptr, bufs_len, bufs_cap) = bufs.into_raw_parts();
        reclaim.local_bufs = Some((bufs_ptr, bufs_len, bufs_cap));
        // SAFETY: the initialised elements of the vector just taken apart; freed by
        // `Reclaim::drop` only, after every user of the slice is gone.
        let local_bufs: &'static [LocalBuf] =
            unsafe { core::slice::from_raw_parts(bufs_ptr, bufs_len) };
        load_step(3)?;

        let sim: &'static Sim = &SIM;
        sim.attach(hv_mem).map_err(|_| EINVAL)?;
        reclaim.attached = true;
        sim.set_irq(&irq_hook);
        load_step(4)?;

        let (instance, vmc) = claim_core(sim, params, local_bufs)?;
        load_step(5)?;
        Ok(KBox::write(
            instance,
            Instance {
                vmc,
                sim,
                _reclaim: reclaim,
            },
        ))
    }

    /// Builds the instance over the VIO device and the message buffers `pseries.c`
    /// mapped (not started yet). Probe, process context.
    #[cfg(ibmvmc_pseries)]
    pub(crate) fn new_pseries(
        params: Params,
        hv: Hv,
        bufs: KVec<LocalBuf>,
    ) -> Result<KBox<Instance>> {
        let (bufs_ptr, bufs_len, bufs_cap) = bufs.into_raw_parts();
        // An error return from here on drops `reclaim`, which frees what it records.
        let reclaim = Reclaim {
            local_bufs: Some((bufs_ptr, bufs_len, bufs_cap)),
        };
        // SAFETY: the initialised elements of the vector just taken apart; freed by
        // `Reclaim::drop` only, after every user of the slice is gone.
        let local_bufs: &'static [LocalBuf] =
            unsafe { core::slice::from_raw_parts(bufs_ptr, bufs_len) };
        // (The caller's own claim says this is the load's one probe.)
        let (instance, vmc) = claim_core(hv, params, local_bufs)?;
        Ok(KBox::write(
            instance,
            Instance {
                vmc,
                _reclaim: reclaim,
            },
        ))
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
        WAIT_QUEUES
            .wakeups
            .get(index)
            .map(|c| c.load(Ordering::Relaxed))
            .unwrap_or(0)
    }

    /// Runs one command of debugfs `ibmvmc/sim` (the language: `ibmvmc_sim::command`).
    #[cfg(ibmvmc_sim)]
    pub(crate) fn sim_command(&self, cmd: &str) -> Result {
        use ibmvmc_sim::command::CommandError;
        use ibmvmc_sim::command::Outcome;

        match self.sim.command(cmd) {
            Ok(Outcome::Done) => Ok(()),
            Ok(Outcome::Remove) => {
                self.vmc.remove();
                ffi::wake_all();
                Ok(())
            }
            Err(CommandError::Invalid) => Err(EINVAL),
            Err(CommandError::Refused) => Err(EIO),
        }
    }
}

ffi::same_signature!(ibmvmc_rs_sim_irq);

// SPDX-License-Identifier: GPL-2.0-or-later

//! The pseries backend (`IBMVMC_BACKEND=pseries`): the core over real hcalls on the
//! VMC's VIO device.
//!
//! `pseries.c` is the VIO driver and holds the device's resources; this file
//! implements [`Device`] over its hcall wrappers (each wrapped once below, in a safe
//! function) and builds the driver instance when the device is probed.
//!
//! One device per module load: after a remove the instance stays allocated (removed
//! and idle) until module exit, because the executor's tasks hold references to its
//! `Vmc` and are only dropped by the executor's shutdown. A later probe (a VMC device
//! added again by DLPAR) is refused with a log line; reload the module to use it.
//!
//! Without a probed device /dev/ibmvmc still works: QUERY reports state 0 (initial),
//! SETHMCID fails with EAGAIN (the core's answer in that state), read and write with
//! EIO (no connection), and REQUESTVMC makes its hcall (it needs no device: it is how
//! a partition asks the hypervisor for one); see [`request_vmc_without_device`].

use core::ptr::NonNull;
use core::sync::atomic::AtomicBool;
use core::sync::atomic::AtomicPtr;
use core::sync::atomic::Ordering;

use ibmvmc::hv::Device;
use ibmvmc::wire::CRQ_ENTRY_SIZE;
use ibmvmc::Errno;
use ibmvmc::HcallRc;
use ibmvmc::LocalBuf;
use ibmvmc::Params;
use kernel::alloc::flags::GFP_KERNEL;
use kernel::alloc::KBox;
use kernel::alloc::KVec;
use kernel::ffi::{c_int, c_long, c_uint, c_void};
use kernel::prelude::*;

use crate::ffi;
use crate::instance::current;
use crate::instance::Instance;

/// `struct ibmvmc_pseries` of `pseries.c`; only ever handled by pointer.
pub(crate) type RawDev = crate::bindings::ibmvmc_pseries;

// pseries.c's functions, as generated from shim.h.
use crate::bindings as raw;

/// An hcall's return code as the C wrappers return it (a `long`, 64 bits here).
fn hcall_rc(rc: c_long) -> HcallRc {
    HcallRc(rc as i64)
}

/// A device structure of `pseries.c` that is alive: allocated by probe, not yet
/// passed to `ibmvmc_pseries_release`.
#[derive(Clone, Copy)]
struct Dev(NonNull<RawDev>);

impl Dev {
    /// # Safety
    /// `ptr` comes from `pseries.c`'s probe and stays allocated for as long as this
    /// value or a copy of it is used (it is released only by [`release`], at module
    /// exit, after every user is gone).
    unsafe fn new(ptr: NonNull<RawDev>) -> Dev {
        Dev(ptr)
    }

    fn ptr(self) -> *mut RawDev {
        self.0.as_ptr()
    }

    /// Buffer `index`: its memory and I/O address.
    fn buffer(self, index: u32) -> Option<(*mut u8, u64)> {
        let mut mem: *mut c_void = core::ptr::null_mut();
        let mut ioba = 0u64;
        // SAFETY: `self` is alive (type invariant); the out-pointers are locals.
        let ok = unsafe { raw::ibmvmc_pseries_buffer(self.ptr(), index, &mut mem, &mut ioba) };
        (ok && !mem.is_null()).then_some((mem.cast::<u8>(), ioba))
    }

    fn crq_entries(self) -> u16 {
        // SAFETY: `self` is alive; reads one field set at probe.
        let n = unsafe { raw::ibmvmc_pseries_crq_entries(self.ptr()) };
        u16::try_from(n).unwrap_or(u16::MAX)
    }

    fn reg_crq(self) -> HcallRc {
        // SAFETY: `self` is alive; the wrapper serialises itself (its write lock),
        // fails once the device is stopped, and never sleeps.
        hcall_rc(unsafe { raw::ibmvmc_pseries_reg_crq(self.ptr()) })
    }

    fn free_crq(self) -> HcallRc {
        // SAFETY: `self` is alive; one hcall under the device's read lock.
        hcall_rc(unsafe { raw::ibmvmc_pseries_free_crq(self.ptr()) })
    }

    fn enable_crq(self) -> HcallRc {
        // SAFETY: `self` is alive; one hcall under the device's read lock.
        hcall_rc(unsafe { raw::ibmvmc_pseries_enable_crq(self.ptr()) })
    }

    fn send_crq(self, w0: u64, w1: u64) -> HcallRc {
        // SAFETY: `self` is alive; one hcall with two words by value.
        hcall_rc(unsafe { raw::ibmvmc_pseries_send_crq(self.ptr(), w0, w1) })
    }

    fn next_crq(self) -> Option<[u8; CRQ_ENTRY_SIZE]> {
        let mut entry = [0u8; CRQ_ENTRY_SIZE];
        // SAFETY: `self` is alive; `entry` is CRQ_ENTRY_SIZE (16) writable bytes, what
        // the C function writes. The core calls this from one context at a time.
        let got = unsafe { raw::ibmvmc_pseries_next_crq(self.ptr(), entry.as_mut_ptr()) };
        got.then_some(entry)
    }

    fn enable_irq(self) {
        // SAFETY: `self` is alive; one H_VIO_SIGNAL under the device's read lock.
        unsafe { raw::ibmvmc_pseries_enable_irq(self.ptr()) }
    }

    fn disable_irq(self) {
        // SAFETY: as `enable_irq`.
        unsafe { raw::ibmvmc_pseries_disable_irq(self.ptr()) }
    }

    fn rdma_to_hv(self, ioba: u64, len: u64, remote: u32) -> HcallRc {
        // SAFETY: `self` is alive; the hypervisor reads `len` bytes at `ioba` through
        // the device's TCEs (it validates the range against our window itself).
        hcall_rc(unsafe { raw::ibmvmc_pseries_rdma_to_hv(self.ptr(), ioba, len, remote) })
    }

    fn rdma_from_hv(self, remote: u32, ioba: u64, len: u64) -> HcallRc {
        // SAFETY: `self` is alive; the hypervisor writes `len` bytes at `ioba`, which
        // the caller of `Device::rdma_from_hv` holds exclusively (see there).
        hcall_rc(unsafe { raw::ibmvmc_pseries_rdma_from_hv(self.ptr(), remote, ioba, len) })
    }
}

/// H_REQUEST_VMC, one attempt: needs no device.
fn h_request_vmc() -> (HcallRc, u32) {
    let mut drc_index = 0u32;
    // SAFETY: one hcall; `drc_index` is a local the C function writes.
    let rc = unsafe { raw::ibmvmc_pseries_request_vmc(&mut drc_index) };
    (hcall_rc(rc), drc_index)
}

/// Registers the VIO driver (probe may run before this returns). Module init.
pub(crate) fn register() -> Result {
    // SAFETY: process context; registers a static driver once.
    let rc = unsafe { raw::ibmvmc_pseries_register() };
    if rc < 0 {
        return Err(Error::from_errno(rc));
    }
    Ok(())
}

/// Unregisters the VIO driver; remove runs for a probed device. Module exit, after a
/// successful [`register`].
pub(crate) fn unregister() {
    // SAFETY: process context, after `register` succeeded.
    unsafe { raw::ibmvmc_pseries_unregister() }
}

/// The VMC device, for the core: one static, pointing at `pseries.c`'s device
/// structure from probe until module exit.
pub(crate) struct Vio {
    dev: AtomicPtr<RawDev>,
}

/// The backend the instance is built over.
pub(crate) static VIO: Vio = Vio {
    dev: AtomicPtr::new(core::ptr::null_mut()),
};

impl Vio {
    fn dev(&self) -> Option<Dev> {
        let ptr = NonNull::new(self.dev.load(Ordering::Acquire))?;
        // SAFETY: a non-null pointer in VIO was stored by probe (`build`). It is
        // cleared and its structure freed either by `release` at module exit, after
        // the executor shut down, the IRQ was freed and no file can be open, or by a
        // probe that failed before any `Vmc` over VIO was published or spawned: in
        // both cases no caller of this method is left.
        Some(unsafe { Dev::new(ptr) })
    }
}

impl Device for Vio {
    fn crq_entries(&self) -> u16 {
        self.dev().map_or(0, Dev::crq_entries)
    }

    fn reg_crq(&self) -> HcallRc {
        self.dev().map_or(HcallRc::HARDWARE, Dev::reg_crq)
    }

    fn free_crq(&self) -> HcallRc {
        self.dev().map_or(HcallRc::HARDWARE, Dev::free_crq)
    }

    fn enable_crq(&self) -> HcallRc {
        self.dev().map_or(HcallRc::HARDWARE, Dev::enable_crq)
    }

    fn send_crq(&self, entry: &[u8; CRQ_ENTRY_SIZE]) -> HcallRc {
        // The entry is big-endian on the wire; H_SEND_CRQ takes its two halves in
        // registers, as a big-endian load of each would give them.
        let mut words = [0u64; 2];
        for (word, half) in words.iter_mut().zip(entry.chunks_exact(8)) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(half);
            *word = u64::from_be_bytes(bytes);
        }
        let [w0, w1] = words;
        self.dev()
            .map_or(HcallRc::HARDWARE, |dev| dev.send_crq(w0, w1))
    }

    fn next_crq(&self) -> Option<[u8; CRQ_ENTRY_SIZE]> {
        self.dev()?.next_crq()
    }

    fn enable_interrupts(&self) {
        if let Some(dev) = self.dev() {
            dev.enable_irq();
        }
    }

    fn disable_interrupts(&self) {
        if let Some(dev) = self.dev() {
            dev.disable_irq();
        }
    }

    fn rdma_to_hv(&self, local: &[u8], local_ioba: u64, remote_lioba: u32) -> HcallRc {
        // The hypervisor reads the memory at `local_ioba`, which is `local`.
        let len = local.len() as u64;
        self.dev().map_or(HcallRc::HARDWARE, |dev| {
            dev.rdma_to_hv(local_ioba, len, remote_lioba)
        })
    }

    fn rdma_from_hv(&self, remote_lioba: u32, local: &mut [u8], local_ioba: u64) -> HcallRc {
        // The hypervisor writes `local` through its I/O address; the `&mut` is the
        // proof that nobody else looks at these bytes meanwhile.
        let len = local.len() as u64;
        self.dev().map_or(HcallRc::HARDWARE, |dev| {
            dev.rdma_from_hv(remote_lioba, local_ioba, len)
        })
    }

    fn request_vmc(&self) -> (HcallRc, u32) {
        h_request_vmc()
    }
}

/// Set by the probe that owns the module's one instance (also after a remove).
static CLAIMED: AtomicBool = AtomicBool::new(false);
/// The instance built at probe; dropped by [`release`] at module exit.
static INSTANCE: AtomicPtr<Instance> = AtomicPtr::new(core::ptr::null_mut());

fn params() -> Params {
    let (pool, hmcs, mtu) = ffi::params();
    Params::clamped(pool, hmcs, mtu).0
}

fn refuse() -> c_int {
    pr_err!("a VMC device was already probed since the module was loaded; reload ibmvmc to use another\n");
    EBUSY.to_errno()
}

/// Probe, first step: refuses a second device early, and tells `pseries.c` how many
/// message buffers to allocate and map, and their size.
///
/// # Safety
/// `count` and `len` are valid for writes (locals of the C probe).
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_pseries_sizes(count: *mut c_uint, len: *mut c_uint) -> c_int {
    if CLAIMED.load(Ordering::Acquire) {
        return refuse();
    }
    let params = params();
    let n = c_uint::try_from(params.local_buffers()).unwrap_or(c_uint::MAX);
    // SAFETY: per the contract, both point to writable `unsigned int`s.
    unsafe {
        count.write(n);
        len.write(params.max_mtu());
    }
    0
}

/// Probe, second step: builds the instance over the device and starts it. On failure
/// `*kept` says whether Rust still references the device's memory (then `pseries.c`
/// stops the device but leaves its memory to [`release`]).
///
/// # Safety
/// `dev` is the device structure `pseries.c` just set up (buffers allocated and mapped,
/// IRQ requested), not released before [`release`]; `kept` is valid for writes.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_pseries_probe(dev: *mut RawDev, kept: *mut bool) -> c_int {
    // SAFETY: per the contract, `kept` is writable.
    unsafe { kept.write(false) };
    let Some(ptr) = NonNull::new(dev) else {
        return EINVAL.to_errno();
    };
    // The claim is taken here, not in `ibmvmc_rs_pseries_sizes`: a probe that fails
    // before this point must not block the next one (nor may a concurrent one win twice).
    if CLAIMED.swap(true, Ordering::AcqRel) {
        return refuse();
    }
    // SAFETY: per the contract, the structure lives until `release`.
    let dev = unsafe { Dev::new(ptr) };
    match build(dev) {
        Ok(()) => 0,
        Err((e, true)) => {
            // SAFETY: as above.
            unsafe { kept.write(true) };
            e.to_errno()
        }
        Err((e, false)) => {
            VIO.dev.store(core::ptr::null_mut(), Ordering::Release);
            CLAIMED.store(false, Ordering::Release);
            e.to_errno()
        }
    }
}

/// Builds and starts the instance. The error says whether the instance was kept.
fn build(dev: Dev) -> core::result::Result<(), (Error, bool)> {
    let params = params();
    let mtu = params.max_mtu() as usize;
    let count = params.local_buffers();
    let mut bufs = KVec::with_capacity(count, GFP_KERNEL).map_err(|e| (e.into(), false))?;
    for index in 0..count {
        let (mem, ioba) = u32::try_from(index)
            .ok()
            .and_then(|i| dev.buffer(i))
            .ok_or((EINVAL, false))?;
        // SAFETY: `pseries.c` allocated `mtu` bytes (the size `ibmvmc_rs_pseries_sizes`
        // gave it) at `mem` for buffer `index` alone, zeroed; they stay allocated until
        // `release` frees them after the instance (and this `LocalBuf`) is dropped, and
        // nothing else in Rust or C reads or writes them.
        let mem: &'static mut [u8] = unsafe { core::slice::from_raw_parts_mut(mem, mtu) };
        bufs.push(LocalBuf::new(mem, ioba), GFP_KERNEL)
            .map_err(|e| (e.into(), false))?;
    }
    VIO.dev.store(dev.ptr(), Ordering::Release);
    let instance = Instance::new_pseries(params, &VIO, bufs).map_err(|e| (e, false))?;
    let instance = KBox::into_raw(instance);
    INSTANCE.store(instance, Ordering::Release);
    // SAFETY: just leaked; freed only by `release`, after every user is gone.
    let instance: &'static Instance = unsafe { &*instance };
    if let Err(e) = instance.start() {
        // Some tasks may run: keep everything, removed, until module exit.
        pr_err!("cannot start the VMC instance: {:?}\n", e);
        instance.vmc.remove();
        ffi::wake_all();
        return Err((e, true));
    }
    pr_info!(
        "VMC device ready: {} entries in the CRQ, {} buffers of {} bytes\n",
        dev.crq_entries(),
        count,
        mtu
    );
    Ok(())
}

/// VIO remove, before `pseries.c` stops the device: every session hangs up and every
/// sleeper wakes (reads fail, polls report POLLHUP), and the core ignores the queue
/// from now on. The instance stays, removed, until module exit.
#[no_mangle]
extern "C" fn ibmvmc_rs_pseries_remove() {
    if let Some(instance) = current() {
        instance.vmc.remove();
        ffi::wake_all();
    }
}

/// The VIO interrupt, in hard-IRQ context, after `pseries.c` disabled it.
#[no_mangle]
extern "C" fn ibmvmc_rs_pseries_irq() {
    if let Some(instance) = current() {
        instance.vmc.interrupt();
    }
}

/// Frees the instance and the device's memory. Module exit, after the VIO driver was
/// unregistered (the device is stopped), the instance unpublished, and the executor
/// shut down (no task references the `Vmc` any more).
pub(crate) fn release() {
    let instance = INSTANCE.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if !instance.is_null() {
        // SAFETY: the pointer came from `KBox::into_raw` in `build` and is taken
        // exactly once (the swap); its users are gone, per this function's contract.
        drop(unsafe { KBox::from_raw(instance) });
    }
    let dev = VIO.dev.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if !dev.is_null() {
        // SAFETY: a stopped device of `pseries.c` (remove or the failed probe stopped
        // it), whose buffers no `LocalBuf` references any more (dropped just above);
        // taken exactly once by the swap.
        unsafe { raw::ibmvmc_pseries_release(dev) }
    }
}

/// VMC_IOCTL_REQUESTVMC while no device was probed: the same policy as the core's
/// `Vmc::request_vmc` (busy repeated up to 16 times, the same errno for each code).
pub(crate) fn request_vmc_without_device() -> core::result::Result<u32, Errno> {
    let (rc, drc_index) = ibmvmc::api::request_vmc_with(h_request_vmc);
    ibmvmc::api::request_vmc_result(rc, drc_index)
}

ffi::same_signature!(
    ibmvmc_rs_pseries_sizes,
    ibmvmc_rs_pseries_probe,
    ibmvmc_rs_pseries_remove,
    ibmvmc_rs_pseries_irq,
);

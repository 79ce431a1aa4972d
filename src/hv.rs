// SPDX-License-Identifier: GPL-2.0-or-later
//! The hypervisor boundary: everything the core asks of the platform beneath it.
//!
//! Two implementations exist: the pseries backend in the kernel glue (real hcalls on
//! a VIO device) and the PowerVM endpoint simulator in `tools/crates/ibmvmc-sim` (host tests and
//! the x86_64 test kernel). The core calls these methods from task context (the bottom
//! half) and from process context (file operations). H_SEND_CRQ, and the H_COPY_RDMA of
//! a write or an open, run with the core's lock held (an irq-saving spinlock in the
//! kernel): so that nothing crosses a reset, the check of the session and the hcalls
//! are one step. An implementation must therefore not sleep in those, may take locks
//! of its own (never the core's: it has no access), and may raise the interrupt
//! ([`Vmc::interrupt`](crate::Vmc::interrupt) only signals; it takes no core lock).

use core::cell::Cell;
use core::sync::atomic::AtomicBool;
use core::sync::atomic::Ordering;

use crate::wire::CRQ_ENTRY_SIZE;

/// An hcall return code (`H_*` in LoPAR and `arch/powerpc/include/asm/hvcall.h`).
/// Its `defmt::Format` prints the name of a known code (`H_CLOSED`), else `H_<number>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HcallRc(pub i64);

impl HcallRc {
    /// H_SUCCESS.
    pub const SUCCESS: HcallRc = HcallRc(0);
    /// H_BUSY: try again.
    pub const BUSY: HcallRc = HcallRc(1);
    /// H_CLOSED: the partner has not registered its queue (or it was disabled).
    pub const CLOSED: HcallRc = HcallRc(2);
    /// H_NOT_AVAILABLE.
    pub const NOT_AVAILABLE: HcallRc = HcallRc(3);
    /// H_LONG_BUSY_ORDER_1_MSEC, the first of the long-busy codes (9900..=9905).
    pub const LONG_BUSY_1_MSEC: HcallRc = HcallRc(9900);
    /// H_LONG_BUSY_ORDER_100_SEC, the last of the long-busy codes.
    pub const LONG_BUSY_100_SEC: HcallRc = HcallRc(9905);
    /// H_HARDWARE.
    pub const HARDWARE: HcallRc = HcallRc(-1);
    /// H_FUNCTION: the hcall is not supported.
    pub const FUNCTION: HcallRc = HcallRc(-2);
    /// H_PARAMETER.
    pub const PARAMETER: HcallRc = HcallRc(-4);
    /// H_NOT_FOUND.
    pub const NOT_FOUND: HcallRc = HcallRc(-7);
    /// H_AUTHORITY.
    pub const AUTHORITY: HcallRc = HcallRc(-10);
    /// H_PERMISSION.
    pub const PERMISSION: HcallRc = HcallRc(-11);
    /// H_DROPPED: the partner's queue is full.
    pub const DROPPED: HcallRc = HcallRc(-12);
    /// H_SOURCE_PARM (H_S_Parm in LoPAR).
    pub const SOURCE_PARM: HcallRc = HcallRc(-13);
    /// H_DEST_PARM (H_D_Parm in LoPAR).
    pub const DEST_PARM: HcallRc = HcallRc(-14);
    /// H_RESOURCE.
    pub const RESOURCE: HcallRc = HcallRc(-16);

    /// Whether the hcall succeeded.
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }

    /// H_BUSY or one of the long-busy codes: the same call may succeed later.
    pub const fn is_busy(self) -> bool {
        self.0 == Self::BUSY.0
            || (self.0 >= Self::LONG_BUSY_1_MSEC.0 && self.0 <= Self::LONG_BUSY_100_SEC.0)
    }

    /// For a long-busy code, the delay the hypervisor suggests, in milliseconds.
    pub const fn long_busy_ms(self) -> Option<u32> {
        match self.0 {
            9900 => Some(1),
            9901 => Some(10),
            9902 => Some(100),
            9903 => Some(1_000),
            9904 => Some(10_000),
            9905 => Some(100_000),
            _ => None,
        }
    }

    /// The failure codes the stats count one by one (`Stats::hcall_by_code`, in this
    /// order), with the names `stats` shows; every long-busy code counts as the first
    /// one's (`H_LONG_BUSY`), any other code in a last slot of its own (`other`).
    pub const COUNTED: [(HcallRc, &'static str); 14] = [
        (HcallRc::BUSY, "H_BUSY"),
        (HcallRc::LONG_BUSY_1_MSEC, "H_LONG_BUSY"),
        (HcallRc::CLOSED, "H_CLOSED"),
        (HcallRc::NOT_AVAILABLE, "H_NOT_AVAILABLE"),
        (HcallRc::HARDWARE, "H_HARDWARE"),
        (HcallRc::FUNCTION, "H_FUNCTION"),
        (HcallRc::PARAMETER, "H_PARAMETER"),
        (HcallRc::NOT_FOUND, "H_NOT_FOUND"),
        (HcallRc::AUTHORITY, "H_AUTHORITY"),
        (HcallRc::PERMISSION, "H_PERMISSION"),
        (HcallRc::DROPPED, "H_DROPPED"),
        (HcallRc::SOURCE_PARM, "H_SOURCE_PARM"),
        (HcallRc::DEST_PARM, "H_DEST_PARM"),
        (HcallRc::RESOURCE, "H_RESOURCE"),
    ];

    /// This code's slot in `Stats::hcall_by_code` (see [`HcallRc::COUNTED`]).
    pub fn stats_slot(self) -> usize {
        let rc = if self.long_busy_ms().is_some() {
            HcallRc::LONG_BUSY_1_MSEC
        } else {
            self
        };
        HcallRc::COUNTED
            .iter()
            .position(|(c, _)| *c == rc)
            .unwrap_or(HcallRc::COUNTED.len())
    }

    /// The name of a stats slot (see [`HcallRc::COUNTED`]).
    pub fn slot_name(slot: usize) -> &'static str {
        HcallRc::COUNTED.get(slot).map_or("other", |(_, name)| name)
    }
}

impl defmt::Format for HcallRc {
    fn format(&self, f: defmt::Formatter<'_>) {
        match *self {
            HcallRc::SUCCESS => defmt::write!(f, "H_SUCCESS"),
            HcallRc::BUSY => defmt::write!(f, "H_BUSY"),
            HcallRc::CLOSED => defmt::write!(f, "H_CLOSED"),
            HcallRc::NOT_AVAILABLE => defmt::write!(f, "H_NOT_AVAILABLE"),
            HcallRc(9900) => defmt::write!(f, "H_LONG_BUSY_ORDER_1_MSEC"),
            HcallRc(9901) => defmt::write!(f, "H_LONG_BUSY_ORDER_10_MSEC"),
            HcallRc(9902) => defmt::write!(f, "H_LONG_BUSY_ORDER_100_MSEC"),
            HcallRc(9903) => defmt::write!(f, "H_LONG_BUSY_ORDER_1_SEC"),
            HcallRc(9904) => defmt::write!(f, "H_LONG_BUSY_ORDER_10_SEC"),
            HcallRc(9905) => defmt::write!(f, "H_LONG_BUSY_ORDER_100_SEC"),
            HcallRc::HARDWARE => defmt::write!(f, "H_HARDWARE"),
            HcallRc::FUNCTION => defmt::write!(f, "H_FUNCTION"),
            HcallRc::PARAMETER => defmt::write!(f, "H_PARAMETER"),
            HcallRc::NOT_FOUND => defmt::write!(f, "H_NOT_FOUND"),
            HcallRc::AUTHORITY => defmt::write!(f, "H_AUTHORITY"),
            HcallRc::PERMISSION => defmt::write!(f, "H_PERMISSION"),
            HcallRc::DROPPED => defmt::write!(f, "H_DROPPED"),
            HcallRc::SOURCE_PARM => defmt::write!(f, "H_SOURCE_PARM"),
            HcallRc::DEST_PARM => defmt::write!(f, "H_DEST_PARM"),
            HcallRc::RESOURCE => defmt::write!(f, "H_RESOURCE"),
            HcallRc(rc) => defmt::write!(f, "H_{=i64}", rc),
        }
    }
}

/// The hypervisor as the core sees it. One value per VMC device.
///
/// Each method is one hcall (or, for [`Device::next_crq`], one read of the queue
/// memory); retry policy belongs to the core, so an implementation returns H_BUSY and
/// long-busy codes as they come.
pub trait Device: Sync {
    /// Number of 16-byte entries in the partition's CRQ (announced in Capabilities).
    fn crq_entries(&self) -> u16;

    /// H_REG_CRQ of the partition's (zeroed) queue; the read position restarts at the
    /// first entry. H_CLOSED means registered with the partner absent.
    fn reg_crq(&self) -> HcallRc;

    /// H_FREE_CRQ, one attempt.
    fn free_crq(&self) -> HcallRc;

    /// H_ENABLE_CRQ, one attempt (after a partner-suspended transport event).
    fn enable_crq(&self) -> HcallRc;

    /// H_SEND_CRQ of one entry to the hypervisor's queue.
    fn send_crq(&self, entry: &[u8; CRQ_ENTRY_SIZE]) -> HcallRc;

    /// Takes the next valid entry off the partition's queue, if any: reads the header,
    /// then (after a read barrier) the rest, then frees the slot by writing the header
    /// back to zero. Called from one context at a time (the CRQ task).
    fn next_crq(&self) -> Option<[u8; CRQ_ENTRY_SIZE]>;

    /// Enables the queue's interrupt (the virtual interrupt fires on the next
    /// empty-to-non-empty transition).
    fn enable_interrupts(&self);

    /// Disables the queue's interrupt.
    fn disable_interrupts(&self);

    /// H_COPY_RDMA from the partition's buffer (`local`, mapped at `local_ioba` in the
    /// partition's window) to `remote_lioba` in the hypervisor's window.
    /// A backend that really DMAs reads the memory at `local_ioba`; `local` is the same
    /// memory as a slice, for backends that copy in software.
    fn rdma_to_hv(&self, local: &[u8], local_ioba: u64, remote_lioba: u32) -> HcallRc;

    /// H_COPY_RDMA of `local.len()` bytes from `remote_lioba` in the hypervisor's window
    /// into the partition's buffer `local`, mapped at `local_ioba`.
    fn rdma_from_hv(&self, remote_lioba: u32, local: &mut [u8], local_ioba: u64) -> HcallRc;

    /// H_REQUEST_VMC, one attempt: the return code and, on success, the DRC index of
    /// the VMC device.
    fn request_vmc(&self) -> (HcallRc, u32);
}

/// Wakes the processes waiting on an HMC connection (the kernel glue's per-session
/// wait queues; a counter in the host tests). Called whenever a connection's readiness
/// may have changed: a message arrived, a send buffer became free, the open completed,
/// or the session was hung up. Called with no core lock held, from any context that
/// runs the core (process context or the bottom half), so it must not sleep.
pub trait Waiters: Sync {
    /// Wake the waiters of connection `hmc_index`.
    fn wake(&self, hmc_index: u8);
}

/// The platform's monotonic clock and the core's one-shot timers (an hrtimer per slot
/// in the kernel, a virtual clock in the host tests). The core sleeps on them for
/// long-busy answers, for backoff, and for the timeouts of a partner that never
/// answers; it never spins waiting.
pub trait Timers: Sync {
    /// Microseconds since an arbitrary point, monotonic.
    fn now_us(&self) -> u64;

    /// Nanoseconds on the same clock (for the statistics of how long the lock is held).
    fn now_ns(&self) -> u64;

    /// Arms timer `slot` (below [`TIMER_SLOTS`](crate::TIMER_SLOTS)) to fire
    /// `delay_us` from now, replacing the slot's earlier deadline if any. When it fires
    /// the platform calls [`Vmc::timer_expired`](crate::Vmc::timer_expired) with the
    /// slot, from any context (hard IRQ included). Called from the bottom half with no
    /// core lock held; must not sleep.
    fn arm(&self, slot: u8, delay_us: u64);

    /// Disarms timer `slot`, without waiting for a callback that is running (it may
    /// still fire once: the core checks the time when it wakes). Must not sleep.
    fn disarm(&self, slot: u8);
}

impl<T: Timers + ?Sized> Timers for &T {
    fn now_us(&self) -> u64 {
        (**self).now_us()
    }
    fn now_ns(&self) -> u64 {
        (**self).now_ns()
    }
    fn arm(&self, slot: u8, delay_us: u64) {
        (**self).arm(slot, delay_us)
    }
    fn disarm(&self, slot: u8) {
        (**self).disarm(slot)
    }
}

impl<T: Device + ?Sized> Device for &T {
    fn crq_entries(&self) -> u16 {
        (**self).crq_entries()
    }
    fn reg_crq(&self) -> HcallRc {
        (**self).reg_crq()
    }
    fn free_crq(&self) -> HcallRc {
        (**self).free_crq()
    }
    fn enable_crq(&self) -> HcallRc {
        (**self).enable_crq()
    }
    fn send_crq(&self, entry: &[u8; CRQ_ENTRY_SIZE]) -> HcallRc {
        (**self).send_crq(entry)
    }
    fn next_crq(&self) -> Option<[u8; CRQ_ENTRY_SIZE]> {
        (**self).next_crq()
    }
    fn enable_interrupts(&self) {
        (**self).enable_interrupts()
    }
    fn disable_interrupts(&self) {
        (**self).disable_interrupts()
    }
    fn rdma_to_hv(&self, local: &[u8], local_ioba: u64, remote_lioba: u32) -> HcallRc {
        (**self).rdma_to_hv(local, local_ioba, remote_lioba)
    }
    fn rdma_from_hv(&self, remote_lioba: u32, local: &mut [u8], local_ioba: u64) -> HcallRc {
        (**self).rdma_from_hv(remote_lioba, local, local_ioba)
    }
    fn request_vmc(&self) -> (HcallRc, u32) {
        (**self).request_vmc()
    }
}

impl<T: Waiters + ?Sized> Waiters for &T {
    fn wake(&self, hmc_index: u8) {
        (**self).wake(hmc_index)
    }
}

/// One of the partition's message buffers: `MTU` bytes of DMA-mapped memory at an I/O
/// address in the partition's window. Messages are copied between user space and this
/// memory, and RDMAed between it and the hypervisor's buffer of the same ID.
///
/// The core hands each buffer to one party at a time (a writer, the CRQ task, or a
/// reader) by its ownership state; the `busy` flag makes that a checked fact rather than
/// a hope: [`LocalBuf::borrow`] fails instead of handing out a second `&mut`.
pub struct LocalBuf {
    busy: AtomicBool,
    ioba: u64,
    mem: &'static [Cell<u8>],
}

// SAFETY: the only access to `mem` from a shared `LocalBuf` goes through `borrow`, which
// hands out at most one `LocalGuard` at a time (the compare-exchange on `busy`), so the
// cells are never accessed from two threads at once.
unsafe impl Sync for LocalBuf {}

impl LocalBuf {
    /// A buffer over `mem`, which the platform mapped for DMA at `ioba`.
    pub fn new(mem: &'static mut [u8], ioba: u64) -> Self {
        LocalBuf {
            busy: AtomicBool::new(false),
            ioba,
            mem: Cell::from_mut(mem).as_slice_of_cells(),
        }
    }

    /// The I/O bus address of the buffer in the partition's DMA window.
    pub fn ioba(&self) -> u64 {
        self.ioba
    }

    /// Size of the buffer in bytes.
    pub fn len(&self) -> usize {
        self.mem.len()
    }

    /// Whether the buffer has no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.mem.is_empty()
    }

    /// Exclusive access to the memory, or `None` if someone else has it.
    pub fn borrow(&self) -> Option<LocalGuard<'_>> {
        self.busy
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| LocalGuard { buf: self })
    }
}

/// Exclusive access to a [`LocalBuf`]'s memory until dropped.
pub struct LocalGuard<'a> {
    buf: &'a LocalBuf,
}

impl LocalGuard<'_> {
    /// The buffer's bytes.
    pub fn bytes(&mut self) -> &mut [u8] {
        let cells = self.buf.mem;
        // SAFETY: `Cell<u8>` has the layout of `u8`, so the cells are `len` initialised
        // bytes. This guard is the only one for the buffer (it won the compare-exchange
        // in `borrow` and releases it only on drop), and the `&mut self` receiver ties
        // the returned slice to the guard, so no other reference to these bytes exists
        // while the slice lives.
        unsafe { core::slice::from_raw_parts_mut(cells.as_ptr() as *mut u8, cells.len()) }
    }

    /// The buffer's I/O bus address.
    pub fn ioba(&self) -> u64 {
        self.buf.ioba
    }
}

impl Drop for LocalGuard<'_> {
    fn drop(&mut self) {
        self.buf.busy.store(false, Ordering::Release);
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later

//! Platform hooks the owner's crates need inside the kernel.
//!
//! - `critical-section`: one irq-saving raw spinlock in `shim.c`, nestable on its owner
//!   CPU. embassy-sync's `CriticalSectionRawMutex` and `AtomicWaker` run on it, so every
//!   `Channel`/`Signal` operation is safe from hard-IRQ context and never sleeps.
//! - `RawMutex`: the module's embassy-sync mutex type is that critical section. A mutex
//!   per instance would need a const-initialisable, lockdep-visible lock, which Rust
//!   cannot build as a `static` on 7.3; the sections it guards are a few instructions.
//! - defmt: the global logger encodes frames into a static ring (`TRACE`), timestamps
//!   are `ktime_get_ns()` in microseconds.

use core::cell::UnsafeCell;
use core::sync::atomic::AtomicUsize;
use core::sync::atomic::Ordering;

use crate::ffi;

/// The embassy-sync raw mutex the module uses everywhere.
pub(crate) type KernelRawMutex = embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;

struct KernelCriticalSection;
critical_section::set_impl!(KernelCriticalSection);

// SAFETY: acquire/release map to `ibmvmc_cs_acquire`/`ibmvmc_cs_release`, an irq-saving
// raw spinlock that excludes every other CPU and interrupt handler on this CPU, allows
// nesting on the owner CPU, and has acquire/release ordering (spinlock semantics).
unsafe impl critical_section::Impl for KernelCriticalSection {
    unsafe fn acquire() -> critical_section::RawRestoreState {
        // SAFETY: critical-section guarantees the matching `release` with this token.
        let token = unsafe { ffi::cs_acquire() };
        token as critical_section::RawRestoreState
    }

    unsafe fn release(token: critical_section::RawRestoreState) {
        // SAFETY: critical-section passes back the token of the innermost acquire.
        unsafe { ffi::cs_release(token as kernel::ffi::c_ulong) }
    }
}

/// Size of the trace ring. A power of two.
const TRACE_BYTES: usize = 16 * 1024;

/// The defmt trace: a ring of rzCOBS-encoded frames, oldest bytes overwritten.
pub(crate) struct TraceRing {
    /// Touched only between `acquire` and `release`, i.e. inside the critical section.
    inner: UnsafeCell<TraceInner>,
    /// Total bytes ever written (the ring holds the last `TRACE_BYTES`).
    written: AtomicUsize,
    /// Frames started, for the load-time proof.
    frames: AtomicUsize,
}

struct TraceInner {
    encoder: defmt::Encoder,
    buf: [u8; TRACE_BYTES],
    token: kernel::ffi::c_ulong,
    /// A frame is open; a nested `acquire` (a `Format` impl that logs) is discarded.
    taken: bool,
    nested: bool,
}

// SAFETY: `inner` is only accessed by the logger between `acquire` and `release`, which
// hold the critical section: one context at a time.
unsafe impl Sync for TraceRing {}

pub(crate) static TRACE: TraceRing = TraceRing {
    inner: UnsafeCell::new(TraceInner {
        encoder: defmt::Encoder::new(),
        buf: [0; TRACE_BYTES],
        token: 0,
        taken: false,
        nested: false,
    }),
    written: AtomicUsize::new(0),
    frames: AtomicUsize::new(0),
};

impl TraceRing {
    /// (frames, bytes) logged since load.
    pub(crate) fn stats(&self) -> (usize, usize) {
        (
            self.frames.load(Ordering::Relaxed),
            self.written.load(Ordering::Relaxed),
        )
    }
}

impl TraceInner {
    fn push(buf: &mut [u8; TRACE_BYTES], written: &AtomicUsize, bytes: &[u8]) {
        let mut at = written.load(Ordering::Relaxed);
        for &b in bytes {
            buf[at % TRACE_BYTES] = b;
            at = at.wrapping_add(1);
        }
        written.store(at, Ordering::Relaxed);
    }
}

#[defmt::global_logger]
struct Logger;

// SAFETY: defmt calls acquire/write/flush/release in that order from one context; the
// critical section taken in `acquire` and kept until `release` makes that context the
// only one touching `TRACE.inner`.
unsafe impl defmt::Logger for Logger {
    fn acquire() {
        // SAFETY: released in `release`, which defmt always calls after `acquire`.
        let token = unsafe { ffi::cs_acquire() };
        // SAFETY: we hold the critical section.
        let inner = unsafe { &mut *TRACE.inner.get() };
        if inner.taken {
            // Re-entered on the owner CPU from inside a frame: drop this frame.
            inner.nested = true;
            // SAFETY: the token is the nested one just returned (a no-op release).
            unsafe { ffi::cs_release(token) };
            return;
        }
        inner.taken = true;
        inner.token = token;
        TRACE.frames.fetch_add(1, Ordering::Relaxed);
        let TraceInner { encoder, buf, .. } = inner;
        encoder.start_frame(|b| TraceInner::push(buf, &TRACE.written, b));
    }

    unsafe fn flush() {}

    unsafe fn release() {
        // SAFETY: defmt calls `release` only after `acquire`, inside the critical section.
        let inner = unsafe { &mut *TRACE.inner.get() };
        if inner.nested {
            inner.nested = false;
            return;
        }
        let TraceInner { encoder, buf, .. } = inner;
        encoder.end_frame(|b| TraceInner::push(buf, &TRACE.written, b));
        inner.taken = false;
        let token = inner.token;
        // SAFETY: `token` is the one `acquire` stored for this frame.
        unsafe { ffi::cs_release(token) };
    }

    unsafe fn write(bytes: &[u8]) {
        // SAFETY: called between `acquire` and `release`, inside the critical section.
        let inner = unsafe { &mut *TRACE.inner.get() };
        if inner.nested {
            return;
        }
        let TraceInner { encoder, buf, .. } = inner;
        encoder.write(bytes, |b| TraceInner::push(buf, &TRACE.written, b));
    }
}

defmt::timestamp!("{=u64:us}", ffi::now_ns() / 1000);

#[defmt::panic_handler]
fn defmt_panic() -> ! {
    // Only `defmt::panic!` and friends get here; the driver does not use them on any
    // path input can reach. The kernel's Rust panic handler reports and BUG()s.
    core::panic!("ibmvmc: defmt panic")
}

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
//!   are `ktime_get_ns()` in microseconds; `trace.rs` serves the ring through debugfs.

use core::cell::UnsafeCell;

use ibmvmc::trace::Ring;
use ibmvmc::trace::Sink;

use crate::ffi;

/// The embassy-sync raw mutex of the glue's own statics (the debug build's self-test;
/// the core names the same type itself).
#[cfg(ibmvmc_debug)]
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

/// Size of the trace ring, a power of two: about 1500 frames of the driver's trace.
const TRACE_BYTES: usize = 64 * 1024;

/// The defmt trace: rzCOBS-encoded frames in a bounded ring (`ibmvmc::trace::Ring`),
/// the oldest whole frames overwritten and counted. Read through debugfs (`trace.rs`).
pub(crate) struct TraceRing {
    /// Touched only inside the critical section (the logger between `acquire` and
    /// `release`, and [`TraceRing::with`]).
    inner: UnsafeCell<TraceInner>,
}

struct TraceInner {
    sink: Sink<TRACE_BYTES>,
    token: kernel::ffi::c_ulong,
    /// A frame is open; a nested `acquire` (a `Format` impl that logs) is discarded.
    taken: bool,
    nested: bool,
}

// SAFETY: `inner` is only accessed inside the critical section (see the field): one
// context at a time.
unsafe impl Sync for TraceRing {}

pub(crate) static TRACE: TraceRing = TraceRing {
    inner: UnsafeCell::new(TraceInner {
        sink: Sink::new(),
        token: 0,
        taken: false,
        nested: false,
    }),
};

impl TraceRing {
    /// Runs `f` on the ring inside the critical section; `None` if this CPU is inside a
    /// frame (only a `Format` impl could call from there, and none does). `f` must not
    /// log.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Ring<TRACE_BYTES>) -> R) -> Option<R> {
        // SAFETY: released below; `f` only copies bytes and compares cursors.
        let token = unsafe { ffi::cs_acquire() };
        // SAFETY: we hold the critical section, so no other context touches `inner`; if
        // this CPU's own logger holds a frame open (`taken`), the ring is left alone.
        let inner = unsafe { &mut *self.inner.get() };
        let result = if inner.taken {
            None
        } else {
            Some(f(inner.sink.ring()))
        };
        // SAFETY: the token of the acquire above.
        unsafe { ffi::cs_release(token) };
        result
    }

    /// (frames completed, frames lost, bytes kept) since load.
    pub(crate) fn stats(&self) -> (u64, u64, u64) {
        self.with(|ring| ring.counters()).unwrap_or_default()
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
            inner.sink.ring().count_lost();
            // SAFETY: the token is the nested one just returned (a no-op release).
            unsafe { ffi::cs_release(token) };
            return;
        }
        inner.taken = true;
        inner.token = token;
        inner.sink.start_frame();
    }

    unsafe fn flush() {}

    unsafe fn release() {
        // SAFETY: defmt calls `release` only after `acquire`, inside the critical section.
        let inner = unsafe { &mut *TRACE.inner.get() };
        if inner.nested {
            inner.nested = false;
            return;
        }
        inner.sink.end_frame();
        inner.taken = false;
        let token = inner.token;
        // A reader blocked in trace_pipe is woken through an irq_work (a wait queue's
        // lock may not be taken inside this raw spinlock).
        ffi::trace_kick();
        // SAFETY: `token` is the one `acquire` stored for this frame.
        unsafe { ffi::cs_release(token) };
    }

    unsafe fn write(bytes: &[u8]) {
        // SAFETY: called between `acquire` and `release`, inside the critical section.
        let inner = unsafe { &mut *TRACE.inner.get() };
        if inner.nested {
            return;
        }
        inner.sink.write(bytes);
    }
}

defmt::timestamp!("{=u64:us}", ffi::now_ns() / 1000);

#[defmt::panic_handler]
fn defmt_panic() -> ! {
    // Only `defmt::panic!` and friends get here; the driver does not use them on any
    // path input can reach. The kernel's Rust panic handler reports and BUG()s.
    core::panic!("ibmvmc: defmt panic")
}

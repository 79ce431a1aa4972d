// SPDX-License-Identifier: GPL-2.0-or-later
//! A tiny static, heap-free async executor for the ibmvmc driver.
//!
//! The driver's handshake, per-session open and signal processing are futures spawned
//! on one [`Executor`]. A CRQ interrupt wakes them; the executor then calls its
//! [`Pender`], which queues the driver's work item; the work item (a bottom half) calls
//! [`Executor::poll`], which polls every ready task once. The crate knows nothing of the
//! kernel: it is `no_std`, allocates nothing, uses only `core` atomics
//! (compare-exchange, swap, fetch-or/and, native on x86_64 and ppc64le), never panics at
//! run time, and builds and tests on the host.
//!
//! ```
//! use core::ptr;
//! use core::sync::atomic::{AtomicBool, Ordering};
//! use ibmvmc_executor::{Executor, Pender};
//!
//! static POLL_REQUESTED: AtomicBool = AtomicBool::new(false);
//! // In the kernel: queue_work() on the executor's work item.
//! fn request_poll(_context: *mut ()) {
//!     POLL_REQUESTED.store(true, Ordering::Release);
//! }
//!
//! // 8 tasks of at most 256 bytes each.
//! static EXECUTOR: Executor<8, 256> = Executor::new(Pender::new(request_poll, ptr::null_mut()));
//!
//! let id = EXECUTOR.spawn(async { /* handshake */ }).unwrap();
//! // The bottom half:
//! while POLL_REQUESTED.swap(false, Ordering::Acquire) {
//!     EXECUTOR.poll();
//! }
//! assert!(!EXECUTOR.is_running(id));
//! ```
//!
//! A future that does not fit a slot is a compile-time error, not a run-time one (it is
//! raised when the `spawn` call is compiled to code, so `cargo build` reports it and
//! `cargo check` does not):
//!
//! ```compile_fail
//! # use ibmvmc_executor::{Executor, Pender};
//! # fn pend(_: *mut ()) {}
//! static EXECUTOR: Executor<1, 16> = Executor::new(Pender::new(pend, core::ptr::null_mut()));
//! let big = [0u8; 64];
//! let _ = EXECUTOR.spawn(async move { core::hint::black_box(big); });
//! ```
//!
//! and so is one aligned to more than [`SLOT_ALIGN`]:
//!
//! ```compile_fail
//! # use ibmvmc_executor::{Executor, Pender};
//! # fn pend(_: *mut ()) {}
//! static EXECUTOR: Executor<1, 256> = Executor::new(Pender::new(pend, core::ptr::null_mut()));
//! #[repr(align(64))]
//! struct CacheLine([u8; 64]);
//! let line = CacheLine([0; 64]);
//! let _ = EXECUTOR.spawn(async move { core::hint::black_box(line); });
//! ```
//!
//! # Design
//!
//! Modelled on embassy-executor's `raw` module. Two kinds of atomic word carry the
//! whole protocol, and every transition is one read-modify-write of one of them.
//!
//! - **Slots.** `N` slots in the executor itself, each a header plus `SIZE` bytes aligned
//!   to [`SLOT_ALIGN`]. The future is type-erased into a slot by two function pointers
//!   (poll, drop) stored in the header.
//! - **State word per slot** (`raw/state.rs`): CLAIMED, SPAWNED, QUEUED, CLOSED, DOOMED
//!   and a 24-bit generation. Spawn claims a free slot with one CAS (Acquire), writes the
//!   future, and publishes it with a CAS that sets SPAWNED|QUEUED (Release). A completed
//!   future is dropped in place by the poller, which then clears the slot (Release), so
//!   it can be spawned again; the generation makes old [`TaskId`]s answer "not running".
//! - **Wakers** are the header pointer; clone and drop do nothing (debug builds count
//!   live wakers). A wake is one `fetch_or(QUEUED)` (AcqRel); only the waker that set
//!   the bit pushes the header, so waking a queued task is that single atomic operation.
//! - **Head word per executor** (`raw/run_queue.rs`): an intrusive lock-free stack of
//!   queued headers with four flags in the pointer's low bits: POLLING (the poll lock,
//!   never waited on), REPOLL, CLOSED, DRAINED. A push is a CAS loop (Release). The
//!   push that finds the stack empty calls the pender, so the pender runs once per
//!   empty->non-empty transition and not again until a `poll()` takes the stack.
//! - **Poll** takes the lock and the whole stack with one CAS (Acquire). A concurrent
//!   `poll()` sets REPOLL instead and returns; the holder then takes the stack once more
//!   before it unlocks (Release), so the work behind that `poll()` is not stranded. For
//!   each header taken it clears QUEUED *before* polling, so a wake during the poll
//!   queues the task again (and pends); tasks so woken run in the next `poll()`. A task
//!   is never polled concurrently with itself because only the lock holder polls.
//! - **Stale wakers.** A waker may outlive its task. Waking it queues the slot; the
//!   poller skips a slot that holds no future, and if the slot was re-spawned meanwhile
//!   the new task gets one spurious poll, which every future must tolerate. Slot storage
//!   is static, so there is no use-after-free while the executor itself exists.
//! - **Shutdown** sets CLOSED (and POLLING, for good) in the head word, so from then on
//!   spawns fail and wakes touch only a slot's state word. The futures are dropped by
//!   whoever holds the poll lock: `shutdown` itself, or the `poll()` running at that
//!   moment; `shutdown` closes every slot first (SPAWNED becomes DOOMED), so that
//!   `poll()` starts no further task poll.
//!
//! The loom model test (`tests/loom.rs`) compiles `src/raw/` against loom's atomics
//! through the `sync` module indirection and checks the protocol exhaustively on small
//! models.
//!
//! # What the platform must guarantee
//!
//! - The executor is a `static` (or in a `StaticCell`), so slots never move.
//! - The pender only schedules a later `poll()`: it never sleeps and never polls.
//! - `poll()` runs in a context that may sleep if tasks may (a work item), and a panic in
//!   a future is fatal (`panic=abort`): the executor does not catch it.
//! - **Module unload.** The executor's memory is freed with the module image, and every
//!   waker is a pointer into it. Before that memory goes away:
//!   1. call [`Executor::shutdown`]: wakes become no-ops and spawns fail;
//!   2. cancel or synchronise every context that may still call a waker or
//!      `spawn`/`poll`: free the IRQ (`free_irq`/`synchronize_irq`), delete timers
//!      (`timer_delete_sync`), `irq_work_sync`, and `cancel_work_sync` the work item that
//!      calls `poll()`. The last one also waits for a deferred drain to finish, after
//!      which [`Executor::is_drained`] is true. Steps 1 and 2 may also run the other
//!      way round, as ibmvmc.ko does: stop the pender and `cancel_work_sync` first,
//!      sync the wake sources, then `shutdown`, which then finds no `poll()` running
//!      and drains itself (`drained == true`);
//!   3. wakers must never be stored outside the module (in another module's or the core
//!      kernel's data): nothing could revoke them. In debug builds
//!      [`ShutdownReport::live_wakers`] counts wakers not yet dropped; after step 2 it
//!      should be zero, or each remaining one must live in memory freed with the module.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(
    missing_docs,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc
)]

mod raw;
mod sync;

pub use raw::Executor;
pub use raw::Pender;
pub use raw::ShutdownReport;
pub use raw::SpawnError;
pub use raw::TaskId;
pub use raw::SLOT_ALIGN;

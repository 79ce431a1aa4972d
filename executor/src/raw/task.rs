// SPDX-License-Identifier: GPL-2.0-or-later
//! One task slot: a header (state word, run-queue link, type-erased functions) followed
//! by inline storage for the future, and the waker that points at the header.

use core::future::Future;
use core::mem::ManuallyDrop;
use core::mem::MaybeUninit;
use core::pin::Pin;
use core::ptr;
use core::ptr::NonNull;
use core::task::Context;
use core::task::RawWaker;
use core::task::RawWakerVTable;
use core::task::Waker;

use super::executor::Core;
use super::state::Claim;
use super::state::Publish;
use super::state::TaskState;
use super::SpawnError;
use crate::sync::AtomicPtr;
use crate::sync::Ordering::Relaxed;
use crate::sync::UnsafeCell;

/// Alignment of every slot's future storage; a spawned future may need at most this.
pub const SLOT_ALIGN: usize = 16;

/// Polls the slot's future once; if it completed, drops it and frees the slot. Takes
/// the slot's header pointer. Made for one future type and slot size by `poll_slot`.
type PollFn = unsafe fn(*const TaskHeader);
/// Drops the slot's (not completed) future. Made by `drop_slot`.
type DropFn = unsafe fn(*const TaskHeader);

/// Identifies one spawn of one slot.
///
/// The generation makes the id of a completed task stay completed: once the slot is
/// re-spawned, [`Executor::is_running`](crate::Executor::is_running) answers false for
/// the old id. Generations wrap after 2^24 spawns of the same slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskId {
    index: u32,
    generation: u32,
}

impl TaskId {
    pub(crate) fn new(index: usize, generation: u32) -> Self {
        // `Executor::new` rejects executors with more than u32::MAX slots at compile time.
        Self {
            index: index as u32,
            generation,
        }
    }

    /// The slot the task runs in.
    pub fn index(self) -> usize {
        self.index as usize
    }

    /// How many times that slot had been spawned, this spawn included (modulo 2^24).
    pub fn generation(self) -> u32 {
        self.generation
    }
}

/// The type-independent part of a slot. Wakers and the run queue see only this.
///
/// # Invariants
///
/// - Every `*const TaskHeader` the executor creates (wakers, run-queue links) is derived
///   from a reference to the whole [`Slot`], whose first field is the header, and slots
///   live in `'static` storage, so such a pointer is valid for the program's lifetime.
/// - `next` is written only by the context that set QUEUED in `state`, and read only by
///   the poller after it took the queue and before it clears QUEUED.
/// - `core`, `poll_fn` and `drop_fn` are written only while the slot is CLAIMED and no
///   future is live (by the spawner that claimed it), and read only after SPAWNED (or
///   DOOMED) was observed with Acquire (or, for `core`, by a waker, which can only exist
///   after that).
#[repr(C)]
pub(crate) struct TaskHeader {
    pub(crate) state: TaskState,
    next: UnsafeCell<Option<NonNull<TaskHeader>>>,
    core: AtomicPtr<Core>,
    poll_fn: UnsafeCell<Option<PollFn>>,
    drop_fn: UnsafeCell<Option<DropFn>>,
}

// SAFETY: the header is shared between the poller, spawners and wakers on any CPU. Its
// cells are accessed only as stated in the type's invariants, each access ordered by an
// atomic operation on `state` or on the run-queue head, so no access races.
unsafe impl Sync for TaskHeader {}
// SAFETY: as for `Sync`; the raw pointers inside name `'static` headers and the
// executor's `'static` core, valid from any thread.
unsafe impl Send for TaskHeader {}

impl TaskHeader {
    crate::sync::maybe_const_fn! {
        fn new() -> Self {
            Self {
                state: TaskState::new(),
                next: UnsafeCell::new(None),
                core: AtomicPtr::new(ptr::null_mut()),
                poll_fn: UnsafeCell::new(None),
                drop_fn: UnsafeCell::new(None),
            }
        }
    }

    /// # Safety
    ///
    /// The caller set this header's QUEUED bit and has not yet published the header in
    /// the run queue (see the type's invariants).
    #[inline(always)]
    pub(crate) unsafe fn set_next(&self, next: Option<NonNull<TaskHeader>>) {
        // SAFETY: per the contract, no one else reads or writes the link now.
        self.next.with_mut(|link| unsafe { *link = next });
    }

    /// # Safety
    ///
    /// The caller holds the poll lock, took the list this header is in, and has not yet
    /// cleared its QUEUED bit.
    #[inline(always)]
    pub(crate) unsafe fn next(&self) -> Option<NonNull<TaskHeader>> {
        // SAFETY: per the contract, the pusher's write happened before our take of the
        // list (Release push / Acquire take) and no one writes it until QUEUED clears.
        self.next.with(|link| unsafe { *link })
    }

    /// Queues the task and, on the empty->non-empty transition, calls the pender.
    ///
    /// # Safety
    ///
    /// `this` is a header pointer as described in the type's invariants.
    #[inline(always)]
    unsafe fn wake(this: *const TaskHeader) {
        // SAFETY: per the contract `this` is valid for `'static`.
        let header = unsafe { &*this };
        if !header.state.set_queued() {
            // Already queued: the pending poll will see this wake's effects.
            return;
        }
        // Relaxed: a waker exists only after its task was published (a waker is made by
        // a poll, which saw SPAWNED, or by `Executor::waker`, which saw it too), and the
        // first spawn of a slot sets this pointer before publishing; that ordering
        // reached us with the waker.
        let core = header.core.load(Relaxed);
        // SAFETY: so `core` is the `'static` core of the executor owning this slot (never
        // null here), and we set QUEUED just now, so the link is ours and the header is
        // in no queue.
        unsafe { (*core).enqueue(this) }
    }

    #[cfg(debug_assertions)]
    fn core(&self) -> Option<&'static Core> {
        // SAFETY: null or the `'static` core of the executor owning this slot.
        unsafe { self.core.load(Relaxed).as_ref() }
    }
}

/// Storage for a type-erased future of at most `SIZE` bytes.
#[repr(C, align(16))]
struct Storage<const SIZE: usize>([MaybeUninit<u8>; SIZE]);

// Keep the attribute above and the constant in step.
const _: () = assert!(core::mem::align_of::<Storage<0>>() == SLOT_ALIGN);

/// A header followed by the future's storage.
///
/// # Invariants
///
/// The storage holds a valid future of the type `poll_fn`/`drop_fn` were made for
/// exactly while the state is SPAWNED or DOOMED ("live"); while CLAIMED and not live it
/// belongs to the spawner. A live future is accessed only by the holder of the
/// executor's poll lock.
#[repr(C)]
pub(crate) struct Slot<const SIZE: usize> {
    pub(crate) header: TaskHeader,
    storage: UnsafeCell<Storage<SIZE>>,
}

// SAFETY: the future in the storage is `Send` (required by `spawn`), and it is touched
// only by the one context the state word grants it to at a time (see the invariants).
unsafe impl<const SIZE: usize> Sync for Slot<SIZE> {}
// SAFETY: as for `Sync`.
unsafe impl<const SIZE: usize> Send for Slot<SIZE> {}

impl<const SIZE: usize> Slot<SIZE> {
    crate::sync::maybe_const_fn! {
        pub(crate) fn new() -> Self {
            Self {
                header: TaskHeader::new(),
                storage: UnsafeCell::new(Storage([MaybeUninit::uninit(); SIZE])),
            }
        }
    }

    /// The header pointer used by wakers and the run queue, carrying the whole slot's
    /// provenance so that the poller may turn it back into the slot.
    #[inline(always)]
    fn header_ptr(&'static self) -> *const TaskHeader {
        ptr::from_ref(self).cast()
    }

    /// Moves `future` into this slot, which the caller claimed, and queues it.
    ///
    /// Returns the generation of the new task, or `ShutDown` if the executor closed the
    /// slot meanwhile (the future is then dropped here).
    #[inline]
    pub(crate) fn spawn<F>(
        &'static self,
        claim: Claim,
        core: &'static Core,
        future: F,
    ) -> Result<u32, SpawnError>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // Set by the slot's first spawn (a slot always belongs to the same executor).
        // A CAS rather than a store: the only plain atomic store would be a write that
        // races with nothing, but loom mis-orders plain stores (tokio-rs/loom#282).
        if self.header.core.load(Relaxed).is_null() {
            let _ = self.header.core.compare_exchange(
                ptr::null_mut(),
                ptr::from_ref(core).cast_mut(),
                Relaxed,
                Relaxed,
            );
        }
        // The slot is CLAIMED and holds no live future, so its cells belong to us (see
        // the Slot and TaskHeader invariants).
        // SAFETY: the cell is ours (above).
        let poll_fn = |f: *mut Option<PollFn>| unsafe { *f = Some(poll_slot::<F, SIZE>) };
        self.header.poll_fn.with_mut(poll_fn);
        // SAFETY: the cell is ours (above).
        let drop_fn = |f: *mut Option<DropFn>| unsafe { *f = Some(drop_slot::<F, SIZE>) };
        self.header.drop_fn.with_mut(drop_fn);
        // SAFETY: the storage is ours (above), and the caller (`Executor::spawn`) checked
        // at compile time that `F` fits its size and alignment.
        let write = |storage: *mut Storage<SIZE>| unsafe { storage.cast::<F>().write(future) };
        self.storage.with_mut(write);
        match self.header.state.publish(claim) {
            Publish::Enqueue => {
                // SAFETY: `publish` set QUEUED for us; the header is in no queue.
                unsafe { core.enqueue(self.header_ptr()) };
                Ok(claim.generation())
            }
            Publish::AlreadyQueued => Ok(claim.generation()),
            Publish::Closed => {
                // SAFETY: never published, so the future written above is still ours.
                self.storage
                    .with_mut(|storage| unsafe { ptr::drop_in_place(storage.cast::<F>()) });
                self.header.state.abandon();
                Err(SpawnError::ShutDown)
            }
        }
    }

    /// Polls the task once if it is spawned. Called by the holder of the poll lock for a
    /// header it took from the run queue, after reading the header's `next` link.
    #[inline(always)]
    pub(crate) fn run(&'static self) {
        // Clear QUEUED before polling: a wake from here on queues the task again.
        // SAFETY: the caller took this header from the run queue, so QUEUED is set and
        // ours.
        if !unsafe { self.header.state.dequeue() } {
            // Woken after it completed (or before its spawn was published), or shut down.
            return;
        }
        // SAFETY: SPAWNED was observed with Acquire, so the spawner's write of `Some`
        // (made before it published SPAWNED with Release) is visible, and no one writes
        // the cell while the slot is SPAWNED.
        let poll_fn = self
            .header
            .poll_fn
            .with(|f| unsafe { (*f).unwrap_unchecked() });
        // SAFETY: SPAWNED and we hold the poll lock: the storage holds the live future
        // `poll_fn` was made for (same type and slot size), and nothing else touches it
        // during the call.
        unsafe { poll_fn(self.header_ptr()) }
    }

    /// Shutdown: closes the slot and drops its future if there is one. Called once per
    /// slot, by the holder of the poll lock. True if a future was dropped.
    pub(crate) fn drain(&'static self) -> bool {
        // The close is an atomic read-modify-write, so what it reports is exact even if
        // `shutdown` closed the slot already on another CPU.
        if !self.header.state.close() {
            // Free, or a spawner owns it and will see CLOSED when it publishes.
            return false;
        }
        // SAFETY: SPAWNED (or DOOMED, which only replaces it) observed with Acquire; the
        // cell is not written while a future is live.
        if let Some(drop_fn) = self.header.drop_fn.with(|f| unsafe { *f }) {
            // SAFETY: a future is live, we hold the poll lock and the future is not being
            // polled (the poller is us), so we may drop it; it is dropped once because
            // the slot can never be published again after CLOSED.
            unsafe { drop_fn(self.header_ptr()) };
        }
        self.header.state.finish();
        true
    }

    /// A waker for this slot's task.
    pub(crate) fn waker(&'static self) -> Waker {
        // SAFETY: a header pointer with the whole slot's provenance.
        unsafe { count_waker(self.header_ptr().cast(), 1) };
        // SAFETY: `VTABLE`'s functions accept exactly such header pointers.
        unsafe { Waker::from_raw(raw_waker(self.header_ptr())) }
    }

    /// Wakes this slot's task.
    pub(crate) fn wake(&'static self) {
        // SAFETY: a header pointer with the whole slot's provenance, valid for `'static`.
        unsafe { TaskHeader::wake(self.header_ptr()) }
    }
}

/// The [`PollFn`] for futures of type `F` in slots of `SIZE` bytes. Monomorphised, so
/// the waker and context are built where the compiler sees how the future uses them.
///
/// # Safety
///
/// `header` is the header pointer of a `Slot<SIZE>` (see [`TaskHeader`]'s invariants)
/// whose storage holds a live `F`, and the caller holds the poll lock, so nothing else
/// touches the future during the call.
unsafe fn poll_slot<F: Future<Output = ()>, const SIZE: usize>(header: *const TaskHeader) {
    // SAFETY: per the contract; the header is the slot's first field and the pointer
    // carries the whole slot's provenance.
    let slot = unsafe { &*header.cast::<Slot<SIZE>>() };
    // SAFETY: `VTABLE`'s functions accept exactly such header pointers. The waker is not
    // dropped: that would be a no-op, and the live-waker count counts clones only.
    let waker = ManuallyDrop::new(unsafe { Waker::from_raw(raw_waker(header)) });
    let mut cx = Context::from_waker(&waker);
    let done = slot.storage.with_mut(|storage| {
        let future = storage.cast::<F>();
        // SAFETY: per the contract; the storage is `'static` and never moved, so pinning
        // holds until the drop below.
        let ready = unsafe { Pin::new_unchecked(&mut *future) }
            .poll(&mut cx)
            .is_ready();
        if ready {
            // SAFETY: a completed future is dropped here, once; `finish` frees the slot.
            unsafe { ptr::drop_in_place(future) };
        }
        ready
    });
    if done {
        slot.header.state.finish();
    }
}

/// The [`DropFn`] for futures of type `F` in slots of `SIZE` bytes.
///
/// # Safety
///
/// As for [`poll_slot`], and the future is never used again.
unsafe fn drop_slot<F, const SIZE: usize>(header: *const TaskHeader) {
    // SAFETY: per the contract, as in `poll_slot`.
    let slot = unsafe { &*header.cast::<Slot<SIZE>>() };
    // SAFETY: per the contract.
    slot.storage
        .with_mut(|storage| unsafe { ptr::drop_in_place(storage.cast::<F>()) });
}

// The waker is the header pointer; it owns nothing, so clone and drop only keep the
// debug count of live wakers.
static VTABLE: RawWakerVTable =
    RawWakerVTable::new(waker_clone, waker_wake, waker_wake_by_ref, waker_drop);

fn raw_waker(header: *const TaskHeader) -> RawWaker {
    RawWaker::new(header.cast(), &VTABLE)
}

/// Debug builds count the wakers handed out (clones and [`Slot::waker`]) per executor,
/// so that shutdown can report wakers still held somewhere.
///
/// # Safety
///
/// `data` is a header pointer as described in [`TaskHeader`]'s invariants.
#[cfg(debug_assertions)]
unsafe fn count_waker(data: *const (), delta: isize) {
    // SAFETY: per the contract, valid for `'static`.
    if let Some(core) = unsafe { &*data.cast::<TaskHeader>() }.core() {
        core.count_waker(delta);
    }
}

/// Release builds keep no count.
///
/// # Safety
///
/// None needed; `unsafe` only to match the debug version.
#[cfg(not(debug_assertions))]
#[inline(always)]
unsafe fn count_waker(_data: *const (), _delta: isize) {}

// The four functions below receive the data pointer of a waker made by `raw_waker`,
// which is always a header pointer as described in `TaskHeader`'s invariants.

unsafe fn waker_clone(data: *const ()) -> RawWaker {
    // SAFETY: waker data, see above.
    unsafe { count_waker(data, 1) };
    raw_waker(data.cast())
}

unsafe fn waker_wake(data: *const ()) {
    // SAFETY: waker data, see above.
    unsafe { TaskHeader::wake(data.cast()) };
    // SAFETY: waker data, see above.
    unsafe { count_waker(data, -1) };
}

unsafe fn waker_wake_by_ref(data: *const ()) {
    // SAFETY: waker data, see above.
    unsafe { TaskHeader::wake(data.cast()) }
}

unsafe fn waker_drop(data: *const ()) {
    // SAFETY: waker data, see above.
    unsafe { count_waker(data, -1) };
}

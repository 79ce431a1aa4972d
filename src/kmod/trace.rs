// SPDX-License-Identifier: GPL-2.0-or-later

//! The trace's debugfs files and its run-time level, called from `trace_debugfs.c`.
//!
//! A reader gets a stream (`ibmvmc::trace`): a header with this build's trace id and the
//! low 16 bits of the defmt anchor's run-time address (`ANCHOR_MASK`), then whole
//! frames, and a marker wherever frames were lost. `trace` and `trace_pipe` drain the ring through one shared cursor (the C
//! side serialises them with a mutex); `trace_snapshot` copies what the ring held when it
//! was opened and leaves it there. Every read is a peek into a kernel buffer and a commit
//! once the copy to user space succeeded, so a bad user pointer loses nothing.
//! Drained frames are gone: a snapshot starts where the drain cursor is.

use core::ffi::c_void;

use ibmvmc::trace::Cursor;
use ibmvmc::trace::Level;
use ibmvmc::trace::HEADER_LEN;
use kernel::alloc::flags::GFP_KERNEL;
use kernel::alloc::KBox;
use kernel::ffi::{c_char, c_int};

use crate::bindings::{IBMVMC_TRACE_DRAIN, IBMVMC_TRACE_SNAPSHOT};
use crate::ffi;
use crate::platform::TRACE;

/// How a debugfs file reads the ring; the numbers are `trace_debugfs.c`'s.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `trace`: drain, end of file when empty.
    Drain,
    /// `trace_snapshot`: what was not drained at open, not consumed.
    Snapshot,
    /// `trace_pipe`: drain, the C side blocks when empty.
    Pipe,
}

/// One open trace file.
pub(crate) struct Reader {
    mode: Mode,
    header: [u8; HEADER_LEN],
    /// Header bytes already delivered.
    header_done: usize,
    /// Snapshot readers: their own cursor, and where the snapshot ends.
    cursor: Cursor,
    until: Cursor,
    /// What the last peek would move to, committed once the user copy succeeded.
    peeked: Option<(usize, Cursor)>,
}

/// # Safety
/// `reader` is a pointer from `ibmvmc_rs_trace_open` not yet released; the C side calls
/// with its mutex held or from the file's single release, so there is no other reference.
unsafe fn reader<'a>(reader: *mut c_void) -> &'a mut Reader {
    // SAFETY: per the contract, the live `KBox<Reader>` leaked by `ibmvmc_rs_trace_open`.
    unsafe { &mut *reader.cast::<Reader>() }
}

#[no_mangle]
extern "C" fn ibmvmc_rs_trace_open(mode: c_int) -> *mut c_void {
    let mode = match mode {
        IBMVMC_TRACE_DRAIN => Mode::Drain,
        IBMVMC_TRACE_SNAPSHOT => Mode::Snapshot,
        _ => Mode::Pipe,
    };
    // A snapshot shows what was not drained yet (and says so if some of it was lost).
    let (cursor, until) = TRACE
        .with(|ring| (ring.drain_cursor(), ring.newest()))
        .unwrap_or_default();
    let reader = Reader {
        mode,
        header: ibmvmc::trace::header(&ffi::trace_id(), ibmvmc::trace::anchor()),
        header_done: 0,
        cursor,
        until,
        peeked: None,
    };
    match KBox::new(reader, GFP_KERNEL) {
        Ok(reader) => KBox::into_raw(reader).cast::<c_void>(),
        Err(_) => core::ptr::null_mut(),
    }
}

/// Frees a reader.
///
/// # Safety
/// `reader` comes from `ibmvmc_rs_trace_open`; the file's release calls this once.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_trace_release(reader: *mut c_void) {
    // SAFETY: release is the file's last operation; the pointer came from `into_raw`.
    drop(unsafe { KBox::from_raw(reader.cast::<Reader>()) });
}

/// Fills `buf` with what the reader gets next (header bytes, markers, whole frames)
/// without consuming it; 0 when there is nothing; `-EINVAL` when something is there
/// but `len` is too short for it (the next frame, or a lost marker, does not fit: frames
/// are never split, and returning 0 would say end of file, or, to a `trace_pipe`
/// reader waiting for frames, make it loop for ever).
///
/// # Safety
/// `reader_ptr` as in `reader`; `buf` points to `len` writable bytes.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_trace_peek(
    reader_ptr: *mut c_void,
    buf: *mut u8,
    len: usize,
) -> isize {
    // SAFETY: see `reader`.
    let r = unsafe { reader(reader_ptr) };
    // SAFETY: the C side passes a kernel buffer of `len` bytes it owns for this call.
    let out = unsafe { core::slice::from_raw_parts_mut(buf, len) };
    let head = (HEADER_LEN - r.header_done).min(out.len());
    out[..head].copy_from_slice(&r.header[r.header_done..r.header_done + head]);
    let rest = &mut out[head..];
    let (read, cursor, too_short) = TRACE
        .with(|ring| {
            let (mut at, until) = match r.mode {
                Mode::Snapshot => (r.cursor, Some(r.until)),
                Mode::Drain | Mode::Pipe => (ring.drain_cursor(), None),
            };
            let read = if rest.is_empty() {
                Default::default()
            } else {
                ring.read(&mut at, until, rest)
            };
            let too_short =
                head == 0 && read.len == 0 && !rest.is_empty() && ring.pending_until(&at, until);
            (read, at, too_short)
        })
        .unwrap_or_default();
    if too_short {
        r.peeked = None;
        return -(kernel::bindings::EINVAL as isize);
    }
    r.peeked = Some((r.header_done + head, cursor));
    (head + read.len) as isize
}

/// Consumes what the last peek returned (the copy to user space succeeded).
///
/// # Safety
/// `reader_ptr` comes from `ibmvmc_rs_trace_open` and is not released (see `reader`).
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_trace_commit(reader_ptr: *mut c_void) {
    // SAFETY: see `reader`.
    let r = unsafe { reader(reader_ptr) };
    let Some((header_done, cursor)) = r.peeked.take() else {
        return;
    };
    r.header_done = header_done;
    match r.mode {
        Mode::Snapshot => r.cursor = cursor,
        Mode::Drain | Mode::Pipe => {
            TRACE.with(|ring| ring.commit_drain(cursor));
        }
    }
}

/// Whether a `trace_pipe` reader has something to read (its wait condition).
///
/// # Safety
/// `reader_ptr` comes from `ibmvmc_rs_trace_open` and is not released (see `reader`).
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_trace_pending(reader_ptr: *mut c_void) -> bool {
    // SAFETY: see `reader`; this only reads.
    let r = unsafe { reader(reader_ptr) };
    r.header_done < HEADER_LEN || TRACE.with(|ring| ring.drain_pending()).unwrap_or(false)
}

/// Whether the shared drain cursor has frames to read: the wait condition of a blocked
/// `trace_pipe` read (no lock, no sleep: it runs inside `wait_event`).
#[no_mangle]
extern "C" fn ibmvmc_rs_trace_drain_pending() -> bool {
    TRACE.with(|ring| ring.drain_pending()).unwrap_or(false)
}

/// Forgets every frame in the ring (a write to `trace`).
#[no_mangle]
extern "C" fn ibmvmc_rs_trace_clear() {
    TRACE.with(|ring| ring.clear());
}

/// Sets the run-time level from a name or number (the `trace_level` parameter).
///
/// # Safety
/// `text` points to `len` readable bytes.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_trace_level_set(text: *const c_char, len: usize) -> c_int {
    // SAFETY: the C side passes the parameter string and its length.
    let text = unsafe { core::slice::from_raw_parts(text.cast::<u8>(), len) };
    match Level::parse(text) {
        Some(level) => {
            ibmvmc::trace::set_level(level);
            0
        }
        None => -(kernel::bindings::EINVAL as c_int),
    }
}

/// Writes the run-time level's name and a newline into `buf` (the parameter's value).
///
/// # Safety
/// `buf` points to `len` writable bytes.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_trace_level_get(buf: *mut c_char, len: usize) -> c_int {
    let name = ibmvmc::trace::level().name().as_bytes();
    if len < name.len() + 1 {
        return 0;
    }
    // SAFETY: the C side passes a buffer of `len` bytes.
    let out = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), len) };
    out[..name.len()].copy_from_slice(name);
    out[name.len()] = b'\n';
    (name.len() + 1) as c_int
}

ffi::same_signature!(
    ibmvmc_rs_trace_open,
    ibmvmc_rs_trace_release,
    ibmvmc_rs_trace_peek,
    ibmvmc_rs_trace_commit,
    ibmvmc_rs_trace_pending,
    ibmvmc_rs_trace_drain_pending,
    ibmvmc_rs_trace_clear,
    ibmvmc_rs_trace_level_set,
    ibmvmc_rs_trace_level_get,
);

// SPDX-License-Identifier: GPL-2.0-or-later

//! The file operations of /dev/ibmvmc, called from the table in `cdev.c`: each turns
//! VFS arguments into a call of the core's API (`ibmvmc::api`) and its result into an
//! errno. User memory is copied with `kernel::uaccess`, inside the closures the core
//! runs with no lock held.
//!
//! With the simulator an instance exists whenever a file can be open. With the pseries
//! backend the device node exists before (and without) a probed VMC device; until one
//! is probed a file behaves as the core treats a file without a connection while the
//! driver is in `initial`: QUERY reports state 0, SETHMCID EAGAIN, read and write EIO,
//! poll nothing, and REQUESTVMC makes its hcall (see `pseries.rs`).

use core::ffi::c_void;

use ibmvmc::Errno;
use ibmvmc::File;
use kernel::alloc::flags::GFP_KERNEL;
use kernel::alloc::KBox;
use kernel::ffi::{c_char, c_int, c_long, c_uint, c_ulong};
use kernel::ioctl::_IOR;
use kernel::ioctl::_IOW;
use kernel::uaccess::UserPtr;
use kernel::uaccess::UserSlice;

// The poll bits and text selectors of shim.h.
#[cfg(ibmvmc_sim)]
use crate::bindings::IBMVMC_TEXT_SIM;
use crate::bindings::IBMVMC_WRITABLE as WRITABLE;
use crate::bindings::{IBMVMC_HANGUP as HANGUP, IBMVMC_READABLE as READABLE};
use crate::bindings::{IBMVMC_TEXT_STATE, IBMVMC_TEXT_STATS};
use crate::ffi;
use crate::instance::current;

/// ioctl type of the VMC device.
const VMC_BASE: u32 = 0xCC;
/// `_IOW(0xCC, 0x00, unsigned char *)`: the size field is a pointer's, 8 here.
const VMC_IOCTL_SETHMCID: u32 = _IOW::<*const u8>(VMC_BASE, 0x00);
/// The same from a 32-bit process, whose pointers have 4 bytes.
const VMC_IOCTL_SETHMCID_32: u32 = _IOW::<u32>(VMC_BASE, 0x00);
/// `_IOR(0xCC, 0x01, struct ibmvmc_query_struct)`: three ints.
const VMC_IOCTL_QUERY: u32 = _IOR::<[i32; 3]>(VMC_BASE, 0x01);
/// `_IOR(0xCC, 0x02, u32)`.
const VMC_IOCTL_REQUESTVMC: u32 = _IOR::<u32>(VMC_BASE, 0x02);

fn errno(e: Errno) -> isize {
    -(e.to_errno() as isize)
}

fn fault<T>(_: T) -> Errno {
    Errno::Fault
}

/// An ioctl error decided here rather than in the core (which traces its own): traced
/// the same way, once.
fn refused(cmd: c_uint, e: Errno) -> Errno {
    ibmvmc::trace_debug!("ioctl {=u32:#x}: -> {}", cmd, e);
    e
}

/// The per-file state behind `file->private_data`.
///
/// # Safety
/// `session` must be a pointer returned by `ibmvmc_rs_open` and not yet passed to
/// `ibmvmc_rs_release`: the VFS guarantees both for `private_data` of an open file.
unsafe fn file<'a>(session: *mut c_void) -> &'a File {
    // SAFETY: per the function's contract, `session` is the live `KBox<File>` leaked
    // by `ibmvmc_rs_open`, freed only by `ibmvmc_rs_release` after the last file
    // operation on it has returned.
    unsafe { &*session.cast_const().cast::<File>() }
}

#[no_mangle]
extern "C" fn ibmvmc_rs_open() -> *mut c_void {
    match KBox::new(File::new(), GFP_KERNEL) {
        Ok(file) => KBox::into_raw(file).cast::<c_void>(),
        Err(_) => core::ptr::null_mut(),
    }
}

/// # Safety
/// `session` comes from `ibmvmc_rs_open`; called once, after the last other operation.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_release(session: *mut c_void) {
    // SAFETY: `release` is the last file operation, so no other reference to the file
    // state exists; the pointer came from `KBox::into_raw` in `ibmvmc_rs_open`.
    let file = unsafe { KBox::from_raw(session.cast::<File>()) };
    if let Some(instance) = current() {
        instance.vmc.release(&file);
    }
}

/// # Safety
/// `session` is a live file state (see [`file`]); `buf` is a user pointer.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_read(session: *mut c_void, buf: *mut c_char, len: usize) -> isize {
    // SAFETY: the caller passes `private_data` of an open file.
    let file = unsafe { file(session) };
    let Some(instance) = current() else {
        return if len == 0 { 0 } else { errno(Errno::Io) };
    };
    let mut writer = UserSlice::new(UserPtr::from_addr(buf as usize), len).writer();
    match instance.vmc.read(file, len, |message| {
        writer.write_slice(message).map_err(fault)
    }) {
        Ok(n) => n as isize,
        Err(e) => errno(e),
    }
}

/// # Safety
/// `session` is a live file state (see [`file`]); `buf` is a user pointer.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_write(
    session: *mut c_void,
    buf: *const c_char,
    len: usize,
) -> isize {
    // SAFETY: the caller passes `private_data` of an open file.
    let file = unsafe { file(session) };
    let Some(instance) = current() else {
        return errno(Errno::Io);
    };
    let mut reader = UserSlice::new(UserPtr::from_addr(buf as usize), len).reader();
    match instance
        .vmc
        .write(file, len, |dst| reader.read_slice(dst).map_err(fault))
    {
        Ok(n) => n as isize,
        Err(e) => errno(e),
    }
}

/// # Safety
/// `session` is a live file state (see [`file`]).
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_poll(session: *mut c_void) -> c_int {
    // SAFETY: the caller passes `private_data` of an open file.
    let file = unsafe { file(session) };
    let Some(instance) = current() else {
        // No device yet: a file without a connection reports nothing (the core's rule).
        return 0;
    };
    let ready = instance.vmc.poll(file);
    (if ready.readable { READABLE } else { 0 })
        | (if ready.writable { WRITABLE } else { 0 })
        | (if ready.hangup { HANGUP } else { 0 })
}

/// The wait queue a file sleeps on: its connection's, or -1 (files without one).
///
/// # Safety
/// `session` is a live file state (see [`file`]).
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_wait_index(session: *mut c_void) -> c_int {
    // SAFETY: the caller passes `private_data` of an open file.
    let file = unsafe { file(session) };
    match current().and_then(|instance| instance.vmc.wait_index(file)) {
        Some(index) => c_int::from(index),
        None => -1,
    }
}

/// # Safety
/// `session` is a live file state (see [`file`]); `arg` is the ioctl's user argument.
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_ioctl(session: *mut c_void, cmd: c_uint, arg: c_ulong) -> c_long {
    // SAFETY: the caller passes `private_data` of an open file.
    let file = unsafe { file(session) };
    let Some(instance) = current() else {
        return match no_device_ioctl(cmd, arg) {
            Ok(()) => 0,
            Err(e) => errno(e) as c_long,
        };
    };
    let vmc = instance.vmc;
    let user = UserPtr::from_addr(arg);
    let result: core::result::Result<(), Errno> = match cmd {
        VMC_IOCTL_SETHMCID | VMC_IOCTL_SETHMCID_32 => {
            let mut hmc_id = [0u8; ibmvmc::wire::HMC_ID_LEN];
            let had_session = file.session().is_some();
            let result = UserSlice::new(user, hmc_id.len())
                .reader()
                .read_slice(&mut hmc_id)
                .map_err(|_| refused(cmd, Errno::Fault))
                .and_then(|()| vmc.set_hmc_id(file, &hmc_id));
            // A poll() of this file by another thread or process sleeps on the
            // no-session queue: wake it, so that it polls again, on the session's queue.
            if !had_session && file.session().is_some() {
                ffi::wake_no_session();
            }
            result
        }
        VMC_IOCTL_QUERY => {
            let q = vmc.query();
            let mut bytes = [0u8; 12];
            for (chunk, value) in bytes
                .chunks_mut(4)
                .zip([q.have_vmc, q.state, q.vmc_drc_index])
            {
                chunk.copy_from_slice(&value.to_ne_bytes());
            }
            UserSlice::new(user, bytes.len())
                .writer()
                .write_slice(&bytes)
                .map_err(|_| refused(cmd, Errno::Fault))
        }
        VMC_IOCTL_REQUESTVMC => {
            if !ffi::capable_sys_admin() {
                Err(refused(cmd, Errno::Perm))
            } else {
                vmc.request_vmc().and_then(|drc_index| {
                    UserSlice::new(user, 4)
                        .writer()
                        .write_slice(&drc_index.to_ne_bytes())
                        .map_err(|_| refused(cmd, Errno::Fault))
                })
            }
        }
        _ => Err(refused(cmd, Errno::NoTty)),
    };
    match result {
        Ok(()) => 0,
        Err(e) => errno(e) as c_long,
    }
}

/// The ioctls while no device exists (pseries, before a probe): the driver is in
/// `initial`, as QUERY says.
fn no_device_ioctl(cmd: c_uint, arg: c_ulong) -> core::result::Result<(), Errno> {
    let user = UserPtr::from_addr(arg);
    match cmd {
        // The core's answer while the driver is not ready.
        VMC_IOCTL_SETHMCID | VMC_IOCTL_SETHMCID_32 => Err(Errno::Again),
        VMC_IOCTL_QUERY => UserSlice::new(user, 12)
            .writer()
            .write_slice(&[0u8; 12])
            .map_err(fault),
        VMC_IOCTL_REQUESTVMC => {
            if !ffi::capable_sys_admin() {
                return Err(Errno::Perm);
            }
            #[cfg(ibmvmc_pseries)]
            let result = crate::pseries::request_vmc_without_device();
            #[cfg(not(ibmvmc_pseries))]
            let result: core::result::Result<u32, Errno> = Err(Errno::Io);
            result.and_then(|drc_index| {
                UserSlice::new(user, 4)
                    .writer()
                    .write_slice(&drc_index.to_ne_bytes())
                    .map_err(fault)
            })
        }
        _ => Err(Errno::NoTty),
    }
}

/// Writes formatted text into a fixed buffer, truncating when it is full.
struct Text<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for Text<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let room = self.buf.len().saturating_sub(self.len);
        let n = s.len().min(room);
        if let (Some(dst), Some(src)) = (
            self.buf.get_mut(self.len..self.len + n),
            s.as_bytes().get(..n),
        ) {
            dst.copy_from_slice(src);
            self.len += n;
        }
        Ok(())
    }
}

/// Fills `buf` with debugfs text, `which` one of shim.h's `IBMVMC_TEXT_*` (`stats`,
/// `sim`, `state`). Returns its length.
///
/// # Safety
/// `buf` points to `len` writable bytes (a kernel buffer of `cdev.c`).
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_debugfs_text(which: c_int, buf: *mut c_char, len: usize) -> isize {
    let Some(instance) = current() else {
        return errno(Errno::NoDev);
    };
    // SAFETY: per the contract, `buf` is `len` writable bytes owned by the caller for
    // the duration of this call.
    let buf = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), len) };
    let mut out = Text { buf, len: 0 };
    let _ = match which {
        IBMVMC_TEXT_STATS => write_stats(&mut out, instance),
        IBMVMC_TEXT_STATE => write_state(&mut out, &instance.vmc.summary()),
        #[cfg(ibmvmc_sim)]
        IBMVMC_TEXT_SIM => instance.sim.write_stats(&mut out),
        _ => return errno(Errno::NoDev),
    };
    out.len as isize
}

/// debugfs `stats`: the driver's counters since load, one `name value` per line.
fn write_stats(out: &mut Text<'_>, instance: &crate::instance::Instance) -> core::fmt::Result {
    use core::fmt::Write;
    let s = instance.vmc.stats();
    let counters = [
        ("crq_in", s.crq_in),
        ("crq_out", s.crq_out),
        ("msgs_in", s.msgs_in),
        ("msgs_out", s.msgs_out),
        ("bytes_in", s.bytes_in),
        ("bytes_out", s.bytes_out),
        ("dropped_invalid", s.dropped_invalid),
        ("dropped_rdma", s.dropped_rdma),
        ("resets_partner_gone", s.resets_partner_gone),
        ("resets_suspended", s.resets_suspended),
        ("resets_partner_restarted", s.resets_partner_restarted),
        ("resets_stalled", s.resets_stalled),
        ("hcall_failures", s.hcall_failures),
        ("write_locked", s.write_locked),
        ("write_locked_ns", s.write_locked_ns),
        ("write_locked_max_ns", s.write_locked_max_ns),
    ];
    writeln!(out, "state {}", instance.vmc.query().state)?;
    for (name, value) in counters {
        writeln!(out, "{name} {value}")?;
    }
    for (slot, count) in s.hcall_by_code.iter().enumerate() {
        writeln!(
            out,
            "hcall_failures_{} {}",
            ibmvmc::HcallRc::slot_name(slot),
            count
        )?;
    }
    for index in 0..ffi::MAX_HMCS {
        writeln!(out, "wakeups_hmc{} {}", index, instance.wakeups(index))?;
    }
    let (frames, lost, bytes) = crate::platform::TRACE.stats();
    writeln!(out, "trace_level {}", ibmvmc::trace::level().name())?;
    writeln!(
        out,
        "trace_frames {frames}\ntrace_frames_lost {lost}\ntrace_bytes_kept {bytes}"
    )
}

/// debugfs `state`: the driver's state, what was negotiated, and each connection: its
/// state, session, generation, who owns its buffers, what is queued and pending.
fn write_state(out: &mut Text<'_>, s: &ibmvmc::state::Summary) -> core::fmt::Result {
    use core::fmt::Write;
    writeln!(
        out,
        "driver {:?} (query state {})",
        s.driver,
        s.driver.as_query()
    )?;
    match s.negotiated {
        Some(n) => writeln!(
            out,
            "negotiated max_hmcs {} pool_size {} mtu {} hypervisor_crq_size {}",
            n.max_hmcs, n.pool_size, n.mtu, n.hv_crq_size
        )?,
        None => writeln!(out, "negotiated none")?,
    }
    writeln!(out, "vmc_drc_index {:#x}", s.vmc_drc_index)?;
    for (index, conn) in s.conns.iter().enumerate() {
        let (free, busy, hypervisor) = conn.buffers;
        writeln!(
            out,
            "hmc{} {:?} session {} generation {} buffers: ours free {} ours busy {} hypervisor's {} \
             queued {} open_pending {} close_pending {} close_sent {}",
            index,
            conn.state,
            conn.session,
            conn.generation,
            free,
            busy,
            hypervisor,
            conn.queued,
            conn.open_pending,
            conn.close_pending,
            conn.close_sent,
        )?;
    }
    Ok(())
}

/// Runs one command written to debugfs `ibmvmc/sim` (simulator builds only).
///
/// # Safety
/// `cmd` points to `len` readable bytes (a kernel copy of the user's write).
#[cfg(ibmvmc_sim)]
#[no_mangle]
unsafe extern "C" fn ibmvmc_rs_sim_command(cmd: *const c_char, len: usize) -> c_long {
    let Some(instance) = current() else {
        return errno(Errno::NoDev) as c_long;
    };
    // SAFETY: per the contract, `cmd` is `len` readable bytes for this call.
    let bytes = unsafe { core::slice::from_raw_parts(cmd.cast::<u8>(), len) };
    let Ok(text) = core::str::from_utf8(bytes) else {
        return errno(Errno::Inval) as c_long;
    };
    match instance.sim_command(text) {
        Ok(()) => 0,
        Err(e) => e.to_errno() as c_long,
    }
}

ffi::same_signature!(
    ibmvmc_rs_open,
    ibmvmc_rs_release,
    ibmvmc_rs_read,
    ibmvmc_rs_write,
    ibmvmc_rs_poll,
    ibmvmc_rs_wait_index,
    ibmvmc_rs_ioctl,
    ibmvmc_rs_debugfs_text,
);
#[cfg(ibmvmc_sim)]
ffi::same_signature!(ibmvmc_rs_sim_command);

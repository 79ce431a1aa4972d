// SPDX-License-Identifier: GPL-2.0-or-later
//! The simulator behind a C ABI: the hypervisor's protocol logic of QEMU's
//! `spapr-vmc` device (tools/build/qemu-patches). QEMU owns what a real hypervisor's
//! hardware side does (the TCE tables, the partition's queue pages, the interrupt,
//! H_COPY_RDMA's checks of the partition's window); the simulator decides what the
//! hypervisor answers, exactly as it does for the host tests and the x86_64 module.
//!
//! Every function takes the handle [`vmc_sim_new`] returned and is called from QEMU's
//! big lock only (one caller at a time). Return codes are PAPR hcall return codes.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

use core::ffi::c_char;
use core::ffi::c_int;

use ibmvmc::hv::Device;
use ibmvmc::wire::CRQ_ENTRY_SIZE;
use ibmvmc::HcallRc;
use ibmvmc_sim::command::CommandError;
use ibmvmc_sim::command::Outcome;
use ibmvmc_sim::Sim;
use ibmvmc_sim::SimConfig;

// The host platform of the core crates (the critical section, a defmt logger).
use ibmvmc_hostlog as _;

/// A defmt panic (`defmt::panic!`, `defmt::unwrap!` in the core crates): QEMU stops,
/// as a hypervisor bug must not go on silently.
#[defmt::panic_handler]
fn defmt_panic() -> ! {
    eprintln!("spapr-vmc: the simulator panicked");
    std::process::abort()
}

/// Longest command line [`vmc_sim_command`] takes.
pub const VMC_SIM_COMMAND_MAX: usize = 256;

/// One simulated hypervisor side and the memory of its buffers.
pub struct VmcSim {
    sim: Sim,
    /// `protocol_errors` at the last `expect_clean`.
    clean_mark: core::cell::Cell<u32>,
    /// The hypervisor's buffers: owned here, lent to `sim` for its lifetime.
    mem: *mut [u8],
}

/// The configuration every device uses: the simulator's default, partner present
/// or not.
fn config(partner_present: bool) -> SimConfig {
    SimConfig {
        partner_present,
        ..SimConfig::DEFAULT
    }
}

/// A new hypervisor side; `partner_present` false: the hypervisor has not registered
/// yet (H_REG_CRQ answers H_CLOSED until the `arrive` command). Never null.
#[no_mangle]
pub extern "C" fn vmc_sim_new(partner_present: bool) -> *mut VmcSim {
    let cfg = config(partner_present);
    let mem: *mut [u8] = Box::into_raw(vec![0u8; cfg.hv_mem_len()].into_boxed_slice());
    // SAFETY: `mem` was just leaked from a box and nothing else refers to it; it is
    // freed only by `vmc_sim_free`, after the `Sim` that borrows it was dropped.
    let lent: &'static mut [u8] = unsafe { &mut *mem };
    let sim = match Sim::new(cfg, lent) {
        Ok(sim) => sim,
        // The default configuration is valid and the memory its exact size.
        Err(e) => {
            eprintln!("spapr-vmc: simulator refused its configuration: {e:?}");
            std::process::abort();
        }
    };
    sim.enable_interrupts();
    Box::into_raw(Box::new(VmcSim {
        sim,
        clean_mark: core::cell::Cell::new(0),
        mem,
    }))
}

/// Frees a hypervisor side.
///
/// # Safety
/// `sim` came from [`vmc_sim_new`], is not used again, and is freed once.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_free(sim: *mut VmcSim) {
    if sim.is_null() {
        return;
    }
    // SAFETY: by the contract, `sim` is a live box from `vmc_sim_new`.
    let boxed = unsafe { Box::from_raw(sim) };
    let mem = boxed.mem;
    drop(boxed);
    // SAFETY: the `Sim` that borrowed the memory is gone; `mem` came from
    // `Box::into_raw` in `vmc_sim_new` and is freed here only.
    drop(unsafe { Box::from_raw(mem) });
}

/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`].
unsafe fn get<'a>(sim: *const VmcSim) -> &'a Sim {
    // SAFETY: by the caller's contract.
    unsafe { &(*sim).sim }
}

/// H_REG_CRQ after QEMU's own checks passed: H_SUCCESS, H_CLOSED (registered, the
/// hypervisor not there yet) or an injected failure (then QEMU undoes the queue).
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`].
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_reg_crq(sim: *const VmcSim) -> i64 {
    // SAFETY: by the contract.
    unsafe { get(sim) }.reg_crq().0
}

/// H_FREE_CRQ: H_SUCCESS, or an injected failure (QEMU then keeps the queue).
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`].
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_free_crq(sim: *const VmcSim) -> i64 {
    // SAFETY: by the contract.
    unsafe { get(sim) }.free_crq().0
}

/// H_ENABLE_CRQ.
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`].
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_enable_crq(sim: *const VmcSim) -> i64 {
    // SAFETY: by the contract.
    unsafe { get(sim) }.enable_crq().0
}

/// H_SEND_CRQ of the 16-byte entry at `entry` (wire order).
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`]; `entry` points to 16 readable bytes.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_send_crq(sim: *const VmcSim, entry: *const u8) -> i64 {
    // SAFETY: by the contract, 16 readable bytes (an array of u8 has no alignment).
    let entry = unsafe { &*entry.cast::<[u8; CRQ_ENTRY_SIZE]>() };
    // SAFETY: by the contract.
    unsafe { get(sim) }.send_crq(entry).0
}

/// Takes the hypervisor's next entry for the partition into `out` (16 bytes); false
/// when there is none.
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`]; `out` points to 16 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_next_crq(sim: *const VmcSim, out: *mut u8) -> bool {
    // SAFETY: by the contract.
    match unsafe { get(sim) }.next_crq() {
        Some(entry) => {
            // SAFETY: by the contract, 16 writable bytes.
            unsafe { core::ptr::copy_nonoverlapping(entry.as_ptr(), out, CRQ_ENTRY_SIZE) };
            true
        }
        None => false,
    }
}

/// The hypervisor's half of H_COPY_RDMA to the hypervisor: `len` bytes QEMU read
/// from the partition's window at `local_ioba` into `local`, to the hypervisor's
/// window at `remote`.
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`]; `local` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_rdma_to_hv(
    sim: *const VmcSim,
    local: *const u8,
    len: usize,
    local_ioba: u64,
    remote: u32,
) -> i64 {
    let bytes: &[u8] = if len == 0 {
        &[]
    } else {
        // SAFETY: by the contract, `len` readable bytes.
        unsafe { core::slice::from_raw_parts(local, len) }
    };
    // SAFETY: by the contract.
    unsafe { get(sim) }.rdma_to_hv(bytes, local_ioba, remote).0
}

/// The hypervisor's half of H_COPY_RDMA from the hypervisor: `len` bytes of the
/// hypervisor's window at `remote` into `local`, which QEMU then writes to the
/// partition's window at `local_ioba` (only on H_SUCCESS).
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`]; `local` points to `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_rdma_from_hv(
    sim: *const VmcSim,
    remote: u32,
    local: *mut u8,
    len: usize,
    local_ioba: u64,
) -> i64 {
    let bytes: &mut [u8] = if len == 0 {
        &mut []
    } else {
        // SAFETY: by the contract, `len` writable bytes.
        unsafe { core::slice::from_raw_parts_mut(local, len) }
    };
    // SAFETY: by the contract.
    unsafe { get(sim) }
        .rdma_from_hv(remote, bytes, local_ioba)
        .0
}

/// H_REQUEST_VMC: its return code, and the DRC index in `drc_index` on success.
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`]; `drc_index` is writable.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_request_vmc(sim: *const VmcSim, drc_index: *mut u32) -> i64 {
    // SAFETY: by the contract.
    let (rc, drc) = unsafe { get(sim) }.request_vmc();
    // SAFETY: by the contract.
    unsafe { *drc_index = if rc == HcallRc::SUCCESS { drc } else { 0 } };
    rc.0
}

/// [`vmc_sim_command`]: done.
pub const VMC_SIM_CMD_DONE: c_int = 0;
/// [`vmc_sim_command`]: valid, the caller removes the device.
pub const VMC_SIM_CMD_REMOVE: c_int = 1;
/// [`vmc_sim_command`]: not a command or bad arguments.
pub const VMC_SIM_CMD_INVALID: c_int = -1;
/// [`vmc_sim_command`]: valid but refused now.
pub const VMC_SIM_CMD_REFUSED: c_int = -2;

/// Runs one line of the simulator's command language (`ibmvmc_sim::command`), or
/// `expect_clean`: done if the partition has broken no protocol rule since the last
/// `expect_clean` (or since the start), else refused.
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`]; `cmd` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_command(
    sim: *const VmcSim,
    cmd: *const c_char,
    len: usize,
) -> c_int {
    if len > VMC_SIM_COMMAND_MAX {
        return VMC_SIM_CMD_INVALID;
    }
    let bytes: &[u8] = if len == 0 {
        &[]
    } else {
        // SAFETY: by the contract, `len` readable bytes.
        unsafe { core::slice::from_raw_parts(cmd.cast::<u8>(), len) }
    };
    let Ok(text) = core::str::from_utf8(bytes) else {
        return VMC_SIM_CMD_INVALID;
    };
    let line = text.trim_end_matches(['\0', '\n']);
    // SAFETY: by the contract.
    let handle = unsafe { &*sim };
    let sim = &handle.sim;
    // A query of the device's own, for the guest's tests: has the partition broken
    // the protocol since the last such query (the simulator counts every violation)?
    if line.trim() == "expect_clean" {
        let now = sim.stats().protocol_errors;
        let clean = now == handle.clean_mark.replace(now);
        return if clean {
            VMC_SIM_CMD_DONE
        } else {
            VMC_SIM_CMD_REFUSED
        };
    }
    match sim.command(line) {
        Ok(Outcome::Done) => VMC_SIM_CMD_DONE,
        Ok(Outcome::Remove) => VMC_SIM_CMD_REMOVE,
        Err(CommandError::Invalid) => VMC_SIM_CMD_INVALID,
        Err(CommandError::Refused) => VMC_SIM_CMD_REFUSED,
    }
}

/// LIOBA of the hypervisor's first buffer and the size of its window, for the
/// device tree's second DMA window.
#[no_mangle]
pub extern "C" fn vmc_sim_hv_window(base: &mut u32, size: &mut u32) {
    let cfg = SimConfig::DEFAULT;
    *base = cfg.hv_window_base;
    *size = u32::try_from(cfg.hv_mem_len()).unwrap_or(u32::MAX);
}

/// Writes the simulator's statistics as text (one `name value` per line) into `buf`
/// (at most `len` bytes, NUL-terminated); returns the text's length.
///
/// # Safety
/// `sim` is a live handle from [`vmc_sim_new`]; `buf` points to `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn vmc_sim_stats(sim: *const VmcSim, buf: *mut c_char, len: usize) -> usize {
    // SAFETY: by the contract.
    let sim = unsafe { get(sim) };
    let mut text = String::new();
    // Writing to a String does not fail.
    let _ = sim.write_stats(&mut text);
    if len == 0 {
        return 0;
    }
    let n = text.len().min(len - 1);
    // SAFETY: by the contract, `len` writable bytes; `n + 1 <= len`.
    unsafe {
        core::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
        *buf.add(n) = 0;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_and_commands_through_the_c_abi() {
        let s = vmc_sim_new(false);
        // SAFETY: `s` is live until the free at the end; the buffers are local arrays.
        unsafe {
            assert_eq!(vmc_sim_reg_crq(s), HcallRc::CLOSED.0);
            let mut out = [0u8; 16];
            assert!(!vmc_sim_next_crq(s, out.as_mut_ptr()));
            let cmd = b"arrive";
            assert_eq!(
                vmc_sim_command(s, cmd.as_ptr().cast(), cmd.len()),
                VMC_SIM_CMD_DONE
            );
            assert!(vmc_sim_next_crq(s, out.as_mut_ptr()));
            assert_eq!(&out[..2], &[0xC0, 0x01]);
            let init_complete = [0xC0u8, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            assert_eq!(vmc_sim_send_crq(s, init_complete.as_ptr()), 0);
            let bad = b"fail nothing 1 1";
            assert_eq!(
                vmc_sim_command(s, bad.as_ptr().cast(), bad.len()),
                VMC_SIM_CMD_INVALID
            );
            let remove = b"remove\n";
            assert_eq!(
                vmc_sim_command(s, remove.as_ptr().cast(), remove.len()),
                VMC_SIM_CMD_REMOVE
            );
            let refused = b"send 0 10";
            assert_eq!(
                vmc_sim_command(s, refused.as_ptr().cast(), refused.len()),
                VMC_SIM_CMD_REFUSED
            );
            let clean = b"expect_clean";
            assert_eq!(
                vmc_sim_command(s, clean.as_ptr().cast(), clean.len()),
                VMC_SIM_CMD_DONE
            );
            // A second Initialization Complete, to an Initialize answered already.
            vmc_sim_send_crq(s, init_complete.as_ptr());
            assert_eq!(
                vmc_sim_command(s, clean.as_ptr().cast(), clean.len()),
                VMC_SIM_CMD_REFUSED
            );
            // Each query covers the time since the previous one.
            assert_eq!(
                vmc_sim_command(s, clean.as_ptr().cast(), clean.len()),
                VMC_SIM_CMD_DONE
            );
            let mut drc = 7u32;
            assert_eq!(vmc_sim_request_vmc(s, &mut drc), 0);
            assert_eq!(drc, ibmvmc_sim::DEFAULT_DRC_INDEX);
            let mut text = [0 as c_char; 512];
            let n = vmc_sim_stats(s, text.as_mut_ptr(), text.len());
            let listing: Vec<u8> = text[..n].iter().map(|&c| c as u8).collect();
            let listing = String::from_utf8(listing).unwrap();
            assert!(listing.starts_with("inits 0\n"), "{listing}");
            // The second Initialization Complete above.
            assert!(listing.contains("\nprotocol_errors 1\n"), "{listing}");
            assert!(listing.ends_with("\nqueued_to_partition 0\n"), "{listing}");
            assert_eq!(text[n], 0);
            vmc_sim_free(s);
        }
    }
}

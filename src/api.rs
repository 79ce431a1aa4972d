// SPDX-License-Identifier: GPL-2.0-or-later
//! The file operations' side of the core: a file's state ([`File`], [`SessionRef`]),
//! what QUERY and poll() report, and the device-wide ioctls (QUERY, REQUESTVMC). The
//! calls that act on a session are with their concept: SETHMCID and release in
//! `session.rs`, write, read and poll in `transfer.rs`; each returns the C driver's
//! errno contract (without its defects), [`crate::errno::contract`].
//!
//! Every file operation runs in process context, takes the core's lock for a few field
//! updates (and, in `write`, for the RDMA and Signal that must not cross a reset), and
//! never blocks: a call that would have to wait returns
//! [`Errno::Again`] and the kernel glue sleeps on the session's wait queue (or returns
//! EAGAIN for O_NONBLOCK) and calls again when [`Waiters::wake`] fires. Copies to and
//! from user space happen in the closures the glue passes, with no lock held.

use core::sync::atomic::AtomicU64;
use core::sync::atomic::Ordering;

use crate::errno::Errno;
use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::retry::while_busy;
use crate::state::ConnState;
use crate::state::DriverState;
use crate::state::Generation;
use crate::state::GENERATION_LIMIT;
use crate::vmc::Vmc;

/// The HMC connection a file holds: its index, and the connection's generation when
/// the file took it. A reset or close bumps the generation, after which the file's
/// session is hung up for good: it can never see the next holder's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct SessionRef {
    /// Connection index.
    pub hmc_index: u8,
    /// Generation of the connection when this file took it.
    pub generation: Generation,
}

/// Per-open-file state (the C driver's `ibmvmc_file_session`). Opening the device makes
/// one of these (the glue's only failure there is ENOMEM for its own allocation); it
/// takes a connection at SETHMCID.
#[derive(Debug, Default)]
pub struct File {
    /// 0: no connection. Otherwise bit 63 set, the generation in bits 8..63 (it never
    /// exceeds [`GENERATION_LIMIT`]) and the index in bits 0..8, so that concurrent
    /// calls on one file need no lock.
    pub(crate) slot: AtomicU64,
}

const HELD: u64 = 1 << 63;

impl File {
    /// A file with no connection.
    pub const fn new() -> Self {
        File {
            slot: AtomicU64::new(0),
        }
    }

    /// The connection this file holds, if any.
    pub fn session(&self) -> Option<SessionRef> {
        let raw = self.slot.load(Ordering::Acquire);
        (raw & HELD != 0).then_some(SessionRef {
            hmc_index: (raw & 0xFF) as u8,
            generation: (raw & !HELD) >> 8,
        })
    }

    pub(crate) fn encode(session: SessionRef) -> u64 {
        HELD | (session.generation & GENERATION_LIMIT) << 8 | session.hmc_index as u64
    }
}

/// `struct ibmvmc_query_struct`, as VMC_IOCTL_QUERY returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct Query {
    /// Whether the driver is past its initial state.
    pub have_vmc: i32,
    /// [`DriverState::as_query`].
    pub state: i32,
    /// DRC index from the last successful VMC_IOCTL_REQUESTVMC.
    pub vmc_drc_index: i32,
}

/// What `poll()` reports for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, defmt::Format)]
pub struct Readiness {
    /// A message is queued: POLLIN | POLLRDNORM.
    pub readable: bool,
    /// The session is open, a send buffer is free and fewer than half the
    /// hypervisor's queue of our messages are in flight: POLLOUT | POLLWRNORM.
    pub writable: bool,
    /// The session was reset, closed or refused: POLLHUP | POLLERR.
    pub hangup: bool,
}

/// Where a file's connection stands, as seen under the lock.
pub(crate) enum Held {
    /// The file holds no connection.
    None,
    /// The connection was reset or closed since the file took it.
    Stale,
    /// The connection, current.
    Current(u8),
}

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    pub(crate) fn held(s: &crate::state::State, file: &File) -> Held {
        match file.session() {
            None => Held::None,
            Some(session) => match s.conns.get(session.hmc_index as usize) {
                Some(conn)
                    if conn.generation == session.generation && conn.state != ConnState::Free =>
                {
                    Held::Current(session.hmc_index)
                }
                _ => Held::Stale,
            },
        }
    }

    /// VMC_IOCTL_QUERY.
    pub fn query(&self) -> Query {
        self.lock(|s| Query {
            have_vmc: (s.driver.as_query() > DriverState::Initial.as_query()) as i32,
            state: s.driver.as_query(),
            vmc_drc_index: s.vmc_drc_index as i32,
        })
    }

    /// VMC_IOCTL_REQUESTVMC (the caller has checked CAP_SYS_ADMIN): H_REQUEST_VMC,
    /// repeated while busy, returning the DRC index. Every code that is not success is
    /// an error (the C driver took unknown codes for success, defect 4).
    ///
    /// # Errors
    /// [`Errno::Perm`] for H_FUNCTION, H_AUTHORITY, H_NOT_AVAILABLE; [`Errno::Io`] for
    /// H_HARDWARE and any unknown code; [`Errno::NoDev`] for H_RESOURCE;
    /// [`Errno::Inval`] for H_PARAMETER; [`Errno::Busy`] if it stayed busy; and from the
    /// kernel glue [`Errno::Perm`] without CAP_SYS_ADMIN, [`Errno::Fault`] if the DRC
    /// index cannot be copied out. The same list: [`contract`](crate::errno::contract).
    ///
    /// The hcall and the errno are traced by [`request_vmc_with`] and
    /// [`request_vmc_result`].
    pub fn request_vmc(&self) -> Result<u32, Errno> {
        let (rc, drc_index) = request_vmc_with(|| self.dev.request_vmc());
        let result = request_vmc_result(rc, drc_index);
        self.lock(|s| match result {
            Ok(index) => s.vmc_drc_index = index,
            Err(_) => s.count_hcall(rc),
        });
        result
    }
}

/// H_REQUEST_VMC through `hcall`, repeated while it answers busy (up to
/// 16 times, `BUSY_RETRIES` in vmc.rs): the last return code and DRC index, traced.
pub fn request_vmc_with(hcall: impl FnMut() -> (HcallRc, u32)) -> (HcallRc, u32) {
    let (rc, drc_index) = while_busy(hcall, |answer| answer.0);
    if rc.is_success() {
        crate::trace_debug!("H_REQUEST_VMC rc={} drc_index={=u32:#x}", rc, drc_index);
    } else {
        crate::trace_error!("H_REQUEST_VMC rc={}", rc);
    }
    (rc, drc_index)
}

/// VMC_IOCTL_REQUESTVMC's result for H_REQUEST_VMC's return code: the one place the
/// mapping is decided (also used by a platform that asks before any device exists).
/// Traces the errno, for [`Vmc::request_vmc`] too.
pub fn request_vmc_result(rc: HcallRc, drc_index: u32) -> Result<u32, Errno> {
    let result = match rc {
        HcallRc::SUCCESS => Ok(drc_index),
        HcallRc::FUNCTION | HcallRc::AUTHORITY | HcallRc::NOT_AVAILABLE => Err(Errno::Perm),
        HcallRc::RESOURCE => Err(Errno::NoDev),
        HcallRc::PARAMETER => Err(Errno::Inval),
        rc if rc.is_busy() => Err(Errno::Busy),
        _ => Err(Errno::Io),
    };
    if let Err(errno) = result {
        crate::trace_debug!("requestvmc: -> {}", errno);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_keeps_every_generation_up_to_the_limit_exactly() {
        for generation in [
            0,
            1,
            u32::MAX as Generation,
            u32::MAX as Generation + 1,
            GENERATION_LIMIT,
        ] {
            for hmc_index in [0, 1, u8::MAX] {
                let file = File::new();
                let session = SessionRef {
                    hmc_index,
                    generation,
                };
                file.slot.store(File::encode(session), Ordering::Release);
                assert_eq!(file.session(), Some(session));
            }
        }
    }
}

//! What the file operations of `/dev/ibmvmc` call, each returning the C driver's
//! errno contract (without its defects).
//!
//! Every call here runs in process context, takes the core's lock for a few field
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
use crate::state::Buf;
use crate::state::ConnState;
use crate::state::DriverState;
use crate::vmc::Vmc;
use crate::vmc::while_busy;
use crate::wire::CrqRepr;
use crate::wire::VmcMessage;
use crate::wire::HMC_ID_LEN;

/// The HMC connection a file holds: its index, and the connection's generation when
/// the file took it. A reset or close bumps the generation, after which the file's
/// session is hung up for good: it can never see the next holder's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct SessionRef {
    /// Connection index.
    pub hmc_index: u8,
    /// Generation of the connection when this file took it.
    pub generation: u32,
}

/// Per-open-file state (the C driver's `ibmvmc_file_session`). Opening the device
/// always succeeds and makes one of these; it takes a connection at SETHMCID.
#[derive(Debug, Default)]
pub struct File {
    /// 0: no connection. Otherwise bit 63 set, the generation in bits 8..40 and the
    /// index in bits 0..8, so that concurrent calls on one file need no lock.
    slot: AtomicU64,
}

const HELD: u64 = 1 << 63;

impl File {
    /// A file with no connection.
    pub const fn new() -> Self {
        File { slot: AtomicU64::new(0) }
    }

    /// The connection this file holds, if any.
    pub fn session(&self) -> Option<SessionRef> {
        let raw = self.slot.load(Ordering::Acquire);
        (raw & HELD != 0).then_some(SessionRef {
            hmc_index: (raw & 0xFF) as u8,
            generation: ((raw >> 8) & 0xFFFF_FFFF) as u32,
        })
    }

    fn encode(session: SessionRef) -> u64 {
        HELD | (session.generation as u64) << 8 | session.hmc_index as u64
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
    /// The session is open and a send buffer is free: POLLOUT | POLLWRNORM.
    pub writable: bool,
    /// The session was reset, closed or refused: POLLHUP | POLLERR.
    pub hangup: bool,
}

/// Where a file's connection stands, as seen under the lock.
enum Held {
    /// The file holds no connection.
    None,
    /// The connection was reset or closed since the file took it.
    Stale,
    /// The connection, current.
    Current(u8),
}

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    fn held(s: &crate::state::State, file: &File) -> Held {
        match file.session() {
            None => Held::None,
            Some(session) => match s.conns.get(session.hmc_index as usize) {
                Some(conn) if conn.generation == session.generation && conn.state != ConnState::Free => {
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

    /// The connection index whose wait queue a file sleeps on, if it holds one.
    pub fn wait_index(&self, file: &File) -> Option<u8> {
        file.session().map(|s| s.hmc_index)
    }

    /// VMC_IOCTL_SETHMCID: take a connection (if the file has none), put the HMC ID in
    /// one of its buffers and ask the session task to RDMA it and send Interface Open.
    /// Returns once the open is under way; its outcome shows in [`Vmc::poll`] (writable
    /// when open, hung up if refused) and in the errors of read and write.
    ///
    /// # Errors
    /// - [`Errno::Io`]: the driver failed, the file's connection is not in `initial`
    ///   (an open is already under way or done), or it was reset;
    /// - [`Errno::Again`]: the driver is not ready yet (handshake or reset under way);
    /// - [`Errno::Busy`]: every connection is taken, or (right after a reset) a file
    ///   of the old session still copies out of the buffer the HMC ID would go in;
    /// - [`Errno::NoBufs`]: the hypervisor has not given the connection a buffer yet
    ///   (the file keeps the connection; call again, or close to give it back);
    /// - [`Errno::Fault`]: from the kernel glue, whose copy of the HMC ID failed.
    ///
    /// The same list, with what to do about each, is [`contract`](crate::errno::contract).
    pub fn set_hmc_id(&self, file: &File, hmc_id: &[u8; HMC_ID_LEN]) -> Result<(), Errno> {
        let result = self.lock(|s| {
            // A file whose session was reset stays hung up, whatever the driver does.
            let held = Self::held(s, file);
            if let Held::Stale = held {
                return Err(Errno::Io);
            }
            let negotiated = match (s.driver, s.negotiated) {
                (DriverState::Failed, _) => return Err(Errno::Io),
                (DriverState::Ready, Some(n)) => n,
                _ => return Err(Errno::Again),
            };
            let index = match held {
                Held::Stale => return Err(Errno::Io),
                Held::Current(index) => index,
                Held::None => {
                    let limit = negotiated.max_hmcs as usize;
                    let Some(index) = s.conns.iter().take(limit).position(|c| c.state == ConnState::Free) else {
                        return Err(Errno::Busy);
                    };
                    let Some(conn) = s.conns.get_mut(index) else {
                        return Err(Errno::Busy);
                    };
                    let session = SessionRef { hmc_index: index as u8, generation: conn.generation };
                    // Another thread's SETHMCID on this same file may have won.
                    if file
                        .slot
                        .compare_exchange(0, File::encode(session), Ordering::AcqRel, Ordering::Acquire)
                        .is_err()
                    {
                        return Err(Errno::Io);
                    }
                    conn.set_state(ConnState::Initial);
                    index as u8
                }
            };
            let Some(conn) = s.conns.get_mut(index as usize) else {
                return Err(Errno::Io);
            };
            if conn.state != ConnState::Initial {
                return Err(Errno::Io);
            }
            let Some(id) = conn.free.pop() else {
                return Err(Errno::NoBufs);
            };
            let lioba = match conn.bufs.get(id as usize) {
                Some(Buf::Free { lioba }) => *lioba,
                _ => return Err(Errno::Io),
            };
            let copied = match self.local(index, id).and_then(|local| local.borrow()) {
                Some(mut guard) => match guard.bytes().get_mut(..HMC_ID_LEN) {
                    Some(dst) => {
                        dst.copy_from_slice(hmc_id);
                        true
                    }
                    None => false,
                },
                None => false,
            };
            if !copied {
                // Only possible right after a reset, while a stale reader still copies.
                conn.release_buffer(id, lioba);
                return Err(Errno::Busy);
            }
            conn.set_buf(id, Buf::OpenLent { lioba });
            conn.id_buffer = id;
            let session = conn.next_session();
            conn.set_state(ConnState::Opening);
            conn.open_pending = true;
            Ok((index, session))
        });
        match result {
            Ok((index, session)) => {
                crate::trace_info!("hmc {=u8}: open requested, session {=u8}", index, session);
                self.kick_session(index);
                Ok(())
            }
            Err(errno) => {
                crate::trace_debug!("sethmcid: -> {}", errno);
                Err(errno)
            }
        }
    }

    /// `write()`: one message of `len` bytes, which `fill` copies into the buffer it is
    /// given (from user space; it returns [`Errno::Fault`] on a bad pointer). The
    /// message is RDMAed to the hypervisor and signalled; the return value is `len`.
    /// If anything fails, the buffer goes back to the pool and the error is returned:
    /// a message is either sent or reported failed, never lost in between (the C
    /// driver leaked the buffer and returned success, defects 2 and 3).
    ///
    /// # Errors
    /// - [`Errno::Io`]: no session, the session is not open (reset, closed, refused),
    ///   `len` exceeds the MTU, or the transport failed;
    /// - [`Errno::Busy`]: the open is in flight, no send buffer is free, or the
    ///   hypervisor's queue is full (try again);
    /// - whatever `fill` returns ([`Errno::Fault`]).
    ///
    /// The same list, with what to do about each, is [`contract`](crate::errno::contract).
    pub fn write(&self, file: &File, len: usize, fill: impl FnOnce(&mut [u8]) -> Result<(), Errno>) -> Result<usize, Errno> {
        let result = self.write_message(file, len, fill);
        if let Err(errno) = result {
            crate::trace_debug!("write: -> {}", errno);
        }
        result
    }

    /// [`Vmc::write`], which logs the errno this returns.
    fn write_message(
        &self,
        file: &File,
        len: usize,
        fill: impl FnOnce(&mut [u8]) -> Result<(), Errno>,
    ) -> Result<usize, Errno> {
        let reserved = self.lock(|s| {
            let index = match Self::held(s, file) {
                Held::Current(index) => index,
                Held::None | Held::Stale => return Err(Errno::Io),
            };
            let mtu = match s.negotiated {
                Some(n) if s.driver == DriverState::Ready => n.mtu,
                _ => return Err(Errno::Io),
            };
            let conn = s.conns.get_mut(index as usize).ok_or(Errno::Io)?;
            match conn.state {
                ConnState::Ready => {}
                ConnState::Opening => return Err(Errno::Busy),
                _ => return Err(Errno::Io),
            }
            if len > mtu as usize {
                return Err(Errno::Io);
            }
            if len == 0 {
                return Ok(None);
            }
            let id = conn.free.pop().ok_or(Errno::Busy)?;
            let Some(&Buf::Free { lioba }) = conn.bufs.get(id as usize) else {
                return Err(Errno::Io);
            };
            // The memory is ours from here until the RDMA, taken in the same step as the
            // buffer: taken later, a writer that a reset made stale would fill memory
            // that by then holds the next session's queued message. Busy only while a
            // reader or writer of a reset session still uses it.
            let Some(guard) = self.local(index, id).and_then(|local| local.borrow()) else {
                conn.free.push(id);
                return Err(Errno::Busy);
            };
            conn.set_buf(id, Buf::Writing { lioba });
            Ok(Some((index, id, lioba, conn.session, conn.generation, guard)))
        })?;
        let Some((index, id, lioba, session, generation, mut guard)) = reserved else {
            return Ok(0);
        };
        // The user copy, with no lock held.
        let ioba = guard.ioba();
        let filled = match guard.bytes().get_mut(..len) {
            Some(bytes) => fill(bytes),
            None => Err(Errno::Io),
        };
        if let Err(e) = filled {
            drop(guard);
            return self.unreserve(index, id, lioba, generation, e);
        }
        // RDMA, hand-over and Signal in one step under the lock, after checking that
        // the session is still the one the buffer was taken from. Between a reset and
        // this check the hypervisor may have given the same buffer to the next session:
        // an RDMA or a Signal of ours must never reach it. (The buffer is handed over
        // before the Signal because the answer may use it at once.) H_COPY_RDMA and
        // H_SEND_CRQ do not sleep.
        let signal = VmcMessage::Signal { hmc_session: session, hmc_index: index, buffer_id: id as u16, msg_len: len as u32 };
        let sent = self.lock(move |s| {
            match s.conns.get(index as usize) {
                Some(conn) if conn.generation == generation => {}
                // Reset while we copied: the buffer belongs to nobody now.
                _ => return Err(Errno::Io),
            }
            let message = guard.bytes().get(..len).unwrap_or_default();
            let mut rc = while_busy(|| self.dev.rdma_to_hv(message, ioba, lioba), |rc| *rc);
            // Our use of the memory ends here, before the buffer changes hands: the
            // CRQ task may take it for the answer as soon as the lock is released.
            drop(guard);
            if rc.is_success() {
                crate::trace_debug!(
                    "hmc {=u8}: message out in buffer {=u8}, {=usize} bytes, H_COPY_RDMA rc={}",
                    index,
                    id,
                    len,
                    rc
                );
                if let Some(conn) = s.conns.get_mut(index as usize) {
                    conn.set_buf(id, Buf::Hypervisor { lioba });
                }
                rc = self.send_locked(s, CrqRepr::Vmc(signal));
                if rc.is_success() {
                    s.stats.msgs_out += 1;
                    s.stats.bytes_out += len as u64;
                    return Ok(len);
                }
            } else {
                s.count_hcall(rc);
                crate::trace_error!(
                    "hmc {=u8}: message out in buffer {=u8}, {=usize} bytes, failed: H_COPY_RDMA rc={}",
                    index,
                    id,
                    len,
                    rc
                );
            }
            // Not delivered: the buffer is still ours.
            if let Some(conn) = s.conns.get_mut(index as usize) {
                conn.release_buffer(id, lioba);
            }
            Err(if rc == HcallRc::DROPPED || rc.is_busy() { Errno::Busy } else { Errno::Io })
        });
        if sent.is_err() {
            // A send buffer is free again.
            self.wake(index);
        }
        sent
    }

    /// Gives a reserved send buffer back (the write failed before reaching the
    /// hypervisor) and returns `errno`.
    fn unreserve(&self, index: u8, id: u8, lioba: u32, generation: u32, errno: Errno) -> Result<usize, Errno> {
        self.lock(|s| {
            if let Some(conn) = s.conns.get_mut(index as usize) {
                if conn.generation == generation {
                    conn.release_buffer(id, lioba);
                }
            }
        });
        Err(errno)
    }

    /// `read()`: the oldest message of the file's session, handed to `drain` (which
    /// copies it to user space and returns [`Errno::Fault`] on a bad pointer), one
    /// message per call. On success the buffer becomes a free send buffer.
    ///
    /// # Errors
    /// - [`Errno::Inval`]: `len` exceeds the MTU (the C driver's rule);
    /// - [`Errno::Io`]: the file holds no connection;
    /// - [`Errno::BadFd`]: the session was reset, closed or refused;
    /// - [`Errno::Again`]: nothing queued yet (sleep on the wait queue, or EAGAIN);
    /// - [`Errno::MsgSize`]: the next message is longer than `len`; it stays queued (the
    ///   C driver truncated it silently, defect 23);
    /// - [`Errno::Busy`]: right after a reset, a file of the old session still copies
    ///   out of the buffer that now holds this message (call again);
    /// - whatever `drain` returns ([`Errno::Fault`]); the message then stays queued,
    ///   first in line;
    /// - [`Errno::Intr`]: from the kernel glue, whose blocking wait a signal ended.
    ///
    /// The same list, with what to do about each, is [`contract`](crate::errno::contract).
    ///
    /// `len == 0` returns `Ok(0)` at once, as in the C driver.
    pub fn read(&self, file: &File, len: usize, drain: impl FnOnce(&[u8]) -> Result<(), Errno>) -> Result<usize, Errno> {
        let result = self.read_message(file, len, drain);
        if let Err(errno) = result {
            crate::trace_debug!("read: -> {}", errno);
        }
        result
    }

    /// [`Vmc::read`], which logs the errno this returns.
    fn read_message(
        &self,
        file: &File,
        len: usize,
        drain: impl FnOnce(&[u8]) -> Result<(), Errno>,
    ) -> Result<usize, Errno> {
        if len == 0 {
            return Ok(0);
        }
        let taken = self.lock(|s| {
            let mtu = s.negotiated.map(|n| n.mtu).unwrap_or(self.params.max_mtu());
            if len > mtu as usize {
                return Err(Errno::Inval);
            }
            let index = match Self::held(s, file) {
                Held::None => return Err(Errno::Io),
                Held::Stale => return Err(Errno::BadFd),
                Held::Current(index) => index,
            };
            let conn = s.conns.get_mut(index as usize).ok_or(Errno::Io)?;
            match conn.state {
                ConnState::Ready => {}
                ConnState::Initial | ConnState::Opening => return Err(Errno::Again),
                _ => return Err(Errno::BadFd),
            }
            let id = conn.rx.front().ok_or(Errno::Again)?;
            let Some(&Buf::Queued { lioba, len: msg_len }) = conn.bufs.get(id as usize) else {
                return Err(Errno::Io);
            };
            if msg_len as usize > len {
                return Err(Errno::MsgSize);
            }
            // The memory is ours from here until the copy-out is done, taken in the same
            // step as the message: a reset after this step can hand the buffer to the
            // next session, whose writer must then find it busy rather than fill it
            // under our copy-out (which would deliver its message to this file).
            // Busy only while a reader of a reset session still copies out of it.
            let guard = self.local(index, id).and_then(|local| local.borrow()).ok_or(Errno::Busy)?;
            conn.rx.pop_front();
            conn.set_buf(id, Buf::Reading { lioba, len: msg_len });
            Ok((index, id, lioba, msg_len, conn.generation, guard))
        })?;
        let (index, id, lioba, msg_len, generation, mut guard) = taken;
        let outcome = match guard.bytes().get(..msg_len as usize) {
            Some(message) => drain(message),
            None => Err(Errno::Io),
        };
        drop(guard);
        let current = self.lock(|s| match s.conns.get_mut(index as usize) {
            Some(conn) if conn.generation == generation => {
                if outcome.is_ok() {
                    conn.release_buffer(id, lioba);
                } else {
                    // Not delivered: back to the front of the queue.
                    conn.set_buf(id, Buf::Queued { lioba, len: msg_len });
                    conn.rx.push_front(id);
                }
                true
            }
            _ => false,
        });
        outcome?;
        if current {
            // A send buffer just became free.
            self.wake(index);
        }
        Ok(msg_len as usize)
    }

    /// `poll()`: the file's readiness. A file with no connection, or whose open is
    /// still in flight, reports nothing (the wait queue is woken when that changes).
    pub fn poll(&self, file: &File) -> Readiness {
        self.lock(|s| match Self::held(s, file) {
            Held::None => Readiness::default(),
            Held::Stale => Readiness { readable: false, writable: false, hangup: true },
            Held::Current(index) => match s.conns.get(index as usize) {
                Some(conn) => match conn.state {
                    ConnState::Ready => Readiness {
                        readable: !conn.rx.is_empty(),
                        writable: !conn.free.is_empty(),
                        hangup: false,
                    },
                    ConnState::Initial | ConnState::Opening => Readiness::default(),
                    ConnState::Failed | ConnState::Closing | ConnState::Free => {
                        Readiness { readable: false, writable: false, hangup: true }
                    }
                },
                None => Readiness { readable: false, writable: false, hangup: true },
            },
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

    /// `release()`: the file lets its connection go. One that never sent an open (or
    /// whose open failed or was refused) is free at once, keeping its buffers (the C driver kept it after a
    /// failed SETHMCID, defect 10, and when the driver had failed, defect 11); an
    /// opening or open one sends Interface Close and is reused only after the response
    /// (defect 9). A stale file touches nothing: its connection may be someone else's.
    pub fn release(&self, file: &File) {
        let kick = self.lock(|s| {
            let Held::Current(index) = Self::held(s, file) else {
                return None;
            };
            let conn = s.conns.get_mut(index as usize)?;
            match conn.state {
                ConnState::Opening if !conn.open_pending => {
                    conn.set_state(ConnState::Closing);
                    conn.close_pending = true;
                    conn.rx = crate::state::IdRing::new();
                    Some((index, conn.session))
                }
                ConnState::Ready => {
                    conn.set_state(ConnState::Closing);
                    conn.close_pending = true;
                    Some((index, conn.session))
                }
                ConnState::Closing => None,
                ConnState::Free | ConnState::Initial | ConnState::Opening | ConnState::Failed => {
                    conn.vacate();
                    None
                }
            }
        });
        file.slot.store(0, Ordering::Release);
        if let Some((index, session)) = kick {
            crate::trace_info!("hmc {=u8}: closing, session {=u8}", index, session);
            self.kick_session(index);
        }
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

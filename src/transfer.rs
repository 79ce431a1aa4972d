// SPDX-License-Identifier: GPL-2.0-or-later
//! Transfer: messages out (`write`: RDMA, then Signal) and in (a Signal from the
//! hypervisor: RDMA into our buffer, queue, `read`), readiness (`poll`), and the
//! buffer pool the hypervisor manages (Add Buffer, Remove Buffer).
//!
//! A buffer's owner ([`Buf`], changed only through `Conn::set_buf`):
//!
//! ```text
//!   Invalid --(1)--> Free --(2)--> Writing --(3)--> Sent -------(6)--> Receiving
//!     ^  \            ^  ^            |                                  ^ |   |
//!     |   \           |  +----(4)-----+                                 | (7) (8)
//!    (12)  +---(5)----|---------------------------> Hypervisor --(6)----+ |   |
//!     |               +--------------------(8)-------------------------------+
//!   Free             +--(10)-- Reading <--(9)-- Queued <---------------------+
//!                    v            |               ^
//!                   Free          +-----(11)------+
//!
//!   Free --(13)--> OpenLent --(14)--> Free                       (session.rs)
//!   any --(15)--> Invalid (the connection is forgotten)
//! ```
//!
//! 1. `add_buffer`: the hypervisor adds a buffer for our messages.
//! 2. `write`: a writer takes a free buffer (and its memory, in the same step).
//! 3. `write`: RDMA done, the Signal goes out: the hypervisor has it, one of our
//!    messages in flight. A write goes out only while fewer than half the
//!    hypervisor's queue (its CRQ size) are in flight (LoPAR), else EBUSY.
//! 4. `write`: the copy, RDMA or Signal failed: ours again, nothing sent.
//! 5. `add_buffer`: the hypervisor adds a buffer for its own messages.
//! 6. `signal`: the hypervisor signals a message in it (for a `Sent` buffer, the
//!    answer: one fewer of ours in flight).
//! 7. `signal`: the RDMA in succeeded: queued for the session's reader.
//! 8. `signal`: the RDMA failed, or the Signal's length was bad: the message is
//!    dropped (and counted), the buffer is ours.
//! 9. `read`: a reader takes the oldest message.
//! 10. `read`: copied out: a free send buffer.
//! 11. `read`: the copy-out failed: first in line again.
//! 12. `remove_buffer`: the hypervisor takes a free buffer back (never the last).
//! 13. `set_hmc_id`: lent for the open, with the HMC ID in it.
//! 14. `open_response` or `send_open` (the open failed).
//! 15. `Conn::forget`: close or reset.

use crate::api::File;
use crate::api::Held;
use crate::api::Readiness;
use crate::errno::Errno;
use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::retry::*;
use crate::state::Buf;
use crate::state::ConnState;
use crate::state::DriverState;
use crate::state::Negotiated;
use crate::state::State;
use crate::vmc::Vmc;
use crate::vmc::CRQ_TIMER;
use crate::wire::BufferOwner;
use crate::wire::CrqRepr;
use crate::wire::Status;
use crate::wire::VmcMessage;

/// The capabilities agreed, if the driver is ready; otherwise the HMC interface message
/// being handled is dropped unanswered (LoPAR: before capabilities are agreed they are
/// dropped), and counted.
fn agreed(s: &mut State) -> Option<Negotiated> {
    match (s.driver, s.negotiated) {
        (DriverState::Ready, Some(n)) => Some(n),
        _ => {
            s.stats.dropped_invalid += 1;
            None
        }
    }
}

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    /// Add Buffer: check everything the hypervisor says, take the buffer, answer.
    pub(crate) async fn add_buffer(
        &self,
        hmc_session: u8,
        hmc_index: u8,
        buffer_id: u16,
        owner: BufferOwner,
        lioba: u32,
    ) {
        let status = self.lock(|s| {
            let negotiated = agreed(s)?;
            if hmc_index >= negotiated.max_hmcs {
                return Some(Status::InvalidHmcIndex);
            }
            let Some(conn) = s.conns.get_mut(hmc_index as usize) else {
                return Some(Status::InvalidHmcIndex);
            };
            match conn.state {
                // A connection in use takes buffers of its own session only.
                ConnState::Opening | ConnState::Ready if conn.session != hmc_session => {
                    return Some(Status::ClosedHmc)
                }
                ConnState::Closing | ConnState::Failed => return Some(Status::ClosedHmc),
                _ => {}
            }
            if buffer_id >= negotiated.pool_size {
                return Some(Status::InvalidBufferId);
            }
            let id = buffer_id as u8;
            match conn.bufs.get(id as usize) {
                Some(Buf::Invalid) => {}
                // Already added: a duplicate.
                _ => return Some(Status::InvalidBufferId),
            }
            match owner {
                BufferOwner::ManagementPartition => conn.release_buffer(id, lioba),
                BufferOwner::Hypervisor => conn.set_buf(id, Buf::Hypervisor { lioba }),
                BufferOwner::Other(_) => return Some(Status::InterfaceFailure),
            }
            Some(Status::Success)
        });
        let Some(status) = status else {
            crate::trace_warn!(
                "hmc {=u8}: add buffer {=u16} before capabilities, dropped",
                hmc_index,
                buffer_id
            );
            return;
        };
        if !status.is_success() {
            crate::trace_warn!(
                "hmc {=u8}: add buffer {=u16} owner {} refused: {}",
                hmc_index,
                buffer_id,
                owner,
                status
            );
            self.drop_invalid();
        }
        let response = CrqRepr::Vmc(VmcMessage::AddBufferResponse {
            status,
            hmc_session,
            hmc_index,
            buffer_id,
        });
        let rc = self.send_retrying(CRQ_TIMER, response).await;
        if !rc.is_success() {
            // The hypervisor does not know whether we took the buffer: only a new
            // registration puts both sides on the same footing again.
            self.stall("add buffer response not sent");
            return;
        }
        if status.is_success() {
            self.wake(hmc_index);
        }
    }

    /// Remove Buffer: give back a free buffer of ours, never the last one (LoPAR calls
    /// removing it an interface error: we would have nothing to send with).
    pub(crate) async fn remove_buffer(&self, hmc_session: u8, hmc_index: u8) {
        let answer = self.lock(|s| {
            let negotiated = agreed(s)?;
            if hmc_index >= negotiated.max_hmcs {
                return Some((Status::InvalidHmcIndex, crate::wire::INVALID_BUFFER_ID));
            }
            let Some(conn) = s.conns.get_mut(hmc_index as usize) else {
                return Some((Status::InvalidHmcIndex, crate::wire::INVALID_BUFFER_ID));
            };
            // A connection that has had a session gives buffers to that session only (a
            // Remove Buffer naming an earlier one is stale), and none while it closes
            // (the close gives them all back).
            match conn.state {
                ConnState::Opening | ConnState::Ready | ConnState::Failed
                    if conn.session != hmc_session =>
                {
                    return Some((Status::ClosedHmc, crate::wire::INVALID_BUFFER_ID))
                }
                ConnState::Closing => {
                    return Some((Status::ClosedHmc, crate::wire::INVALID_BUFFER_ID))
                }
                _ => {}
            }
            let ours = conn
                .bufs
                .iter()
                .filter(|b| {
                    !matches!(
                        b,
                        Buf::Invalid
                            | Buf::Hypervisor { .. }
                            | Buf::Sent { .. }
                            | Buf::OpenLent { .. }
                    )
                })
                .count();
            if ours <= 1 {
                return Some((Status::NoBuffer, crate::wire::INVALID_BUFFER_ID));
            }
            match conn.free.pop() {
                Some(id) => {
                    conn.set_buf(id, Buf::Invalid);
                    Some((Status::Success, id as u16))
                }
                None => Some((Status::NoBuffer, crate::wire::INVALID_BUFFER_ID)),
            }
        });
        let Some((status, buffer_id)) = answer else {
            crate::trace_warn!(
                "hmc {=u8}: remove buffer before capabilities, dropped",
                hmc_index
            );
            return;
        };
        if !status.is_success() {
            crate::trace_warn!("hmc {=u8}: remove buffer refused: {}", hmc_index, status);
        }
        let response = CrqRepr::Vmc(VmcMessage::RemoveBufferResponse {
            status,
            hmc_session,
            hmc_index,
            buffer_id,
        });
        let rc = self.send_retrying(CRQ_TIMER, response).await;
        if !rc.is_success() {
            // The buffer is given up here but still ours at the hypervisor (or the
            // other way round, had we kept it): reset, as for Add Buffer.
            self.stall("remove buffer response not sent");
        }
    }

    /// Signal from the hypervisor: an HMC message waits in one of its buffers. RDMA it
    /// into our buffer of the same ID (which becomes ours), queue it for the session's
    /// reader, and wake that session only. Counts the entry in `crq_in` (`dispatch`
    /// leaves that to this, the hot path, to save a lock round trip).
    pub(crate) async fn signal(
        &self,
        hmc_session: u8,
        hmc_index: u8,
        buffer_id: u16,
        msg_len: u32,
    ) {
        let accepted = self.lock(|s| {
            // The entry itself, counted here rather than by `dispatch` in a lock round
            // trip of its own.
            s.stats.crq_in += 1;
            let negotiated = match (s.driver, s.negotiated) {
                (DriverState::Ready, Some(n)) => n,
                _ => return None,
            };
            if hmc_index >= negotiated.max_hmcs || buffer_id >= negotiated.pool_size {
                return None;
            }
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.state != ConnState::Ready || conn.session != hmc_session {
                return None;
            }
            let id = buffer_id as u8;
            let (lioba, answered) = match conn.bufs.get(id as usize) {
                Some(&Buf::Hypervisor { lioba }) => (lioba, false),
                Some(&Buf::Sent { lioba }) => (lioba, true),
                _ => return None,
            };
            // A message of ours answered: one fewer in flight, which may let a writer
            // of any connection go (see `write`).
            let held_back = answered && !s.below_half_queue();
            let conn = s.conns.get_mut(hmc_index as usize)?;
            // Bounded by the buffer (and MTU) size: the C driver once trusted it
            // (defect 14). The Signal still hands the buffer over (LoPAR: the sender
            // gives up the buffer it signals), so it becomes a free one of ours rather
            // than one nobody holds.
            if msg_len == 0 || msg_len > negotiated.mtu {
                conn.release_buffer(id, lioba);
                return Some((Err(id), held_back));
            }
            // In transit: ours, but not yet readable.
            conn.set_buf(id, Buf::Receiving { lioba });
            Some((Ok((id, lioba, conn.generation)), held_back))
        });
        let accepted = accepted.map(|(accepted, held_back)| {
            if held_back {
                self.wake_all();
            }
            accepted
        });
        let accepted = match accepted {
            Some(Err(id)) => {
                crate::trace_warn!(
                    "hmc {=u8}: signal of buffer {=u8} with bad length {=u32}, message dropped, buffer ours",
                    hmc_index,
                    id,
                    msg_len
                );
                self.drop_invalid();
                // A send buffer is free.
                self.wake(hmc_index);
                return;
            }
            Some(Ok(accepted)) => Some(accepted),
            None => None,
        };
        let Some((id, lioba, generation)) = accepted else {
            crate::trace_warn!(
                "hmc {=u8}: bad signal session {=u8} buffer {=u16} len {=u32}, dropped",
                hmc_index,
                hmc_session,
                buffer_id,
                msg_len
            );
            self.drop_invalid();
            return;
        };
        let rc = match self.local(hmc_index, id) {
            Some(local) => {
                let mut guard = local.borrow();
                let mut waits = 0;
                while guard.is_none() && waits < crate::retry::BORROW_WAITS {
                    let wait = crate::retry::doubling(
                        crate::retry::BORROW_WAIT_US,
                        waits,
                        crate::retry::BORROW_WAIT_MAX_US,
                    );
                    self.sleep(CRQ_TIMER, wait).await;
                    waits += 1;
                    guard = local.borrow();
                }
                match guard {
                    Some(mut guard) => {
                        let ioba = guard.ioba();
                        match guard.bytes().get_mut(..msg_len as usize) {
                            Some(bytes) => self.dev.rdma_from_hv(lioba, bytes, ioba),
                            None => HcallRc::PARAMETER,
                        }
                    }
                    None => HcallRc::BUSY,
                }
            }
            None => HcallRc::PARAMETER,
        };
        let queued = self.lock(|s| {
            if !rc.is_success() {
                s.count_hcall(rc);
                s.stats.dropped_rdma += 1;
            }
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.generation != generation {
                return None;
            }
            if rc.is_success() {
                conn.set_buf(
                    id,
                    Buf::Queued {
                        lioba,
                        len: msg_len,
                    },
                );
                conn.rx.push_back(id);
                s.stats.msgs_in += 1;
                s.stats.bytes_in += msg_len as u64;
                Some(true)
            } else {
                // The message is lost, but the buffer is ours now: keep it usable
                // (the C driver leaked it, defect 14).
                conn.release_buffer(id, lioba);
                Some(false)
            }
        });
        // One frame for the H_COPY_RDMA and what became of the message.
        match queued {
            Some(true) => {
                crate::trace_debug!(
                    "hmc {=u8}: message in buffer {=u8}, {=u32} bytes, H_COPY_RDMA rc={}",
                    hmc_index,
                    id,
                    msg_len,
                    rc
                );
                self.wake(hmc_index);
            }
            Some(false) => {
                crate::trace_error!(
                    "hmc {=u8}: message in buffer {=u8}, {=u32} bytes, lost: H_COPY_RDMA rc={}",
                    hmc_index,
                    id,
                    msg_len,
                    rc
                );
                self.wake(hmc_index);
            }
            None => crate::trace_warn!(
                "hmc {=u8}: message in buffer {=u8} discarded (reset session), H_COPY_RDMA rc={}",
                hmc_index,
                id,
                rc
            ),
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
    pub fn write(
        &self,
        file: &File,
        len: usize,
        fill: impl FnOnce(&mut [u8]) -> Result<(), Errno>,
    ) -> Result<usize, Errno> {
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
            if conn.free.is_empty() {
                return Err(Errno::Busy);
            }
            // LoPAR: no more of our messages in flight than half the hypervisor's queue.
            if !s.below_half_queue() {
                crate::trace_debug!(
                    "hmc {=u8}: write held back: half the hypervisor's queue in flight",
                    index
                );
                return Err(Errno::Busy);
            }
            let conn = s.conns.get_mut(index as usize).ok_or(Errno::Io)?;
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
            Ok(Some((
                index,
                id,
                lioba,
                conn.session,
                conn.generation,
                guard,
            )))
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
        let signal = VmcMessage::Signal {
            hmc_session: session,
            hmc_index: index,
            buffer_id: id as u16,
            msg_len: len as u32,
        };
        let sent = self.lock(move |s| {
            match s.conns.get(index as usize) {
                Some(conn) if conn.generation == generation => {}
                // Reset while we copied: the buffer belongs to nobody now.
                _ => return Err(Errno::Io),
            }
            // The time the RDMA and the Signal keep the lock (interrupts off), counted.
            let start = self.timers.now_ns();
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
                    conn.set_buf(id, Buf::Sent { lioba });
                }
                rc = self.send_locked(s, CrqRepr::Vmc(signal));
                if rc.is_success() {
                    s.stats.msgs_out += 1;
                    s.stats.bytes_out += len as u64;
                    s.count_write_locked(self.timers.now_ns().saturating_sub(start));
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
            s.count_write_locked(self.timers.now_ns().saturating_sub(start));
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
    fn unreserve(
        &self,
        index: u8,
        id: u8,
        lioba: u32,
        generation: crate::state::Generation,
        errno: Errno,
    ) -> Result<usize, Errno> {
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
    pub fn read(
        &self,
        file: &File,
        len: usize,
        drain: impl FnOnce(&[u8]) -> Result<(), Errno>,
    ) -> Result<usize, Errno> {
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
            let Some(&Buf::Queued {
                lioba,
                len: msg_len,
            }) = conn.bufs.get(id as usize)
            else {
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
            let guard = self
                .local(index, id)
                .and_then(|local| local.borrow())
                .ok_or(Errno::Busy)?;
            conn.rx.pop_front();
            conn.set_buf(
                id,
                Buf::Reading {
                    lioba,
                    len: msg_len,
                },
            );
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
                    conn.set_buf(
                        id,
                        Buf::Queued {
                            lioba,
                            len: msg_len,
                        },
                    );
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
            Held::Stale => Readiness {
                readable: false,
                writable: false,
                hangup: true,
            },
            Held::Current(index) => match s.conns.get(index as usize) {
                Some(conn) => match conn.state {
                    ConnState::Ready => Readiness {
                        readable: !conn.rx.is_empty(),
                        writable: !conn.free.is_empty() && s.below_half_queue(),
                        hangup: false,
                    },
                    ConnState::Initial | ConnState::Opening => Readiness::default(),
                    ConnState::Failed | ConnState::Closing | ConnState::Free => Readiness {
                        readable: false,
                        writable: false,
                        hangup: true,
                    },
                },
                None => Readiness {
                    readable: false,
                    writable: false,
                    hangup: true,
                },
            },
        })
    }
}

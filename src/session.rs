// SPDX-License-Identifier: GPL-2.0-or-later
//! A session: a file takes an HMC connection with SETHMCID, the session task sends
//! Interface Open and, when the file lets go, Interface Close, and the CRQ task
//! applies their responses. Everything that decides a connection's state is here.
//!
//! A connection's state ([`ConnState`], changed only through `Conn::set_state`):
//!
//! ```text
//!   Free --(1)--> Initial --(2)--> Opening --(3)--> Ready
//!    ^               |                |  \            |
//!    |              (6)              (4) (5)         (7)
//!    |               v                v    \          v
//!    +---(6)------ Failed <-----------+     +----> Closing --(8)--> Free
//!
//!   any --(9)--> Free (forgotten: every buffer invalid, every file of it hung up)
//! ```
//!
//! 1. `set_hmc_id`: a file takes a free connection.
//! 2. `set_hmc_id`: the HMC ID is in a buffer lent for the open; the session task is
//!    kicked and `send_open` RDMAs the ID and sends Interface Open.
//! 3. `open_response`: success.
//! 4. `open_response`: refused; or `send_open`: the open could not be sent.
//! 5. `release`: the file lets go of an open in flight (Close follows its response).
//! 6. `release`: a connection that never opened (or whose open failed) is free at
//!    once, keeping its buffers (`Conn::vacate`).
//! 7. `release`: the file lets go of an open connection; `send_close` sends Close.
//! 8. `close_response`: the hypervisor closed it.
//! 9. `hang_up_all` or `remove` (link.rs), and `stall` when no Open or Close Response
//!    comes in 10 s (`run_session`) or a Close cannot be sent (`send_close`).

use core::sync::atomic::Ordering;

use crate::api::File;
use crate::api::Held;
use crate::api::SessionRef;
use crate::errno::Errno;
use crate::hv::Device;
use crate::hv::HcallRc;
use crate::hv::Timers;
use crate::hv::Waiters;
use crate::retry::*;
use crate::state::Buf;
use crate::state::ConnState;
use crate::state::DriverState;
use crate::vmc::session_timer;
use crate::vmc::Vmc;
use crate::wire::CrqRepr;
use crate::wire::Status;
use crate::wire::VmcMessage;
use crate::wire::HMC_ID_LEN;

impl<D: Device, W: Waiters, T: Timers> Vmc<D, W, T> {
    pub(crate) fn open_response(
        &self,
        status: Status,
        hmc_session: u8,
        hmc_index: u8,
        buffer_id: u16,
    ) {
        let woke = self.lock(|s| {
            // The open was one of our messages in flight: writers of any connection
            // may go once it is answered.
            let held_back = !s.below_half_queue();
            let conn = match s.conns.get_mut(hmc_index as usize) {
                Some(conn) if matches!(conn.state, ConnState::Opening | ConnState::Closing) => conn,
                _ => {
                    s.stats.dropped_invalid += 1;
                    return None;
                }
            };
            if conn.session != hmc_session || conn.open_pending {
                s.stats.dropped_invalid += 1;
                return None;
            }
            // The buffer that carried the HMC ID comes back to us. The response can only
            // mean the one buffer the open lent: one that names another (not ours to
            // take, or not a buffer at all) still ends the open, and still gives the
            // lent buffer back; otherwise it would stay lent for good (on a pool of one,
            // the session could never write, nor would poll() say why). The wrong field
            // is counted.
            let lent = conn.id_buffer;
            if buffer_id != lent as u16 {
                s.stats.dropped_invalid += 1;
                crate::trace_warn!(
                    "hmc {=u8}: open response names buffer {=u16}, the open lent {=u8}",
                    hmc_index,
                    buffer_id,
                    lent
                );
            }
            if let Some(Buf::OpenLent { lioba }) = conn.bufs.get(lent as usize).copied() {
                conn.release_buffer(lent, lioba);
            }
            if conn.state == ConnState::Opening {
                let to = if status.is_success() {
                    ConnState::Ready
                } else {
                    ConnState::Failed
                };
                conn.set_state(to);
            }
            Some(held_back)
        });
        if let Some(held_back) = woke {
            if held_back {
                self.wake_all();
            }
            crate::trace_info!(
                "hmc {=u8}: open response {} session {=u8}",
                hmc_index,
                status,
                hmc_session
            );
            self.wake(hmc_index);
            self.kick_session(hmc_index);
        } else {
            crate::trace_warn!(
                "hmc {=u8}: unexpected open response session {=u8}, dropped",
                hmc_index,
                hmc_session
            );
        }
    }

    pub(crate) fn close_response(&self, status: Status, hmc_session: u8, hmc_index: u8) {
        let done = self.lock(|s| {
            // The close, and any message of ours the hypervisor still held for this
            // session, were in flight: writers of other connections may go.
            let held_back = !s.below_half_queue();
            match s.conns.get_mut(hmc_index as usize) {
                Some(conn)
                    if conn.state == ConnState::Closing
                        && conn.session == hmc_session
                        && conn.close_sent =>
                {
                    conn.forget();
                    conn.after_close = true;
                    Some(held_back)
                }
                _ => {
                    s.stats.dropped_invalid += 1;
                    None
                }
            }
        });
        if let Some(held_back) = done {
            if held_back {
                self.wake_all();
            }
            crate::trace_info!(
                "hmc {=u8}: closed, status {} session {=u8}",
                hmc_index,
                status,
                hmc_session
            );
            self.wake(hmc_index);
            self.kick_session(hmc_index);
        } else {
            crate::trace_warn!(
                "hmc {=u8}: unexpected close response session {=u8}, dropped",
                hmc_index,
                hmc_session
            );
        }
    }

    /// The session task of connection `hmc_index`: sends Interface Open when SETHMCID
    /// asked for one, and Interface Close when the file let an open connection go.
    /// The responses are handled by the CRQ task, in queue order with the messages.
    pub async fn run_session(&self, hmc_index: u8) {
        let Some(kick) = self.session_kick.get(hmc_index as usize) else {
            return;
        };
        let slot = session_timer(hmc_index);
        loop {
            // An open or close we sent waits for its response only so long: without
            // it the connection can be neither used nor given to anyone else.
            match self.awaited(hmc_index) {
                None => kick.wait().await,
                Some(awaited) => {
                    if self
                        .within(slot, RESPONSE_TIMEOUT_US, kick.wait())
                        .await
                        .is_none()
                        && self.awaited(hmc_index) == Some(awaited)
                    {
                        crate::trace_error!(
                            "hmc {=u8}: no response to {} of session {=u8} in {=u64} us",
                            hmc_index,
                            awaited.2,
                            awaited.1,
                            RESPONSE_TIMEOUT_US
                        );
                        self.stall("a response never came");
                        continue;
                    }
                }
            }
            crate::trace_trace!("hmc {=u8}: session task woken", hmc_index);
            // Both may be due: an open, then a close of the same connection.
            self.send_open(hmc_index).await;
            self.send_close(hmc_index).await;
        }
    }

    /// The response connection `hmc_index` waits for, if it sent an open or a close:
    /// its generation, session and state (`Opening` or `Closing`).
    fn awaited(&self, hmc_index: u8) -> Option<(crate::state::Generation, u8, ConnState)> {
        self.lock(|s| {
            let conn = s.conns.get(hmc_index as usize)?;
            let waiting = match conn.state {
                ConnState::Opening => !conn.open_pending,
                ConnState::Closing => conn.close_sent,
                _ => false,
            };
            waiting.then_some((conn.generation, conn.session, conn.state))
        })
    }

    /// Sends `repr` for connection `hmc_index` if it is still of `generation` and in
    /// `state`, after first RDMAing `rdma` (buffer ID, local bytes, their I/O address,
    /// the hypervisor's LIOBA) if given: the check, the RDMA and the send are one step
    /// under the lock, so nothing of ours crosses a reset into the next session (whose
    /// hypervisor buffers may have the same addresses). While the hypervisor's queue is
    /// full (H_DROPPED) or busy, sleeps on the session's timer and tries again
    /// (`retry::backoff_us`, [`TASK_ATTEMPTS`] in all; the trace shows the first and the
    /// last attempt). `None` if the connection moved on before it could be sent.
    async fn send_for(
        &self,
        hmc_index: u8,
        generation: crate::state::Generation,
        state: ConnState,
        repr: CrqRepr,
        rdma: Option<(u8, &[u8], u64, u32)>,
    ) -> Option<HcallRc> {
        let mut rdma = rdma;
        let mut attempt = 0;
        loop {
            let last = attempt + 1 >= TASK_ATTEMPTS;
            // An attempt between the first and the last is not traced if it fails again.
            let quiet = attempt > 0 && !last;
            let rc = self.lock(|s| {
                match s.conns.get(hmc_index as usize) {
                    Some(conn) if conn.generation == generation && conn.state == state => {}
                    _ => return None,
                }
                if let Some((id, local, ioba, lioba)) = rdma {
                    let rc = self.dev.rdma_to_hv(local, ioba, lioba);
                    if !(quiet && again(rc)) {
                        crate::trace_debug!(
                            "hmc {=u8}: HMC ID out in buffer {=u8}, {=usize} bytes, H_COPY_RDMA rc={}",
                            hmc_index,
                            id,
                            local.len(),
                            rc
                        );
                    }
                    if !rc.is_success() {
                        s.count_hcall(rc);
                        return Some(rc);
                    }
                    rdma = None;
                }
                Some(self.send_entry(s, repr, quiet))
            })?;
            match backoff_us(rc, attempt) {
                Some(wait) if !last => self.sleep(session_timer(hmc_index), wait).await,
                _ => return Some(rc),
            }
            attempt += 1;
        }
    }

    /// RDMAs the HMC ID and sends Interface Open, if SETHMCID asked for it.
    async fn send_open(&self, hmc_index: u8) {
        let job = self.lock(|s| {
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.state != ConnState::Opening || !conn.open_pending {
                return None;
            }
            conn.open_pending = false;
            let id = conn.id_buffer;
            match conn.bufs.get(id as usize) {
                Some(Buf::OpenLent { lioba }) => Some((id, *lioba, conn.session, conn.generation)),
                _ => None,
            }
        });
        let Some((id, lioba, session, generation)) = job else {
            return;
        };
        // RDMA of the ID and Interface Open in one step under the lock, checked against
        // the connection's generation: after a reset the same hypervisor buffer may
        // belong to the next session, and nothing of ours may reach it.
        let open = CrqRepr::Vmc(VmcMessage::InterfaceOpen {
            hmc_session: session,
            hmc_index,
            buffer_id: id as u16,
        });
        let rc = match self.local(hmc_index, id).and_then(|local| local.borrow()) {
            Some(mut guard) => {
                let ioba = guard.ioba();
                match guard.bytes().get(..HMC_ID_LEN) {
                    Some(hmc_id) => {
                        let rdma = Some((id, hmc_id, ioba, lioba));
                        self.send_for(hmc_index, generation, ConnState::Opening, open, rdma)
                            .await
                    }
                    None => Some(HcallRc::PARAMETER),
                }
            }
            None => Some(HcallRc::BUSY),
        };
        if rc.is_some_and(HcallRc::is_success) {
            crate::trace_info!("hmc {=u8}: open sent, session {=u8}", hmc_index, session);
            return;
        }
        // The open never reached the hypervisor (the C driver ignored this and left
        // the connection in `opening` for good, defect 3), or the file let go of the
        // connection before it was sent.
        self.lock(|s| {
            if let Some(conn) = s.conns.get_mut(hmc_index as usize) {
                if conn.generation != generation {
                    return;
                }
                match conn.state {
                    ConnState::Opening => {
                        conn.set_state(ConnState::Failed);
                        conn.release_buffer(id, lioba);
                    }
                    // Released meanwhile: there is nothing to close.
                    ConnState::Closing => {
                        conn.release_buffer(id, lioba);
                        conn.vacate();
                    }
                    _ => {}
                }
            }
        });
        match rc {
            Some(rc) => crate::trace_error!(
                "hmc {=u8}: open not sent, session {=u8} rc={}",
                hmc_index,
                session,
                rc
            ),
            None => crate::trace_info!(
                "hmc {=u8}: open not sent, session {=u8} ended first",
                hmc_index,
                session
            ),
        }
        self.wake(hmc_index);
    }

    /// Sends Interface Close if the file let an open connection go. Its response frees
    /// the connection; if it cannot be sent, the link is reset (which frees every
    /// connection here and every session at the hypervisor).
    async fn send_close(&self, hmc_index: u8) {
        let job = self.lock(|s| {
            let conn = s.conns.get_mut(hmc_index as usize)?;
            if conn.state != ConnState::Closing || !conn.close_pending {
                return None;
            }
            conn.close_pending = false;
            conn.close_sent = true;
            Some((conn.session, conn.generation))
        });
        let Some((session, generation)) = job else {
            return;
        };
        let close = VmcMessage::InterfaceClose {
            hmc_session: session,
            hmc_index,
        };
        let rc = match self
            .send_for(
                hmc_index,
                generation,
                ConnState::Closing,
                CrqRepr::Vmc(close),
                None,
            )
            .await
        {
            // Reset meanwhile: the connection is already free.
            None => return,
            Some(rc) => rc,
        };
        if rc.is_success() {
            crate::trace_info!("hmc {=u8}: close sent, session {=u8}", hmc_index, session);
            return;
        }
        // The hypervisor keeps the session until it sees a Close (or a new
        // registration): freeing the connection here would leave it open there, and the
        // next open of this index would be refused.
        crate::trace_error!(
            "hmc {=u8}: close not sent, session {=u8} rc={}",
            hmc_index,
            session,
            rc
        );
        self.stall("interface close not sent");
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
    /// - [`Errno::Busy`]: every connection is taken; or, right after a close, the
    ///   hypervisor has not yet added the buffer for the next open (it comes after its
    ///   Close Response; the file takes no connection); or, right after a reset, a
    ///   file of the old session still copies out of the buffer the HMC ID would go in;
    /// - [`Errno::NoBufs`]: the hypervisor has not given the connection a buffer since
    ///   the handshake (the file keeps the connection; call again, or close to give
    ///   it back);
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
                    // A free connection with a buffer for the HMC ID first.
                    let limit = negotiated.max_hmcs as usize;
                    let conns = || s.conns.iter().take(limit);
                    let Some(index) = conns()
                        .position(|c| c.takeable() && !c.free.is_empty())
                        .or_else(|| conns().position(|c| c.takeable()))
                    else {
                        return Err(Errno::Busy);
                    };
                    let Some(conn) = s.conns.get_mut(index) else {
                        return Err(Errno::Busy);
                    };
                    // Right after a close or reset, the hypervisor's new buffer is on
                    // its way: not taken, retry (the C driver said ENOBUFS here).
                    if conn.free.is_empty() && conn.after_close {
                        return Err(Errno::Busy);
                    }
                    let session = SessionRef {
                        hmc_index: index as u8,
                        generation: conn.generation,
                    };
                    // No other SETHMCID on this file can have taken a connection since
                    // `held` said it holds none: every SETHMCID runs this step under the
                    // instance's lock, and the one write to the slot outside it is
                    // `release` storing 0 (when no other call on the file is left). A
                    // plain store is enough; a second SETHMCID finds `Held::Current`.
                    file.slot.store(File::encode(session), Ordering::Release);
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
                return Err(if conn.after_close {
                    Errno::Busy
                } else {
                    Errno::NoBufs
                });
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

    /// The connection index whose wait queue a file sleeps on, if it holds one.
    pub fn wait_index(&self, file: &File) -> Option<u8> {
        file.session().map(|s| s.hmc_index)
    }
}

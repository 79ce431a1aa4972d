// SPDX-License-Identifier: GPL-2.0-or-later
//! `/dev/ibmvmc` through libc: the ioctls of `src/uapi/ibmvmc.h` and the file calls,
//! each failing with the call and its errno.

use std::ffi::CString;
use std::fmt;
use std::time::Duration;
use std::time::Instant;

use crate::errno;
use crate::errno::Op;

/// Length of the HMC ID.
pub const HMC_ID_LEN: usize = 32;
/// `QUERY.state` when the driver is ready.
pub const STATE_READY: i32 = 3;

// The ioctl request encoding (include/uapi/asm-generic/ioctl.h; powerpc has its own).
#[cfg(any(target_arch = "powerpc", target_arch = "powerpc64"))]
mod ioc {
    pub const SIZEBITS: u32 = 13;
    pub const WRITE: u32 = 4;
    pub const READ: u32 = 2;
}
#[cfg(not(any(target_arch = "powerpc", target_arch = "powerpc64")))]
mod ioc {
    pub const SIZEBITS: u32 = 14;
    pub const WRITE: u32 = 1;
    pub const READ: u32 = 2;
}

const fn ioc(dir: u32, ty: u32, nr: u32, size: usize) -> u32 {
    (dir << (16 + ioc::SIZEBITS)) | ((size as u32) << 16) | (ty << 8) | nr
}

/// `VMC_BASE`.
pub const VMC_BASE: u32 = 0xCC;
/// `_IOW(VMC_BASE, 0x00, unsigned char *)`.
pub const VMC_IOCTL_SETHMCID: u32 = ioc(ioc::WRITE, VMC_BASE, 0x00, size_of::<*const u8>());
/// `_IOR(VMC_BASE, 0x01, struct ibmvmc_query_struct)`.
pub const VMC_IOCTL_QUERY: u32 = ioc(ioc::READ, VMC_BASE, 0x01, size_of::<Query>());
/// `_IOR(VMC_BASE, 0x02, u32)`.
pub const VMC_IOCTL_REQUESTVMC: u32 = ioc(ioc::READ, VMC_BASE, 0x02, size_of::<u32>());

/// `struct ibmvmc_query_struct`.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// The driver is past its initial state.
    pub have_vmc: i32,
    /// Driver state: -1 reset, 0 initial, 1 crqinit, 2 capabilities, 3 ready, 4 failed.
    pub state: i32,
    /// DRC index of the last successful REQUESTVMC.
    pub vmc_drc_index: i32,
}

/// A failed call: what was done, and its errno.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The call, for the errno's meaning.
    pub op: Op,
    /// What was being done.
    pub what: String,
    /// The errno.
    pub errno: i32,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what, errno::describe(self.op, self.errno))
    }
}

impl std::error::Error for Error {}

impl Error {
    /// `what` failed with `errno`.
    pub fn new(op: Op, what: impl Into<String>, errno: i32) -> Self {
        Error {
            op,
            what: what.into(),
            errno,
        }
    }
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

/// What `poll()` reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ready {
    /// POLLIN: a message is queued.
    pub readable: bool,
    /// POLLOUT: open, and a send buffer is free.
    pub writable: bool,
    /// POLLHUP or POLLERR: reset, closed or refused.
    pub hangup: bool,
}

/// An open `/dev/ibmvmc`.
pub struct Device {
    fd: libc::c_int,
}

impl Drop for Device {
    fn drop(&mut self) {
        // SAFETY: fd is ours and closed only here.
        unsafe { libc::close(self.fd) };
    }
}

impl Device {
    /// `open(path, O_RDWR)`.
    pub fn open(path: &str) -> Result<Device, Error> {
        let c = CString::new(path)
            .map_err(|_| Error::new(Op::Open, format!("open {path}"), libc::EINVAL))?;
        // SAFETY: c is a valid NUL-terminated string.
        let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(Error::new(Op::Open, format!("open {path}"), last_errno()));
        }
        Ok(Device { fd })
    }

    /// VMC_IOCTL_QUERY.
    pub fn query(&self) -> Result<Query, Error> {
        let mut q = Query::default();
        // SAFETY: the driver writes one struct ibmvmc_query_struct to &mut q.
        let rc = unsafe { libc::ioctl(self.fd, VMC_IOCTL_QUERY as _, &mut q as *mut Query) };
        if rc < 0 {
            return Err(Error::new(Op::Query, "ioctl VMC_IOCTL_QUERY", last_errno()));
        }
        Ok(q)
    }

    /// VMC_IOCTL_REQUESTVMC: the DRC index.
    pub fn request_vmc(&self) -> Result<u32, Error> {
        let mut drc: u32 = 0;
        // SAFETY: the driver writes one u32 to &mut drc.
        let rc = unsafe { libc::ioctl(self.fd, VMC_IOCTL_REQUESTVMC as _, &mut drc as *mut u32) };
        if rc < 0 {
            return Err(Error::new(
                Op::RequestVmc,
                "ioctl VMC_IOCTL_REQUESTVMC",
                last_errno(),
            ));
        }
        Ok(drc)
    }

    /// VMC_IOCTL_SETHMCID, once.
    pub fn set_hmc_id(&self, id: &[u8; HMC_ID_LEN]) -> Result<(), Error> {
        // SAFETY: the driver reads HMC_ID_LEN bytes from id.
        let rc = unsafe { libc::ioctl(self.fd, VMC_IOCTL_SETHMCID as _, id.as_ptr()) };
        if rc < 0 {
            return Err(Error::new(
                Op::SetHmcId,
                "ioctl VMC_IOCTL_SETHMCID",
                last_errno(),
            ));
        }
        Ok(())
    }

    /// Waits (at most `timeout`) until QUERY says the driver is ready.
    pub fn wait_ready(&self, timeout: Duration) -> Result<Query, Error> {
        let end = Instant::now() + timeout;
        loop {
            let q = self.query()?;
            if q.state == STATE_READY {
                return Ok(q);
            }
            if Instant::now() >= end {
                return Err(Error::new(
                    Op::Query,
                    format!("driver state {} (want 3, ready)", q.state),
                    libc::ETIMEDOUT,
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// SETHMCID retried while the answer is temporary (EAGAIN, EBUSY, ENOBUFS), then
    /// poll() until the open completes (POLLOUT). The whole within `timeout`.
    pub fn open_session(&self, id: &[u8; HMC_ID_LEN], timeout: Duration) -> Result<(), Error> {
        let end = Instant::now() + timeout;
        loop {
            match self.set_hmc_id(id) {
                Ok(()) => break,
                Err(e)
                    if [libc::EAGAIN, libc::EBUSY, libc::ENOBUFS].contains(&e.errno)
                        && Instant::now() < end =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => return Err(e),
            }
        }
        let left = end
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(100));
        let r = self.poll(libc::POLLOUT, Some(left))?;
        if r.hangup {
            return Err(Error::new(
                Op::Poll,
                "waiting for the open (POLLOUT): hung up, the open was refused or reset",
                libc::EBADFD,
            ));
        }
        if !r.writable {
            return Err(Error::new(
                Op::Poll,
                "waiting for the open (POLLOUT)",
                libc::ETIMEDOUT,
            ));
        }
        Ok(())
    }

    /// `poll()` for `events` (POLLHUP/POLLERR always), `None` waits forever.
    pub fn poll(&self, events: libc::c_short, timeout: Option<Duration>) -> Result<Ready, Error> {
        let mut p = libc::pollfd {
            fd: self.fd,
            events,
            revents: 0,
        };
        let ms = timeout.map_or(-1, |t| t.as_millis().min(i32::MAX as u128) as libc::c_int);
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut p, 1, ms) };
        if n < 0 {
            return Err(Error::new(Op::Poll, "poll", last_errno()));
        }
        Ok(Ready {
            readable: p.revents & libc::POLLIN != 0,
            writable: p.revents & libc::POLLOUT != 0,
            hangup: p.revents & (libc::POLLHUP | libc::POLLERR) != 0,
        })
    }

    /// One message.
    pub fn write(&self, msg: &[u8]) -> Result<usize, Error> {
        // SAFETY: msg is valid for msg.len() bytes.
        let n = unsafe { libc::write(self.fd, msg.as_ptr().cast(), msg.len()) };
        if n < 0 {
            return Err(Error::new(
                Op::Write,
                format!("write {} bytes", msg.len()),
                last_errno(),
            ));
        }
        Ok(n as usize)
    }

    /// One message into `buf`.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Error> {
        // SAFETY: buf is valid for buf.len() bytes.
        let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(Error::new(
                Op::Read,
                format!("read (buffer {} bytes)", buf.len()),
                last_errno(),
            ));
        }
        Ok(n as usize)
    }

    /// write, poll for the reply (at most `timeout`), read it into `buf`: its length.
    pub fn round_trip(
        &self,
        msg: &[u8],
        buf: &mut [u8],
        timeout: Duration,
    ) -> Result<usize, Error> {
        let n = self.write(msg)?;
        if n != msg.len() {
            return Err(Error::new(
                Op::Write,
                format!("write {} bytes returned {n}", msg.len()),
                libc::EIO,
            ));
        }
        let r = self.poll(libc::POLLIN, Some(timeout))?;
        if r.hangup {
            return Err(Error::new(
                Op::Read,
                "waiting for the reply: hung up",
                libc::EBADFD,
            ));
        }
        if !r.readable {
            return Err(Error::new(
                Op::Poll,
                "waiting for the reply (POLLIN)",
                libc::ETIMEDOUT,
            ));
        }
        self.read(buf)
    }
}

/// An HMC ID from text: its bytes, zero-padded (at most 32).
pub fn hmc_id(text: &str) -> Result<[u8; HMC_ID_LEN], String> {
    let bytes = text.as_bytes();
    if bytes.len() > HMC_ID_LEN {
        return Err(format!("HMC ID longer than {HMC_ID_LEN} bytes"));
    }
    let mut id = [0u8; HMC_ID_LEN];
    id[..bytes.len()].copy_from_slice(bytes);
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioctl_numbers_match_the_c_header() {
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(VMC_IOCTL_SETHMCID, 0x4008_cc00);
            assert_eq!(VMC_IOCTL_QUERY, 0x800c_cc01);
            assert_eq!(VMC_IOCTL_REQUESTVMC, 0x8004_cc02);
        }
        #[cfg(target_arch = "powerpc64")]
        {
            assert_eq!(VMC_IOCTL_SETHMCID, 0x8008_cc00);
            assert_eq!(VMC_IOCTL_QUERY, 0x400c_cc01);
            assert_eq!(VMC_IOCTL_REQUESTVMC, 0x4004_cc02);
        }
        assert_eq!(size_of::<Query>(), 12);
    }

    #[test]
    fn hmc_ids() {
        let id = hmc_id("hmc1").unwrap();
        assert_eq!(&id[..5], b"hmc1\0");
        assert!(hmc_id(&"x".repeat(33)).is_err());
        assert_eq!(hmc_id(&"y".repeat(32)).unwrap(), [b'y'; 32]);
    }

    #[test]
    fn error_messages_name_the_errno_and_its_meaning() {
        let e = Error::new(Op::Write, "write 10 bytes", libc::EBUSY);
        assert_eq!(e.to_string(), "write 10 bytes: EBUSY: the open is still in flight, no send buffer is free, or the hypervisor's queue is full (or half full of our messages, LoPAR's limit); retry");
    }
}

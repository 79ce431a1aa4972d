//! The errors the device's file operations return: the C driver's errno contract.
//!
//! Each API call in [`crate::api`] documents which of these it returns and when; this
//! file only names them. Values are Linux's (asm-generic/errno-base.h, errno.h).

/// An error returned to user space. Its `defmt::Format` prints the C name (`EBUSY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Errno {
    /// EPERM 1: REQUESTVMC refused by the hypervisor (or no CAP_SYS_ADMIN).
    Perm,
    /// EINTR 4: interrupted (the glue maps a pending signal to ERESTARTSYS).
    Intr,
    /// EIO 5: no session, wrong state, the transport failed.
    Io,
    /// EAGAIN 11: nothing to read now (O_NONBLOCK), or the driver is not ready yet.
    Again,
    /// ENOMEM 12.
    NoMem,
    /// EFAULT 14: a bad user pointer.
    Fault,
    /// EBUSY 16: the open is in flight, no send buffer is free, every connection is taken.
    Busy,
    /// ENODEV 19: H_REQUEST_VMC found no resource.
    NoDev,
    /// EINVAL 22: a bad argument.
    Inval,
    /// ENOTTY 25: unknown ioctl.
    NoTty,
    /// EMSGSIZE 90: the caller's buffer is shorter than the next message (which stays
    /// queued; the C driver truncated it silently, defect 23).
    MsgSize,
    /// ENOBUFS 105: the hypervisor has not given this connection a buffer yet.
    NoBufs,
    /// EBADFD 77: the session was reset or closed under this file.
    BadFd,
}

impl Errno {
    /// The positive errno value.
    pub const fn to_errno(self) -> i32 {
        match self {
            Errno::Perm => 1,
            Errno::Intr => 4,
            Errno::Io => 5,
            Errno::Again => 11,
            Errno::NoMem => 12,
            Errno::Fault => 14,
            Errno::Busy => 16,
            Errno::NoDev => 19,
            Errno::Inval => 22,
            Errno::NoTty => 25,
            Errno::BadFd => 77,
            Errno::MsgSize => 90,
            Errno::NoBufs => 105,
        }
    }

    /// The symbolic name, as in `errno.h`.
    pub const fn name(self) -> &'static str {
        match self {
            Errno::Perm => "EPERM",
            Errno::Intr => "EINTR",
            Errno::Io => "EIO",
            Errno::Again => "EAGAIN",
            Errno::NoMem => "ENOMEM",
            Errno::Fault => "EFAULT",
            Errno::Busy => "EBUSY",
            Errno::NoDev => "ENODEV",
            Errno::Inval => "EINVAL",
            Errno::NoTty => "ENOTTY",
            Errno::BadFd => "EBADFD",
            Errno::MsgSize => "EMSGSIZE",
            Errno::NoBufs => "ENOBUFS",
        }
    }
}

impl defmt::Format for Errno {
    fn format(&self, f: defmt::Formatter<'_>) {
        // One interned string per arm: the frame carries an index, not the name.
        match self {
            Errno::Perm => defmt::write!(f, "EPERM"),
            Errno::Intr => defmt::write!(f, "EINTR"),
            Errno::Io => defmt::write!(f, "EIO"),
            Errno::Again => defmt::write!(f, "EAGAIN"),
            Errno::NoMem => defmt::write!(f, "ENOMEM"),
            Errno::Fault => defmt::write!(f, "EFAULT"),
            Errno::Busy => defmt::write!(f, "EBUSY"),
            Errno::NoDev => defmt::write!(f, "ENODEV"),
            Errno::Inval => defmt::write!(f, "EINVAL"),
            Errno::NoTty => defmt::write!(f, "ENOTTY"),
            Errno::BadFd => defmt::write!(f, "EBADFD"),
            Errno::MsgSize => defmt::write!(f, "EMSGSIZE"),
            Errno::NoBufs => defmt::write!(f, "ENOBUFS"),
        }
    }
}

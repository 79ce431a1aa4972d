// SPDX-License-Identifier: GPL-2.0-or-later
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

/// A call on `/dev/ibmvmc`, for [`contract`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `open()`.
    Open,
    /// `VMC_IOCTL_SETHMCID` ([`Vmc::set_hmc_id`](crate::Vmc::set_hmc_id)).
    SetHmcId,
    /// `VMC_IOCTL_QUERY` ([`Vmc::query`](crate::Vmc::query)).
    Query,
    /// `VMC_IOCTL_REQUESTVMC` ([`Vmc::request_vmc`](crate::Vmc::request_vmc)).
    RequestVmc,
    /// `write()` ([`Vmc::write`](crate::Vmc::write)).
    Write,
    /// `read()` ([`Vmc::read`](crate::Vmc::read)).
    Read,
    /// `poll()` ([`Vmc::poll`](crate::Vmc::poll)): reports readiness, never an error.
    Poll,
    /// Any other ioctl.
    OtherIoctl,
}

impl Call {
    /// Every call.
    pub const ALL: [Call; 8] = [
        Call::Open,
        Call::SetHmcId,
        Call::Query,
        Call::RequestVmc,
        Call::Write,
        Call::Read,
        Call::Poll,
        Call::OtherIoctl,
    ];
}

/// The errno contract in one place: every error `call` can return, with what it means
/// there and what to do about it. The rustdoc of each call (on [`crate::Vmc`]) says when
/// it happens, the uapi header lists them, and the CLI prints these explanations; host
/// tests (`tests/errno_contract.rs`, the CLI's) check that all four agree.
pub const fn contract(call: Call) -> &'static [(Errno, &'static str)] {
    const FAULT: (Errno, &str) = (Errno::Fault, "a bad user pointer");
    match call {
        Call::Open => &[(Errno::NoMem, "no memory for the file's state")],
        Call::SetHmcId => &[
            (
                Errno::Io,
                "the driver failed, this file already started an open, or its session was reset; open the device again",
            ),
            (Errno::Again, "the driver is not ready yet (handshake or reset under way); retry"),
            (
                Errno::Busy,
                "every HMC connection is taken (see the max_hmcs module parameter), or, right after a close, \
                 the hypervisor's buffer for the next open is still on its way, or, right after a reset, a file \
                 of the old session still copies out of the connection's buffer; retry later",
            ),
            (Errno::NoBufs, "the hypervisor has not given this connection a buffer since the handshake; retry"),
            FAULT,
        ],
        Call::Query => &[FAULT],
        Call::RequestVmc => &[
            (
                Errno::Perm,
                "needs CAP_SYS_ADMIN, or the hypervisor refused (H_FUNCTION/H_AUTHORITY/H_NOT_AVAILABLE)",
            ),
            (Errno::Io, "the hypervisor reported a hardware error or an unknown code"),
            (Errno::NoDev, "the hypervisor has no VMC resource to give (H_RESOURCE)"),
            (Errno::Inval, "the hypervisor rejected a parameter (H_PARAMETER)"),
            (Errno::Busy, "the hypervisor stayed busy; retry"),
            FAULT,
        ],
        Call::Write => &[
            (
                Errno::Io,
                "no open session (no SETHMCID, reset, closed or refused), the message exceeds the MTU, or the transport failed",
            ),
            (
                Errno::Busy,
                "the open is still in flight, no send buffer is free, or the hypervisor's queue is full (or half full \
                 of our messages, LoPAR's limit); retry",
            ),
            (Errno::Fault, "a bad user pointer; nothing was sent"),
        ],
        Call::Read => &[
            (Errno::Inval, "the read size exceeds the MTU"),
            (Errno::Io, "this file has no session: SETHMCID first"),
            (Errno::BadFd, "the session was reset, closed or refused: open the device again"),
            (Errno::Again, "no message queued (non-blocking read)"),
            (Errno::MsgSize, "the next message is longer than the buffer; it stays queued"),
            (
                Errno::Busy,
                "right after a reset, a file of the old session still copies out of the message's buffer; retry",
            ),
            (Errno::Fault, "a bad user pointer; the message stays queued"),
            (Errno::Intr, "interrupted by a signal while waiting for a message"),
        ],
        Call::Poll => &[],
        Call::OtherIoctl => &[(Errno::NoTty, "not an ibmvmc ioctl (or not the ibmvmc device)")],
    }
}

/// What `errno` means for `call`, if the contract has it.
pub fn meaning(call: Call, errno: Errno) -> Option<&'static str> {
    contract(call)
        .iter()
        .find(|(e, _)| *e == errno)
        .map(|(_, m)| *m)
}

impl Errno {
    /// Every errno the device returns.
    pub const ALL: [Errno; 13] = [
        Errno::Perm,
        Errno::Intr,
        Errno::Io,
        Errno::Again,
        Errno::NoMem,
        Errno::Fault,
        Errno::Busy,
        Errno::NoDev,
        Errno::Inval,
        Errno::NoTty,
        Errno::MsgSize,
        Errno::NoBufs,
        Errno::BadFd,
    ];

    /// The errno with the positive value `value`, if the device returns it.
    pub fn from_errno(value: i32) -> Option<Errno> {
        Errno::ALL.into_iter().find(|e| e.to_errno() == value)
    }
}

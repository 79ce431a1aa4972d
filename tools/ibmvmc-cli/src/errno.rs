//! Errno names, and what each one means for a given call on `/dev/ibmvmc` (the driver's
//! errno contract, README "The driver core").

/// The call that failed, for [`meaning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `open("/dev/ibmvmc")`.
    Open,
    /// `VMC_IOCTL_SETHMCID`.
    SetHmcId,
    /// `VMC_IOCTL_QUERY`.
    Query,
    /// `VMC_IOCTL_REQUESTVMC`.
    RequestVmc,
    /// `write()`.
    Write,
    /// `read()`.
    Read,
    /// `poll()`.
    Poll,
}

/// The symbolic name of `errno`, e.g. `"EBUSY"`.
pub fn name(errno: i32) -> String {
    let known = match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::EINTR => "EINTR",
        libc::EIO => "EIO",
        libc::ENXIO => "ENXIO",
        libc::EBADF => "EBADF",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EACCES => "EACCES",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::ENODEV => "ENODEV",
        libc::EINVAL => "EINVAL",
        libc::ENOTTY => "ENOTTY",
        libc::EBADFD => "EBADFD",
        libc::EMSGSIZE => "EMSGSIZE",
        libc::ENOBUFS => "ENOBUFS",
        libc::ETIMEDOUT => "ETIMEDOUT",
        _ => return format!("errno {errno}"),
    };
    known.to_string()
}

/// What `errno` from `op` means for this device, and what to do about it.
pub fn meaning(op: Op, errno: i32) -> &'static str {
    match (op, errno) {
        (Op::Open, libc::ENOENT) => "no /dev/ibmvmc: the ibmvmc module is not loaded (or the device was removed)",
        (Op::Open, libc::EACCES) | (Op::Open, libc::EPERM) => "/dev/ibmvmc is mode 0600: run as root",
        (Op::SetHmcId, libc::EAGAIN) => "the driver is not ready yet (handshake or reset under way); retry",
        (Op::SetHmcId, libc::EBUSY) => "every HMC connection is taken (see the max_hmcs module parameter); retry later",
        (Op::SetHmcId, libc::ENOBUFS) => "the hypervisor has not given this connection a buffer yet; retry",
        (Op::SetHmcId, libc::EIO) => {
            "the driver failed, this file already started an open, or its session was reset; open the device again"
        }
        (Op::Write, libc::EBUSY) => "the open is still in flight or no send buffer is free; retry",
        (Op::Write, libc::EIO) => {
            "no open session (no SETHMCID, reset, closed or refused), the message exceeds the MTU, or the transport failed"
        }
        (Op::Read, libc::EINVAL) => "the read size exceeds the MTU",
        (Op::Read, libc::EIO) => "this file has no session: SETHMCID first",
        (Op::Read, libc::EBADFD) => "the session was reset, closed or refused: open the device again",
        (Op::Read, libc::EAGAIN) => "no message queued (non-blocking read)",
        (Op::Read, libc::EMSGSIZE) => "the next message is longer than the buffer; it stays queued",
        (Op::RequestVmc, libc::EPERM) => "needs CAP_SYS_ADMIN, or the hypervisor refused (H_FUNCTION/H_AUTHORITY/H_NOT_AVAILABLE)",
        (Op::RequestVmc, libc::EIO) => "the hypervisor reported a hardware error or an unknown code",
        (Op::RequestVmc, libc::ENODEV) => "the hypervisor has no VMC resource to give (H_RESOURCE)",
        (Op::RequestVmc, libc::EINVAL) => "the hypervisor rejected a parameter (H_PARAMETER)",
        (Op::RequestVmc, libc::EBUSY) => "the hypervisor stayed busy; retry",
        (_, libc::EFAULT) => "a bad user pointer",
        (_, libc::ENOTTY) => "not an ibmvmc ioctl (or not the ibmvmc device)",
        (_, libc::EINTR) => "interrupted by a signal",
        (_, libc::ETIMEDOUT) => "no answer in time",
        _ => "unexpected for this device",
    }
}

/// `"NAME: meaning"`.
pub fn describe(op: Op, errno: i32) -> String {
    format!("{}: {}", name(errno), meaning(op, errno))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(name(libc::EBADFD), "EBADFD");
        assert_eq!(name(libc::EMSGSIZE), "EMSGSIZE");
        assert_eq!(name(libc::ENOBUFS), "ENOBUFS");
        assert_eq!(name(4242), "errno 4242");
    }

    #[test]
    fn meanings_depend_on_the_call() {
        assert_eq!(
            describe(Op::Write, libc::EBUSY),
            "EBUSY: the open is still in flight or no send buffer is free; retry"
        );
        assert!(meaning(Op::SetHmcId, libc::EBUSY).contains("every HMC connection is taken"));
        assert!(meaning(Op::Read, libc::EIO).contains("no session"));
        assert!(meaning(Op::Write, libc::EIO).contains("MTU"));
        assert!(meaning(Op::Read, libc::EMSGSIZE).contains("stays queued"));
        assert!(meaning(Op::RequestVmc, libc::EPERM).contains("CAP_SYS_ADMIN"));
        assert_eq!(meaning(Op::Poll, libc::ENOTTY), meaning(Op::Query, libc::ENOTTY));
        assert_eq!(meaning(Op::Poll, 4242), "unexpected for this device");
    }
}

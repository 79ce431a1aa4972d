// SPDX-License-Identifier: GPL-2.0-or-later
//! Errno names, and what each one means for a given call on `/dev/ibmvmc` (the driver's
//! errno contract, `ibmvmc::errno::contract`).

use ibmvmc::Errno;

/// The call that failed, for [`meaning`]: the driver's own list of calls.
pub use ibmvmc::errno::Call as Op;

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

/// What `errno` from `op` means for this device, and what to do about it: the
/// driver's errno contract (`ibmvmc::errno::contract`), and for what the VFS or this
/// program add (a missing device node, permissions, a timeout) a line of its own.
pub fn meaning(op: Op, errno: i32) -> &'static str {
    if let Some(text) = Errno::from_errno(errno).and_then(|e| ibmvmc::errno::meaning(op, e)) {
        return text;
    }
    match (op, errno) {
        (Op::Open, libc::ENOENT) => {
            "no /dev/ibmvmc: the ibmvmc module is not loaded (or the device was removed)"
        }
        (Op::Open, libc::EACCES) | (Op::Open, libc::EPERM) => {
            "/dev/ibmvmc is mode 0600: run as root"
        }
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

    /// Every errno every call can return has its explanation here, the contract's own.
    #[test]
    fn every_errno_of_the_contract_is_explained() {
        for call in Op::ALL {
            for (errno, text) in ibmvmc::errno::contract(call) {
                assert_eq!(
                    meaning(call, errno.to_errno()),
                    *text,
                    "{call:?} {}",
                    errno.name()
                );
            }
        }
        assert_eq!(
            meaning(Op::Query, libc::ENOTTY),
            "not an ibmvmc ioctl (or not the ibmvmc device)"
        );
        assert!(meaning(Op::Read, libc::EBUSY).contains("reset"));
        assert!(meaning(Op::SetHmcId, libc::EBUSY).contains("reset"));
    }

    #[test]
    fn meanings_depend_on_the_call() {
        assert_eq!(
            describe(Op::Write, libc::EBUSY),
            "EBUSY: the open is still in flight, no send buffer is free, or the hypervisor's queue is full (or half full of our messages, LoPAR's limit); retry"
        );
        assert!(meaning(Op::SetHmcId, libc::EBUSY).contains("every HMC connection is taken"));
        assert!(meaning(Op::Read, libc::EIO).contains("no session"));
        assert!(meaning(Op::Write, libc::EIO).contains("MTU"));
        assert!(meaning(Op::Read, libc::EMSGSIZE).contains("stays queued"));
        assert!(meaning(Op::RequestVmc, libc::EPERM).contains("CAP_SYS_ADMIN"));
        assert_eq!(
            meaning(Op::Poll, libc::ENOTTY),
            meaning(Op::Query, libc::ENOTTY)
        );
        assert_eq!(meaning(Op::Poll, 4242), "unexpected for this device");
    }
}

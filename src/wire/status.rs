// SPDX-License-Identifier: GPL-2.0-or-later
//! The status byte of VMC responses: the one place its values are decided.

/// Result carried in byte 2 of every VMC response.
///
/// # Which numbering
/// Two numberings exist and they disagree:
/// - the C driver (`drivers/misc/ibmvmc.h`, `VMC_MSG_*`) uses one table for every
///   response: 0 success, 1 invalid HMC index, 2 invalid buffer ID, 3 closed HMC,
///   4 interface failure, 5 no buffer;
/// - LoPAR gives each response its own list, e.g. Add Buffer Response 1 general failure,
///   2 invalid HMC index, 3 invalid buffer ID, 4 HMC connection closed; Remove Buffer
///   Response 1 general failure, 2 invalid HMC index, 3 no buffer found; Capabilities
///   Response 1 general failure, 2 invalid version.
///
/// This codec uses the C driver's table, for every response, because that is what the
/// real hypervisor has been receiving from Linux since 2018 without complaint. Zero means
/// success in both. Values outside the table are kept as [`Status::Other`], never
/// rejected, so a hypervisor that does speak LoPAR's numbering is still logged faithfully.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, defmt::Format)]
pub enum Status {
    /// 0: the request succeeded.
    Success,
    /// 1: the HMC index names no connection.
    InvalidHmcIndex,
    /// 2: the buffer ID names no buffer.
    InvalidBufferId,
    /// 3: the HMC connection has closed.
    ClosedHmc,
    /// 4: the interface failed.
    InterfaceFailure,
    /// 5: no buffer is available.
    NoBuffer,
    /// Any other value, kept raw. Never holds 0..=5 when produced by [`Status::from_u8`].
    Other(u8),
}

impl Status {
    /// Decodes a status byte; unknown values become [`Status::Other`].
    pub const fn from_u8(value: u8) -> Self {
        match value {
            0 => Status::Success,
            1 => Status::InvalidHmcIndex,
            2 => Status::InvalidBufferId,
            3 => Status::ClosedHmc,
            4 => Status::InterfaceFailure,
            5 => Status::NoBuffer,
            other => Status::Other(other),
        }
    }

    /// The byte to put on the wire.
    pub const fn to_u8(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::InvalidHmcIndex => 1,
            Status::InvalidBufferId => 2,
            Status::ClosedHmc => 3,
            Status::InterfaceFailure => 4,
            Status::NoBuffer => 5,
            Status::Other(value) => value,
        }
    }

    /// Whether this is [`Status::Success`] (or an `Other(0)` built by hand).
    pub const fn is_success(self) -> bool {
        self.to_u8() == 0
    }
}

impl From<u8> for Status {
    fn from(value: u8) -> Self {
        Status::from_u8(value)
    }
}

impl From<Status> for u8 {
    fn from(status: Status) -> Self {
        status.to_u8()
    }
}

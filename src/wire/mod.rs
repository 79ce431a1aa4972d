// SPDX-License-Identifier: GPL-2.0-or-later
//! The 16-byte CRQ entry of the Virtual Management Channel, as bytes and as meaning.
//!
//! Two layers, in the manner of smoltcp's `wire` module:
//! - [`Crq`] is a checked view over the raw bytes of one entry, with a getter (and, for
//!   mutable buffers, a setter) per field. It knows offsets and byte order, not meaning.
//! - [`CrqRepr`] is what an entry says: an empty slot, an initialisation message, a
//!   transport event or a VMC message. [`CrqRepr::parse`] reads a [`Crq`],
//!   [`CrqRepr::emit`] writes one.
//!
//! The codec knows nothing of sessions, driver state or the kernel; it never allocates
//! and never panics on input. Malformed input is an [`Error`].
//!
//! # Reserved bytes
//! Bytes the references call reserved (or leave undefined) are ignored when parsing and
//! written as zero when emitting. Being strict on receive would buy nothing: the
//! hypervisor's behaviour for those bytes is not public, and rejecting an entry the peer
//! considers valid would turn a harmless difference into a lost message. As a
//! consequence `emit(parse(bytes))` may differ from `bytes` in reserved bytes only, while
//! `parse(emit(repr)) == repr` holds for every `repr` that `parse` produced (the fuzz
//! target `tests/fuzz` checks exactly that). A hand-built repr that spells a known
//! value through a catch-all variant (`Status::Other(0)`, `BufferOwner::Other(1)`,
//! `TransportEvent::Unknown(0x01)`) comes back as the named variant: build reprs with
//! the named variants or the `from_*` constructors.
//!
//! # Layout
//! See the `field` table in `crq.rs`; multi-byte fields are big-endian whatever the CPU.

mod crq;
mod repr;
mod status;

pub use crq::Crq;
pub use repr::BufferOwner;
pub use repr::Capabilities;
pub use repr::CrqRepr;
pub use repr::TransportEvent;
pub use repr::VmcMessage;
pub use status::Status;

/// Size in bytes of one CRQ entry.
pub const CRQ_ENTRY_SIZE: usize = 16;

/// Length of the HMC ID that the management partition RDMAs before Interface Open.
pub const HMC_ID_LEN: usize = 32;

/// Version this driver announces in Capabilities: major 0x01, minor 0x01.
pub const PROTOCOL_VERSION: u16 = 0x0101;

/// Buffer ID meaning "no buffer".
pub const INVALID_BUFFER_ID: u16 = 0xFFFF;

/// Whether a peer's announced version can talk to us: the major bytes must be equal,
/// minor versions may differ.
pub const fn version_compatible(peer_version: u16) -> bool {
    peer_version >> 8 == PROTOCOL_VERSION >> 8
}

/// Values of the header byte (the first byte of every entry): the entry's class.
pub mod header {
    /// Slot is free; the other fifteen bytes are undefined.
    pub const EMPTY: u8 = 0x00;
    /// Valid command/response entry: a VMC message, the second byte is its type.
    pub const COMMAND_RESPONSE: u8 = 0x80;
    /// Valid initialisation entry: the second byte is an [`init_format`](super::init_format).
    pub const INITIALIZATION: u8 = 0xC0;
    /// Transport event, enqueued by the platform: the second byte is the event code.
    /// H_SEND_CRQ refuses this header; only the hypervisor (or a simulator) writes it.
    pub const TRANSPORT_EVENT: u8 = 0xFF;
}

/// Format byte values of an initialisation entry.
pub mod init_format {
    /// Initialize: "I am here", sent after registering the CRQ.
    pub const INIT: u8 = 0x01;
    /// Initialization Complete: the answer to a partner's Initialize.
    pub const INIT_COMPLETE: u8 = 0x02;
}

/// Transport event codes (second byte of a transport event entry).
pub mod transport_code {
    /// The partner partition failed.
    pub const PARTNER_FAILED: u8 = 0x01;
    /// The partner deregistered its CRQ (H_FREE_CRQ).
    pub const PARTNER_DEREGISTERED: u8 = 0x02;
    /// The partner was terminated through ibm,partner-control.
    pub const PARTNER_CONTROL_TERMINATE: u8 = 0x04;
    /// The partner was suspended or migrated; the CRQ needs H_ENABLE_CRQ.
    pub const PARTNER_SUSPENDED: u8 = 0x06;
    /// Prepare for client adapter suspend.
    pub const PREPARE_FOR_SUSPEND: u8 = 0x09;
    /// Client adapter resume.
    pub const CLIENT_RESUME: u8 = 0x0A;
}

/// VMC message types (second byte of a command/response entry). A response type is its
/// command type with the high bit set.
pub mod msg_type {
    /// VMC Capabilities (management partition to hypervisor).
    pub const CAP: u8 = 0x01;
    /// VMC Capabilities Response.
    pub const CAP_RESP: u8 = 0x81;
    /// Interface Open.
    pub const OPEN: u8 = 0x02;
    /// Interface Open Response.
    pub const OPEN_RESP: u8 = 0x82;
    /// Interface Close.
    pub const CLOSE: u8 = 0x03;
    /// Interface Close Response.
    pub const CLOSE_RESP: u8 = 0x83;
    /// Add Buffer (hypervisor to management partition).
    pub const ADD_BUF: u8 = 0x04;
    /// Add Buffer Response.
    pub const ADD_BUF_RESP: u8 = 0x84;
    /// Remove Buffer (hypervisor to management partition).
    pub const REM_BUF: u8 = 0x05;
    /// Remove Buffer Response.
    pub const REM_BUF_RESP: u8 = 0x85;
    /// Signal: an HMC message waits in a buffer. Has no response.
    pub const SIGNAL: u8 = 0x06;
}

/// Why bytes are not a CRQ entry we understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, defmt::Format)]
pub enum Error {
    /// Fewer than [`CRQ_ENTRY_SIZE`] bytes.
    Truncated,
    /// A header byte that LoPAR reserves (0x01..=0x7F, 0x81..=0xBF, 0xC1..=0xFE).
    UnknownClass(u8),
    /// A command/response entry whose VMC message type is not defined.
    UnknownType(u8),
    /// An initialisation entry whose format byte is neither Initialize nor Complete.
    UnknownInitFormat(u8),
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Error::Truncated => write!(f, "CRQ entry shorter than {CRQ_ENTRY_SIZE} bytes"),
            Error::UnknownClass(h) => write!(f, "unknown CRQ header byte {h:#04x}"),
            Error::UnknownType(t) => write!(f, "unknown VMC message type {t:#04x}"),
            Error::UnknownInitFormat(t) => write!(f, "unknown CRQ init format {t:#04x}"),
        }
    }
}

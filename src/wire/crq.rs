// SPDX-License-Identifier: GPL-2.0-or-later
//! A checked view over the bytes of one CRQ entry.

use super::Error;
use super::CRQ_ENTRY_SIZE;

/// Byte offsets of every field, read as a table. Two layouts share bytes 0..2.
///
/// ```text
///        administrative (CAP 0x01, CAP_RESP 0x81)   HMC interface (0x02..=0x06, 0x82..=0x85)
/// 0      header                                    header
/// 1      type                                      type
/// 2      status (responses; reserved otherwise)    status (responses; reserved otherwise)
/// 3      reserved                                  owner (Add Buffer; reserved otherwise)
/// 4      reserved                                  HMC session
/// 5      max HMCs                                  HMC index
/// 6..8   pool size   (be16)                        buffer ID (be16; reserved in Close,
///                                                  Close Response, Remove Buffer)
/// 8..12  MTU         (be32)                        reserved
/// 12..14 CRQ size    (be16)                        LIOBA (Add Buffer) or message length
/// 14..16 version     (be16, major.minor)           (Signal), be32; reserved otherwise
/// ```
mod field {
    /// A multi-byte field: its byte range within the entry.
    pub type Field = core::ops::Range<usize>;

    /// Class of the entry (see `wire::header`).
    pub const HEADER: usize = 0;
    /// VMC message type, init format or transport event code.
    pub const TYPE: usize = 1;
    /// Response status.
    pub const STATUS: usize = 2;

    /// Administrative layout: maximum number of HMC connections.
    pub const MAX_HMCS: usize = 5;
    /// Administrative layout: buffers per HMC connection.
    pub const POOL_SIZE: Field = 6..8;
    /// Administrative layout: largest message, in bytes.
    pub const MTU: Field = 8..12;
    /// Administrative layout: entries in the sender's CRQ.
    pub const CRQ_SIZE: Field = 12..14;
    /// Administrative layout: protocol version, high byte major.
    pub const VERSION: Field = 14..16;

    /// HMC interface layout: buffer owner (Add Buffer).
    pub const OWNER: usize = 3;
    /// HMC interface layout: session number, 1..=255.
    pub const HMC_SESSION: usize = 4;
    /// HMC interface layout: connection index.
    pub const HMC_INDEX: usize = 5;
    /// HMC interface layout: buffer ID.
    pub const BUFFER_ID: Field = 6..8;
    /// HMC interface layout: I/O bus address of the buffer (Add Buffer).
    pub const LIOBA: Field = 12..16;
    /// HMC interface layout: length of the signalled message (Signal).
    pub const MSG_LEN: Field = 12..16;
}

/// A read (and, over a mutable buffer, write) view of one CRQ entry.
///
/// # Invariants
/// The buffer holds at least [`CRQ_ENTRY_SIZE`] bytes ([`Crq::new_checked`] ensures it);
/// bytes past the sixteenth are not part of the entry and are never touched.
/// Getters and setters still go through checked slicing, so a broken invariant reads
/// zeros and writes nothing rather than panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crq<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Crq<T> {
    /// Wraps `buffer`, which must hold at least one entry.
    ///
    /// # Errors
    /// [`Error::Truncated`] if `buffer` is shorter than [`CRQ_ENTRY_SIZE`].
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        if buffer.as_ref().len() < CRQ_ENTRY_SIZE {
            return Err(Error::Truncated);
        }
        Ok(Crq { buffer })
    }

    /// Gives the buffer back.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// The sixteen bytes of the entry.
    pub fn as_bytes(&self) -> &[u8] {
        self.buffer
            .as_ref()
            .get(..CRQ_ENTRY_SIZE)
            .unwrap_or_default()
    }

    fn byte(&self, at: usize) -> u8 {
        self.buffer.as_ref().get(at).copied().unwrap_or(0)
    }

    fn array<const N: usize>(&self, field: field::Field) -> [u8; N] {
        self.buffer
            .as_ref()
            .get(field)
            .and_then(|bytes| <[u8; N]>::try_from(bytes).ok())
            .unwrap_or([0; N])
    }

    fn be16(&self, field: field::Field) -> u16 {
        u16::from_be_bytes(self.array(field))
    }

    fn be32(&self, field: field::Field) -> u32 {
        u32::from_be_bytes(self.array(field))
    }

    /// Header byte: the entry's class.
    pub fn header(&self) -> u8 {
        self.byte(field::HEADER)
    }

    /// Second byte: VMC message type, init format or transport event code.
    pub fn msg_type(&self) -> u8 {
        self.byte(field::TYPE)
    }

    /// Raw status byte of a response.
    pub fn status(&self) -> u8 {
        self.byte(field::STATUS)
    }

    /// Capabilities: maximum number of HMC connections.
    pub fn max_hmcs(&self) -> u8 {
        self.byte(field::MAX_HMCS)
    }

    /// Capabilities: buffers per HMC connection.
    pub fn pool_size(&self) -> u16 {
        self.be16(field::POOL_SIZE)
    }

    /// Capabilities: largest message in bytes.
    pub fn mtu(&self) -> u32 {
        self.be32(field::MTU)
    }

    /// Capabilities: entries in the sender's CRQ.
    pub fn crq_size(&self) -> u16 {
        self.be16(field::CRQ_SIZE)
    }

    /// Capabilities: protocol version, high byte major.
    pub fn version(&self) -> u16 {
        self.be16(field::VERSION)
    }

    /// Add Buffer: raw owner byte.
    pub fn owner(&self) -> u8 {
        self.byte(field::OWNER)
    }

    /// HMC session number.
    pub fn hmc_session(&self) -> u8 {
        self.byte(field::HMC_SESSION)
    }

    /// HMC connection index.
    pub fn hmc_index(&self) -> u8 {
        self.byte(field::HMC_INDEX)
    }

    /// Buffer ID.
    pub fn buffer_id(&self) -> u16 {
        self.be16(field::BUFFER_ID)
    }

    /// Add Buffer: I/O bus address of the buffer in the hypervisor's window.
    pub fn lioba(&self) -> u32 {
        self.be32(field::LIOBA)
    }

    /// Signal: length of the message in the buffer.
    pub fn msg_len(&self) -> u32 {
        self.be32(field::MSG_LEN)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Crq<T> {
    fn set_byte(&mut self, at: usize, value: u8) {
        if let Some(byte) = self.buffer.as_mut().get_mut(at) {
            *byte = value;
        }
    }

    fn set_array<const N: usize>(&mut self, field: field::Field, value: [u8; N]) {
        let slot = self
            .buffer
            .as_mut()
            .get_mut(field)
            .and_then(|bytes| <&mut [u8; N]>::try_from(bytes).ok());
        if let Some(slot) = slot {
            *slot = value;
        }
    }

    /// Zeroes all sixteen bytes: an empty slot with every reserved byte clear.
    pub fn clear(&mut self) {
        if let Some(entry) = self.buffer.as_mut().get_mut(..CRQ_ENTRY_SIZE) {
            entry.fill(0);
        }
    }

    /// Sets the header byte.
    pub fn set_header(&mut self, value: u8) {
        self.set_byte(field::HEADER, value);
    }

    /// Sets the second byte (type, init format or event code).
    pub fn set_msg_type(&mut self, value: u8) {
        self.set_byte(field::TYPE, value);
    }

    /// Sets the raw status byte.
    pub fn set_status(&mut self, value: u8) {
        self.set_byte(field::STATUS, value);
    }

    /// Sets the maximum number of HMC connections (capabilities).
    pub fn set_max_hmcs(&mut self, value: u8) {
        self.set_byte(field::MAX_HMCS, value);
    }

    /// Sets the pool size (capabilities).
    pub fn set_pool_size(&mut self, value: u16) {
        self.set_array(field::POOL_SIZE, value.to_be_bytes());
    }

    /// Sets the MTU (capabilities).
    pub fn set_mtu(&mut self, value: u32) {
        self.set_array(field::MTU, value.to_be_bytes());
    }

    /// Sets the CRQ size (capabilities).
    pub fn set_crq_size(&mut self, value: u16) {
        self.set_array(field::CRQ_SIZE, value.to_be_bytes());
    }

    /// Sets the protocol version (capabilities).
    pub fn set_version(&mut self, value: u16) {
        self.set_array(field::VERSION, value.to_be_bytes());
    }

    /// Sets the raw owner byte (Add Buffer).
    pub fn set_owner(&mut self, value: u8) {
        self.set_byte(field::OWNER, value);
    }

    /// Sets the HMC session number.
    pub fn set_hmc_session(&mut self, value: u8) {
        self.set_byte(field::HMC_SESSION, value);
    }

    /// Sets the HMC connection index.
    pub fn set_hmc_index(&mut self, value: u8) {
        self.set_byte(field::HMC_INDEX, value);
    }

    /// Sets the buffer ID.
    pub fn set_buffer_id(&mut self, value: u16) {
        self.set_array(field::BUFFER_ID, value.to_be_bytes());
    }

    /// Sets the buffer's I/O bus address (Add Buffer).
    pub fn set_lioba(&mut self, value: u32) {
        self.set_array(field::LIOBA, value.to_be_bytes());
    }

    /// Sets the message length (Signal).
    pub fn set_msg_len(&mut self, value: u32) {
        self.set_array(field::MSG_LEN, value.to_be_bytes());
    }
}

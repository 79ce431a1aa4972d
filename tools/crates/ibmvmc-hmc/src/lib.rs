// SPDX-License-Identifier: GPL-2.0-or-later
//! The HMC framing that management applications put on VMC messages.
//!
//! The driver moves messages as opaque bytes; the applications on either end (an HMC
//! client in the management partition, the hypervisor's command router) frame each one
//! with a 32-byte big-endian header:
//!
//! | bytes  | field                                                   |
//! |--------|---------------------------------------------------------|
//! | 0..3   | descriptor `DE CA FF`                                   |
//! | 3      | header length, 32                                       |
//! | 4..8   | total message length, header included                   |
//! | 8..12  | correlation token                                       |
//! | 12..14 | target (`0x8000` the command router, ...)               |
//! | 14     | reserved                                                |
//! | 15     | flags (`0x80` response expected, `0x40` a response)     |
//! | 16..20 | data length                                             |
//! | 20..22 | opcode                                                  |
//! | 22..24 | return code                                             |
//! | 24..32 | reserved                                                |
//!
//! then the data. A response copies the request's header with the response flag set,
//! its own lengths and the return code ([`Header::response`]).
//!
//! This crate is the one definition the simulator (which plays the hypervisor's side)
//! and the command-line client (which plays the management application's) share. It
//! has no dependencies and never allocates, so the simulator can take it into a
//! kernel module.

#![no_std]
#![forbid(unsafe_code)]

/// Length of the header.
pub const HEADER_LEN: usize = 32;
/// The descriptor that starts every framed message.
pub const DESCRIPTOR: [u8; 3] = [0xDE, 0xCA, 0xFF];

/// Target: the command router.
pub const TARGET_ROUTER: u16 = 0x8000;
/// Target: LPAR configuration.
pub const TARGET_LPAR_CONFIG: u16 = 0x8001;
/// Target: dynamic LPAR.
pub const TARGET_DLPAR: u16 = 0x8002;
/// Target: virtual service processor.
pub const TARGET_VSP: u16 = 0x8003;
/// Target: capacity upgrade on demand.
pub const TARGET_CUOD: u16 = 0x8004;
/// Target: concurrent maintenance.
pub const TARGET_CONCURRENT_MAINT: u16 = 0x8005;

/// Router opcode: exchange ops (open the command session).
pub const OP_EXCHANGE_OPS: u16 = 0x0001;
/// Router opcode: close the command session.
pub const OP_CLOSE: u16 = 0x0002;
/// Router opcode: echo.
pub const OP_ECHO: u16 = 0x0103;

/// Flag: the sender expects a response.
pub const FLAG_RESPONSE_EXPECTED: u8 = 0x80;
/// Flag: this message is a response.
pub const FLAG_RESPONSE: u8 = 0x40;

/// Return code: good.
pub const RC_GOOD: u16 = 0;
/// Return code: invalid opcode.
pub const RC_INVALID_OPCODE: u16 = 0x8001;
/// Return code: invalid data.
pub const RC_INVALID_DATA: u16 = 0x8003;
/// Return code: generic error.
pub const RC_GENERIC_ERROR: u16 = 0x8006;
/// Return code: cancelled.
pub const RC_CANCELLED: u16 = 0x8007;
/// Return code: buffer not available.
pub const RC_BUFFER_NOT_AVAILABLE: u16 = 0x8020;
/// Return code: invalid HMC index.
pub const RC_INVALID_HMC_INDEX: u16 = 0x8021;
/// Return code: invalid size.
pub const RC_INVALID_SIZE: u16 = 0x8022;
/// Return code: invalid target.
pub const RC_INVALID_TARGET: u16 = 0x8023;
/// Return code: the HMC is dead.
pub const RC_HMC_DEAD: u16 = 0x8025;
/// Return code: path closed.
pub const RC_PATH_CLOSED: u16 = 0x8026;
/// Return code: invalid state.
pub const RC_INVALID_STATE: u16 = 0x8028;
/// Return code: session mismatch.
pub const RC_SESSION_MISMATCH: u16 = 0x8029;
/// Return code: the HMC is already open.
pub const RC_HMC_ALREADY_OPEN: u16 = 0x802B;
/// Return code: invalid buffer id.
pub const RC_INVALID_BUFFER_ID: u16 = 0x802C;

/// One header, every field of it (the reserved bytes too, so that a response built from
/// a request copies them as the protocol says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Total message length, header included.
    pub total_len: u32,
    /// Correlation token.
    pub token: u32,
    /// Target.
    pub target: u16,
    /// Byte 14.
    pub reserved14: u8,
    /// Flags.
    pub flags: u8,
    /// Data length.
    pub data_len: u32,
    /// Opcode.
    pub opcode: u16,
    /// Return code (responses).
    pub rc: u16,
    /// Bytes 24..32.
    pub reserved24: [u8; 8],
}

fn be16(h: &[u8; HEADER_LEN], at: usize) -> u16 {
    u16::from_be_bytes([h[at], h[at + 1]])
}

fn be32(h: &[u8; HEADER_LEN], at: usize) -> u32 {
    u32::from_be_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]])
}

/// Whether `msg` starts with a header: long enough, the descriptor, header length 32.
/// Says nothing about the lengths inside; see [`Header::lengths_fit`].
pub fn is_framed(msg: &[u8]) -> bool {
    Header::parse(msg).is_some()
}

impl Header {
    /// A request to the command router with `data_len` bytes of data: the response
    /// expected flag set, return code and reserved bytes zero.
    pub const fn request(opcode: u16, token: u32, data_len: u32) -> Self {
        Self {
            total_len: HEADER_LEN as u32 + data_len,
            token,
            target: TARGET_ROUTER,
            reserved14: 0,
            flags: FLAG_RESPONSE_EXPECTED,
            data_len,
            opcode,
            rc: RC_GOOD,
            reserved24: [0; 8],
        }
    }

    /// The header `msg` starts with, or `None` if `msg` is not framed (shorter than
    /// the header, another descriptor, another header length).
    pub fn parse(msg: &[u8]) -> Option<Self> {
        let h: &[u8; HEADER_LEN] = msg.get(..HEADER_LEN)?.try_into().ok()?;
        if h[..3] != DESCRIPTOR || usize::from(h[3]) != HEADER_LEN {
            return None;
        }
        let mut reserved24 = [0; 8];
        reserved24.copy_from_slice(&h[24..]);
        Some(Self {
            total_len: be32(h, 4),
            token: be32(h, 8),
            target: be16(h, 12),
            reserved14: h[14],
            flags: h[15],
            data_len: be32(h, 16),
            opcode: be16(h, 20),
            rc: be16(h, 22),
            reserved24,
        })
    }

    /// The header's 32 bytes.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[..3].copy_from_slice(&DESCRIPTOR);
        h[3] = HEADER_LEN as u8;
        h[4..8].copy_from_slice(&self.total_len.to_be_bytes());
        h[8..12].copy_from_slice(&self.token.to_be_bytes());
        h[12..14].copy_from_slice(&self.target.to_be_bytes());
        h[14] = self.reserved14;
        h[15] = self.flags;
        h[16..20].copy_from_slice(&self.data_len.to_be_bytes());
        h[20..22].copy_from_slice(&self.opcode.to_be_bytes());
        h[22..24].copy_from_slice(&self.rc.to_be_bytes());
        h[24..].copy_from_slice(&self.reserved24);
        h
    }

    /// Writes the header over the start of `buf`; `false` (and `buf` untouched) if
    /// `buf` is shorter than the header.
    pub fn write(&self, buf: &mut [u8]) -> bool {
        match buf.get_mut(..HEADER_LEN) {
            Some(dst) => {
                dst.copy_from_slice(&self.encode());
                true
            }
            None => false,
        }
    }

    /// The response to this request: the same token, target, opcode and reserved
    /// bytes, the response flag set and the response-expected flag clear, return code
    /// `rc` and `data_len` bytes of data.
    pub const fn response(&self, rc: u16, data_len: u32) -> Self {
        Self {
            total_len: HEADER_LEN as u32 + data_len,
            flags: (self.flags | FLAG_RESPONSE) & !FLAG_RESPONSE_EXPECTED,
            data_len,
            rc,
            ..*self
        }
    }

    /// Whether the header says it is a response (and not one that expects another).
    pub const fn is_response(&self) -> bool {
        self.flags & FLAG_RESPONSE != 0 && self.flags & FLAG_RESPONSE_EXPECTED == 0
    }

    /// Whether the header's lengths describe a `msg_len`-byte message: the total is
    /// `msg_len` and the data is what follows the header.
    pub fn lengths_fit(&self, msg_len: usize) -> bool {
        usize::try_from(self.total_len).ok() == Some(msg_len)
            && msg_len
                .checked_sub(HEADER_LEN)
                .is_some_and(|data| usize::try_from(self.data_len).ok() == Some(data))
    }

    /// Whether `resp` answers this request: same token, target and opcode.
    pub const fn answered_by(&self, resp: &Self) -> bool {
        resp.token == self.token && resp.target == self.target && resp.opcode == self.opcode
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_layout() {
        let h = Header::request(OP_ECHO, 0x0102_0304, 3).encode();
        assert_eq!(
            h,
            [
                0xDE, 0xCA, 0xFF, 32, 0, 0, 0, 35, 1, 2, 3, 4, 0x80, 0x00, 0, 0x80, 0, 0, 0, 3,
                0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            ]
        );
    }

    #[test]
    fn parse_inverts_encode_field_by_field() {
        let h = Header {
            total_len: 0x1122_3344,
            token: 0x5566_7788,
            target: TARGET_VSP,
            reserved14: 0xA5,
            flags: 0x5A,
            data_len: 0x99AA_BBCC,
            opcode: 0xDDEE,
            rc: RC_INVALID_BUFFER_ID,
            reserved24: [1, 2, 3, 4, 5, 6, 7, 8],
        };
        assert_eq!(Header::parse(&h.encode()), Some(h));
        // Every byte of the encoding lands in exactly one field.
        let base = h.encode();
        for i in 4..HEADER_LEN {
            let mut b = base;
            b[i] ^= 0xFF;
            assert_ne!(Header::parse(&b), Some(h), "byte {i} is not parsed");
            assert_eq!(Header::parse(&b).map(|p| p.encode()), Some(b), "byte {i}");
        }
    }

    #[test]
    fn unframed_is_none() {
        let good = Header::request(OP_CLOSE, 1, 0).encode();
        assert!(is_framed(&good));
        assert!(!is_framed(&good[..HEADER_LEN - 1]));
        assert!(!is_framed(&[]));
        for (at, v) in [(0, 0xDF), (1, 0xCB), (2, 0xFE), (3, 31), (3, 33)] {
            let mut m = good;
            m[at] = v;
            assert!(Header::parse(&m).is_none(), "byte {at} = {v:#x}");
        }
        assert!(!is_framed(&[0u8; 64]));
    }

    #[test]
    fn write_needs_room() {
        let h = Header::request(OP_ECHO, 9, 0);
        let mut short = [0x55u8; HEADER_LEN - 1];
        assert!(!h.write(&mut short));
        assert_eq!(short, [0x55; HEADER_LEN - 1]);
        let mut buf = [0x55u8; HEADER_LEN + 2];
        assert!(h.write(&mut buf));
        assert_eq!(buf[..HEADER_LEN], h.encode());
        assert_eq!(buf[HEADER_LEN..], [0x55, 0x55]);
    }

    #[test]
    fn response_copies_the_request() {
        let mut q = Header::request(OP_ECHO, 77, 10);
        q.reserved14 = 3;
        q.reserved24 = [9; 8];
        q.flags |= 0x01;
        let r = q.response(RC_INVALID_SIZE, 4);
        assert!(q.answered_by(&r));
        assert!(r.is_response() && !q.is_response());
        assert_eq!(r.flags, 0x41);
        assert_eq!((r.total_len, r.data_len, r.rc), (36, 4, RC_INVALID_SIZE));
        assert_eq!((r.reserved14, r.reserved24), (3, [9; 8]));
        let mut other = r;
        other.token ^= 1;
        assert!(!q.answered_by(&other));
    }

    #[test]
    fn lengths_fit_only_the_message_described() {
        let h = Header::request(OP_ECHO, 1, 5);
        assert!(h.lengths_fit(37));
        assert!(!h.lengths_fit(36) && !h.lengths_fit(38) && !h.lengths_fit(0));
        let mut bad = h;
        bad.data_len = 4;
        assert!(!bad.lengths_fit(37), "total fits, data does not");
        let mut bad = h;
        bad.total_len = 36;
        assert!(!bad.lengths_fit(37) && !bad.lengths_fit(36));
        // A total below the header length never fits (no underflow).
        let mut tiny = h;
        tiny.total_len = 3;
        tiny.data_len = u32::MAX;
        assert!(!tiny.lengths_fit(3));
    }
}

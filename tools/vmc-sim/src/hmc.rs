// SPDX-License-Identifier: GPL-2.0-or-later
//! The hypervisor's HMC service: what it answers to a message in one of its buffers.
//!
//! A message that starts with the 32-byte HMC header (`DE CA FF`, header length 32)
//! goes to the command router; anything else is echoed byte for byte. The answer is
//! written over the request, in the same buffer.

use crate::SimStats;

/// Length of the HMC header.
pub const HEADER_LEN: usize = 32;
/// The descriptor that starts every HMC-framed message.
pub const DESCRIPTOR: [u8; 3] = [0xDE, 0xCA, 0xFF];
/// Target of the command router.
pub const TARGET_ROUTER: u16 = 0x8000;
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
/// Return code: invalid data (the lengths in the header disagree with the message).
pub const RC_INVALID_DATA: u16 = 0x8003;
/// Return code: invalid size (no room for the response data).
pub const RC_INVALID_SIZE: u16 = 0x8022;
/// Return code: invalid target (only the command router is modelled).
pub const RC_INVALID_TARGET: u16 = 0x8023;
/// The data of the exchange-ops response: a bitmap of the router opcodes the
/// simulated hypervisor serves, bit 0 exchange ops, bit 1 close, bit 2 echo.
pub const EXCHANGE_OPS_DATA: [u8; 4] = [0x00, 0x00, 0x00, 0x07];

fn be16(bytes: &[u8], at: usize) -> u16 {
    match bytes.get(at..at + 2) {
        Some(&[a, b]) => u16::from_be_bytes([a, b]),
        _ => 0,
    }
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    match bytes.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_be_bytes([a, b, c, d]),
        _ => 0,
    }
}

fn put(bytes: &mut [u8], at: usize, value: &[u8]) {
    if let Some(dst) = bytes.get_mut(at..at + value.len()) {
        dst.copy_from_slice(value);
    }
}

/// Whether `msg` is HMC-framed.
pub fn is_framed(msg: &[u8]) -> bool {
    msg.len() >= HEADER_LEN
        && msg.get(..3) == Some(&DESCRIPTOR[..])
        && msg.get(3) == Some(&(HEADER_LEN as u8))
}

/// Answers the `len`-byte message at the start of `buf` in place and returns the
/// answer's length. `mtu` bounds the answer.
pub(crate) fn serve(buf: &mut [u8], len: usize, mtu: usize, stats: &mut SimStats) -> usize {
    let framed = buf.get(..len).is_some_and(is_framed);
    if !framed {
        stats.raw_echoes += 1;
        return len;
    }
    let total = be32(buf, 4) as usize;
    let data_len = be32(buf, 16) as usize;
    let target = be16(buf, 12);
    let opcode = be16(buf, 20);
    let (rc, out_len) = if total != len || data_len != len - HEADER_LEN {
        (RC_INVALID_DATA, 0)
    } else if target != TARGET_ROUTER {
        (RC_INVALID_TARGET, 0)
    } else {
        match opcode {
            OP_EXCHANGE_OPS => {
                if HEADER_LEN + EXCHANGE_OPS_DATA.len() <= mtu.min(buf.len()) {
                    put(buf, HEADER_LEN, &EXCHANGE_OPS_DATA);
                    stats.exchange_ops += 1;
                    (RC_GOOD, EXCHANGE_OPS_DATA.len())
                } else {
                    (RC_INVALID_SIZE, 0)
                }
            }
            OP_CLOSE => {
                stats.hmc_closes += 1;
                (RC_GOOD, 0)
            }
            OP_ECHO => {
                stats.echoes += 1;
                (RC_GOOD, data_len)
            }
            _ => (RC_INVALID_OPCODE, 0),
        }
    };
    let flags = buf.get(15).copied().unwrap_or(0);
    put(
        buf,
        15,
        &[(flags | FLAG_RESPONSE) & !FLAG_RESPONSE_EXPECTED],
    );
    put(buf, 4, &((HEADER_LEN + out_len) as u32).to_be_bytes());
    put(buf, 16, &(out_len as u32).to_be_bytes());
    put(buf, 22, &rc.to_be_bytes());
    HEADER_LEN + out_len
}

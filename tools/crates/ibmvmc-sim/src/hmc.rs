// SPDX-License-Identifier: GPL-2.0-or-later
//! The hypervisor's HMC service: what it answers to a message in one of its buffers.
//!
//! A message that starts with the 32-byte HMC header ([`ibmvmc_hmc`]) goes to the
//! command router; anything else is echoed byte for byte. The answer is
//! written over the request, in the same buffer.

use crate::SimStats;
use ibmvmc_hmc::{
    Header, HEADER_LEN, OP_CLOSE, OP_ECHO, OP_EXCHANGE_OPS, RC_GOOD, RC_INVALID_DATA,
    RC_INVALID_OPCODE, RC_INVALID_SIZE, RC_INVALID_TARGET, TARGET_ROUTER,
};

/// The data of the exchange-ops response: a bitmap of the router opcodes the
/// simulated hypervisor serves, bit 0 exchange ops, bit 1 close, bit 2 echo.
pub const EXCHANGE_OPS_DATA: [u8; 4] = [0x00, 0x00, 0x00, 0x07];

/// Answers the `len`-byte message at the start of `buf` in place and returns the
/// answer's length. `mtu` bounds the answer.
pub(crate) fn serve(buf: &mut [u8], len: usize, mtu: usize, stats: &mut SimStats) -> usize {
    let Some(req) = buf.get(..len).and_then(Header::parse) else {
        stats.raw_echoes += 1;
        return len;
    };
    let (rc, out_len) = if !req.lengths_fit(len) {
        (RC_INVALID_DATA, 0)
    } else if req.target != TARGET_ROUTER {
        (RC_INVALID_TARGET, 0)
    } else {
        match req.opcode {
            OP_EXCHANGE_OPS => {
                let end = HEADER_LEN + EXCHANGE_OPS_DATA.len();
                match buf.get_mut(HEADER_LEN..end) {
                    Some(data) if end <= mtu => {
                        data.copy_from_slice(&EXCHANGE_OPS_DATA);
                        stats.exchange_ops += 1;
                        (RC_GOOD, EXCHANGE_OPS_DATA.len())
                    }
                    _ => (RC_INVALID_SIZE, 0),
                }
            }
            OP_CLOSE => {
                stats.hmc_closes += 1;
                (RC_GOOD, 0)
            }
            OP_ECHO => {
                stats.echoes += 1;
                (RC_GOOD, len - HEADER_LEN)
            }
            _ => (RC_INVALID_OPCODE, 0),
        }
    };
    // `out_len` is at most the MTU (a `u32` in the protocol), and `buf` holds the header.
    let resp = req.response(rc, out_len as u32);
    resp.write(buf);
    HEADER_LEN + out_len
}

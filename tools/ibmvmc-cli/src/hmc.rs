// SPDX-License-Identifier: GPL-2.0-or-later
//! The HMC protocol's 32-byte big-endian header, as management applications frame their
//! messages over VMC (the driver itself treats messages as opaque bytes).

// The header's constants are the simulator's (tools/vmc-sim/src/hmc.rs), which is the
// HMC peer the CLI talks to in tests: one definition for both sides.
/// What the simulated hypervisor answers to exchange ops: the opcodes it serves.
pub use ibmvmc_sim::hmc::EXCHANGE_OPS_DATA as SIM_EXCHANGE_OPS_DATA;
pub use ibmvmc_sim::hmc::{
    DESCRIPTOR, FLAG_RESPONSE, FLAG_RESPONSE_EXPECTED, HEADER_LEN, OP_CLOSE, OP_ECHO,
    OP_EXCHANGE_OPS, TARGET_ROUTER,
};

/// A parsed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Total message length, header included.
    pub total_len: u32,
    /// Correlation token.
    pub token: u32,
    /// Target.
    pub target: u16,
    /// Flags.
    pub flags: u8,
    /// Data length.
    pub data_len: u32,
    /// Opcode.
    pub opcode: u16,
    /// Return code (responses).
    pub rc: u16,
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// A request to the command router: header plus `data`.
pub fn request(opcode: u16, token: u32, data: &[u8]) -> Vec<u8> {
    let mut m = vec![0u8; HEADER_LEN + data.len()];
    m[..3].copy_from_slice(&DESCRIPTOR);
    m[3] = HEADER_LEN as u8;
    m[4..8].copy_from_slice(&((HEADER_LEN + data.len()) as u32).to_be_bytes());
    m[8..12].copy_from_slice(&token.to_be_bytes());
    m[12..14].copy_from_slice(&TARGET_ROUTER.to_be_bytes());
    m[15] = FLAG_RESPONSE_EXPECTED;
    m[16..20].copy_from_slice(&(data.len() as u32).to_be_bytes());
    m[20..22].copy_from_slice(&opcode.to_be_bytes());
    m[HEADER_LEN..].copy_from_slice(data);
    m
}

/// The header of `msg`, if it is HMC-framed.
pub fn parse(msg: &[u8]) -> Option<Header> {
    if msg.len() < HEADER_LEN || msg[..3] != DESCRIPTOR || msg[3] as usize != HEADER_LEN {
        return None;
    }
    Some(Header {
        total_len: be32(msg, 4),
        token: be32(msg, 8),
        target: be16(msg, 12),
        flags: msg[15],
        data_len: be32(msg, 16),
        opcode: be16(msg, 20),
        rc: be16(msg, 22),
    })
}

/// Checks that `resp` is the good answer to `req` carrying `want_data`; else says why.
pub fn check_response(req: &[u8], resp: &[u8], want_data: &[u8]) -> Result<(), String> {
    let q = parse(req).ok_or("the request is not HMC-framed")?;
    let r = parse(resp).ok_or("the response is not HMC-framed")?;
    if r.total_len as usize != resp.len() || r.data_len as usize != resp.len() - HEADER_LEN {
        return Err(format!(
            "lengths: total {} data {} for a {}-byte message",
            r.total_len,
            r.data_len,
            resp.len()
        ));
    }
    if (r.token, r.target, r.opcode) != (q.token, q.target, q.opcode) {
        return Err("token, target or opcode changed".into());
    }
    if r.flags & FLAG_RESPONSE == 0 || r.flags & FLAG_RESPONSE_EXPECTED != 0 {
        return Err(format!("flags 0x{:02x} are not a response's", r.flags));
    }
    if r.rc != 0 {
        return Err(format!("return code 0x{:04x}", r.rc));
    }
    if &resp[HEADER_LEN..] != want_data {
        return Err(format!(
            "data differs ({} bytes, want {})",
            resp.len() - HEADER_LEN,
            want_data.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the simulator (tools/vmc-sim/src/hmc.rs) does to a request.
    fn answer(req: &[u8], data: &[u8]) -> Vec<u8> {
        let mut r = req[..HEADER_LEN].to_vec();
        r.extend_from_slice(data);
        r[15] = (r[15] | FLAG_RESPONSE) & !FLAG_RESPONSE_EXPECTED;
        let total = r.len() as u32;
        r[4..8].copy_from_slice(&total.to_be_bytes());
        r[16..20].copy_from_slice(&(data.len() as u32).to_be_bytes());
        r
    }

    #[test]
    fn request_layout() {
        let m = request(OP_ECHO, 0x0102_0304, &[9, 8, 7]);
        assert_eq!(m.len(), 35);
        assert_eq!(&m[..4], &[0xDE, 0xCA, 0xFF, 32]);
        assert_eq!(&m[4..8], &[0, 0, 0, 35]);
        assert_eq!(&m[8..12], &[1, 2, 3, 4]);
        assert_eq!(&m[12..14], &[0x80, 0x00]);
        assert_eq!(m[15], 0x80);
        assert_eq!(&m[16..20], &[0, 0, 0, 3]);
        assert_eq!(&m[20..24], &[0x01, 0x03, 0, 0]);
        assert_eq!(&m[32..], &[9, 8, 7]);
        let h = parse(&m).unwrap();
        assert_eq!(
            (h.total_len, h.token, h.target, h.data_len, h.opcode),
            (35, 0x0102_0304, 0x8000, 3, OP_ECHO)
        );
    }

    #[test]
    fn unframed_is_not_parsed() {
        assert!(parse(&[0xDE, 0xCA, 0xFF, 32]).is_none());
        let mut m = request(OP_CLOSE, 1, &[]);
        m[3] = 31;
        assert!(parse(&m).is_none());
        assert!(parse(&[0u8; 64]).is_none());
    }

    #[test]
    fn good_responses_pass() {
        let ex = request(OP_EXCHANGE_OPS, 5, &[]);
        assert_eq!(
            check_response(
                &ex,
                &answer(&ex, &SIM_EXCHANGE_OPS_DATA),
                &SIM_EXCHANGE_OPS_DATA
            ),
            Ok(())
        );
        let echo = request(OP_ECHO, 6, b"hello");
        assert_eq!(
            check_response(&echo, &answer(&echo, b"hello"), b"hello"),
            Ok(())
        );
    }

    #[test]
    fn bad_responses_fail() {
        let echo = request(OP_ECHO, 6, b"hello");
        assert!(
            check_response(&echo, &echo, b"hello").is_err(),
            "a request is no response"
        );
        let mut r = answer(&echo, b"hello");
        r[23] = 1;
        assert!(check_response(&echo, &r, b"hello")
            .unwrap_err()
            .contains("return code"));
        let mut r = answer(&echo, b"hello");
        r[9] ^= 1;
        assert!(check_response(&echo, &r, b"hello").is_err());
        let r = answer(&echo, b"hellO");
        assert!(check_response(&echo, &r, b"hello")
            .unwrap_err()
            .contains("data differs"));
        let r = answer(&echo, b"hello");
        assert!(check_response(&echo, &r[..r.len() - 1], b"hell")
            .unwrap_err()
            .contains("lengths"));
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! The HMC protocol's 32-byte big-endian header, as management applications frame their
//! messages over VMC (the driver itself treats messages as opaque bytes).

// The framing is the ibmvmc-hmc crate's, which the simulator (the HMC peer in tests)
// uses too: one definition for both sides.
pub use ibmvmc_hmc::{Header, HEADER_LEN, OP_CLOSE, OP_ECHO, OP_EXCHANGE_OPS};

/// A request to the command router: header plus `data`.
pub fn request(opcode: u16, token: u32, data: &[u8]) -> Result<Vec<u8>, String> {
    let len = u32::try_from(data.len()).map_err(|_| "data too long for the header")?;
    let mut m = Header::request(opcode, token, len).encode().to_vec();
    m.extend_from_slice(data);
    Ok(m)
}

/// The header of `msg`, if it is HMC-framed.
pub fn parse(msg: &[u8]) -> Option<Header> {
    Header::parse(msg)
}

/// Checks that `resp` is the good answer to `req` and returns its data; with
/// `want_data`, the data must be exactly that. Else says why.
pub fn check_response<'a>(
    req: &[u8],
    resp: &'a [u8],
    want_data: Option<&[u8]>,
) -> Result<&'a [u8], String> {
    let q = parse(req).ok_or("the request is not HMC-framed")?;
    let r = parse(resp).ok_or("the response is not HMC-framed")?;
    if !r.lengths_fit(resp.len()) {
        return Err(format!(
            "lengths: total {} data {} for a {}-byte message",
            r.total_len,
            r.data_len,
            resp.len()
        ));
    }
    if !q.answered_by(&r) {
        return Err("token, target or opcode changed".into());
    }
    if !r.is_response() {
        return Err(format!("flags 0x{:02x} are not a response's", r.flags));
    }
    if r.rc != 0 {
        return Err(format!("return code 0x{:04x}", r.rc));
    }
    let data = &resp[HEADER_LEN..];
    match want_data {
        Some(want) if data != want => Err(format!(
            "data differs ({} bytes, want {})",
            data.len(),
            want.len()
        )),
        _ => Ok(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ibmvmc_hmc::{FLAG_RESPONSE, FLAG_RESPONSE_EXPECTED};

    /// What a command router does to a request, built by hand from the layout.
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
        let m = request(OP_ECHO, 0x0102_0304, &[9, 8, 7]).unwrap();
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
        let mut m = request(OP_CLOSE, 1, &[]).unwrap();
        m[3] = 31;
        assert!(parse(&m).is_none());
        assert!(parse(&[0u8; 64]).is_none());
    }

    #[test]
    fn good_responses_pass() {
        let ex = request(OP_EXCHANGE_OPS, 5, &[]).unwrap();
        let ops = [0, 0, 0, 7];
        let resp = answer(&ex, &ops);
        assert_eq!(check_response(&ex, &resp, None), Ok(&ops[..]));
        assert_eq!(check_response(&ex, &resp, Some(&ops)), Ok(&ops[..]));
        let echo = request(OP_ECHO, 6, b"hello").unwrap();
        let resp = answer(&echo, b"hello");
        assert_eq!(
            check_response(&echo, &resp, Some(b"hello")),
            Ok(&b"hello"[..])
        );
    }

    #[test]
    fn bad_responses_fail() {
        let echo = request(OP_ECHO, 6, b"hello").unwrap();
        let want = Some(&b"hello"[..]);
        assert!(
            check_response(&echo, &echo, want).is_err(),
            "a request is no response"
        );
        let mut r = answer(&echo, b"hello");
        r[23] = 1;
        assert!(check_response(&echo, &r, None)
            .unwrap_err()
            .contains("return code"));
        let mut r = answer(&echo, b"hello");
        r[9] ^= 1;
        assert!(check_response(&echo, &r, None)
            .unwrap_err()
            .contains("token"));
        let r = answer(&echo, b"hellO");
        assert!(check_response(&echo, &r, want)
            .unwrap_err()
            .contains("data differs"));
        assert!(check_response(&echo, &r, None).is_ok());
        let r = answer(&echo, b"hello");
        assert!(check_response(&echo, &r[..r.len() - 1], None)
            .unwrap_err()
            .contains("lengths"));
    }
}

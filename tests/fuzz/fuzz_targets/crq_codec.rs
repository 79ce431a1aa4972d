// SPDX-License-Identifier: GPL-2.0-or-later
//! Fuzz target for the CRQ codec (`ibmvmc::wire`).
//!
//! For any input:
//! - every prefix shorter than an entry is refused by `Crq::new_checked` with
//!   `Error::Truncated` (so `parse` can never see it), without panicking;
//! - `CrqRepr::parse` of the whole input never panics, and agrees with `from_bytes` and
//!   `from_words` on the first sixteen bytes, errors included;
//! - a parsed repr survives `emit` + `parse` unchanged (the module's invariant: reserved
//!   bytes may change, the repr may not), the emitted bytes are a fixed point of
//!   parse + emit, `to_bytes` and `to_words` agree with `emit`, and `from_words(to_words)`
//!   gives the repr back;
//! - `emit` into a dirty buffer longer than an entry writes the same sixteen bytes and
//!   never touches the bytes past them.
//!
//! Run it with tools/check/fuzz.sh.

#![no_main]

use ibmvmc::wire::header;
use ibmvmc::wire::init_format;
use ibmvmc::wire::Crq;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Error;
use ibmvmc::wire::CRQ_ENTRY_SIZE;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check(data));

fn check(data: &[u8]) {
    // Short inputs: every prefix shorter than an entry must be an error, not a panic.
    for len in 0..=data.len().min(CRQ_ENTRY_SIZE - 1) {
        let short = &data[..len];
        let parsed = Crq::new_checked(short).and_then(|crq| CrqRepr::parse(&crq));
        assert_eq!(parsed, Err(Error::Truncated), "{len}-byte input accepted");
    }

    let crq = match Crq::new_checked(data) {
        Ok(crq) => crq,
        Err(error) => {
            assert!(
                data.len() < CRQ_ENTRY_SIZE,
                "{}-byte input refused",
                data.len()
            );
            assert_eq!(error, Error::Truncated);
            return;
        }
    };
    let first: [u8; CRQ_ENTRY_SIZE] = data[..CRQ_ENTRY_SIZE].try_into().unwrap();
    assert_eq!(crq.as_bytes(), &first[..]);

    let parsed = CrqRepr::parse(&crq);
    // The other entry points agree with parse, errors included.
    assert_eq!(CrqRepr::from_bytes(&first), parsed);
    assert_eq!(CrqRepr::from_words(words_of(&first)), parsed);

    let repr = match parsed {
        Ok(repr) => repr,
        Err(error) => {
            check_error(error, &first);
            return;
        }
    };

    // emit into a fresh buffer, parse again: same repr.
    let mut emitted = [0u8; CRQ_ENTRY_SIZE];
    repr.emit(&mut Crq::new_checked(&mut emitted[..]).unwrap());
    let reparsed = CrqRepr::parse(&Crq::new_checked(&emitted[..]).unwrap());
    assert_eq!(
        reparsed,
        Ok(repr),
        "emit/parse changed the repr; emitted {emitted:02x?}"
    );
    assert_eq!(
        emitted[0], first[0],
        "header byte changed by the round trip"
    );

    // The emitted bytes are canonical: parse + emit gives them back exactly.
    assert_eq!(
        reparsed.unwrap().to_bytes(),
        emitted,
        "emit not a fixed point"
    );
    assert_eq!(repr.to_bytes(), emitted, "to_bytes differs from emit");

    // Words: to_words is the big-endian split of the bytes, from_words inverts it.
    let words = repr.to_words();
    assert_eq!(words, words_of(&emitted), "to_words differs from the bytes");
    assert_eq!(
        CrqRepr::from_words(words),
        Ok(repr),
        "from_words(to_words) changed the repr"
    );

    // emit over a dirty, longer buffer: same sixteen bytes, the tail untouched.
    let mut dirty = data.to_vec();
    repr.emit(&mut Crq::new_checked(&mut dirty[..]).unwrap());
    assert_eq!(
        dirty[..CRQ_ENTRY_SIZE],
        emitted,
        "emit depends on the old bytes"
    );
    assert_eq!(
        dirty[CRQ_ENTRY_SIZE..],
        data[CRQ_ENTRY_SIZE..],
        "emit wrote past the entry"
    );
}

/// The error names the byte that caused it, and only a reserved class is refused.
fn check_error(error: Error, bytes: &[u8; CRQ_ENTRY_SIZE]) {
    match error {
        Error::Truncated => panic!("16-byte entry reported truncated"),
        Error::UnknownClass(h) => {
            assert_eq!(h, bytes[0]);
            assert!(!matches!(
                h,
                header::EMPTY
                    | header::COMMAND_RESPONSE
                    | header::INITIALIZATION
                    | header::TRANSPORT_EVENT
            ));
        }
        Error::UnknownType(t) => {
            assert_eq!(bytes[0], header::COMMAND_RESPONSE);
            assert_eq!(t, bytes[1]);
        }
        Error::UnknownInitFormat(f) => {
            assert_eq!(bytes[0], header::INITIALIZATION);
            assert_eq!(f, bytes[1]);
            assert!(f != init_format::INIT && f != init_format::INIT_COMPLETE);
        }
    }
}

fn words_of(bytes: &[u8; CRQ_ENTRY_SIZE]) -> [u64; 2] {
    let high = u64::from_be_bytes(bytes[..8].try_into().unwrap());
    let low = u64::from_be_bytes(bytes[8..].try_into().unwrap());
    [high, low]
}

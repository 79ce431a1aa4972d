// SPDX-License-Identifier: GPL-2.0-or-later
//! Host tests of the CRQ codec: known byte layouts written by hand from LoPAR and
//! `ibmvmc.h`, round trips, every header and type byte, truncation, and a no-panic sweep.

use ibmvmc::wire::header;
use ibmvmc::wire::msg_type;
use ibmvmc::wire::version_compatible;
use ibmvmc::wire::BufferOwner;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::Crq;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Error;
use ibmvmc::wire::Status;
use ibmvmc::wire::TransportEvent;
use ibmvmc::wire::VmcMessage;
use ibmvmc::wire::CRQ_ENTRY_SIZE;
use ibmvmc::wire::HMC_ID_LEN;
use ibmvmc::wire::INVALID_BUFFER_ID;
use ibmvmc::wire::PROTOCOL_VERSION;

/// Checks both directions against bytes written from the reference layout.
fn check_known(repr: CrqRepr, bytes: [u8; 16]) {
    assert_eq!(repr.to_bytes(), bytes, "emit of {repr:?}");
    assert_eq!(
        CrqRepr::from_bytes(&bytes),
        Ok(repr),
        "parse of {bytes:02x?}"
    );
}

fn round_trip(repr: CrqRepr) {
    let bytes = repr.to_bytes();
    assert_eq!(CrqRepr::from_bytes(&bytes), Ok(repr), "bytes {bytes:02x?}");
    assert_eq!(CrqRepr::from_words(repr.to_words()), Ok(repr));
}

const CAPS: Capabilities = Capabilities {
    max_hmcs: 0x02,
    pool_size: 0x0040,
    mtu: 0x0000_4000,
    crq_size: 0x0100,
    version: 0x0101,
};

// ---- known layouts -------------------------------------------------------------------

#[test]
fn constants() {
    assert_eq!(CRQ_ENTRY_SIZE, 16);
    assert_eq!(HMC_ID_LEN, 32);
    assert_eq!(PROTOCOL_VERSION, 0x0101);
    assert_eq!(INVALID_BUFFER_ID, 0xFFFF);
    assert!(version_compatible(0x0101));
    assert!(version_compatible(0x01FF));
    assert!(!version_compatible(0x0201));
    assert!(!version_compatible(0x0001));
}

#[test]
fn empty_init_and_init_complete() {
    check_known(CrqRepr::Empty, [0; 16]);
    check_known(
        CrqRepr::Init,
        [0xC0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    check_known(
        CrqRepr::InitComplete,
        [0xC0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
}

#[test]
fn transport_events() {
    let known = [
        (TransportEvent::PartnerFailed, 0x01),
        (TransportEvent::PartnerDeregistered, 0x02),
        (TransportEvent::PartnerControlTerminate, 0x04),
        (TransportEvent::PartnerSuspended, 0x06),
        (TransportEvent::PrepareForSuspend, 0x09),
        (TransportEvent::ClientResume, 0x0A),
        (TransportEvent::Unknown(0x03), 0x03),
        (TransportEvent::Unknown(0x00), 0x00),
        (TransportEvent::Unknown(0xFF), 0xFF),
    ];
    for (event, code) in known {
        let mut bytes = [0u8; 16];
        bytes[0] = 0xFF;
        bytes[1] = code;
        check_known(CrqRepr::Transport(event), bytes);
    }
}

#[test]
fn capabilities() {
    check_known(
        CrqRepr::Vmc(VmcMessage::Capabilities(CAPS)),
        [
            0x80, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x40, 0x00, 0x00, 0x40, 0x00, 0x01, 0x00,
            0x01, 0x01,
        ],
    );
    // Every byte distinct, so a swapped or mis-sized field cannot hide.
    check_known(
        CrqRepr::Vmc(VmcMessage::Capabilities(Capabilities {
            max_hmcs: 0x15,
            pool_size: 0x1617,
            mtu: 0x1819_1A1B,
            crq_size: 0x1C1D,
            version: 0x1E1F,
        })),
        [
            0x80, 0x01, 0x00, 0x00, 0x00, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D,
            0x1E, 0x1F,
        ],
    );
}

#[test]
fn capabilities_response() {
    check_known(
        CrqRepr::Vmc(VmcMessage::CapabilitiesResponse {
            status: Status::Other(0x12),
            capabilities: Capabilities {
                max_hmcs: 0x15,
                pool_size: 0x1617,
                mtu: 0x1819_1A1B,
                crq_size: 0x1C1D,
                version: 0x1E1F,
            },
        }),
        [
            0x80, 0x81, 0x12, 0x00, 0x00, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D,
            0x1E, 0x1F,
        ],
    );
}

#[test]
fn interface_open_and_response() {
    check_known(
        CrqRepr::Vmc(VmcMessage::InterfaceOpen {
            hmc_session: 0x24,
            hmc_index: 0x25,
            buffer_id: 0x2627,
        }),
        [
            0x80, 0x02, 0x00, 0x00, 0x24, 0x25, 0x26, 0x27, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
    check_known(
        CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse {
            status: Status::InterfaceFailure,
            hmc_session: 0x24,
            hmc_index: 0x25,
            buffer_id: 0x2627,
        }),
        [
            0x80, 0x82, 0x04, 0x00, 0x24, 0x25, 0x26, 0x27, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
}

#[test]
fn interface_close_and_response() {
    check_known(
        CrqRepr::Vmc(VmcMessage::InterfaceClose {
            hmc_session: 0xFF,
            hmc_index: 0x01,
        }),
        [0x80, 0x03, 0, 0, 0xFF, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    check_known(
        CrqRepr::Vmc(VmcMessage::InterfaceCloseResponse {
            status: Status::ClosedHmc,
            hmc_session: 0xFF,
            hmc_index: 0x01,
        }),
        [
            0x80, 0x83, 0x03, 0, 0xFF, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
}

#[test]
fn add_buffer_and_response() {
    check_known(
        CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session: 0x34,
            hmc_index: 0x35,
            buffer_id: 0x3637,
            owner: BufferOwner::Hypervisor,
            lioba: 0x3C3D_3E3F,
        }),
        [
            0x80, 0x04, 0x00, 0x01, 0x34, 0x35, 0x36, 0x37, 0, 0, 0, 0, 0x3C, 0x3D, 0x3E, 0x3F,
        ],
    );
    check_known(
        CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0,
            owner: BufferOwner::ManagementPartition,
            lioba: 0x0000_1000,
        }),
        [
            0x80, 0x04, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00,
        ],
    );
    check_known(
        CrqRepr::Vmc(VmcMessage::AddBufferResponse {
            status: Status::InvalidBufferId,
            hmc_session: 0x34,
            hmc_index: 0x35,
            buffer_id: 0x3637,
        }),
        [
            0x80, 0x84, 0x02, 0x00, 0x34, 0x35, 0x36, 0x37, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
}

#[test]
fn remove_buffer_and_response() {
    check_known(
        CrqRepr::Vmc(VmcMessage::RemoveBuffer {
            hmc_session: 0x44,
            hmc_index: 0x45,
        }),
        [0x80, 0x05, 0, 0, 0x44, 0x45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    check_known(
        CrqRepr::Vmc(VmcMessage::RemoveBufferResponse {
            status: Status::NoBuffer,
            hmc_session: 0x44,
            hmc_index: 0x45,
            buffer_id: INVALID_BUFFER_ID,
        }),
        [
            0x80, 0x85, 0x05, 0, 0x44, 0x45, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
}

#[test]
fn signal() {
    check_known(
        CrqRepr::Vmc(VmcMessage::Signal {
            hmc_session: 0x54,
            hmc_index: 0x55,
            buffer_id: 0x5657,
            msg_len: 0x5C5D_5E5F,
        }),
        [
            0x80, 0x06, 0, 0, 0x54, 0x55, 0x56, 0x57, 0, 0, 0, 0, 0x5C, 0x5D, 0x5E, 0x5F,
        ],
    );
}

#[test]
fn words_put_the_header_in_the_top_byte() {
    let words = CrqRepr::Init.to_words();
    assert_eq!(words, [0xC001_0000_0000_0000, 0]);
    let signal = CrqRepr::Vmc(VmcMessage::Signal {
        hmc_session: 1,
        hmc_index: 0,
        buffer_id: 3,
        msg_len: 0x0102_0304,
    });
    assert_eq!(
        signal.to_words(),
        [0x8006_0000_0100_0003, 0x0000_0000_0102_0304]
    );
}

// ---- leniency on reserved bytes ------------------------------------------------------

#[test]
fn reserved_bytes_are_ignored_on_receive() {
    // Close with every reserved byte set: same meaning as with them clear.
    let noisy = [
        0x80, 0x03, 0xAA, 0xBB, 0x07, 0x01, 0xCC, 0xDD, 0xEE, 0xEE, 0xEE, 0xEE, 0x11, 0x22, 0x33,
        0x44,
    ];
    let close = CrqRepr::Vmc(VmcMessage::InterfaceClose {
        hmc_session: 7,
        hmc_index: 1,
    });
    assert_eq!(CrqRepr::from_bytes(&noisy), Ok(close));
    assert_eq!(
        close.to_bytes(),
        [0x80, 0x03, 0, 0, 0x07, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    );

    // An empty slot is empty whatever follows the header.
    let mut stale = [0x5Au8; 16];
    stale[0] = 0;
    assert_eq!(CrqRepr::from_bytes(&stale), Ok(CrqRepr::Empty));

    // Transport events: bytes 2..16 unspecified.
    let mut event = [0x77u8; 16];
    event[0] = 0xFF;
    event[1] = 0x06;
    assert_eq!(
        CrqRepr::from_bytes(&event),
        Ok(CrqRepr::Transport(TransportEvent::PartnerSuspended))
    );
}

#[test]
fn unknown_owner_is_kept_raw() {
    let bytes = [
        0x80, 0x04, 0, 0x02, 0x01, 0x00, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0x20, 0x00,
    ];
    check_known(
        CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 5,
            owner: BufferOwner::Other(2),
            lioba: 0x2000,
        }),
        bytes,
    );
}

// ---- status and owner tables ---------------------------------------------------------

#[test]
fn status_table_is_the_c_drivers() {
    let table = [
        (0, Status::Success),
        (1, Status::InvalidHmcIndex),
        (2, Status::InvalidBufferId),
        (3, Status::ClosedHmc),
        (4, Status::InterfaceFailure),
        (5, Status::NoBuffer),
    ];
    for (value, status) in table {
        assert_eq!(Status::from_u8(value), status);
        assert_eq!(status.to_u8(), value);
    }
    for value in 6..=255u8 {
        assert_eq!(Status::from_u8(value), Status::Other(value));
        assert_eq!(Status::from_u8(value).to_u8(), value);
    }
    assert!(Status::Success.is_success());
    assert!(!Status::NoBuffer.is_success());
}

#[test]
fn owner_and_event_tables_round_trip() {
    for value in 0..=255u8 {
        assert_eq!(BufferOwner::from_u8(value).to_u8(), value);
        assert_eq!(TransportEvent::from_code(value).code(), value);
    }
}

// ---- round trips over a spread of values ---------------------------------------------

const U8S: [u8; 5] = [0x00, 0x01, 0x7F, 0x80, 0xFF];
const U16S: [u16; 5] = [0x0000, 0x0001, 0x00FF, 0x8000, 0xFFFF];
const U32S: [u32; 5] = [0, 1, 0x0000_FFFF, 0x8000_0000, 0xFFFF_FFFF];

fn all_messages(a: u8, b: u8, id: u16, word: u32, status: Status) -> [VmcMessage; 11] {
    let caps = Capabilities {
        max_hmcs: a,
        pool_size: id,
        mtu: word,
        crq_size: id.rotate_left(3),
        version: id.swap_bytes(),
    };
    [
        VmcMessage::Capabilities(caps),
        VmcMessage::CapabilitiesResponse {
            status,
            capabilities: caps,
        },
        VmcMessage::InterfaceOpen {
            hmc_session: a,
            hmc_index: b,
            buffer_id: id,
        },
        VmcMessage::InterfaceOpenResponse {
            status,
            hmc_session: a,
            hmc_index: b,
            buffer_id: id,
        },
        VmcMessage::InterfaceClose {
            hmc_session: a,
            hmc_index: b,
        },
        VmcMessage::InterfaceCloseResponse {
            status,
            hmc_session: a,
            hmc_index: b,
        },
        VmcMessage::AddBuffer {
            hmc_session: a,
            hmc_index: b,
            buffer_id: id,
            owner: BufferOwner::from_u8(b),
            lioba: word,
        },
        VmcMessage::AddBufferResponse {
            status,
            hmc_session: a,
            hmc_index: b,
            buffer_id: id,
        },
        VmcMessage::RemoveBuffer {
            hmc_session: a,
            hmc_index: b,
        },
        VmcMessage::RemoveBufferResponse {
            status,
            hmc_session: a,
            hmc_index: b,
            buffer_id: id,
        },
        VmcMessage::Signal {
            hmc_session: a,
            hmc_index: b,
            buffer_id: id,
            msg_len: word,
        },
    ]
}

#[test]
fn round_trip_spread() {
    let mut count = 0;
    for a in U8S {
        for b in U8S {
            for id in U16S {
                for word in U32S {
                    let status = Status::from_u8(a ^ b);
                    for message in all_messages(a, b, id, word, status) {
                        round_trip(CrqRepr::Vmc(message));
                        count += 1;
                    }
                }
            }
        }
    }
    assert_eq!(count, 5 * 5 * 5 * 5 * 11);
    for code in 0..=255u8 {
        round_trip(CrqRepr::Transport(TransportEvent::from_code(code)));
    }
    round_trip(CrqRepr::Empty);
    round_trip(CrqRepr::Init);
    round_trip(CrqRepr::InitComplete);
}

// ---- every header byte, every type byte ----------------------------------------------

#[test]
fn every_header_byte() {
    for h in 0..=255u8 {
        let mut bytes = [0u8; 16];
        bytes[0] = h;
        bytes[1] = 0x01;
        let parsed = CrqRepr::from_bytes(&bytes);
        match h {
            header::EMPTY => assert_eq!(parsed, Ok(CrqRepr::Empty)),
            header::COMMAND_RESPONSE => {
                assert!(matches!(
                    parsed,
                    Ok(CrqRepr::Vmc(VmcMessage::Capabilities(_)))
                ))
            }
            header::INITIALIZATION => assert_eq!(parsed, Ok(CrqRepr::Init)),
            header::TRANSPORT_EVENT => assert_eq!(
                parsed,
                Ok(CrqRepr::Transport(TransportEvent::PartnerFailed))
            ),
            _ => assert_eq!(parsed, Err(Error::UnknownClass(h)), "header {h:#04x}"),
        }
    }
}

#[test]
fn every_type_byte_in_every_class() {
    let vmc_types = [
        msg_type::CAP,
        msg_type::CAP_RESP,
        msg_type::OPEN,
        msg_type::OPEN_RESP,
        msg_type::CLOSE,
        msg_type::CLOSE_RESP,
        msg_type::ADD_BUF,
        msg_type::ADD_BUF_RESP,
        msg_type::REM_BUF,
        msg_type::REM_BUF_RESP,
        msg_type::SIGNAL,
    ];
    let mut known = 0;
    for t in 0..=255u8 {
        let mut bytes = [0u8; 16];
        bytes[1] = t;

        bytes[0] = header::COMMAND_RESPONSE;
        match CrqRepr::from_bytes(&bytes) {
            Ok(CrqRepr::Vmc(message)) => {
                assert!(vmc_types.contains(&t), "type {t:#04x} accepted");
                assert_eq!(message.msg_type(), t);
                known += 1;
            }
            other => {
                assert!(!vmc_types.contains(&t), "type {t:#04x} refused");
                assert_eq!(other, Err(Error::UnknownType(t)));
            }
        }

        bytes[0] = header::INITIALIZATION;
        let expected = match t {
            0x01 => Ok(CrqRepr::Init),
            0x02 => Ok(CrqRepr::InitComplete),
            _ => Err(Error::UnknownInitFormat(t)),
        };
        assert_eq!(CrqRepr::from_bytes(&bytes), expected);

        bytes[0] = header::TRANSPORT_EVENT;
        let event = match CrqRepr::from_bytes(&bytes) {
            Ok(CrqRepr::Transport(event)) => event,
            other => panic!("transport code {t:#04x} gave {other:?}"),
        };
        assert_eq!(event.code(), t);
        let is_known = [0x01, 0x02, 0x04, 0x06, 0x09, 0x0A].contains(&t);
        assert_eq!(!is_known, matches!(event, TransportEvent::Unknown(_)));

        bytes[0] = header::EMPTY;
        assert_eq!(CrqRepr::from_bytes(&bytes), Ok(CrqRepr::Empty));
    }
    assert_eq!(known, vmc_types.len());
}

// ---- truncation and the view ---------------------------------------------------------

#[test]
fn truncated_buffers() {
    let full = CrqRepr::Init.to_bytes();
    for len in 0..CRQ_ENTRY_SIZE {
        assert_eq!(
            Crq::new_checked(&full[..len]).map(|_| ()),
            Err(Error::Truncated),
            "len {len}"
        );
        let mut scratch = [0u8; 16];
        assert_eq!(
            Crq::new_checked(&mut scratch[..len]).map(|_| ()),
            Err(Error::Truncated)
        );
    }
    assert!(Crq::new_checked(&full[..]).is_ok());
}

#[test]
fn longer_buffer_uses_only_the_first_sixteen_bytes() {
    let mut buffer = [0xEEu8; 20];
    let mut crq = Crq::new_checked(&mut buffer[..]).unwrap();
    CrqRepr::Init.emit(&mut crq);
    assert_eq!(CrqRepr::parse(&crq), Ok(CrqRepr::Init));
    assert_eq!(crq.as_bytes().len(), 16);
    assert_eq!(&buffer[16..], &[0xEE; 4]);
}

#[test]
fn view_getters_and_setters() {
    let mut bytes = [0u8; 16];
    let mut crq = Crq::new_checked(&mut bytes[..]).unwrap();
    crq.set_header(0x80);
    crq.set_msg_type(0x06);
    crq.set_hmc_session(9);
    crq.set_hmc_index(1);
    crq.set_buffer_id(0xABCD);
    crq.set_msg_len(4096);
    assert_eq!(crq.header(), 0x80);
    assert_eq!(crq.msg_type(), 0x06);
    assert_eq!(crq.buffer_id(), 0xABCD);
    assert_eq!(crq.msg_len(), 4096);
    assert_eq!(
        crq.lioba(),
        4096,
        "LIOBA and message length share bytes 12..16"
    );
    assert_eq!(
        bytes,
        [0x80, 0x06, 0, 0, 9, 1, 0xAB, 0xCD, 0, 0, 0, 0, 0, 0, 0x10, 0x00]
    );

    let mut bytes = [0u8; 16];
    let mut crq = Crq::new_checked(&mut bytes[..]).unwrap();
    crq.set_status(3);
    crq.set_owner(1);
    crq.set_max_hmcs(2);
    crq.set_pool_size(0x1234);
    crq.set_mtu(0x5678_9ABC);
    crq.set_crq_size(0xDEF0);
    crq.set_version(0x0101);
    assert_eq!(
        (
            crq.status(),
            crq.owner(),
            crq.max_hmcs(),
            crq.pool_size(),
            crq.mtu(),
            crq.crq_size(),
            crq.version()
        ),
        (3, 1, 2, 0x1234, 0x5678_9ABC, 0xDEF0, 0x0101)
    );
    crq.clear();
    assert_eq!(crq.as_bytes(), &[0u8; 16]);
}

#[test]
fn emit_overwrites_stale_bytes() {
    let mut bytes = [0xA5u8; 16];
    let mut crq = Crq::new_checked(&mut bytes[..]).unwrap();
    CrqRepr::Vmc(VmcMessage::InterfaceClose {
        hmc_session: 2,
        hmc_index: 0,
    })
    .emit(&mut crq);
    assert_eq!(
        bytes,
        [0x80, 0x03, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    );
}

// ---- no-panic sweep ------------------------------------------------------------------

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

fn check_any(bytes: &[u8; 16]) -> bool {
    match CrqRepr::from_bytes(bytes) {
        Ok(repr) => {
            let again = repr.to_bytes();
            assert_eq!(CrqRepr::from_bytes(&again), Ok(repr), "from {bytes:02x?}");
            true
        }
        Err(err) => {
            assert!(matches!(
                err,
                Error::UnknownClass(_) | Error::UnknownType(_) | Error::UnknownInitFormat(_)
            ));
            false
        }
    }
}

#[test]
fn sweep_random_entries() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for i in 0..100_000u32 {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&rng.next().to_be_bytes());
        bytes[8..].copy_from_slice(&rng.next().to_be_bytes());
        // Random header bytes are almost all reserved; steer most entries into the
        // classes that parse so the field decoders get exercised too.
        match i % 4 {
            0 => {}
            1 => bytes[0] = header::COMMAND_RESPONSE,
            2 => {
                bytes[0] = header::COMMAND_RESPONSE;
                bytes[1] = [
                    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x81, 0x82, 0x83, 0x84, 0x85,
                ][(bytes[1] % 11) as usize];
            }
            _ => bytes[0] = [0x00, 0xC0, 0xFF][(bytes[0] % 3) as usize],
        }
        if check_any(&bytes) {
            parsed += 1;
        }
        // Every view over every prefix of the entry either refuses or parses.
        let len = (rng.next() % 17) as usize;
        match Crq::new_checked(&bytes[..len]) {
            Ok(crq) => {
                assert_eq!(len, 16);
                let _ = CrqRepr::parse(&crq);
            }
            Err(err) => assert_eq!(err, Error::Truncated),
        }
    }
    // Expected: all of the steered-type quarter, two thirds of the last quarter (empty
    // and transport always parse), 11/256 of the command/response quarter: about 43%.
    assert!(parsed > 40_000, "only {parsed} entries parsed");
}

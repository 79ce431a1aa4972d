// SPDX-License-Identifier: GPL-2.0-or-later
//! The VMC protocol as the simulated hypervisor speaks it, played by hand.

mod common;

use common::*;
use ibmvmc::hv::Device;
use ibmvmc::wire::BufferOwner;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::VmcMessage;
use ibmvmc::HcallRc;
use ibmvmc_hmc as hmc;
use ibmvmc_sim::hmc::EXCHANGE_OPS_DATA;
use ibmvmc_sim::Direction;
use ibmvmc_sim::Sim;
use ibmvmc_sim::SimConfig;
use ibmvmc_sim::SimError;

#[test]
fn sim_is_sync_and_static() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<Sim>();
    let sim: &'static Sim = sim(SimConfig::default());
    fn takes_device<D: Device>(_: D) {}
    takes_device(sim);
}

#[test]
fn config_is_checked() {
    let mem = Box::leak(vec![0u8; 100].into_boxed_slice());
    assert!(matches!(
        Sim::new(SimConfig::default(), mem),
        Err(SimError::HvMemoryTooSmall)
    ));
    for bad in [
        SimConfig {
            max_hmcs: 0,
            ..SimConfig::default()
        },
        SimConfig {
            max_hmcs: 3,
            ..SimConfig::default()
        },
        SimConfig {
            pool_size: 65,
            ..SimConfig::default()
        },
        SimConfig {
            mtu: 16385,
            ..SimConfig::default()
        },
        SimConfig {
            mtu: 31,
            ..SimConfig::default()
        },
        SimConfig {
            crq_entries: 0,
            ..SimConfig::default()
        },
        SimConfig {
            crq_entries: 257,
            ..SimConfig::default()
        },
        SimConfig {
            local_window: (u64::MAX, 2),
            ..SimConfig::default()
        },
        SimConfig {
            hv_window_base: 0xFFFF_0000,
            ..SimConfig::default()
        },
    ] {
        let mem = Box::leak(vec![0u8; 4 << 20].into_boxed_slice());
        assert!(
            matches!(Sim::new(bad, mem), Err(SimError::BadConfig)),
            "{bad:?}"
        );
    }
}

#[test]
fn handshake_capabilities_and_seeds() {
    let sim = sim(SimConfig::default());
    assert_eq!(sim.crq_entries(), 256);
    let answer = bring_up(sim);
    assert_eq!(answer.len(), 3, "{answer:?}");
    assert_eq!(
        answer[0],
        CrqRepr::Vmc(VmcMessage::CapabilitiesResponse {
            status: Status::Success,
            capabilities: Capabilities {
                max_hmcs: 2,
                pool_size: 64,
                mtu: 16384,
                crq_size: 256,
                version: 0x0101
            },
        })
    );
    for index in 0..2u8 {
        assert_eq!(
            answer[1 + index as usize],
            CrqRepr::Vmc(VmcMessage::AddBuffer {
                hmc_session: 0,
                hmc_index: index,
                buffer_id: 0,
                owner: BufferOwner::ManagementPartition,
                lioba: 0x1000_0000 + index as u32 * 64 * 16384,
            })
        );
        assert_eq!(sim.partition_owned(index), 1);
    }
    accept_adds(sim, &answer);
    let stats = sim.stats();
    assert_eq!(
        (stats.inits, stats.capabilities, stats.protocol_errors),
        (1, 1, 0)
    );
}

#[test]
fn seeds_follow_the_smaller_max_hmcs() {
    let sim = sim(SimConfig::default());
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    send(sim, CrqRepr::Init);
    drain(sim);
    vmc(
        sim,
        VmcMessage::Capabilities(Capabilities {
            max_hmcs: 1,
            ..ours(sim)
        }),
    );
    let answer = drain(sim);
    assert_eq!(answer.len(), 2, "{answer:?}");
}

#[test]
fn version_mismatch_is_refused_without_seeds() {
    let sim = sim(SimConfig::default());
    sim.reg_crq();
    send(sim, CrqRepr::Init);
    drain(sim);
    vmc(
        sim,
        VmcMessage::Capabilities(Capabilities {
            version: 0x0201,
            ..ours(sim)
        }),
    );
    let answer = drain(sim);
    assert_eq!(answer.len(), 1);
    let CrqRepr::Vmc(VmcMessage::CapabilitiesResponse { status, .. }) = answer[0] else {
        panic!()
    };
    assert_eq!(status.to_u8(), 2);
    // Not ready: an open is a protocol error.
    vmc(
        sim,
        VmcMessage::InterfaceOpen {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0,
        },
    );
    assert!(drain(sim).is_empty());
    assert_eq!(sim.stats().protocol_errors, 1);
}

#[test]
fn set_capabilities_changes_the_response_only() {
    let sim = sim(small());
    let announced = Capabilities {
        max_hmcs: 0,
        pool_size: 99,
        mtu: 1 << 20,
        crq_size: 7,
        version: 0x0105,
    };
    sim.set_capabilities(announced);
    sim.reg_crq();
    send(sim, CrqRepr::Init);
    drain(sim);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    let answer = drain(sim);
    assert_eq!(
        answer,
        vec![CrqRepr::Vmc(VmcMessage::CapabilitiesResponse {
            status: Status::Success,
            capabilities: announced
        })]
    );
}

#[test]
fn open_adds_buffers_and_answers() {
    let sim = sim(small());
    let up = bring_up(sim);
    accept_adds(sim, &up);
    let id = *b"HMC-0123456789abcdef0123456789AB";
    let answer = open(sim, 0, 1, &id);
    // 7 Add Buffers (ids 1..=7, odd ones ours), then the response.
    assert_eq!(answer.len(), 8, "{answer:?}");
    let adds = accept_adds(sim, &answer);
    let expected: Vec<_> = (1..=7u16)
        .map(|b| {
            let owner = if b % 2 == 1 {
                BufferOwner::ManagementPartition
            } else {
                BufferOwner::Hypervisor
            };
            (1, 0, b, owner, lioba(sim, 0, b))
        })
        .collect();
    assert_eq!(adds, expected);
    assert_eq!(
        answer[7],
        CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse {
            status: Status::Success,
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0
        })
    );
    assert_eq!(sim.hmc_id(0), Some(id));
    assert_eq!(sim.session(0), Some(1));
    assert_eq!(sim.session(1), None);
    // Buffer 0 and ids 1, 3, 5, 7.
    assert_eq!(sim.partition_owned(0), 5);
    assert_eq!(sim.stats().opens, 1);
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn open_needs_the_hmc_id_in_an_owned_buffer() {
    let sim = sim(small());
    let up = bring_up(sim);
    accept_adds(sim, &up);
    // No RDMA of the HMC ID first.
    vmc(
        sim,
        VmcMessage::InterfaceOpen {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0,
        },
    );
    let answer = drain(sim);
    assert_eq!(answer.len(), 1);
    let CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse { status, .. }) = answer[0] else {
        panic!()
    };
    assert!(!status.is_success());
    assert_eq!(sim.stats().protocol_errors, 1);
    // A buffer the partition was never given.
    vmc(
        sim,
        VmcMessage::InterfaceOpen {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 3,
        },
    );
    assert_eq!(drain(sim).len(), 1);
    // An index beyond the negotiated ones.
    vmc(
        sim,
        VmcMessage::InterfaceOpen {
            hmc_session: 1,
            hmc_index: 2,
            buffer_id: 0,
        },
    );
    assert_eq!(drain(sim).len(), 1);
    assert_eq!(sim.stats().protocol_errors, 3);
    // Done right, it works.
    let answer = open(sim, 0, 1, &[1; 32]);
    assert_eq!(answer.len(), 8);
    assert_eq!(sim.session(0), Some(1));
}

#[test]
fn open_on_a_busy_connection_is_refused() {
    let sim = sim(small());
    open_session(sim);
    // Buffer 1 is ours: RDMA an ID and open again on the same index.
    sim.rdma_to_hv(&[2; 32], local_ioba(0, 1), lioba(sim, 0, 1));
    vmc(
        sim,
        VmcMessage::InterfaceOpen {
            hmc_session: 2,
            hmc_index: 0,
            buffer_id: 1,
        },
    );
    let answer = drain(sim);
    assert_eq!(answer.len(), 1);
    let CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse {
        status,
        hmc_session: 2,
        buffer_id: 1,
        ..
    }) = answer[0]
    else {
        panic!("{answer:?}")
    };
    assert!(!status.is_success());
    assert_eq!(sim.session(0), Some(1));
    assert_eq!(sim.stats().protocol_errors, 1);
}

#[test]
fn raw_echo_round_trip() {
    let sim = sim(small());
    open_session(sim);
    let msg: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
    let (id, back) = round_trip(sim, 1, &msg);
    assert_eq!(id, 1);
    assert_eq!(back, msg);
    let stats = sim.stats();
    assert_eq!(
        (stats.signals_in, stats.signals_out, stats.raw_echoes),
        (1, 1, 1)
    );
    assert_eq!(stats.protocol_errors, 0);
    // The buffer came back: it can carry the next message.
    let (id, back) = round_trip(sim, 1, b"x");
    assert_eq!((id, back.as_slice()), (1, &b"x"[..]));
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn hmc_echo_and_exchange_ops() {
    let sim = sim(small());
    open_session(sim);
    let request = hmc_frame(hmc::TARGET_ROUTER, hmc::OP_ECHO, b"hello, hypervisor");
    let (_, back) = round_trip(sim, 1, &request);
    assert_eq!(back.len(), request.len());
    assert_eq!(&back[32..], b"hello, hypervisor");
    assert_eq!(back[15], hmc::FLAG_RESPONSE);
    assert_eq!(be32(&back, 8), 0x1234_5678, "correlation token kept");
    assert_eq!(be16(&back, 22), 0);
    assert_eq!(be32(&back, 4), request.len() as u32);
    assert_eq!(be32(&back, 16), 17);

    let (_, back) = round_trip(
        sim,
        3,
        &hmc_frame(hmc::TARGET_ROUTER, hmc::OP_EXCHANGE_OPS, &[]),
    );
    assert_eq!(back.len(), 36);
    assert_eq!(be16(&back, 22), 0);
    assert_eq!(be32(&back, 16), 4);
    assert_eq!(be32(&back, 4), 36);
    assert_eq!(&back[32..], &EXCHANGE_OPS_DATA);

    let (_, back) = round_trip(sim, 5, &hmc_frame(hmc::TARGET_ROUTER, hmc::OP_CLOSE, &[]));
    assert_eq!((back.len(), be16(&back, 22)), (32, 0));

    let (_, back) = round_trip(sim, 7, &hmc_frame(hmc::TARGET_ROUTER, 0x0777, &[1, 2]));
    assert_eq!((back.len(), be16(&back, 22)), (32, hmc::RC_INVALID_OPCODE));

    let mut bad = hmc_frame(hmc::TARGET_ROUTER, hmc::OP_ECHO, &[1, 2, 3]);
    bad[19] = 9; // data length disagrees
    let (_, back) = round_trip(sim, 1, &bad);
    assert_eq!((back.len(), be16(&back, 22)), (32, hmc::RC_INVALID_DATA));

    let (_, back) = round_trip(sim, 3, &hmc_frame(0x8001, hmc::OP_ECHO, &[]));
    assert_eq!(be16(&back, 22), hmc::RC_INVALID_TARGET);

    let stats = sim.stats();
    assert_eq!(
        (
            stats.echoes,
            stats.exchange_ops,
            stats.hmc_closes,
            stats.raw_echoes
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(stats.protocol_errors, 0);
}

#[test]
fn signal_violations_are_counted() {
    let sim = sim(small());
    open_session(sim);
    let signal = |session, index, buffer_id, msg_len| {
        vmc(
            sim,
            VmcMessage::Signal {
                hmc_session: session,
                hmc_index: index,
                buffer_id,
                msg_len,
            },
        )
    };
    sim.rdma_to_hv(&[9; 64], local_ioba(0, 1), lioba(sim, 0, 1));
    signal(2, 0, 1, 64); // wrong session
    signal(1, 1, 1, 64); // connection not open
    signal(1, 0, 2, 64); // the hypervisor's buffer
    signal(1, 0, 1, 0); // empty
    signal(1, 0, 1, 4097); // beyond the MTU
    signal(1, 0, 8, 64); // beyond the pool
    assert!(drain(sim).is_empty());
    assert_eq!(sim.stats().protocol_errors, 6);
    // Signalled without RDMAing the whole message first: counted, still answered.
    signal(1, 0, 3, 10);
    assert_eq!(drain(sim).len(), 1);
    assert_eq!(sim.stats().protocol_errors, 7);
    // The buffer is the hypervisor's while it holds the message: a second Signal of
    // buffer 1 after its answer is fine, but of a buffer in flight is not.
    assert_eq!(sim.stats().signals_in, 7);
}

#[test]
fn unsolicited_message_uses_a_hypervisor_buffer() {
    let sim = sim(small());
    assert!(!sim.send_hmc_message(0, b"early"));
    open_session(sim);
    assert!(!sim.send_hmc_message(1, b"not open"));
    assert!(!sim.send_hmc_message(0, &[]));
    assert!(sim.send_hmc_message(0, b"event!"));
    let answer = drain(sim);
    let [CrqRepr::Vmc(VmcMessage::Signal {
        hmc_session: 1,
        hmc_index: 0,
        buffer_id: 2,
        msg_len: 6,
    })] = answer[..]
    else {
        panic!("{answer:?}")
    };
    let mut back = [0u8; 6];
    assert_eq!(
        sim.rdma_from_hv(lioba(sim, 0, 2), &mut back, local_ioba(0, 2)),
        HcallRc::SUCCESS
    );
    assert_eq!(&back, b"event!");
    // Buffer 2 is ours now: we can send with it.
    let (id, back) = round_trip(sim, 2, b"reply");
    assert_eq!((id, back.as_slice()), (2, &b"reply"[..]));
    // Hypervisor buffers 4 and 6 are left, then none.
    assert!(sim.send_hmc_message(0, b"a"));
    assert!(sim.send_hmc_message(0, b"b"));
    assert!(!sim.send_hmc_message(0, b"c"));
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn close_answers_and_reseeds() {
    let sim = sim(small());
    open_session(sim);
    vmc(
        sim,
        VmcMessage::InterfaceClose {
            hmc_session: 1,
            hmc_index: 0,
        },
    );
    let answer = drain(sim);
    assert_eq!(
        answer,
        vec![
            CrqRepr::Vmc(VmcMessage::InterfaceCloseResponse {
                status: Status::Success,
                hmc_session: 1,
                hmc_index: 0
            }),
            CrqRepr::Vmc(VmcMessage::AddBuffer {
                hmc_session: 0,
                hmc_index: 0,
                buffer_id: 0,
                owner: BufferOwner::ManagementPartition,
                lioba: lioba(sim, 0, 0),
            }),
        ]
    );
    accept_adds(sim, &answer);
    assert_eq!(sim.session(0), None);
    assert_eq!(sim.partition_owned(0), 1);
    // Messages on the closed session are violations.
    vmc(
        sim,
        VmcMessage::Signal {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0,
            msg_len: 1,
        },
    );
    assert_eq!(sim.stats().protocol_errors, 1);
    // A second close of the same session too.
    vmc(
        sim,
        VmcMessage::InterfaceClose {
            hmc_session: 1,
            hmc_index: 0,
        },
    );
    assert_eq!(drain(sim).len(), 1);
    assert_eq!(sim.stats().protocol_errors, 2);
    // Reopen with the next session.
    let answer = open(sim, 0, 2, &[3; 32]);
    accept_adds(sim, &answer);
    assert_eq!(sim.session(0), Some(2));
    assert_eq!(sim.stats().closes, 2);
}

#[test]
fn close_after_a_refused_open_is_not_a_violation() {
    let sim = sim(small());
    let up = bring_up(sim);
    accept_adds(sim, &up);
    sim.on_message(0x02, ibmvmc_sim::Trigger::Status(Status::InterfaceFailure));
    let answer = open(sim, 0, 1, &[4; 32]);
    assert_eq!(answer.len(), 1, "refused: no adds");
    assert_eq!(sim.session(0), None);
    vmc(
        sim,
        VmcMessage::InterfaceClose {
            hmc_session: 1,
            hmc_index: 0,
        },
    );
    let answer = drain(sim);
    assert_eq!(answer.len(), 2, "response and reseed: {answer:?}");
    accept_adds(sim, &answer);
    assert_eq!(sim.stats().protocol_errors, 0);
    assert_eq!(sim.hmc_id(0), Some([4; 32]));
}

#[test]
fn add_buffer_refusal_removes_the_buffer() {
    let sim = sim(small());
    let up = bring_up(sim);
    accept_adds(sim, &up);
    sim.rdma_to_hv(&[5; 32], local_ioba(0, 0), lioba(sim, 0, 0));
    vmc(
        sim,
        VmcMessage::InterfaceOpen {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0,
        },
    );
    let answer = drain(sim);
    for entry in &answer {
        if let CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session,
            hmc_index,
            buffer_id,
            ..
        }) = *entry
        {
            let status = if buffer_id == 1 {
                Status::NoBuffer
            } else {
                Status::Success
            };
            vmc(
                sim,
                VmcMessage::AddBufferResponse {
                    status,
                    hmc_session,
                    hmc_index,
                    buffer_id,
                },
            );
        }
    }
    assert_eq!(sim.stats().add_buffer_failures, 1);
    assert_eq!(sim.partition_owned(0), 4); // 0, 3, 5, 7
                                           // Answering again, or answering an Add Buffer never sent, is a violation.
    vmc(
        sim,
        VmcMessage::AddBufferResponse {
            status: Status::Success,
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 3,
        },
    );
    vmc(
        sim,
        VmcMessage::AddBufferResponse {
            status: Status::Success,
            hmc_session: 1,
            hmc_index: 1,
            buffer_id: 5,
        },
    );
    assert_eq!(sim.stats().protocol_errors, 2);
    // Buffer 1 is gone: RDMA into it is refused.
    assert_eq!(
        sim.rdma_to_hv(&[0; 8], local_ioba(0, 1), lioba(sim, 0, 1)),
        HcallRc::PERMISSION
    );
}

#[test]
fn remove_buffer_round_trip() {
    let sim = sim(small());
    assert!(!sim.remove_buffer(0), "not ready");
    open_session(sim);
    assert!(!sim.remove_buffer(2));
    assert!(sim.remove_buffer(0));
    let answer = drain(sim);
    assert_eq!(
        answer,
        vec![CrqRepr::Vmc(VmcMessage::RemoveBuffer {
            hmc_session: 1,
            hmc_index: 0
        })]
    );
    vmc(
        sim,
        VmcMessage::RemoveBufferResponse {
            status: Status::Success,
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 5,
        },
    );
    assert_eq!(sim.partition_owned(0), 4);
    assert_eq!(sim.stats().remove_buffer_responses, 1);
    assert_eq!(sim.stats().protocol_errors, 0);
    // "No buffer" is an answer too.
    sim.remove_buffer(0);
    drain(sim);
    vmc(
        sim,
        VmcMessage::RemoveBufferResponse {
            status: Status::NoBuffer,
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0xFFFF,
        },
    );
    assert_eq!(sim.partition_owned(0), 4);
    assert_eq!(sim.stats().remove_buffer_responses, 2);
    // Unrequested, or naming a buffer the partition does not hold: violations.
    vmc(
        sim,
        VmcMessage::RemoveBufferResponse {
            status: Status::Success,
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 3,
        },
    );
    sim.remove_buffer(0);
    drain(sim);
    vmc(
        sim,
        VmcMessage::RemoveBufferResponse {
            status: Status::Success,
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 2,
        },
    );
    assert_eq!(sim.stats().protocol_errors, 2);
}

#[test]
fn messages_only_the_hypervisor_sends_are_violations() {
    let sim = sim(small());
    open_session(sim);
    let before = sim.stats().protocol_errors;
    vmc(
        sim,
        VmcMessage::RemoveBuffer {
            hmc_session: 1,
            hmc_index: 0,
        },
    );
    vmc(
        sim,
        VmcMessage::InterfaceOpenResponse {
            status: Status::Success,
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 0,
        },
    );
    // An undefined VMC type and an undefined class with the valid bit set.
    let mut raw = [0u8; 16];
    raw[0] = 0x80;
    raw[1] = 0x42;
    assert_eq!(sim.send_crq(&raw), HcallRc::SUCCESS);
    raw[0] = 0xC5;
    assert_eq!(sim.send_crq(&raw), HcallRc::SUCCESS);
    assert!(drain(sim).is_empty());
    assert_eq!(sim.stats().protocol_errors, before + 4);
}

#[test]
fn messages_before_the_handshake_are_violations() {
    let sim = sim(small());
    sim.reg_crq();
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    send(sim, CrqRepr::InitComplete);
    assert!(drain(sim).is_empty());
    assert_eq!(sim.stats().protocol_errors, 2);
}

#[test]
fn trace_records_both_directions() {
    let sim = sim(small());
    sim.reg_crq();
    send(sim, CrqRepr::Init);
    let mut seen = Vec::new();
    sim.trace(&mut |direction, entry| seen.push((direction, *entry)));
    assert_eq!(
        seen,
        vec![
            (Direction::ToHypervisor, CrqRepr::Init.to_bytes()),
            (Direction::ToPartition, CrqRepr::InitComplete.to_bytes())
        ]
    );
    for _ in 0..300 {
        send(sim, CrqRepr::Init);
        drain(sim);
    }
    let mut count = 0;
    let mut last = None;
    sim.trace(&mut |direction, _| {
        count += 1;
        last = Some(direction);
    });
    assert_eq!((count, last), (256, Some(Direction::ToPartition)));
}

#[test]
fn request_vmc_answers_what_it_is_told() {
    let sim = sim(small());
    assert_eq!(
        sim.request_vmc(),
        (HcallRc::SUCCESS, ibmvmc_sim::DEFAULT_DRC_INDEX)
    );
    sim.set_request_vmc(HcallRc::AUTHORITY, 0);
    assert_eq!(sim.request_vmc(), (HcallRc::AUTHORITY, 0));
    sim.set_request_vmc(HcallRc::SUCCESS, 0x2000_0042);
    assert_eq!(sim.request_vmc(), (HcallRc::SUCCESS, 0x2000_0042));
}

#[test]
fn without_seed_buffers_nothing_can_open() {
    let sim = sim(SimConfig {
        seed_buffers: false,
        ..small()
    });
    let answer = bring_up(sim);
    assert_eq!(answer.len(), 1, "capabilities response only");
    assert_eq!(sim.partition_owned(0), 0);
    assert_eq!(
        sim.rdma_to_hv(&[1; 32], local_ioba(0, 0), lioba(sim, 0, 0)),
        HcallRc::PERMISSION
    );
}

#[test]
fn struct_stays_small() {
    // The kernel builds it once; keep it well below a kernel stack.
    eprintln!("size_of::<Sim>() = {}", core::mem::size_of::<Sim>());
    assert!(
        core::mem::size_of::<Sim>() < 16 * 1024,
        "{}",
        core::mem::size_of::<Sim>()
    );
}

#[test]
fn a_static_simulator_needs_its_memory_attached() {
    static SIM: Sim = Sim::new_static(SimConfig::DEFAULT);
    let sim = &SIM;
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    assert_eq!(sim.send_crq(&CrqRepr::Init.to_bytes()), HcallRc::SUCCESS);
    assert_eq!(
        sim.next_crq().map(|e| CrqRepr::from_bytes(&e)),
        Some(Ok(CrqRepr::InitComplete))
    );
    // No memory yet: an RDMA into any buffer fails.
    assert!(!sim.rdma_to_hv(&[1, 2, 3], 0, 0x1000_0000).is_success());
    assert_eq!(
        sim.attach(vec![0u8; 10].leak()),
        Err(SimError::HvMemoryTooSmall)
    );
    sim.attach(vec![0u8; SimConfig::DEFAULT.hv_mem_len()].leak())
        .expect("attach");
    sim.detach();
    assert!(!sim.rdma_to_hv(&[1, 2, 3], 0, 0x1000_0000).is_success());
}

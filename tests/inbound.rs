// SPDX-License-Identifier: GPL-2.0-or-later
//! Entries from the hypervisor that are well formed but name the wrong thing: each has
//! one outcome, decided from LoPAR, that strands no buffer and leaves no file waiting.

mod common;

use common::check_invariants;
use common::hmc_id;
use common::Rig;
use ibmvmc::hv::HcallRc;
use ibmvmc::state::Buf;
use ibmvmc::state::ConnState;
use ibmvmc::wire::BufferOwner;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::VmcMessage;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::Params;
use ibmvmc_sim::Direction;
use ibmvmc_sim::SimConfig;
use ibmvmc_sim::Trigger;

fn lent_buffers(rig: &Rig, index: usize) -> usize {
    rig.vmc.snapshot().conns[index]
        .bufs
        .iter()
        .filter(|b| matches!(b, Buf::OpenLent { .. }))
        .count()
}

/// The status of the last Remove Buffer Response the partition sent, if any.
fn last_remove_response(rig: &Rig) -> Option<(u8, u16)> {
    let mut last = None;
    rig.sim.trace(&mut |_, e| {
        if e[0] == 0x80 && e[1] == 0x85 {
            last = Some((e[2], u16::from_be_bytes([e[6], e[7]])));
        }
    });
    last
}

/// An Open Response that succeeds but names a buffer the open did not lend still ends
/// the open, and gives back the buffer that was lent (the only one the response can
/// mean), so the session can write and poll() says so; the bad field is counted.
#[test]
fn an_open_response_naming_another_buffer_gives_back_the_lent_one() {
    for named in [Some(1u16), None] {
        let rig = Rig::ready();
        // The simulator swallows the open; the response below is the only one.
        rig.sim.on_message(0x02, Trigger::Swallow);
        let f = File::new();
        rig.vmc.set_hmc_id(&f, &hmc_id(1)).expect("SETHMCID");
        rig.run();
        let conn = rig.vmc.snapshot().conns[0].clone();
        assert_eq!(conn.state, ConnState::Opening);
        assert_eq!(lent_buffers(&rig, 0), 1);
        let lent = conn.id_buffer as u16;
        // Another buffer of the pool (not added yet), or no buffer at all.
        let buffer_id = match named {
            Some(offset) => lent + offset,
            None => 0xFFFF,
        };
        assert_ne!(buffer_id, lent);
        let hypervisors = conn.buffer_counts().2;
        let dropped = rig.vmc.stats().dropped_invalid;
        let response = VmcMessage::InterfaceOpenResponse {
            status: Status::Success,
            hmc_session: conn.session,
            hmc_index: 0,
            buffer_id,
        };
        rig.sim.inject_entry(CrqRepr::Vmc(response).to_bytes());
        rig.run();
        assert_eq!(rig.conn_state(0), ConnState::Ready, "buffer {buffer_id}");
        assert_eq!(
            lent_buffers(&rig, 0),
            0,
            "buffer {buffer_id}: the lent buffer is still lent"
        );
        assert!(rig.poll(&f).writable, "buffer {buffer_id}: not writable");
        assert_eq!(
            rig.vmc.stats().dropped_invalid,
            dropped + 1,
            "buffer {buffer_id}: not counted"
        );
        // One fewer owned by the hypervisor: the lent one came back, nothing else moved.
        assert_eq!(
            rig.vmc.snapshot().conns[0].buffer_counts().2,
            hypervisors - 1
        );
        check_invariants(&rig.vmc.snapshot());
    }
}

/// A Remove Buffer naming an earlier session of the connection is stale: refused
/// (status 3, the connection has closed), and no buffer is given up. One naming the
/// current session is obeyed.
#[test]
fn a_remove_buffer_for_an_earlier_session_is_refused() {
    let rig = Rig::ready();
    let first = File::new();
    rig.open(&first, 1);
    let old = rig.vmc.snapshot().conns[0].session;
    rig.close(&first);
    let second = File::new();
    rig.open(&second, 2);
    let current = rig.vmc.snapshot().conns[0].session;
    assert_ne!(old, current);
    let free = rig.vmc.snapshot().conns[0].buffer_counts().0;
    assert!(free >= 2);
    rig.sim.inject_entry(
        CrqRepr::Vmc(VmcMessage::RemoveBuffer {
            hmc_session: old,
            hmc_index: 0,
        })
        .to_bytes(),
    );
    rig.run();
    assert_eq!(
        last_remove_response(&rig),
        Some((3, 0xFFFF)),
        "stale remove not refused"
    );
    assert_eq!(
        rig.vmc.snapshot().conns[0].buffer_counts().0,
        free,
        "a buffer was given up"
    );
    rig.sim.inject_entry(
        CrqRepr::Vmc(VmcMessage::RemoveBuffer {
            hmc_session: current,
            hmc_index: 0,
        })
        .to_bytes(),
    );
    rig.run();
    assert_eq!(last_remove_response(&rig).map(|r| r.0), Some(0));
    assert_eq!(rig.vmc.snapshot().conns[0].buffer_counts().0, free - 1);
    check_invariants(&rig.vmc.snapshot());
}

fn signal(hmc_session: u8, hmc_index: u8, buffer_id: u16, msg_len: u32) -> [u8; 16] {
    CrqRepr::Vmc(VmcMessage::Signal {
        hmc_session,
        hmc_index,
        buffer_id,
        msg_len,
    })
    .to_bytes()
}

/// The first buffer of connection `index` that is in state `what`.
fn buffer_in(rig: &Rig, index: usize, what: fn(&Buf) -> bool) -> u16 {
    rig.vmc.snapshot().conns[index]
        .bufs
        .iter()
        .position(what)
        .expect("no such buffer") as u16
}

/// (status, session, index, buffer) of the last Add Buffer Response the partition sent.
fn last_add_response(rig: &Rig) -> Option<(Status, u8, u8, u16)> {
    let mut last = None;
    rig.sim.trace(&mut |d, e| {
        if d != Direction::ToHypervisor {
            return;
        }
        if let Ok(CrqRepr::Vmc(VmcMessage::AddBufferResponse {
            status,
            hmc_session,
            hmc_index,
            buffer_id,
        })) = CrqRepr::from_bytes(e)
        {
            last = Some((status, hmc_session, hmc_index, buffer_id));
        }
    });
    last
}

/// A Signal hands over a buffer the hypervisor holds (LoPAR). One naming a buffer it
/// does not hold (a free one of ours, one holding a message not yet read, one never
/// added) is a confused partner: it is dropped and counted, nothing is RDMAed, and the
/// buffer stays as it was (no buffer is taken twice, no message is lost or doubled).
#[test]
fn a_signal_naming_a_buffer_the_hypervisor_does_not_hold_is_dropped() {
    // Few buffers, so that some of the pool is never added.
    let config = SimConfig {
        open_add_buffers: 4,
        ..SimConfig::default()
    };
    let rig = Rig::with(config, Params::default());
    let f = File::new();
    rig.open(&f, 1);
    let session = rig.vmc.snapshot().conns[0].session;
    // One echo waits unread in a buffer of ours.
    assert_eq!(rig.write(&f, b"queued"), Ok(6));
    rig.run();
    let free = buffer_in(&rig, 0, |b| matches!(b, Buf::Free { .. }));
    let queued = buffer_in(&rig, 0, |b| matches!(b, Buf::Queued { .. }));
    let never_added = buffer_in(&rig, 0, |b| matches!(b, Buf::Invalid));
    for (id, what) in [
        (free, "a free buffer of ours"),
        (queued, "a buffer holding an unread message"),
        (never_added, "a buffer never added"),
    ] {
        let before = rig.vmc.snapshot().conns[0].clone();
        let stats = rig.vmc.stats();
        rig.sim.inject_entry(signal(session, 0, id, 16));
        rig.run();
        let after = rig.vmc.snapshot().conns[0].clone();
        assert_eq!(
            rig.vmc.stats().dropped_invalid,
            stats.dropped_invalid + 1,
            "{what}: not counted"
        );
        assert_eq!(rig.vmc.stats().msgs_in, stats.msgs_in, "{what}: queued");
        assert_eq!(after.bufs, before.bufs, "{what}: a buffer changed hands");
        assert_eq!(
            after.free.iter().collect::<Vec<_>>(),
            before.free.iter().collect::<Vec<_>>(),
            "{what}: the free stack changed"
        );
        assert_eq!(
            after.rx.iter().collect::<Vec<_>>(),
            before.rx.iter().collect::<Vec<_>>(),
            "{what}: the receive queue changed"
        );
        check_invariants(&rig.vmc.snapshot());
    }
    // The echo is read once, and nothing else.
    assert_eq!(rig.read(&f, 4096), Ok(b"queued".to_vec()));
    assert_eq!(rig.read(&f, 4096), Err(Errno::Again));
    assert_eq!(rig.round_trip(&f, b"still works"), b"still works");
    assert_eq!(rig.protocol_errors(), 0);
}

/// A Signal belongs to the session it names: one naming an earlier session of the
/// connection, a later one, or none (0) is dropped and counted; the buffer it names
/// stays the hypervisor's, and the session's reader sees nothing.
#[test]
fn a_signal_for_another_session_is_dropped() {
    let rig = Rig::ready();
    let first = File::new();
    rig.open(&first, 1);
    let earlier = rig.vmc.snapshot().conns[0].session;
    rig.close(&first);
    let f = File::new();
    rig.open(&f, 2);
    let session = rig.vmc.snapshot().conns[0].session;
    assert_ne!(earlier, session);
    let id = buffer_in(&rig, 0, |b| matches!(b, Buf::Hypervisor { .. }));
    for wrong in [earlier, session.wrapping_add(1), 0] {
        let dropped = rig.vmc.stats().dropped_invalid;
        rig.sim.inject_entry(signal(wrong, 0, id, 16));
        rig.run();
        assert_eq!(
            rig.vmc.stats().dropped_invalid,
            dropped + 1,
            "session {wrong}: not counted"
        );
        assert!(
            matches!(
                rig.vmc.snapshot().conns[0].bufs[id as usize],
                Buf::Hypervisor { .. }
            ),
            "session {wrong}: the buffer was taken"
        );
        assert_eq!(
            rig.read(&f, 4096),
            Err(Errno::Again),
            "session {wrong}: delivered"
        );
        check_invariants(&rig.vmc.snapshot());
    }
    // The buffer still carries the hypervisor's next message for this session.
    assert!(rig.sim.send_hmc_message(0, b"for this session"));
    rig.run();
    assert_eq!(rig.read(&f, 4096), Ok(b"for this session".to_vec()));
    assert_eq!(rig.protocol_errors(), 0);
}

/// Add Buffer of a buffer ID at or beyond the pool size agreed in the capabilities
/// exchange: refused with status 2 (invalid buffer ID) and counted; the pool is
/// unchanged.
#[test]
fn an_add_buffer_beyond_the_pool_is_refused() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let session = rig.vmc.snapshot().conns[0].session;
    let pool = rig.vmc.snapshot().negotiated.unwrap().pool_size;
    assert!(pool < 64, "the core's pool must be smaller than its array");
    for id in [pool, 63] {
        let before = rig.vmc.snapshot().conns[0].clone();
        let dropped = rig.vmc.stats().dropped_invalid;
        rig.sim.inject_entry(
            CrqRepr::Vmc(VmcMessage::AddBuffer {
                hmc_session: session,
                hmc_index: 0,
                buffer_id: id,
                owner: BufferOwner::ManagementPartition,
                lioba: rig.sim.buffer_lioba(0, id).unwrap(),
            })
            .to_bytes(),
        );
        rig.run();
        assert_eq!(
            last_add_response(&rig),
            Some((Status::InvalidBufferId, session, 0, id)),
            "buffer {id}"
        );
        assert_eq!(rig.vmc.stats().dropped_invalid, dropped + 1, "buffer {id}");
        let after = rig.vmc.snapshot().conns[0].clone();
        assert_eq!(after.bufs, before.bufs, "buffer {id}: the pool changed");
        assert_eq!(after.free.len(), before.free.len(), "buffer {id}");
        check_invariants(&rig.vmc.snapshot());
    }
    assert_eq!(rig.round_trip(&f, b"unchanged"), b"unchanged");
    // The simulator counts the responses to the Add Buffers it never sent.
    assert_eq!(rig.protocol_errors(), 2);
}

/// Add Buffer for an HMC index at or beyond the number of connections agreed:
/// refused with status 1 (invalid HMC index) and counted, even where the core has
/// room for that connection; that connection gets no buffer.
#[test]
fn an_add_buffer_beyond_the_agreed_connections_is_refused() {
    // One connection agreed; the core has room for two.
    let rig = Rig::ready();
    assert_eq!(rig.vmc.snapshot().negotiated.unwrap().max_hmcs, 1);
    assert!(rig.vmc.snapshot().conns.len() > 1);
    let dropped = rig.vmc.stats().dropped_invalid;
    rig.sim.inject_entry(
        CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session: 0,
            hmc_index: 1,
            buffer_id: 0,
            owner: BufferOwner::ManagementPartition,
            lioba: rig.sim.buffer_lioba(1, 0).unwrap(),
        })
        .to_bytes(),
    );
    rig.run();
    assert_eq!(
        last_add_response(&rig),
        Some((Status::InvalidHmcIndex, 0, 1, 0))
    );
    assert_eq!(rig.vmc.stats().dropped_invalid, dropped + 1);
    let conn = rig.vmc.snapshot().conns[1].clone();
    assert!(
        conn.bufs.iter().all(|b| matches!(b, Buf::Invalid)),
        "connection 1 took a buffer"
    );
    assert!(conn.free.is_empty());
    check_invariants(&rig.vmc.snapshot());
    let f = File::new();
    rig.open(&f, 1);
    assert_eq!(rig.round_trip(&f, b"connection 0"), b"connection 0");
    // The simulator counts the one response to an Add Buffer it never sent.
    assert_eq!(rig.protocol_errors(), 1);
}

/// An Open Response names the session it answers: one naming another session (a later
/// one, or an earlier one) is dropped and counted and leaves the open in flight, its
/// buffer still lent; the right one then completes it.
#[test]
fn an_open_response_for_another_session_is_dropped() {
    let rig = Rig::ready();
    // The simulator swallows the open; the responses below are the only ones.
    rig.sim.on_message(0x02, Trigger::Swallow);
    let f = File::new();
    rig.vmc.set_hmc_id(&f, &hmc_id(1)).expect("SETHMCID");
    rig.run();
    let conn = rig.vmc.snapshot().conns[0].clone();
    assert_eq!(conn.state, ConnState::Opening);
    let lent = conn.id_buffer as u16;
    for wrong in [conn.session.wrapping_add(1), conn.session.wrapping_sub(1)] {
        let dropped = rig.vmc.stats().dropped_invalid;
        rig.sim.inject_entry(
            CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse {
                status: Status::Success,
                hmc_session: wrong,
                hmc_index: 0,
                buffer_id: lent,
            })
            .to_bytes(),
        );
        rig.run();
        assert_eq!(
            rig.vmc.stats().dropped_invalid,
            dropped + 1,
            "session {wrong}: not counted"
        );
        assert_eq!(rig.conn_state(0), ConnState::Opening, "session {wrong}");
        assert_eq!(
            lent_buffers(&rig, 0),
            1,
            "session {wrong}: buffer given back"
        );
        assert!(!rig.poll(&f).writable, "session {wrong}: writable");
    }
    rig.sim.inject_entry(
        CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse {
            status: Status::Success,
            hmc_session: conn.session,
            hmc_index: 0,
            buffer_id: lent,
        })
        .to_bytes(),
    );
    rig.run();
    assert_eq!(rig.conn_state(0), ConnState::Ready);
    assert_eq!(lent_buffers(&rig, 0), 0);
    check_invariants(&rig.vmc.snapshot());
}

/// A Close Response can only answer a Close that went out. One that comes while the
/// file's close is still owed (here: the open it follows is itself still waiting to be
/// sent, the hypervisor's queue was full) is dropped and counted: the connection keeps
/// waiting, and ends as its own sends decide (the open never went out, so nothing is
/// to be closed: free at once, its buffers kept, and the next open works).
#[test]
fn a_close_response_before_the_close_was_sent_is_dropped() {
    let rig = Rig::ready();
    // The open meets a full queue once: the session task sleeps in its backoff.
    rig.sim.on_message(0x02, Trigger::Refuse(HcallRc::DROPPED));
    let f = File::new();
    rig.vmc.set_hmc_id(&f, &hmc_id(1)).expect("SETHMCID");
    rig.run();
    rig.close(&f);
    let conn = rig.vmc.snapshot().conns[0].clone();
    assert_eq!(conn.state, ConnState::Closing);
    assert!(!conn.close_sent, "the close went out already");
    let dropped = rig.vmc.stats().dropped_invalid;
    rig.sim.inject_entry(
        CrqRepr::Vmc(VmcMessage::InterfaceCloseResponse {
            status: Status::Success,
            hmc_session: conn.session,
            hmc_index: 0,
        })
        .to_bytes(),
    );
    rig.run();
    assert_eq!(rig.vmc.stats().dropped_invalid, dropped + 1, "not counted");
    assert_eq!(
        rig.conn_state(0),
        ConnState::Closing,
        "a close response nobody asked for freed the connection"
    );
    // The backoff ends: the open is not sent (the file let go), the connection is free
    // and keeps its buffers.
    rig.settle(1_000_000);
    assert_eq!(rig.conn_state(0), ConnState::Free);
    assert_eq!(rig.sim.stats().opens, 0);
    assert_eq!(rig.sim.stats().closes, 0);
    assert!(!rig.vmc.snapshot().conns[0].free.is_empty());
    check_invariants(&rig.vmc.snapshot());
    rig.assert_works("after the stray close response");
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! Entries from the hypervisor that are well formed but name the wrong thing: each has
//! one outcome, decided from LoPAR, that strands no buffer and leaves no file waiting.

mod common;

use common::check_invariants;
use common::hmc_id;
use common::Rig;
use ibmvmc::state::Buf;
use ibmvmc::state::ConnState;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::VmcMessage;
use ibmvmc::File;
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

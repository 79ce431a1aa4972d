// SPDX-License-Identifier: GPL-2.0-or-later
//! A transport event (and a partner restart) injected in every phase of the driver's
//! life: initialisation, capabilities, add buffer, opening, ready, closing. After each
//! the driver must come back to ready, the old session must be hung up, a new session
//! must work, and every message must have been delivered once or reported as an error.

mod common;

use std::collections::HashMap;

use common::check_invariants;
use common::hmc_id;
use common::Rig;
use ibmvmc::hv::HcallRc;
use ibmvmc::state::Buf;
use ibmvmc::state::ConnState;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::Params;
use ibmvmc_sim::SimConfig;
use ibmvmc_sim::Trigger;

const CODES: [u8; 3] = [0x01, 0x02, 0x06];

/// After the event: ready again, a new session opens and echoes, nothing violated.
fn recovers(rig: &Rig, what: &str) {
    rig.assert_works(what);
}

fn armed(msg_type: u8, code: u8) -> Rig {
    let rig = Rig::build(SimConfig::default(), Params::default());
    rig.sim.on_message(msg_type, Trigger::TransportEvent(code));
    rig
}

#[test]
fn event_during_initialisation() {
    for code in CODES {
        let rig = armed(0xC1, code);
        rig.start();
        recovers(&rig, &format!("init {code:#x}"));
    }
}

#[test]
fn event_during_capabilities() {
    for code in CODES {
        let rig = armed(0x01, code);
        rig.start();
        recovers(&rig, &format!("capabilities {code:#x}"));
    }
}

#[test]
fn event_during_add_buffer() {
    for code in CODES {
        let rig = armed(0x84, code);
        rig.start();
        recovers(&rig, &format!("add buffer {code:#x}"));
    }
}

#[test]
fn event_during_opening() {
    for code in CODES {
        let rig = Rig::ready();
        rig.sim.on_message(0x02, Trigger::TransportEvent(code));
        let f = File::new();
        rig.vmc.set_hmc_id(&f, &hmc_id(1)).unwrap();
        rig.run();
        assert!(rig.poll(&f).hangup, "opening {code:#x}: not hung up");
        assert_eq!(rig.write(&f, b"x"), Err(Errno::Io));
        rig.close(&f);
        recovers(&rig, &format!("opening {code:#x}"));
    }
}

#[test]
fn event_during_closing() {
    for code in CODES {
        let rig = Rig::ready();
        let f = File::new();
        rig.open(&f, 1);
        rig.sim.on_message(0x03, Trigger::TransportEvent(code));
        rig.close(&f);
        recovers(&rig, &format!("closing {code:#x}"));
    }
}

#[test]
fn partner_restart_in_every_phase() {
    for msg_type in [0xC1u8, 0x01, 0x84] {
        let rig = Rig::build(SimConfig::default(), Params::default());
        rig.sim.on_message(msg_type, Trigger::PartnerInit);
        rig.start();
        recovers(&rig, &format!("restart at {msg_type:#x}"));
    }
    let rig = Rig::ready();
    rig.sim.on_message(0x02, Trigger::PartnerInit);
    let f = File::new();
    rig.vmc.set_hmc_id(&f, &hmc_id(1)).unwrap();
    rig.run();
    rig.close(&f);
    recovers(&rig, "restart while opening");
}

/// Ready with traffic in flight: each write either returned an error, or its echo is
/// read exactly once, or the session was hung up before the echo could be read (the
/// reader sees EBADFD / POLLHUP: the error reaches the application).
#[test]
fn event_while_ready_with_messages_in_flight() {
    for code in CODES {
        for cut in [0usize, 1, 5, 12] {
            let rig = Rig::ready();
            let f = File::new();
            rig.open(&f, 1);
            let mut written = HashMap::new();
            let mut delivered = HashMap::new();
            for i in 0..20u32 {
                if i as usize == cut {
                    rig.sim.transport_event(code);
                }
                if let Ok(n) = rig.write(&f, &i.to_be_bytes()) {
                    assert_eq!(n, 4);
                    written.insert(i, ());
                }
                if i % 3 == 0 {
                    rig.run();
                }
                while let Ok(m) = rig.read(&f, 100) {
                    let k = u32::from_be_bytes(m.try_into().expect("4 bytes"));
                    assert!(written.contains_key(&k), "echo of a message never written");
                    assert!(
                        delivered.insert(k, ()).is_none(),
                        "message {k} delivered twice"
                    );
                }
            }
            rig.run();
            loop {
                match rig.read(&f, 100) {
                    Ok(m) => {
                        let k = u32::from_be_bytes(m.try_into().expect("4 bytes"));
                        assert!(
                            delivered.insert(k, ()).is_none(),
                            "message {k} delivered twice"
                        );
                    }
                    Err(Errno::BadFd) => break,
                    Err(e) => panic!("code {code:#x} cut {cut}: read after reset: {e:?}"),
                }
            }
            assert!(rig.poll(&f).hangup);
            assert!(written.len() >= cut.min(20));
            rig.close(&f);
            recovers(&rig, &format!("ready {code:#x} cut {cut}"));
        }
    }
}

/// A write whose user copy is still running when the session is reset, and the next
/// session takes the same connection (and, at the hypervisor, the same buffers), must
/// neither RDMA into nor signal that next session: it fails, and the next session's
/// messages arrive intact. (Found by the VM stress test: a stale RDMA overwrote an
/// echo waiting in the hypervisor's buffer, and another process read it.)
#[test]
fn a_write_crossing_a_reset_never_reaches_the_next_session() {
    let rig = Rig::ready();
    let (old, new) = (File::new(), File::new());
    rig.open(&old, 1);
    // A message from the hypervisor, read: its buffer (one the hypervisor adds for
    // its own messages) is now the top of the old session's free stack, so the racing
    // write below takes it.
    assert!(rig.sim.send_hmc_message(0, b"hello old"));
    rig.run();
    assert_eq!(rig.read(&old, 4096), Ok(b"hello old".to_vec()));
    let hello = b"hello new session".to_vec();
    let r = rig.vmc.write(&old, 64, |dst| {
        // While this (old) copy runs: a reset, a new session on the same connection,
        // and a message for it signalled in the same hypervisor buffer.
        rig.sim.transport_event(0x02);
        rig.run();
        rig.open(&new, 2);
        assert!(rig.sim.send_hmc_message(0, &hello));
        dst.fill(0xEE);
        Ok(())
    });
    assert_eq!(r, Err(Errno::Io));
    rig.run();
    assert_eq!(
        rig.read(&new, 4096),
        Ok(hello),
        "the old session's RDMA overwrote the new session's message"
    );
    assert_eq!(rig.read(&new, 4096), Err(Errno::Again));
    assert_eq!(rig.protocol_errors(), 0);
    check_invariants(&rig.vmc.snapshot());
}

/// Two transport events before the link task runs: the recovery must cover both.
/// 0x01 (partner gone: register again) followed by 0x06 (suspended: re-enable) once
/// left only the weaker cause, so the driver re-enabled a queue the hypervisor had
/// forgotten, and its Initialize met H_CLOSED for good. Every order of a pair of
/// causes, and a partner restart between them, must end ready.
#[test]
fn causes_seen_together_combine_to_the_strongest_recovery() {
    for (first, second) in [
        (0x01u8, 0x06u8),
        (0x06, 0x01),
        (0x02, 0x06),
        (0x06, 0x02),
        (0x01, 0x02),
        (0x06, 0x06),
    ] {
        let rig = Rig::ready();
        let f = File::new();
        rig.open(&f, 1);
        // Both land in the queue before the bottom half looks at either.
        rig.sim.transport_event(first);
        rig.sim.transport_event(second);
        rig.run();
        assert!(rig.poll(&f).hangup, "{first:#x} {second:#x}: not hung up");
        rig.close(&f);
        recovers(&rig, &format!("{first:#x} then {second:#x}"));
    }
}

/// A session with one message from the hypervisor queued: its buffer's ID.
fn queued_message(rig: &Rig, file: &File, tag: u8, message: &[u8]) -> usize {
    rig.open(file, tag);
    assert!(rig.sim.send_hmc_message(0, message));
    rig.run();
    rig.vmc.snapshot().conns[0].rx.front().expect("queued") as usize
}

/// A read that finishes after its session was reset, when the next session already has
/// the same connection (and the hypervisor has re-added the same buffer for its own
/// messages), gives nothing back into the next session: neither the buffer (it is the
/// hypervisor's there, not a free one of ours) nor, when the copy-out failed, the
/// message (the next session's reader would read the old session's message).
#[test]
fn a_read_that_ends_after_a_reset_gives_nothing_to_the_next_session() {
    for copy_fails in [false, true] {
        let rig = Rig::ready();
        let (old, new) = (File::new(), File::new());
        let id = queued_message(&rig, &old, 1, b"for the old session");
        let r = rig.vmc.read(&old, 4096, |_| {
            // While this (old) copy runs: a reset, and the next session on the same
            // connection, which the hypervisor gives the same buffer again.
            rig.sim.transport_event(0x02);
            rig.run();
            rig.open(&new, 2);
            assert!(
                matches!(rig.vmc.snapshot().conns[0].bufs[id], Buf::Hypervisor { .. }),
                "the next session does not have buffer {id} from the hypervisor"
            );
            if copy_fails {
                Err(Errno::Fault)
            } else {
                Ok(())
            }
        });
        let what = if copy_fails { "failed copy" } else { "copy" };
        assert_eq!(
            r,
            if copy_fails {
                Err(Errno::Fault)
            } else {
                Ok(19)
            },
            "{what}"
        );
        let conn = rig.vmc.snapshot().conns[0].clone();
        assert!(
            matches!(conn.bufs[id], Buf::Hypervisor { .. }),
            "{what}: buffer {id} is {:?} in the next session",
            conn.bufs[id]
        );
        assert!(
            conn.free.iter().all(|free| free as usize != id),
            "{what}: the old read gave buffer {id} to the next session's free stack"
        );
        assert!(
            conn.rx.is_empty(),
            "{what}: the old message is queued again"
        );
        check_invariants(&rig.vmc.snapshot());
        assert_eq!(rig.read(&new, 4096), Err(Errno::Again), "{what}");
        // The hypervisor's next message comes in that buffer, to the next session.
        assert!(rig.sim.send_hmc_message(0, b"for the new session"));
        rig.run();
        assert_eq!(
            rig.read(&new, 4096),
            Ok(b"for the new session".to_vec()),
            "{what}"
        );
        rig.close(&new);
        rig.close(&old);
        recovers(&rig, what);
    }
}

/// A reader of a reset session still copying out of its local buffer keeps it until its
/// copy ends (the buffer's busy flag): the next session's message for the same buffer
/// waits (the CRQ task sleeps and looks again) rather than being RDMAed into memory
/// that is being copied to the old reader (who would read the new session's message).
#[test]
fn a_reader_of_a_reset_session_keeps_its_buffer_until_its_copy_ends() {
    let rig = Rig::ready();
    let (old, new) = (File::new(), File::new());
    let id = queued_message(&rig, &old, 1, b"for the old session.....");
    let mut copied = Vec::new();
    let r = rig.vmc.read(&old, 4096, |src| {
        rig.sim.transport_event(0x02);
        rig.run();
        rig.open(&new, 2);
        // The next session's message, signalled in the same buffer: the CRQ task must
        // wait for the old reader's copy (the buffer stays in transit).
        assert!(rig.sim.send_hmc_message(0, b"for the next session...."));
        rig.run();
        assert!(
            matches!(rig.vmc.snapshot().conns[0].bufs[id], Buf::Receiving { .. }),
            "the next session's message was RDMAed into buffer {id} during the old copy"
        );
        // The copy-out, after all that.
        copied.extend_from_slice(std::hint::black_box(src));
        Ok(())
    });
    assert_eq!(r, Ok(24));
    assert_eq!(
        copied, b"for the old session.....",
        "the old reader got another session's bytes"
    );
    // The CRQ task looks again, finds the buffer free, and delivers.
    rig.settle(1_000_000);
    assert_eq!(
        rig.read(&new, 4096),
        Ok(b"for the next session....".to_vec())
    );
    assert_eq!(rig.vmc.stats().dropped_rdma, 0);
    rig.close(&new);
    rig.close(&old);
    recovers(&rig, "after the old reader");
}

/// A Signal's RDMA runs without the lock, and may wait for its local buffer (a reader
/// of a reset session still copying out of it): if the connection is reset meanwhile,
/// the message is of a session that is gone. It must not be queued on the connection
/// (the next session there would read it) nor its buffer kept (the next session's
/// hypervisor would add that buffer again, and be refused).
#[test]
fn a_signal_whose_rdma_crossed_a_reset_is_not_queued_for_the_next_session() {
    let rig = Rig::ready();
    let (old, middle, next) = (File::new(), File::new(), File::new());
    let id = queued_message(&rig, &old, 1, b"for the old session");
    let r = rig.vmc.read(&old, 4096, |_| {
        // A reset; the middle session takes the connection and the hypervisor signals it
        // a message in the buffer the old reader still copies from: the CRQ task waits.
        rig.sim.transport_event(0x02);
        rig.run();
        rig.open(&middle, 2);
        assert!(rig.sim.send_hmc_message(0, b"for the middle session"));
        rig.run();
        assert!(
            matches!(rig.vmc.snapshot().conns[0].bufs[id], Buf::Receiving { .. }),
            "the signal did not name buffer {id}"
        );
        // While it waits, the middle session ends by a reset of another task's making:
        // its Close cannot be sent, so the session task resets the link.
        rig.sim.on_message(0x03, Trigger::Refuse(HcallRc::HARDWARE));
        rig.close(&middle);
        assert_eq!(rig.vmc.stats().resets_stalled, 1);
        assert_eq!(rig.conn_state(0), ConnState::Free);
        Ok(())
    });
    assert_eq!(r, Ok(19));
    // The old reader is done: the CRQ task's next look RDMAs the message, for a session
    // that is gone. Then the link comes back.
    rig.settle(1_000_000);
    let conn = rig.vmc.snapshot().conns[0].clone();
    assert!(conn.rx.is_empty(), "a gone session's message is queued");
    assert!(
        !matches!(conn.bufs[id], Buf::Queued { .. } | Buf::Receiving { .. }),
        "buffer {id} kept for a gone session: {:?}",
        conn.bufs[id]
    );
    rig.open(&next, 3);
    assert_eq!(
        rig.read(&next, 4096),
        Err(Errno::Again),
        "the next session read the middle session's message"
    );
    assert_eq!(rig.round_trip(&next, b"next"), b"next");
    assert_eq!(
        rig.sim.stats().add_buffer_failures,
        0,
        "an Add Buffer refused"
    );
    rig.close(&next);
    rig.close(&old);
    check_invariants(&rig.vmc.snapshot());
    recovers(&rig, "after the crossed signal");
}

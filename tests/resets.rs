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

// SPDX-License-Identifier: GPL-2.0-or-later
//! Whatever an hcall of ours answers, the driver neither hangs nor strands anything:
//! each failure is retried after the wait it calls for (on the virtual clock, so the
//! waits are checked, not just survived), or escalated to a reset after which the
//! driver is ready again and a new session works. The same for a partner that stops
//! answering.

mod common;

use common::hmc_id;
use common::Rig;
use ibmvmc::hv::HcallRc;
use ibmvmc::state::ConnState;
use ibmvmc::state::DriverState;
use ibmvmc::File;
use ibmvmc::Params;
use ibmvmc_sim::Hcall;
use ibmvmc_sim::SimConfig;
use ibmvmc_sim::Trigger;
use ibmvmc_sim::TRIGGER_INIT;
use ibmvmc_sim::TRIGGER_INIT_COMPLETE;

const MS: u64 = 1_000;
const S: u64 = 1_000_000;

/// Ready, a new session opens and echoes, the books are exact, the hypervisor saw no
/// protocol violation.
fn works(rig: &Rig, what: &str) {
    rig.assert_works(what);
}

fn armed(msg_type: u8, trigger: Trigger) -> Rig {
    let rig = Rig::build(SimConfig::default(), Params::default());
    rig.sim.on_message(msg_type, trigger);
    rig
}

/// Long-busy from H_FREE_CRQ (a stale registration being freed) is waited out as long
/// as the hypervisor asks, on a timer: not at once (the old core spun through 1024
/// yields), not sooner.
#[test]
fn long_busy_waits_as_long_as_asked() {
    let rig = Rig::build(SimConfig::default(), Params::default());
    rig.sim.fail_next(Hcall::RegCrq, HcallRc::RESOURCE, 1);
    rig.sim.fail_next(Hcall::FreeCrq, HcallRc(9901), 3); // 10 ms each
    rig.start();
    assert_eq!(rig.vmc.driver_state(), DriverState::CrqInit, "did not wait");
    rig.advance(29 * MS);
    assert_eq!(
        rig.vmc.driver_state(),
        DriverState::CrqInit,
        "waited less than 3 x 10 ms"
    );
    rig.advance(MS);
    works(&rig, "after long busy");
    assert_eq!(rig.vmc.stats().resets_stalled, 0);
}

/// H_REG_CRQ busy beyond every retry: the driver is failed, but not for good: it
/// registers again after a pause (1 s, then 2 s, ...) and comes back by itself.
#[test]
fn a_registration_that_fails_is_tried_again_later() {
    let rig = Rig::build(SimConfig::default(), Params::default());
    rig.sim.fail_next(Hcall::RegCrq, HcallRc::BUSY, 40);
    rig.start();
    rig.advance(500 * MS);
    assert_eq!(rig.vmc.driver_state(), DriverState::Failed);
    let f = File::new();
    assert_eq!(rig.vmc.set_hmc_id(&f, &hmc_id(1)), Err(ibmvmc::Errno::Io));
    rig.settle(10 * S);
    works(&rig, "after failed registrations");
}

/// Each send of the handshake failing for good (H_HARDWARE) resets the link instead
/// of leaving the driver in CRQ-init or capabilities for ever.
#[test]
fn a_handshake_send_that_fails_resets_the_link() {
    for (msg_type, what) in [(TRIGGER_INIT, "initialize"), (0x01, "capabilities")] {
        let rig = armed(msg_type, Trigger::Refuse(HcallRc::HARDWARE));
        rig.start();
        assert_eq!(rig.vmc.stats().resets_stalled, 1, "{what}: no reset");
        works(&rig, what);
    }
    // Initialization Complete: sent when the partner initialises first (a restart).
    let rig = Rig::ready();
    rig.sim
        .on_message(TRIGGER_INIT_COMPLETE, Trigger::Refuse(HcallRc::HARDWARE));
    rig.sim.partner_restart();
    rig.run();
    assert_eq!(rig.vmc.stats().resets_stalled, 1, "init complete: no reset");
    works(&rig, "init complete");
}

/// A full queue (H_DROPPED) is retried after a backoff, without a reset.
#[test]
fn a_full_queue_is_waited_out_without_a_reset() {
    for msg_type in [TRIGGER_INIT, 0x01] {
        let rig = armed(msg_type, Trigger::Refuse(HcallRc::DROPPED));
        rig.start();
        assert_ne!(
            rig.vmc.driver_state(),
            DriverState::Ready,
            "{msg_type:#x}: no backoff"
        );
        rig.advance(MS);
        works(&rig, "dropped");
        assert_eq!(rig.vmc.stats().resets_stalled, 0, "{msg_type:#x}");
    }
    // An Interface Open, and a Close, the same.
    for msg_type in [0x02u8, 0x03] {
        let rig = Rig::ready();
        let f = File::new();
        if msg_type == 0x02 {
            rig.sim.on_message(0x02, Trigger::Refuse(HcallRc::DROPPED));
            rig.vmc.set_hmc_id(&f, &hmc_id(1)).unwrap();
            rig.run();
            assert_eq!(rig.conn_state(0), ConnState::Opening);
            rig.advance(MS);
            assert_eq!(rig.conn_state(0), ConnState::Ready);
        } else {
            rig.open(&f, 1);
            rig.sim.on_message(0x03, Trigger::Refuse(HcallRc::DROPPED));
            rig.vmc.release(&f);
            rig.run();
            assert_eq!(rig.conn_state(0), ConnState::Closing);
            rig.advance(MS);
            assert_eq!(rig.conn_state(0), ConnState::Free);
        }
        assert_eq!(rig.vmc.stats().resets_stalled, 0);
        rig.close(&f);
        works(&rig, "open or close dropped");
    }
}

/// An Add Buffer Response or Remove Buffer Response that cannot be sent leaves the
/// two sides disagreeing about a buffer: the link is reset, and comes back.
#[test]
fn a_buffer_response_that_fails_resets_the_link() {
    // Add Buffer Responses go out right after capabilities.
    let rig = armed(0x84, Trigger::Refuse(HcallRc::HARDWARE));
    rig.start();
    assert_eq!(rig.vmc.stats().resets_stalled, 1, "add buffer response");
    works(&rig, "add buffer response");

    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.on_message(0x85, Trigger::Refuse(HcallRc::HARDWARE));
    assert!(rig.sim.remove_buffer(0));
    rig.run();
    assert_eq!(rig.vmc.stats().resets_stalled, 1, "remove buffer response");
    assert!(rig.poll(&f).hangup);
    rig.close(&f);
    works(&rig, "remove buffer response");
}

/// An Interface Close that cannot be sent: the hypervisor keeps the session, so
/// freeing the connection here (the old core did) left index 0 open there, and with
/// one connection no session could ever open again. The link is reset instead.
#[test]
fn a_close_that_fails_resets_the_link() {
    let rig = Rig::ready();
    assert_eq!(rig.vmc.params().max_hmcs(), 1);
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.on_message(0x03, Trigger::Refuse(HcallRc::HARDWARE));
    rig.close(&f);
    assert_eq!(rig.vmc.stats().resets_stalled, 1);
    works(&rig, "close not sent");
}

/// A partner that never answers: a missing answer to Initialize or a missing
/// Capabilities Response resets the link after 5 s, a missing Open or Close Response
/// after 10 s; each time the driver comes back, and the file whose open was never
/// answered is told (POLLHUP), not left waiting. A partner that is not there at all
/// (H_CLOSED) is waited for without limit.
#[test]
fn a_partner_that_does_not_answer_times_out() {
    let rig = armed(TRIGGER_INIT, Trigger::Swallow);
    rig.start();
    rig.advance(4_999 * MS);
    assert_eq!(rig.vmc.driver_state(), DriverState::CrqInit);
    rig.advance(MS);
    assert_eq!(rig.vmc.stats().resets_stalled, 1);
    works(&rig, "initialize swallowed");

    let rig = Rig::with(
        SimConfig {
            partner_present: false,
            ..SimConfig::default()
        },
        Params::default(),
    );
    rig.advance(3_600 * S);
    assert_eq!(rig.vmc.driver_state(), DriverState::CrqInit);
    assert_eq!(
        rig.vmc.stats().resets_stalled,
        0,
        "an absent partner is not a stalled one"
    );
    rig.sim.partner_arrive();
    works(&rig, "partner arrived after an hour");

    let rig = armed(0x01, Trigger::Swallow);
    rig.start();
    rig.advance(4_999 * MS);
    assert_eq!(rig.vmc.driver_state(), DriverState::Capabilities);
    rig.advance(MS);
    assert_eq!(rig.vmc.stats().resets_stalled, 1);
    works(&rig, "capabilities swallowed");

    let rig = Rig::ready();
    rig.sim.on_message(0x02, Trigger::Swallow);
    let f = File::new();
    rig.vmc.set_hmc_id(&f, &hmc_id(1)).unwrap();
    rig.advance(9_999 * MS);
    assert_eq!(rig.conn_state(0), ConnState::Opening);
    assert!(!rig.poll(&f).hangup);
    rig.advance(MS);
    assert!(
        rig.poll(&f).hangup,
        "an unanswered open leaves its file waiting"
    );
    rig.close(&f);
    works(&rig, "open swallowed");

    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.on_message(0x03, Trigger::Swallow);
    rig.close(&f);
    rig.advance(9_999 * MS);
    assert_eq!(rig.conn_state(0), ConnState::Closing);
    rig.advance(MS);
    assert_eq!(rig.vmc.stats().resets_stalled, 1);
    works(&rig, "close swallowed");
}

/// An answered open or close disarms its timeout: no reset 10 s later.
#[test]
fn an_answered_open_or_close_does_not_time_out() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.advance(20 * S);
    rig.close(&f);
    rig.advance(20 * S);
    assert_eq!(rig.vmc.stats().resets_stalled, 0);
    assert!(
        rig.clock.next().is_none(),
        "a timer is still armed: {:?}",
        rig.clock.next()
    );
    works(&rig, "answered");
}

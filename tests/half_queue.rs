// SPDX-License-Identifier: GPL-2.0-or-later
//! LoPAR's half-queue rule: the partition keeps its outstanding messages to at most
//! half of the CRQ size the hypervisor announced in the capabilities exchange. A write
//! past it answers EBUSY (poll() not writable) until the hypervisor answers one, and
//! nothing is lost.

mod common;

use common::Rig;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::Params;
use ibmvmc_sim::SimConfig;

/// The hypervisor announces 8 entries: 4 of our messages may be in flight.
fn rig(max_hmcs: i64) -> Rig {
    let (params, _) = Params::clamped(16, max_hmcs, 4096);
    Rig::with(
        SimConfig {
            hv_crq_size: 8,
            ..SimConfig::default()
        },
        params,
    )
}

#[test]
fn writes_beyond_half_the_hypervisors_queue_wait_for_an_answer() {
    let rig = rig(1);
    let f = File::new();
    rig.open(&f, 1);
    assert!(rig.poll(&f).writable);
    // The hypervisor holds its answers: our messages stay in flight.
    rig.sim.hold_responses(true);
    for i in 0..4u8 {
        assert_eq!(
            rig.write(&f, &[i; 40]),
            Ok(40),
            "message {i} within half the queue"
        );
    }
    assert!(
        rig.vmc.snapshot().conns[0].free.len() > 1,
        "send buffers are left: the queue rule holds it back"
    );
    assert!(
        !rig.poll(&f).writable,
        "half the queue in flight: not writable"
    );
    assert_eq!(rig.write(&f, &[9; 40]), Err(Errno::Busy));
    assert_eq!(
        rig.sim.stats().signals_in,
        4,
        "the fifth never reached the hypervisor"
    );
    rig.sim.hold_responses(false);
    rig.run();
    for i in 0..4u8 {
        assert_eq!(rig.read(&f, 4096), Ok(vec![i; 40]), "echo {i}");
    }
    assert!(rig.poll(&f).writable);
    assert_eq!(rig.round_trip(&f, b"after"), b"after");
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn an_answer_on_one_connection_wakes_the_writers_of_another() {
    let rig = rig(2);
    let (f, g) = (File::new(), File::new());
    rig.open(&f, 1);
    rig.open(&g, 2);
    assert_eq!(rig.vmc.wait_index(&g), Some(1));
    rig.sim.hold_responses(true);
    for i in 0..4u8 {
        assert_eq!(rig.write(&f, &[i; 20]), Ok(20));
    }
    // The queue is shared: the other connection waits too.
    assert!(!rig.poll(&g).writable);
    assert_eq!(rig.write(&g, b"held"), Err(Errno::Busy));
    let before = rig.wakes.get(1);
    rig.sim.hold_responses(false);
    rig.run();
    assert!(
        rig.wakes.get(1) > before,
        "g's waiters were woken by f's answers"
    );
    assert!(rig.poll(&g).writable);
    assert_eq!(rig.round_trip(&g, b"now"), b"now");
    for i in 0..4u8 {
        assert_eq!(rig.read(&f, 4096), Ok(vec![i; 20]));
    }
}

#[test]
fn an_open_in_flight_counts_against_the_queue() {
    let rig = rig(2);
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.hold_responses(true);
    for i in 0..3u8 {
        assert_eq!(rig.write(&f, &[i; 20]), Ok(20));
    }
    // A second session's Interface Open goes out (its answer is held too): with it,
    // four of ours are in flight.
    let g = File::new();
    rig.vmc
        .set_hmc_id(&g, &common::hmc_id(2))
        .expect("SETHMCID");
    rig.run();
    assert_eq!(rig.sim.stats().opens, 2);
    assert_eq!(rig.write(&f, &[3; 20]), Err(Errno::Busy));
    rig.sim.hold_responses(false);
    rig.run();
    assert!(rig.poll(&g).writable, "the second session opened");
    assert_eq!(rig.write(&f, &[3; 20]), Ok(20));
    rig.run();
    for i in 0..4u8 {
        assert_eq!(rig.read(&f, 4096), Ok(vec![i; 20]));
    }
}

#[test]
fn writers_filling_their_buffers_at_once_count_against_the_queue() {
    let rig = rig(1);
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.hold_responses(true);
    for i in 0..3u8 {
        assert_eq!(rig.write(&f, &[i; 40]), Ok(40));
    }
    // A fourth writer is copying from user space (its buffer taken, nothing sent yet)
    // when a fifth comes: only one of them fits.
    let mut inner = None;
    let outer = rig.vmc.write(&f, 40, |bytes| {
        bytes.fill(3);
        inner = Some(rig.vmc.write(&f, 40, |bytes| {
            bytes.fill(4);
            Ok(())
        }));
        Ok(())
    });
    assert_eq!(outer, Ok(40));
    assert_eq!(
        inner,
        Some(Err(Errno::Busy)),
        "the writer still copying counts as in flight"
    );
    assert_eq!(rig.sim.stats().signals_in, 4);
    rig.sim.hold_responses(false);
    rig.run();
    for i in 0..4u8 {
        assert_eq!(rig.read(&f, 4096), Ok(vec![i; 40]));
    }
}

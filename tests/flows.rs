// SPDX-License-Identifier: GPL-2.0-or-later
//! The driver's flows (handshake, open, messages, close, reset), end to end through the
//! core and the simulator, and the errno contract of every file operation, case by case.

mod common;

use common::hmc_message;
use common::hmc_response;
use common::Rig;
use ibmvmc::hv::HcallRc;
use ibmvmc::state::ConnState;
use ibmvmc::state::DriverState;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::VmcMessage;
use ibmvmc::CoreState;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::LocalBuf;
use ibmvmc::Params;
use ibmvmc::Readiness;
use ibmvmc::SetupError;
use ibmvmc::Vmc;
use ibmvmc_sim::SimConfig;

#[test]
fn initialisation_handshake_reaches_ready() {
    let rig = Rig::ready();
    let q = rig.vmc.query();
    assert_eq!((q.have_vmc, q.state), (1, 3));
    let stats = rig.sim.stats();
    assert_eq!(stats.inits, 1);
    assert_eq!(stats.capabilities, 1);
    let n = rig.vmc.snapshot().negotiated.expect("negotiated");
    // Minimum of both sides: ours are the defaults (1, 32, 4096), the simulator's (2, 64, 16384).
    assert_eq!((n.max_hmcs, n.pool_size, n.mtu), (1, 32, 4096));
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn handshake_waits_for_a_partner_that_registers_later() {
    let config = SimConfig {
        partner_present: false,
        ..SimConfig::default()
    };
    let rig = Rig::with(config, Params::default());
    // H_REG_CRQ said H_CLOSED: registered, partner absent. Not a failure.
    assert_eq!(rig.vmc.driver_state(), DriverState::CrqInit);
    let f = File::new();
    assert_eq!(
        rig.vmc.set_hmc_id(&f, &common::hmc_id(1)),
        Err(Errno::Again)
    );
    rig.sim.partner_arrive();
    rig.run();
    assert_eq!(rig.vmc.driver_state(), DriverState::Ready);
    rig.open(&f, 1);
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn session_open_exchange_echo_close() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 0x42);
    assert_eq!(rig.sim.hmc_id(0), Some(common::hmc_id(0x42)));
    assert_eq!(rig.sim.session(0), Some(1));
    assert!(rig.poll(&f).writable);

    let (op, rc, token, _) = hmc_response(&rig.round_trip(&f, &hmc_message(0x0001, 7, &[])));
    assert_eq!((op, rc, token), (0x0001, 0, 7));

    let payload: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
    let (op, rc, token, data) =
        hmc_response(&rig.round_trip(&f, &hmc_message(0x0103, 8, &payload)));
    assert_eq!((op, rc, token), (0x0103, 0, 8));
    assert_eq!(data, payload);

    let (op, rc, _, _) = hmc_response(&rig.round_trip(&f, &hmc_message(0x0002, 9, &[])));
    assert_eq!((op, rc), (0x0002, 0));

    rig.close(&f);
    assert_eq!(rig.conn_state(0), ConnState::Free);
    assert_eq!(rig.sim.session(0), None);
    let stats = rig.sim.stats();
    assert_eq!(
        (
            stats.exchange_ops,
            stats.echoes,
            stats.hmc_closes,
            stats.closes
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(rig.protocol_errors(), 0);

    // The connection is free again: a new file opens the next session.
    let g = File::new();
    rig.open(&g, 0x43);
    assert_eq!(rig.sim.session(0), Some(2));
}

/// Entries the simulator put on the partition's queue, as far as its trace reaches.
fn entries_to_partition(rig: &Rig) -> u64 {
    let mut n = 0;
    rig.sim
        .trace(&mut |direction, _| n += (direction == ibmvmc_sim::Direction::ToPartition) as u64);
    n
}

#[test]
fn crq_in_counts_every_entry_taken_off_the_queue_once() {
    // `dispatch` counts most entries, `signal()` counts Signals in its first lock round
    // trip: together exactly one count per entry, whichever way it was handled.
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    assert_eq!(rig.sim.stats().dropped_to_partition, 0);
    let handshake = entries_to_partition(&rig);
    assert!(handshake > 2 && handshake < ibmvmc_sim::TRACE_LEN as u64 / 2);
    assert_eq!(rig.vmc.stats().crq_in, handshake);

    // A message and its echo: the echo's Signal, one entry.
    let reply = rig.round_trip(&f, &hmc_message(0x0103, 1, &[5; 100]));
    assert_eq!(hmc_response(&reply).3, [5; 100]);
    assert_eq!(rig.vmc.stats().crq_in, handshake + 1);

    // Dropped ones count too: a Signal naming a buffer out of range (dropped by
    // `signal()`), an entry that does not decode (VMC header, unknown type), and one
    // only the partition sends (Interface Open).
    let session = rig.sim.session(0).expect("open");
    let dropped = rig.vmc.stats().dropped_invalid;
    let bad_signal = CrqRepr::Vmc(VmcMessage::Signal {
        hmc_session: session,
        hmc_index: 0,
        buffer_id: 999,
        msg_len: 10,
    });
    rig.sim.inject_entry(bad_signal.to_bytes());
    let mut undecodable = [0u8; 16];
    undecodable[0] = ibmvmc::wire::header::COMMAND_RESPONSE;
    undecodable[1] = 0x7f;
    rig.sim.inject_entry(undecodable);
    let unexpected = CrqRepr::Vmc(VmcMessage::InterfaceOpen {
        hmc_session: session,
        hmc_index: 0,
        buffer_id: 0,
    });
    rig.sim.inject_entry(unexpected.to_bytes());
    rig.run();
    let stats = rig.vmc.stats();
    assert_eq!(stats.dropped_invalid, dropped + 3);
    assert_eq!(stats.crq_in, handshake + 4);
    assert_eq!(stats.crq_in, entries_to_partition(&rig));
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn echoes_of_every_size_class_up_to_the_mtu() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let mtu = rig.mtu();
    for len in [1, 2, 15, 16, 17, 31, 32, 33, 100, 1000, 4000, mtu - 1, mtu] {
        let msg: Vec<u8> = (0..len).map(|i| (i as u8) ^ (len as u8)).collect();
        assert_eq!(rig.round_trip(&f, &msg), msg, "echo of {len} bytes");
    }
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn sethmcid_errors() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    // Already opening/open: EIO.
    assert_eq!(rig.vmc.set_hmc_id(&f, &common::hmc_id(1)), Err(Errno::Io));
    // max_hmcs = 1: the only connection is taken.
    let g = File::new();
    assert_eq!(rig.vmc.set_hmc_id(&g, &common::hmc_id(2)), Err(Errno::Busy));
}

#[test]
fn sethmcid_right_after_a_close_is_ebusy_until_the_new_buffer_comes() {
    let rig = Rig::ready();
    let a = File::new();
    rig.open(&a, 1);
    // The close completes; the hypervisor's buffer for the next open is still on its
    // way (two clients racing: the second SETHMCID comes in this window).
    rig.sim.hold_seeds(true);
    rig.close(&a);
    assert_eq!(rig.conn_state(0), ConnState::Free);
    let b = File::new();
    assert_eq!(
        rig.vmc.set_hmc_id(&b, &common::hmc_id(2)),
        Err(Errno::Busy),
        "retryable, not ENOBUFS"
    );
    assert_eq!(rig.vmc.wait_index(&b), None, "EBUSY takes no connection");
    assert_eq!(
        rig.conn_state(0),
        ConnState::Free,
        "a third client can still have it"
    );
    rig.sim.hold_seeds(false);
    rig.run();
    rig.open(&b, 2);
    assert_eq!(rig.round_trip(&b, b"after the race"), b"after the race");
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn sethmcid_before_the_hypervisor_gave_any_buffer_is_enobufs_and_keeps_the_connection() {
    let rig = Rig::with(
        SimConfig {
            seed_buffers: false,
            ..SimConfig::default()
        },
        Params::default(),
    );
    assert_eq!(rig.vmc.driver_state(), DriverState::Ready);
    let f = File::new();
    assert_eq!(
        rig.vmc.set_hmc_id(&f, &common::hmc_id(1)),
        Err(Errno::NoBufs)
    );
    assert_eq!(
        rig.vmc.wait_index(&f),
        Some(0),
        "the file keeps the connection"
    );
    assert_eq!(rig.conn_state(0), ConnState::Initial);
}

#[test]
fn write_while_the_open_is_in_flight_is_ebusy() {
    let rig = Rig::ready();
    let f = File::new();
    rig.sim.hold_responses(true);
    rig.vmc.set_hmc_id(&f, &common::hmc_id(1)).unwrap();
    rig.run();
    assert_eq!(rig.conn_state(0), ConnState::Opening);
    assert_eq!(rig.write(&f, b"x"), Err(Errno::Busy));
    assert_eq!(rig.poll(&f), Readiness::default());
    assert_eq!(rig.read(&f, 10), Err(Errno::Again));
    rig.sim.hold_responses(false);
    rig.run();
    assert_eq!(rig.conn_state(0), ConnState::Ready);
    assert_eq!(rig.round_trip(&f, b"x"), b"x");
}

#[test]
fn calls_without_a_session() {
    let rig = Rig::ready();
    let f = File::new();
    assert_eq!(rig.write(&f, b"x"), Err(Errno::Io));
    assert_eq!(rig.read(&f, 10), Err(Errno::Io));
    assert_eq!(rig.poll(&f), Readiness::default());
    rig.vmc.release(&f);
}

#[test]
fn sizes_at_and_beyond_the_mtu() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let mtu = rig.mtu();
    assert_eq!(rig.write(&f, &vec![0; mtu + 1]), Err(Errno::Io));
    assert_eq!(rig.read(&f, mtu + 1), Err(Errno::Inval));
    assert_eq!(rig.read(&f, 0), Ok(vec![]));
    let before = rig.sim.stats().signals_in;
    assert_eq!(rig.write(&f, &[]), Ok(0));
    assert_eq!(
        rig.sim.stats().signals_in,
        before,
        "a zero-length write sends nothing"
    );
}

#[test]
fn read_with_nothing_queued_is_eagain() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    assert_eq!(rig.read(&f, 100), Err(Errno::Again));
    assert!(!rig.poll(&f).readable);
}

#[test]
fn one_message_per_read_in_order() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    for i in 0..5u8 {
        assert_eq!(rig.write(&f, &[i; 10]), Ok(10));
    }
    rig.run();
    for i in 0..5u8 {
        assert_eq!(rig.read(&f, 4096), Ok(vec![i; 10]));
    }
    assert_eq!(rig.read(&f, 4096), Err(Errno::Again));
}

#[test]
fn efault_on_write_sends_nothing_and_keeps_the_buffer() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let free = rig.vmc.snapshot().conns[0].free.len();
    let before = rig.sim.stats().signals_in;
    assert_eq!(
        rig.vmc.write(&f, 10, |_| Err(Errno::Fault)),
        Err(Errno::Fault)
    );
    assert_eq!(rig.vmc.snapshot().conns[0].free.len(), free);
    assert_eq!(rig.sim.stats().signals_in, before);
}

#[test]
fn efault_on_read_keeps_the_message_first_in_line() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.write(&f, b"first").unwrap();
    rig.write(&f, b"second").unwrap();
    rig.run();
    assert_eq!(
        rig.vmc.read(&f, 100, |_| Err(Errno::Fault)),
        Err(Errno::Fault)
    );
    assert_eq!(rig.read(&f, 100), Ok(b"first".to_vec()));
    assert_eq!(rig.read(&f, 100), Ok(b"second".to_vec()));
}

#[test]
fn out_of_send_buffers_is_ebusy_until_one_is_read() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let mut sent = 0;
    loop {
        match rig.write(&f, b"ping") {
            Ok(4) => sent += 1,
            Err(Errno::Busy) => break,
            other => panic!("write: {other:?}"),
        }
        assert!(sent < 100, "never ran out");
    }
    assert!(sent > 0);
    assert!(!rig.poll(&f).writable);
    rig.run();
    // The echoes came back in the same buffers; reading one frees it for sending.
    assert_eq!(rig.read(&f, 100), Ok(b"ping".to_vec()));
    assert!(rig.poll(&f).writable);
    assert_eq!(rig.write(&f, b"pong"), Ok(4));
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn poll_readiness_through_a_session() {
    let rig = Rig::ready();
    let f = File::new();
    assert_eq!(rig.poll(&f), Readiness::default());
    rig.open(&f, 1);
    assert_eq!(
        rig.poll(&f),
        Readiness {
            readable: false,
            writable: true,
            hangup: false
        }
    );
    rig.write(&f, b"abc").unwrap();
    rig.run();
    assert!(rig.poll(&f).readable);
    rig.sim.transport_event(0x02);
    rig.run();
    assert_eq!(
        rig.poll(&f),
        Readiness {
            readable: false,
            writable: false,
            hangup: true
        }
    );
}

#[test]
fn request_vmc_maps_every_return_code() {
    let rig = Rig::ready();
    rig.sim.set_request_vmc(HcallRc::SUCCESS, 0x1234);
    assert_eq!(rig.vmc.request_vmc(), Ok(0x1234));
    assert_eq!(rig.vmc.query().vmc_drc_index, 0x1234);
    for (rc, errno) in [
        (HcallRc::FUNCTION, Errno::Perm),
        (HcallRc::AUTHORITY, Errno::Perm),
        (HcallRc::NOT_AVAILABLE, Errno::Perm),
        (HcallRc::HARDWARE, Errno::Io),
        (HcallRc::RESOURCE, Errno::NoDev),
        (HcallRc::PARAMETER, Errno::Inval),
        (HcallRc(-9999), Errno::Io),
        (HcallRc(12345), Errno::Io),
        (HcallRc::BUSY, Errno::Busy),
    ] {
        rig.sim.set_request_vmc(rc, 0x99);
        assert_eq!(rig.vmc.request_vmc(), Err(errno), "rc {}", rc.0);
    }
    // Busy a few times, then success: retried.
    rig.sim.set_request_vmc(HcallRc::SUCCESS, 0x77);
    rig.sim
        .fail_next(ibmvmc_sim::Hcall::RequestVmc, HcallRc::LONG_BUSY_1_MSEC, 3);
    assert_eq!(rig.vmc.request_vmc(), Ok(0x77));
    assert_eq!(rig.vmc.query().vmc_drc_index, 0x77);
}

#[test]
fn hypervisor_removes_a_free_buffer_but_never_the_last() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let (free, _, _) = rig.vmc.snapshot().conns[0].buffer_counts();
    assert!(free >= 2);
    assert!(rig.sim.remove_buffer(0));
    rig.run();
    assert_eq!(rig.vmc.snapshot().conns[0].buffer_counts().0, free - 1);
    assert_eq!(rig.sim.stats().remove_buffer_responses, 1);
    for _ in 0..free {
        rig.sim.remove_buffer(0);
        rig.run();
    }
    assert_eq!(
        rig.vmc.snapshot().conns[0].buffer_counts().0,
        1,
        "the last buffer stays"
    );
    assert_eq!(rig.round_trip(&f, b"still works"), b"still works");
}

#[test]
fn unsolicited_messages_from_the_hypervisor_are_read_in_order() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    for i in 0..5u8 {
        assert!(rig.sim.send_hmc_message(0, &[i; 3]));
    }
    rig.run();
    for i in 0..5u8 {
        assert_eq!(rig.read(&f, 100), Ok(vec![i; 3]));
    }
}

#[test]
fn two_sessions_are_isolated() {
    let rig = Rig::ready_two();
    let (a, b) = (File::new(), File::new());
    rig.open(&a, 1);
    rig.open(&b, 2);
    let (ia, ib) = (
        rig.vmc.wait_index(&a).unwrap(),
        rig.vmc.wait_index(&b).unwrap(),
    );
    assert_ne!(ia, ib);
    let (wa, wb) = (rig.wakes.get(ia as usize), rig.wakes.get(ib as usize));
    for _ in 0..10 {
        rig.write(&a, b"for a").unwrap();
    }
    rig.run();
    assert!(rig.wakes.get(ia as usize) > wa);
    assert_eq!(
        rig.wakes.get(ib as usize),
        wb,
        "b's waiters woken by a's traffic"
    );
    assert_eq!(rig.read(&b, 100), Err(Errno::Again));
    for _ in 0..10 {
        assert_eq!(rig.read(&a, 100), Ok(b"for a".to_vec()));
    }
    assert_eq!(rig.round_trip(&b, b"for b"), b"for b");
    assert_eq!(rig.protocol_errors(), 0);
}

/// The kernel's executor has fixed task slots (src/kmod/bh.rs TASK_BYTES); the core's
/// futures must fit them, with room to grow.
#[test]
fn task_futures_fit_the_kernel_executor_slots() {
    let rig = Rig::build(ibmvmc_sim::SimConfig::default(), Params::default());
    let sizes = [
        ("run_crq", std::mem::size_of_val(&rig.vmc.run_crq())),
        ("run_link", std::mem::size_of_val(&rig.vmc.run_link())),
        (
            "run_session",
            std::mem::size_of_val(&rig.vmc.run_session(0)),
        ),
    ];
    for (name, size) in sizes {
        eprintln!("{name}: {size} bytes");
        assert!(size <= 512, "{name} is {size} bytes");
    }
    // The kernel glue builds a `Vmc` on the stack before boxing it.
    let vmc = std::mem::size_of::<common::TestVmc>();
    eprintln!("Vmc: {vmc} bytes");
    assert!(
        vmc <= 4096,
        "Vmc is {vmc} bytes: too big for a kernel stack frame"
    );
}

#[test]
fn device_removal_hangs_up_every_session_for_good() {
    let rig = Rig::ready_two();
    let (a, b) = (File::new(), File::new());
    rig.open(&a, 1);
    rig.open(&b, 2);
    rig.write(&a, b"in flight").unwrap();
    let before = (rig.wakes.get(0), rig.wakes.get(1));
    rig.vmc.remove();
    assert!(
        rig.wakes.get(0) > before.0 && rig.wakes.get(1) > before.1,
        "blocked readers not woken"
    );
    rig.run();
    for f in [&a, &b] {
        assert_eq!(
            rig.poll(f),
            Readiness {
                readable: false,
                writable: false,
                hangup: true
            }
        );
        assert_eq!(rig.read(f, 100), Err(Errno::BadFd));
        assert_eq!(rig.write(f, b"x"), Err(Errno::Io));
    }
    let c = File::new();
    assert_eq!(rig.vmc.set_hmc_id(&c, &common::hmc_id(3)), Err(Errno::Io));
    // Whatever the hypervisor still sends is ignored: no recovery after removal.
    rig.sim.transport_event(0x02);
    rig.sim.partner_restart();
    rig.run();
    assert_eq!(rig.vmc.driver_state(), DriverState::Failed);
    assert_eq!(rig.vmc.query().state, 4);
    rig.vmc.release(&a);
    rig.vmc.release(&b);
    rig.run();
}

/// The core's protocol state lives outside the `Vmc` (the module keeps it in a
/// `static`, off the kernel stack): one driver at a time claims it, and a driver that
/// goes away leaves it fresh for the next.
#[test]
fn a_core_state_serves_one_driver_at_a_time_and_comes_back_fresh() {
    let rig = Rig::ready();
    let params = Params::default();
    let mtu = params.max_mtu() as usize;
    let local: Vec<LocalBuf> = (0..params.local_buffers())
        .map(|i| LocalBuf::new(vec![0u8; mtu].leak(), (i * mtu) as u64))
        .collect();
    let local: &'static [LocalBuf] = local.leak();
    let state: &'static CoreState = Box::leak(Box::new(CoreState::new()));
    let new = || Vmc::new(rig.sim, rig.wakes, rig.clock, params, local, state);

    let first = new().expect("a fresh state");
    assert_eq!(first.driver_state(), DriverState::Initial);
    assert!(
        matches!(new(), Err(SetupError::StateInUse)),
        "a second driver on a claimed state"
    );
    first.remove();
    assert_eq!(first.driver_state(), DriverState::Failed);
    drop(first);
    let next = new().expect("the state is free again after the drop");
    assert_eq!(
        next.driver_state(),
        DriverState::Initial,
        "the next driver starts from a fresh state"
    );
}

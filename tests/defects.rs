// SPDX-License-Identifier: GPL-2.0-or-later
//! One test per defect of the C driver, `defect_NN_*` for defects 1 to 23 of
//! `tests/DEFECTS.md` (numbered as there; that file says what each defect was and
//! which VM checks cover it too). Each fails if the core had that defect. Defects that
//! live partly in the kernel glue (locking across copy_from_user, the CAP_SYS_ADMIN
//! check, remove()) are tested here as far as the core is concerned and again in the
//! VM tests; 24 and 25 live in the glue only and have VM checks alone.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;

use common::check_invariants;
use common::hmc_id;
use common::Rig;
use ibmvmc::hv::HcallRc;
use ibmvmc::state::ConnState;
use ibmvmc::state::DriverState;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::VmcMessage;
use ibmvmc::Errno;
use ibmvmc::File;
use ibmvmc::Params;
use ibmvmc::Readiness;
use ibmvmc_sim::Hcall;
use ibmvmc_sim::SimConfig;

fn free_buffers(rig: &Rig) -> usize {
    rig.vmc.snapshot().conns[0].free.len()
}

fn signal(session: u8, index: u8, buffer_id: u16, msg_len: u32) -> [u8; 16] {
    CrqRepr::Vmc(VmcMessage::Signal {
        hmc_session: session,
        hmc_index: index,
        buffer_id,
        msg_len,
    })
    .to_bytes()
}

/// A buffer the hypervisor owns on connection 0 (it added even IDs as its own).
fn hypervisor_buffer(rig: &Rig) -> u16 {
    let state = rig.vmc.snapshot();
    state.conns[0]
        .bufs
        .iter()
        .position(|b| matches!(b, ibmvmc::state::Buf::Hypervisor { .. }))
        .expect("no hypervisor-owned buffer") as u16
}

/// Whether another thread can take the core's lock within 2 s (it cannot while this
/// thread holds it: the critical section is one global lock).
fn lock_is_free(rig: &'static Rig) -> bool {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = rig.vmc.query();
        let _ = tx.send(());
    });
    rx.recv_timeout(std::time::Duration::from_secs(2)).is_ok()
}

#[test]
fn defect_01_write_copies_outside_the_lock_and_copies_all_of_it() {
    let rig: &'static Rig = Box::leak(Box::new(Rig::ready()));
    let f = File::new();
    rig.open(&f, 1);
    let msg: Vec<u8> = (0..4096u32).map(|i| (i % 251) as u8).collect();
    // The user copy (which may fault and sleep) runs with no core lock held.
    let n = rig.vmc.write(&f, msg.len(), |dst| {
        assert!(
            lock_is_free(rig),
            "write copies from user space under the lock"
        );
        dst.copy_from_slice(&msg);
        Ok(())
    });
    assert_eq!(n, Ok(4096));
    rig.run();
    let got = rig.vmc.read(&f, 4096, |src| {
        assert!(
            lock_is_free(rig),
            "read copies to user space under the lock"
        );
        assert_eq!(src, &msg[..], "every byte arrives at its place");
        Ok(())
    });
    assert_eq!(got, Ok(4096));
}

#[test]
fn defect_02_write_never_leaks_its_buffer() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let free = free_buffers(&rig);
    assert_eq!(rig.write(&f, &[]), Ok(0));
    assert_eq!(free_buffers(&rig), free, "zero-length write");
    assert_eq!(
        rig.vmc.write(&f, 8, |_| Err(Errno::Fault)),
        Err(Errno::Fault)
    );
    assert_eq!(free_buffers(&rig), free, "EFAULT");
    rig.sim.fail_next(Hcall::SendCrq, HcallRc::DROPPED, 1);
    assert_eq!(rig.write(&f, b"lost?"), Err(Errno::Busy));
    assert_eq!(free_buffers(&rig), free, "failed send");
    rig.sim.fail_next(Hcall::CopyRdma, HcallRc::HARDWARE, 1);
    assert_eq!(rig.write(&f, b"lost?"), Err(Errno::Io));
    assert_eq!(free_buffers(&rig), free, "failed rdma");
    check_invariants(&rig.vmc.snapshot());
}

#[test]
fn defect_03_failed_sends_are_reported() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.fail_next(Hcall::SendCrq, HcallRc::HARDWARE, 1);
    assert_eq!(
        rig.write(&f, b"x"),
        Err(Errno::Io),
        "a failed Signal is an error, not success"
    );
    rig.close(&f);

    // A failed Interface Open does not leave the connection in `opening`.
    let g = File::new();
    rig.sim.fail_next(Hcall::SendCrq, HcallRc::HARDWARE, 1);
    rig.vmc.set_hmc_id(&g, &hmc_id(2)).unwrap();
    rig.run();
    assert_eq!(rig.conn_state(0), ConnState::Failed);
    assert_eq!(
        rig.poll(&g),
        Readiness {
            readable: false,
            writable: false,
            hangup: true
        }
    );
    assert_eq!(rig.write(&g, b"x"), Err(Errno::Io));
    rig.close(&g);
    assert_eq!(rig.conn_state(0), ConnState::Free);
    let h = File::new();
    rig.open(&h, 3);
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn defect_04_request_vmc_treats_unknown_codes_as_errors() {
    let rig = Rig::ready();
    rig.sim.set_request_vmc(HcallRc(-77), 5);
    assert_eq!(rig.vmc.request_vmc(), Err(Errno::Io));
    assert_eq!(
        rig.vmc.query().vmc_drc_index,
        0,
        "a failed request records no index"
    );
}

#[test]
fn defect_05_state_is_consistent_under_concurrency() {
    let rig: &'static Rig = Box::leak(Box::new(Rig::ready()));
    let stop: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    let bottom_half = std::thread::spawn(move || {
        let mut n = 0u32;
        while !stop.load(Ordering::Acquire) {
            rig.run();
            n += 1;
            if n % 500 == 0 {
                rig.sim.transport_event(0x02);
            }
            std::thread::yield_now();
        }
        rig.run();
    });
    let app = std::thread::spawn(move || {
        let mut ok = 0;
        let mut f = File::new();
        // Until enough writes went through (or 20 s passed): how many iterations that
        // takes depends on how the two threads are scheduled.
        let start = std::time::Instant::now();
        let mut i = 0u32;
        while ok < 2_000 && start.elapsed() < std::time::Duration::from_secs(20) {
            i += 1;
            match rig.vmc.poll(&f) {
                r if r.hangup => {
                    rig.vmc.release(&f);
                    f = File::new();
                }
                r if r.readable => {
                    let _ = rig.read(&f, 4096);
                }
                _ => {}
            }
            if rig.vmc.wait_index(&f).is_none() {
                let _ = rig.vmc.set_hmc_id(&f, &hmc_id(1));
                continue;
            }
            if rig.write(&f, &i.to_be_bytes()).is_ok() {
                ok += 1;
            }
        }
        rig.vmc.release(&f);
        ok
    });
    let ok = app.join().expect("app thread");
    stop.store(true, Ordering::Release);
    bottom_half.join().expect("bottom half thread");
    assert!(ok > 0, "no write ever succeeded");
    check_invariants(&rig.vmc.snapshot());
    assert_eq!(rig.vmc.driver_state(), DriverState::Ready);
}

#[test]
fn defect_06_a_scheduled_reset_is_not_ready() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.transport_event(0x01);
    // One bottom-half pass: the CRQ task sees the event; the link task has not run yet.
    rig.exec.poll();
    let q = rig.vmc.query();
    assert_eq!((q.have_vmc, q.state), (0, -1));
    let g = File::new();
    assert_eq!(rig.vmc.set_hmc_id(&g, &hmc_id(2)), Err(Errno::Again));
    assert_eq!(rig.write(&f, b"x"), Err(Errno::Io));
    rig.run();
    assert_eq!(rig.vmc.driver_state(), DriverState::Ready);
}

#[test]
fn defect_07_a_message_wakes_only_its_own_session() {
    let rig = Rig::ready_two();
    let (a, b) = (File::new(), File::new());
    rig.open(&a, 1);
    rig.open(&b, 2);
    let ib = rig.vmc.wait_index(&b).unwrap() as usize;
    let before = rig.wakes.get(ib);
    for _ in 0..5 {
        rig.round_trip(&a, b"traffic on a");
    }
    assert_eq!(rig.wakes.get(ib), before);
}

#[test]
fn defect_08_poll_reports_pollout_and_pollhup() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    assert!(rig.poll(&f).writable, "POLLOUT when a send buffer is free");
    rig.sim.transport_event(0x01);
    rig.run();
    assert!(rig.poll(&f).hangup, "POLLHUP after a reset");
}

#[test]
fn defect_09_close_waits_for_the_close_response() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.hold_responses(true);
    rig.close(&f);
    assert_eq!(
        rig.conn_state(0),
        ConnState::Closing,
        "reused before the close response"
    );
    let g = File::new();
    assert_eq!(rig.vmc.set_hmc_id(&g, &hmc_id(2)), Err(Errno::Busy));
    // A transport event now must not touch the released file's memory (there is none
    // to touch: the connection holds no back-pointer), and frees the connection.
    rig.sim.hold_responses(false);
    rig.run();
    assert_eq!(rig.conn_state(0), ConnState::Free);
    rig.open(&g, 2);
}

#[test]
fn defect_10_close_after_a_failed_sethmcid_frees_the_connection() {
    let config = SimConfig {
        seed_buffers: false,
        ..SimConfig::default()
    };
    let rig = Rig::with(config, Params::default());
    let f = File::new();
    assert_eq!(rig.vmc.set_hmc_id(&f, &hmc_id(1)), Err(Errno::NoBufs));
    assert_eq!(rig.conn_state(0), ConnState::Initial);
    rig.close(&f);
    assert_eq!(
        rig.conn_state(0),
        ConnState::Free,
        "max_hmcs=1 device unusable"
    );
    let g = File::new();
    assert_eq!(
        rig.vmc.set_hmc_id(&g, &hmc_id(2)),
        Err(Errno::NoBufs),
        "not EBUSY"
    );
}

#[test]
fn defect_11_close_after_the_driver_failed_frees_the_connection() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let generation = rig.vmc.snapshot().conns[0].generation;
    let good = rig.vmc.snapshot().negotiated.unwrap();
    rig.sim.set_capabilities(Capabilities {
        max_hmcs: 0,
        pool_size: 64,
        mtu: 16384,
        crq_size: 256,
        version: 0x0101,
    });
    rig.sim.partner_restart();
    rig.run();
    assert_eq!(rig.vmc.driver_state(), DriverState::Failed);
    // The driver can only fail after a reset, and the reset already freed every
    // connection: the one connection (max_hmcs=1) is free, of a new generation, with no
    // buffer left over, and the file sees a hung-up session.
    let conn = rig.vmc.snapshot().conns[0].clone();
    assert_eq!(
        conn.state,
        ConnState::Free,
        "the failed driver kept the connection"
    );
    assert!(
        conn.generation > generation,
        "the file's session is still current"
    );
    assert_eq!(conn.buffer_counts(), (0, 0, 0), "buffers kept");
    assert!(rig.poll(&f).hangup);
    assert_eq!(rig.read(&f, 100), Err(Errno::BadFd));
    assert_eq!(rig.write(&f, b"x"), Err(Errno::Io));
    let closes = rig.sim.stats().closes;
    rig.close(&f);
    // Closing lets go of it whatever the driver's state: the file holds nothing, the
    // connection stays free, and no Close goes out for a session the hypervisor forgot.
    assert_eq!(
        rig.vmc.wait_index(&f),
        None,
        "the file still holds its connection"
    );
    assert_eq!(rig.conn_state(0), ConnState::Free);
    assert_eq!(rig.sim.stats().closes, closes);
    rig.sim.set_capabilities(Capabilities {
        max_hmcs: 2,
        pool_size: 64,
        mtu: 16384,
        crq_size: 256,
        version: 0x0101,
    });
    rig.sim.transport_event(0x02);
    rig.run();
    assert_eq!(rig.vmc.snapshot().negotiated, Some(good));
    let g = File::new();
    rig.open(&g, 2);
}

#[test]
fn defect_12_an_old_file_never_sees_the_next_session() {
    let rig = Rig::ready();
    let old = File::new();
    rig.open(&old, 1);
    rig.sim.transport_event(0x02);
    rig.run();
    let new = File::new();
    rig.open(&new, 2);
    assert_eq!(
        rig.vmc.wait_index(&old),
        rig.vmc.wait_index(&new),
        "same connection reused"
    );
    rig.write(&new, b"for new only").unwrap();
    rig.run();
    assert_eq!(rig.read(&old, 100), Err(Errno::BadFd));
    assert_eq!(rig.write(&old, b"x"), Err(Errno::Io));
    assert_eq!(
        rig.poll(&old),
        Readiness {
            readable: false,
            writable: false,
            hangup: true
        }
    );
    assert_eq!(rig.vmc.set_hmc_id(&old, &hmc_id(1)), Err(Errno::Io));
    rig.vmc.release(&old);
    rig.run();
    assert_eq!(
        rig.conn_state(0),
        ConnState::Ready,
        "releasing the old file closed the new session"
    );
    assert_eq!(rig.read(&new, 100), Ok(b"for new only".to_vec()));
}

#[test]
fn defect_13_a_bad_signal_gets_no_response() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let session = rig.sim.session(0).unwrap();
    let mut responses_before = 0;
    rig.sim
        .trace(&mut |_, e| responses_before += (e[1] == 0x84) as u32);
    let dropped = rig.vmc.stats().dropped_invalid;
    rig.sim.inject_entry(signal(session, 0, 999, 10));
    rig.sim.inject_entry(signal(session, 7, 1, 10));
    rig.run();
    let mut responses_after = 0;
    rig.sim
        .trace(&mut |_, e| responses_after += (e[1] == 0x84) as u32);
    assert_eq!(responses_after, responses_before, "answered a Signal");
    assert_eq!(rig.vmc.stats().dropped_invalid, dropped + 2);
    assert_eq!(rig.protocol_errors(), 0);
}

#[test]
fn defect_14_inbound_length_is_bounded_and_a_failed_rdma_keeps_the_buffer() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let session = rig.sim.session(0).unwrap();
    // Too long, then empty: neither is read, and each hands its buffer over (a
    // Signal gives up the buffer it names), so it becomes a free one of ours.
    for len in [4097, 0] {
        let id = hypervisor_buffer(&rig);
        let free = free_buffers(&rig);
        let dropped = rig.vmc.stats().dropped_invalid;
        rig.sim.inject_entry(signal(session, 0, id, len));
        rig.run();
        assert_eq!(rig.read(&f, 4096), Err(Errno::Again), "len {len}");
        assert_eq!(rig.vmc.stats().dropped_invalid, dropped + 1, "len {len}");
        assert_eq!(
            free_buffers(&rig),
            free + 1,
            "len {len}: the signalled buffer is not ours"
        );
    }
    let id = hypervisor_buffer(&rig);
    let free = free_buffers(&rig);
    rig.sim.fail_next(Hcall::CopyRdma, HcallRc::PERMISSION, 1);
    rig.sim.inject_entry(signal(session, 0, id, 100));
    rig.run();
    assert_eq!(rig.vmc.stats().dropped_rdma, 1);
    assert_eq!(
        free_buffers(&rig),
        free + 1,
        "the buffer is ours after its Signal"
    );
    check_invariants(&rig.vmc.snapshot());
}

#[test]
fn defect_15_a_full_receive_queue_loses_nothing() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    let mut sent = 0u32;
    while rig.sim.send_hmc_message(0, &sent.to_be_bytes()) {
        sent += 1;
        assert!(sent <= 64);
    }
    rig.run();
    assert!(sent >= 8, "the hypervisor had only {sent} buffers");
    for i in 0..sent {
        assert_eq!(
            rig.read(&f, 100),
            Ok(i.to_be_bytes().to_vec()),
            "message {i}"
        );
    }
    assert_eq!(rig.read(&f, 100), Err(Errno::Again));
}

#[test]
fn defect_16_capabilities_are_checked() {
    for (caps, what) in [
        (
            Capabilities {
                max_hmcs: 0,
                pool_size: 64,
                mtu: 16384,
                crq_size: 256,
                version: 0x0101,
            },
            "max_hmcs 0",
        ),
        (
            Capabilities {
                max_hmcs: 2,
                pool_size: 0,
                mtu: 16384,
                crq_size: 256,
                version: 0x0101,
            },
            "pool 0",
        ),
        (
            Capabilities {
                max_hmcs: 2,
                pool_size: 64,
                mtu: 0,
                crq_size: 256,
                version: 0x0101,
            },
            "mtu 0",
        ),
        (
            Capabilities {
                max_hmcs: 2,
                pool_size: 64,
                mtu: 16384,
                crq_size: 0,
                version: 0x0101,
            },
            "crq 0",
        ),
        (
            Capabilities {
                max_hmcs: 2,
                pool_size: 64,
                mtu: 16384,
                crq_size: 256,
                version: 0x0201,
            },
            "major 2",
        ),
    ] {
        let rig = Rig::build(SimConfig::default(), Params::default());
        rig.sim.set_capabilities(caps);
        rig.start();
        assert_eq!(
            rig.vmc.driver_state(),
            DriverState::Failed,
            "{what} accepted"
        );
        assert_eq!(rig.vmc.query().state, 4);
        let f = File::new();
        assert_eq!(rig.vmc.set_hmc_id(&f, &hmc_id(1)), Err(Errno::Io), "{what}");
    }
    // A smaller but sane MTU and pool are accepted and used.
    let rig = Rig::build(SimConfig::default(), Params::default());
    rig.sim.set_capabilities(Capabilities {
        max_hmcs: 1,
        pool_size: 4,
        mtu: 100,
        crq_size: 16,
        version: 0x0105,
    });
    rig.start();
    let n = rig.vmc.snapshot().negotiated.unwrap();
    assert_eq!((n.max_hmcs, n.pool_size, n.mtu), (1, 4, 100));
    let f = File::new();
    rig.open(&f, 1);
    assert_eq!(rig.write(&f, &[0; 101]), Err(Errno::Io));
    assert_eq!(rig.round_trip(&f, &[5; 100]), vec![5; 100]);
}

#[test]
fn defect_17_reg_crq_closed_is_normal_and_resource_is_retried() {
    let rig = Rig::with(
        SimConfig {
            partner_present: false,
            ..SimConfig::default()
        },
        Params::default(),
    );
    assert_eq!(rig.vmc.driver_state(), DriverState::CrqInit);
    rig.sim.partner_arrive();
    rig.run();
    assert_eq!(rig.vmc.driver_state(), DriverState::Ready);

    let rig = Rig::build(SimConfig::default(), Params::default());
    rig.sim.fail_next(Hcall::RegCrq, HcallRc::RESOURCE, 1);
    rig.sim.fail_next(Hcall::FreeCrq, HcallRc::BUSY, 3);
    rig.start();
    // H_BUSY is retried after a backoff (tests/hcall_failures.rs has the timing).
    rig.settle(1_000_000);
    assert_eq!(rig.vmc.driver_state(), DriverState::Ready);

    let rig = Rig::build(SimConfig::default(), Params::default());
    rig.sim.fail_next(Hcall::RegCrq, HcallRc::PARAMETER, 1);
    rig.start();
    assert_eq!(
        rig.vmc.driver_state(),
        DriverState::Failed,
        "H_PARAMETER is not success"
    );
}

#[test]
fn defect_18_each_transport_event_is_handled_by_its_format() {
    // (event, H_ENABLE_CRQ calls, H_FREE_CRQ + H_REG_CRQ pairs) its recovery makes:
    // the partner gone (0x01, 0x02, 0x04) needs a new registration; a suspended partner
    // (0x06) or a resumed client (0x0A) needs the queue re-enabled, not re-registered.
    for (code, enables, registrations) in [
        (0x01u8, 0, 1),
        (0x02, 0, 1),
        (0x04, 0, 1),
        (0x06, 1, 0),
        (0x0A, 1, 0),
    ] {
        let rig = Rig::ready();
        let f = File::new();
        rig.open(&f, 1);
        let before = rig.sim.stats();
        rig.sim.transport_event(code);
        rig.run();
        assert_eq!(
            rig.vmc.driver_state(),
            DriverState::Ready,
            "event {code:#x}"
        );
        let after = rig.sim.stats();
        assert_eq!(
            after.enables - before.enables,
            enables,
            "event {code:#x}: H_ENABLE_CRQ calls"
        );
        assert_eq!(
            after.frees - before.frees,
            registrations,
            "event {code:#x}: H_FREE_CRQ calls"
        );
        assert_eq!(
            after.registrations - before.registrations,
            registrations,
            "event {code:#x}: H_REG_CRQ registrations"
        );
        assert!(rig.poll(&f).hangup);
        let g = File::new();
        rig.open(&g, 2);
        assert_eq!(rig.round_trip(&g, b"after"), b"after", "event {code:#x}");
        assert_eq!(rig.protocol_errors(), 0, "event {code:#x}");
    }
    // Events that need no reset leave the session alone.
    for code in [0x09u8, 0x33] {
        let rig = Rig::ready();
        let f = File::new();
        rig.open(&f, 1);
        let before = rig.sim.stats();
        rig.sim.transport_event(code);
        rig.run();
        assert_eq!(rig.round_trip(&f, b"still"), b"still", "event {code:#x}");
        let after = rig.sim.stats();
        assert_eq!(
            (after.enables, after.frees, after.registrations),
            (before.enables, before.frees, before.registrations),
            "event {code:#x}: the queue was touched"
        );
    }
}

#[test]
fn defect_19_a_partner_init_after_the_handshake_resets() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.sim.partner_restart();
    rig.run();
    assert!(rig.poll(&f).hangup);
    assert_eq!(rig.vmc.driver_state(), DriverState::Ready);
    assert_eq!(rig.vmc.stats().resets_partner_restarted, 1);
    let g = File::new();
    rig.open(&g, 2);
    assert_eq!(rig.round_trip(&g, b"x"), b"x");
}

#[test]
fn defect_20_session_numbers_use_1_to_255() {
    let rig = Rig::ready();
    let mut seen = Vec::new();
    for _ in 0..256 {
        let f = File::new();
        rig.open(&f, 1);
        seen.push(rig.sim.session(0).unwrap());
        rig.close(&f);
    }
    let expected: Vec<u8> = (1..=255).chain([1]).collect();
    assert_eq!(seen, expected);
}

#[test]
fn defect_21_parameters_are_clamped_and_frozen() {
    let (p, c) = Params::clamped(0, 0, 0);
    assert_eq!(
        (p.buf_pool_size(), p.max_hmcs(), p.max_mtu()),
        (16, 1, 4096)
    );
    assert!(c.buf_pool_size && c.max_hmcs && c.max_mtu);
    let (p, c) = Params::clamped(1000, 9, 1 << 20);
    assert_eq!(
        (p.buf_pool_size(), p.max_hmcs(), p.max_mtu()),
        (64, 2, 16384)
    );
    assert!(c.any());
    let (p, c) = Params::clamped(32, 1, 4096);
    assert_eq!(p, Params::default());
    assert!(!c.any());
    // The driver copies them at construction: a hypervisor offering more than we
    // were built with cannot make us index past our pools.
    let rig = Rig::ready();
    assert_eq!(rig.vmc.params(), Params::default());
    let session = 0;
    rig.sim.inject_entry(
        CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session: session,
            hmc_index: 1,
            buffer_id: 40,
            owner: ibmvmc::wire::BufferOwner::ManagementPartition,
            lioba: 0,
        })
        .to_bytes(),
    );
    rig.run();
    check_invariants(&rig.vmc.snapshot());
}

#[test]
fn defect_22_two_devices_are_independent() {
    let (a, b) = (Rig::ready(), Rig::ready());
    let (fa, fb) = (File::new(), File::new());
    a.open(&fa, 1);
    b.open(&fb, 2);
    a.sim.transport_event(0x01);
    a.run();
    assert!(a.poll(&fa).hangup);
    assert_eq!(b.round_trip(&fb, b"unaffected"), b"unaffected");
    // One device goes away: its files are hung up for good, the other device's session
    // keeps working, and a new session opens there.
    let ga = File::new();
    a.open(&ga, 3);
    a.vmc.remove();
    a.run();
    assert!(a.vmc.is_removed());
    assert!(!b.vmc.is_removed());
    assert_eq!(a.vmc.driver_state(), DriverState::Failed);
    assert!(a.poll(&ga).hangup);
    assert_eq!(a.write(&ga, b"x"), Err(Errno::Io));
    assert_eq!(b.vmc.driver_state(), DriverState::Ready);
    assert!(!b.poll(&fb).hangup, "removing one device hung up the other");
    assert_eq!(b.round_trip(&fb, b"after remove"), b"after remove");
    b.close(&fb);
    b.assert_works("the other device after a remove");
    a.close(&ga);
    assert_eq!(a.vmc.driver_state(), DriverState::Failed);
}

#[test]
fn defect_23_a_short_read_is_refused_not_truncated() {
    let rig = Rig::ready();
    let f = File::new();
    rig.open(&f, 1);
    rig.write(&f, &[9; 100]).unwrap();
    rig.run();
    assert_eq!(rig.read(&f, 50), Err(Errno::MsgSize));
    assert_eq!(rig.read(&f, 99), Err(Errno::MsgSize));
    assert_eq!(rig.read(&f, 100), Ok(vec![9; 100]));
}

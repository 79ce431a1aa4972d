// SPDX-License-Identifier: GPL-2.0-or-later
//! The CRQ transport, H_COPY_RDMA, resets, injected failures and triggers.

mod common;

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;

use common::*;
use ibmvmc::hv::Device;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::TransportEvent;
use ibmvmc::wire::VmcMessage;
use ibmvmc::HcallRc;
use ibmvmc_sim::Hcall;
use ibmvmc_sim::SimConfig;
use ibmvmc_sim::Trigger;

fn event(n: u8) -> [u8; 16] {
    let mut entry = [0u8; 16];
    entry[0] = 0x80;
    entry[1] = 0x06;
    entry[15] = n;
    entry
}

#[test]
fn registration_rules() {
    let sim = sim(small());
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::CLOSED, "not registered");
    assert_eq!(sim.next_crq(), None);
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    assert_eq!(sim.reg_crq(), HcallRc::RESOURCE);
    assert_eq!(sim.free_crq(), HcallRc::SUCCESS);
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    // The header must have its valid bit and must not be a transport event.
    let mut raw = CrqRepr::Init.to_bytes();
    raw[0] = 0x40;
    assert_eq!(sim.send_crq(&raw), HcallRc::PARAMETER);
    raw[0] = 0xFF;
    assert_eq!(sim.send_crq(&raw), HcallRc::PARAMETER);
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn absent_partner_arrives_later() {
    let sim = sim(SimConfig {
        partner_present: false,
        ..small()
    });
    assert_eq!(sim.reg_crq(), HcallRc::CLOSED);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::CLOSED);
    sim.partner_arrive();
    assert_eq!(drain(sim), vec![CrqRepr::Init]);
    assert_eq!(send(sim, CrqRepr::InitComplete), HcallRc::SUCCESS);
    assert_eq!(
        vmc(sim, VmcMessage::Capabilities(ours(sim))),
        HcallRc::SUCCESS
    );
    assert_eq!(drain(sim).len(), 3);
    // Arriving again changes nothing.
    sim.partner_arrive();
    assert!(drain(sim).is_empty());
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn partner_arrives_before_the_partition_registers() {
    let sim = sim(SimConfig {
        partner_present: false,
        ..small()
    });
    sim.partner_arrive();
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    assert_eq!(
        sim.queued_to_partition(),
        0,
        "its Initialize found no queue"
    );
    bring_up_after_reg(sim);
}

fn bring_up_after_reg(sim: &ibmvmc_sim::Sim) {
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::SUCCESS);
    assert_eq!(drain(sim), vec![CrqRepr::InitComplete]);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    let answer = drain(sim);
    assert!(matches!(
        answer[0],
        CrqRepr::Vmc(VmcMessage::CapabilitiesResponse {
            status: Status::Success,
            ..
        })
    ));
    accept_adds(sim, &answer);
}

#[test]
fn full_queue_keeps_order_in_the_backlog() {
    let sim = sim(SimConfig {
        crq_entries: 4,
        ..small()
    });
    sim.reg_crq();
    for n in 0..10 {
        sim.inject_entry(event(n));
    }
    assert_eq!(sim.queued_to_partition(), 10);
    for n in 0..10 {
        assert_eq!(sim.next_crq(), Some(event(n)));
        assert_eq!(sim.queued_to_partition(), 9 - n as usize);
    }
    assert_eq!(sim.next_crq(), None);
    // Beyond queue and backlog, entries are lost and counted.
    let capacity = 4 + ibmvmc_sim::BACKLOG_CAPACITY;
    for n in 0..capacity + 3 {
        sim.inject_entry(event(n as u8));
    }
    assert_eq!(sim.queued_to_partition(), capacity);
    assert_eq!(sim.stats().dropped_to_partition, 3);
    for n in 0..capacity {
        assert_eq!(sim.next_crq(), Some(event(n as u8)));
    }
    // Entries without the valid bit are not entries.
    sim.inject_entry([0; 16]);
    assert_eq!(sim.queued_to_partition(), 0);
}

#[test]
fn answers_wait_in_the_backlog_when_the_queue_is_full() {
    let sim = sim(SimConfig {
        crq_entries: 2,
        ..small()
    });
    sim.reg_crq();
    send(sim, CrqRepr::Init);
    drain(sim);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    // Response and two seeds: one waits.
    assert_eq!(sim.queued_to_partition(), 3);
    let answer = drain(sim);
    assert_eq!(answer.len(), 3);
    accept_adds(sim, &answer);
    let answer = open(sim, 0, 1, &[7; 32]);
    assert_eq!(answer.len(), 8, "all 7 adds and the response, in order");
    assert!(matches!(
        answer[7],
        CrqRepr::Vmc(VmcMessage::InterfaceOpenResponse { .. })
    ));
    // The hypervisor's queue never fills: H_DROPPED only when injected.
    sim.fail_next(Hcall::SendCrq, HcallRc::DROPPED, 1);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::DROPPED);
}

#[test]
fn hold_keeps_entries_back_until_released() {
    let sim = sim(small());
    sim.reg_crq();
    sim.hold_responses(true);
    send(sim, CrqRepr::Init);
    sim.transport_event(0x09);
    assert_eq!(sim.next_crq(), None);
    assert_eq!(sim.queued_to_partition(), 2);
    sim.hold_responses(false);
    assert_eq!(
        drain(sim),
        vec![
            CrqRepr::InitComplete,
            CrqRepr::Transport(TransportEvent::PrepareForSuspend)
        ]
    );
}

static IRQS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn interrupt_fires_on_empty_to_non_empty_only() {
    let sim = sim(SimConfig {
        crq_entries: 2,
        ..small()
    });
    sim.set_irq(&|| {
        IRQS.fetch_add(1, Ordering::SeqCst);
    });
    sim.reg_crq();
    // Interrupts start disabled.
    sim.inject_entry(event(0));
    assert_eq!(IRQS.load(Ordering::SeqCst), 0);
    // Enabling with an entry waiting does not fire.
    sim.enable_interrupts();
    assert_eq!(IRQS.load(Ordering::SeqCst), 0);
    sim.inject_entry(event(1));
    assert_eq!(IRQS.load(Ordering::SeqCst), 0, "queue was not empty");
    drain(sim);
    sim.inject_entry(event(2));
    assert_eq!(IRQS.load(Ordering::SeqCst), 1);
    sim.inject_entry(event(3));
    sim.inject_entry(event(4)); // to the backlog
    assert_eq!(IRQS.load(Ordering::SeqCst), 1);
    // Taking one makes room: the backlog entry moves in, the queue never went empty.
    sim.next_crq();
    assert_eq!(IRQS.load(Ordering::SeqCst), 1);
    drain(sim);
    sim.disable_interrupts();
    sim.inject_entry(event(5));
    assert_eq!(IRQS.load(Ordering::SeqCst), 1);
    drain(sim);
    // Answers to a send raise it too; the hook runs without the lock held, so it
    // could call back into the simulator.
    sim.enable_interrupts();
    send(sim, CrqRepr::Init);
    assert_eq!(IRQS.load(Ordering::SeqCst), 2);
    // A held answer raises it when released.
    drain(sim);
    sim.hold_responses(true);
    send(sim, CrqRepr::Init);
    assert_eq!(IRQS.load(Ordering::SeqCst), 2);
    sim.hold_responses(false);
    assert_eq!(IRQS.load(Ordering::SeqCst), 3);
}

static REENTRANT: AtomicUsize = AtomicUsize::new(0);
static REENTRANT_SIM: std::sync::OnceLock<&'static ibmvmc_sim::Sim> = std::sync::OnceLock::new();

#[test]
fn hook_may_call_back_into_the_simulator() {
    let sim = sim(small());
    REENTRANT_SIM.set(sim).ok();
    sim.set_irq(&|| {
        if let Some(sim) = REENTRANT_SIM.get() {
            sim.disable_interrupts();
            REENTRANT.store(sim.queued_to_partition(), Ordering::SeqCst);
        }
    });
    sim.reg_crq();
    sim.enable_interrupts();
    send(sim, CrqRepr::Init);
    assert_eq!(REENTRANT.load(Ordering::SeqCst), 1);
}

#[test]
fn rdma_errors() {
    let sim = sim(SimConfig {
        local_window: (0x1000, 0x10000),
        ..small()
    });
    // Not registered: the hypervisor's window is not authorised.
    assert_eq!(
        sim.rdma_to_hv(&[0; 4], 0x1000, lioba(sim, 0, 0)),
        HcallRc::DEST_PARM
    );
    let mut buf = [0u8; 4];
    assert_eq!(
        sim.rdma_from_hv(lioba(sim, 0, 0), &mut buf, 0x1000),
        HcallRc::SOURCE_PARM
    );
    let up = bring_up(sim);
    accept_adds(sim, &up);
    let seed = lioba(sim, 0, 0);
    assert_eq!(sim.rdma_to_hv(&[1; 16], 0x1000, seed), HcallRc::SUCCESS);
    // Local range outside the partition's window.
    assert_eq!(sim.rdma_to_hv(&[1; 16], 0xFFF, seed), HcallRc::SOURCE_PARM);
    assert_eq!(
        sim.rdma_to_hv(&[1; 16], 0x10FF8, seed),
        HcallRc::SOURCE_PARM
    );
    // Remote range outside any buffer, or crossing into the next one.
    assert_eq!(
        sim.rdma_to_hv(&[1; 16], 0x1000, 0x0FFF_FFFF),
        HcallRc::DEST_PARM
    );
    assert_eq!(
        sim.rdma_to_hv(&[1; 16], 0x1000, seed + 4096 - 8),
        HcallRc::DEST_PARM
    );
    assert_eq!(
        sim.rdma_to_hv(&[1; 16], 0x1000, lioba(sim, 1, 7) + 4096),
        HcallRc::DEST_PARM
    );
    // A buffer the partition does not own.
    assert_eq!(
        sim.rdma_to_hv(&[1; 16], 0x1000, lioba(sim, 0, 1)),
        HcallRc::PERMISSION
    );
    // Reads: remote range first, then the local window.
    assert_eq!(
        sim.rdma_from_hv(seed + 4095, &mut buf, 0x1000),
        HcallRc::SOURCE_PARM
    );
    assert_eq!(
        sim.rdma_from_hv(seed, &mut buf, 0x20000),
        HcallRc::DEST_PARM
    );
    assert_eq!(sim.rdma_from_hv(seed, &mut buf, 0x1000), HcallRc::SUCCESS);
    assert_eq!(buf, [1; 4]);
    let stats = sim.stats();
    assert_eq!((stats.rdma_ok, stats.rdma_failed), (2, 10));
}

#[test]
fn partner_gone_and_back() {
    let sim = sim(small());
    open_session(sim);
    sim.transport_event(0x02);
    assert_eq!(
        drain(sim),
        vec![CrqRepr::Transport(TransportEvent::PartnerDeregistered)]
    );
    assert_eq!(sim.session(0), None);
    assert_eq!(sim.partition_owned(0), 0);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::CLOSED);
    assert_eq!(
        sim.rdma_to_hv(&[0; 4], local_ioba(0, 0), lioba(sim, 0, 0)),
        HcallRc::DEST_PARM
    );
    // The driver's recovery: register (stale), free, register.
    assert_eq!(sim.reg_crq(), HcallRc::RESOURCE);
    assert_eq!(sim.free_crq(), HcallRc::SUCCESS);
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    bring_up_after_reg(sim);
    let answer = open(sim, 0, 2, &[8; 32]);
    accept_adds(sim, &answer);
    assert_eq!(sim.session(0), Some(2));
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn partner_failed_then_registered_without_free() {
    for code in [0x01, 0x04] {
        let sim = sim(small());
        open_session(sim);
        sim.transport_event(code);
        assert_eq!(
            drain(sim),
            vec![CrqRepr::Transport(TransportEvent::from_code(code))]
        );
        sim.free_crq();
        assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
        bring_up_after_reg(sim);
        assert_eq!(sim.stats().protocol_errors, 0);
    }
}

#[test]
fn suspend_disables_the_queue_until_enabled() {
    let sim = sim(small());
    open_session(sim);
    sim.transport_event(0x06);
    assert_eq!(
        drain(sim),
        vec![CrqRepr::Transport(TransportEvent::PartnerSuspended)]
    );
    assert_eq!(sim.session(0), None);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::CLOSED);
    sim.fail_next(Hcall::EnableCrq, HcallRc::LONG_BUSY_1_MSEC, 1);
    assert_eq!(sim.enable_crq(), HcallRc::LONG_BUSY_1_MSEC);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::CLOSED);
    assert_eq!(sim.enable_crq(), HcallRc::SUCCESS);
    bring_up_after_reg(sim);
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn other_events_are_only_enqueued() {
    let sim = sim(small());
    open_session(sim);
    sim.transport_event(0x0A);
    sim.transport_event(0x33);
    assert_eq!(
        drain(sim),
        vec![
            CrqRepr::Transport(TransportEvent::ClientResume),
            CrqRepr::Transport(TransportEvent::Unknown(0x33))
        ]
    );
    assert_eq!(sim.session(0), Some(1));
    // The driver's answer to 0x0A: enable, then Initialize, which starts afresh.
    assert_eq!(sim.enable_crq(), HcallRc::SUCCESS);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::SUCCESS);
    assert_eq!(drain(sim), vec![CrqRepr::InitComplete]);
    assert_eq!(sim.session(0), None);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    accept_adds(sim, &drain(sim));
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn partner_restart_drops_racing_messages_silently() {
    let sim = sim(small());
    open_session(sim);
    sim.partner_restart();
    // Sent before the partition saw the Initialize: dropped, not violations.
    sim.rdma_to_hv(&[1; 8], local_ioba(0, 1), lioba(sim, 0, 1));
    vmc(
        sim,
        VmcMessage::Signal {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 1,
            msg_len: 8,
        },
    );
    vmc(
        sim,
        VmcMessage::InterfaceClose {
            hmc_session: 1,
            hmc_index: 0,
        },
    );
    assert_eq!(drain(sim), vec![CrqRepr::Init]);
    assert_eq!(sim.stats().protocol_errors, 0);
    assert_eq!(send(sim, CrqRepr::InitComplete), HcallRc::SUCCESS);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    let answer = drain(sim);
    assert_eq!(answer.len(), 3);
    accept_adds(sim, &answer);
    // Now the same stray Signal is a violation.
    vmc(
        sim,
        VmcMessage::Signal {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 1,
            msg_len: 8,
        },
    );
    assert_eq!(sim.stats().protocol_errors, 1);
    // A second Initialization Complete answers nothing.
    send(sim, CrqRepr::InitComplete);
    assert_eq!(sim.stats().protocol_errors, 2);
}

#[test]
fn crossing_initializes_are_not_violations() {
    let sim = sim(SimConfig {
        partner_present: false,
        ..small()
    });
    sim.reg_crq();
    sim.partner_arrive(); // its Initialize is on our queue
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::SUCCESS); // ours crossed it
    assert_eq!(drain(sim), vec![CrqRepr::Init, CrqRepr::InitComplete]);
    assert_eq!(send(sim, CrqRepr::InitComplete), HcallRc::SUCCESS); // answering its Initialize
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    assert_eq!(drain(sim).len(), 3);
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn fail_next_counts_down() {
    let sim = sim(small());
    sim.fail_next(Hcall::RegCrq, HcallRc::BUSY, 2);
    assert_eq!(sim.reg_crq(), HcallRc::BUSY);
    assert_eq!(sim.reg_crq(), HcallRc::BUSY);
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    sim.fail_next(Hcall::FreeCrq, HcallRc::HARDWARE, 1);
    assert_eq!(sim.free_crq(), HcallRc::HARDWARE);
    assert_eq!(
        sim.reg_crq(),
        HcallRc::RESOURCE,
        "the failed free did nothing"
    );
    sim.fail_next(Hcall::SendCrq, HcallRc::BUSY, 1);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::BUSY);
    assert_eq!(sim.queued_to_partition(), 0, "the failed send did nothing");
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::SUCCESS);
    drain(sim);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    accept_adds(sim, &drain(sim));
    sim.fail_next(Hcall::CopyRdma, HcallRc::LONG_BUSY_1_MSEC, 2);
    assert_eq!(
        sim.rdma_to_hv(&[1; 32], local_ioba(0, 0), lioba(sim, 0, 0)),
        HcallRc::LONG_BUSY_1_MSEC
    );
    let mut buf = [0u8; 4];
    assert_eq!(
        sim.rdma_from_hv(lioba(sim, 0, 0), &mut buf, local_ioba(0, 0)),
        HcallRc::LONG_BUSY_1_MSEC
    );
    assert_eq!(
        sim.rdma_to_hv(&[1; 32], local_ioba(0, 0), lioba(sim, 0, 0)),
        HcallRc::SUCCESS
    );
    sim.fail_next(Hcall::RequestVmc, HcallRc::FUNCTION, 1);
    assert_eq!(sim.request_vmc(), (HcallRc::FUNCTION, 0));
    assert_eq!(sim.request_vmc().0, HcallRc::SUCCESS);
    assert_eq!(sim.stats().rdma_failed, 2);
}

#[test]
fn trigger_status_on_capabilities() {
    let sim = sim(small());
    sim.on_message(0x01, Trigger::Status(Status::Other(1)));
    sim.reg_crq();
    send(sim, CrqRepr::Init);
    drain(sim);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    let answer = drain(sim);
    assert_eq!(answer.len(), 1, "no seeds after a refusal");
    let CrqRepr::Vmc(VmcMessage::CapabilitiesResponse { status, .. }) = answer[0] else {
        panic!()
    };
    assert_eq!(status.to_u8(), 1);
    // One-shot: the next exchange succeeds.
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    assert_eq!(drain(sim).len(), 3);
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn trigger_swallow_and_duplicate() {
    let sim = sim(small());
    let up = bring_up(sim);
    accept_adds(sim, &up);
    sim.on_message(0x02, Trigger::Swallow);
    sim.on_message(0x02, Trigger::Duplicate);
    assert!(open(sim, 0, 1, &[1; 32]).is_empty(), "swallowed");
    assert_eq!(sim.session(0), None);
    let answer = open(sim, 0, 2, &[2; 32]);
    assert_eq!(answer.len(), 9, "7 adds and two responses: {answer:?}");
    assert_eq!(answer[7], answer[8]);
    accept_adds(sim, &answer);
    sim.on_message(0x06, Trigger::Duplicate);
    sim.rdma_to_hv(b"dup", local_ioba(0, 1), lioba(sim, 0, 1));
    vmc(
        sim,
        VmcMessage::Signal {
            hmc_session: 2,
            hmc_index: 0,
            buffer_id: 1,
            msg_len: 3,
        },
    );
    let answer = drain(sim);
    assert_eq!(answer.len(), 2);
    assert_eq!(answer[0], answer[1]);
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn trigger_transport_event_instead_of_answer() {
    let sim = sim(small());
    open_session(sim);
    sim.on_message(0x06, Trigger::TransportEvent(0x01));
    sim.rdma_to_hv(b"bye", local_ioba(0, 1), lioba(sim, 0, 1));
    vmc(
        sim,
        VmcMessage::Signal {
            hmc_session: 1,
            hmc_index: 0,
            buffer_id: 1,
            msg_len: 3,
        },
    );
    assert_eq!(
        drain(sim),
        vec![CrqRepr::Transport(TransportEvent::PartnerFailed)]
    );
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::CLOSED);
    assert_eq!(sim.stats().raw_echoes, 0);
}

#[test]
fn trigger_partner_init_after_close() {
    let sim = sim(small());
    open_session(sim);
    sim.on_message(0x03, Trigger::PartnerInit);
    vmc(
        sim,
        VmcMessage::InterfaceClose {
            hmc_session: 1,
            hmc_index: 0,
        },
    );
    let answer = drain(sim);
    assert_eq!(answer.len(), 3, "{answer:?}");
    assert!(matches!(
        answer[0],
        CrqRepr::Vmc(VmcMessage::InterfaceCloseResponse { .. })
    ));
    assert!(matches!(
        answer[1],
        CrqRepr::Vmc(VmcMessage::AddBuffer { .. })
    ));
    assert_eq!(answer[2], CrqRepr::Init);
    // The seed's response races with the restart: dropped silently.
    accept_adds(sim, &answer);
    send(sim, CrqRepr::InitComplete);
    vmc(sim, VmcMessage::Capabilities(ours(sim)));
    accept_adds(sim, &drain(sim));
    assert_eq!(sim.stats().protocol_errors, 0);
}

#[test]
fn trigger_on_initialize() {
    let sim = sim(small());
    sim.on_message(ibmvmc_sim::TRIGGER_INIT, Trigger::Duplicate);
    sim.reg_crq();
    send(sim, CrqRepr::Init);
    assert_eq!(
        drain(sim),
        vec![CrqRepr::InitComplete, CrqRepr::InitComplete]
    );
    sim.on_message(ibmvmc_sim::TRIGGER_INIT, Trigger::Swallow);
    send(sim, CrqRepr::Init);
    assert!(drain(sim).is_empty());
    assert_eq!(sim.stats().inits, 2);
}

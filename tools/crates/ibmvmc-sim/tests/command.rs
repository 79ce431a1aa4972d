// SPDX-License-Identifier: GPL-2.0-or-later
//! The command language both backends' fault channels run (`ibmvmc_sim::command`).
mod common;

use common::*;
use ibmvmc::hv::Device;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::TransportEvent;
use ibmvmc::HcallRc;
use ibmvmc_sim::command::CommandError;
use ibmvmc_sim::command::Outcome;
use ibmvmc_sim::SimConfig;

#[test]
fn bad_lines_are_invalid_and_change_nothing() {
    let sim = sim(small());
    for line in [
        "",
        "   ",
        "no-such-command",
        "transport",
        "transport 1 2",
        "transport 300",
        "hold x",
        "fail reg_crq",
        "fail nothing 1 1",
        "fail reg_crq 2 -1",
        "send 0",
        "send 0 16385",
        "send 0 -1",
        "inject 00",
        "inject zz000000000000000000000000000000",
        "restart now",
        "a b c d e",
        "request_vmc 0 -1",
    ] {
        assert_eq!(sim.command(line), Err(CommandError::Invalid), "{line:?}");
    }
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
}

#[test]
fn fail_counts_down_with_the_given_rc() {
    let sim = sim(small());
    assert_eq!(sim.command("fail reg_crq -0x10 2"), Ok(Outcome::Done));
    assert_eq!(sim.reg_crq(), HcallRc(-16));
    assert_eq!(sim.reg_crq(), HcallRc(-16));
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    assert_eq!(sim.command("fail free_crq 9905 1"), Ok(Outcome::Done));
    assert_eq!(sim.free_crq(), HcallRc(9905));
    assert_eq!(sim.free_crq(), HcallRc::SUCCESS);
}

#[test]
fn transport_inject_and_remove() {
    let sim = sim(small());
    bring_up(sim);
    assert_eq!(sim.command("transport 6"), Ok(Outcome::Done));
    assert_eq!(
        drain(sim),
        vec![CrqRepr::Transport(TransportEvent::from_code(6))]
    );
    assert_eq!(
        sim.command("inject ff00000000000000000000000000abcd"),
        Ok(Outcome::Done)
    );
    let entry = sim.next_crq().expect("the injected entry");
    assert_eq!((entry[0], entry[15]), (0xFF, 0xCD));
    // Headers without the valid bit are not entries: nothing is queued.
    assert_eq!(
        sim.command("inject 7f000000000000000000000000000000"),
        Ok(Outcome::Done)
    );
    assert_eq!(sim.next_crq(), None);
    assert_eq!(sim.command("remove"), Ok(Outcome::Remove));
}

#[test]
fn depart_closes_registration_until_arrive() {
    let sim = sim(small());
    bring_up(sim);
    assert_eq!(sim.command("depart"), Ok(Outcome::Done));
    assert_eq!(
        drain(sim),
        vec![CrqRepr::Transport(TransportEvent::from_code(2))]
    );
    assert_eq!(sim.free_crq(), HcallRc::SUCCESS);
    assert_eq!(sim.reg_crq(), HcallRc::CLOSED);
    assert_eq!(sim.command("arrive"), Ok(Outcome::Done));
    assert_eq!(drain(sim), vec![CrqRepr::Init]);
}

#[test]
fn send_and_remove_buffer_need_an_open_connection() {
    let sim = sim(SimConfig { ..small() });
    assert_eq!(sim.command("send 0 10"), Err(CommandError::Refused));
    assert_eq!(sim.command("remove_buffer 0"), Err(CommandError::Refused));
    assert_eq!(sim.command("request_vmc -2 0"), Ok(Outcome::Done));
    assert_eq!(sim.request_vmc(), (HcallRc(-2), 0));
}

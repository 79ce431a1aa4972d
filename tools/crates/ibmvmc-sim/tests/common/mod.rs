// SPDX-License-Identifier: GPL-2.0-or-later
//! A hand-played management partition for the simulator tests.
#![allow(dead_code)]

use ibmvmc::hv::Device;
use ibmvmc::wire::BufferOwner;
use ibmvmc::wire::Capabilities;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::Status;
use ibmvmc::wire::VmcMessage;
use ibmvmc::HcallRc;
use ibmvmc_sim::Sim;
use ibmvmc_sim::SimConfig;

/// A simulator with its own leaked memory.
pub fn sim(config: SimConfig) -> &'static Sim {
    let mem = Box::leak(vec![0u8; config.hv_mem_len()].into_boxed_slice());
    Box::leak(Box::new(Sim::new(config, mem).expect("valid config")))
}

pub fn small() -> SimConfig {
    SimConfig {
        pool_size: 8,
        mtu: 4096,
        open_add_buffers: 7,
        ..SimConfig::default()
    }
}

pub fn send(sim: &Sim, repr: CrqRepr) -> HcallRc {
    sim.send_crq(&repr.to_bytes())
}

pub fn vmc(sim: &Sim, message: VmcMessage) -> HcallRc {
    send(sim, CrqRepr::Vmc(message))
}

/// Everything on the partition's queue, parsed.
pub fn drain(sim: &Sim) -> Vec<CrqRepr> {
    let mut out = Vec::new();
    while let Some(entry) = sim.next_crq() {
        out.push(CrqRepr::from_bytes(&entry).expect("simulator sent a valid entry"));
    }
    out
}

/// Our capabilities, as the driver would announce them.
pub fn ours(sim: &Sim) -> Capabilities {
    Capabilities {
        max_hmcs: 2,
        pool_size: 64,
        mtu: 16384,
        crq_size: sim.crq_entries(),
        version: 0x0101,
    }
}

/// Register, Initialize, Capabilities: returns the capabilities response and the
/// Add Buffers that followed.
pub fn bring_up(sim: &Sim) -> Vec<CrqRepr> {
    assert_eq!(sim.reg_crq(), HcallRc::SUCCESS);
    assert_eq!(send(sim, CrqRepr::Init), HcallRc::SUCCESS);
    assert_eq!(drain(sim), vec![CrqRepr::InitComplete]);
    assert_eq!(
        vmc(sim, VmcMessage::Capabilities(ours(sim))),
        HcallRc::SUCCESS
    );
    drain(sim)
}

/// Where the partition maps its buffers: one 16 KiB slot per (index, id).
pub fn local_ioba(index: u8, id: u16) -> u64 {
    0x100_0000 + (index as u64 * 64 + id as u64) * 16384
}

/// Answers every Add Buffer in `entries` with success; returns them as
/// (session, index, id, owner, lioba).
pub fn accept_adds(sim: &Sim, entries: &[CrqRepr]) -> Vec<(u8, u8, u16, BufferOwner, u32)> {
    let mut adds = Vec::new();
    for entry in entries {
        if let CrqRepr::Vmc(VmcMessage::AddBuffer {
            hmc_session,
            hmc_index,
            buffer_id,
            owner,
            lioba,
        }) = *entry
        {
            adds.push((hmc_session, hmc_index, buffer_id, owner, lioba));
            let response = VmcMessage::AddBufferResponse {
                status: Status::Success,
                hmc_session,
                hmc_index,
                buffer_id,
            };
            assert_eq!(vmc(sim, response), HcallRc::SUCCESS);
        }
    }
    adds
}

/// The simulator's LIOBA of a buffer.
pub fn lioba(sim: &Sim, index: u8, id: u16) -> u32 {
    sim.buffer_lioba(index, id).expect("buffer in range")
}

/// RDMAs the HMC ID into buffer 0 and opens connection `index` with `session`;
/// returns everything the simulator answered.
pub fn open(sim: &Sim, index: u8, session: u8, hmc_id: &[u8; 32]) -> Vec<CrqRepr> {
    assert_eq!(
        sim.rdma_to_hv(hmc_id, local_ioba(index, 0), lioba(sim, index, 0)),
        HcallRc::SUCCESS
    );
    let open = VmcMessage::InterfaceOpen {
        hmc_session: session,
        hmc_index: index,
        buffer_id: 0,
    };
    assert_eq!(vmc(sim, open), HcallRc::SUCCESS);
    drain(sim)
}

/// Brought up, seeds accepted, connection 0 open with session 1 and its adds accepted.
pub fn open_session(sim: &Sim) {
    let up = bring_up(sim);
    accept_adds(sim, &up);
    let answer = open(sim, 0, 1, &[0x41; 32]);
    accept_adds(sim, &answer);
    assert_eq!(sim.session(0), Some(1));
}

/// Sends `msg` in buffer `id` of connection 0 (session 1) and returns the answer's
/// (buffer id, bytes) after reading it back with RDMA.
pub fn round_trip(sim: &Sim, id: u16, msg: &[u8]) -> (u16, Vec<u8>) {
    assert_eq!(
        sim.rdma_to_hv(msg, local_ioba(0, id), lioba(sim, 0, id)),
        HcallRc::SUCCESS
    );
    let signal = VmcMessage::Signal {
        hmc_session: 1,
        hmc_index: 0,
        buffer_id: id,
        msg_len: msg.len() as u32,
    };
    assert_eq!(vmc(sim, signal), HcallRc::SUCCESS);
    let answer = drain(sim);
    assert_eq!(answer.len(), 1, "one Signal back: {answer:?}");
    let CrqRepr::Vmc(VmcMessage::Signal {
        hmc_session: 1,
        hmc_index: 0,
        buffer_id,
        msg_len,
    }) = answer[0]
    else {
        panic!("not a Signal: {answer:?}");
    };
    let mut back = vec![0u8; msg_len as usize];
    assert_eq!(
        sim.rdma_from_hv(
            lioba(sim, 0, buffer_id),
            &mut back,
            local_ioba(0, buffer_id)
        ),
        HcallRc::SUCCESS
    );
    (buffer_id, back)
}

/// A 32-byte HMC header followed by `data`.
pub fn hmc_frame(target: u16, opcode: u16, data: &[u8]) -> Vec<u8> {
    let mut msg = vec![0u8; 32];
    msg[..3].copy_from_slice(&[0xDE, 0xCA, 0xFF]);
    msg[3] = 32;
    msg[4..8].copy_from_slice(&((32 + data.len()) as u32).to_be_bytes());
    msg[8..12].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    msg[12..14].copy_from_slice(&target.to_be_bytes());
    msg[15] = 0x80;
    msg[16..20].copy_from_slice(&(data.len() as u32).to_be_bytes());
    msg[20..22].copy_from_slice(&opcode.to_be_bytes());
    msg.extend_from_slice(data);
    msg
}

pub fn be16(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

pub fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

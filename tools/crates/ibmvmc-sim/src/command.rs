// SPDX-License-Identifier: GPL-2.0-or-later
//! The simulator's command language: one line of text, one fault or event.
//!
//! The x86_64 module reads it from debugfs `ibmvmc/sim`; QEMU's `spapr-vmc` device
//! (tools/build/qemu.sh) reads it from its private control hcall. Both run the same parser, so
//! a test program drives either backend with the same words:
//!
//! | command | effect |
//! |---|---|
//! | `transport CODE` | transport event CODE (1 partner failed, 2 partner deregistered, 4 suspended, 6 migrated...) |
//! | `hold 0\|1` | hold the hypervisor's answers back (1) or release them (0) |
//! | `restart` | the hypervisor restarts: its own Initialize |
//! | `depart` | the hypervisor deregisters and stays away (transport event 2) until `arrive` |
//! | `arrive` | an absent hypervisor registers (see `SimConfig::partner_present`) |
//! | `remove_buffer INDEX` | Remove Buffer for connection INDEX |
//! | `send INDEX LEN` | an unsolicited LEN-byte message (bytes 0xA5) to connection INDEX |
//! | `request_vmc RC DRC` | what H_REQUEST_VMC answers from now on |
//! | `fail CALL RC TIMES` | the next TIMES calls of CALL (reg_crq, free_crq, enable_crq, send_crq, copy_rdma, request_vmc) return RC |
//! | `inject HEX` | the 16-byte entry HEX (32 hex digits) on the partition's queue, as is |
//! | `remove` | the device goes away: the caller's business ([`Outcome::Remove`]) |
use ibmvmc::HcallRc;

use crate::Hcall;
use crate::Sim;
use crate::MAX_MTU;

/// The byte of every message the `send` command makes.
pub const SEND_PATTERN_BYTE: u8 = 0xA5;

/// The `send` command's bytes (static: 16 KiB is the whole of a kernel stack).
static PATTERN: [u8; MAX_MTU as usize] = [SEND_PATTERN_BYTE; MAX_MTU as usize];

/// What the caller still has to do after [`Sim::command`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing: the simulator did it.
    Done,
    /// Remove the device (only the caller can).
    Remove,
}

/// Why [`Sim::command`] did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandError {
    /// Not a command, or bad arguments (EINVAL).
    Invalid,
    /// A valid command the simulator could not carry out now (EIO).
    Refused,
}

fn parse_int(word: &str) -> Result<i64, CommandError> {
    let (neg, digits) = match word.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let value = match digits.strip_prefix("0x") {
        Some(hex) => i64::from_str_radix(hex, 16),
        None => digits.parse::<i64>(),
    }
    .map_err(|_| CommandError::Invalid)?;
    Ok(if neg { -value } else { value })
}

fn hcall(word: &str) -> Result<Hcall, CommandError> {
    Ok(match word {
        "reg_crq" => Hcall::RegCrq,
        "free_crq" => Hcall::FreeCrq,
        "enable_crq" => Hcall::EnableCrq,
        "send_crq" => Hcall::SendCrq,
        "copy_rdma" => Hcall::CopyRdma,
        "request_vmc" => Hcall::RequestVmc,
        _ => return Err(CommandError::Invalid),
    })
}

fn hex_entry(word: &str) -> Result<[u8; 16], CommandError> {
    let bytes = word.as_bytes();
    if bytes.len() != 32 {
        return Err(CommandError::Invalid);
    }
    let mut entry = [0u8; 16];
    for (i, out) in entry.iter_mut().enumerate() {
        let pair = word.get(2 * i..2 * i + 2).ok_or(CommandError::Invalid)?;
        *out = u8::from_str_radix(pair, 16).map_err(|_| CommandError::Invalid)?;
    }
    Ok(entry)
}

impl Sim {
    /// Runs one command line (see the module documentation).
    pub fn command(&self, line: &str) -> Result<Outcome, CommandError> {
        let mut words = [""; 4];
        let mut n = 0;
        for word in line.split_ascii_whitespace() {
            *words.get_mut(n).ok_or(CommandError::Invalid)? = word;
            n += 1;
        }
        let args = words.get(1..n).ok_or(CommandError::Invalid)?;
        let int = |i: usize| {
            args.get(i)
                .ok_or(CommandError::Invalid)
                .and_then(|w| parse_int(w))
        };
        let small =
            |i: usize| int(i).and_then(|v| u8::try_from(v).map_err(|_| CommandError::Invalid));
        let arity = |want: usize| {
            if args.len() == want {
                Ok(())
            } else {
                Err(CommandError::Invalid)
            }
        };
        match words.first().copied().unwrap_or("") {
            "transport" => {
                arity(1)?;
                self.transport_event(small(0)?);
            }
            "hold" => {
                arity(1)?;
                self.hold_responses(int(0)? != 0);
            }
            "restart" => {
                arity(0)?;
                self.partner_restart();
            }
            "arrive" => {
                arity(0)?;
                self.partner_arrive();
            }
            "depart" => {
                arity(0)?;
                self.partner_depart();
            }
            "remove_buffer" => {
                arity(1)?;
                if !self.remove_buffer(small(0)?) {
                    return Err(CommandError::Refused);
                }
            }
            "send" => {
                arity(2)?;
                let len = usize::try_from(int(1)?).map_err(|_| CommandError::Invalid)?;
                let data = PATTERN.get(..len).ok_or(CommandError::Invalid)?;
                if !self.send_hmc_message(small(0)?, data) {
                    return Err(CommandError::Refused);
                }
            }
            "request_vmc" => {
                arity(2)?;
                let drc = u32::try_from(int(1)?).map_err(|_| CommandError::Invalid)?;
                self.set_request_vmc(HcallRc(int(0)?), drc);
            }
            "fail" => {
                arity(3)?;
                let call = hcall(args.first().copied().unwrap_or(""))?;
                let times = u32::try_from(int(2)?).map_err(|_| CommandError::Invalid)?;
                self.fail_next(call, HcallRc(int(1)?), times);
            }
            "inject" => {
                arity(1)?;
                let entry = hex_entry(args.first().copied().unwrap_or(""))?;
                self.inject_entry(entry);
            }
            "remove" => {
                arity(0)?;
                return Ok(Outcome::Remove);
            }
            _ => return Err(CommandError::Invalid),
        }
        Ok(Outcome::Done)
    }
}

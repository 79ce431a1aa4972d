// SPDX-License-Identifier: GPL-2.0-or-later
//! Load-time proof that the owner's crates work where the driver runs.
//!
//! Each check makes the crate do real work and returns what it produced, so the caller
//! can print it and a test can compare it with what it must be: an embassy-sync
//! `Channel` carries values between two futures that `futures-util`'s `join` polls
//! together (the channel holds fewer values than are sent, so both sides really wait and
//! wake each other), a `StaticCell` hands out its `&'static mut` exactly once, and a
//! `defmt` call encodes a frame through the platform's global logger.

use embassy_sync::blocking_mutex::raw::RawMutex;
use embassy_sync::channel::Channel;
use futures_util::future::join;
use static_cell::StaticCell;

/// Values the producer sends: 1..=`SENT`.
pub const SENT: u32 = 8;
/// Channel capacity, deliberately below `SENT`.
pub const CAPACITY: usize = 2;
/// What the consumer must add up to: 1 + 2 + ... + SENT.
pub const EXPECTED_SUM: u32 = SENT * (SENT + 1) / 2;

/// The channel the self-test runs through.
pub type TestChannel<M> = Channel<M, u32, CAPACITY>;

/// What the self-test observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct Proof {
    /// Sum of the values received through the channel.
    pub channel_sum: u32,
    /// How many times the producer found the channel full and had to wait.
    pub producer_waits: u32,
    /// Number of values the consumer received (via the `join`ed future's output).
    pub received: u32,
    /// The value read back through the `&'static mut` that the `StaticCell` gave out.
    pub cell_value: u32,
    /// Whether a second `try_init` of the same cell was refused, as it must be.
    pub cell_refused_twice: bool,
}

impl Proof {
    /// True when every observation is what the crates guarantee.
    pub fn is_ok(&self) -> bool {
        self.channel_sum == EXPECTED_SUM
            && self.received == SENT
            && self.producer_waits > 0
            && self.cell_value == EXPECTED_SUM
            && self.cell_refused_twice
    }
}

/// Runs the checks. `cell` must be fresh (never initialised); the function initialises
/// it, so it can run once per cell. Every call emits one defmt frame.
pub async fn four_crates<M: RawMutex>(
    chan: &TestChannel<M>,
    cell: &'static StaticCell<u32>,
) -> Proof {
    let producer = async {
        let mut waits = 0;
        for v in 1..=SENT {
            if chan.try_send(v).is_err() {
                waits += 1;
                chan.send(v).await;
            }
        }
        waits
    };
    let consumer = async {
        // Receive until the last value shows up, counting, so a lost or duplicated
        // value shows in `received` as well as in the sum.
        let (mut received, mut sum) = (0, 0);
        loop {
            let v = chan.receive().await;
            received += 1;
            sum += v;
            if v == SENT {
                break (received, sum);
            }
        }
    };
    let (producer_waits, (received, channel_sum)) = join(producer, consumer).await;

    let (cell_value, cell_refused_twice) = match cell.try_init(channel_sum) {
        Some(slot) => (*slot, cell.try_init(0).is_none()),
        None => (0, false),
    };

    let proof = Proof {
        channel_sum,
        producer_waits,
        received,
        cell_value,
        cell_refused_twice,
    };
    crate::trace_info!("selftest: {}", proof);
    proof
}

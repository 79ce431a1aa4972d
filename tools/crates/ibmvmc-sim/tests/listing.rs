// SPDX-License-Identifier: GPL-2.0-or-later
//! The simulator's statistics listing (`Sim::write_stats`): the text of the x86_64
//! module's debugfs `ibmvmc/sim` and of the QEMU device's statistics.
mod common;

use common::*;
use ibmvmc_sim::SimStats;

/// The listing parsed: (name, value) per line, in order.
fn parse(text: &str) -> Vec<(String, u64)> {
    assert!(text.ends_with('\n'), "{text:?}");
    text.lines()
        .map(|line| {
            let (name, value) = line.split_once(' ').expect("`name value`");
            (name.to_owned(), value.parse().expect("a decimal value"))
        })
        .collect()
}

#[test]
fn every_counter_under_its_own_name() {
    // A literal without `..`: a new field does not compile here until it is named.
    let s = SimStats {
        inits: 1,
        capabilities: 2,
        opens: 3,
        closes: 4,
        signals_in: 5,
        signals_out: 6,
        echoes: 7,
        exchange_ops: 8,
        hmc_closes: 9,
        raw_echoes: 10,
        add_buffer_failures: 11,
        remove_buffer_responses: 12,
        protocol_errors: 13,
        first_protocol_error_line: 14,
        rdma_ok: 15,
        rdma_failed: 16,
        dropped_to_partition: 17,
        registrations: 18,
        frees: 19,
        enables: 20,
        refused: 21,
        longest_refusal_streak: 22,
    };
    let names = [
        "inits",
        "capabilities",
        "opens",
        "closes",
        "signals_in",
        "signals_out",
        "echoes",
        "exchange_ops",
        "hmc_closes",
        "raw_echoes",
        "add_buffer_failures",
        "remove_buffer_responses",
        "protocol_errors",
        "first_protocol_error_line",
        "rdma_ok",
        "rdma_failed",
        "dropped_to_partition",
        "registrations",
        "frees",
        "enables",
        "refused",
        "longest_refusal_streak",
    ];
    let want: Vec<(&str, u32)> = names.iter().copied().zip(1..).collect();
    assert_eq!(s.counters().to_vec(), want);
}

#[test]
fn listing_is_the_live_counters() {
    let sim = sim(small());
    let mut text = String::new();
    sim.write_stats(&mut text).unwrap();
    let fresh = parse(&text);
    assert_eq!(fresh.len(), SimStats::ZERO.counters().len() + 1);
    assert!(fresh.iter().all(|(_, v)| *v == 0), "{text}");

    open_session(sim);
    round_trip(sim, 1, b"raw bytes");
    let mut text = String::new();
    sim.write_stats(&mut text).unwrap();
    let lines = parse(&text);
    let stats = sim.stats();
    assert_eq!(stats.raw_echoes, 1);
    assert!(stats.opens == 1 && stats.inits == 1);
    for ((name, value), (want_name, want)) in lines.iter().zip(stats.counters()) {
        assert_eq!((name.as_str(), *value), (want_name, u64::from(want)));
    }
    let last = lines.last().unwrap();
    assert_eq!(
        (last.0.as_str(), last.1),
        ("queued_to_partition", sim.queued_to_partition() as u64)
    );
}

/// A writer with room for `left` bytes, failing after.
struct Bounded {
    text: String,
    left: usize,
}

impl core::fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.left = self.left.checked_sub(s.len()).ok_or(core::fmt::Error)?;
        self.text.push_str(s);
        Ok(())
    }
}

#[test]
fn a_full_writer_ends_the_listing_with_an_error() {
    let sim = sim(small());
    let mut out = Bounded {
        text: String::new(),
        left: 20,
    };
    assert!(sim.write_stats(&mut out).is_err());
    assert!(
        out.text.len() <= 20 && out.text.starts_with("inits 0\n"),
        "{:?}",
        out.text
    );
}

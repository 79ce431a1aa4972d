// SPDX-License-Identifier: GPL-2.0-or-later
//! Host test of the load-time self-test: the same code the module runs at load, on a
//! plain block_on, with a std critical section and a counting defmt logger.

use core::sync::atomic::AtomicBool;
use core::sync::atomic::AtomicUsize;
use core::sync::atomic::Ordering;

use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use ibmvmc::selftest::four_crates;
use ibmvmc::selftest::Proof;
use ibmvmc::selftest::TestChannel;
use ibmvmc::selftest::EXPECTED_SUM;
use ibmvmc::selftest::SENT;
use static_cell::StaticCell;

static LOGGER_BUSY: AtomicBool = AtomicBool::new(false);
static FRAMES: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

#[defmt::global_logger]
struct CountingLogger;

// SAFETY: acquire spins on LOGGER_BUSY until it owns the logger; release gives it back.
unsafe impl defmt::Logger for CountingLogger {
    fn acquire() {
        while LOGGER_BUSY
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        FRAMES.fetch_add(1, Ordering::Relaxed);
    }
    unsafe fn flush() {}
    unsafe fn release() {
        LOGGER_BUSY.store(false, Ordering::Release);
    }
    unsafe fn write(bytes: &[u8]) {
        BYTES.fetch_add(bytes.len(), Ordering::Relaxed);
    }
}

defmt::timestamp!("{=u32}", 0);

#[defmt::panic_handler]
fn defmt_panic() -> ! {
    panic!("defmt panic")
}

fn run(cell: &'static StaticCell<u32>) -> Proof {
    let chan = TestChannel::<CriticalSectionRawMutex>::new();
    futures::executor::block_on(four_crates(&chan, cell))
}

#[test]
fn four_crates_observe_what_the_crates_guarantee() {
    static CELL: StaticCell<u32> = StaticCell::new();
    let frames_before = FRAMES.load(Ordering::Relaxed);
    let p = run(&CELL);
    assert_eq!(p.channel_sum, EXPECTED_SUM);
    assert_eq!(p.received, SENT);
    // The channel holds fewer values than are sent: the producer must have waited.
    assert!(p.producer_waits > 0, "{p:?}");
    assert_eq!(p.cell_value, EXPECTED_SUM);
    assert!(p.cell_refused_twice);
    assert!(p.is_ok());
    assert!(
        FRAMES.load(Ordering::Relaxed) > frames_before,
        "no defmt frame"
    );
    assert!(BYTES.load(Ordering::Relaxed) > 0, "defmt wrote nothing");
}

#[test]
fn a_used_cell_is_reported_not_a_panic() {
    static CELL: StaticCell<u32> = StaticCell::new();
    let _ = CELL.init(7);
    let p = run(&CELL);
    assert_eq!(p.cell_value, 0);
    assert!(!p.cell_refused_twice);
    assert!(!p.is_ok(), "a used cell must fail the proof: {p:?}");
}

#[test]
fn proof_rejects_each_wrong_observation() {
    let good = Proof {
        channel_sum: EXPECTED_SUM,
        producer_waits: 3,
        received: SENT,
        cell_value: EXPECTED_SUM,
        cell_refused_twice: true,
    };
    assert!(good.is_ok());
    let bad = [
        Proof {
            channel_sum: EXPECTED_SUM - 1,
            ..good
        },
        Proof {
            producer_waits: 0,
            ..good
        },
        Proof {
            received: SENT + 1,
            ..good
        },
        Proof {
            cell_value: 1,
            ..good
        },
        Proof {
            cell_refused_twice: false,
            ..good
        },
    ];
    for b in bad {
        assert!(!b.is_ok(), "{b:?}");
    }
}

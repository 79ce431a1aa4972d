// SPDX-License-Identifier: GPL-2.0-or-later

//! Load-time self-test: the four crates and the executor, woken from a real interrupt.
//!
//! One task runs, on the executor, `ibmvmc::selftest::four_crates` joined with a loop
//! that raises a hard irq_work and waits on an embassy-sync `Signal` that the irq_work
//! handler fires: each round is a wake from hard-IRQ context through the pender and
//! the bottom half. Module init waits for the task and prints one line with what both
//! observed; a wrong observation fails the load.

use core::cell::Cell;
use core::sync::atomic::AtomicU64;
use core::sync::atomic::Ordering;

use embassy_sync::blocking_mutex::Mutex;
use embassy_sync::signal::Signal;
use futures_util::future::join;
use ibmvmc::selftest::four_crates;
use ibmvmc::selftest::Proof;
use ibmvmc::selftest::TestChannel;
use kernel::prelude::*;
use static_cell::StaticCell;

use crate::bh::EXECUTOR;
use crate::ffi;
use crate::platform::KernelRawMutex;
use crate::platform::TRACE;

/// Interrupt rounds the task waits through.
const IRQ_ROUNDS: u32 = 16;

static CHANNEL: TestChannel<KernelRawMutex> = TestChannel::new();
static CELL: StaticCell<u32> = StaticCell::new();
/// Fired by the test interrupt; carries whether the handler really ran in hard IRQ.
static IRQ_SIGNAL: Signal<KernelRawMutex, bool> = Signal::new();
static IRQ_RAISED_AT: AtomicU64 = AtomicU64::new(0);
static RESULT: Mutex<KernelRawMutex, Cell<Option<(Proof, IrqProof)>>> = Mutex::new(Cell::new(None));

/// What the interrupt rounds observed.
#[derive(Clone, Copy, PartialEq, Eq)]
struct IrqProof {
    rounds: u32,
    /// Rounds whose signal came from hard-IRQ context.
    from_hardirq: u32,
    /// Rounds in which the task was polled in softirq (BH workqueue) context.
    polled_in_bh: u32,
    /// Total nanoseconds from raising the interrupt to the task running again.
    total_ns: u64,
}

/// Test interrupt handler (hard-IRQ context), called by `shim.c`.
#[no_mangle]
extern "C" fn ibmvmc_rs_test_irq() {
    IRQ_SIGNAL.signal(ffi::in_hardirq());
}

async fn irq_rounds() -> IrqProof {
    let mut p = IrqProof {
        rounds: 0,
        from_hardirq: 0,
        polled_in_bh: 0,
        total_ns: 0,
    };
    for _ in 0..IRQ_ROUNDS {
        IRQ_RAISED_AT.store(ffi::now_ns(), Ordering::Relaxed);
        ffi::test_irq_raise();
        let hard = IRQ_SIGNAL.wait().await;
        let now = ffi::now_ns();
        p.rounds += 1;
        p.from_hardirq += u32::from(hard);
        p.polled_in_bh += u32::from(ffi::in_bh());
        p.total_ns += now.saturating_sub(IRQ_RAISED_AT.load(Ordering::Relaxed));
    }
    p
}

async fn selftest_task() {
    let (proof, irq) = join(four_crates(&CHANNEL, &CELL), irq_rounds()).await;
    RESULT.lock(|r| r.set(Some((proof, irq))));
    ffi::selftest_done();
}

/// Spawns the self-test, waits for it, prints the proof line. Process context.
pub(crate) fn run(bh_mode: u32) -> Result {
    EXECUTOR.spawn(selftest_task()).map_err(|e| {
        pr_err!("self-test: spawn failed: {:?}\n", e);
        ENOMEM
    })?;
    if !ffi::selftest_wait(10_000) {
        pr_err!("self-test: no result within 10 s\n");
        return Err(ETIMEDOUT);
    }
    let Some((proof, irq)) = RESULT.lock(|r| r.take()) else {
        pr_err!("self-test: completed without a result\n");
        return Err(EIO);
    };
    let (frames, _lost, bytes) = TRACE.stats();
    // The task's proof line (at info) went through defmt into the ring, unless the
    // trace_level given at load keeps less than info: then the ring stays empty.
    let traced = (frames > 0 && bytes > 0) || ibmvmc::trace::level() < ibmvmc::trace::Level::Info;
    let ok = proof.is_ok()
        && traced
        && irq.rounds == IRQ_ROUNDS
        && irq.from_hardirq == IRQ_ROUNDS
        // Each round's task ran where bh_mode says: softirq (0) or a worker (1).
        && irq.polled_in_bh == (if bh_mode == 0 { IRQ_ROUNDS } else { 0 });
    let line = if ok { "ok" } else { "FAILED" };
    let context = if bh_mode == 0 {
        "bh_mode=0: BH workqueue"
    } else {
        "bh_mode=1: high-priority workqueue"
    };
    pr_info!(
        "crates {}: embassy-sync Channel sum={} received={} producer_waits={}, \
         futures-util join, static_cell value={} refused_twice={}, defmt frames={} bytes={}; \
         executor: {}/{} wakes from hard irq, {} polled in softirq ({}), {} ns avg irq->task\n",
        line,
        proof.channel_sum,
        proof.received,
        proof.producer_waits,
        proof.cell_value,
        proof.cell_refused_twice,
        frames,
        bytes,
        irq.from_hardirq,
        irq.rounds,
        irq.polled_in_bh,
        context,
        irq.total_ns / u64::from(irq.rounds.max(1)),
    );
    if ok {
        Ok(())
    } else {
        Err(EIO)
    }
}

ffi::same_signature!(ibmvmc_rs_test_irq);

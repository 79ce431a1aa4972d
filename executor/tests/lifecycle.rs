// SPDX-License-Identifier: GPL-2.0-or-later
//! Single-threaded behaviour: spawn, completion, slot reuse, the pender edge, wakes
//! from inside tasks, shutdown.

mod common;

use std::future::poll_fn;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Mutex;
use std::task::Poll;
use std::task::Waker;

use common::leak;
use common::new_executor;
use common::Probe;
use ibmvmc_executor::SpawnError;
use ibmvmc_executor::TaskId;

#[test]
fn spawn_pends_once_and_poll_completes() {
    let (executor, platform) = new_executor::<4, 128>();
    let probe = Probe::new();
    probe.finish.store(true, SeqCst);
    let id = executor.spawn(probe.future()).unwrap();
    assert_eq!(platform.pends(), 1, "spawn marks the task ready and pends");
    assert!(executor.is_running(id));
    assert_eq!(executor.live_tasks(), 1);

    assert_eq!(platform.run_until_idle(executor), 1);
    assert_eq!(probe.polls(), 1);
    assert_eq!(probe.drops(), 1, "a completed future is dropped in place");
    assert!(!executor.is_running(id));
    assert_eq!(executor.live_tasks(), 0);
}

#[test]
fn completed_slot_is_reused_with_a_new_generation() {
    let (executor, platform) = new_executor::<1, 128>();
    let mut previous: Option<TaskId> = None;
    for round in 0..5 {
        let probe = Probe::new();
        let id = executor.spawn(probe.future()).unwrap();
        assert_eq!(id.index(), 0);
        if let Some(old) = previous {
            assert_eq!(id.generation(), old.generation() + 1);
            assert_ne!(id, old);
            assert!(!executor.is_running(old), "stale id of a re-spawned slot");
        }
        assert_eq!(
            executor.spawn(async {}),
            Err(SpawnError::Busy),
            "round {round}: the only slot is taken"
        );
        platform.run_until_idle(executor);
        assert!(executor.is_running(id));
        probe.finish.store(true, SeqCst);
        probe.waker().wake();
        platform.run_until_idle(executor);
        assert!(!executor.is_running(id));
        assert_eq!(probe.drops(), 1);
        previous = Some(id);
    }
}

#[test]
fn exhausted_slots_report_busy_until_one_frees() {
    let (executor, platform) = new_executor::<3, 128>();
    let probes: Vec<&Probe> = (0..3).map(|_| Probe::new()).collect();
    let ids: Vec<TaskId> = probes
        .iter()
        .map(|probe| executor.spawn(probe.future()).unwrap())
        .collect();
    assert_eq!(executor.spawn(async {}), Err(SpawnError::Busy));
    platform.run_until_idle(executor);
    assert_eq!(executor.spawn(async {}), Err(SpawnError::Busy));

    probes[1].finish.store(true, SeqCst);
    probes[1].waker().wake_by_ref();
    platform.run_until_idle(executor);
    let id = executor.spawn(async {}).unwrap();
    assert_eq!(
        id.index(),
        ids[1].index(),
        "the freed slot is the one reused"
    );
    assert_eq!(executor.spawn(async {}), Err(SpawnError::Busy));
}

#[test]
fn pender_runs_only_on_the_empty_to_non_empty_edge() {
    let (executor, platform) = new_executor::<4, 128>();
    let probes: Vec<&Probe> = (0..3).map(|_| Probe::new()).collect();
    for probe in &probes {
        executor.spawn(probe.future()).unwrap();
    }
    assert_eq!(platform.pends(), 1, "three spawns, one edge");
    platform.run_until_idle(executor);
    assert!(probes.iter().all(|probe| probe.polls() == 1));

    for _ in 0..100 {
        for probe in &probes {
            probe.waker().wake_by_ref();
        }
    }
    assert_eq!(
        platform.pends(),
        2,
        "300 wakes before the next poll, one edge"
    );
    assert_eq!(platform.run_until_idle(executor), 1);
    assert!(
        probes.iter().all(|probe| probe.polls() == 2),
        "a queued task is polled once however often it was woken"
    );

    probes[0].waker().wake_by_ref();
    assert_eq!(
        platform.pends(),
        3,
        "the queue emptied, so the next wake pends again"
    );
}

#[test]
fn wakes_during_a_poll_pend_once() {
    let (executor, platform) = new_executor::<4, 128>();
    let idle: &'static [&'static Probe] = leak((0..2).map(|_| Probe::new()).collect::<Vec<_>>());
    for probe in idle {
        executor.spawn(probe.future()).unwrap();
    }
    platform.run_until_idle(executor);
    let pends = platform.pends();
    // Wakes from inside a task, while the poll lock is held: the first finds the queue
    // empty and pends, the second finds it non-empty and does not.
    executor
        .spawn(poll_fn(move |_| {
            for probe in idle {
                probe.waker().wake_by_ref();
            }
            Poll::Ready(())
        }))
        .unwrap();
    assert_eq!(platform.pends(), pends + 1);
    executor.poll();
    assert_eq!(
        platform.pends(),
        pends + 2,
        "two wakes during the poll, one pend"
    );
    platform.run_until_idle(executor);
    assert!(idle.iter().all(|probe| probe.polls() == 2));
}

#[test]
fn task_that_wakes_itself_runs_again_in_the_next_poll() {
    let (executor, platform) = new_executor::<2, 128>();
    let polls = leak(AtomicUsize::new(0));
    executor
        .spawn(poll_fn(|cx| {
            if polls.fetch_add(1, SeqCst) == 9 {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }))
        .unwrap();
    for round in 1..=10 {
        executor.poll();
        assert_eq!(polls.load(SeqCst), round, "one poll per poll() call");
        assert_eq!(
            platform.pends(),
            round.min(9) + 1,
            "each self-wake re-pends"
        );
    }
    assert_eq!(executor.live_tasks(), 0);
}

#[test]
fn task_can_spawn_a_task() {
    let (executor, platform) = new_executor::<2, 256>();
    let child_ran = leak(AtomicUsize::new(0));
    let child: &'static Mutex<Option<TaskId>> = leak(Mutex::new(None));
    executor
        .spawn(async move {
            let id = executor
                .spawn(async move {
                    child_ran.fetch_add(1, SeqCst);
                })
                .unwrap();
            *child.lock().unwrap() = Some(id);
            // The parent's own slot is still in use, so no slot is left.
            assert_eq!(executor.spawn(async {}), Err(SpawnError::Busy));
        })
        .unwrap();
    assert_eq!(
        platform.run_until_idle(executor),
        2,
        "the child runs in the next poll"
    );
    assert_eq!(child_ran.load(SeqCst), 1);
    assert!(!executor.is_running(child.lock().unwrap().unwrap()));
    assert_eq!(executor.live_tasks(), 0);
}

#[test]
fn stale_waker_of_a_respawned_slot_is_a_spurious_wake() {
    let (executor, platform) = new_executor::<1, 128>();
    let first = Probe::new();
    let first_id = executor.spawn(first.future()).unwrap();
    platform.run_until_idle(executor);
    let stale = first.waker();
    first.finish.store(true, SeqCst);
    stale.wake_by_ref();
    platform.run_until_idle(executor);
    assert!(!executor.is_running(first_id));

    // Waking a free slot: the poller finds no future there.
    stale.wake_by_ref();
    platform.run_until_idle(executor);

    let second = Probe::new();
    let second_id = executor.spawn(second.future()).unwrap();
    assert_eq!(second_id.index(), first_id.index());
    platform.run_until_idle(executor);
    assert_eq!(second.polls(), 1);
    stale.wake_by_ref();
    platform.run_until_idle(executor);
    assert_eq!(
        second.polls(),
        2,
        "the old task's waker reaches the slot's new task"
    );
    assert_eq!(first.polls(), 2);
    assert_eq!(first.drops(), 1);
}

#[test]
fn stale_wake_of_a_free_slot_does_not_block_a_spawn() {
    let (executor, platform) = new_executor::<1, 128>();
    let first = Probe::new();
    first.finish.store(true, SeqCst);
    executor.spawn(first.future()).unwrap();
    platform.run_until_idle(executor);
    // The slot is free but queued by the stale wake; a spawn takes it over.
    first.waker().wake_by_ref();
    let second = Probe::new();
    executor.spawn(second.future()).unwrap();
    platform.run_until_idle(executor);
    assert_eq!(second.polls(), 1);
}

#[test]
fn waker_and_wake_by_id() {
    let (executor, platform) = new_executor::<2, 128>();
    let probe = Probe::new();
    let id = executor.spawn(probe.future()).unwrap();
    platform.run_until_idle(executor);
    let waker = executor.waker(id).expect("running");
    assert!(waker.will_wake(&probe.waker()));
    assert!(executor.wake(id));
    platform.run_until_idle(executor);
    assert_eq!(probe.polls(), 2);
    probe.finish.store(true, SeqCst);
    waker.wake();
    platform.run_until_idle(executor);
    assert!(executor.waker(id).is_none());
    assert!(!executor.wake(id));
}

#[test]
fn shutdown_drops_every_live_future_once_and_silences_wakers() {
    let (executor, platform) = new_executor::<4, 128>();
    let probes: Vec<&Probe> = (0..3).map(|_| Probe::new()).collect();
    for probe in &probes {
        executor.spawn(probe.future()).unwrap();
    }
    platform.run_until_idle(executor);
    // Wake one so that it sits in the run queue at shutdown.
    probes[0].waker().wake_by_ref();
    let wakers: Vec<Waker> = probes.iter().map(|probe| probe.waker()).collect();
    let pends = platform.pends();
    let polls: Vec<usize> = probes.iter().map(|probe| probe.polls()).collect();

    let report = executor.shutdown();
    assert_eq!(report.dropped, 3);
    assert!(report.drained);
    assert!(executor.is_shut_down() && executor.is_drained());
    if cfg!(debug_assertions) {
        // One clone in each probe plus the three in `wakers`.
        assert_eq!(report.live_wakers, Some(6));
    } else {
        assert_eq!(report.live_wakers, None);
    }
    assert!(probes.iter().all(|probe| probe.drops() == 1));

    // Wakers held elsewhere (another thread) are no-ops now.
    std::thread::spawn(move || {
        for waker in wakers {
            waker.wake_by_ref();
            waker.wake();
        }
    })
    .join()
    .unwrap();
    executor.poll();
    platform.run_until_idle(executor);
    assert_eq!(platform.pends(), pends, "no pend after shutdown");
    let after: Vec<usize> = probes.iter().map(|probe| probe.polls()).collect();
    assert_eq!(after, polls, "no poll after shutdown");
    assert_eq!(executor.spawn(async {}), Err(SpawnError::ShutDown));

    let again = executor.shutdown();
    assert_eq!(again.dropped, 0, "idempotent");
    assert!(again.drained);
    assert!(probes.iter().all(|probe| probe.drops() == 1));
}

#[test]
fn wakes_after_shutdown_of_an_idle_executor_never_pend() {
    let (executor, platform) = new_executor::<2, 128>();
    let probe = Probe::new();
    executor.spawn(probe.future()).unwrap();
    platform.run_until_idle(executor);
    let waker = probe.waker();
    let pends = platform.pends();
    assert_eq!(executor.shutdown().dropped, 1);
    // The run queue was empty at shutdown, so only its closing keeps this from pending.
    waker.wake_by_ref();
    assert_eq!(platform.pends(), pends);
    assert_eq!(probe.polls(), 1);
}

#[test]
fn shutdown_from_inside_a_task_is_deferred_to_the_end_of_the_poll() {
    let (executor, platform) = new_executor::<4, 128>();
    let others: Vec<&Probe> = (0..2).map(|_| Probe::new()).collect();
    for probe in &others {
        executor.spawn(probe.future()).unwrap();
    }
    platform.run_until_idle(executor);
    let reports = leak(Mutex::new(Vec::new()));
    let dropped = leak(AtomicUsize::new(0));
    struct CountDrop(&'static AtomicUsize);
    impl Drop for CountDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, SeqCst);
        }
    }
    // Queue the others first: the run queue is a stack, so they come after the task
    // that shuts down, and must not be polled once shutdown was requested.
    for probe in &others {
        probe.waker().wake_by_ref();
    }
    let guard = CountDrop(dropped);
    executor
        .spawn(async move {
            let _guard = guard;
            let report = executor.shutdown();
            reports.lock().unwrap().push(report);
            // Still alive after shutdown returned: it must not be dropped under our feet.
            std::future::pending::<()>().await;
        })
        .unwrap();
    let polls: Vec<usize> = others.iter().map(|probe| probe.polls()).collect();
    executor.poll();
    let report = reports.lock().unwrap()[0];
    assert!(!report.drained, "the running poll() drains");
    assert_eq!(report.dropped, 0);
    assert!(executor.is_drained());
    assert_eq!(dropped.load(SeqCst), 1);
    assert!(others.iter().all(|probe| probe.drops() == 1));
    let after: Vec<usize> = others.iter().map(|probe| probe.polls()).collect();
    assert_eq!(after, polls);
    assert_eq!(executor.spawn(async {}), Err(SpawnError::ShutDown));
}

#[test]
fn shutdown_of_an_idle_executor() {
    let (executor, _platform) = new_executor::<2, 64>();
    let report = executor.shutdown();
    assert_eq!(report.dropped, 0);
    assert!(report.drained);
    assert_eq!(executor.spawn(async {}), Err(SpawnError::ShutDown));
}

#[test]
fn executor_can_be_a_static() {
    use std::sync::atomic::AtomicBool;

    use ibmvmc_executor::Executor;
    use ibmvmc_executor::Pender;

    static REQUESTED: AtomicBool = AtomicBool::new(false);
    fn pend(_: *mut ()) {
        REQUESTED.store(true, SeqCst);
    }
    static EXECUTOR: Executor<2, 64> = Executor::new(Pender::new(pend, std::ptr::null_mut()));
    static CELL: static_cell::StaticCell<Executor<2, 64>> = static_cell::StaticCell::new();

    let in_cell: &'static Executor<2, 64> =
        CELL.init(Executor::new(Pender::new(pend, std::ptr::null_mut())));
    for executor in [&EXECUTOR, in_cell] {
        let id = executor.spawn(async {}).unwrap();
        assert!(REQUESTED.swap(false, SeqCst));
        executor.poll();
        assert!(!executor.is_running(id));
        assert_eq!(executor.capacity(), 2);
    }
}

#[test]
fn futures_up_to_the_slot_size_fit() {
    let (executor, platform) = new_executor::<1, 64>();
    #[repr(align(16))]
    struct Aligned([u8; 48]);
    let payload = Aligned([7; 48]);
    let sum = leak(AtomicUsize::new(0));
    executor
        .spawn(async move {
            let payload = payload;
            sum.store(payload.0.iter().map(|&b| b as usize).sum(), SeqCst);
        })
        .unwrap();
    platform.run_until_idle(executor);
    assert_eq!(sum.load(SeqCst), 7 * 48);
}

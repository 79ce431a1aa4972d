// SPDX-License-Identifier: GPL-2.0-or-later
//! Wakes, polls, spawns and shutdown from several std threads at once.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Barrier;
use std::thread;

use common::leak;
use common::new_executor;
use common::run_until;
use common::Probe;
use ibmvmc_executor::SpawnError;

/// An interrupt-like thread signals a task over and over while the work item polls.
/// Every signal must be seen by a later poll of the task.
#[test]
fn wakes_from_another_thread_during_polls_are_never_lost() {
    let (executor, platform) = new_executor::<2, 128>();
    let probe = Probe::new();
    executor.spawn(probe.future()).unwrap();
    platform.run_until_idle(executor);

    const SIGNALS: usize = 20_000;
    let irq = thread::spawn(move || {
        for _ in 0..SIGNALS {
            probe.send();
            if probe.sent.load(SeqCst) % 64 == 0 {
                thread::yield_now();
            }
        }
    });
    run_until(platform, executor, || {
        irq.is_finished() && probe.seen.load(SeqCst) == SIGNALS
    });
    irq.join().unwrap();
    assert!(probe.polls() <= SIGNALS + 1);
}

/// Many threads wake many tasks. Every wake is observed by a later poll, and the
/// pender is called at most once per poll pass (empty->non-empty edges only).
#[test]
fn wake_storm_pends_only_on_edges_and_loses_nothing() {
    const TASKS: usize = 8;
    const THREADS: usize = 4;
    const WAKES: usize = 5_000;
    let (executor, platform) = new_executor::<TASKS, 128>();
    let probes: &'static [&'static Probe] =
        leak((0..TASKS).map(|_| Probe::new()).collect::<Vec<_>>());
    for probe in probes {
        executor.spawn(probe.future()).unwrap();
    }
    platform.run_until_idle(executor);
    let polls_before = platform.polls.load(SeqCst);
    let pends_before = platform.pends();

    let start = leak(Barrier::new(THREADS));
    let wakers: Vec<_> = (0..THREADS)
        .map(|thread_index| {
            thread::spawn(move || {
                start.wait();
                for wake in 0..WAKES {
                    probes[(thread_index + wake) % TASKS].send();
                    if wake % 50 == 0 {
                        thread::yield_now();
                    }
                }
            })
        })
        .collect();
    run_until(platform, executor, || {
        wakers.iter().all(|waker| waker.is_finished())
            && probes
                .iter()
                .all(|probe| probe.seen.load(SeqCst) == probe.sent.load(SeqCst))
    });
    for waker in wakers {
        waker.join().unwrap();
    }

    let total_sent: usize = probes.iter().map(|probe| probe.sent.load(SeqCst)).sum();
    assert_eq!(total_sent, THREADS * WAKES);
    let polls = platform.polls.load(SeqCst) - polls_before;
    let pends = platform.pends() - pends_before;
    assert!(pends >= 1);
    // Each poll() takes the queue once (single poller), and a pend needs an empty
    // queue, so there can be at most one pend per poll() plus the first.
    assert!(
        pends <= polls + 1,
        "pends {pends} > polls {polls} + 1: pender called off the edge"
    );
    let task_polls: usize = probes.iter().map(|probe| probe.polls()).sum::<usize>() - TASKS;
    assert!(
        task_polls <= total_sent,
        "a task was polled more often than woken"
    );
    eprintln!("{total_sent} wakes -> {pends} pends, {polls} poll() calls, {task_polls} task polls");
}

/// Two threads call poll() continuously while a third wakes: only one polls at a time
/// (the probe asserts it is never polled concurrently), and no wake is stranded by a
/// poll() that returned early because the other held the lock.
#[test]
fn concurrent_pollers_poll_each_task_alone_and_lose_no_wake() {
    let (executor, platform) = new_executor::<4, 128>();
    let probes: &'static [&'static Probe] = leak((0..3).map(|_| Probe::new()).collect::<Vec<_>>());
    for probe in probes {
        executor.spawn(probe.future()).unwrap();
    }
    platform.run_until_idle(executor);

    const SIGNALS: usize = 10_000;
    let stop = leak(AtomicBool::new(false));
    let second_poller = thread::spawn(move || {
        while !stop.load(SeqCst) {
            // Polls whether or not a poll was requested: spurious polls are allowed.
            executor.poll();
        }
    });
    let irq = thread::spawn(move || {
        for signal in 0..SIGNALS {
            probes[signal % probes.len()].send();
        }
    });
    run_until(platform, executor, || {
        irq.is_finished()
            && probes
                .iter()
                .all(|probe| probe.seen.load(SeqCst) == probe.sent.load(SeqCst))
    });
    stop.store(true, SeqCst);
    irq.join().unwrap();
    second_poller.join().unwrap();
}

/// shutdown() while another thread is inside poll(): that poll drains, every future is
/// dropped exactly once, and nothing is polled or pended afterwards.
#[test]
fn shutdown_while_another_thread_polls() {
    for _round in 0..200 {
        let (executor, platform) = new_executor::<4, 128>();
        let probes: &'static [&'static Probe] =
            leak((0..4).map(|_| Probe::new()).collect::<Vec<_>>());
        for probe in probes {
            executor.spawn(probe.future()).unwrap();
        }
        platform.run_until_idle(executor);
        let stop = leak(AtomicBool::new(false));
        let poller = thread::spawn(move || {
            while !stop.load(SeqCst) {
                executor.poll();
            }
        });
        let irq = thread::spawn(move || {
            for signal in 0..200 {
                probes[signal % probes.len()].waker().wake_by_ref();
            }
        });
        thread::yield_now();
        let report = executor.shutdown();
        let polls_at_shutdown: Vec<usize> = probes.iter().map(|probe| probe.polls()).collect();
        irq.join().unwrap();
        // (A wake that pushed before shutdown closed the queue may still be calling the
        // pender as shutdown returns; wakes that start afterwards never pend.)
        let pends_at_shutdown = platform.pends();
        for probe in probes {
            probe.waker().wake_by_ref();
        }
        stop.store(true, SeqCst);
        poller.join().unwrap();

        assert!(executor.is_drained(), "the poller finished the drain");
        assert!(report.dropped <= 4);
        for probe in probes {
            assert_eq!(probe.drops(), 1, "dropped exactly once");
        }
        // A poll already inside a task when shutdown returned may finish that one poll.
        let polls_after: usize = probes.iter().map(|probe| probe.polls()).sum();
        assert!(polls_after <= polls_at_shutdown.iter().sum::<usize>() + 1);
        assert_eq!(
            platform.pends(),
            pends_at_shutdown,
            "no pend after shutdown returned"
        );
        assert_eq!(executor.spawn(async {}), Err(SpawnError::ShutDown));
    }
}

/// Spawns racing with shutdown: each future is either refused (and dropped by the
/// spawner) or accepted and then dropped by the drain: always exactly once.
#[test]
fn spawn_racing_with_shutdown_drops_each_future_once() {
    struct Counted(&'static AtomicUsize);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, SeqCst);
        }
    }
    for _round in 0..300 {
        let (executor, _platform) = new_executor::<8, 64>();
        let drops = leak(AtomicUsize::new(0));
        let created = leak(AtomicUsize::new(0));
        let start = leak(Barrier::new(3));
        let spawners: Vec<_> = (0..2)
            .map(|_| {
                thread::spawn(move || {
                    start.wait();
                    for _ in 0..4 {
                        created.fetch_add(1, SeqCst);
                        let guard = Counted(drops);
                        match executor.spawn(async move {
                            let _guard = guard;
                            std::future::pending::<()>().await;
                        }) {
                            Ok(_) | Err(SpawnError::ShutDown) => {}
                            Err(SpawnError::Busy) => panic!("8 slots, 8 spawns"),
                        }
                    }
                })
            })
            .collect();
        start.wait();
        executor.shutdown();
        for spawner in spawners {
            spawner.join().unwrap();
        }
        assert!(executor.is_drained());
        assert_eq!(drops.load(SeqCst), created.load(SeqCst));
        assert_eq!(executor.live_tasks(), 0);
    }
}

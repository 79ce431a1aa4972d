// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C side of ibmvmc.ko: the few kernel facilities that Linux 7.3's Rust `kernel` crate
 * does not wrap or cannot express as statics (a DEFINE_RAW_SPINLOCK, a static work item,
 * a hard irq_work, a static completion). Each helper is a thin call into the kernel;
 * the logic lives in Rust.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/ktime.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/bug.h>
#include <linux/preempt.h>
#include <linux/slab.h>

#include "shim.h"

/*
 * The critical section behind critical-section's acquire/release and hence behind
 * embassy-sync's CriticalSectionRawMutex: one irq-saving raw spinlock, nestable on the
 * CPU that holds it (critical-section allows nesting). Nested acquires return
 * IBMVMC_CS_NESTED instead of saved flags, so release knows not to unlock.
 */
#define IBMVMC_CS_NESTED (~0UL)
static DEFINE_RAW_SPINLOCK(ibmvmc_cs_lock);
static int ibmvmc_cs_owner = -1;

unsigned long ibmvmc_cs_acquire(void)
{
	unsigned long flags;

	local_irq_save(flags);
	/* With interrupts off, only this CPU can have set owner to this CPU. */
	if (READ_ONCE(ibmvmc_cs_owner) == raw_smp_processor_id()) {
		local_irq_restore(flags);
		return IBMVMC_CS_NESTED;
	}
	raw_spin_lock(&ibmvmc_cs_lock);
	WRITE_ONCE(ibmvmc_cs_owner, raw_smp_processor_id());
	return flags;
}

void ibmvmc_cs_release(unsigned long flags)
{
	if (flags == IBMVMC_CS_NESTED)
		return;
	WRITE_ONCE(ibmvmc_cs_owner, -1);
	raw_spin_unlock(&ibmvmc_cs_lock);
	local_irq_restore(flags);
}

/*
 * The executor's bottom half: a work item that runs executor.poll(). The pender (called
 * from any context, hard IRQ included) queues it; queue_work() on an already pending
 * item is a no-op, which is what the pender wants.
 */
static void ibmvmc_bh_fn(struct work_struct *work)
{
	ibmvmc_rs_bottom_half();
}

static DECLARE_WORK(ibmvmc_bh_work, ibmvmc_bh_fn);
static struct workqueue_struct *ibmvmc_bh_wq;
static bool ibmvmc_bh_stopped = true;

#ifdef IBMVMC_DEBUG
/*
 * inject_unload_race=US (debug build): makes the unload race of a pend certain instead
 * of rare. ibmvmc_race_unload(), called by unload before anything stops, raises the
 * simulator's interrupt on another CPU, and the pend its handler makes is held US
 * microseconds between its check of the stopped flag and its queue_work(); unload goes
 * on once that pend is being held. Unload must wait for it (bh::stop syncs the irq_work
 * before it cancels the work): a work queued after its cancel is a WARN here, and
 * without the WARN it would run from a freed module.
 */
static unsigned int ibmvmc_pend_hold_us;
/* 0: no pend held yet, 1: one is being held, 2: it was held and went on */
static atomic_t ibmvmc_pend_held = ATOMIC_INIT(0);
static bool ibmvmc_bh_cancelled;

static void ibmvmc_pend_hold(void)
{
	unsigned int us = READ_ONCE(ibmvmc_pend_hold_us);

	/* only the interrupt's pend: the one from another CPU's hard IRQ */
	if (!us || !in_hardirq() || atomic_cmpxchg(&ibmvmc_pend_held, 0, 1) != 0)
		return;
	while (us >= 1000) {
		udelay(1000);
		us -= 1000;
	}
	udelay(us);
	atomic_set(&ibmvmc_pend_held, 2);
}

#endif /* IBMVMC_DEBUG */

/* mode 0: system_bh_wq (softirq context); 1: system_highpri_wq (process context). */
void ibmvmc_bh_start(int mode)
{
	ibmvmc_bh_wq = mode ? system_highpri_wq : system_bh_wq;
#ifdef IBMVMC_DEBUG
	WRITE_ONCE(ibmvmc_pend_hold_us, 0);
	atomic_set(&ibmvmc_pend_held, 0);
	WRITE_ONCE(ibmvmc_bh_cancelled, false);
#endif
	WRITE_ONCE(ibmvmc_bh_stopped, false);
}

void ibmvmc_bh_pend(void)
{
	if (!READ_ONCE(ibmvmc_bh_stopped)) {
#ifdef IBMVMC_DEBUG
		ibmvmc_pend_hold();
		WARN_ONCE(READ_ONCE(ibmvmc_bh_cancelled),
			  "ibmvmc: bottom half queued after its cancel (unload race)\n");
#endif
		queue_work(ibmvmc_bh_wq, &ibmvmc_bh_work);
	}
}

/*
 * Unload, step 1: from here on a pend queues nothing. A pend that read the flag before
 * may still queue the work: the caller waits for every context a pend runs in (the
 * irq_works, the hrtimers, the device interrupt) before step 2.
 */
void ibmvmc_bh_refuse(void)
{
	WRITE_ONCE(ibmvmc_bh_stopped, true);
	/* Pairs with the barriers of irq_work_sync() and hrtimer_cancel(). */
	smp_mb();
}

/*
 * Unload, step 2: after this returns no poll runs and none will be scheduled (the work
 * re-queued by a running poll is cancelled too). Process context only.
 */
void ibmvmc_bh_cancel(void)
{
	cancel_work_sync(&ibmvmc_bh_work);
#ifdef IBMVMC_DEBUG
	WRITE_ONCE(ibmvmc_bh_cancelled, true);
#endif
}

#ifdef IBMVMC_DEBUG
bool ibmvmc_in_bh(void)
{
	return in_serving_softirq();
}
#endif /* IBMVMC_DEBUG */

/*
 * The core's timers (ibmvmc::Timers): one hrtimer per slot. The callback runs in hard-IRQ
 * context (soft on PREEMPT_RT) and only signals the task that sleeps on the slot.
 */
static struct hrtimer ibmvmc_timers[IBMVMC_TIMER_SLOTS];

static enum hrtimer_restart ibmvmc_timer_fn(struct hrtimer *timer)
{
	ibmvmc_rs_timer(timer - ibmvmc_timers);
	return HRTIMER_NORESTART;
}

void ibmvmc_timers_init(void)
{
	int i;

	for (i = 0; i < IBMVMC_TIMER_SLOTS; i++)
		hrtimer_setup(&ibmvmc_timers[i], ibmvmc_timer_fn, CLOCK_MONOTONIC,
			      HRTIMER_MODE_REL);
}

/* (Re)arms timer @slot to fire @delay_us from now. Any context. */
void ibmvmc_timer_arm(unsigned int slot, u64 delay_us)
{
	if (slot < IBMVMC_TIMER_SLOTS)
		hrtimer_start(&ibmvmc_timers[slot], us_to_ktime(delay_us), HRTIMER_MODE_REL);
}

/* Disarms timer @slot without waiting for a running callback. Any context. */
void ibmvmc_timer_disarm(unsigned int slot)
{
	if (slot < IBMVMC_TIMER_SLOTS)
		hrtimer_try_to_cancel(&ibmvmc_timers[slot]);
}

/* Cancels every timer and waits for running callbacks. Process context. */
void ibmvmc_timers_sync(void)
{
	int i;

	for (i = 0; i < IBMVMC_TIMER_SLOTS; i++)
		hrtimer_cancel(&ibmvmc_timers[i]);
}

#ifdef IBMVMC_DEBUG
/*
 * A stand-in for the CRQ interrupt: a hard irq_work runs its callback in hard-IRQ
 * context, so the code it wakes meets the constraints of the real VIO interrupt.
 */
static void ibmvmc_test_irq_fn(struct irq_work *work)
{
	ibmvmc_rs_test_irq();
}

static struct irq_work ibmvmc_test_irq = IRQ_WORK_INIT_HARD(ibmvmc_test_irq_fn);

void ibmvmc_test_irq_raise(void)
{
	irq_work_queue(&ibmvmc_test_irq);
}

void ibmvmc_test_irq_sync(void)
{
	irq_work_sync(&ibmvmc_test_irq);
}
#endif /* IBMVMC_DEBUG */

/*
 * The simulator's "CRQ interrupt": like the real VIO interrupt it runs in hard-IRQ
 * context, where the handler disables the source and pends the executor.
 */
static void ibmvmc_sim_irq_fn(struct irq_work *work)
{
	ibmvmc_rs_sim_irq();
#ifdef IBMVMC_DEBUG
	/*
	 * inject_unload_race: the interrupt's own pend comes only if a task waits on it;
	 * the race needs one from this context for certain.
	 */
	if (READ_ONCE(ibmvmc_pend_hold_us) && !atomic_read(&ibmvmc_pend_held))
		ibmvmc_bh_pend();
#endif
}

static struct irq_work ibmvmc_sim_irq = IRQ_WORK_INIT_HARD(ibmvmc_sim_irq_fn);

void ibmvmc_sim_irq_raise(void)
{
	irq_work_queue(&ibmvmc_sim_irq);
}

void ibmvmc_sim_irq_sync(void)
{
	irq_work_sync(&ibmvmc_sim_irq);
}

#ifdef IBMVMC_DEBUG
static void ibmvmc_race_raise(void *unused)
{
	irq_work_queue(&ibmvmc_sim_irq);
}

/*
 * inject_unload_race (see ibmvmc_pend_hold()). Process context. Returns the CPU the pend
 * is being held on, or -errno.
 */
int ibmvmc_race_unload(unsigned int us)
{
	u64 deadline;
	int cpu, me;

	me = get_cpu();
	cpu = cpumask_any_but(cpu_online_mask, me);
	put_cpu();
	if (cpu >= nr_cpu_ids)
		return -ENODEV;
	WRITE_ONCE(ibmvmc_pend_hold_us, us);
	/* (irq_work_queue_on() is not exported: queue it from that CPU's IPI) */
	if (smp_call_function_single(cpu, ibmvmc_race_raise, NULL, 0))
		return -ENODEV;
	/* spin (a sleep can outlast a short hold under TCG), for one second at most */
	deadline = ktime_get_ns() + NSEC_PER_SEC;
	while (atomic_read(&ibmvmc_pend_held) == 0 && ktime_get_ns() < deadline)
		cpu_relax();
	return atomic_read(&ibmvmc_pend_held) == 1 ? cpu : -ETIMEDOUT;
}

bool ibmvmc_in_hardirq(void)
{
	return in_hardirq();
}

static DECLARE_COMPLETION(ibmvmc_selftest_completion);

void ibmvmc_selftest_done(void)
{
	complete(&ibmvmc_selftest_completion);
}

/* Returns true if the self-test signalled completion within @ms milliseconds. */
bool ibmvmc_selftest_wait(unsigned int ms)
{
	return wait_for_completion_timeout(&ibmvmc_selftest_completion,
					   msecs_to_jiffies(ms)) != 0;
}
#endif /* IBMVMC_DEBUG */

u64 ibmvmc_now_ns(void)
{
	return ktime_get_ns();
}

#ifdef IBMVMC_DEBUG
/*
 * The debug build's knobs (Kbuild IBMVMC_DEBUG=1), for the VM runner's own tests. A
 * normal build has neither: with panic_on_warn=1 the WARN would take the machine down.
 * inject_splat: a splat the runner must catch.
 */
void ibmvmc_inject_splat(void)
{
	WARN(1, "ibmvmc: splat injected on purpose (inject_splat=1)\n");
}

/*
 * Debug hook for the VM runner's leak check: an allocation nothing will ever free.
 * Large on purpose: on 7.3.4 a leaked kmalloc(64) was never reported (also with
 * kmemleak's stack scan off and init_on_alloc=1), most likely because a stale copy of
 * the pointer survives in slab metadata that kmemleak scans (SLUB's per-CPU sheaves
 * are pointer arrays). kmalloc above 8 KiB comes from the page allocator and was
 * reported at once.
 */
void ibmvmc_inject_leak(void)
{
	void *p = kmalloc(16 * 1024, GFP_KERNEL);

	/* %p prints a hashed value: the pointer is used, and no reference survives. */
	pr_info("ibmvmc: leaking 16 KiB on purpose (inject_leak=1): %p\n", p);
}
#endif /* IBMVMC_DEBUG */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The C shim's interface to the Rust glue; Rust declares the same in src/kmod/ffi.rs. */
#ifndef IBMVMC_SHIM_H
#define IBMVMC_SHIM_H

#include <linux/types.h>

/* Rust -> C */
unsigned long ibmvmc_cs_acquire(void);
void ibmvmc_cs_release(unsigned long flags);
void ibmvmc_bh_start(int mode);
void ibmvmc_bh_pend(void);
void ibmvmc_bh_stop(void);
bool ibmvmc_in_bh(void);
void ibmvmc_test_irq_raise(void);
void ibmvmc_test_irq_sync(void);
bool ibmvmc_in_hardirq(void);
void ibmvmc_selftest_done(void);
bool ibmvmc_selftest_wait(unsigned int ms);
u64 ibmvmc_now_ns(void);
void ibmvmc_inject_splat(void);
void ibmvmc_inject_leak(void);

/* C -> Rust */
void ibmvmc_rs_bottom_half(void);
void ibmvmc_rs_test_irq(void);

#endif

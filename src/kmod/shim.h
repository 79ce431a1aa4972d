/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interface between the module's C files and its Rust glue, both ways: every
 * function and every constant the two sides share. The Rust declarations are generated
 * from this file (src/kmod/bindings.rs, by tools/kbuild/gen-bindings.sh with the
 * toolchain's bindgen; the test command fails when the two differ), so a change here
 * that Rust does not follow is a compile error, not a silent ABI mismatch.
 */
#ifndef IBMVMC_SHIM_H
#define IBMVMC_SHIM_H

#ifdef IBMVMC_BINDGEN
/*
 * bindgen reads this file without the kernel's headers: the kernel's types from the C
 * library's, as they are on every 64-bit architecture the module builds for (LP64,
 * u64 is unsigned long long).
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
#define __user
#else
#include <linux/types.h>
#endif

/* HMC connections the core has room for: ibmvmc::MAX_HMCS (checked at build time). */
#define IBMVMC_MAX_HMCS 2

/* Rust -> C */
unsigned long ibmvmc_cs_acquire(void);
void ibmvmc_cs_release(unsigned long flags);
void ibmvmc_bh_start(int mode);
void ibmvmc_bh_pend(void);
void ibmvmc_bh_refuse(void);
void ibmvmc_bh_cancel(void);
bool ibmvmc_in_bh(void);
/* The core's timer slots: ibmvmc::TIMER_SLOTS (checked at build time in bh.rs). */
#define IBMVMC_TIMER_SLOTS 4
void ibmvmc_timers_init(void);
void ibmvmc_timer_arm(unsigned int slot, u64 delay_us);
void ibmvmc_timer_disarm(unsigned int slot);
void ibmvmc_timers_sync(void);
void ibmvmc_test_irq_raise(void);
void ibmvmc_test_irq_sync(void);
bool ibmvmc_in_hardirq(void);
void ibmvmc_selftest_done(void);
bool ibmvmc_selftest_wait(unsigned int ms);
u64 ibmvmc_now_ns(void);
void ibmvmc_inject_splat(void);
void ibmvmc_inject_leak(void);
int ibmvmc_race_unload(unsigned int us);

/* cdev.c: the misc device, wait queues, parameters, debugfs */
int ibmvmc_param_buf_pool_size(void);
int ibmvmc_param_max_hmcs(void);
int ibmvmc_param_max_mtu(void);
void ibmvmc_params_set(int pool, int hmcs, int mtu);
void ibmvmc_wake(int index);
void ibmvmc_wake_all(void);
bool ibmvmc_capable_sys_admin(void);
int ibmvmc_cdev_register(void);
void ibmvmc_cdev_unregister(void);
void ibmvmc_sim_irq_raise(void);
void ibmvmc_sim_irq_sync(void);

/* trace_debugfs.c: the trace's debugfs files and level parameter; traceid.c (generated) */
/* ibmvmc_rs_trace_open() modes: the files trace, trace_snapshot, trace_pipe */
#define IBMVMC_TRACE_DRAIN 0
#define IBMVMC_TRACE_SNAPSHOT 1
#define IBMVMC_TRACE_PIPE 2
struct dentry;
void ibmvmc_trace_debugfs(struct dentry *dir);
void ibmvmc_trace_kick(void);
void ibmvmc_trace_sync(void);
extern const unsigned char ibmvmc_trace_id[16];

/* C -> Rust */
void ibmvmc_rs_bottom_half(void);
void ibmvmc_rs_timer(unsigned int slot);
void ibmvmc_rs_test_irq(void);
void ibmvmc_rs_sim_irq(void);

/* ibmvmc_rs_poll() bits */
#define IBMVMC_READABLE 1
#define IBMVMC_WRITABLE 2
#define IBMVMC_HANGUP 4
/* ibmvmc_rs_debugfs_text() selectors */
#define IBMVMC_TEXT_STATS 0
#define IBMVMC_TEXT_SIM 1
#define IBMVMC_TEXT_STATE 2

void *ibmvmc_rs_open(void);
void ibmvmc_rs_release(void *session);
ssize_t ibmvmc_rs_read(void *session, char __user *buf, size_t len);
ssize_t ibmvmc_rs_write(void *session, const char __user *buf, size_t len);
int ibmvmc_rs_poll(void *session);
int ibmvmc_rs_wait_index(void *session);
long ibmvmc_rs_ioctl(void *session, unsigned int cmd, unsigned long arg);
ssize_t ibmvmc_rs_debugfs_text(int which, char *buf, size_t len);
long ibmvmc_rs_sim_command(const char *cmd, size_t len);
void *ibmvmc_rs_trace_open(int mode);
void ibmvmc_rs_trace_release(void *reader);
ssize_t ibmvmc_rs_trace_peek(void *reader, char *buf, size_t len);
void ibmvmc_rs_trace_commit(void *reader);
bool ibmvmc_rs_trace_pending(void *reader);
bool ibmvmc_rs_trace_drain_pending(void);
void ibmvmc_rs_trace_clear(void);
int ibmvmc_rs_trace_level_set(const char *text, size_t len);
int ibmvmc_rs_trace_level_get(char *buf, size_t len);

#ifdef IBMVMC_PSERIES
/* pseries.c: the VIO driver and its hcall wrappers (Rust declares them in pseries.rs) */
struct ibmvmc_pseries;
int ibmvmc_pseries_register(void);
void ibmvmc_pseries_unregister(void);
void ibmvmc_pseries_release(struct ibmvmc_pseries *dev);
bool ibmvmc_pseries_buffer(struct ibmvmc_pseries *dev, unsigned int index, void **mem,
			   u64 *ioba);
unsigned int ibmvmc_pseries_crq_entries(struct ibmvmc_pseries *dev);
long ibmvmc_pseries_reg_crq(struct ibmvmc_pseries *dev);
long ibmvmc_pseries_free_crq(struct ibmvmc_pseries *dev);
long ibmvmc_pseries_enable_crq(struct ibmvmc_pseries *dev);
long ibmvmc_pseries_send_crq(struct ibmvmc_pseries *dev, u64 w0, u64 w1);
bool ibmvmc_pseries_next_crq(struct ibmvmc_pseries *dev, u8 *out);
void ibmvmc_pseries_enable_irq(struct ibmvmc_pseries *dev);
void ibmvmc_pseries_disable_irq(struct ibmvmc_pseries *dev);
long ibmvmc_pseries_rdma_to_hv(struct ibmvmc_pseries *dev, u64 ioba, u64 len, u32 remote);
long ibmvmc_pseries_rdma_from_hv(struct ibmvmc_pseries *dev, u32 remote, u64 ioba, u64 len);
long ibmvmc_pseries_request_vmc(u32 *drc_index);

/* C -> Rust (pseries.rs) */
int ibmvmc_rs_pseries_sizes(unsigned int *count, unsigned int *len);
int ibmvmc_rs_pseries_probe(struct ibmvmc_pseries *dev, bool *kept);
void ibmvmc_rs_pseries_remove(void);
void ibmvmc_rs_pseries_irq(void);
#endif

#endif

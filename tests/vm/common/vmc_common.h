/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helpers the /dev/ibmvmc VM test programs share (every tests/vm/ program), defined in
 * vmc_common.c, which tools/vm/build-progs.sh compiles once per architecture and links
 * into every program that includes this header:
 *
 *   HMC framing        the 32-byte big-endian header of IBM's HMC protocol (bytes 0..2
 *                      DE CA FF, 3 header length 32, 4..7 message length, 8..11
 *                      correlation token, 12..13 target, 15 flags 0x80 response
 *                      expected / 0x40 response, 16..19 data length, 20..21 opcode,
 *                      22..23 return code, then the data; the Rust definition is
 *                      tools/crates/ibmvmc-hmc). The simulator answers exchange ops,
 *                      close and echo to target 0x8000 and echoes anything unframed.
 *   message patterns   deterministic, seed-dependent, never HMC-framed
 *   errno names, time, the device, debugfs and the simulator's command file
 *   the tally          one kselftest TAP result per check (below)
 *
 * tests/vm/vmc_helpers.c tests the helpers that need no device, on the host or in a VM.
 */
#ifndef VMC_COMMON_H
#define VMC_COMMON_H

/* What the programs use, as the file that includes this defines _GNU_SOURCE first. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <ibmvmc.h>
/*
 * The kernel's own user-space test library (tools/testing/selftests/kselftest.h of the
 * source the test kernels are built from): TAP output, and the attribute macros user
 * space otherwise lacks (__printf, __maybe_unused) and ARRAY_SIZE.
 */
#include <kselftest.h>

#define VMC_DEV "/dev/ibmvmc"
#define VMC_DEBUGFS "/sys/kernel/debug"
#define VMC_STATS VMC_DEBUGFS "/ibmvmc/stats"
#define VMC_SIM VMC_DEBUGFS "/ibmvmc/sim"
/* The same command language for QEMU's spapr-vmc device (tools/vm/hvctl/vmc_hvctl.c). */
#define VMC_HVCTL VMC_DEBUGFS "/spapr-vmc/cmd"

#define HMC_HDR_LEN 32
#define HMC_TARGET_ROUTER 0x8000
#define HMC_OP_EXCHANGE_OPS 0x0001
#define HMC_OP_CLOSE 0x0002
#define HMC_OP_ECHO 0x0103
#define HMC_FLAG_RESPONSE_EXPECTED 0x80
#define HMC_FLAG_RESPONSE 0x40
#define HMC_RC_GOOD 0x0000

/* The exchange-ops response data of the simulator: opcodes it serves, as a bitmap. */
extern const unsigned char hmc_exchange_ops_data[4];


/*
 * An address no process has mapped (1), for the EFAULT checks, hidden from the compiler
 * (as the kernel's OPTIMIZER_HIDE_VAR()) so that passing it to read() or write() draws
 * no compile-time warning.
 */
void *bad_pointer(void);

void put_be16(unsigned char *p, uint16_t v);

void put_be32(unsigned char *p, uint32_t v);

uint16_t get_be16(const unsigned char *p);

uint32_t get_be32(const unsigned char *p);

/*
 * Builds an HMC request to the command router in buf: header plus data_len bytes of
 * data (copied from data unless it is NULL, in which case buf+32 is left as it is).
 * Returns the message length.
 */
size_t hmc_build(unsigned char *buf, uint16_t opcode, uint32_t token,
				   const unsigned char *data, size_t data_len);

int hmc_is_framed(const unsigned char *msg, size_t len);

/*
 * Checks that resp (resp_len bytes) is the router's good answer to req: same token,
 * target and opcode, response flag set, lengths consistent, return code 0, and data
 * equal to want (want_len bytes). Returns NULL when it is, else what is wrong.
 */
const char *hmc_check_response(const unsigned char *req,
						  const unsigned char *resp, size_t resp_len,
						  const unsigned char *want, size_t want_len);

/* Fills len bytes from seed; the result is never HMC-framed (so raw-echoed). */
void pattern_fill(unsigned char *buf, size_t len, uint32_t seed);

/* Index of the first byte that differs from pattern_fill(seed), or -1. */
long pattern_check(const unsigned char *buf, size_t len, uint32_t seed);

const char *errno_name(int e);

uint64_t now_ns(void);

uint64_t now_ms(void);

void sleep_ms(unsigned int ms);

/*
 * The device's MTU, the largest read it accepts (a larger read is EINVAL, as in the C
 * driver): the max_mtu module parameter, 4096 if it cannot be read.
 */
size_t device_mtu(void);

void ensure_debugfs(void);

/* Writes string s to file path (a sysfs, debugfs or procfs knob). 0, or -errno. */
int write_file(const char *path, const char *s);

/*
 * One command to the simulator: the x86_64 module's debugfs file, else QEMU's
 * spapr-vmc device through vmc_hvctl.ko. 0, or -errno.
 */
int sim_cmd(const char *fmt, ...) __printf(1, 2);

/* Value of line "name value" in a debugfs file, or -1 if absent. */
long long debugfs_value(const char *path, const char *name);

long long stat_value(const char *name);

/*
 * A counter of the simulator's. Through QEMU's spapr-vmc device only whether the
 * partition broke the protocol is known: "protocol_errors" is then 0 or 1 (at least
 * one); any other counter is -1 there.
 */
long long sim_value(const char *name);

/* poll() one fd for events, at most timeout_ms. revents, 0 on timeout, -errno. */
int poll_fd(int fd, short events, int timeout_ms);

/* Waits (up to timeout_ms) until QUERY reports the driver ready. 0, or -errno. */
int wait_driver_ready(int fd, int timeout_ms, struct ibmvmc_query_struct *q);

/* An HMC ID: "vmctest-<tag>-<pid>", zero-padded to 32 bytes. */
void make_hmc_id(unsigned char id[HMC_ID_LEN], const char *tag);

/*
 * SETHMCID, retried for up to timeout_ms while the answer is temporary: EAGAIN (driver
 * not ready: handshake or reset), EBUSY (every connection taken, e.g. the previous
 * program's close still waits for its Close Response), ENOBUFS (no buffer from the
 * hypervisor yet). 0, or -errno of the last attempt.
 */
int set_hmc_id_retry(int fd, const unsigned char id[HMC_ID_LEN],
				       int timeout_ms);

/*
 * open + SETHMCID + wait for POLLOUT (open complete). The fd, or -errno with *what set
 * to the step that failed.
 */
int open_session(const char *tag, int timeout_ms, const char **what);

/*
 * One round trip: write len bytes of msg, wait (poll, timeout_ms) for a message, read it
 * into reply (cap bytes). The reply length, or -errno with *what set.
 */
long round_trip(int fd, const unsigned char *msg, size_t len,
				  unsigned char *reply, size_t cap, int timeout_ms,
				  const char **what);

/*
 * The HMC router's exchange ops (or close, with op HMC_OP_CLOSE) on an open session.
 * NULL on success, else what went wrong.
 */
const char *hmc_command(int fd, uint16_t op, uint32_t token, size_t mtu);

/*
 * The tally: each check is one TAP result line of kselftest.h, "ok N NAME", or a
 * "# NAME: why" diagnostic and "not ok N NAME". vmc_finish() ends the output with the
 * plan (a trailing "1..N") and kselftest's totals and returns the exit status
 * (KSFT_PASS, or KSFT_FAIL when a check failed). tools/vm/run.sh reads the TAP.
 */
static inline void vmc_tap_header(void)
{
	static int printed;

	if (!printed) {
		printed = 1;
		ksft_print_header();
	}
}

/* One check that held. */
static inline void pass(const char *name)
{
	vmc_tap_header();
	ksft_test_result_pass("%s\n", name);
}

/* One check that did not, and why. */
static inline void vfailf(const char *name, const char *fmt, va_list ap)
{
	vmc_tap_header();
	printf("# %s: ", name);
	vprintf(fmt, ap);
	printf("\n");
	ksft_test_result_fail("%s\n", name);
}

static inline __printf(2, 3) void failf(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfailf(name, fmt, ap);
	va_end(ap);
}

/* pass() if good, else failf() with the reason. */
static inline __printf(3, 4) void result(int good, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (good) {
		pass(name);
		return;
	}
	va_start(ap, fmt);
	vfailf(name, fmt, ap);
	va_end(ap);
}

/* A yes/no check; a failure shows errno as the failed call left it. */
static inline void check(int ok, const char *name)
{
	int err = errno;

	result(ok, name, "errno %s", errno_name(err));
}

/* The checks that failed so far. */
static inline unsigned int vmc_failures(void)
{
	return ksft_get_fail_cnt();
}

/* The trailing plan and the totals; the program's exit status. */
static inline int vmc_finish(void)
{
	vmc_tap_header();
	ksft_set_plan(ksft_test_num());
	ksft_print_cnts();
	return ksft_get_fail_cnt() ? KSFT_FAIL : KSFT_PASS;
}

#endif /* VMC_COMMON_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The file operations with their allocations failing (failslab with
 * /proc/thread-self/fail-nth): for each operation below and N = 1, 2, ... the Nth slab
 * allocation the calling thread makes inside it fails. Each attempt must either succeed
 * or fail with ENOMEM, cleanly: afterwards a normal session still opens and echoes, and
 * the plan's leakcheck finds nothing. A series stops at the first N whose fault was never
 * reached (every allocation of the operation failed once).
 *
 *   vmc_failalloc        exit 0, or 1 with the reason
 *
 * The operations: open of /dev/ibmvmc (and close), SETHMCID on an open file, a session's
 * write and read, open and read of each debugfs trace file, read of debugfs stats and
 * state, a command to debugfs sim. Needs CONFIG_FAILSLAB and
 * CONFIG_FAULT_INJECTION_DEBUG_FS (both test kernels) and the simulator build.
 * (Module load is not among them: with the loader's own allocations failing, the
 * kernel's slab sheaves corrupt memory on their own, see vmc_failprobe.c.)
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#define MAX_N 200

/*
 * /proc/thread-self/fail-nth, opened once: opening it between arming and reading it back
 * would itself allocate, and consume the armed fault.
 */
static int nth_fd = -1;

/* Arms the Nth allocation of this thread to fail; 0 disarms. */
static int arm(int n)
{
	char num[16];
	int len = snprintf(num, sizeof(num), "%d", n);

	return write(nth_fd, num, (size_t)len) == len ? 0 : -errno;
}

/* Disarms; returns how many allocations were still to come before the armed one. */
static long disarm(void)
{
	char buf[32] = "";
	ssize_t n = pread(nth_fd, buf, sizeof(buf) - 1, 0);

	arm(0);
	return n > 0 ? atol(buf) : -1;
}

/*
 * One operation: prep (unarmed) sets *fd; the armed step runs with the fault armed and
 * returns 0 or -errno; the file is closed afterwards in any case.
 */
struct op {
	const char *name;
	int (*prep)(int *fd);
	int (*armed)(int *fd);
};

static int prep_none(int *fd)
{
	*fd = -1;
	return 0;
}

static int prep_dev(int *fd)
{
	*fd = open(VMC_DEV, O_RDWR);
	return *fd < 0 ? -errno : 0;
}

static int prep_session(int *fd)
{
	const char *what = "";
	char tag[32];
	static int k;

	snprintf(tag, sizeof(tag), "failalloc-%d", k++);
	*fd = open_session(tag, 5000, &what);
	if (*fd < 0) {
		printf("vmc_failalloc: FAIL session for the armed step: %s: %s\n", what,
		       errno_name(-*fd));
		return *fd;
	}
	return 0;
}

static int do_open_dev(int *fd)
{
	*fd = open(VMC_DEV, O_RDWR);
	return *fd < 0 ? -errno : 0;
}

static int do_sethmcid(int *fd)
{
	unsigned char id[HMC_ID_LEN];

	make_hmc_id(id, "failalloc");
	/* EBUSY right after the previous session's close is the contract's "retry". */
	return set_hmc_id_retry(*fd, id, 5000);
}

static int do_echo(int *fd)
{
	unsigned char msg[64], reply[4096];
	const char *what = "";
	long n;

	pattern_fill(msg, sizeof(msg), 7);
	n = round_trip(*fd, msg, sizeof(msg), reply, sizeof(reply), 5000, &what);
	return n < 0 ? (int)n : 0;
}

static int open_read(const char *path, int *fd)
{
	char buf[4096];

	*fd = open(path, O_RDONLY | O_NONBLOCK);
	if (*fd < 0)
		return -errno;
	if (read(*fd, buf, sizeof(buf)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

static int do_trace(int *fd)
{
	return open_read(VMC_DEBUGFS "/ibmvmc/trace_snapshot", fd);
}

static int do_trace_drain(int *fd)
{
	return open_read(VMC_DEBUGFS "/ibmvmc/trace", fd);
}

static int do_trace_pipe(int *fd)
{
	return open_read(VMC_DEBUGFS "/ibmvmc/trace_pipe", fd);
}

static int do_stats(int *fd)
{
	return open_read(VMC_DEBUGFS "/ibmvmc/stats", fd);
}

static int do_state(int *fd)
{
	return open_read(VMC_DEBUGFS "/ibmvmc/state", fd);
}

static int do_sim(int *fd)
{
	*fd = -1;
	/* Always accepted (releases answers not held): the write path alone is tested. */
	return write_file(VMC_DEBUGFS "/ibmvmc/sim", "hold 0");
}

static const struct op ops[] = {
	{ "open /dev/ibmvmc", prep_none, do_open_dev },
	{ "SETHMCID", prep_dev, do_sethmcid },
	{ "write + read", prep_session, do_echo },
	{ "trace_snapshot", prep_none, do_trace },
	{ "trace", prep_none, do_trace_drain },
	{ "trace_pipe", prep_none, do_trace_pipe },
	{ "stats", prep_none, do_stats },
	{ "state", prep_none, do_state },
	{ "sim command", prep_none, do_sim },
};

/* A normal session still works: open, SETHMCID, the HMC router's exchange ops. */
static int session_works(const char *after)
{
	const char *what = "", *bad;
	int fd = open_session("failalloc-check", 5000, &what);

	if (fd < 0) {
		printf("vmc_failalloc: FAIL after %s: no session: %s: %s\n", after, what,
		       errno_name(-fd));
		return 0;
	}
	bad = hmc_command(fd, HMC_OP_EXCHANGE_OPS, 1, device_mtu());
	close(fd);
	if (bad) {
		printf("vmc_failalloc: FAIL after %s: %s\n", after, bad);
		return 0;
	}
	return 1;
}

int main(void)
{
	struct ibmvmc_query_struct q;
	size_t i;
	int n, fd, rc, probe;

	ensure_debugfs();
	/* GFP_KERNEL allocations too, and no stack dump per injected failure. */
	if (write_file(VMC_DEBUGFS "/failslab/ignore-gfp-wait", "N") ||
	    write_file(VMC_DEBUGFS "/failslab/verbose", "0")) {
		printf("vmc_failalloc: FAIL no failslab in debugfs (CONFIG_FAILSLAB?)\n");
		return 1;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		printf("vmc_failalloc: FAIL /proc/thread-self/fail-nth: %s\n", errno_name(errno));
		return 1;
	}
	probe = open(VMC_DEV, O_RDWR);
	if (probe < 0 || wait_driver_ready(probe, 10000, &q)) {
		printf("vmc_failalloc: FAIL the driver is not ready\n");
		return 1;
	}
	close(probe);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		int failed = 0, passed = 0;

		for (n = 1; n <= MAX_N; n++) {
			long left;

			if (ops[i].prep(&fd)) {
				printf("vmc_failalloc: FAIL %s: preparing N=%d\n", ops[i].name, n);
				return 1;
			}
			/* On the console first: a crash names the step that caused it. */
			printf("vmc_failalloc: %s N=%d\n", ops[i].name, n);
			fflush(stdout);
			rc = arm(n);
			if (rc) {
				printf("vmc_failalloc: FAIL /proc/thread-self/fail-nth: %s\n",
				       errno_name(-rc));
				return 1;
			}
			rc = ops[i].armed(&fd);
			left = disarm();
			if (fd >= 0)
				close(fd);
			if (rc && rc != -ENOMEM) {
				printf("vmc_failalloc: FAIL %s with allocation %d failing: %s, not ENOMEM\n",
				       ops[i].name, n, errno_name(-rc));
				return 1;
			}
			if (rc)
				failed++;
			else
				passed++;
			if (left > 0)
				break;
		}
		if (n > MAX_N) {
			printf("vmc_failalloc: FAIL %s: more than %d allocations\n", ops[i].name,
			       MAX_N);
			return 1;
		}
		if (!session_works(ops[i].name))
			return 1;
		printf("vmc_failalloc: ok %s: %d allocations failed in turn: %d ENOMEM, %d succeeded anyway\n",
		       ops[i].name, n - 1, failed, passed - 1);
	}
	printf("vmc_failalloc: ok\n");
	return 0;
}

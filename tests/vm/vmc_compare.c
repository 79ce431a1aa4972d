// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The same checks against whichever driver owns /dev/ibmvmc: the upstream C driver
 * (drivers/misc/ibmvmc.c) or ibmvmc.ko, both on QEMU's spapr-vmc device. Each check
 * runs in a child of its own with a time limit (a driver that hangs fails that check
 * only) and prints one line:
 *
 *   CHECK LABEL NAME PASS|FAIL observed-result
 *
 * tools/vm/compare-table.py turns the lines of both drivers into the comparison table
 * and decides what must hold (every check passes on ibmvmc.ko; a C failure is expected
 * only where a listed defect of the C driver bites). Nothing here uses a debugfs file
 * of either driver, poll() before writing (the C driver never reports POLLOUT, defect
 * 8, so a session is waited for by retrying write's EBUSY), or knows which driver runs.
 * Faults come from the simulated hypervisor (vmc_hvctl.ko), not from the driver.
 *
 *   vmc_compare LABEL       runs every check; exit 0 (the verdict is the table's)
 *
 * The check that wedges the C driver (a SETHMCID from a bad pointer, defect 10) runs
 * last.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>

#define CHECK_SECONDS 30
#define VMC_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define TIMEOUT_MS 5000

/* The source of the zero-length writes. */
static const unsigned char msg_nothing[1];

/* What a check observed, for the table. */
static char observed[200];

static void note(const char *fmt, ...) __printf(1, 2);
static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(observed, sizeof(observed), fmt, ap);
	va_end(ap);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Interrupts a blocking call after ms milliseconds (EINTR), 0 to cancel. */
static void arm_ms(unsigned int ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (long)(ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* open + SETHMCID (retried while temporary); the fd or -errno. */
static int open_hmc(const char *tag)
{
	unsigned char id[HMC_ID_LEN];
	int fd, rc;

	fd = open(VMC_DEV, O_RDWR);
	if (fd < 0)
		return -errno;
	make_hmc_id(id, tag);
	rc = set_hmc_id_retry(fd, id, TIMEOUT_MS);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

/* write, retried while EBUSY (the open in flight): bytes written or -errno. */
static long write_retry(int fd, const void *buf, size_t len)
{
	uint64_t end = now_ms() + TIMEOUT_MS;
	ssize_t n;

	for (;;) {
		n = write(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno != EBUSY || now_ms() >= end)
			return -errno;
		sleep_ms(5);
	}
}

/* A blocking read with a time limit: bytes read or -errno (EINTR: timed out). */
static long read_timed(int fd, void *buf, size_t len, unsigned int ms)
{
	ssize_t n;

	arm_ms(ms);
	n = read(fd, buf, len);
	arm_ms(0);
	return n < 0 ? -errno : n;
}

/* One echo of len pattern bytes on fd; NULL or what went wrong. */
static const char *echo(int fd, size_t len, uint32_t seed)
{
	static char why[120];
	unsigned char msg[4096], reply[4096];
	long n;

	pattern_fill(msg, len, seed);
	n = write_retry(fd, msg, len);
	if (n != (long)len) {
		snprintf(why, sizeof(why), "write: %s", n < 0 ? errno_name((int)-n) : "short");
		return why;
	}
	n = read_timed(fd, reply, sizeof(reply), TIMEOUT_MS);
	if (n < 0) {
		snprintf(why, sizeof(why), "read: %s", n == -EINTR ? "no reply in 5 s" :
			 errno_name((int)-n));
		return why;
	}
	if (n != (long)len || memcmp(msg, reply, len)) {
		snprintf(why, sizeof(why), "reply of %ld bytes differs from the message", n);
		return why;
	}
	return NULL;
}

/* ---- the checks: each returns 1 (pass) or 0, and notes what it saw ---- */

static int check_query(void)
{
	struct ibmvmc_query_struct q = { 0 };
	int fd = open(VMC_DEV, O_RDWR);

	if (fd < 0) {
		note("open: %s", errno_name(errno));
		return 0;
	}
	if (wait_driver_ready(fd, TIMEOUT_MS, &q)) {
		note("state %d have_vmc %d after 5 s", q.state, q.have_vmc);
		close(fd);
		return 0;
	}
	note("state %d have_vmc %d drc 0x%x", q.state, q.have_vmc, q.vmc_drc_index);
	close(fd);
	return q.have_vmc == 1;
}

static int check_echo(void)
{
	int fd = open_hmc("echo");
	const char *bad;
	int i;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	for (i = 0; i < 20; i++) {
		bad = echo(fd, 64 + (size_t)i * 100, (uint32_t)i);
		if (bad) {
			note("echo %d: %s", i, bad);
			close(fd);
			return 0;
		}
	}
	note("20 echoes of 64..1964 bytes");
	close(fd);
	return 1;
}

static int check_exchange_ops(void)
{
	int fd = open_hmc("xops");
	unsigned char req[HMC_HDR_LEN], resp[4096];
	const char *bad;
	size_t len;
	long n;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	len = hmc_build(req, HMC_OP_EXCHANGE_OPS, 7, NULL, 0);
	n = write_retry(fd, req, len);
	if (n != (long)len) {
		note("write: %s", n < 0 ? errno_name((int)-n) : "short");
		close(fd);
		return 0;
	}
	n = read_timed(fd, resp, sizeof(resp), TIMEOUT_MS);
	if (n < 0) {
		note("read: %s", errno_name((int)-n));
		close(fd);
		return 0;
	}
	bad = hmc_check_response(req, resp, (size_t)n, hmc_exchange_ops_data,
				 sizeof(hmc_exchange_ops_data));
	note("%s", bad ? bad : "router answered with its opcodes");
	close(fd);
	return !bad;
}

static int check_select_writable(void)
{
	int fd = open_hmc("select");
	struct timeval tv = { TIMEOUT_MS / 1000, 0 };
	fd_set wr;
	int n;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	FD_ZERO(&wr);
	FD_SET(fd, &wr);
	n = select(fd + 1, NULL, &wr, NULL, &tv);
	note("select: %s", n < 0 ? errno_name(errno) : n == 0 ? "never writable (5 s)" :
	     "writable");
	close(fd);
	return n == 1;
}

static int check_poll_in(void)
{
	int fd = open_hmc("pollin");
	unsigned char msg[64];
	long n;
	int rc;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	pattern_fill(msg, sizeof(msg), 3);
	n = write_retry(fd, msg, sizeof(msg));
	if (n != (long)sizeof(msg)) {
		note("write: %s", n < 0 ? errno_name((int)-n) : "short");
		close(fd);
		return 0;
	}
	rc = poll_fd(fd, POLLIN, TIMEOUT_MS);
	note("poll: 0x%x", rc < 0 ? 0 : rc);
	close(fd);
	return rc > 0 && (rc & POLLIN);
}

/* read(fd, len) on a fresh session must fail with `want` (0: return 0). */
static int read_errno_case(size_t len, int nonblock, int want)
{
	static unsigned char buf[65536];
	int fd = open_hmc("readerr");
	long n;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	if (nonblock)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	n = read_timed(fd, buf, len, 2000);
	close(fd);
	if (n >= 0) {
		note("returned %ld", n);
		return want == 0 && n == 0;
	}
	note("%s", n == -EINTR ? "blocked (2 s)" : errno_name((int)-n));
	return -n == want;
}

static int check_read_zero(void)
{
	return read_errno_case(0, 0, 0);
}

static int check_read_over_mtu(void)
{
	return read_errno_case(device_mtu() + 1, 0, EINVAL);
}

static int check_read_nonblock(void)
{
	return read_errno_case(64, 1, EAGAIN);
}

static int check_read_short_buffer(void)
{
	int fd = open_hmc("short");
	unsigned char msg[200], reply[200];
	long n, m;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	pattern_fill(msg, sizeof(msg), 5);
	if (write_retry(fd, msg, sizeof(msg)) != (long)sizeof(msg)) {
		note("write failed");
		close(fd);
		return 0;
	}
	n = read_timed(fd, reply, 50, TIMEOUT_MS);
	/* Then the whole message, if it is still there. */
	fcntl(fd, F_SETFL, O_NONBLOCK);
	m = read_timed(fd, reply, sizeof(reply), 1000);
	if (n >= 0)
		note("read(50) returned %ld (truncated); read(200): %s", n,
		     m < 0 ? errno_name((int)-m) : "more data");
	else
		note("read(50): %s; read(200): %s%s", errno_name((int)-n),
		     m < 0 ? errno_name((int)-m) : "the message",
		     m == (long)sizeof(msg) ? ", whole" : "");
	close(fd);
	return n < 0 && m == (long)sizeof(msg) && !memcmp(msg, reply, sizeof(msg));
}

static int check_write_no_session(void)
{
	unsigned char msg[64] = { 0 };
	int fd = open(VMC_DEV, O_RDWR);
	ssize_t n;

	if (fd < 0) {
		note("open: %s", errno_name(errno));
		return 0;
	}
	n = write(fd, msg, sizeof(msg));
	note("%s", n < 0 ? errno_name(errno) : "accepted");
	close(fd);
	return n < 0 && errno == EIO;
}

static int check_write_over_mtu(void)
{
	static unsigned char msg[65536];
	int fd = open_hmc("bigwrite");
	long n;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	n = write_retry(fd, msg, device_mtu() + 1);
	note("%s", n < 0 ? errno_name((int)-n) : "accepted");
	close(fd);
	return n == -EIO;
}

/* `rounds` writes that must fail (bad pointer or zero length), then an echo. */
static int failed_writes_then_echo(int rounds, int zero)
{
	int fd = open_hmc(zero ? "zero" : "efault");
	int i, faults = 0;
	const char *bad;
	long n;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	for (i = 0; i < rounds; i++) {
		n = zero ? write_retry(fd, msg_nothing, 0) :
			   write_retry(fd, (const void *)16, 64);
		if (n == -EFAULT)
			faults++;
	}
	bad = echo(fd, 64, 9);
	if (zero)
		note("%d zero-length writes, then echo: %s", rounds, bad ? bad : "ok");
	else
		note("%d/%d writes EFAULT, then echo: %s", faults, rounds, bad ? bad : "ok");
	close(fd);
	return !bad && (zero || faults == rounds);
}

static int check_write_efault(void)
{
	return failed_writes_then_echo(40, 0);
}

static int check_write_zero(void)
{
	return failed_writes_then_echo(40, 1);
}

static int check_unknown_ioctl(void)
{
	int fd = open(VMC_DEV, O_RDWR);
	int rc, err;

	if (fd < 0) {
		note("open: %s", errno_name(errno));
		return 0;
	}
	rc = ioctl(fd, _IO(VMC_BASE, 0x7f), 0);
	err = errno;
	note("%s", rc == 0 ? "accepted" : errno_name(err));
	close(fd);
	/* EINVAL (the C driver) or ENOTTY (the convention ibmvmc.ko follows). */
	return rc < 0 && (err == EINVAL || err == ENOTTY);
}

static int check_second_hmc_busy(void)
{
	unsigned char id[HMC_ID_LEN];
	int a = open_hmc("first"), b, rc, err;

	if (a < 0) {
		note("SETHMCID: %s", errno_name(-a));
		return 0;
	}
	b = open(VMC_DEV, O_RDWR);
	make_hmc_id(id, "second");
	rc = ioctl(b, VMC_IOCTL_SETHMCID, id);
	err = errno;
	note("second SETHMCID with max_hmcs=1: %s", rc == 0 ? "accepted" : errno_name(err));
	close(b);
	close(a);
	return rc < 0 && err == EBUSY;
}

static int check_requestvmc(void)
{
	int fd = open(VMC_DEV, O_RDWR);
	uint32_t drc = 0;
	int rc;

	if (fd < 0) {
		note("open: %s", errno_name(errno));
		return 0;
	}
	rc = ioctl(fd, VMC_IOCTL_REQUESTVMC, &drc);
	note("%s drc 0x%x", rc ? errno_name(errno) : "ok", drc);
	close(fd);
	return rc == 0 && drc == 0x10000001;
}

static int check_reopen(void)
{
	const char *bad;
	int i, fd;

	for (i = 0; i < 5; i++) {
		fd = open_hmc("reopen");
		if (fd < 0) {
			note("session %d: SETHMCID %s", i, errno_name(-fd));
			return 0;
		}
		bad = echo(fd, 100, (uint32_t)i);
		close(fd);
		if (bad) {
			note("session %d: %s", i, bad);
			return 0;
		}
	}
	note("5 sessions in a row echoed");
	return 1;
}

static int check_dropped_signal(void)
{
	int fd = open_hmc("dropped");
	unsigned char msg[64];
	const char *bad;
	long n;
	int rc;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	bad = echo(fd, 64, 1);
	if (bad) {
		note("first echo: %s", bad);
		close(fd);
		return 0;
	}
	/* The hypervisor's queue is full for the next H_SEND_CRQ (H_DROPPED). */
	rc = sim_cmd("fail send_crq -12 1");
	if (rc) {
		note("hvctl: %s", errno_name(-rc));
		close(fd);
		return 0;
	}
	pattern_fill(msg, sizeof(msg), 2);
	n = write(fd, msg, sizeof(msg));
	bad = echo(fd, 64, 3);
	note("write with its Signal dropped: %s; next echo: %s",
	     n < 0 ? errno_name(errno) : "reported success", bad ? bad : "ok");
	close(fd);
	return n < 0 && !bad;
}

/* A reset (partner deregistered, then back) while a reader blocks. */
static int check_reset(void)
{
	int fd = open_hmc("reset");
	unsigned char buf[4096];
	struct ibmvmc_query_struct q;
	const char *bad;
	int rc, events, fd2;
	long n;

	if (fd < 0) {
		note("SETHMCID: %s", errno_name(-fd));
		return 0;
	}
	bad = echo(fd, 64, 4);
	if (bad) {
		note("echo before the reset: %s", bad);
		close(fd);
		return 0;
	}
	rc = sim_cmd("transport 2");
	if (rc) {
		note("hvctl: %s", errno_name(-rc));
		close(fd);
		return 0;
	}
	n = read_timed(fd, buf, sizeof(buf), 3000);
	events = poll_fd(fd, POLLIN | POLLOUT, 1000);
	close(fd);
	/* A new session once the driver is ready again. */
	fd2 = open(VMC_DEV, O_RDWR);
	rc = fd2 < 0 ? -errno : wait_driver_ready(fd2, 10000, &q);
	if (fd2 >= 0)
		close(fd2);
	fd2 = rc ? -1 : open_hmc("after");
	bad = fd2 < 0 ? "no session after the reset" : echo(fd2, 64, 5);
	if (fd2 >= 0)
		close(fd2);
	note("old read: %s; old poll: 0x%x; new session: %s",
	     n >= 0 ? "returned data" : n == -EINTR ? "blocked (3 s)" : errno_name((int)-n),
	     events < 0 ? 0 : events, bad ? bad : "ok");
	return n == -EBADFD && events > 0 && (events & (POLLHUP | POLLERR)) && !bad;
}

static int check_sethmcid_efault(void)
{
	int fd = open(VMC_DEV, O_RDWR), rc, err, fd2;
	const char *bad;

	if (fd < 0) {
		note("open: %s", errno_name(errno));
		return 0;
	}
	rc = ioctl(fd, VMC_IOCTL_SETHMCID, (void *)16);
	err = errno;
	close(fd);
	fd2 = open_hmc("afterfault");
	bad = fd2 < 0 ? errno_name(-fd2) : echo(fd2, 64, 6);
	if (fd2 >= 0)
		close(fd2);
	note("SETHMCID(bad pointer): %s; then a session: %s",
	     rc == 0 ? "accepted" : errno_name(err), bad ? bad : "ok");
	return rc < 0 && err == EFAULT && !bad;
}

/* Last: the simulated hypervisor counted no protocol violation during this run. */
static int check_protocol_clean(void)
{
	int rc = sim_cmd("expect_clean");

	note("%s", rc == 0 ? "no violation" : rc == -EIO ? "violations counted" : errno_name(-rc));
	return rc == 0;
}

struct check {
	const char *name;
	int (*fn)(void);
};

static const struct check checks[] = {
	{ "query_ready", check_query },
	{ "echo", check_echo },
	{ "exchange_ops", check_exchange_ops },
	{ "select_writable", check_select_writable },
	{ "poll_in", check_poll_in },
	{ "read_zero", check_read_zero },
	{ "read_over_mtu", check_read_over_mtu },
	{ "read_nonblock_empty", check_read_nonblock },
	{ "read_short_buffer", check_read_short_buffer },
	{ "write_no_session", check_write_no_session },
	{ "write_over_mtu", check_write_over_mtu },
	{ "write_efault_x40", check_write_efault },
	{ "write_zero_x40", check_write_zero },
	{ "unknown_ioctl", check_unknown_ioctl },
	{ "second_hmc_busy", check_second_hmc_busy },
	{ "requestvmc", check_requestvmc },
	{ "reopen_x5", check_reopen },
	{ "dropped_signal", check_dropped_signal },
	{ "reset", check_reset },
	{ "sethmcid_efault", check_sethmcid_efault },
	{ "protocol_clean", check_protocol_clean },
};

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "driver";
	struct sigaction sa = { .sa_handler = on_alarm };
	int pass_n = 0, fail_n = 0;
	size_t i;

	sigaction(SIGALRM, &sa, NULL);
	for (i = 0; i < VMC_COUNT(checks); i++) {
		int pipefd[2], status = 0, waited, ok, ended;
		char text[sizeof(observed)] = "";
		ssize_t got;
		pid_t pid;

		if (pipe(pipefd))
			return 1;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			int ok;

			close(pipefd[0]);
			ok = checks[i].fn();
			if (write(pipefd[1], observed, strlen(observed)) < 0)
				_exit(2);
			_exit(ok ? 0 : 1);
		}
		close(pipefd[1]);
		/* The child's note comes when it ends; only a child that timed out is killed. */
		got = 0;
		ended = poll_fd(pipefd[0], POLLIN, CHECK_SECONDS * 1000) > 0;
		if (ended)
			got = read(pipefd[0], text, sizeof(text) - 1);
		text[got > 0 ? got : 0] = '\0';
		close(pipefd[0]);
		if (ended) {
			waitpid(pid, &status, 0);
		} else {
			kill(pid, SIGKILL);
			for (waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited++) {
				if (waited == 200) {
					status = -1;
					break;
				}
				sleep_ms(10);
			}
		}
		if (status == -1)
			snprintf(text, sizeof(text), "hung: unkillable after %d s", CHECK_SECONDS);
		else if (WIFSIGNALED(status))
			snprintf(text, sizeof(text), "hung: killed after %d s", CHECK_SECONDS);
		ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (ok)
			pass_n++;
		else
			fail_n++;
		printf("CHECK %s %s %s %s\n", label, checks[i].name, ok ? "PASS" : "FAIL", text);
		fflush(stdout);
	}
	printf("vmc_compare: %s %d passed, %d failed\n", label, pass_n, fail_n);
	return 0;
}

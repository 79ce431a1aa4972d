// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM test program: the errno contract of /dev/ibmvmc, case by case (README "The driver
 * core", src/api.rs). Needs the test build's simulator file
 * /sys/kernel/debug/ibmvmc/sim. Written for max_hmcs=1 (the default); works with 2.
 *
 *   vmc_errno [-m MTU]      MTU of the load (default 4096)
 *
 * Each check is one TAP result ("ok N NAME", or "# NAME: got X want Y" and "not ok N
 * NAME"; vmc_common.h's tally), the plan and kselftest's totals last.
 * Exit 0 if every check passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>

static size_t mtu = 4096;
static unsigned char *buf, *msg;

/* A call's result (rc, errno) against the errno wanted. */
static void want_err(const char *name, long rc, int err, int want)
{
	if (rc == -1 && err == want)
		pass(name);
	else if (rc == -1)
		failf(name, "got %s want %s", errno_name(err), errno_name(want));
	else
		failf(name, "got %ld (success) want %s", rc, errno_name(want));
}

#define WANT_ERR(name, call, want)                           \
	do {                                                 \
		long rc_;                                    \
		errno = 0;                                   \
		rc_ = (long)(call);                          \
		want_err((name), rc_, errno, (want));        \
	} while (0)

/* A call that must succeed with the value wanted. */
#define WANT_VAL(name, call, want)                                                       \
	do {                                                                             \
		long rc_, want_ = (long)(want);                                          \
		errno = 0;                                                               \
		rc_ = (long)(call);                                                      \
		if (rc_ == want_)                                                        \
			pass(name);                                                      \
		else if (rc_ == -1)                                                      \
			failf((name), "got %s want %ld", errno_name(errno), want_);      \
		else                                                                     \
			failf((name), "got %ld want %ld", rc_, want_);                   \
	} while (0)

static int session(const char *name)
{
	const char *what = "";
	int fd = open_session(name, 5000, &what);

	if (fd < 0) {
		failf(name, "%s: %s: %s", __func__, what, errno_name(-fd));
		return -1;
	}
	return fd;
}

/* A raw echo of len bytes on fd; 1 if it came back intact (else a failure of name). */
static int echo(int fd, size_t len, uint32_t seed, const char *name)
{
	const char *what = "";
	long n;

	pattern_fill(msg, len, seed);
	n = round_trip(fd, msg, len, buf, mtu, 5000, &what);
	if (n < 0) {
		failf(name, "%s: %s: %s", __func__, what, errno_name((int)-n));
		return 0;
	}
	if ((size_t)n != len || memcmp(msg, buf, len)) {
		failf(name, "%s: %ld bytes back for %zu, or bytes differ", __func__, n, len);
		return 0;
	}
	return 1;
}

/* Reads one message (blocking) and checks it is pattern seed of len bytes. */
static int read_expect(int fd, size_t len, uint32_t seed, const char *name)
{
	ssize_t n = read(fd, buf, mtu);

	if (n < 0) {
		failf(name, "read: got %s want %zu bytes", errno_name(errno), len);
		return 0;
	}
	if ((size_t)n != len || pattern_check(buf, len, seed) != -1) {
		failf(name, "read %zd bytes, want %zu of pattern %u", n, len, seed);
		return 0;
	}
	return 1;
}

static int module_param(const char *name, int dflt)
{
	char path[128];
	int v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/ibmvmc/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%d", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/*
 * The signal handlers' counters: lock-free atomics, which C11 (7.14.1.1) lets a handler
 * touch as it does a volatile sig_atomic_t.
 */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int is lock-free");
static atomic_int alarms, watchdogs;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_watchdog(int sig)
{
	(void)sig;
	watchdogs++;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void arm_timer_ms(int ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Checks on a file that holds no connection. */
static void no_session_checks(void)
{
	struct ibmvmc_query_struct q;
	int fd = open(VMC_DEV, O_RDWR);
	int other = 0;

	if (fd < 0) {
		failf("open " VMC_DEV, "got %s", errno_name(errno));
		return;
	}
	WANT_ERR("write without session -> EIO", write(fd, "hello", 5), EIO);
	WANT_ERR("read without session -> EIO", read(fd, buf, 10), EIO);
	WANT_VAL("read of 0 bytes without session -> 0", read(fd, buf, 0), 0);
	WANT_VAL("poll without session -> nothing", poll_fd(fd, POLLIN | POLLOUT, 0), 0);
	WANT_ERR("unknown ioctl (VMC_BASE 0x7f) -> ENOTTY", ioctl(fd, _IO(VMC_BASE, 0x7f)), ENOTTY);
	WANT_ERR("foreign ioctl (TCGETS-like) -> ENOTTY", ioctl(fd, _IOR('T', 0x01, int), &other),
		 ENOTTY);
	WANT_ERR("QUERY bad pointer -> EFAULT", ioctl(fd, VMC_IOCTL_QUERY, bad_pointer()), EFAULT);
	WANT_ERR("SETHMCID bad pointer -> EFAULT", ioctl(fd, VMC_IOCTL_SETHMCID, bad_pointer()),
		 EFAULT);
	WANT_ERR("write after failed SETHMCID -> EIO (no session taken)", write(fd, "x", 1), EIO);
	if (wait_driver_ready(fd, 5000, &q))
		failf("QUERY ready", "state %d after 5 s", q.state);
	else if (q.have_vmc != 1)
		failf("QUERY have_vmc", "got %d want 1", q.have_vmc);
	else
		pass("QUERY have_vmc 1 state 3");
	close(fd);
}

/*
 * poll() on a file that holds no session yet, while another process sharing the same
 * open file (a fork) does SETHMCID: the poller must be woken when the session opens.
 * (It used to sleep on the no-session wait queue, which only a device removal wakes.)
 */
static void poll_before_sethmcid_check(void)
{
	unsigned char id[HMC_ID_LEN];
	int fd = open(VMC_DEV, O_RDWR), status = 0, r;
	pid_t child;

	if (fd < 0) {
		failf("open " VMC_DEV, "got %s", errno_name(errno));
		return;
	}
	child = fork();
	if (child == 0) {
		int i;

		memset(id, 'p', sizeof(id));
		sleep_ms(300);
		for (i = 0; i < 500; i++) {
			if (ioctl(fd, VMC_IOCTL_SETHMCID, id) == 0)
				_exit(0);
			if (errno != EAGAIN && errno != ENOBUFS && errno != EBUSY)
				_exit(1);
			sleep_ms(10);
		}
		_exit(1);
	}
	r = poll_fd(fd, POLLOUT, 5000);
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		failf("poll before SETHMCID", "the other process's SETHMCID failed");
	else if (r <= 0)
		failf("poll before SETHMCID", "never woken when the session opened (5 s)");
	else
		pass("poll before SETHMCID in another process: woken, POLLOUT");
	close(fd);
	/* Let the Close Response come back before the next session takes the connection. */
	sleep_ms(200);
}

/* SETHMCID when every connection is taken (s holds one). */
static void all_taken_check(int max_hmcs)
{
	unsigned char id[HMC_ID_LEN];
	int extra[2] = { -1, -1 }, i, rc;

	make_hmc_id(id, "extra");
	if (max_hmcs >= 2) {
		/* The second connection: take it, so that none is left. */
		extra[0] = open(VMC_DEV, O_RDWR);
		rc = set_hmc_id_retry(extra[0], id, 2000);
		if (rc)
			failf("SETHMCID on the free connection", "got %s", errno_name(-rc));
	}
	extra[1] = open(VMC_DEV, O_RDWR);
	WANT_ERR("SETHMCID with every connection taken -> EBUSY",
		 ioctl(extra[1], VMC_IOCTL_SETHMCID, id), EBUSY);
	WANT_ERR("write on the refused file -> EIO", write(extra[1], "x", 1), EIO);
	for (i = 0; i < 2; i++)
		if (extra[i] >= 0)
			close(extra[i]);
}

/* Checks on an open session. */
static void session_checks(int s)
{
	unsigned char id[HMC_ID_LEN];
	void *noaccess;
	int flags, k, rc;

	WANT_VAL("write of 0 bytes -> 0", write(s, msg, 0), 0);
	WANT_VAL("read of 0 bytes -> 0", read(s, buf, 0), 0);
	make_hmc_id(id, "again");
	WANT_ERR("SETHMCID twice -> EIO", ioctl(s, VMC_IOCTL_SETHMCID, id), EIO);
	WANT_ERR("write > MTU -> EIO", write(s, msg, mtu + 1), EIO);
	WANT_ERR("read > MTU -> EINVAL", read(s, buf, mtu + 1), EINVAL);
	WANT_VAL("poll idle open session -> POLLOUT", poll_fd(s, POLLIN | POLLOUT, 0), POLLOUT);

	flags = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, flags | O_NONBLOCK);
	WANT_ERR("O_NONBLOCK read with nothing queued -> EAGAIN", read(s, buf, mtu), EAGAIN);
	fcntl(s, F_SETFL, flags);

	if (echo(s, 100, 1, "echo 100 bytes"))
		pass("echo 100 bytes");
	if (echo(s, mtu, 2, "echo MTU bytes"))
		pass("echo MTU bytes");

	/* Two messages queued: two reads, one message each. */
	pattern_fill(msg, 10, 3);
	WANT_VAL("write 10 bytes", write(s, msg, 10), 10);
	pattern_fill(msg, 20, 4);
	WANT_VAL("write 20 bytes", write(s, msg, 20), 20);
	sleep_ms(50);
	if (read_expect(s, 10, 3, "one message per read") &&
	    read_expect(s, 20, 4, "one message per read"))
		pass("one message per read");

	/* Short buffer: EMSGSIZE, and the message stays for the next read. */
	pattern_fill(msg, 100, 5);
	WANT_VAL("write 100 bytes", write(s, msg, 100), 100);
	poll_fd(s, POLLIN, 5000);
	WANT_ERR("read with a buffer shorter than the message -> EMSGSIZE", read(s, buf, 50),
		 EMSGSIZE);
	if (read_expect(s, 100, 5, "message stays after EMSGSIZE"))
		pass("message stays after EMSGSIZE");

	/* Bad pointers. */
	WANT_ERR("write from a bad pointer -> EFAULT", write(s, bad_pointer(), 10), EFAULT);
	WANT_VAL("send buffer back after EFAULT (POLLOUT)", poll_fd(s, POLLIN | POLLOUT, 0), POLLOUT);
	if (echo(s, 10, 6, "echo after write EFAULT"))
		pass("echo after write EFAULT");
	noaccess = mmap(NULL, 65536, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (noaccess == MAP_FAILED)
		noaccess = bad_pointer();
	pattern_fill(msg, 64, 7);
	WANT_VAL("write 64 bytes", write(s, msg, 64), 64);
	poll_fd(s, POLLIN, 5000);
	WANT_ERR("read into a bad pointer -> EFAULT", read(s, noaccess, 64), EFAULT);
	if (read_expect(s, 64, 7, "message stays after read EFAULT"))
		pass("message stays after read EFAULT");
	if (noaccess != bad_pointer())
		munmap(noaccess, 65536);

	/* Write without reading until no send buffer is free. */
	for (k = 0; k < 200; k++) {
		pattern_fill(msg, 16, 1000 + k);
		if (write(s, msg, 16) != 16)
			break;
	}
	if (k == 200 || errno != EBUSY)
		failf("write with no free send buffer -> EBUSY", "got %s after %d writes",
		      k == 200 ? "no error" : errno_name(errno), k);
	else
		pass("write with no free send buffer -> EBUSY");
	sleep_ms(50);
	rc = poll_fd(s, POLLIN | POLLOUT, 0);
	if (rc == POLLIN)
		pass("poll with no free send buffer -> POLLIN without POLLOUT");
	else
		failf("poll with no free send buffer -> POLLIN without POLLOUT", "got 0x%x", rc);
	for (rc = 0; rc < k; rc++)
		if (!read_expect(s, 16, 1000 + rc, "every echo arrives after EBUSY"))
			break;
	if (rc == k)
		pass("every echo arrives after EBUSY");
	WANT_VAL("POLLOUT again once read", poll_fd(s, POLLIN | POLLOUT, 0), POLLOUT);

	/* Injected hcall failures: the write fails and its buffer is not lost. */
	rc = sim_cmd("fail send_crq -12 1");
	if (rc) {
		failf("sim fail send_crq", "got %s", errno_name(-rc));
	} else {
		WANT_ERR("write when the hypervisor's queue is full (H_DROPPED) -> EBUSY",
			 write(s, msg, 10), EBUSY);
		if (echo(s, 10, 8, "echo after H_DROPPED"))
			pass("echo after H_DROPPED");
	}
	if (!sim_cmd("fail copy_rdma -1 1")) {
		WANT_ERR("write when H_COPY_RDMA fails (H_HARDWARE) -> EIO", write(s, msg, 10), EIO);
		if (echo(s, 10, 9, "echo after RDMA failure"))
			pass("echo after RDMA failure");
	}
	WANT_VAL("all send buffers back (POLLOUT, nothing queued)", poll_fd(s, POLLIN | POLLOUT, 0),
		 POLLOUT);
	rc = sim_cmd("no-such-command 1");
	if (rc == -EINVAL)
		pass("bad simulator command -> EINVAL");
	else
		failf("bad simulator command -> EINVAL", "got %s", errno_name(-rc));
}

/* EINTR without SA_RESTART; with SA_RESTART the read completes with a later message. */
static void signal_checks(int s, int hmc_index)
{
	uint64_t t0;
	ssize_t n;
	pid_t child;
	int status;

	set_handler(SIGALRM, on_alarm, 0);
	alarms = 0;
	t0 = now_ms();
	arm_timer_ms(100);
	n = read(s, buf, mtu);
	want_err("blocking read interrupted by a signal (no SA_RESTART) -> EINTR", n, errno, EINTR);
	if (n < 0 && alarms != 1)
		failf("EINTR came from the alarm", "alarms %d after %llu ms", (int)alarms,
		      (unsigned long long)(now_ms() - t0));

	set_handler(SIGALRM, on_alarm, SA_RESTART);
	set_handler(SIGUSR1, on_watchdog, 0);
	alarms = 0;
	watchdogs = 0;
	child = fork();
	if (child == 0) {
		sleep_ms(200);
		if (sim_cmd("send %d 10", hmc_index))
			_exit(1);
		sleep_ms(5000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	arm_timer_ms(100);
	n = read(s, buf, mtu);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		failf("SA_RESTART read completes", "the simulator refused 'send %d 10'", hmc_index);
	else if (n < 0)
		failf("SA_RESTART read completes", "got %s (alarms %d, watchdog %d)",
		      errno_name(errno), (int)alarms, (int)watchdogs);
	else if (n != 10 || alarms != 1 || buf[0] != 0xA5 || buf[9] != 0xA5)
		failf("SA_RESTART read completes", "got %zd bytes (0x%02x) alarms %d", n, buf[0],
		      (int)alarms);
	else
		pass("blocking read restarted after a signal (SA_RESTART) gets the later message");
	signal(SIGALRM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

static void requestvmc_checks(int fd)
{
	struct ibmvmc_query_struct q;
	__u32 drc = 0;
	pid_t child;
	int status, rc;

	WANT_VAL("REQUESTVMC -> 0", ioctl(fd, VMC_IOCTL_REQUESTVMC, &drc), 0);
	if (drc == 0x10000001)
		pass("REQUESTVMC returns the DRC index 0x10000001");
	else
		failf("REQUESTVMC returns the DRC index", "got 0x%x want 0x10000001", drc);
	if (ioctl(fd, VMC_IOCTL_QUERY, &q) || (__u32)q.vmc_drc_index != 0x10000001)
		failf("QUERY vmc_drc_index", "got 0x%x want 0x10000001",
		      (unsigned int)q.vmc_drc_index);
	else
		pass("QUERY vmc_drc_index after REQUESTVMC");
	WANT_ERR("REQUESTVMC bad pointer -> EFAULT", ioctl(fd, VMC_IOCTL_REQUESTVMC, bad_pointer()),
		 EFAULT);
	rc = sim_cmd("request_vmc -2 0");
	if (rc) {
		failf("sim request_vmc", "got %s", errno_name(-rc));
	} else {
		WANT_ERR("REQUESTVMC on H_FUNCTION -> EPERM", ioctl(fd, VMC_IOCTL_REQUESTVMC, &drc),
			 EPERM);
		sim_cmd("request_vmc 0 %u", 0x10000001u);
	}

	child = fork();
	if (child == 0) {
		if (setuid(65534))
			_exit(250);
		if (ioctl(fd, VMC_IOCTL_REQUESTVMC, &drc) == 0)
			_exit(251);
		_exit(errno & 0xff);
	}
	waitpid(child, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == EPERM)
		pass("REQUESTVMC without CAP_SYS_ADMIN -> EPERM");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 251)
		failf("REQUESTVMC without CAP_SYS_ADMIN -> EPERM", "got success want EPERM");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 250)
		failf("REQUESTVMC without CAP_SYS_ADMIN -> EPERM", "setuid(65534) failed");
	else
		failf("REQUESTVMC without CAP_SYS_ADMIN -> EPERM", "got %s want EPERM",
		      WIFEXITED(status) ? errno_name(WEXITSTATUS(status)) : "a signal");
}

/* Open in flight: the hypervisor holds its answers. */
static int opening_checks(void)
{
	unsigned char id[HMC_ID_LEN];
	int fd, rc, flags;

	fd = open(VMC_DEV, O_RDWR);
	make_hmc_id(id, "held");
	rc = sim_cmd("hold 1");
	if (rc) {
		failf("sim hold 1", "got %s", errno_name(-rc));
		close(fd);
		return -1;
	}
	rc = set_hmc_id_retry(fd, id, 3000);
	if (rc) {
		sim_cmd("hold 0");
		failf("SETHMCID while answers are held", "got %s", errno_name(-rc));
		close(fd);
		return -1;
	}
	WANT_ERR("write while the open is in flight -> EBUSY", write(fd, msg, 10), EBUSY);
	WANT_VAL("poll while the open is in flight -> nothing", poll_fd(fd, POLLIN | POLLOUT, 0), 0);
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	WANT_ERR("O_NONBLOCK read while the open is in flight -> EAGAIN", read(fd, buf, 10), EAGAIN);
	fcntl(fd, F_SETFL, flags);
	sim_cmd("hold 0");
	rc = poll_fd(fd, POLLOUT, 5000);
	if (rc == POLLOUT)
		pass("POLLOUT once the held open response is released");
	else
		failf("POLLOUT once the held open response is released", "got 0x%x", rc);
	if (echo(fd, 33, 10, "echo after the held open"))
		pass("echo after the held open");
	return fd;
}

/* A reset hangs the session up for good; the next session is not visible to it. */
static void reset_checks(int old)
{
	unsigned char id[HMC_ID_LEN];
	int rc, fresh, i, good = 1;

	rc = sim_cmd("transport 2");
	if (rc) {
		failf("sim transport 2", "got %s", errno_name(-rc));
		return;
	}
	rc = poll_fd(old, POLLIN, 5000);
	if ((rc & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR) && !(rc & POLLIN))
		pass("POLLHUP|POLLERR after transport event 2");
	else
		failf("POLLHUP|POLLERR after transport event 2", "got revents 0x%x", rc);
	WANT_ERR("read after reset -> EBADFD", read(old, buf, mtu), EBADFD);
	WANT_ERR("write after reset -> EIO", write(old, msg, 10), EIO);
	make_hmc_id(id, "stale");
	WANT_ERR("SETHMCID on the reset file -> EIO", ioctl(old, VMC_IOCTL_SETHMCID, id), EIO);

	fresh = session("new session after reset");
	if (fresh < 0)
		return;
	for (i = 0; i < 10 && good; i++)
		good = echo(fresh, 64 + i, 100 + i, "echo on the new session");
	if (good)
		pass("new session after reset echoes");
	/* A message queued on the new session and never read there: still not the old fd's. */
	pattern_fill(msg, 40, 200);
	WANT_VAL("write on the new session", write(fresh, msg, 40), 40);
	poll_fd(fresh, POLLIN, 5000);
	rc = poll_fd(old, POLLIN | POLLOUT, 0);
	if ((rc & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR) && !(rc & (POLLIN | POLLOUT)))
		pass("old file stays hung up while the new session has data");
	else
		failf("old file stays hung up while the new session has data", "revents 0x%x", rc);
	WANT_ERR("old file read -> EBADFD, not the new session's message", read(old, buf, mtu),
		 EBADFD);
	close(old);
	if (read_expect(fresh, 40, 200, "new session keeps its message after old close"))
		pass("closing the old file leaves the new session alone");
	close(fresh);
}

int main(int argc, char **argv)
{
	int s, max_hmcs, opt;
	long long protocol_errors;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt == 'm')
			mtu = strtoul(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: vmc_errno [-m MTU]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	buf = malloc(IBMVMC_MAX_MTU + 1);
	msg = malloc(IBMVMC_MAX_MTU + 1);
	if (!buf || !msg)
		return 1;
	ensure_debugfs();
	max_hmcs = module_param("max_hmcs", 1);

	no_session_checks();
	poll_before_sethmcid_check();
	s = session("first session");
	if (s >= 0) {
		all_taken_check(max_hmcs);
		session_checks(s);
		signal_checks(s, 0);
		requestvmc_checks(s);
		close(s);
		/* Let the Close Response come back before the hypervisor holds its answers. */
		sleep_ms(200);
	}
	s = opening_checks();
	if (s >= 0)
		reset_checks(s);

	protocol_errors = sim_value("protocol_errors");
	if (protocol_errors == 0)
		pass("simulator saw no protocol error");
	else
		failf("simulator saw no protocol error", "protocol_errors %lld", protocol_errors);

	return vmc_finish();
}

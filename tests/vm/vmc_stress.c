// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM test program: several processes echo through /dev/ibmvmc while an injector
 * process fires transport events at the simulated hypervisor, and every message is
 * accounted for.
 *
 *   vmc_stress [-p PROCS] [-n MSGS] [-s MAXLEN] [-w WINDOW] [-t SECONDS] [-q]
 *       PROCS workers (default 4), each writing MSGS messages (default 2000) of
 *       16..MAXLEN bytes (default 1024), at most WINDOW unanswered (default 4);
 *       a worker still busy after SECONDS (default 300) fails.
 *   vmc_stress -I 0          no injector (plain contention)
 *   vmc_stress --selftest    the accounting against an in-process fake device (no
 *                            /dev/ibmvmc needed): a clean run and a run with hang-ups
 *                            must pass, and each injected fault must be caught
 *
 * Each worker opens, SETHMCID (EAGAIN/EBUSY/ENOBUFS: retry after a short random sleep:
 * with max_hmcs=1 the workers contend for the one connection), waits for POLLOUT, and
 * writes messages carrying its pid, a sequence number, the length and a pattern. It
 * gives its connection back after 20..100 messages so that the others get a turn. On a
 * hang-up (POLLHUP, EBADFD) it closes and opens again. The injector writes
 * "transport 1|2|6" to /sys/kernel/debug/ibmvmc/sim every 50..150 ms until the
 * workers are done.
 *
 * The accounting: every write that returned success is either echoed back exactly once,
 * byte for byte, or its session was hung up before the echo arrived (lost-by-reset,
 * reported to the writer by the hang-up). Violations: a duplicate; a message of another
 * process; an echo of a write that failed; an echo of a message already counted lost
 * (the old session's data leaking into the new one); bytes that differ; an echo
 * neither arriving nor replaced by a hang-up within 10 s.
 *
 * Prints one line per worker and a total line; exit 1 on any violation or error.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sys/mman.h>
#include <sys/wait.h>

#define MAGIC 0x564D5374u /* "VMSt": never an HMC descriptor, so raw-echoed */
#define HDR 16
#define MAX_WINDOW 16
#define ECHO_TIMEOUT_MS 10000

enum seq_state { SEQ_UNUSED, SEQ_OUTSTANDING, SEQ_ECHOED, SEQ_LOST, SEQ_FAILED };

/* The device, as the worker sees it: calls return -errno on failure. */
struct dev_ops {
	int (*open)(void *ctx);
	int (*sethmcid)(void *ctx, int fd, const unsigned char *id);
	long (*write)(void *ctx, int fd, const void *p, size_t len);
	long (*read)(void *ctx, int fd, void *p, size_t len);
	int (*poll)(void *ctx, int fd, short events, int timeout_ms);
	void (*close)(void *ctx, int fd);
	void (*pause)(void *ctx, unsigned int ms);
};

struct worker_stats {
	long written, echoed, lost, write_busy, write_eio, resets, sessions, reordered;
	long sethmcid_busy, violations;
	char first_violation[160];
};

struct worker {
	const struct dev_ops *ops;
	void *ctx;
	uint32_t pid;
	long n_msgs;
	size_t max_len;
	int window;
	uint64_t deadline_ms;
	int echo_timeout_ms;
	struct worker_stats *st;
	/* state */
	unsigned char *seqs; /* enum seq_state per sequence number */
	size_t n_seqs, cap_seqs;
	uint32_t outstanding[MAX_WINDOW];
	int n_out;
	uint32_t rng;
	int quiet;
};

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void violation(struct worker *w, const char *fmt, ...) __printf(2, 3);
static void violation(struct worker *w, const char *fmt, ...)
{
	va_list ap;
	char line[160];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!w->st->violations++)
		snprintf(w->st->first_violation, sizeof(w->st->first_violation), "%s", line);
	if (!w->quiet)
		printf("worker %u: VIOLATION %s\n", w->pid, line);
}

static uint32_t msg_seed(uint32_t pid, uint32_t seq)
{
	return pid * 1000003u + seq;
}

static size_t build_msg(unsigned char *m, uint32_t pid, uint32_t seq, size_t len)
{
	pattern_fill(m + HDR, len - HDR, msg_seed(pid, seq));
	put_be32(m, MAGIC);
	put_be32(m + 4, pid);
	put_be32(m + 8, seq);
	put_be32(m + 12, (uint32_t)len);
	return len;
}

static uint32_t new_seq(struct worker *w)
{
	if (w->n_seqs == w->cap_seqs) {
		w->cap_seqs = w->cap_seqs ? w->cap_seqs * 2 : 4096;
		w->seqs = realloc(w->seqs, w->cap_seqs);
		if (!w->seqs) {
			perror("realloc");
			exit(1);
		}
	}
	w->seqs[w->n_seqs] = SEQ_UNUSED;
	return (uint32_t)w->n_seqs++;
}

/* The session was hung up: what was outstanding is lost, reported by the hang-up. */
static void hung_up(struct worker *w, int *fd)
{
	int i;

	for (i = 0; i < w->n_out; i++)
		w->seqs[w->outstanding[i]] = SEQ_LOST;
	w->st->lost += w->n_out;
	w->n_out = 0;
	w->st->resets++;
	w->ops->close(w->ctx, *fd);
	*fd = -1;
}

/* One message read back: account for it. */
static void received(struct worker *w, const unsigned char *m, long n)
{
	uint32_t pid, seq, len;
	int i;

	if (n < HDR || get_be32(m) != MAGIC) {
		violation(w, "a message that is not a worker's (%ld bytes, first 0x%02x)", n,
			  n > 0 ? m[0] : 0);
		return;
	}
	pid = get_be32(m + 4);
	seq = get_be32(m + 8);
	len = get_be32(m + 12);
	if (pid != w->pid) {
		violation(w, "message of another process (pid %u seq %u)", pid, seq);
		return;
	}
	if (seq >= w->n_seqs) {
		violation(w, "echo of seq %u, never sent", seq);
		return;
	}
	switch (w->seqs[seq]) {
	case SEQ_OUTSTANDING:
		break;
	case SEQ_ECHOED:
		violation(w, "duplicate echo of seq %u", seq);
		return;
	case SEQ_LOST:
		violation(w, "echo of seq %u after its session's hang-up (old data in a new session)",
			  seq);
		return;
	case SEQ_FAILED:
		violation(w, "echo of seq %u whose write failed", seq);
		return;
	default:
		violation(w, "echo of seq %u in state %d", seq, w->seqs[seq]);
		return;
	}
	if (len != (uint32_t)n || pattern_check(m + HDR, (size_t)n - HDR, msg_seed(pid, seq)) != -1) {
		violation(w, "echo of seq %u differs (%ld bytes, header says %u)", seq, n, len);
		return;
	}
	for (i = 0; i < w->n_out && w->outstanding[i] != seq; i++)
		;
	if (i)
		w->st->reordered++;
	memmove(w->outstanding + i, w->outstanding + i + 1, (size_t)(w->n_out - i - 1) * sizeof(uint32_t));
	w->n_out--;
	w->seqs[seq] = SEQ_ECHOED;
	w->st->echoed++;
}

/* open + SETHMCID + POLLOUT, retrying the temporary answers. The fd, or -1 (timeout). */
static int connect_session(struct worker *w)
{
	unsigned char id[HMC_ID_LEN];
	int fd, rc;

	memset(id, 0, sizeof(id));
	snprintf((char *)id, sizeof(id), "stress-%u", w->pid);
	while (now_ms() < w->deadline_ms) {
		fd = w->ops->open(w->ctx);
		if (fd < 0) {
			violation(w, "open: %s", errno_name(-fd));
			return -1;
		}
		for (;;) {
			rc = w->ops->sethmcid(w->ctx, fd, id);
			if (rc == -EAGAIN || rc == -EBUSY || rc == -ENOBUFS) {
				if (rc == -EBUSY)
					w->st->sethmcid_busy++;
				if (now_ms() >= w->deadline_ms)
					break;
				w->ops->pause(w->ctx, 1 + next_rand(&w->rng) % 20);
				continue;
			}
			break;
		}
		if (rc == -EIO) {
			/* Reset between taking the connection and the open: start over. */
			w->ops->close(w->ctx, fd);
			continue;
		}
		if (rc) {
			w->ops->close(w->ctx, fd);
			if (now_ms() >= w->deadline_ms)
				break;
			violation(w, "SETHMCID: %s", errno_name(-rc));
			return -1;
		}
		rc = w->ops->poll(w->ctx, fd, POLLOUT, w->echo_timeout_ms);
		if (rc > 0 && (rc & POLLOUT) && !(rc & (POLLHUP | POLLERR))) {
			w->st->sessions++;
			return fd;
		}
		w->ops->close(w->ctx, fd);
		if (rc == 0) {
			violation(w, "open neither completed nor hung up in %d ms", w->echo_timeout_ms);
			return -1;
		}
		if (rc < 0) {
			violation(w, "poll POLLOUT: %s", errno_name(-rc));
			return -1;
		}
		/* Hung up: refused or reset during the open. Again. */
	}
	violation(w, "no session before the deadline");
	return -1;
}

/* Largest read the device accepts (set from the device in main); the fake takes anything. */
static size_t read_len = IBMVMC_MAX_MTU;

/* The worker: 0 if it finished without violation. */
static int run_worker(struct worker *w)
{
	unsigned char *m = malloc(w->max_len), *r = malloc(IBMVMC_MAX_MTU);
	int fd = -1, draining = 0, rc;
	long left_in_session = 0;

	if (!m || !r)
		return 1;
	while (w->st->written < w->n_msgs || w->n_out) {
		if (now_ms() > w->deadline_ms) {
			violation(w, "deadline passed: written %ld of %ld, %d unanswered", w->st->written,
				  w->n_msgs, w->n_out);
			break;
		}
		if (fd < 0) {
			fd = connect_session(w);
			if (fd < 0)
				break;
			draining = 0;
			left_in_session = 20 + next_rand(&w->rng) % 81;
		}
		if (!draining && left_in_session > 0 && w->n_out < w->window &&
		    w->st->written < w->n_msgs) {
			uint32_t seq = new_seq(w);
			size_t len = HDR + next_rand(&w->rng) % (w->max_len - HDR + 1);
			long n;

			build_msg(m, w->pid, seq, len);
			n = w->ops->write(w->ctx, fd, m, len);
			if (n == (long)len) {
				w->seqs[seq] = SEQ_OUTSTANDING;
				w->outstanding[w->n_out++] = seq;
				w->st->written++;
				left_in_session--;
				continue;
			}
			w->seqs[seq] = SEQ_FAILED;
			if (n == -EBUSY) {
				/* No send buffer or the hypervisor's queue is full: read, or wait. */
				w->st->write_busy++;
				if (!w->n_out)
					w->ops->pause(w->ctx, 1);
			} else if (n == -EIO) {
				/*
				 * Not open any more (reset, or a transport failure): no more writes
				 * here; what is outstanding is echoed or the hang-up comes.
				 */
				w->st->write_eio++;
				draining = 1;
			} else {
				violation(w, "write %zu bytes: %s", len,
					  n < 0 ? errno_name((int)-n) : "short write");
				break;
			}
		}
		if (!w->n_out) {
			if (draining || left_in_session <= 0 || w->st->written >= w->n_msgs) {
				/* Nothing may be queued now: a message here is an extra. */
				rc = w->ops->poll(w->ctx, fd, POLLIN, 0);
				if (rc > 0 && (rc & POLLIN)) {
					long n = w->ops->read(w->ctx, fd, r, read_len);

					if (n > 0)
						received(w, r, n);
					else
						violation(w, "POLLIN with nothing outstanding, read: %s",
							  errno_name((int)-n));
				}
				w->ops->close(w->ctx, fd);
				fd = -1;
			}
			continue;
		}
		rc = w->ops->poll(w->ctx, fd, POLLIN, w->echo_timeout_ms);
		if (rc < 0) {
			violation(w, "poll: %s", errno_name(-rc));
			break;
		}
		if (rc == 0) {
			violation(w, "%d messages neither echoed nor hung up in %d ms (seq %u first)",
				  w->n_out, w->echo_timeout_ms, w->outstanding[0]);
			break;
		}
		if (rc & (POLLHUP | POLLERR)) {
			hung_up(w, &fd);
			continue;
		}
		if (rc & POLLIN) {
			long n = w->ops->read(w->ctx, fd, r, read_len);

			if (n > 0)
				received(w, r, n);
			else if (n == -EBADFD)
				hung_up(w, &fd);
			else if (n != -EAGAIN) {
				violation(w, "read: %s", n ? errno_name((int)-n) : "0 bytes");
				break;
			}
		}
	}
	if (fd >= 0)
		w->ops->close(w->ctx, fd);
	if (!w->st->violations && w->st->written != w->st->echoed + w->st->lost)
		violation(w, "written %ld != echoed %ld + lost %ld", w->st->written, w->st->echoed,
			  w->st->lost);
	free(m);
	free(r);
	free(w->seqs);
	w->seqs = NULL;
	return w->st->violations ? 1 : 0;
}

/* ---- the real device ---- */

static int real_open(void *ctx)
{
	int fd = open(VMC_DEV, O_RDWR);

	(void)ctx;
	return fd < 0 ? -errno : fd;
}

static int real_sethmcid(void *ctx, int fd, const unsigned char *id)
{
	(void)ctx;
	return ioctl(fd, VMC_IOCTL_SETHMCID, id) ? -errno : 0;
}

static long real_write(void *ctx, int fd, const void *p, size_t len)
{
	ssize_t n = write(fd, p, len);

	(void)ctx;
	return n < 0 ? -errno : (long)n;
}

static long real_read(void *ctx, int fd, void *p, size_t len)
{
	ssize_t n = read(fd, p, len);

	(void)ctx;
	return n < 0 ? -errno : (long)n;
}

static int real_poll(void *ctx, int fd, short events, int timeout_ms)
{
	(void)ctx;
	return poll_fd(fd, events, timeout_ms);
}

static void real_close(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

static void real_pause(void *ctx, unsigned int ms)
{
	(void)ctx;
	sleep_ms(ms);
}

static const struct dev_ops real_ops = {
	real_open, real_sethmcid, real_write, real_read, real_poll, real_close, real_pause,
};

/* ---- the fake device (self-test) ---- */

enum fault { F_NONE, F_DUPLICATE, F_FOREIGN, F_FAILED_ECHO, F_RESURRECT, F_DROP, F_CORRUPT };

struct fake {
	enum fault fault;
	int hangup_per_mille;
	uint32_t rng;
	int opened, hung, busy_left;
	unsigned char q[8][2048];
	long qlen[8];
	int qh, qn;
	unsigned char stash[2048];
	long stash_len;
	long writes;
};

static int fake_push(struct fake *f, const void *p, long len)
{
	int slot;

	if (f->qn == 8)
		return 0;
	slot = (f->qh + f->qn++) % 8;
	memcpy(f->q[slot], p, (size_t)len);
	f->qlen[slot] = len;
	return 1;
}

static int fake_open(void *ctx)
{
	struct fake *f = ctx;

	f->opened = 0;
	f->hung = 0;
	f->qn = 0;
	return 100;
}

static int fake_sethmcid(void *ctx, int fd, const unsigned char *id)
{
	struct fake *f = ctx;

	(void)fd;
	(void)id;
	if (f->busy_left > 0) {
		f->busy_left--;
		return -EBUSY;
	}
	f->opened = 1;
	if (f->fault == F_RESURRECT && f->stash_len) {
		/* The defect: the previous session's message shows up in this one. */
		fake_push(f, f->stash, f->stash_len);
		f->stash_len = 0;
	}
	return 0;
}

static void fake_hangup(struct fake *f)
{
	if (f->qn && f->fault == F_RESURRECT) {
		memcpy(f->stash, f->q[f->qh], (size_t)f->qlen[f->qh]);
		f->stash_len = f->qlen[f->qh];
	}
	f->hung = 1;
	f->qn = 0;
	f->busy_left = next_rand(&f->rng) % 3;
}

static long fake_write(void *ctx, int fd, const void *p, size_t len)
{
	struct fake *f = ctx;
	unsigned char copy[2048];
	long n = (long)len;

	(void)fd;
	if (!f->opened || f->hung)
		return -EIO;
	if (f->qn >= 6)
		return -EBUSY;
	f->writes++;
	memcpy(copy, p, len);
	if (f->fault == F_FAILED_ECHO && f->writes % 30 == 0) {
		fake_push(f, copy, n);
		return -EBUSY;
	}
	if (!(f->fault == F_DROP && f->writes % 50 == 0))
		fake_push(f, copy, n);
	if (f->fault == F_DUPLICATE && f->writes % 30 == 0)
		fake_push(f, copy, n);
	if (f->fault == F_FOREIGN && f->writes % 40 == 0) {
		put_be32(copy + 4, get_be32(copy + 4) + 1);
		fake_push(f, copy, n);
	}
	if (f->fault == F_CORRUPT && f->writes % 40 == 0)
		f->q[(f->qh + f->qn - 1) % 8][n - 1] ^= 1;
	if ((int)(next_rand(&f->rng) % 1000) < f->hangup_per_mille)
		fake_hangup(f);
	return n;
}

static long fake_read(void *ctx, int fd, void *p, size_t len)
{
	struct fake *f = ctx;
	long n;

	(void)fd;
	if (!f->opened)
		return -EIO;
	if (f->hung)
		return -EBADFD;
	if (!f->qn)
		return -EAGAIN;
	n = f->qlen[f->qh];
	if ((size_t)n > len)
		return -EMSGSIZE;
	memcpy(p, f->q[f->qh], (size_t)n);
	f->qh = (f->qh + 1) % 8;
	f->qn--;
	return n;
}

static int fake_poll(void *ctx, int fd, short events, int timeout_ms)
{
	struct fake *f = ctx;
	int rev = 0;

	(void)fd;
	(void)timeout_ms;
	if (f->hung)
		return POLLHUP | POLLERR;
	if (f->qn)
		rev |= POLLIN;
	if (f->opened && f->qn < 6)
		rev |= POLLOUT;
	return rev & (events | POLLHUP | POLLERR);
}

static void fake_close(void *ctx, int fd)
{
	struct fake *f = ctx;

	(void)fd;
	f->opened = 0;
	f->qn = 0;
}

static void fake_pause(void *ctx, unsigned int ms)
{
	(void)ctx;
	(void)ms;
}

static const struct dev_ops fake_ops = {
	fake_open, fake_sethmcid, fake_write, fake_read, fake_poll, fake_close, fake_pause,
};

static int selftest(void)
{
	static const struct {
		const char *name;
		enum fault fault;
		int hangups, must_fail;
	} tests[] = {
		{ "clean", F_NONE, 0, 0 },
		{ "hang-ups", F_NONE, 20, 0 },
		{ "duplicate caught", F_DUPLICATE, 0, 1 },
		{ "foreign message caught", F_FOREIGN, 0, 1 },
		{ "echo of a failed write caught", F_FAILED_ECHO, 0, 1 },
		{ "old session's data after hang-up caught", F_RESURRECT, 30, 1 },
		{ "echo lost without hang-up caught", F_DROP, 0, 1 },
		{ "corrupted echo caught", F_CORRUPT, 0, 1 },
	};
	unsigned int i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		struct fake f;
		struct worker_stats st;
		struct worker w;
		int rc;

		memset(&f, 0, sizeof(f));
		memset(&st, 0, sizeof(st));
		memset(&w, 0, sizeof(w));
		f.fault = tests[i].fault;
		f.hangup_per_mille = tests[i].hangups;
		f.rng = 12345 + i;
		w.ops = &fake_ops;
		w.ctx = &f;
		w.pid = 4242;
		w.n_msgs = 3000;
		w.max_len = 1024;
		w.window = 4;
		w.deadline_ms = now_ms() + 10000;
		w.echo_timeout_ms = 0;
		w.st = &st;
		w.rng = 99 + i;
		w.quiet = 1;
		rc = run_worker(&w);
		if (rc != tests[i].must_fail || (!rc && st.written != 3000) ||
		    (tests[i].hangups && !rc && (!st.lost || !st.resets))) {
			bad++;
			printf("%s FAIL %s: rc %d written %ld echoed %ld lost %ld resets %ld violations %ld (%s)\n",
			       __func__, tests[i].name, rc, st.written, st.echoed, st.lost, st.resets,
			       st.violations, st.first_violation);
		} else {
			printf("%s ok %s: written %ld echoed %ld lost %ld resets %ld busy %ld%s%s\n",
			       __func__, tests[i].name, st.written, st.echoed, st.lost, st.resets,
			       st.sethmcid_busy, rc ? ": " : "", rc ? st.first_violation : "");
		}
	}
	printf("vmc_stress %s: %s\n", __func__, bad ? "FAIL" : "ok");
	return bad ? 1 : 0;
}

/* ---- the real run ---- */

struct shared {
	struct worker_stats w[64];
	long injected[3];
	long inject_errors;
	int inject_last_errno;
};

static void injector(struct shared *sh, int interval_lo, int interval_hi)
{
	static const int codes[3] = { 1, 2, 6 };
	uint32_t rng = (uint32_t)getpid() * 2654435761u | 1;

	for (;;) {
		int k = (int)(next_rand(&rng) % 3), rc;
		unsigned int span = (unsigned int)(interval_hi - interval_lo + 1);

		sleep_ms((unsigned int)(interval_lo + (int)(next_rand(&rng) % span)));
		rc = sim_cmd("transport %d", codes[k]);
		if (rc) {
			sh->inject_errors++;
			sh->inject_last_errno = -rc;
		} else {
			sh->injected[k]++;
		}
	}
}

int main(int argc, char **argv)
{
	long n_msgs = 2000, total_written = 0, total_echoed = 0, total_lost = 0, total_resets = 0;
	long total_violations = 0, total_busy = 0, total_eio = 0, total_sessions = 0;
	int procs = 4, window = 4, seconds = 300, inject = 1, quiet = 0, i, opt, failed = 0;
	size_t max_len = 1024;
	struct ibmvmc_query_struct q;
	struct shared *sh;
	pid_t pids[64], inj = -1;
	uint64_t t0;
	long long proto;

	if (argc == 2 && !strcmp(argv[1], "--selftest"))
		return selftest();
	while ((opt = getopt(argc, argv, "p:n:s:w:t:I:q")) != -1) {
		switch (opt) {
		case 'p':
			procs = atoi(optarg);
			break;
		case 'n':
			n_msgs = atol(optarg);
			break;
		case 's':
			max_len = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			window = atoi(optarg);
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 'I':
			inject = atoi(optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			fprintf(stderr, "usage: vmc_stress [-p PROCS] [-n MSGS] [-s MAXLEN] [-w WINDOW] [-t SECONDS] [-I 0|1] [-q] | --selftest\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 64 || window < 1 || window > MAX_WINDOW || max_len < HDR + 1 ||
	    max_len > IBMVMC_MIN_MTU) {
		fprintf(stderr, "vmc_stress: argument out of range\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ensure_debugfs();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	t0 = now_ms();

	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct worker w;

			memset(&w, 0, sizeof(w));
			read_len = device_mtu();
			w.ops = &real_ops;
			w.pid = (uint32_t)getpid();
			w.n_msgs = n_msgs;
			w.max_len = max_len;
			w.window = window;
			w.deadline_ms = t0 + (uint64_t)seconds * 1000;
			w.echo_timeout_ms = ECHO_TIMEOUT_MS;
			w.st = &sh->w[i];
			w.rng = w.pid * 2246822519u | 1;
			w.quiet = quiet;
			_exit(run_worker(&w));
		}
	}
	if (inject) {
		inj = fork();
		if (inj == 0) {
			injector(sh, 50, 150);
			_exit(0);
		}
	}
	for (i = 0; i < procs; i++) {
		int status;

		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	if (inj > 0) {
		kill(inj, SIGKILL);
		waitpid(inj, NULL, 0);
	}

	for (i = 0; i < procs; i++) {
		struct worker_stats *s = &sh->w[i];

		printf("worker %d: written %ld echoed %ld lost-by-reset %ld write-EBUSY %ld write-EIO %ld resets %ld sessions %ld SETHMCID-EBUSY %ld reordered %ld violations %ld%s%s\n",
		       i, s->written, s->echoed, s->lost, s->write_busy, s->write_eio, s->resets,
		       s->sessions, s->sethmcid_busy, s->reordered, s->violations, s->violations ? ": first: " : "", s->first_violation);
		total_written += s->written;
		total_echoed += s->echoed;
		total_lost += s->lost;
		total_resets += s->resets;
		total_busy += s->write_busy;
		total_eio += s->write_eio;
		total_sessions += s->sessions;
		total_violations += s->violations;
	}
	if (inject && sh->inject_errors) {
		printf("injector: %ld sim writes failed (last %s)\n", sh->inject_errors,
		       errno_name(sh->inject_last_errno));
		failed++;
	}

	/* After the storm the driver must come back and serve a clean session. */
	{
		const char *what = "";
		int fd = open(VMC_DEV, O_RDWR);

		if (fd < 0 || wait_driver_ready(fd, 10000, &q)) {
			printf("FAIL driver not ready 10 s after the last transport event\n");
			failed++;
		}
		if (fd >= 0)
			close(fd);
		fd = open_session("after", 10000, &what);
		if (fd < 0) {
			printf("FAIL session after the storm: %s: %s\n", what, errno_name(-fd));
			failed++;
		} else {
			unsigned char m[100], r[128];
			long n;

			pattern_fill(m, sizeof(m), 77);
			n = round_trip(fd, m, sizeof(m), r, sizeof(r), 5000, &what);
			if (n != (long)sizeof(m) || memcmp(m, r, sizeof(m))) {
				printf("FAIL echo after the storm: %s\n", n < 0 ? errno_name((int)-n) : "bytes");
				failed++;
			}
			close(fd);
		}
	}
	proto = sim_value("protocol_errors");
	if (proto > 0) {
		printf("FAIL the simulator counted %lld protocol errors by the driver\n", proto);
		failed++;
	}

	printf("vmc_stress: %s: %d procs x %ld msgs in %llu ms: written %ld echoed %ld lost-by-reset %ld write-EBUSY %ld write-EIO %ld resets %ld sessions %ld injected t1 %ld t2 %ld t6 %ld violations %ld\n",
	       failed || total_violations ? "FAIL" : "ok", procs, n_msgs,
	       (unsigned long long)(now_ms() - t0), total_written, total_echoed, total_lost,
	       total_busy, total_eio, total_resets, total_sessions, sh->injected[0], sh->injected[1],
	       sh->injected[2], total_violations);
	return failed || total_violations ? 1 : 0;
}

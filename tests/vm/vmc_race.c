// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device removal and module unload racing the file operations (simulator build: debugfs
 * sim "remove" does what the VIO remove() does).
 *
 *   vmc_race [-s SEED] [-T THREADS]      exit 0, or 1 with the reason
 *
 * THREADS threads (default 8) run at once, each in a loop of its kind: echo sessions
 * (open, SETHMCID, write, poll, read; reopen after a hang-up), SETHMCID storms (open,
 * SETHMCID, close), pollers and blocking readers on a session (the first reader starts
 * with a session, so a read is blocked when the device goes), and open/close storms.
 * After a random 0.3..1.5 s the main thread removes the device; every thread must then
 * see its calls fail cleanly within 2 s (no call blocks for good) and never succeed at
 * SETHMCID or write again. Then the session threads stop, and the main thread unloads
 * the module while the open/close storm goes on: delete_module must fail (EBUSY or
 * EWOULDBLOCK) while a file is open, must succeed eventually, and afterwards opens
 * fail with ENOENT or ENXIO. Every result is checked against the errno contract
 * (src/errno.rs). The plan runs this last: the module is gone afterwards.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#define MAX_THREADS 32

enum kind { ECHO, SETID, POLLER, READER, STORM, KINDS };
static const char *const kind_name[KINDS] = { "echo", "sethmcid", "poll", "read", "storm" };

static atomic_int removed;	/* the device was removed */
static atomic_int stop_sessions;	/* session threads: stop */
static atomic_int stop_all;	/* every thread: stop */
static atomic_int unloaded;	/* delete_module succeeded */
static atomic_int failures;
static atomic_ullong beat[MAX_THREADS];	/* last loop iteration, ms */
static atomic_ullong ops;
static atomic_ullong after_remove_ok;	/* successful SETHMCID/write after removal */

struct thread {
	int index;
	enum kind kind;
	unsigned int seed;
	int fd;		/* a session opened by main before the threads start, or -1 */
	pthread_t tid;
};

static void bad(const struct thread *t, const char *call, int err)
{
	printf("vmc_race: FAIL thread %d (%s): %s: %s not in its contract\n", t->index,
	       kind_name[t->kind], call, errno_name(err));
	atomic_fetch_add(&failures, 1);
}

static int in(int err, const int *set)
{
	for (; *set; set++)
		if (*set == err)
			return 1;
	return 0;
}

static const int open_errs[] = { ENOMEM, 0 };
static const int open_gone_errs[] = { ENOENT, ENXIO, ENODEV, 0 };
static const int sethmcid_errs[] = { EIO, EAGAIN, EBUSY, ENOBUFS, 0 };
static const int write_errs[] = { EIO, EBUSY, 0 };
static const int read_errs[] = { EIO, EBADFD, EAGAIN, EBUSY, EINTR, 0 };

/* open(2) of the device; -1 after a failure (checked). */
static int dev_open(const struct thread *t, int flags)
{
	int fd = open(VMC_DEV, O_RDWR | flags);

	if (fd < 0) {
		int err = errno;

		/* Once the unload has started, the device node may be gone. */
		if (!in(err, open_errs) && !(atomic_load(&stop_sessions) && in(err, open_gone_errs)))
			bad(t, "open", err);
	}
	return fd;
}

static int sethmcid(const struct thread *t, int fd)
{
	unsigned char id[HMC_ID_LEN];
	char tag[8];
	/* Set once the removal is complete: a call started after it must fail. */
	int was_removed = atomic_load(&removed);

	snprintf(tag, sizeof(tag), "r%d", t->index % 100);
	make_hmc_id(id, tag);
	if (ioctl(fd, VMC_IOCTL_SETHMCID, id) == 0) {
		if (was_removed)
			atomic_fetch_add(&after_remove_ok, 1);
		return 0;
	}
	if (!in(errno, sethmcid_errs))
		bad(t, "SETHMCID", errno);
	return -1;
}

static void echo_loop(struct thread *t)
{
	unsigned char msg[128], buf[4096];
	int fd = -1;

	while (!atomic_load(&stop_sessions)) {
		struct pollfd p;
		int was_removed;
		ssize_t n;

		atomic_store(&beat[t->index], now_ms());
		atomic_fetch_add(&ops, 1);
		if (fd < 0) {
			fd = dev_open(t, 0);
			if (fd < 0 || sethmcid(t, fd)) {
				if (fd >= 0)
					close(fd);
				fd = -1;
				sleep_ms(2);
				continue;
			}
		}
		pattern_fill(msg, sizeof(msg), t->seed++);
		was_removed = atomic_load(&removed);
		n = write(fd, msg, 16 + rand_r(&t->seed) % (sizeof(msg) - 16));
		if (n < 0) {
			if (!in(errno, write_errs))
				bad(t, "write", errno);
			if (errno == EIO) {
				close(fd);
				fd = -1;
			}
			continue;
		}
		if (was_removed)
			atomic_fetch_add(&after_remove_ok, 1);
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, 200) > 0 && (p.revents & POLLHUP)) {
			close(fd);
			fd = -1;
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && !in(errno, read_errs))
			bad(t, "read", errno);
		if (n < 0 && errno == EBADFD) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
}

static void setid_loop(struct thread *t)
{
	while (!atomic_load(&stop_sessions)) {
		int fd;

		atomic_store(&beat[t->index], now_ms());
		atomic_fetch_add(&ops, 1);
		fd = dev_open(t, O_NONBLOCK);
		if (fd < 0)
			continue;
		sethmcid(t, fd);
		close(fd);
	}
}

/* A session's file, then poll (POLLER) or blocking reads (READER) on it. */
static void wait_loop(struct thread *t)
{
	unsigned char buf[4096];
	int fd = t->fd;

	while (!atomic_load(&stop_sessions)) {
		atomic_store(&beat[t->index], now_ms());
		atomic_fetch_add(&ops, 1);
		if (fd < 0) {
			fd = dev_open(t, 0);
			if (fd >= 0 && sethmcid(t, fd)) {
				close(fd);
				fd = -1;
			}
			if (fd < 0) {
				sleep_ms(2);
				continue;
			}
		}
		if (t->kind == POLLER) {
			struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

			if (poll(&p, 1, 50) > 0 && (p.revents & POLLHUP)) {
				close(fd);
				fd = -1;
			}
			sleep_ms(1);
		} else {
			/* Blocks until a message, the hang-up or SIGUSR1 (main, at the end). */
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n < 0 && !in(errno, read_errs))
				bad(t, "read", errno);
			if (n < 0 && (errno == EBADFD || errno == EIO)) {
				close(fd);
				fd = -1;
			}
		}
	}
	if (fd >= 0)
		close(fd);
}

static void storm_loop(struct thread *t)
{
	while (!atomic_load(&stop_all)) {
		struct ibmvmc_query_struct q;
		int fd, was_removed;

		atomic_store(&beat[t->index], now_ms());
		atomic_fetch_add(&ops, 1);
		fd = dev_open(t, O_NONBLOCK);
		if (fd < 0) {
			sleep_ms(1);
			continue;
		}
		was_removed = atomic_load(&removed);

		if (ioctl(fd, VMC_IOCTL_QUERY, &q)) {
			bad(t, "QUERY", errno);
		} else if (was_removed && q.state != IBMVMC_STATE_FAILED) {
			printf("vmc_race: FAIL thread %d: QUERY state %d after removal\n", t->index,
			       q.state);
			atomic_fetch_add(&failures, 1);
		}
		close(fd);
		if (rand_r(&t->seed) % 4 == 0)
			sleep_ms(1);
	}
}

static void *run(void *arg)
{
	struct thread *t = arg;

	switch (t->kind) {
	case ECHO:
		echo_loop(t);
		break;
	case SETID:
		setid_loop(t);
		break;
	case POLLER:
	case READER:
		wait_loop(t);
		break;
	default:
		storm_loop(t);
	}
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Every thread whose kind is not STORM (or every thread) made progress since @since. */
static int all_beating(const struct thread *th, int n, unsigned long long since, int storms)
{
	int i, ok = 1;

	for (i = 0; i < n; i++) {
		if (th[i].kind == STORM && !storms)
			continue;
		if (atomic_load(&beat[i]) < since) {
			printf("vmc_race: FAIL thread %d (%s) stuck in a call for %llu ms\n", i,
			       kind_name[th[i].kind], now_ms() - atomic_load(&beat[i]));
			ok = 0;
		}
	}
	return ok;
}

int main(int argc, char **argv)
{
	struct thread th[MAX_THREADS];
	struct sigaction sa = { .sa_handler = on_usr1 };
	unsigned int seed = 1, rng;
	int nthreads = 8, i, opt, busy = 0, fd, held;
	unsigned long long t0, t_remove;
	struct ibmvmc_query_struct q;
	const char *what = "";

	while ((opt = getopt(argc, argv, "s:T:")) != -1) {
		if (opt == 's')
			seed = (unsigned int)strtoul(optarg, NULL, 0);
		else if (opt == 'T')
			nthreads = atoi(optarg);
		else
			return 2;
	}
	if (nthreads < KINDS || nthreads > MAX_THREADS) {
		fprintf(stderr, "vmc_race: THREADS must be %d..%d\n", KINDS, MAX_THREADS);
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	ensure_debugfs();
	fd = open(VMC_DEV, O_RDWR);
	if (fd < 0 || wait_driver_ready(fd, 10000, &q)) {
		printf("vmc_race: FAIL the driver is not ready\n");
		return 1;
	}
	close(fd);
	printf("vmc_race: seed %u, %d threads\n", seed, nthreads);
	t0 = now_ms();
	for (i = 0; i < nthreads; i++) {
		th[i].index = i;
		th[i].kind = (enum kind)(i % KINDS);
		th[i].seed = seed * 7919u + (unsigned int)i;
		th[i].fd = -1;
		atomic_store(&beat[i], t0);
	}
	/*
	 * The first reader starts with a session (before any other thread can take the
	 * connections): a read is blocked when the device goes.
	 */
	th[READER].fd = open_session("race-reader", 5000, &what);
	if (th[READER].fd < 0) {
		printf("vmc_race: FAIL the reader's session: %s: %s\n", what,
		       errno_name(-th[READER].fd));
		return 1;
	}
	for (i = 0; i < nthreads; i++)
		pthread_create(&th[i].tid, NULL, run, &th[i]);
	rng = seed;
	sleep_ms(300 + rand_r(&rng) % 1200);
	if (sim_cmd("remove")) {
		printf("vmc_race: FAIL the sim command remove\n");
		return 1;
	}
	atomic_store(&removed, 1);
	t_remove = now_ms();
	/* Readers blocked before the removal must have been woken by it. */
	sleep_ms(2000);
	if (!all_beating(th, nthreads, t_remove, 1))
		atomic_fetch_add(&failures, 1);
	atomic_store(&stop_sessions, 1);
	for (i = 0; i < nthreads; i++)
		if (th[i].kind == READER)
			pthread_kill(th[i].tid, SIGUSR1);
	for (i = 0; i < nthreads; i++)
		if (th[i].kind != STORM)
			pthread_join(th[i].tid, NULL);
	/* A file held open: every unload is refused. */
	held = open(VMC_DEV, O_RDWR);
	if (held < 0) {
		printf("vmc_race: FAIL open after the removal: %s\n", errno_name(errno));
		return 1;
	}
	for (i = 0; i < 50; i++) {
		if (syscall(SYS_delete_module, "ibmvmc", O_NONBLOCK) == 0) {
			printf("vmc_race: FAIL the module unloaded with a file open\n");
			return 1;
		}
		if (errno != EBUSY && errno != EWOULDBLOCK) {
			printf("vmc_race: FAIL delete_module with a file open: %s\n",
			       errno_name(errno));
			return 1;
		}
		busy++;
	}
	close(held);
	/* Then racing the open/close storm: refused while one of its files is open. */
	for (i = 0; i < 20000 && !atomic_load(&unloaded); i++) {
		if (syscall(SYS_delete_module, "ibmvmc", O_NONBLOCK) == 0) {
			atomic_store(&unloaded, 1);
			break;
		}
		if (errno != EBUSY && errno != EWOULDBLOCK) {
			printf("vmc_race: FAIL delete_module: %s\n", errno_name(errno));
			atomic_fetch_add(&failures, 1);
			break;
		}
		busy++;
		usleep(200);
	}
	if (!atomic_load(&unloaded)) {
		printf("vmc_race: FAIL the module never unloaded (%d refusals)\n", busy);
		atomic_fetch_add(&failures, 1);
	}
	sleep_ms(200);
	atomic_store(&stop_all, 1);
	for (i = 0; i < nthreads; i++)
		if (th[i].kind == STORM)
			pthread_join(th[i].tid, NULL);
	if (atomic_load(&after_remove_ok)) {
		printf("vmc_race: FAIL %llu SETHMCID/write succeeded after the removal\n",
		       atomic_load(&after_remove_ok));
		atomic_fetch_add(&failures, 1);
	}
	printf("vmc_race: %s seed %u: %llu operations, removal after %llu ms, unload refused %d times while files were open, %d failures\n",
	       atomic_load(&failures) ? "FAIL" : "ok", seed, atomic_load(&ops), t_remove - t0,
	       busy, atomic_load(&failures));
	return atomic_load(&failures) ? 1 : 0;
}

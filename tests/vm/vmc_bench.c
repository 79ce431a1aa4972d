// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM benchmark (not a test): echo round trips of 64-byte messages through /dev/ibmvmc
 * (one process: write, then a blocking read of the simulator's echo), and in the same
 * run the baseline: a pipe ping-pong between two processes (the parent writes 64 bytes,
 * the child writes them back). Latency p50/p99 from CLOCK_MONOTONIC and messages per
 * second, side by side with the ratio.
 *
 *   vmc_bench [-n ROUNDS] [-s SIZE] [-l LABEL] [-r REPS] [-w] [-c CPU]
 *       default 5000 round trips of 64 bytes; LABEL names the load in the output;
 *       REPS (default 1) alternates device and pipe runs REPS times and reports the
 *       median of each figure (TCG timing swings within one boot: compare medians);
 *       -w waits for the session by retrying write's EBUSY instead of poll()ing
 *       for POLLOUT (the upstream C driver never reports POLLOUT, its defect 8);
 *       -c pins this process, the pipe's echo child and every interrupt named
 *       "ibmvmc" in /proc/interrupts to CPU: where the interrupt lands otherwise
 *       changes with each load and makes a round trip local or cross-CPU.
 * The last line is machine-readable:
 *   vmc_bench-summary LABEL dev_p50_us dev_p99_us dev_msgs_s pipe_p50_us pipe_p99_us pipe_msgs_s
 *
 * Exit 0 unless something fails outright (no session, an I/O error, a wrong echo).
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sched.h>

#include <sys/wait.h>

struct result {
	double p50_us, p99_us, per_s;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct result summarize(uint64_t *lat, int n, uint64_t total_ns)
{
	struct result r;

	qsort(lat, (size_t)n, sizeof(*lat), cmp_u64);
	r.p50_us = (double)lat[n / 2] / 1000.0;
	r.p99_us = (double)lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1] / 1000.0;
	r.per_s = (double)n * 1e9 / (double)total_ns;
	return r;
}

static void die(const char *what, int err)
{
	printf("vmc_bench: FAIL %s: %s (%s)\n", what, errno_name(err), strerror(err));
	exit(1);
}

/* Pins this process and the "ibmvmc" interrupts to @cpu; returns how many interrupts. */
static int pin(int cpu)
{
	char line[512], path[64], want[16];
	cpu_set_t set;
	int pinned = 0;
	FILE *f;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity", errno);
	f = fopen("/proc/interrupts", "r");
	if (!f)
		die("/proc/interrupts", errno);
	snprintf(want, sizeof(want), "%d\n", cpu);
	while (fgets(line, sizeof(line), f)) {
		unsigned int irq;
		int fd;

		if (!strstr(line, "ibmvmc") || sscanf(line, " %u:", &irq) != 1)
			continue;
		snprintf(path, sizeof(path), "/proc/irq/%u/smp_affinity_list", irq);
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, want, strlen(want)) < 0)
			die(path, errno);
		close(fd);
		pinned++;
	}
	fclose(f);
	return pinned;
}

/* Round trips on fds wr (to the echoer) and rd (from it). */
static struct result run(int wr, int rd, int rounds, size_t size, uint64_t *lat, int check)
{
	unsigned char msg[4096], reply[4096];
	uint64_t start = 0, t;
	ssize_t n;
	int i;

	pattern_fill(msg, size, 1);
	for (i = -50; i < rounds; i++) {
		if (i == 0)
			start = now_ns();
		t = now_ns();
		msg[size - 1] = (unsigned char)i;
		n = write(wr, msg, size);
		if (n != (ssize_t)size)
			die("write", n < 0 ? errno : EIO);
		n = read(rd, reply, check ? sizeof(reply) : size);
		if (n != (ssize_t)size)
			die("read", n < 0 ? errno : EIO);
		if (check && memcmp(msg, reply, size)) {
			printf("vmc_bench: FAIL echo %d differs\n", i);
			exit(1);
		}
		if (i >= 0)
			lat[i] = now_ns() - t;
	}
	return summarize(lat, rounds, now_ns() - start);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The medians over `reps` results, figure by figure. */
static struct result median_of(const struct result *r, int reps)
{
	double v[64];
	struct result m;
	int i;

	for (i = 0; i < reps; i++)
		v[i] = r[i].p50_us;
	m.p50_us = median(v, reps);
	for (i = 0; i < reps; i++)
		v[i] = r[i].p99_us;
	m.p99_us = median(v, reps);
	for (i = 0; i < reps; i++)
		v[i] = r[i].per_s;
	m.per_s = median(v, reps);
	return m;
}

/*
 * Whether the clock can time a round trip: CLOCK_MONOTONIC's resolution, and the
 * smallest step between two readings that differ (the guest's clocksource: timebase
 * on pseries, TSC or HPET on x86_64).
 */
static void clock_check(void)
{
	struct timespec res = { 0, 0 };
	uint64_t a, b, step = UINT64_MAX;
	char src[64] = "?";
	FILE *f;
	int i;

	clock_getres(CLOCK_MONOTONIC, &res);
	for (i = 0; i < 1000; i++) {
		a = now_ns();
		while ((b = now_ns()) == a)
			;
		if (b - a < step)
			step = b - a;
	}
	f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
	if (f) {
		if (fscanf(f, "%63s", src) != 1)
			snprintf(src, sizeof(src), "?");
		fclose(f);
	}
	printf("vmc_bench: clock %s, CLOCK_MONOTONIC resolution %ld ns, smallest step %llu ns\n",
	       src, res.tv_nsec, (unsigned long long)step);
	/*
	 * A round trip is tens of microseconds: a clock that steps by a microsecond or
	 * more (jiffies, refined-jiffies: 4 ms) would publish noise, so refuse to measure.
	 */
	if (step >= 1000 || strstr(src, "jiffies")) {
		printf("vmc_bench: FAIL clock too coarse to time a round trip: %s, step %llu ns\n",
		       src, (unsigned long long)step);
		exit(1);
	}
}

/* A session without poll(): SETHMCID, then one echo retried while write says EBUSY. */
static int open_session_nopoll(void)
{
	unsigned char id[HMC_ID_LEN], msg[64], reply[4096];
	uint64_t end = now_ms() + 5000;
	int fd = open(VMC_DEV, O_RDWR), rc;
	ssize_t n;

	if (fd < 0)
		die("open", errno);
	make_hmc_id(id, "bench");
	rc = set_hmc_id_retry(fd, id, 5000);
	if (rc)
		die("ioctl SETHMCID", -rc);
	pattern_fill(msg, sizeof(msg), 0);
	while ((n = write(fd, msg, sizeof(msg))) < 0 && errno == EBUSY && now_ms() < end)
		sleep_ms(5);
	if (n != (ssize_t)sizeof(msg))
		die("first write", n < 0 ? errno : EIO);
	if (read(fd, reply, sizeof(reply)) != (ssize_t)sizeof(msg))
		die("first read", errno);
	return fd;
}

int main(int argc, char **argv)
{
	int rounds = 5000, opt, to_child[2], to_parent[2], fd, status, reps = 1, nopoll = 0, cpu = -1, k;
	size_t size = 64;
	struct result dev, pipe_r, devs[64], pipes[64];
	const char *what = "", *label = "";
	uint64_t *lat;
	pid_t child;

	while ((opt = getopt(argc, argv, "n:s:l:r:wc:")) != -1) {
		if (opt == 'n')
			rounds = atoi(optarg);
		else if (opt == 'r')
			reps = atoi(optarg);
		else if (opt == 'w')
			nopoll = 1;
		else if (opt == 's')
			size = strtoul(optarg, NULL, 0);
		else if (opt == 'l')
			label = optarg;
		else if (opt == 'c')
			cpu = atoi(optarg);
		else {
			fprintf(stderr,
				"usage: vmc_bench [-n ROUNDS] [-s SIZE] [-l LABEL] [-r REPS] [-w] [-c CPU]\n");
			return 2;
		}
	}
	if (rounds < 10 || size < 1 || size > 4096 || reps < 1 || reps > 64) {
		fprintf(stderr, "vmc_bench: argument out of range\n");
		return 2;
	}
	/* A lost message would block a read for ever: fail instead (SIGALRM kills). */
	alarm(120 * (unsigned int)reps);
	lat = malloc(sizeof(*lat) * (size_t)rounds);
	if (!lat)
		die("malloc", ENOMEM);

	fd = nopoll ? open_session_nopoll() : open_session("bench", 5000, &what);
	if (fd < 0)
		die(what, -fd);
	if (cpu >= 0)
		printf("vmc_bench: pinned to CPU %d with %d ibmvmc interrupt(s)\n", cpu, pin(cpu));

	if (pipe(to_child) || pipe(to_parent))
		die("pipe", errno);
	child = fork();
	if (child < 0)
		die("fork", errno);
	if (child == 0) {
		unsigned char b[4096];
		ssize_t n;

		close(fd);
		close(to_child[1]);
		close(to_parent[0]);
		while ((n = read(to_child[0], b, size)) > 0)
			if (write(to_parent[1], b, (size_t)n) != n)
				_exit(1);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (k = 0; k < reps; k++) {
		devs[k] = run(fd, fd, rounds, size, lat, 1);
		pipes[k] = run(to_child[1], to_parent[0], rounds, size, lat, 0);
		if (reps > 1)
			printf("vmc_bench-rep %s %d %.1f %.1f %.0f %.1f %.1f %.0f\n", label, k,
			       devs[k].p50_us, devs[k].p99_us, devs[k].per_s, pipes[k].p50_us,
			       pipes[k].p99_us, pipes[k].per_s);
	}
	close(fd);
	close(to_child[1]);
	waitpid(child, &status, 0);
	dev = median_of(devs, reps);
	pipe_r = median_of(pipes, reps);

	clock_check();
	printf("vmc_bench: %d round trips of %zu bytes, %s%s\n", rounds, size, label,
	       reps > 1 ? " (medians of the runs)" : "");
	printf("%-22s %10s %10s %12s\n", "", "p50 us", "p99 us", "msgs/s");
	printf("%-22s %10.1f %10.1f %12.0f\n", "/dev/ibmvmc echo", dev.p50_us, dev.p99_us, dev.per_s);
	printf("%-22s %10.1f %10.1f %12.0f\n", "pipe ping-pong", pipe_r.p50_us, pipe_r.p99_us,
	       pipe_r.per_s);
	printf("%-22s %10.2f %10.2f %12.2f\n", "ratio ibmvmc/pipe", dev.p50_us / pipe_r.p50_us,
	       dev.p99_us / pipe_r.p99_us, dev.per_s / pipe_r.per_s);
	printf("vmc_bench-summary %s %.1f %.1f %.0f %.1f %.1f %.0f\n", *label ? label : "-",
	       dev.p50_us, dev.p99_us, dev.per_s, pipe_r.p50_us, pipe_r.p99_us, pipe_r.per_s);
	free(lat);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM benchmark (not a test): echo round trips of 64-byte messages through /dev/ibmvmc
 * (one process: write, then a blocking read of the simulator's echo), and in the same
 * run the baseline: a pipe ping-pong between two processes (the parent writes 64 bytes,
 * the child writes them back). Latency p50/p99 from CLOCK_MONOTONIC and messages per
 * second, side by side with the ratio.
 *
 *   vmc_bench [-n ROUNDS] [-s SIZE] [-l LABEL]   default 5000 round trips of 64 bytes;
 *                                                LABEL names the load in the output
 *
 * Exit 0 unless something fails outright (no session, an I/O error, a wrong echo).
 */
#define VMC_COMMON_INCLUDED
#include "vmc_common.c"

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

int main(int argc, char **argv)
{
	int rounds = 5000, opt, to_child[2], to_parent[2], fd, status;
	size_t size = 64;
	struct result dev, pipe_r;
	const char *what = "", *label = "";
	uint64_t *lat;
	pid_t child;

	while ((opt = getopt(argc, argv, "n:s:l:")) != -1) {
		if (opt == 'n')
			rounds = atoi(optarg);
		else if (opt == 's')
			size = strtoul(optarg, NULL, 0);
		else if (opt == 'l')
			label = optarg;
		else {
			fprintf(stderr, "usage: vmc_bench [-n ROUNDS] [-s SIZE] [-l LABEL]\n");
			return 2;
		}
	}
	if (rounds < 10 || size < 1 || size > 4096) {
		fprintf(stderr, "vmc_bench: argument out of range\n");
		return 2;
	}
	/* A lost message would block a read for ever: fail instead (SIGALRM kills). */
	alarm(120);
	lat = malloc(sizeof(*lat) * (size_t)rounds);
	if (!lat)
		die("malloc", ENOMEM);

	fd = open_session("bench", 5000, &what);
	if (fd < 0)
		die(what, -fd);
	dev = run(fd, fd, rounds, size, lat, 1);
	close(fd);

	if (pipe(to_child) || pipe(to_parent))
		die("pipe", errno);
	child = fork();
	if (child < 0)
		die("fork", errno);
	if (child == 0) {
		unsigned char b[4096];
		ssize_t n;

		close(to_child[1]);
		close(to_parent[0]);
		while ((n = read(to_child[0], b, size)) > 0)
			if (write(to_parent[1], b, (size_t)n) != n)
				_exit(1);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	pipe_r = run(to_child[1], to_parent[0], rounds, size, lat, 0);
	close(to_child[1]);
	waitpid(child, &status, 0);

	printf("vmc_bench: %d round trips of %zu bytes, %s\n", rounds, size, label);
	printf("%-22s %10s %10s %12s\n", "", "p50 us", "p99 us", "msgs/s");
	printf("%-22s %10.1f %10.1f %12.0f\n", "/dev/ibmvmc echo", dev.p50_us, dev.p99_us, dev.per_s);
	printf("%-22s %10.1f %10.1f %12.0f\n", "pipe ping-pong", pipe_r.p50_us, pipe_r.p99_us,
	       pipe_r.per_s);
	printf("%-22s %10.2f %10.2f %12.2f\n", "ratio ibmvmc/pipe", dev.p50_us / pipe_r.p50_us,
	       dev.p99_us / pipe_r.p99_us, dev.per_s / pipe_r.per_s);
	free(lat);
	return 0;
}

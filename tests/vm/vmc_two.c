// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM test program: two sessions do not disturb each other (the C driver had one wait
 * queue for everyone, so every message woke every reader; defect 7). Needs max_hmcs=2.
 *
 *   vmc_two [-n ECHOES]      A's echoes while B waits (default 500)
 *
 * A and B each open a session. Which connection index each holds is found by asking
 * the simulator for an unsolicited message on index 0 ("send 0 10"). Then a child
 * process polls B for POLLIN with a 3 s timeout while the parent echoes on A: the poll
 * must time out, and between before and after, wakeups_hmc<B> in
 * /sys/kernel/debug/ibmvmc/stats must not move while wakeups_hmc<A> rises. Then B
 * echoes.
 * Prints one TAP result per check (vmc_common.h's tally); exit 1 if any failed.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sys/wait.h>

static int echoes(int fd, int n, uint32_t seed, const char **why)
{
	static unsigned char msg[4096], reply[4096];
	const char *what = "";
	long got;
	int i;

	for (i = 0; i < n; i++) {
		size_t len = 1 + (size_t)((seed + (uint32_t)i) * 131u) % 512;

		pattern_fill(msg, len, seed + (uint32_t)i);
		got = round_trip(fd, msg, len, reply, sizeof(reply), 5000, &what);
		if (got < 0) {
			static char buf[128];

			snprintf(buf, sizeof(buf), "echo %d: %s: %s", i, what, errno_name((int)-got));
			*why = buf;
			return 0;
		}
		if ((size_t)got != len || memcmp(msg, reply, len)) {
			*why = "reply differs from the message";
			return 0;
		}
	}
	return 1;
}

int main(int argc, char **argv)
{
	long long before[2], after[2];
	const char *what = "", *why = "";
	int a, b, ia, ib, ra, rb, opt, n = 500, status;
	unsigned char reply[64];
	char name[32];
	pid_t child;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else {
			fprintf(stderr, "usage: vmc_two [-n ECHOES]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ensure_debugfs();

	a = open_session("A", 5000, &what);
	if (a < 0)
		ksft_exit_fail_msg("session A: %s: %s\n", what, errno_name(-a));
	b = open_session("B", 5000, &what);
	if (b < 0)
		ksft_exit_fail_msg("session B: %s: %s (is the module loaded with max_hmcs=2?)\n", what,
				   errno_name(-b));
	result(1, "two sessions open at once", "-");

	/* Which index is whose: an unsolicited message on index 0. */
	ra = sim_cmd("send 0 10");
	if (ra)
		ksft_exit_fail_msg("sim send 0 10: %s\n", errno_name(-ra));
	sleep_ms(100);
	ra = poll_fd(a, POLLIN, 0);
	rb = poll_fd(b, POLLIN, 0);
	if ((ra & POLLIN) == (rb & POLLIN))
		ksft_exit_fail_msg("index 0's message reached exactly one session: A 0x%x B 0x%x\n",
				   ra, rb);
	ia = (ra & POLLIN) ? 0 : 1;
	ib = 1 - ia;
	result(read(ia == 0 ? a : b, reply, sizeof(reply)) == 10 && reply[0] == 0xA5,
	       "unsolicited message read by index 0's session", "wrong length or bytes");
	printf("session A holds index %d, B index %d\n", ia, ib);

	snprintf(name, sizeof(name), "wakeups_hmc%d", ia);
	before[0] = stat_value(name);
	snprintf(name, sizeof(name), "wakeups_hmc%d", ib);
	before[1] = stat_value(name);
	if (before[0] < 0 || before[1] < 0)
		ksft_exit_fail_msg("wakeups_hmc0/1 missing from " VMC_STATS "\n");

	child = fork();
	if (child == 0) {
		int rc = poll_fd(b, POLLIN, 3000);

		if (rc)
			printf("B: poll returned revents 0x%x\n", rc);
		_exit(rc == 0 ? 0 : 1);
	}
	sleep_ms(50);
	result(echoes(a, n, 1, &why), "A echoes while B waits", "%s", why);
	waitpid(child, &status, 0);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "B's poll for POLLIN times out (3 s) while A echoes", "B's poll returned early");

	snprintf(name, sizeof(name), "wakeups_hmc%d", ia);
	after[0] = stat_value(name);
	snprintf(name, sizeof(name), "wakeups_hmc%d", ib);
	after[1] = stat_value(name);
	printf("wakeups: A (hmc%d) %lld -> %lld, B (hmc%d) %lld -> %lld\n", ia, before[0], after[0],
	       ib, before[1], after[1]);
	/*
	 * Woken at least once (a wake-up that finds the message already there may not
	 * count, depending on how the glue counts).
	 */
	result(after[0] > before[0], "A's wait queue woken for its messages",
	       "rose by %lld, want > 0", after[0] - before[0]);
	result(after[1] == before[1], "B's wait queue never woken by A's traffic",
	       "rose by %lld, want 0", after[1] - before[1]);
	result(poll_fd(b, POLLIN | POLLOUT, 0) == POLLOUT, "B has nothing queued", "poll revents differ from POLLOUT");

	result(echoes(b, 50, 7, &why), "B echoes", "%s", why);
	result(echoes(a, 10, 9, &why), "A still echoes", "%s", why);
	close(a);
	close(b);
	return vmc_finish();
}

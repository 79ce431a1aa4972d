// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One command to the simulated hypervisor, from a plan: the arguments, joined by
 * spaces, go to the simulator's command file (the x86_64 module's debugfs `ibmvmc/sim`,
 * or QEMU's spapr-vmc device through vmc_hvctl.ko; the language is
 * tools/crates/ibmvmc-sim/src/command.rs). Then, with -w STATE, waits up to 10 s for
 * /dev/ibmvmc's QUERY to report STATE; with -k STATE, checks that QUERY keeps
 * reporting STATE for 1 s.
 *
 *   vmc_hvcmd [-w STATE] [-k STATE] WORD...    exit 0, or 1 with the reason
 */
#define _GNU_SOURCE
#include "vmc_common.h"

static int query_state(void)
{
	struct ibmvmc_query_struct q = { 0 };
	int fd = open(VMC_DEV, O_RDWR), rc;

	if (fd < 0)
		return -1000;
	rc = ioctl(fd, VMC_IOCTL_QUERY, &q);
	close(fd);
	return rc ? -1000 : q.state;
}

int main(int argc, char **argv)
{
	int opt, wait_state = -100, keep_state = -100, rc, i;
	char cmd[256] = "";
	uint64_t end;

	while ((opt = getopt(argc, argv, "+w:k:")) != -1) {
		if (opt == 'w')
			wait_state = atoi(optarg);
		else if (opt == 'k')
			keep_state = atoi(optarg);
		else
			return 2;
	}
	for (i = optind; i < argc; i++) {
		if (strlen(cmd) + strlen(argv[i]) + 2 > sizeof(cmd))
			return 2;
		if (i > optind)
			strcat(cmd, " ");
		strcat(cmd, argv[i]);
	}
	if (*cmd) {
		rc = sim_cmd("%s", cmd);
		if (rc) {
			printf("vmc_hvcmd: FAIL '%s': %s\n", cmd, errno_name(-rc));
			return 1;
		}
		printf("vmc_hvcmd: '%s' done\n", cmd);
	}
	if (wait_state != -100) {
		for (end = now_ms() + 10000; query_state() != wait_state; sleep_ms(10)) {
			if (now_ms() > end) {
				printf("vmc_hvcmd: FAIL state %d, not %d, after 10 s\n",
				       query_state(), wait_state);
				return 1;
			}
		}
		printf("vmc_hvcmd: state %d\n", wait_state);
	}
	if (keep_state != -100) {
		for (end = now_ms() + 1000; now_ms() < end; sleep_ms(10)) {
			if (query_state() != keep_state) {
				printf("vmc_hvcmd: FAIL state %d, not %d\n", query_state(),
				       keep_state);
				return 1;
			}
		}
		printf("vmc_hvcmd: state stayed %d for 1 s\n", keep_state);
	}
	return 0;
}

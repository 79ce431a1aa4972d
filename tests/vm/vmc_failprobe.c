// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VIO probe failing half way, at each of its allocations in turn (failslab with
 * /proc/thread-self/fail-nth): with the bus's autoprobe off, the module is loaded
 * (its driver registers, nothing binds), then for N = 1, 2, ... the Nth slab
 * allocation made by a bind of the VMC device (the probe, which runs in this task)
 * fails. Each bind must either fail cleanly (an error, /dev/ibmvmc without a device:
 * QUERY state 0) or succeed and reach the ready state; the module must unload at
 * once either way, and the plan's leakcheck then finds nothing. It stops at the first
 * N whose fault was never reached (every allocation of the probe succeeded).
 *
 *   vmc_failprobe MODULE.ko NAME       exit 0, or 1 with the reason
 *
 * Needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS (the ppc64le test kernel)
 * and a VIO device named ibm,vmc. (Failing the module loader's own allocations as well
 * was tried: the kernel's slab sheaves then corrupt memory on their own, see the
 * README; the loader is not this driver's code.)
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <dirent.h>
#include <sys/syscall.h>

#define MAX_N 500

static long read_long(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atol(buf) : -1;
}

/* The VIO device whose name is ibm,vmc: its unit address (the directory's name). */
static int find_unit(char *unit, size_t len)
{
	DIR *d = opendir("/sys/bus/vio/devices");
	struct dirent *e;
	char path[300], name[64];
	int found = 0;
	FILE *f;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/vio/devices/%s/name", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) && !strncmp(name, "ibm,vmc", 7)) {
			snprintf(unit, len, "%.200s", e->d_name);
			found = 1;
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

static int query_state(void)
{
	struct ibmvmc_query_struct q = { 0 };
	int fd = open(VMC_DEV, O_RDWR), rc;

	if (fd < 0)
		return -1;
	rc = ioctl(fd, VMC_IOCTL_QUERY, &q);
	close(fd);
	return rc ? -1 : q.state;
}

static int load(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = (int)syscall(SYS_finit_module, fd, "", 0);
	rc = rc ? -errno : 0;
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	int n, bind_failed = 0, bind_ok = 0, rc, err, state;
	char num[16], unit[256], bind[400];
	uint64_t end;
	long left;

	if (argc < 3) {
		fprintf(stderr, "usage: vmc_failprobe MODULE.ko NAME\n");
		return 2;
	}
	if (!find_unit(unit, sizeof(unit))) {
		printf("vmc_failprobe: FAIL no ibm,vmc device on the VIO bus\n");
		return 1;
	}
	snprintf(bind, sizeof(bind), "/sys/bus/vio/drivers/%s/bind", argv[2]);
	ensure_debugfs();
	/* GFP_KERNEL allocations too, and no stack dump per injected failure. */
	if (write_file(VMC_DEBUGFS "/failslab/ignore-gfp-wait", "N") ||
	    write_file(VMC_DEBUGFS "/failslab/verbose", "0")) {
		printf("vmc_failprobe: FAIL no failslab in debugfs (CONFIG_FAILSLAB?)\n");
		return 1;
	}
	if (write_file("/sys/bus/vio/drivers_autoprobe", "0")) {
		printf("vmc_failprobe: FAIL cannot turn the VIO bus's autoprobe off\n");
		return 1;
	}
	for (n = 1; n <= MAX_N; n++) {
		rc = load(argv[1]);
		if (rc) {
			printf("vmc_failprobe: FAIL N=%d: load: %s\n", n, errno_name(-rc));
			return 1;
		}
		/* Each step on the console first: a crash names the allocation that caused it. */
		printf("vmc_failprobe: N=%d\n", n);
		fflush(stdout);
		snprintf(num, sizeof(num), "%d", n);
		if (write_file("/proc/thread-self/fail-nth", num)) {
			printf("vmc_failprobe: FAIL /proc/thread-self/fail-nth: %s\n",
			       errno_name(errno));
			return 1;
		}
		rc = write_file(bind, unit);
		left = read_long("/proc/thread-self/fail-nth");
		write_file("/proc/thread-self/fail-nth", "0");
		if (rc == 0) {
			/* Bound: the device must come up. */
			bind_ok++;
			for (end = now_ms() + 5000; (state = query_state()) != IBMVMC_STATE_READY;
			     sleep_ms(10))
				if (now_ms() > end)
					break;
			if (state != IBMVMC_STATE_READY) {
				printf("vmc_failprobe: FAIL N=%d: bound, but state %d\n", n, state);
				return 1;
			}
		} else {
			/* Not bound: the device is absent for the driver, cleanly. */
			bind_failed++;
			state = query_state();
			if (state != 0) {
				printf("vmc_failprobe: FAIL N=%d: bind %s, then state %d, not 0\n", n,
				       errno_name(-rc), state);
				return 1;
			}
		}
		if (syscall(SYS_delete_module, argv[2], O_NONBLOCK)) {
			err = errno;
			printf("vmc_failprobe: FAIL N=%d: unload: %s\n", n, errno_name(err));
			return 1;
		}
		if (left > 0) {
			/* The Nth allocation never came: every one before it failed once. */
			write_file("/sys/bus/vio/drivers_autoprobe", "1");
			if (rc) {
				printf("vmc_failprobe: FAIL N=%d: no fault injected, bind %s\n", n,
				       errno_name(-rc));
				return 1;
			}
			printf("vmc_failprobe: the probe's %d allocations failed in turn: %d binds failed cleanly, %d came up anyway\n",
			       n - 1, bind_failed, bind_ok - 1);
			return 0;
		}
	}
	printf("vmc_failprobe: FAIL more than %d allocations\n", MAX_N);
	return 1;
}

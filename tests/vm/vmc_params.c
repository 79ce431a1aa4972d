// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module parameters loaded out of range: the driver clamps them with a warning, and
 * /sys/module/ibmvmc/parameters shows the values it uses, read-only (0444).
 *   vmc_params BUF_POOL_SIZE MAX_HMCS MAX_MTU   (the values expected after clamping)
 */
#define VMC_COMMON_INCLUDED
#include "vmc_common.c"

#include <sys/klog.h>
#include <sys/stat.h>

static int failed;

static void expect_param(const char *name, long want)
{
	char path[128];
	struct stat st;
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/ibmvmc/parameters/%s", name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	if (v != want || stat(path, &st) || (st.st_mode & 0777) != 0444) {
		printf("FAIL %s: %ld (mode %o), want %ld (mode 444)\n", name, v,
		       (unsigned int)(st.st_mode & 0777), want);
		failed = 1;
	} else {
		printf("ok %s = %ld, read-only\n", name, v);
	}
}

int main(int argc, char **argv)
{
	static char log[1 << 16];
	int n;

	if (argc != 4) {
		fprintf(stderr, "usage: vmc_params BUF_POOL_SIZE MAX_HMCS MAX_MTU\n");
		return 2;
	}
	expect_param("buf_pool_size", atol(argv[1]));
	expect_param("max_hmcs", atol(argv[2]));
	expect_param("max_mtu", atol(argv[3]));
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	log[n > 0 ? n : 0] = '\0';
	if (!strstr(log, "ibmvmc: parameters out of range clamped")) {
		printf("FAIL no clamping warning in the kernel log\n");
		failed = 1;
	} else {
		printf("ok clamping warning logged\n");
	}
	printf("vmc_params: %s\n", failed ? "FAIL" : "ok");
	return failed;
}

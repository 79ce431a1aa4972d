// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module parameters loaded out of range: the driver clamps them with a warning, and
 * /sys/module/ibmvmc/parameters shows the values it uses, read-only (0444).
 *   vmc_params BUF_POOL_SIZE MAX_HMCS MAX_MTU   (the values expected after clamping)
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sys/klog.h>
#include <sys/stat.h>

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
	if (stat(path, &st))
		st.st_mode = 0;
	result(v == want && (st.st_mode & 0777) == 0444, name, "%ld (mode %o), want %ld (mode 444)",
	       v, (unsigned int)(st.st_mode & 0777), want);
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
	result(strstr(log, "ibmvmc: parameters out of range clamped") != NULL,
	       "clamping warning logged", "none in the kernel log");
	return vmc_finish();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM test program: checks from user space that ibmvmc is (or is not) loaded and live.
 *   module_state live     /proc/modules lists "ibmvmc ... Live" and /sys/module/ibmvmc exists
 *   module_state absent   neither lists it
 * Exit 0 when the state is as expected, 1 otherwise (with the reason on stderr).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int listed_live(void)
{
	char line[512], name[64], state[32];
	FILE *f = fopen("/proc/modules", "r");
	int live = 0;

	if (!f) {
		perror("module_state: /proc/modules");
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		/* name size refcount users state address */
		if (sscanf(line, "%63s %*s %*s %*s %31s", name, state) == 2 &&
		    !strcmp(name, "ibmvmc"))
			live = !strcmp(state, "Live") ? 1 : 2;
	}
	fclose(f);
	return live;
}

int main(int argc, char **argv)
{
	struct stat st;
	int want_live, listed, in_sysfs;

	if (argc != 2 || (strcmp(argv[1], "live") && strcmp(argv[1], "absent"))) {
		fprintf(stderr, "usage: module_state live|absent\n");
		return 2;
	}
	want_live = !strcmp(argv[1], "live");
	listed = listed_live();
	in_sysfs = stat("/sys/module/ibmvmc", &st) == 0;
	if (listed < 0)
		return 1;
	if (want_live && (listed != 1 || !in_sysfs)) {
		fprintf(stderr, "module_state: want live, /proc/modules=%d sysfs=%d\n",
			listed, in_sysfs);
		return 1;
	}
	if (!want_live && (listed != 0 || in_sysfs)) {
		fprintf(stderr, "module_state: want absent, /proc/modules=%d sysfs=%d\n",
			listed, in_sysfs);
		return 1;
	}
	printf("module_state: %s as expected\n", argv[1]);
	return 0;
}

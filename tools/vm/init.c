// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /init of the test VMs (a static binary, C so that it builds for both architectures
 * with nothing but a cross gcc). It mounts what the tests
 * need, then follows /plan line by line and reports each step on the console as a
 * "@@ " line that tools/vm/run.sh parses:
 *
 *   load FILE.ko [PARAMS...]   finit_module()           -> @@ load FILE rc=N errno=E
 *   unload NAME                delete_module()          -> @@ unload NAME rc=N errno=E
 *   refuse FILE.ko ERRNO [PARAMS...]
 *                              finit_module() must fail with ERRNO (a name: EKEYREJECTED,
 *                              ENOKEY, ENOEXEC, EINVAL, EPERM, EEXIST, ENOMEM)
 *                                                       -> @@ refuse FILE rc=N errno=E want=W
 *   run PROGRAM [ARGS...]      fork, exec, wait         -> @@ run-begin PROGRAM, the
 *                                                          program's output (TAP for
 *                                                          most), @@ run PROGRAM status=N
 *   leakcheck                  kmemleak scan after the minimum object age, report printed
 *   dump FILE NAME             the file's bytes in hex -> @@ dump-begin NAME .. @@ dump-end NAME
 *                              (tools/vm/run.sh writes them to <out>/NAME)
 *   # ...                      comment
 *
 * Then it prints the whole kernel log between "@@ dmesg-begin" and "@@ dmesg-end" and
 * reboots, which QEMU (-no-reboot) turns into an exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 32
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

/* The kernel's macro, which user space does not have (tools/check/c.sh accepts it). */
#define __printf(a, b) __attribute__((format(printf, a, b)))

static void say(const char *fmt, ...) __printf(1, 2);
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("\n@@ ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		say("note write %s failed errno=%d", path, errno);
	if (fd >= 0)
		close(fd);
}

static void cat_file(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	fflush(stdout);
}

static int split(char *line, char **argv)
{
	int argc = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t\n", &save); tok && argc < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return argc;
}

static void do_load(int argc, char **argv)
{
	char params[1024] = "";
	int fd, rc, i;

	for (i = 2; i < argc; i++) {
		strncat(params, argv[i], sizeof(params) - strlen(params) - 2);
		strcat(params, " ");
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("load %s rc=-1 errno=%d", argv[1], errno);
		return;
	}
	rc = syscall(SYS_finit_module, fd, params, 0);
	say("load %s rc=%d errno=%d", argv[1], rc, rc ? errno : 0);
	close(fd);
}

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EKEYREJECTED", EKEYREJECTED }, { "ENOKEY", ENOKEY }, { "ENOEXEC", ENOEXEC },
	{ "EINVAL", EINVAL }, { "EPERM", EPERM }, { "EEXIST", EEXIST },
	{ "ENOMEM", ENOMEM },
};

static void do_refuse(int argc, char **argv)
{
	const char *file = argv[1], *name = argv[2];
	char params[1024] = "";
	int fd, rc, want = -1;
	size_t i;

	for (i = 3; i < (size_t)argc; i++) {
		strncat(params, argv[i], sizeof(params) - strlen(params) - 2);
		strcat(params, " ");
	}
	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (!strcmp(errnos[i].name, name))
			want = errnos[i].value;
	if (want < 0) {
		say("error refuse: unknown errno name %s", name);
		return;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("refuse %s rc=-1 errno=%d want=%d (cannot open)", file, errno, want);
		return;
	}
	rc = syscall(SYS_finit_module, fd, params, 0);
	say("refuse %s rc=%d errno=%d want=%d", file, rc, rc ? errno : 0, want);
	close(fd);
}

static void do_unload(const char *name)
{
	int rc = syscall(SYS_delete_module, name, O_NONBLOCK);

	say("unload %s rc=%d errno=%d", name, rc, rc ? errno : 0);
}

static void do_run(char **argv)
{
	int status;
	pid_t pid;

	say("run-begin %s", argv[0]);
	pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		say("run %s status=-1", argv[0]);
		return;
	}
	if (WIFEXITED(status))
		say("run %s status=%d", argv[0], WEXITSTATUS(status));
	else
		say("run %s status=signal-%d", argv[0], WTERMSIG(status));
}

/* Binary files (a trace) leave the VM as hex lines on the console. */
static void do_dump(const char *path, const char *name)
{
	unsigned char buf[32];
	long total = 0;
	ssize_t n, i;
	int fd = open(path, O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		say("error dump %s errno=%d", path, errno);
		return;
	}
	say("dump-begin %s", name);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			printf("%02x", buf[i]);
		putchar('\n');
		total += n;
	}
	if (n < 0 && errno != EAGAIN)
		say("error dump %s read errno=%d", path, errno);
	close(fd);
	say("dump-end %s bytes=%ld", name, total);
}

static void do_leakcheck(void)
{
	/* kmemleak only reports objects older than 5 s; scan twice past that. */
	if (access("/sys/kernel/debug/kmemleak", W_OK)) {
		say("error kmemleak unavailable errno=%d", errno);
		return;
	}
	sleep(6);
	write_file("/sys/kernel/debug/kmemleak", "scan");
	write_file("/sys/kernel/debug/kmemleak", "scan");
	say("leakcheck-begin");
	cat_file("/sys/kernel/debug/kmemleak");
	say("leakcheck-end");
}

int main(void)
{
	char line[1024], *argv[MAX_ARGS];
	FILE *plan;
	int n;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	/* Forget what the kernel's own boot left for kmemleak: only leaks after now count. */
	write_file("/sys/kernel/debug/kmemleak", "clear");
	{
		char up[64] = "?";
		int fd = open("/proc/uptime", O_RDONLY);

		if (fd >= 0) {
			n = read(fd, up, sizeof(up) - 1);
			up[n > 0 ? n : 0] = 0;
			close(fd);
		}
		say("init-start uptime=%s", strtok(up, "\n ") ?: "?");
	}

	plan = fopen("/plan", "r");
	if (!plan) {
		say("error no /plan");
	} else {
		while (fgets(line, sizeof(line), plan)) {
			n = split(line, argv);
			if (n == 0 || argv[0][0] == '#')
				continue;
			if (!strcmp(argv[0], "load") && n >= 2)
				do_load(n, argv);
			else if (!strcmp(argv[0], "unload") && n == 2)
				do_unload(argv[1]);
			else if (!strcmp(argv[0], "refuse") && n >= 3)
				do_refuse(n, argv);
			else if (!strcmp(argv[0], "run") && n >= 2)
				do_run(argv + 1);
			else if (!strcmp(argv[0], "dump") && n == 3)
				do_dump(argv[1], argv[2]);
			else if (!strcmp(argv[0], "leakcheck"))
				do_leakcheck();
			else
				say("error bad plan line: %s", argv[0]);
		}
		fclose(plan);
	}

	n = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	if (n > 0) {
		char *log = malloc(n);

		if (log) {
			n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, n);
			say("dmesg-begin");
			if (n > 0)
				fwrite(log, 1, n, stdout);
			say("dmesg-end");
			free(log);
		}
	}
	say("done");
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}

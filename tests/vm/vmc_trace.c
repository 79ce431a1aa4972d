// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trace's debugfs files and run-time level, as a reader sees them:
 *   - every open starts with the stream header ("VMCTRACE", version 1, 64 bytes);
 *   - trace_pipe: O_NONBLOCK gives EAGAIN when drained, poll() says POLLIN when a frame
 *     arrives, a blocked read() is woken by a new frame, EFAULT loses nothing;
 *   - trace_snapshot shows what is not drained yet and does not drain it, trace drains
 *     and ends with end of file, a write to
 *     trace clears the ring, lseek gives ESPIPE;
 *   - /sys/module/ibmvmc/parameters/trace_level: names and numbers, EINVAL for others,
 *     and at "off" no frame is kept.
 * A frame is made on demand with VMC_IOCTL_REQUESTVMC (its hcall is traced at debug).
 *   vmc_trace        prints "vmc_trace: N checks, 0 failed", exit 0 on success
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sys/wait.h>

#define TRACE_DIR VMC_DEBUGFS "/ibmvmc/"
#define LEVEL_PARAM "/sys/module/ibmvmc/parameters/trace_level"
#define HEADER_LEN 64

static int open_trace(const char *name, int flags)
{
	char path[128];

	snprintf(path, sizeof(path), TRACE_DIR "%s", name);
	return open(path, flags);
}

/* Reads until end of file or EAGAIN; returns the bytes read, -1 on another error. */
static long read_all(int fd, unsigned char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t n;

	while (got < cap && (n = read(fd, buf + got, cap - got)) > 0)
		got += n;
	if (got < cap && n < 0 && errno != EAGAIN)
		return -1;
	return got;
}

/* Length of a whole file (header and frames) read from a fresh open. */
static long file_len(const char *name)
{
	static unsigned char buf[1 << 17];
	int fd = open_trace(name, O_RDONLY | O_NONBLOCK);
	long n;

	if (fd < 0)
		return -1;
	n = read_all(fd, buf, sizeof(buf));
	close(fd);
	return n;
}

static void make_frame(void)
{
	int fd = open(VMC_DEV, O_RDWR);
	__u32 drc;

	if (fd >= 0) {
		ioctl(fd, VMC_IOCTL_REQUESTVMC, &drc);
		close(fd);
	}
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return rc;
}

static int level_is(const char *want)
{
	char got[32] = "";
	int fd = open(LEVEL_PARAM, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, got, sizeof(got) - 1);

	if (fd >= 0)
		close(fd);
	if (n > 0 && got[n - 1] == '\n')
		got[n - 1] = 0;
	return n > 0 && !strcmp(got, want);
}

int main(void)
{
	static unsigned char buf[1 << 17];
	unsigned char small[HEADER_LEN];
	void *bad = bad_pointer();
	int pipe_fd, fd, status;
	long n, a, b;
	pid_t child;

	ensure_debugfs();
	check(write_str(LEVEL_PARAM, "debug\n") == 0 && level_is("debug"), "level debug");

	/* trace_pipe: header first, then drained: EAGAIN and no POLLIN. */
	pipe_fd = open_trace("trace_pipe", O_RDONLY | O_NONBLOCK);
	check(pipe_fd >= 0, "open trace_pipe");
	n = read(pipe_fd, small, sizeof(small));
	check(n == HEADER_LEN && !memcmp(small, "VMCTRACE", 8) && small[8] == 1, "pipe header");
	check(small[24] == 16, "header carries a 16-byte trace id");
	/* the anchor (bytes 16..24): 16 bits of its address, never a kernel address */
	check(!small[18] && !small[19] && !small[20] && !small[21] && !small[22] && !small[23],
	      "header: the anchor carries 16 address bits only");
	read_all(pipe_fd, buf, sizeof(buf));
	check(read(pipe_fd, buf, sizeof(buf)) < 0 && errno == EAGAIN, "drained pipe: EAGAIN");
	check(poll_fd(pipe_fd, POLLIN, 0) == 0, "drained pipe: no POLLIN");
	check(lseek(pipe_fd, 0, SEEK_SET) < 0 && errno == ESPIPE, "lseek: ESPIPE");

	/* A new frame: POLLIN, and the read ends with a frame's 0x00. */
	make_frame();
	check(poll_fd(pipe_fd, POLLIN, 2000) > 0, "new frame: POLLIN");
	n = read(pipe_fd, buf, sizeof(buf));
	check(n > 1 && buf[n - 1] == 0 && buf[0] != 0, "new frame read whole");

	/*
	 * A read too short for the next frame: EINVAL at once (it used to spin in the
	 * kernel for ever on trace_pipe, and say end of file on trace and trace_snapshot),
	 * and the frame stays for a read that can take it. alarm(): a spin fails the test.
	 */
	make_frame();
	alarm(10);
	check(read(pipe_fd, small, 1) < 0 && errno == EINVAL, "pipe, 1-byte read of a frame: EINVAL");
	fd = open_trace("trace_snapshot", O_RDONLY);
	check(fd >= 0 && read(fd, buf, HEADER_LEN) == HEADER_LEN, "snapshot header");
	check(read(fd, small, 1) < 0 && errno == EINVAL, "snapshot, 1-byte read of a frame: EINVAL");
	close(fd);
	fd = open_trace("trace", O_RDONLY);
	check(fd >= 0 && read(fd, buf, HEADER_LEN) == HEADER_LEN, "trace header");
	check(read(fd, small, 1) < 0 && errno == EINVAL, "trace, 1-byte read of a frame: EINVAL");
	close(fd);
	alarm(0);
	n = read(pipe_fd, buf, sizeof(buf));
	check(n > 1 && buf[n - 1] == 0, "frame kept after the short reads");

	/* EFAULT keeps the frame for the next read. */
	make_frame();
	check(read(pipe_fd, bad, 4096) < 0 && errno == EFAULT, "bad buffer: EFAULT");
	n = read(pipe_fd, buf, sizeof(buf));
	check(n > 1 && buf[n - 1] == 0, "frame kept after EFAULT");

	/* A blocked read is woken by a new frame. */
	child = fork();
	if (child == 0) {
		int blocking = open_trace("trace_pipe", O_RDONLY);

		alarm(10);
		if (blocking < 0 || read(blocking, small, sizeof(small)) != HEADER_LEN)
			_exit(2);
		_exit(read(blocking, buf, sizeof(buf)) > 0 ? 0 : 3);
	}
	sleep_ms(300);
	make_frame();
	check(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0,
	      "blocked read woken by a frame");

	/* trace_snapshot shows what is not drained, without draining; trace drains it. */
	file_len("trace");
	check(file_len("trace_snapshot") == HEADER_LEN, "snapshot after drain: header only");
	make_frame();
	a = file_len("trace_snapshot");
	b = file_len("trace_snapshot");
	check(a > HEADER_LEN && a == b, "snapshot twice: same frames");
	n = file_len("trace");
	check(n == a, "trace drains what the snapshot showed");
	check(file_len("trace") == HEADER_LEN, "trace after drain: header only");
	check(read(pipe_fd, buf, sizeof(buf)) < 0 && errno == EAGAIN, "pipe drained by trace");

	/* A write to trace clears the ring. */
	make_frame();
	check(file_len("trace_snapshot") > HEADER_LEN, "frame before clear");
	fd = open_trace("trace", O_WRONLY);
	check(fd >= 0 && write(fd, "\n", 1) == 1, "write to trace");
	if (fd >= 0)
		close(fd);
	check(file_len("trace_snapshot") == HEADER_LEN, "cleared: header only");

	/* Level: names, numbers, EINVAL; off keeps nothing. */
	check(write_str(LEVEL_PARAM, "bogus") < 0 && errno == EINVAL, "level bogus: EINVAL");
	check(write_str(LEVEL_PARAM, "2") == 0 && level_is("warn"), "level 2 is warn");
	check(write_str(LEVEL_PARAM, "off") == 0 && level_is("off"), "level off");
	make_frame();
	check(file_len("trace_snapshot") == HEADER_LEN, "off: nothing kept");
	check(write_str(LEVEL_PARAM, "debug") == 0 && level_is("debug"), "level back to debug");
	make_frame();
	check(file_len("trace_snapshot") > HEADER_LEN, "debug again: frames kept");

	close(pipe_fd);
	return vmc_finish();
}

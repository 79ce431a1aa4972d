// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The helpers of vmc_common.h, shared by the VM test programs (linked into each by
 * tools/vm/build-progs.sh).
 */
#define _GNU_SOURCE
#include "vmc_common.h"

const unsigned char hmc_exchange_ops_data[4] = { 0x00, 0x00, 0x00, 0x07 };

/*
 * An address no process has mapped (1), for the EFAULT checks, hidden from the compiler
 * (as the kernel's OPTIMIZER_HIDE_VAR()) so that passing it to read() or write() draws
 * no compile-time warning.
 */
void *bad_pointer(void)
{
	void *p = (void *)1;

	__asm__ ("" : "+r" (p));
	return p;
}

/* ---- HMC framing ---- */

void put_be16(unsigned char *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

uint16_t get_be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Builds an HMC request to the command router in buf: header plus data_len bytes of
 * data (copied from data unless it is NULL, in which case buf+32 is left as it is).
 * Returns the message length.
 */
size_t hmc_build(unsigned char *buf, uint16_t opcode, uint32_t token,
				   const unsigned char *data, size_t data_len)
{
	memset(buf, 0, HMC_HDR_LEN);
	buf[0] = 0xDE;
	buf[1] = 0xCA;
	buf[2] = 0xFF;
	buf[3] = HMC_HDR_LEN;
	put_be32(buf + 4, (uint32_t)(HMC_HDR_LEN + data_len));
	put_be32(buf + 8, token);
	put_be16(buf + 12, HMC_TARGET_ROUTER);
	buf[15] = HMC_FLAG_RESPONSE_EXPECTED;
	put_be32(buf + 16, (uint32_t)data_len);
	put_be16(buf + 20, opcode);
	if (data && data_len)
		memcpy(buf + HMC_HDR_LEN, data, data_len);
	return HMC_HDR_LEN + data_len;
}

int hmc_is_framed(const unsigned char *msg, size_t len)
{
	return len >= HMC_HDR_LEN && msg[0] == 0xDE && msg[1] == 0xCA && msg[2] == 0xFF &&
	       msg[3] == HMC_HDR_LEN;
}

/*
 * Checks that resp (resp_len bytes) is the router's good answer to req: same token,
 * target and opcode, response flag set, lengths consistent, return code 0, and data
 * equal to want (want_len bytes). Returns NULL when it is, else what is wrong.
 */
const char *hmc_check_response(const unsigned char *req,
						  const unsigned char *resp, size_t resp_len,
						  const unsigned char *want, size_t want_len)
{
	static char why[128];

	if (!hmc_is_framed(resp, resp_len))
		return "response not HMC-framed";
	if (get_be32(resp + 4) != resp_len)
		return "total length field != message length";
	if (get_be32(resp + 16) != resp_len - HMC_HDR_LEN)
		return "data length field != message length - 32";
	if (get_be32(resp + 8) != get_be32(req + 8))
		return "correlation token changed";
	if (get_be16(resp + 12) != get_be16(req + 12))
		return "target changed";
	if (get_be16(resp + 20) != get_be16(req + 20))
		return "opcode changed";
	if (!(resp[15] & HMC_FLAG_RESPONSE) || (resp[15] & HMC_FLAG_RESPONSE_EXPECTED))
		return "flags are not a response's";
	if (get_be16(resp + 22) != HMC_RC_GOOD) {
		snprintf(why, sizeof(why), "return code 0x%04x", get_be16(resp + 22));
		return why;
	}
	if (resp_len - HMC_HDR_LEN != want_len) {
		snprintf(why, sizeof(why), "data length %zu, want %zu", resp_len - HMC_HDR_LEN,
			 want_len);
		return why;
	}
	if (want_len && memcmp(resp + HMC_HDR_LEN, want, want_len))
		return "data differs";
	return NULL;
}

/* ---- message patterns ---- */

/* Fills len bytes from seed; the result is never HMC-framed (so raw-echoed). */
void pattern_fill(unsigned char *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 0x9E3779B9u;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	if (len && buf[0] == 0xDE)
		buf[0] = 0x21;
}

/* Index of the first byte that differs from pattern_fill(seed), or -1. */
long pattern_check(const unsigned char *buf, size_t len, uint32_t seed)
{
	unsigned char want[16384];
	size_t i;

	if (len > sizeof(want))
		return 0;
	pattern_fill(want, len, seed);
	for (i = 0; i < len; i++)
		if (buf[i] != want[i])
			return (long)i;
	return -1;
}

/* ---- errno names and their meaning for this device ---- */

const char *errno_name(int e)
{
	static char other[24];

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case EBADFD: return "EBADFD";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOBUFS: return "ENOBUFS";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENXIO: return "ENXIO";
	case EACCES: return "EACCES";
	}
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* ---- time ---- */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t now_ms(void)
{
	return now_ns() / 1000000ull;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- the device ---- */

/* Mounts debugfs if /init did not (it does: tools/vm/init.c). */
/*
 * The device's MTU, the largest read it accepts (a larger read is EINVAL, as in the C
 * driver): the max_mtu module parameter, 4096 if it cannot be read.
 */
size_t device_mtu(void)
{
	FILE *f = fopen("/sys/module/ibmvmc/parameters/max_mtu", "r");
	long v = 0;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v >= 4096 && v <= 16384 ? (size_t)v : 4096;
}

void ensure_debugfs(void)
{
	struct stat st;

	if (stat(VMC_DEBUGFS "/ibmvmc", &st) == 0)
		return;
	mount("debugfs", VMC_DEBUGFS, "debugfs", 0, NULL);
}

/* Writes string s to file path (a sysfs, debugfs or procfs knob). 0, or -errno. */
int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/*
 * One command to the simulator: the x86_64 module's debugfs file, else QEMU's
 * spapr-vmc device through vmc_hvctl.ko. 0, or -errno.
 */
int sim_cmd(const char *fmt, ...)
{
	char cmd[128];
	va_list ap;
	int fd, n, rc = 0;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ensure_debugfs();
	fd = open(VMC_SIM, O_WRONLY);
	if (fd < 0 && errno == ENOENT)
		fd = open(VMC_HVCTL, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, (size_t)n) != n)
		rc = -errno;
	close(fd);
	return rc;
}

/* Value of line "name value" in a debugfs file, or -1 if absent. */
long long debugfs_value(const char *path, const char *name)
{
	char line[256], key[128];
	long long value, found = -1;
	FILE *f;

	ensure_debugfs();
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", key, &value) == 2 && !strcmp(key, name))
			found = value;
	fclose(f);
	return found;
}

long long stat_value(const char *name)
{
	return debugfs_value(VMC_STATS, name);
}

/*
 * A counter of the simulator's. Through QEMU's spapr-vmc device only whether the
 * partition broke the protocol is known: "protocol_errors" is then 0 or 1 (at least
 * one); any other counter is -1 there.
 */
long long sim_value(const char *name)
{
	long long value = debugfs_value(VMC_SIM, name);

	if (value < 0 && !strcmp(name, "protocol_errors") && access(VMC_HVCTL, W_OK) == 0)
		value = sim_cmd("expect_clean") == 0 ? 0 : 1;
	return value;
}

/* poll() one fd for events, at most timeout_ms. revents, 0 on timeout, -errno. */
int poll_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? p.revents : 0;
}

/* Waits (up to timeout_ms) until QUERY reports the driver ready. 0, or -errno. */
int wait_driver_ready(int fd, int timeout_ms, struct ibmvmc_query_struct *q)
{
	uint64_t end = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		if (ioctl(fd, VMC_IOCTL_QUERY, q))
			return -errno;
		if (q->state == IBMVMC_STATE_READY)
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		sleep_ms(10);
	}
}

/* An HMC ID: "vmctest-<tag>-<pid>", zero-padded to 32 bytes. */
void make_hmc_id(unsigned char id[HMC_ID_LEN], const char *tag)
{
	memset(id, 0, HMC_ID_LEN);
	snprintf((char *)id, HMC_ID_LEN, "vmctest-%s-%d", tag, (int)getpid());
}

/*
 * SETHMCID, retried for up to timeout_ms while the answer is temporary: EAGAIN (driver
 * not ready: handshake or reset), EBUSY (every connection taken, e.g. the previous
 * program's close still waits for its Close Response), ENOBUFS (no buffer from the
 * hypervisor yet). 0, or -errno of the last attempt.
 */
int set_hmc_id_retry(int fd, const unsigned char id[HMC_ID_LEN],
				       int timeout_ms)
{
	uint64_t end = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		if (ioctl(fd, VMC_IOCTL_SETHMCID, id) == 0)
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != ENOBUFS)
			return -errno;
		if (now_ms() >= end)
			return -errno;
		sleep_ms(5);
	}
}

/*
 * open + SETHMCID + wait for POLLOUT (open complete). The fd, or -errno with *what set
 * to the step that failed.
 */
int open_session(const char *tag, int timeout_ms, const char **what)
{
	unsigned char id[HMC_ID_LEN];
	int fd, rc;

	fd = open(VMC_DEV, O_RDWR);
	if (fd < 0) {
		*what = "open " VMC_DEV;
		return -errno;
	}
	make_hmc_id(id, tag);
	rc = set_hmc_id_retry(fd, id, timeout_ms);
	if (rc) {
		*what = "ioctl SETHMCID";
		close(fd);
		return rc;
	}
	rc = poll_fd(fd, POLLOUT, timeout_ms);
	if (rc <= 0 || !(rc & POLLOUT)) {
		*what = rc == 0 ? "poll POLLOUT (open never completed)"
				: rc < 0 ? "poll" : "poll POLLOUT (hung up: open refused or reset)";
		close(fd);
		return rc < 0 ? rc : rc == 0 ? -ETIMEDOUT : -EBADFD;
	}
	return fd;
}

/*
 * One round trip: write len bytes of msg, wait (poll, timeout_ms) for a message, read it
 * into reply (cap bytes). The reply length, or -errno with *what set.
 */
long round_trip(int fd, const unsigned char *msg, size_t len,
				  unsigned char *reply, size_t cap, int timeout_ms,
				  const char **what)
{
	ssize_t n;
	int rc;

	n = write(fd, msg, len);
	if (n < 0) {
		*what = "write";
		return -errno;
	}
	if ((size_t)n != len) {
		*what = "write (short)";
		return -EIO;
	}
	rc = poll_fd(fd, POLLIN, timeout_ms);
	if (rc <= 0 || !(rc & POLLIN)) {
		*what = rc == 0 ? "poll POLLIN (no reply)" : rc < 0 ? "poll" : "poll (hung up)";
		return rc < 0 ? rc : rc == 0 ? -ETIMEDOUT : -EBADFD;
	}
	n = read(fd, reply, cap);
	if (n < 0) {
		*what = "read";
		return -errno;
	}
	return (long)n;
}

/*
 * The HMC router's exchange ops (or close, with op HMC_OP_CLOSE) on an open session.
 * NULL on success, else what went wrong.
 */
const char *hmc_command(int fd, uint16_t op, uint32_t token, size_t mtu)
{
	static char why[160];
	unsigned char req[HMC_HDR_LEN], resp[16384];
	const char *what = "";
	const char *bad;
	size_t len = hmc_build(req, op, token, NULL, 0);
	long n = round_trip(fd, req, len, resp, mtu < sizeof(resp) ? mtu : sizeof(resp), 5000,
			    &what);

	if (n < 0) {
		snprintf(why, sizeof(why), "%s: %s", what, errno_name((int)-n));
		return why;
	}
	if (op == HMC_OP_EXCHANGE_OPS)
		bad = hmc_check_response(req, resp, (size_t)n, hmc_exchange_ops_data,
					 sizeof(hmc_exchange_ops_data));
	else
		bad = hmc_check_response(req, resp, (size_t)n, NULL, 0);
	if (bad) {
		snprintf(why, sizeof(why), "HMC op 0x%04x: %s", op, bad);
		return why;
	}
	return NULL;
}

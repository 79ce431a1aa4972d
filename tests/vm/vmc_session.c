// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM test program: one basic /dev/ibmvmc session driven with select(), the way a
 * classic management application does it (the C driver's poll() never reported
 * POLLOUT, so such an application hung; defect 8).
 *
 *   vmc_session [-n N] [-m MTU] [-f CALL:RC]
 *       N echoes (default 1000), MTU of the load (default 4096); -f: once the session
 *       is open, the simulator fails the next CALL (copy_rdma, send_crq) with hcall
 *       return code RC, and the next write must fail with EIO or EBUSY
 *
 * open, QUERY (have_vmc 1, state 3), SETHMCID (retried while EAGAIN/EBUSY/ENOBUFS, 5 s),
 * select() until writable (the open completed), HMC exchange ops, N echoes with sizes
 * cycling over 1..MTU (raw, and HMC-framed echo for every third one of 32 bytes or
 * more), each reply awaited with select() and read with an MTU buffer and checked byte
 * for byte, HMC close, close().
 * Prints one summary line; exit 0 if all went well, 1 with a message naming the errno.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sys/select.h>

static const char *prog = "vmc_session";

static void fail(const char *what, int err)
{
	printf("%s: FAIL %s: %s (%s)\n", prog, what, errno_name(err), strerror(err));
	exit(1);
}

/* select() for one fd; 1 ready, 0 timeout, -errno. */
static int select_fd(int fd, int for_write, int timeout_ms)
{
	fd_set set;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	int n;

	FD_ZERO(&set);
	FD_SET(fd, &set);
	n = select(fd + 1, for_write ? NULL : &set, for_write ? &set : NULL, NULL, &tv);
	if (n < 0)
		return -errno;
	return n > 0 && FD_ISSET(fd, &set);
}

/* write, select() readable, read with an MTU buffer: the reply's length. */
static size_t exchange(int fd, const unsigned char *msg, size_t len, unsigned char *reply,
		       size_t mtu, const char *what)
{
	char step[96];
	ssize_t n;
	int rc;

	n = write(fd, msg, len);
	if (n < 0) {
		snprintf(step, sizeof(step), "write %zu bytes (%s)", len, what);
		fail(step, errno);
	}
	if ((size_t)n != len) {
		printf("%s: FAIL write %zu bytes returned %zd\n", prog, len, n);
		exit(1);
	}
	rc = select_fd(fd, 0, 5000);
	if (rc <= 0) {
		snprintf(step, sizeof(step), "select readable after %s", what);
		fail(step, rc ? -rc : ETIMEDOUT);
	}
	n = read(fd, reply, mtu);
	if (n < 0) {
		snprintf(step, sizeof(step), "read (%s)", what);
		fail(step, errno);
	}
	return (size_t)n;
}

/* An HMC router command without data (exchange ops, close), through select(). */
static void hmc_op(int fd, uint16_t op, uint32_t token, unsigned char *reply, size_t mtu,
		   const char *name)
{
	unsigned char req[HMC_HDR_LEN];
	size_t got, len = hmc_build(req, op, token, NULL, 0);
	const char *bad;

	got = exchange(fd, req, len, reply, mtu, name);
	if (op == HMC_OP_EXCHANGE_OPS)
		bad = hmc_check_response(req, reply, got, hmc_exchange_ops_data,
					 sizeof(hmc_exchange_ops_data));
	else
		bad = hmc_check_response(req, reply, got, NULL, 0);
	if (bad) {
		printf("%s: FAIL %s: %s\n", prog, name, bad);
		exit(1);
	}
}

static size_t echo_size(unsigned int i, size_t mtu)
{
	static const size_t first[] = { 1, 2, 31, 32, 33, 64, 4095, 4096 };

	if (i < ARRAY_SIZE(first))
		return first[i] <= mtu ? first[i] : mtu;
	if (i % 50 == 0)
		return mtu;
	return 1 + ((size_t)i * 7919u) % mtu;
}

int main(int argc, char **argv)
{
	unsigned int n_echoes = 1000, framed = 0, raw = 0, i;
	size_t mtu = 4096, len, got;
	unsigned long long bytes = 0;
	struct ibmvmc_query_struct q;
	unsigned char id[HMC_ID_LEN];
	unsigned char *msg, *reply;
	const char *bad;
	uint64_t t0;
	const char *fault = NULL;
	int fd, rc, opt;

	while ((opt = getopt(argc, argv, "n:m:f:")) != -1) {
		if (opt == 'f')
			fault = optarg;
		else if (opt == 'n')
			n_echoes = (unsigned int)strtoul(optarg, NULL, 0);
		else if (opt == 'm')
			mtu = strtoul(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: %s [-n N] [-m MTU] [-f CALL:RC]\n", prog);
			return 2;
		}
	}
	if (mtu < HMC_HDR_LEN || mtu > IBMVMC_MAX_MTU) {
		fprintf(stderr, "%s: MTU out of range\n", prog);
		return 2;
	}
	msg = malloc(mtu);
	reply = malloc(mtu);
	if (!msg || !reply)
		fail("malloc", ENOMEM);
	t0 = now_ms();

	fd = open(VMC_DEV, O_RDWR);
	if (fd < 0)
		fail("open " VMC_DEV, errno);
	rc = wait_driver_ready(fd, 5000, &q);
	if (rc == -ETIMEDOUT) {
		printf("%s: FAIL QUERY: state %d after 5 s, want 3 (ready)\n", prog, q.state);
		return 1;
	}
	if (rc)
		fail("ioctl QUERY", -rc);
	if (q.have_vmc != 1 || q.state != IBMVMC_STATE_READY) {
		printf("%s: FAIL QUERY: have_vmc %d state %d, want 1 3\n", prog, q.have_vmc, q.state);
		return 1;
	}

	make_hmc_id(id, "session");
	rc = set_hmc_id_retry(fd, id, 5000);
	if (rc)
		fail("ioctl SETHMCID", -rc);
	rc = select_fd(fd, 1, 5000);
	if (rc <= 0)
		fail("select writable (the open never completed)", rc ? -rc : ETIMEDOUT);

	if (fault) {
		/* CALL:RC armed for this write's hcall: the write fails, nothing is lost. */
		char call[32];
		int hrc;

		if (sscanf(fault, "%31[a-z_]:%d", call, &hrc) != 2)
			fail("-f CALL:RC", EINVAL);
		rc = sim_cmd("fail %s %d 1", call, hrc);
		if (rc)
			fail("arming the fault", -rc);
		memset(msg, 0x5A, 64);
		if (write(fd, msg, 64) >= 0) {
			printf("%s: FAIL the first write succeeded despite the armed fault\n", prog);
			return 1;
		}
		if (errno != EIO && errno != EBUSY)
			fail("first write (armed fault): not EIO or EBUSY", errno);
		printf("%s: the first write failed as armed: %s\n", prog, errno_name(errno));
	}

	hmc_op(fd, HMC_OP_EXCHANGE_OPS, 0x5E550001, reply, mtu, "HMC exchange ops");

	for (i = 0; i < n_echoes; i++) {
		len = echo_size(i, mtu);
		if (len >= HMC_HDR_LEN && i % 3 == 0) {
			pattern_fill(msg + HMC_HDR_LEN, len - HMC_HDR_LEN, i);
			hmc_build(msg, HMC_OP_ECHO, i, NULL, len - HMC_HDR_LEN);
			got = exchange(fd, msg, len, reply, mtu, "HMC echo");
			bad = hmc_check_response(msg, reply, got, msg + HMC_HDR_LEN,
						 len - HMC_HDR_LEN);
			if (bad) {
				printf("%s: FAIL echo %u (HMC, %zu bytes): %s\n", prog, i, len, bad);
				return 1;
			}
			framed++;
		} else {
			pattern_fill(msg, len, i);
			got = exchange(fd, msg, len, reply, mtu, "raw echo");
			if (got != len) {
				printf("%s: FAIL echo %u: %zu bytes back, sent %zu\n", prog, i, got, len);
				return 1;
			}
			if (memcmp(msg, reply, len)) {
				printf("%s: FAIL echo %u (%zu bytes): byte %ld differs\n", prog, i, len,
				       pattern_check(reply, len, i));
				return 1;
			}
			raw++;
		}
		bytes += len;
	}

	hmc_op(fd, HMC_OP_CLOSE, 0x5E550002, reply, mtu, "HMC close");
	if (close(fd))
		fail("close", errno);
	printf("%s: ok: %u echoes (%u HMC-framed, %u raw, %llu bytes, MTU %zu) in %llu ms\n",
	       prog, n_echoes, framed, raw, bytes, mtu, (unsigned long long)(now_ms() - t0));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A minimal management application for /dev/ibmvmc, written against nothing but the
 * uapi header (<ibmvmc.h>, src/uapi/) and libc, the way an application developer would
 * start: select() for every wait, one message per write() and per read().
 *
 *   cc -I src/uapi -o vmc_example tests/vm/<this file>
 *   vmc_example [HMC-ID]
 *
 * 1. open /dev/ibmvmc, VMC_IOCTL_QUERY: is there a VMC and is the driver ready?
 * 2. VMC_IOCTL_SETHMCID with a 32-byte HMC ID (EAGAIN/ENOBUFS/EBUSY: not yet, try again);
 * 3. select() for writable: the hypervisor accepted the open, unless poll() then says
 *    POLLHUP|POLLERR (it refused it or the channel was reset: select() shows a hung-up
 *    file as readable and writable, not in its exception set);
 * 4. send one message, select() for readable, read the answer with a buffer of the
 *    device's MTU (/sys/module/ibmvmc/parameters/max_mtu): the example sends an HMC
 *    "exchange ops" request, which the simulator and a real HMC-side peer answer;
 * 5. close(): the driver sends Interface Close.
 * Exit 0 when the answer came back, 1 with the failing step and errno otherwise. The
 * test suite (tests/vm/session.plan) runs it against the simulator.
 */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

#include <ibmvmc.h>

static int fail(const char *step)
{
	fprintf(stderr, "vmc_example: %s: %s\n", step, strerror(errno));
	return 1;
}

/* Waits until fd is readable (for_write 0) or writable (1): 1, 0 on timeout, -1. */
static int wait_fd(int fd, int for_write, int seconds)
{
	fd_set rd, wr;
	struct timeval tv = { seconds, 0 };
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	int n;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, for_write ? &wr : &rd);
	n = select(fd + 1, &rd, &wr, NULL, &tv);
	/*
	 * A refused open or a reset (POLLHUP|POLLERR) makes the file readable and writable
	 * for select(), never "exceptional" (Linux's exception set is POLLPRI): ask poll()
	 * which it is before reading or writing.
	 */
	if (n > 0 && poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR))) {
		errno = ECONNRESET;
		return -1;
	}
	return n;
}

static size_t device_mtu(void)
{
	FILE *f = fopen("/sys/module/ibmvmc/parameters/max_mtu", "r");
	long mtu = 4096;

	if (f) {
		if (fscanf(f, "%ld", &mtu) != 1)
			mtu = 4096;
		fclose(f);
	}
	return mtu >= 4096 && mtu <= 16384 ? (size_t)mtu : 4096;
}

int main(int argc, char **argv)
{
	struct ibmvmc_query_struct query;
	unsigned char hmc_id[HMC_ID_LEN];
	/* HMC "exchange ops" request: 32-byte big-endian header, no data. */
	unsigned char request[32] = {
		0xDE, 0xCA, 0xFF, 0x20,	/* eye catcher, header length */
		0x00, 0x00, 0x00, 0x20,	/* total length */
		0x00, 0x00, 0x00, 0x01,	/* token */
		0x80, 0x00,		/* target: the router */
		0x00, 0x80,		/* flags: response expected */
		0x00, 0x00, 0x00, 0x00,	/* data length */
		0x00, 0x01,		/* opcode: exchange ops */
	};
	size_t mtu = device_mtu();
	unsigned char *answer = malloc(mtu);
	ssize_t n;
	int fd, tries, rc;

	if (!answer)
		return fail("malloc");
	fd = open("/dev/ibmvmc", O_RDWR);
	if (fd < 0)
		return fail("open /dev/ibmvmc");
	if (ioctl(fd, VMC_IOCTL_QUERY, &query) < 0)
		return fail("VMC_IOCTL_QUERY");
	printf("have_vmc %d state %d vmc_drc_index 0x%x\n", query.have_vmc, query.state,
	       (unsigned int)query.vmc_drc_index);

	memset(hmc_id, ' ', sizeof(hmc_id));
	memcpy(hmc_id, argc > 1 ? argv[1] : "vmc-example",
	       strnlen(argc > 1 ? argv[1] : "vmc-example", HMC_ID_LEN));
	/*
	 * Not ready yet (handshake, reset, no buffer from the hypervisor, or right
	 * after another client's close, its buffer on the way): try again.
	 */
	for (tries = 0; (rc = ioctl(fd, VMC_IOCTL_SETHMCID, hmc_id)) < 0; tries++) {
		if ((errno != EAGAIN && errno != ENOBUFS && errno != EBUSY) ||
		    tries == 50)
			return fail("VMC_IOCTL_SETHMCID");
		usleep(100 * 1000);
	}
	rc = wait_fd(fd, 1, 5);
	if (rc <= 0)
		return fail(rc ? "waiting for the open" : "open timed out");

	if (write(fd, request, sizeof(request)) != (ssize_t)sizeof(request))
		return fail("write");
	rc = wait_fd(fd, 0, 5);
	if (rc <= 0)
		return fail(rc ? "waiting for the answer" : "answer timed out");
	n = read(fd, answer, mtu);
	if (n < 32)
		return fail("read");
	/* The answer: same token and opcode, flag "response", return code 0. */
	if (memcmp(answer + 8, request + 8, 4) || answer[20] != 0x00 || answer[21] != 0x01 ||
	    !(answer[15] & 0x40) || answer[22] || answer[23]) {
		errno = EPROTO;
		return fail("answer is not exchange ops' good response");
	}
	printf("exchange ops answered: %zd bytes\n", n);
	close(fd);
	free(answer);
	return 0;
}

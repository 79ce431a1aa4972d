// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device removal and unload with files open (simulator build: debugfs sim "remove"
 * does what the VIO remove() does).
 *   1. Two readers block in read() on their sessions; `remove` must wake both with an
 *      error (EBADFD), and poll() must report POLLHUP|POLLERR.
 *   2. While a file is open, the module cannot be unloaded (the file operations pin
 *      it): delete_module fails with EWOULDBLOCK/EBUSY and nothing breaks.
 *   3. After removal every call fails cleanly: SETHMCID EIO, write EIO, QUERY state 4.
 * The plan then closes everything, unloads the module and scans for leaks.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <sys/syscall.h>
#include <sys/wait.h>

/* A child that blocks in read(); its exit status is the errno read() failed with. */
static pid_t blocked_reader(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		unsigned char buf[4096];
		ssize_t n;

		alarm(30);
		n = read(fd, buf, sizeof(buf));
		_exit(n < 0 ? errno : 0);
	}
	return pid;
}

int main(void)
{
	const char *what = "";
	struct ibmvmc_query_struct q;
	unsigned char id[HMC_ID_LEN];
	int a, b, c, st;
	pid_t ra, rb;

	ensure_debugfs();
	a = open_session("remove-a", 5000, &what);
	b = open_session("remove-b", 5000, &what);
	if (a < 0 || b < 0)
		ksft_exit_fail_msg("open sessions (needs max_hmcs=2): %s\n", what);
	ra = blocked_reader(a);
	rb = blocked_reader(b);
	sleep_ms(300);
	check(waitpid(ra, &st, WNOHANG) == 0 && waitpid(rb, &st, WNOHANG) == 0,
	      "both readers blocked in read()");

	check(syscall(SYS_delete_module, "ibmvmc", O_NONBLOCK) < 0 &&
		      (errno == EWOULDBLOCK || errno == EBUSY),
	      "unload refused while files are open");

	check(sim_cmd("remove") == 0, "sim remove");
	check(waitpid(ra, &st, 0) == ra && WIFEXITED(st) && WEXITSTATUS(st) == EBADFD,
	      "reader A woken with EBADFD");
	check(waitpid(rb, &st, 0) == rb && WIFEXITED(st) && WEXITSTATUS(st) == EBADFD,
	      "reader B woken with EBADFD");
	check((poll_fd(a, POLLIN, 1000) & (POLLHUP | POLLERR)) == (POLLHUP | POLLERR),
	      "poll after removal: POLLHUP|POLLERR");
	check(write(a, "x", 1) < 0 && errno == EIO, "write after removal: EIO");

	c = open(VMC_DEV, O_RDWR);
	check(c >= 0, "open after removal still works");
	make_hmc_id(id, "remove-c");
	check(ioctl(c, VMC_IOCTL_SETHMCID, id) < 0 && errno == EIO, "SETHMCID after removal: EIO");
	check(ioctl(c, VMC_IOCTL_QUERY, &q) == 0 && q.state == 4 && q.have_vmc == 1,
	      "QUERY after removal: state failed");
	close(a);
	close(b);
	close(c);
	return vmc_finish();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VM test program: a syzkaller-style fuzzer of /dev/ibmvmc. Several processes, each
 * with several threads, issue random sequences of every file operation the device has
 * (and some it does not) while an injector process fires simulator faults; every
 * result is checked live against the errno contract (src/errno.rs, src/uapi/ibmvmc.h)
 * and every message is accounted for.
 *
 *   vmc_fuzz [-s SEED] [-t SECONDS] [-p PROCS] [-T THREADS] [-I 0] [-F ERRNO] [-v]
 *       SEED (default 1) seeds every process's and thread's random sequence; SECONDS
 *       (default 20) of random operations; PROCS worker processes (default 3, at most
 *       8) of THREADS threads each (default 2, at most 8); -I 0: no injector; -F ERRNO:
 *       pretend ERRNO is in no contract (to see the checks fail: the run must go red);
 *       -v: the results of each kind of operation too, before the summary
 *   vmc_fuzz --selftest  the accounting and the contract checks against synthetic
 *                        events (no device needed): clean histories pass, and each
 *                        kind of fault must be caught
 *
 * The operations (each on a random one of the process's file slots): open (with or
 * without O_NONBLOCK), close, dup, fork (the child does 1..5 operations on the
 * inherited files, then _exit), SETHMCID (valid, random and over-long IDs, bad
 * pointers), QUERY, REQUESTVMC, unknown ioctl numbers (random and near the VMC ones,
 * random arguments), read and write of sizes 0, 1, short, up to the MTU, the MTU and
 * beyond it, from and into bad pointers (NULL, 1, an unmapped page, a PROT_NONE page, a
 * read-only page for read, a buffer running into the unmapped page), poll and select
 * with small timeouts, fcntl O_NONBLOCK toggles and checks, and SIGUSR1 (an empty
 * handler without SA_RESTART) to threads and processes, which interrupts blocking reads.
 * The injector writes a random simulator command (tools/crates/ibmvmc-sim/src/command.rs) to
 * /sys/kernel/debug/ibmvmc/sim every 20..200 ms: transport events, restart, hold (always
 * released again), injected hcall failures, unsolicited messages, Remove Buffer.
 *
 * What must hold, checked as it happens:
 * - every call returns success or an errno of its contract (poll and select: EINTR
 *   only; close, dup, fcntl: none); an unknown ioctl is ENOTTY; a bad pointer is
 *   EFAULT (or an earlier error of the contract), never success;
 * - a read larger than the MTU is EINVAL; a write larger than it never succeeds; read
 *   and write of 0 bytes return 0 or an error; a blocking read is never EAGAIN and a
 *   non-blocking one never EINTR; after SETHMCID succeeded, read is never EIO and
 *   SETHMCID again is EIO or EAGAIN (EFAULT);
 * - poll reports nothing for a file that never asked for a session, POLLHUP always with
 *   POLLERR and never with POLLIN or POLLOUT; select never reports an exception;
 * - the messages: each carries (magic, writer pid, file id, sequence number, length,
 *   checksum) and a pattern of those; any message read is the simulator's unsolicited
 *   one (every byte 0xA5) or one this same open file wrote and has not received yet,
 *   byte for byte (messages shorter than the header are a pattern of the file and the
 *   length, matched against that file's outstanding writes of that length). Never an
 *   echo twice, an echo of a failed write, a message of another file, or a message read
 *   after the file's hang-up was seen (a session once hung up stays so);
 * - at the end every process drains its files: each accepted write still outstanding
 *   is echoed or its session hangs up within 10 s; as many as the driver and simulator
 *   counted as dropped (H_COPY_RDMA failures, a full backlog) are excused, no more;
 * - afterwards the driver is ready again and a clean session echoes; the simulator
 *   counted no protocol error; the injector's commands were all accepted.
 *
 * Reproducible as far as concurrency allows: each thread's choices come from the seed,
 * its process and thread number; what the kernel answers (and so what follows) depends
 * on timing. Prints the seed first and one summary line at the end; on a violation,
 * what broke and the tail of the operation log (all processes, one shared ring), and
 * exit 1.
 */
#define _GNU_SOURCE
#include "vmc_common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MAGIC 0x564D467Au	/* "VMFz": never an HMC descriptor, so raw-echoed */
#define HDR 24			/* magic, pid, file id, seq, length, checksum */
#define SEND_BYTE 0xA5		/* every byte of the simulator's "send" messages */
#define MAX_PROCS 8
#define MAX_THREADS 8
#define SLOTS 6			/* files per process */
#define DESC_CAP 8192		/* open files tracked at once (by id modulo this) */
#define DESC_OUT 48		/* messages in flight per file */
#define MSG_CAP (1 << 17)
#define LOG_CAP 4096
#define LOG_TAIL 48
#define ERR_MAX 136
#define ECHO_TIMEOUT_MS 10000
#define BUF_LEN (2 * IBMVMC_MAX_MTU + 256)

/* ---- operations and the errno contract ---- */

enum op {
	OP_OPEN, OP_OPEN_NB, OP_CLOSE, OP_DUP, OP_FORK, OP_SETHMCID, OP_QUERY, OP_REQUESTVMC,
	OP_IOCTL, OP_READ, OP_WRITE, OP_POLL, OP_SELECT, OP_FCNTL, OP_SIGNAL, OP_COUNT,
	/* in the log only */
	OP_INJECT = OP_COUNT, OP_DRAIN, OP_LOG_KINDS
};

static const char *const op_names[OP_LOG_KINDS] = {
	"open", "open_nb", "close", "dup", "fork", "sethmcid", "query", "requestvmc",
	"ioctl", "read", "write", "poll", "select", "fcntl", "signal", "inject", "drain",
};

/* Relative frequency of each operation. */
static const int op_weight[OP_COUNT] = {
	5, 3, 6, 2, 1, 8, 2, 1, 3, 16, 20, 8, 3, 2, 2,
};

enum call {
	C_OPEN, C_CLOSE, C_DUP, C_FCNTL, C_SETHMCID, C_QUERY, C_REQUESTVMC, C_OTHER_IOCTL,
	C_READ, C_WRITE, C_POLL, C_SELECT, C_COUNT
};

static const char *const call_names[C_COUNT] = {
	"open", "close", "dup", "fcntl", "SETHMCID", "QUERY", "REQUESTVMC", "unknown ioctl",
	"read", "write", "poll", "select",
};

/*
 * src/errno.rs contract(), zero-terminated; close, dup and fcntl have none. poll and
 * select: the device never fails them (Call::Poll), EINTR is the syscall's own.
 */
static const int contract[C_COUNT][10] = {
	[C_OPEN] = { ENOMEM },
	[C_SETHMCID] = { EIO, EAGAIN, EBUSY, ENOBUFS, EFAULT },
	[C_QUERY] = { EFAULT },
	[C_REQUESTVMC] = { EPERM, EIO, ENODEV, EINVAL, EBUSY, EFAULT },
	[C_OTHER_IOCTL] = { ENOTTY },
	[C_READ] = { EINVAL, EIO, EBADFD, EAGAIN, EMSGSIZE, EBUSY, EFAULT, EINTR },
	[C_WRITE] = { EIO, EBUSY, EFAULT },
	[C_POLL] = { EINTR },
	[C_SELECT] = { EINTR },
};

/* -F: an errno treated as outside every contract (to see the checks fail). */
static int forbidden_errno;

static int allowed(int call, int err)
{
	int i;

	if (err == forbidden_errno)
		return 0;
	for (i = 0; i < 10 && contract[call][i]; i++)
		if (contract[call][i] == err)
			return 1;
	return 0;
}

/* ---- shared state (one mapping for every process) ---- */

enum mstate {
	M_FREE, M_WRITING, M_OUTSTANDING, M_EARLY, M_ECHOED, M_LOST, M_FAILED, M_ABANDONED
};

struct msg {
	uint32_t seq, fd_id, len, pid;
	uint8_t state;
};

/* An open file description ("file #id"): dup and fork share it. */
struct desc {
	uint32_t id;
	uint8_t sethmcid_tried, sethmcid_ok, holds, hup, nonblock, closed;
	uint32_t flag_gen;		/* changes around every O_NONBLOCK change */
	uint64_t ok_tick, holds_tick, hup_tick;
	int n_out;
	uint32_t out[DESC_OUT];		/* seqs written, echo not yet seen */
};

struct logent {
	uint64_t t_us;
	int32_t pid, tid, op, ptr, err;
	uint32_t fd_id;
	int64_t arg, ret;
	char note[32];
};

enum inj { I_TRANSPORT, I_RESTART, I_HOLD, I_FAIL, I_SEND, I_REMOVE_BUFFER, I_REQUEST_VMC,
	I_KINDS };

static const char *const inj_names[I_KINDS] = {
	"transport", "restart", "hold", "fail", "send", "remove_buffer", "request_vmc",
};

struct shared {
	pthread_mutex_t lock;		/* the accounting below */
	pthread_mutex_t print_lock;
	atomic_int stop, injector_done;
	atomic_long violations;
	char first_violation[256];
	atomic_long ops[OP_COUNT];
	atomic_long errs[ERR_MAX];
	atomic_long op_errs[OP_LOG_KINDS][ERR_MAX];	/* -v: per operation */
	atomic_long written, echoed, lost, abandoned, unsolicited, short_echoed, late, hangups;
	atomic_long unresolved, fork_failed;
	atomic_long injected[I_KINDS], inject_refused, inject_errors;
	atomic_int inject_last_errno;
	char inject_last_error[64];
	pid_t workers[MAX_PROCS];
	int n_workers;
	atomic_ulong log_head;
	struct logent log[LOG_CAP];
	/* under lock */
	uint64_t tick;
	uint32_t next_fd_id, next_seq;
	struct desc descs[DESC_CAP];
	struct msg msgs[MSG_CAP];
};

static struct shared *sh;
static size_t mtu = IBMVMC_MIN_MTU;
static int max_hmcs = 1;
static uint64_t t0_us;
static int selftest_mode;

/* ---- per process ---- */

/* What the process knows of a slot's session (a hint for choosing slots). */
enum hint { H_FRESH, H_TRIED, H_SESSION, H_DEAD };

/* Which slot an operation prefers. */
enum pref { PREF_ANY, PREF_FRESH, PREF_LIVE, PREF_DEAD };

struct slot {
	int fd, used, refs, closing, hint, child_opened;
	uint32_t fd_id;
};

struct proc {
	pthread_mutex_t lock;
	struct slot slots[SLOTS];
	int index, n_threads, is_child;
	pthread_t threads[MAX_THREADS];
	atomic_int done[MAX_THREADS], cur_op[MAX_THREADS], tids[MAX_THREADS];
	atomic_int go;
};

static struct proc proc;

struct thr {
	uint64_t rng;
	int index;			/* in the process; -1 in a fork child */
	int pid, tid;
	unsigned char *buf, *msg, *chk;	/* BUF_LEN each */
};

/* Four pages: read-write, unmapped, read-only, PROT_NONE. */
static unsigned char *pages;
static size_t page_size;

enum ptr_kind { P_VALID, P_NULL, P_ONE, P_HOLE, P_NONE, P_RO, P_STRADDLE, P_KINDS };

static const char *const ptr_names[P_KINDS] = {
	"ok", "NULL", "1", "unmapped", "PROT_NONE", "read-only", "into-unmapped",
};

/* ---- helpers ---- */

static uint64_t splitmix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 2685821657736338717ull;
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)((rnd(s) >> 32) % n) : 0;
}

static void *hide(void *p)
{
	__asm__ ("" : "+r" (p));
	return p;
}

static uint64_t now_us(void)
{
	return now_ns() / 1000ull;
}

static void lock_sh(void)
{
	if (pthread_mutex_lock(&sh->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&sh->lock);
}

static void unlock_sh(void)
{
	pthread_mutex_unlock(&sh->lock);
}

static void log_entry(struct thr *t, int op, uint32_t fd_id, long arg, int ptr, long ret,
		      int err, const char *note)
{
	unsigned long i = atomic_fetch_add(&sh->log_head, 1);
	struct logent *e = &sh->log[i % LOG_CAP];

	e->t_us = now_us() - t0_us;
	e->pid = t ? t->pid : getpid();
	e->tid = t ? t->tid : getpid();
	e->op = op;
	e->fd_id = fd_id;
	e->arg = arg;
	e->ptr = ptr;
	e->ret = ret;
	e->err = ret < 0 ? err : 0;
	if (note)
		snprintf(e->note, sizeof(e->note), "%s", note);
	else
		e->note[0] = 0;
	if (op < OP_COUNT || op == OP_DRAIN) {
		atomic_fetch_add(&sh->errs[e->err < ERR_MAX ? e->err : ERR_MAX - 1], 1);
		atomic_fetch_add(&sh->op_errs[op][e->err < ERR_MAX ? e->err : ERR_MAX - 1], 1);
	}
}

/* One syscall in the log (its errno counted): arg is the length, command or flags. */
static void log_op(struct thr *t, int op, uint32_t fd_id, long arg, int ptr, long ret, int err)
{
	log_entry(t, op, fd_id, arg, ptr, ret, err, NULL);
}

static void print_log_tail(void)
{
	unsigned long head = atomic_load(&sh->log_head), i;
	unsigned long from = head > LOG_TAIL ? head - LOG_TAIL : 0;

	printf("op log, last %lu of %lu: time, pid/tid, op, #file, argument (length, ioctl, flags, kind), pointer -> result\n",
	       head - from, head);
	for (i = from; i < head; i++) {
		struct logent *e = &sh->log[i % LOG_CAP];
		char arg[24];

		if (e->op == OP_IOCTL)
			snprintf(arg, sizeof(arg), "0x%08x", (unsigned int)e->arg);
		else
			snprintf(arg, sizeof(arg), "%lld", (long long)e->arg);
		printf("  +%llu.%06llu %d/%d %s #%u %s %s -> %lld%s%s%s%s\n",
		       (unsigned long long)(e->t_us / 1000000), (unsigned long long)(e->t_us % 1000000),
		       e->pid, e->tid, e->op < OP_LOG_KINDS ? op_names[e->op] : "?", e->fd_id, arg,
		       e->ptr >= 0 && e->ptr < P_KINDS ? ptr_names[e->ptr] : "-",
		       (long long)e->ret, e->ret < 0 ? " " : "", e->ret < 0 ? errno_name(e->err) : "",
		       e->note[0] ? " " : "", e->note);
	}
}

static void violation(struct thr *t, const char *fmt, ...) __printf(2, 3);
static void violation(struct thr *t, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	long n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = atomic_fetch_add(&sh->violations, 1);
	if (selftest_mode) {
		if (!n)
			snprintf(sh->first_violation, sizeof(sh->first_violation), "%s", line);
		return;
	}
	atomic_store(&sh->stop, 1);
	pthread_mutex_lock(&sh->print_lock);
	if (!n)
		snprintf(sh->first_violation, sizeof(sh->first_violation), "%s", line);
	if (n < 5)
		printf("VIOLATION (pid %d tid %d): %s\n", t ? t->pid : getpid(),
		       t ? t->tid : getpid(), line);
	if (!n)
		print_log_tail();
	fflush(stdout);
	pthread_mutex_unlock(&sh->print_lock);
}

/* A syscall's failure must be in its call's contract. */
static void check_errno(struct thr *t, int call, uint32_t fd_id, long ret, int err)
{
	if (ret < 0 && !allowed(call, err))
		violation(t, "%s on file #%u: %s is not in its errno contract", call_names[call],
			  fd_id, errno_name(err));
}

static uint32_t fnv1a(const unsigned char *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint32_t msg_seed(uint32_t fd_id, uint32_t seq)
{
	return seq * 2654435761u ^ fd_id * 40503u;
}

/* A message of HDR..MTU bytes: header, then a pattern of (file, seq). */
static void build_long(unsigned char *m, uint32_t pid, uint32_t fd_id, uint32_t seq, uint32_t len)
{
	pattern_fill(m + HDR, len - HDR, msg_seed(fd_id, seq));
	put_be32(m, MAGIC);
	put_be32(m + 4, pid);
	put_be32(m + 8, fd_id);
	put_be32(m + 12, seq);
	put_be32(m + 16, len);
	put_be32(m + 20, fnv1a(m + HDR, len - HDR));
}

/*
 * A message shorter than the header: a pattern of (file, length), whose first byte is
 * never 0xA5, the magic's or an HMC descriptor's.
 */
static void build_short(unsigned char *m, uint32_t fd_id, uint32_t len)
{
	pattern_fill(m, len, 0x5EED0000u ^ fd_id * 977u ^ len);
	if (len && (m[0] == SEND_BYTE || m[0] == (MAGIC >> 24) || m[0] == 0xDE))
		m[0] ^= 0x01;
}

static int all_send_bytes(const unsigned char *m, long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (m[i] != SEND_BYTE)
			return 0;
	return n > 0;
}

/* ---- the accounting (shared, under sh->lock) ---- */

static struct desc *desc_get(uint32_t id)
{
	struct desc *d = &sh->descs[id % DESC_CAP];

	return id && d->id == id ? d : NULL;
}

/* A new file's id: one whose entry (id modulo DESC_CAP) no open file uses. */
static uint32_t desc_new(int nonblock)
{
	struct desc *d;
	uint32_t id;
	int tries = 0;

	lock_sh();
	do {
		id = ++sh->next_fd_id;
		d = &sh->descs[id % DESC_CAP];
	} while (!id || (d->id && !d->closed && ++tries < DESC_CAP));
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->nonblock = !!nonblock;
	unlock_sh();
	return id;
}

static struct msg *msg_of(uint32_t seq)
{
	return &sh->msgs[seq % MSG_CAP];
}

/* The message listed at out[i] of d, if the entry still is that message. */
static struct msg *out_msg(struct desc *d, int i)
{
	struct msg *m = msg_of(d->out[i]);

	return m->seq == d->out[i] && m->fd_id == d->id ? m : NULL;
}

static void out_remove(struct desc *d, uint32_t seq)
{
	int i;

	for (i = 0; i < d->n_out; i++)
		if (d->out[i] == seq) {
			d->out[i] = d->out[--d->n_out];
			return;
		}
}

/*
 * A write of len bytes on file fd_id is about to start: a sequence number, and the
 * write's tick. -1 if the file has DESC_OUT messages in flight already.
 */
static int msg_begin(struct thr *t, uint32_t fd_id, uint32_t len, uint32_t *seq, uint64_t *tick)
{
	struct desc *d;
	struct msg *m = NULL;
	int tries;

	lock_sh();
	d = desc_get(fd_id);
	if (!d || d->n_out >= DESC_OUT) {
		unlock_sh();
		return -1;
	}
	for (tries = 0; tries < 16; tries++) {
		*seq = sh->next_seq++;
		m = msg_of(*seq);
		if (m->state != M_WRITING && m->state != M_OUTSTANDING && m->state != M_EARLY)
			break;
		m = NULL;
	}
	if (!m) {
		unlock_sh();
		return -1;
	}
	m->seq = *seq;
	m->fd_id = fd_id;
	m->len = len;
	m->pid = (uint32_t)t->pid;
	m->state = M_WRITING;
	d->out[d->n_out++] = *seq;
	*tick = ++sh->tick;
	unlock_sh();
	return 0;
}

/* The write of seq returned ret. */
static void msg_end(struct thr *t, uint32_t fd_id, uint32_t seq, long ret, uint64_t tick)
{
	struct msg *m;
	struct desc *d;

	lock_sh();
	m = msg_of(seq);
	d = desc_get(fd_id);
	if (m->seq != seq) {
		unlock_sh();
		return;
	}
	if (ret == (long)m->len) {
		atomic_fetch_add(&sh->written, 1);
		if (m->state == M_EARLY) {
			m->state = M_ECHOED;
			atomic_fetch_add(&sh->echoed, 1);
		} else if (d && d->hup) {
			if (d->hup_tick < tick)
				violation(t, "write of seq %u (%u bytes) accepted on file #%u after its hang-up was seen",
					  seq, m->len, fd_id);
			m->state = M_LOST;
			atomic_fetch_add(&sh->lost, 1);
		} else if (!d || d->closed) {
			m->state = M_ABANDONED;
			atomic_fetch_add(&sh->abandoned, 1);
		} else {
			m->state = M_OUTSTANDING;
		}
	} else {
		if (ret >= 0)
			violation(t, "write of %u bytes on file #%u returned %ld", m->len, fd_id, ret);
		if (m->state == M_EARLY)
			violation(t, "seq %u was echoed on file #%u, but its write failed", seq, fd_id);
		m->state = M_FAILED;
		if (d)
			out_remove(d, seq);
	}
	unlock_sh();
}

/* Before a read: its tick, and the file's O_NONBLOCK as far as known. */
static void read_begin(uint32_t fd_id, uint64_t *tick, int *nonblock, uint32_t *flag_gen)
{
	struct desc *d;

	lock_sh();
	d = desc_get(fd_id);
	*tick = ++sh->tick;
	*nonblock = d ? d->nonblock : -1;
	*flag_gen = d ? d->flag_gen : 0;
	unlock_sh();
}

/* The echo of message e (state checked by the caller) arrived on d. */
static void echo_of(struct thr *t, struct desc *d, struct msg *e, uint64_t rtick)
{
	switch (e->state) {
	case M_WRITING:
		e->state = M_EARLY;	/* write() has not returned yet */
		out_remove(d, e->seq);
		break;
	case M_OUTSTANDING:
		e->state = M_ECHOED;
		atomic_fetch_add(&sh->echoed, 1);
		out_remove(d, e->seq);
		break;
	case M_LOST:
		if (rtick > d->hup_tick) {
			violation(t, "echo of seq %u on file #%u after its hang-up was seen", e->seq,
				  d->id);
			break;
		}
		/* The read started before the hang-up was seen: not lost after all. */
		e->state = M_ECHOED;
		atomic_fetch_sub(&sh->lost, 1);
		atomic_fetch_add(&sh->echoed, 1);
		out_remove(d, e->seq);
		break;
	case M_ABANDONED:
		e->state = M_ECHOED;
		atomic_fetch_sub(&sh->abandoned, 1);
		atomic_fetch_add(&sh->echoed, 1);
		atomic_fetch_add(&sh->late, 1);
		out_remove(d, e->seq);
		break;
	case M_ECHOED:
	case M_EARLY:
		violation(t, "duplicate echo of seq %u (%u bytes) on file #%u", e->seq, e->len,
			  d->id);
		break;
	case M_FAILED:
		violation(t, "echo of seq %u on file #%u, whose write failed", e->seq, d->id);
		break;
	default:
		violation(t, "echo of seq %u on file #%u in state %d", e->seq, d->id, e->state);
	}
}

static void received_long(struct thr *t, struct desc *d, const unsigned char *p, long n,
			  uint64_t rtick)
{
	uint32_t pid = get_be32(p + 4), id = get_be32(p + 8), seq = get_be32(p + 12);
	uint32_t len = get_be32(p + 16);
	struct msg *e = msg_of(seq);
	long i;

	if (id != d->id) {
		violation(t, "message of file #%u (pid %u seq %u, %ld bytes) read on file #%u", id,
			  pid, seq, n, d->id);
		return;
	}
	if (e->seq != seq || e->state == M_FREE || e->fd_id != id) {
		violation(t, "message seq %u on file #%u was never written (or long forgotten)", seq,
			  id);
		return;
	}
	if (e->pid != pid || e->len != len || len != (uint32_t)n) {
		violation(t, "seq %u on file #%u: header says pid %u, %u bytes; read %ld bytes; written by pid %u, %u bytes",
			  seq, id, pid, len, n, e->pid, e->len);
		return;
	}
	build_long(t->chk, pid, id, seq, len);
	for (i = 0; i < n && p[i] == t->chk[i]; i++)
		;
	if (i < n) {
		violation(t, "echo of seq %u on file #%u (%ld bytes) differs at byte %ld: 0x%02x, want 0x%02x",
			  seq, id, n, i, p[i], t->chk[i]);
		return;
	}
	echo_of(t, d, e, rtick);
}

static void received_short(struct thr *t, struct desc *d, const unsigned char *p, long n,
			   uint64_t rtick)
{
	struct msg *e, *best = NULL;
	int i;

	build_short(t->chk, d->id, (uint32_t)n);
	if (memcmp(p, t->chk, (size_t)n)) {
		violation(t, "a %ld-byte message on file #%u that is neither a write of this file nor the simulator's (first byte 0x%02x)",
			  n, d->id, p[0]);
		return;
	}
	for (i = 0; i < d->n_out; i++) {
		e = out_msg(d, i);
		if (!e || e->len != (uint32_t)n)
			continue;
		if (e->state == M_OUTSTANDING || e->state == M_WRITING) {
			best = e;
			break;
		}
		if (!best && (e->state == M_ABANDONED || (e->state == M_LOST && rtick < d->hup_tick)))
			best = e;
	}
	if (!best) {
		violation(t, "a %ld-byte message on file #%u, which has no such write outstanding (a duplicate, or after its hang-up)",
			  n, d->id);
		return;
	}
	atomic_fetch_add(&sh->short_echoed, 1);
	echo_of(t, d, best, rtick);
}

/* A read on file fd_id that started at rtick returned the n bytes at p. */
static void received(struct thr *t, uint32_t fd_id, const unsigned char *p, long n, uint64_t rtick)
{
	struct desc *d;

	lock_sh();
	d = desc_get(fd_id);
	if (!d)
		goto out;
	if (!d->sethmcid_tried) {
		violation(t, "a %ld-byte message on file #%u, which never asked for a session", n,
			  fd_id);
		goto out;
	}
	if (d->hup && d->hup_tick < rtick) {
		violation(t, "read on file #%u returned %ld bytes after its hang-up was seen", fd_id,
			  n);
		goto out;
	}
	if (n < 1 || (size_t)n > mtu) {
		violation(t, "read on file #%u returned %ld bytes (MTU %zu)", fd_id, n, mtu);
		goto out;
	}
	if (all_send_bytes(p, n))
		atomic_fetch_add(&sh->unsolicited, 1);
	else if (n >= HDR && get_be32(p) == MAGIC)
		received_long(t, d, p, n, rtick);
	else if (n < HDR)
		received_short(t, d, p, n, rtick);
	else
		violation(t, "a %ld-byte message on file #%u that is not ours nor the simulator's (first bytes %02x %02x %02x %02x)",
			  n, fd_id, p[0], p[1], p[2], p[3]);
out:
	unlock_sh();
}

/* The file's session was seen hung up (POLLHUP, EBADFD): what is in flight is lost. */
static void saw_hangup(struct thr *t, uint32_t fd_id, const char *how)
{
	struct desc *d;
	struct msg *m;
	int i;

	lock_sh();
	d = desc_get(fd_id);
	if (!d)
		goto out;
	if (!d->sethmcid_tried)
		violation(t, "%s on file #%u, which never asked for a session", how, fd_id);
	if (d->hup)
		goto out;
	d->hup = 1;
	d->hup_tick = ++sh->tick;
	atomic_fetch_add(&sh->hangups, 1);
	for (i = 0; i < d->n_out; i++) {
		m = out_msg(d, i);
		if (m && m->state == M_OUTSTANDING) {
			m->state = M_LOST;
			atomic_fetch_add(&sh->lost, 1);
		}
	}
out:
	unlock_sh();
}

/* The last of the process's descriptors of file fd_id was closed. */
static void desc_closed(uint32_t fd_id)
{
	struct desc *d;
	struct msg *m;
	int i;

	lock_sh();
	d = desc_get(fd_id);
	if (d) {
		d->closed = 1;
		for (i = 0; i < d->n_out; i++) {
			m = out_msg(d, i);
			if (m && m->state == M_OUTSTANDING) {
				m->state = M_ABANDONED;
				atomic_fetch_add(&sh->abandoned, 1);
			}
		}
	}
	unlock_sh();
}

/* Outstanding messages of a file whose session was not seen hung up. */
static int desc_pending(uint32_t fd_id, uint32_t *first_seq, uint32_t *first_len)
{
	struct desc *d;
	struct msg *m;
	int i, n = 0;

	lock_sh();
	d = desc_get(fd_id);
	for (i = 0; d && !d->hup && i < d->n_out; i++) {
		m = out_msg(d, i);
		if (m && (m->state == M_OUTSTANDING || m->state == M_WRITING)) {
			if (!n++ && first_seq) {
				*first_seq = m->seq;
				*first_len = m->len;
			}
		}
	}
	unlock_sh();
	return n;
}

/* ---- file slots ---- */

static void slot_close_locked(struct thr *t, struct slot *s)
{
	uint32_t id = s->fd_id;
	int i, others = 0, rc;

	rc = close(s->fd);
	log_op(t, OP_CLOSE, id, s->fd, -1, rc, errno);
	check_errno(t, C_CLOSE, id, rc, errno);
	s->used = 0;
	s->fd = -1;
	if (proc.is_child && !s->child_opened)
		return;	/* the parent still holds it */
	for (i = 0; i < SLOTS; i++)
		if (proc.slots[i].used && proc.slots[i].fd_id == id)
			others++;
	if (!others)
		desc_closed(id);
}

static int slot_matches(const struct slot *s, int pref)
{
	switch (pref) {
	case PREF_FRESH:
		return s->hint == H_FRESH || s->hint == H_TRIED;
	case PREF_LIVE:
		return s->hint == H_SESSION;
	case PREF_DEAD:
		return s->hint == H_DEAD;
	default:
		return 1;
	}
}

/*
 * A slot to work on (its reference taken): one matching pref; if none does, mostly
 * none (-1: the thread does something else), sometimes another.
 */
static int slot_grab(struct thr *t, int pref, int *fd, uint32_t *id)
{
	int i, k, start, pick = -1, matched = 0;

	pthread_mutex_lock(&proc.lock);
	start = (int)below(&t->rng, SLOTS);
	for (i = 0; i < SLOTS; i++) {
		struct slot *s = &proc.slots[(start + i) % SLOTS];

		if (!s->used || s->closing || s->fd < 0)
			continue;
		k = (start + i) % SLOTS;
		if (pick < 0)
			pick = k;
		if (slot_matches(s, pref)) {
			pick = k;
			matched = 1;
			break;
		}
	}
	if (!matched && below(&t->rng, 4))
		pick = -1;
	if (pick >= 0) {
		proc.slots[pick].refs++;
		*fd = proc.slots[pick].fd;
		*id = proc.slots[pick].fd_id;
	}
	pthread_mutex_unlock(&proc.lock);
	return pick;
}

/* What an operation learnt of slot i's session; a hang-up is for good. */
static void slot_hint(int i, int hint)
{
	pthread_mutex_lock(&proc.lock);
	if (proc.slots[i].hint != H_DEAD && hint > proc.slots[i].hint)
		proc.slots[i].hint = hint;
	pthread_mutex_unlock(&proc.lock);
}

static void slot_put(struct thr *t, int i)
{
	struct slot *s = &proc.slots[i];

	pthread_mutex_lock(&proc.lock);
	if (!--s->refs && s->closing)
		slot_close_locked(t, s);
	pthread_mutex_unlock(&proc.lock);
}

/* A free slot, reserved (used, no fd yet, one reference); -1 if none. */
static int slot_reserve(void)
{
	int i;

	pthread_mutex_lock(&proc.lock);
	for (i = 0; i < SLOTS; i++) {
		struct slot *s = &proc.slots[i];

		if (!s->used) {
			memset(s, 0, sizeof(*s));
			s->used = 1;
			s->fd = -1;
			s->refs = 1;
			break;
		}
	}
	pthread_mutex_unlock(&proc.lock);
	return i < SLOTS ? i : -1;
}

static void slot_fill(int i, int fd, uint32_t id, int hint, int child_opened)
{
	struct slot *s = &proc.slots[i];

	pthread_mutex_lock(&proc.lock);
	if (fd < 0) {
		s->used = 0;
	} else {
		s->fd = fd;
		s->fd_id = id;
		s->hint = hint;
		s->child_opened = child_opened;
		s->refs = 0;
	}
	pthread_mutex_unlock(&proc.lock);
}

/* ---- pointers ---- */

/*
 * The pointer of kind `kind` for len bytes (good: the valid buffer); *valid is how many
 * bytes from it are accessible (the straddling one: a few at the end of a mapped page).
 */
static void *ptr_of(struct thr *t, int kind, void *good, size_t len, size_t *valid)
{
	size_t k;

	*valid = 0;
	switch (kind) {
	case P_VALID:
		*valid = len;
		return good;
	case P_NULL:
		return hide(NULL);
	case P_ONE:
		return hide((void *)1);
	case P_HOLE:
		return hide(pages + page_size);
	case P_NONE:
		return hide(pages + 3 * page_size);
	case P_RO:
		*valid = page_size;	/* readable only */
		return hide(pages + 2 * page_size);
	default:
		if (len < 2)
			return hide(pages + page_size);
		k = 1 + below(&t->rng, (uint32_t)(len - 1 < page_size ? len - 1 : page_size));
		*valid = k;
		return hide(pages + page_size - k);
	}
}

/* A random bad pointer kind; with_ro: the read-only page counts as bad (a copy-out). */
static int bad_kind(struct thr *t, int with_ro)
{
	static const int kinds[] = { P_NULL, P_ONE, P_HOLE, P_NONE, P_STRADDLE, P_RO };

	return kinds[below(&t->rng, with_ro ? 6 : 5)];
}

/* ---- the operations ---- */

static void op_open(struct thr *t, int nonblock)
{
	int i = slot_reserve(), fd, err;
	int flags = O_RDWR | (nonblock ? O_NONBLOCK : 0) | (below(&t->rng, 2) ? O_CLOEXEC : 0);
	uint32_t id = 0;

	if (i < 0)
		return;
	fd = open(VMC_DEV, flags);
	err = errno;
	if (fd >= 0)
		id = desc_new(nonblock);
	log_op(t, nonblock ? OP_OPEN_NB : OP_OPEN, id, flags, -1, fd, err);
	if (fd < 0)
		check_errno(t, C_OPEN, 0, fd, err);
	slot_fill(i, fd, id, H_FRESH, proc.is_child);
}

static void op_close(struct thr *t)
{
	int i, start = (int)below(&t->rng, SLOTS), pick = -1;
	int pref = below(&t->rng, 3) ? PREF_DEAD : PREF_ANY;
	struct slot *s;

	pthread_mutex_lock(&proc.lock);
	for (i = 0; i < SLOTS; i++) {
		s = &proc.slots[(start + i) % SLOTS];
		if (!s->used || s->closing || s->fd < 0)
			continue;
		if (pick < 0 || slot_matches(s, pref))
			pick = (start + i) % SLOTS;
		if (slot_matches(s, pref))
			break;
	}
	if (pick >= 0) {
		s = &proc.slots[pick];
		s->closing = 1;
		if (!s->refs)
			slot_close_locked(t, s);
	}
	pthread_mutex_unlock(&proc.lock);
}

static void op_dup(struct thr *t)
{
	int fd, nfd, src, dst, err, cloexec = below(&t->rng, 2);
	uint32_t id;

	src = slot_grab(t, PREF_ANY, &fd, &id);
	if (src < 0)
		return;
	dst = slot_reserve();
	if (dst >= 0) {
		nfd = cloexec ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : dup(fd);
		err = errno;
		log_op(t, OP_DUP, id, fd, -1, nfd, err);
		check_errno(t, C_DUP, id, nfd, err);
		slot_fill(dst, nfd, id, proc.slots[src].hint, proc.slots[src].child_opened);
	}
	slot_put(t, src);
}

/* O_NONBLOCK of file fd_id set to `on`; under the accounting lock, so that readers see it exactly. */
static void set_nonblock(struct thr *t, int fd, uint32_t fd_id, int on)
{
	struct desc *d;
	int fl, rc, err;

	lock_sh();
	d = desc_get(fd_id);
	if (d)
		d->flag_gen++;
	fl = fcntl(fd, F_GETFL);
	rc = fl < 0 ? fl : fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
	err = errno;
	if (d && rc == 0)
		d->nonblock = !!on;
	if (d)
		d->flag_gen++;
	unlock_sh();
	log_op(t, OP_FCNTL, fd_id, on, -1, rc, err);
	check_errno(t, C_FCNTL, fd_id, rc, err);
}

static void op_fcntl(struct thr *t)
{
	struct desc *d;
	int fd, i, fl, err;
	uint32_t id;

	i = slot_grab(t, PREF_ANY, &fd, &id);
	if (i < 0)
		return;
	if (below(&t->rng, 2)) {
		lock_sh();
		fl = fcntl(fd, F_GETFL);
		err = errno;
		d = desc_get(id);
		if (fl >= 0 && d && !!(fl & O_NONBLOCK) != d->nonblock)
			violation(t, "F_GETFL of file #%u: O_NONBLOCK %d, set %d", id,
				  !!(fl & O_NONBLOCK), d->nonblock);
		unlock_sh();
		log_op(t, OP_FCNTL, id, -1, -1, fl, err);
		check_errno(t, C_FCNTL, id, fl, err);
	} else {
		set_nonblock(t, fd, id, (int)below(&t->rng, 2));
	}
	slot_put(t, i);
}

static void op_sethmcid(struct thr *t)
{
	unsigned char id[2 * HMC_ID_LEN];
	struct desc *d;
	uint64_t start;
	size_t valid;
	int fd, i, kind = P_VALID, r = (int)below(&t->rng, 10), rc, err, after_ok = 0;
	uint32_t fid;
	void *p;

	i = slot_grab(t, below(&t->rng, 5) ? PREF_FRESH : PREF_ANY, &fd, &fid);
	if (i < 0)
		return;
	slot_hint(i, H_TRIED);
	memset(id, 0, sizeof(id));
	if (r < 6)
		snprintf((char *)id, HMC_ID_LEN, "fuzz-%d-%u", t->pid, below(&t->rng, 1000));
	else if (r < 7)
		pattern_fill(id, HMC_ID_LEN, (uint32_t)rnd(&t->rng));
	else if (r < 8)
		memset(id, 'L', sizeof(id) - 1);	/* longer than 32: only 32 are taken */
	else
		kind = bad_kind(t, 1);
	p = ptr_of(t, kind, id, HMC_ID_LEN, &valid);
	lock_sh();
	d = desc_get(fid);
	start = ++sh->tick;
	if (d) {
		d->sethmcid_tried = 1;
		after_ok = d->sethmcid_ok && d->ok_tick < start;
	}
	unlock_sh();
	rc = ioctl(fd, VMC_IOCTL_SETHMCID, p);
	err = errno;
	log_op(t, OP_SETHMCID, fid, r, kind, rc, err);
	check_errno(t, C_SETHMCID, fid, rc, err);
	if (rc == 0 && valid < HMC_ID_LEN)
		violation(t, "SETHMCID on file #%u from a bad pointer (%s) succeeded", fid,
			  ptr_names[kind]);
	if (rc < 0 && err == EFAULT && valid >= HMC_ID_LEN)
		violation(t, "SETHMCID on file #%u: EFAULT with a valid pointer", fid);
	if (after_ok && (rc == 0 || (err != EIO && err != EAGAIN && err != EFAULT)))
		violation(t, "SETHMCID again on file #%u after one succeeded: %s, want EIO or EAGAIN",
			  fid, rc ? errno_name(err) : "success");
	if (rc == 0 || err == ENOBUFS) {
		lock_sh();
		d = desc_get(fid);
		if (d && !d->holds) {
			d->holds = 1;
			d->holds_tick = ++sh->tick;
		}
		if (d && rc == 0 && !d->sethmcid_ok) {
			d->sethmcid_ok = 1;
			d->ok_tick = ++sh->tick;
		}
		unlock_sh();
		if (rc == 0)
			slot_hint(i, H_SESSION);
	}
	if (rc < 0 && err == EIO)
		slot_hint(i, H_DEAD);
	slot_put(t, i);
}

static void op_query(struct thr *t)
{
	struct ibmvmc_query_struct q;
	size_t valid;
	int fd, i, kind = below(&t->rng, 5) ? P_VALID : bad_kind(t, 1), rc, err;
	uint32_t id;
	void *p;

	i = slot_grab(t, PREF_ANY, &fd, &id);
	if (i < 0)
		return;
	memset(&q, 0x55, sizeof(q));
	p = ptr_of(t, kind, &q, sizeof(q), &valid);
	rc = ioctl(fd, VMC_IOCTL_QUERY, p);
	err = errno;
	log_op(t, OP_QUERY, id, rc ? 0 : q.state, kind, rc, err);
	check_errno(t, C_QUERY, id, rc, err);
	if (kind == P_VALID) {
		if (rc)
			violation(t, "QUERY with a valid pointer: %s", errno_name(err));
		else if (q.state < IBMVMC_STATE_SCHED_RESET || q.state > IBMVMC_STATE_FAILED ||
			 q.have_vmc != (q.state > IBMVMC_STATE_INITIAL))
			violation(t, "QUERY: have_vmc %d state %d", q.have_vmc, q.state);
	} else if (rc == 0) {
		violation(t, "QUERY into a bad pointer (%s) succeeded", ptr_names[kind]);
	}
	slot_put(t, i);
}

static void op_requestvmc(struct thr *t)
{
	uint32_t drc = 0, id;
	size_t valid;
	int fd, i, kind = below(&t->rng, 4) ? P_VALID : bad_kind(t, 1), rc, err;
	void *p;

	i = slot_grab(t, PREF_ANY, &fd, &id);
	if (i < 0)
		return;
	p = ptr_of(t, kind, &drc, sizeof(drc), &valid);
	rc = ioctl(fd, VMC_IOCTL_REQUESTVMC, p);
	err = errno;
	log_op(t, OP_REQUESTVMC, id, drc, kind, rc, err);
	check_errno(t, C_REQUESTVMC, id, rc, err);
	if (kind != P_VALID && rc == 0)
		violation(t, "REQUESTVMC into a bad pointer (%s) succeeded", ptr_names[kind]);
	if (kind == P_VALID && rc < 0 && err == EFAULT)
		violation(t, "REQUESTVMC: EFAULT with a valid pointer");
	slot_put(t, i);
}

/*
 * An ioctl number the device does not have (nor the VFS, which answers some itself for
 * every file: FIOCLEX, FIONBIO, FIGETBSZ, FIFREEZE, FS_IOC_*, FICLONE...: types 0x00,
 * 'T', 'X', 'f', 0x94 and 0x15 are left out).
 */
static unsigned int unknown_cmd(struct thr *t)
{
	unsigned int cmd, type;

	for (;;) {
		switch (below(&t->rng, 3)) {
		case 0:
			cmd = (unsigned int)rnd(&t->rng);
			break;
		case 1:
			cmd = _IOC(below(&t->rng, 4), VMC_BASE, below(&t->rng, 8),
				   below(&t->rng, 2) ? below(&t->rng, 64) : sizeof(void *));
			break;
		default:
			cmd = _IOC(below(&t->rng, 4), VMC_BASE, below(&t->rng, 256),
				   below(&t->rng, 1 << 14));
		}
		type = _IOC_TYPE(cmd);
		if (type == 0x00 || type == 'T' || type == 'X' || type == 'f' || type == 0x94 ||
		    type == 0x15)
			continue;
		if (cmd == VMC_IOCTL_SETHMCID || cmd == _IOW(VMC_BASE, 0x00, uint32_t) ||
		    cmd == VMC_IOCTL_QUERY || cmd == VMC_IOCTL_REQUESTVMC)
			continue;
		return cmd;
	}
}

static void op_ioctl(struct thr *t)
{
	unsigned int cmd = unknown_cmd(t);
	unsigned long arg;
	uint32_t id;
	size_t valid;
	int fd, i, rc, err, kind = P_VALID;

	i = slot_grab(t, PREF_ANY, &fd, &id);
	if (i < 0)
		return;
	switch (below(&t->rng, 4)) {
	case 0:
		arg = below(&t->rng, 2);
		break;
	case 1:
		arg = (unsigned long)t->buf;
		break;
	case 2:
		kind = bad_kind(t, 1);
		arg = (unsigned long)ptr_of(t, kind, t->buf, 64, &valid);
		break;
	default:
		arg = (unsigned long)rnd(&t->rng);
	}
	rc = ioctl(fd, cmd, arg);
	err = errno;
	log_op(t, OP_IOCTL, id, cmd, kind, rc, err);
	if (rc >= 0)
		violation(t, "unknown ioctl 0x%08x on file #%u returned %d", cmd, id, rc);
	else
		check_errno(t, C_OTHER_IOCTL, id, rc, err);
	slot_put(t, i);
}

/*
 * One read of len bytes into p (kind, with `valid` bytes writable) on file id: 0, or
 * the errno.
 */
static int do_read(struct thr *t, int op, int fd, uint32_t id, void *p, size_t len, int kind,
		    size_t valid)
{
	struct desc *d;
	uint64_t rtick;
	uint32_t gen;
	int nb, err;
	long n;

	read_begin(id, &rtick, &nb, &gen);
	n = read(fd, p, len);
	err = errno;
	log_op(t, op, id, (long)len, kind, n, err);
	if (n >= 0) {
		if (len == 0) {
			if (n)
				violation(t, "read of 0 bytes on file #%u returned %ld", id, n);
		} else if (len > mtu) {
			violation(t, "read of %zu bytes (> MTU %zu) on file #%u returned %ld, want EINVAL",
				  len, mtu, id, n);
		} else if ((size_t)n > len) {
			violation(t, "read of %zu bytes on file #%u returned %ld", len, id, n);
		} else if (kind != P_VALID && (kind != P_STRADDLE || (size_t)n > valid)) {
			violation(t, "read into a bad pointer (%s) on file #%u returned %ld", ptr_names[kind],
				  id, n);
		} else {
			received(t, id, p, n, rtick);
		}
		return 0;
	}
	check_errno(t, C_READ, id, n, err);
	if (len > mtu && err != EINVAL)
		violation(t, "read of %zu bytes (> MTU %zu) on file #%u: %s, want EINVAL", len, mtu, id,
			  errno_name(err));
	if (len && len <= mtu && err == EINVAL)
		violation(t, "read of %zu bytes (MTU %zu) on file #%u: EINVAL", len, mtu, id);
	if (kind == P_VALID && err == EFAULT)
		violation(t, "read on file #%u: EFAULT with a valid buffer", id);
	if (err == EBADFD)
		saw_hangup(t, id, "read EBADFD");
	lock_sh();
	d = desc_get(id);
	if (d && d->flag_gen == gen && !(gen & 1)) {
		if (err == EAGAIN && nb == 0)
			violation(t, "blocking read on file #%u returned EAGAIN", id);
		if (err == EINTR && nb == 1)
			violation(t, "non-blocking read on file #%u returned EINTR", id);
	}
	if (d && err == EIO && d->holds && d->holds_tick < rtick)
		violation(t, "read on file #%u: EIO (no session), but it holds a connection since SETHMCID",
			  id);
	unlock_sh();
	return err;
}

static size_t random_read_len(struct thr *t)
{
	int r = (int)below(&t->rng, 100);

	if (r < 4)
		return 0;
	if (r < 8)
		return 1;
	if (r < 20)
		return 2 + below(&t->rng, 2 * HDR);
	if (r < 45)
		return 1 + below(&t->rng, (uint32_t)mtu);
	if (r < 88)
		return mtu;
	if (r < 95)
		return mtu + 1 + below(&t->rng, 64);
	return mtu + 1 + below(&t->rng, (uint32_t)(BUF_LEN - mtu - 1));
}

static void op_read(struct thr *t)
{
	size_t len = random_read_len(t), valid;
	int fd, i, kind = below(&t->rng, 8) ? P_VALID : bad_kind(t, 1);
	uint32_t id;
	void *p;

	i = slot_grab(t, below(&t->rng, 10) < 8 ? PREF_LIVE : PREF_ANY, &fd, &id);
	if (i < 0)
		return;
	p = ptr_of(t, kind, t->buf, len, &valid);
	if (do_read(t, OP_READ, fd, id, p, len, kind, valid) == EBADFD)
		slot_hint(i, H_DEAD);
	slot_put(t, i);
}

static size_t random_write_len(struct thr *t)
{
	int r = (int)below(&t->rng, 100);

	if (r < 4)
		return 0;
	if (r < 8)
		return 1;
	if (r < 20)
		return 2 + below(&t->rng, HDR - 2);
	if (r < 45)
		return HDR + below(&t->rng, 128);
	if (r < 75)
		return HDR + below(&t->rng, (uint32_t)(mtu - HDR + 1));
	if (r < 90)
		return mtu;
	return mtu + 1 + below(&t->rng, 64);
}

static void op_write(struct thr *t)
{
	size_t len = random_write_len(t), valid;
	int fd, i, kind = below(&t->rng, 8) ? P_VALID : bad_kind(t, 0), err, counted = 0;
	uint32_t id, seq = 0;
	uint64_t tick = 0;
	long n;
	void *p;

	i = slot_grab(t, below(&t->rng, 10) < 8 ? PREF_LIVE : PREF_ANY, &fd, &id);
	if (i < 0)
		return;
	if (kind == P_VALID && len >= 1 && len <= mtu) {
		if (msg_begin(t, id, (uint32_t)len, &seq, &tick)) {
			slot_put(t, i);
			return;
		}
		counted = 1;
		if (len < HDR)
			build_short(t->msg, id, (uint32_t)len);
		else
			build_long(t->msg, (uint32_t)t->pid, id, seq, (uint32_t)len);
	} else if (kind == P_VALID) {
		memset(t->msg, 0x11, len);
	}
	p = ptr_of(t, kind, t->msg, len, &valid);
	n = write(fd, p, len);
	err = errno;
	log_op(t, OP_WRITE, id, (long)len, kind, n, err);
	if (counted)
		msg_end(t, id, seq, n < 0 ? -err : n, tick);
	if (n < 0) {
		check_errno(t, C_WRITE, id, n, err);
		if (kind == P_VALID && err == EFAULT)
			violation(t, "write on file #%u: EFAULT from a valid buffer", id);
		/* Mostly a reset (the hang-up not seen yet here): look elsewhere. */
		if (err == EIO && len <= mtu)
			slot_hint(i, H_DEAD);
	} else if (len == 0) {
		if (n)
			violation(t, "write of 0 bytes on file #%u returned %ld", id, n);
	} else if (len > mtu) {
		violation(t, "write of %zu bytes (> MTU %zu) on file #%u returned %ld", len, mtu, id, n);
	} else if (kind != P_VALID) {
		violation(t, "write from a bad pointer (%s) on file #%u returned %ld", ptr_names[kind], id,
			  n);
	}
	slot_put(t, i);
}

/* Checks one file's poll() answer; records a hang-up. */
static void check_revents(struct thr *t, uint32_t id, short events, short rev, const char *how)
{
	struct desc *d;
	int tried;

	if (rev & ~(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLHUP | POLLERR))
		violation(t, "%s on file #%u: revents 0x%x", how, id, rev);
	if (rev & ~(events | POLLHUP | POLLERR))
		violation(t, "%s on file #%u: revents 0x%x for events 0x%x", how, id, rev, events);
	if (!!(rev & POLLHUP) != !!(rev & POLLERR))
		violation(t, "%s on file #%u: POLLHUP and POLLERR not together (0x%x)", how, id, rev);
	if ((rev & POLLHUP) && (rev & (POLLIN | POLLOUT)))
		violation(t, "%s on file #%u: POLLHUP with POLLIN or POLLOUT (0x%x)", how, id, rev);
	if (rev & (POLLIN | POLLOUT)) {
		lock_sh();
		d = desc_get(id);
		tried = !d || d->sethmcid_tried;
		unlock_sh();
		if (!tried)
			violation(t, "%s on file #%u, which never asked for a session: 0x%x", how, id,
				  rev);
	}
	if (rev & POLLHUP)
		saw_hangup(t, id, "POLLHUP");
}

static void op_poll(struct thr *t)
{
	static const short ev[] = {
		POLLIN, POLLOUT, POLLIN | POLLOUT, POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM,
		POLLPRI, 0,
	};
	struct pollfd pf[3];
	uint32_t ids[3];
	int slots[3], k = 1 + (int)below(&t->rng, 3), n = 0, i, rc, err, nz = 0;
	int timeout = below(&t->rng, 4) ? (int)below(&t->rng, 30) : 0;

	for (i = 0; i < k; i++) {
		int fd;

		slots[n] = slot_grab(t, PREF_ANY, &fd, &ids[n]);
		if (slots[n] < 0)
			break;
		pf[n].fd = fd;
		pf[n].events = ev[below(&t->rng, ARRAY_SIZE(ev))];
		pf[n].revents = 0;
		n++;
	}
	if (!n)
		return;
	rc = poll(pf, (nfds_t)n, timeout);
	err = errno;
	log_op(t, OP_POLL, ids[0], pf[0].events, -1, rc, err);
	if (rc < 0) {
		check_errno(t, C_POLL, ids[0], rc, err);
	} else {
		for (i = 0; i < n; i++) {
			if (pf[i].revents)
				nz++;
			check_revents(t, ids[i], pf[i].events, pf[i].revents, "poll");
			if (pf[i].revents & POLLHUP)
				slot_hint(slots[i], H_DEAD);
		}
		if (nz != rc)
			violation(t, "poll returned %d, %d files with revents", rc, nz);
	}
	for (i = 0; i < n; i++)
		slot_put(t, slots[i]);
}

static void op_select(struct thr *t)
{
	fd_set r, w, x;
	struct timeval tv = { 0, (long)below(&t->rng, 30) * 1000 };
	struct desc *d;
	uint32_t ids[3];
	int fds[3], slots[3], k = 1 + (int)below(&t->rng, 3), n = 0, i, rc, err, maxfd = -1;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	for (i = 0; i < k; i++) {
		slots[n] = slot_grab(t, PREF_ANY, &fds[n], &ids[n]);
		if (slots[n] < 0)
			break;
		if (below(&t->rng, 4))
			FD_SET(fds[n], &r);
		if (below(&t->rng, 2))
			FD_SET(fds[n], &w);
		if (!below(&t->rng, 4))
			FD_SET(fds[n], &x);
		if (fds[n] > maxfd)
			maxfd = fds[n];
		n++;
	}
	if (!n)
		return;
	rc = select(maxfd + 1, &r, &w, &x, &tv);
	err = errno;
	log_op(t, OP_SELECT, ids[0], n, -1, rc, err);
	if (rc < 0) {
		check_errno(t, C_SELECT, ids[0], rc, err);
	} else {
		for (i = 0; i < n; i++) {
			if (FD_ISSET(fds[i], &x))
				violation(t, "select: an exception on file #%u", ids[i]);
			if (!FD_ISSET(fds[i], &r) && !FD_ISSET(fds[i], &w))
				continue;
			lock_sh();
			d = desc_get(ids[i]);
			if (d && !d->sethmcid_tried)
				violation(t, "select: file #%u, which never asked for a session, is ready",
					  ids[i]);
			unlock_sh();
		}
	}
	for (i = 0; i < n; i++)
		slot_put(t, slots[i]);
}

static void op_signal(struct thr *t)
{
	int k, rc;

	if (proc.is_child || !sh->n_workers)
		return;
	if (below(&t->rng, 2) && proc.n_threads > 1) {
		k = (int)below(&t->rng, (uint32_t)proc.n_threads);
		rc = pthread_kill(proc.threads[k], SIGUSR1);
		log_op(t, OP_SIGNAL, 0, k, -1, rc ? -1 : 0, rc);
	} else {
		k = (int)below(&t->rng, (uint32_t)sh->n_workers);
		rc = kill(sh->workers[k], SIGUSR1);
		log_op(t, OP_SIGNAL, 0, 100 + k, -1, rc, errno);
	}
}

static void run_op(struct thr *t, int op);

/* A fork child: a few operations on the inherited files (and its own), then _exit. */
static void child_main(struct thr *t)
{
	int n, i;

	t->pid = getpid();
	t->tid = t->pid;
	t->index = -1;
	t->rng = splitmix(t->rng ^ 0xC41D);
	proc.is_child = 1;
	proc.n_threads = 0;
	pthread_mutex_init(&proc.lock, NULL);
	for (i = 0; i < SLOTS; i++)
		proc.slots[i].refs = 0;
	n = 1 + (int)below(&t->rng, 5);
	for (i = 0; i < n && !atomic_load(&sh->stop); i++) {
		int op;

		do
			op = (int)below(&t->rng, OP_COUNT);
		while (op == OP_FORK || op == OP_SIGNAL);
		alarm(1);	/* a blocking read ends with EINTR at the latest */
		run_op(t, op);
	}
	alarm(0);
	/* The files it opened itself end with it: their messages are abandoned. */
	pthread_mutex_lock(&proc.lock);
	for (i = 0; i < SLOTS; i++)
		if (proc.slots[i].used && proc.slots[i].fd >= 0 && proc.slots[i].child_opened)
			slot_close_locked(t, &proc.slots[i]);
	pthread_mutex_unlock(&proc.lock);
	fflush(stdout);
	_exit(0);
}

static void op_fork(struct thr *t)
{
	int status, err;
	pid_t pid;

	if (proc.is_child)
		return;
	/* No other thread holds the slot table in the child's copy of it. */
	pthread_mutex_lock(&proc.lock);
	pid = fork();
	if (pid == 0)
		child_main(t);
	err = errno;
	pthread_mutex_unlock(&proc.lock);
	log_op(t, OP_FORK, 0, 0, -1, pid, err);
	if (pid < 0) {
		atomic_fetch_add(&sh->fork_failed, 1);
		return;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		violation(t, "fork child %d ended with status 0x%x%s", pid, status,
			  WIFSIGNALED(status) ? " (killed by a signal)" : "");
}

static void run_op(struct thr *t, int op)
{
	atomic_fetch_add(&sh->ops[op], 1);
	switch (op) {
	case OP_OPEN:
	case OP_OPEN_NB:
		op_open(t, op == OP_OPEN_NB);
		break;
	case OP_CLOSE:
		op_close(t);
		break;
	case OP_DUP:
		op_dup(t);
		break;
	case OP_FORK:
		op_fork(t);
		break;
	case OP_SETHMCID:
		op_sethmcid(t);
		break;
	case OP_QUERY:
		op_query(t);
		break;
	case OP_REQUESTVMC:
		op_requestvmc(t);
		break;
	case OP_IOCTL:
		op_ioctl(t);
		break;
	case OP_READ:
		op_read(t);
		break;
	case OP_WRITE:
		op_write(t);
		break;
	case OP_POLL:
		op_poll(t);
		break;
	case OP_SELECT:
		op_select(t);
		break;
	case OP_FCNTL:
		op_fcntl(t);
		break;
	default:
		op_signal(t);
	}
}

static int pick_op(struct thr *t)
{
	int total = 0, i, r;

	for (i = 0; i < OP_COUNT; i++)
		total += op_weight[i];
	r = (int)below(&t->rng, (uint32_t)total);
	for (i = 0; i < OP_COUNT - 1 && r >= op_weight[i]; i++)
		r -= op_weight[i];
	return i;
}

static int thr_init(struct thr *t, uint64_t seed, int index)
{
	t->rng = splitmix(seed) | 1;
	t->index = index;
	t->pid = getpid();
	t->tid = (int)syscall(SYS_gettid);
	t->buf = malloc(BUF_LEN);
	t->msg = malloc(BUF_LEN);
	t->chk = malloc(BUF_LEN);
	return t->buf && t->msg && t->chk ? 0 : -1;
}

struct thread_arg {
	uint64_t seed;
	int index;
};

static struct thread_arg thread_args[MAX_THREADS];

static void *thread_main(void *arg)
{
	struct thread_arg *a = arg;
	struct thr t;

	if (thr_init(&t, a->seed, a->index)) {
		violation(NULL, "out of memory");
		atomic_store(&proc.done[a->index], 1);
		return NULL;
	}
	atomic_store(&proc.tids[a->index], t.tid);
	while (!atomic_load(&proc.go))
		sleep_ms(1);
	while (!atomic_load(&sh->stop)) {
		int op = pick_op(&t);

		atomic_store(&proc.cur_op[a->index], op);
		run_op(&t, op);
	}
	atomic_store(&proc.done[a->index], 1);
	return NULL;
}

/* ---- the end of a worker: every accepted write is echoed or its session hung up ---- */

static void drain(struct thr *t)
{
	struct pollfd pf[SLOTS];
	uint32_t ids[SLOTS], seq, len;
	uint64_t end = now_ms() + ECHO_TIMEOUT_MS;
	int n, i, rc, k;

	for (i = 0; i < SLOTS; i++)
		if (proc.slots[i].used && proc.slots[i].fd >= 0)
			set_nonblock(t, proc.slots[i].fd, proc.slots[i].fd_id, 1);
	for (;;) {
		n = 0;
		for (i = 0; i < SLOTS; i++) {
			struct slot *s = &proc.slots[i];

			if (!s->used || s->fd < 0 || !desc_pending(s->fd_id, NULL, NULL))
				continue;
			pf[n].fd = s->fd;
			pf[n].events = POLLIN;
			pf[n].revents = 0;
			ids[n++] = s->fd_id;
		}
		if (!n)
			return;
		if (now_ms() >= end)
			break;
		rc = poll(pf, (nfds_t)n, 100);
		if (rc < 0) {
			check_errno(t, C_POLL, ids[0], rc, errno);
			continue;
		}
		for (i = 0; i < n; i++) {
			check_revents(t, ids[i], POLLIN, pf[i].revents, "final poll");
			if (pf[i].revents & POLLIN)
				do_read(t, OP_DRAIN, pf[i].fd, ids[i], t->buf, mtu, P_VALID, mtu);
		}
	}
	for (i = 0; i < n; i++) {
		k = desc_pending(ids[i], &seq, &len);
		if (!k)
			continue;
		atomic_fetch_add(&sh->unresolved, k);
		printf("unresolved: file #%u (pid %d): %d accepted writes neither echoed nor hung up in %d s (seq %u, %u bytes, first)\n",
		       ids[i], t->pid, k, ECHO_TIMEOUT_MS / 1000, seq, len);
	}
}

static void print_stack(pid_t tid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", getpid(), tid);
	f = fopen(path, "r");
	if (!f)
		return;
	printf("kernel stack of thread %d:\n", tid);
	while (fgets(line, sizeof(line), f))
		printf("  %s", line);
	fclose(f);
}

static int worker_main(int index, int n_threads, uint64_t seed)
{
	struct thr t;
	uint64_t rng = splitmix(seed ^ 0xAB) | 1, deadline;
	int i, stuck;

	memset(&proc, 0, sizeof(proc));
	pthread_mutex_init(&proc.lock, NULL);
	proc.index = index;
	proc.n_threads = n_threads;
	for (i = 0; i < SLOTS; i++)
		proc.slots[i].fd = -1;
	if (thr_init(&t, seed ^ 0xD2A1, 0))
		return 1;
	for (i = 0; i < n_threads; i++) {
		thread_args[i].seed = seed + 1000003ull * (uint64_t)(i + 1);
		thread_args[i].index = i;
		if (pthread_create(&proc.threads[i], NULL, thread_main, &thread_args[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	atomic_store(&proc.go, 1);
	/* Now and then a signal to one of the threads: blocking reads end with EINTR. */
	while (!atomic_load(&sh->stop)) {
		sleep_ms(30 + below(&rng, 90));
		if (below(&rng, 2))
			pthread_kill(proc.threads[below(&rng, (uint32_t)n_threads)], SIGUSR1);
	}
	deadline = now_ms() + 30000;
	for (;;) {
		stuck = 0;
		for (i = 0; i < n_threads; i++)
			if (!atomic_load(&proc.done[i])) {
				stuck++;
				pthread_kill(proc.threads[i], SIGUSR1);
			}
		if (!stuck)
			break;
		if (now_ms() > deadline) {
			for (i = 0; i < n_threads; i++) {
				int op = atomic_load(&proc.cur_op[i]);

				if (atomic_load(&proc.done[i]))
					continue;
				violation(&t, "thread %d of worker %d still in %s 30 s after the end, signalled every 10 ms",
					  i, index, op_names[op]);
			}
			for (i = 0; i < n_threads; i++)
				if (!atomic_load(&proc.done[i]))
					print_stack(atomic_load(&proc.tids[i]));
			fflush(stdout);
			_exit(1);
		}
		sleep_ms(10);
	}
	for (i = 0; i < n_threads; i++)
		pthread_join(proc.threads[i], NULL);
	/* The injector has released its hold (or 3 s passed): drain. */
	deadline = now_ms() + 3000;
	while (!atomic_load(&sh->injector_done) && now_ms() < deadline)
		sleep_ms(10);
	drain(&t);
	pthread_mutex_lock(&proc.lock);
	for (i = 0; i < SLOTS; i++)
		if (proc.slots[i].used && proc.slots[i].fd >= 0)
			slot_close_locked(&t, &proc.slots[i]);
	pthread_mutex_unlock(&proc.lock);
	fflush(stdout);
	return 0;
}

/* ---- the injector ---- */

static void inject(int kind, const char *fmt, ...) __printf(2, 3);
static void inject(int kind, const char *fmt, ...)
{
	char cmd[64];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = sim_cmd("%s", cmd);
	log_entry(NULL, OP_INJECT, 0, kind, -1, rc ? -1 : 0, -rc, cmd);
	if (!rc) {
		atomic_fetch_add(&sh->injected[kind], 1);
	} else if (rc == -EIO && (kind == I_SEND || kind == I_REMOVE_BUFFER)) {
		/* Refused: no open session, no buffer of the hypervisor's, no capabilities. */
		atomic_fetch_add(&sh->inject_refused, 1);
	} else {
		atomic_fetch_add(&sh->inject_errors, 1);
		atomic_store(&sh->inject_last_errno, -rc);
		snprintf(sh->inject_last_error, sizeof(sh->inject_last_error), "%s", cmd);
	}
}

static void inject_fail(uint64_t *rng)
{
	static const char *const calls[] = {
		"send_crq", "send_crq", "send_crq", "copy_rdma", "copy_rdma", "request_vmc",
		"reg_crq", "enable_crq", "free_crq",
	};
	/* LoPAR return codes (src/hv.rs HcallRc) each call can plausibly answer. */
	static const int send_rc[] = { -12, 1, -1, 2, -4 };
	static const int rdma_rc[] = { -1, -11, -13, -14, 1 };
	static const int vmc_rc[] = { -2, -10, 3, -1, -16, -4, 1, -7 };
	const char *call = calls[below(rng, ARRAY_SIZE(calls))];
	int rc, times;

	if (!strcmp(call, "send_crq")) {
		rc = send_rc[below(rng, ARRAY_SIZE(send_rc))];
		times = 1 + (int)below(rng, 4);
	} else if (!strcmp(call, "copy_rdma")) {
		rc = rdma_rc[below(rng, ARRAY_SIZE(rdma_rc))];
		times = 1 + (int)below(rng, 3);
	} else if (!strcmp(call, "request_vmc")) {
		rc = vmc_rc[below(rng, ARRAY_SIZE(vmc_rc))];
		times = 1 + (int)below(rng, 3);
	} else if (!strcmp(call, "reg_crq")) {
		/* H_RESOURCE: freed and registered again, within the driver's attempts. */
		rc = -16;
		times = 1 + (int)below(rng, 2);
	} else {
		rc = -1;
		times = 1;
	}
	inject(I_FAIL, "fail %s %d %d", call, rc, times);
}

static void inject_one(uint64_t *rng)
{
	static const int codes[] = { 1, 2, 4, 6 };
	static const int vmc_rc[] = { 0, 0, 0, -2, -16, -4, 1, -1, -10 };
	int r = (int)below(rng, 100);
	uint32_t len;

	if (r < 30) {
		inject(I_TRANSPORT, "transport %d", codes[below(rng, ARRAY_SIZE(codes))]);
	} else if (r < 38) {
		inject(I_RESTART, "restart");
	} else if (r < 48) {
		inject(I_HOLD, "hold 1");
		sleep_ms(10 + below(rng, 290));
		if (below(rng, 3) == 0)
			inject_one(rng);
		inject(I_HOLD, "hold 0");
	} else if (r < 70) {
		inject_fail(rng);
	} else if (r < 88) {
		switch (below(rng, 4)) {
		case 0:
			len = 1;
			break;
		case 1:
			len = 2 + below(rng, 64);
			break;
		case 2:
			len = (uint32_t)mtu;
			break;
		default:
			len = 1 + below(rng, (uint32_t)mtu);
		}
		inject(I_SEND, "send %u %u", below(rng, (uint32_t)max_hmcs), len);
	} else if (r < 94) {
		inject(I_REMOVE_BUFFER, "remove_buffer %u", below(rng, (uint32_t)max_hmcs));
	} else {
		inject(I_REQUEST_VMC, "request_vmc %d 0x%x", vmc_rc[below(rng, ARRAY_SIZE(vmc_rc))],
		       (unsigned int)rnd(rng));
	}
}

static void injector(uint64_t seed)
{
	static const char *const calls[] = {
		"reg_crq", "free_crq", "enable_crq", "send_crq", "copy_rdma", "request_vmc",
	};
	uint64_t rng = splitmix(seed ^ 0x1A1A) | 1;
	unsigned int i;

	while (!atomic_load(&sh->stop)) {
		sleep_ms(20 + below(&rng, 181));
		if (atomic_load(&sh->stop))
			break;
		inject_one(&rng);
		/* Nudge a worker too: a thread blocked in read ends with EINTR. */
		if (sh->n_workers)
			kill(sh->workers[below(&rng, (uint32_t)sh->n_workers)], SIGUSR1);
	}
	/* Everything back to normal: answers released, no failure left armed. */
	inject(I_HOLD, "hold 0");
	for (i = 0; i < ARRAY_SIZE(calls); i++)
		inject(I_FAIL, "fail %s 0 0", calls[i]);
	inject(I_REQUEST_VMC, "request_vmc 0 0x10000001");
	atomic_store(&sh->injector_done, 1);
}

/* ---- self-test of the accounting ---- */

static int st_bad;

static void st_expect(const char *name, long want_violations)
{
	long got = atomic_load(&sh->violations);

	if ((want_violations && !got) || (!want_violations && got)) {
		st_bad++;
		printf("self-test FAIL %s: %ld violations (%s)\n", name, got,
		       got ? sh->first_violation : "none");
	} else {
		printf("self-test ok %s%s%s\n", name, got ? ": caught: " : "",
		       got ? sh->first_violation : "");
	}
}

static void st_reset(void)
{
	memset(sh->descs, 0, sizeof(sh->descs));
	memset(sh->msgs, 0, sizeof(sh->msgs));
	atomic_store(&sh->violations, 0);
	atomic_store(&sh->written, 0);
	atomic_store(&sh->echoed, 0);
	atomic_store(&sh->lost, 0);
	atomic_store(&sh->abandoned, 0);
	sh->first_violation[0] = 0;
}

/* A file that asked for a session. */
static uint32_t st_file(void)
{
	uint32_t id = desc_new(0);

	lock_sh();
	desc_get(id)->sethmcid_tried = 1;
	unlock_sh();
	return id;
}

/* An accepted write of len bytes on id, its bytes in t->msg; the seq. */
static uint32_t st_write(struct thr *t, uint32_t id, uint32_t len, int ok)
{
	uint32_t seq;
	uint64_t tick;

	if (msg_begin(t, id, len, &seq, &tick))
		return 0;
	if (len < HDR)
		build_short(t->msg, id, len);
	else
		build_long(t->msg, (uint32_t)t->pid, id, seq, len);
	msg_end(t, id, seq, ok ? (long)len : -EBUSY, tick);
	return seq;
}

static void st_read(struct thr *t, uint32_t id, const unsigned char *p, long n)
{
	uint64_t tick;
	uint32_t gen;
	int nb;

	read_begin(id, &tick, &nb, &gen);
	received(t, id, p, n, tick);
}

static int selftest(void)
{
	unsigned char copy[512];
	struct thr t;
	uint32_t a, b, seq, seq2;
	uint64_t rtick, wtick;
	uint32_t gen;
	int nb;

	if (thr_init(&t, 7, 0))
		return 1;
	selftest_mode = 1;

	st_reset();
	a = st_file();
	st_write(&t, a, 100, 1);
	st_read(&t, a, t.msg, 100);
	st_write(&t, a, 5, 1);
	st_read(&t, a, t.msg, 5);
	memset(copy, SEND_BYTE, 77);
	st_read(&t, a, copy, 77);
	st_expect("clean: long, short and unsolicited messages", 0);
	if (atomic_load(&sh->echoed) != 2 || atomic_load(&sh->unsolicited) != 1) {
		st_bad++;
		printf("self-test FAIL counts: echoed %ld unsolicited %ld\n",
		       atomic_load(&sh->echoed), atomic_load(&sh->unsolicited));
	}

	st_reset();
	a = st_file();
	st_write(&t, a, 64, 1);
	memcpy(copy, t.msg, 64);
	st_read(&t, a, copy, 64);
	st_read(&t, a, copy, 64);
	st_expect("duplicate echo caught", 1);

	st_reset();
	a = st_file();
	b = st_file();
	st_write(&t, a, 64, 1);
	st_read(&t, b, t.msg, 64);
	st_expect("message of another file caught", 1);

	st_reset();
	a = st_file();
	msg_begin(&t, a, 40, &seq, &wtick);
	build_long(t.msg, (uint32_t)t.pid, a, seq, 40);
	st_read(&t, a, t.msg, 40);	/* echo before write() returned: fine so far */
	msg_end(&t, a, seq, -EBUSY, wtick);
	st_expect("echo of a failed write caught", 1);

	st_reset();
	a = st_file();
	msg_begin(&t, a, 40, &seq, &wtick);
	build_long(t.msg, (uint32_t)t.pid, a, seq, 40);
	st_read(&t, a, t.msg, 40);
	msg_end(&t, a, seq, 40, wtick);
	st_expect("echo before write() returned", 0);

	st_reset();
	a = st_file();
	st_write(&t, a, 300, 1);
	saw_hangup(&t, a, "POLLHUP");
	st_read(&t, a, t.msg, 300);
	st_expect("message read after the hang-up caught", 1);

	st_reset();
	a = st_file();
	st_write(&t, a, 300, 1);
	read_begin(a, &rtick, &nb, &gen);
	saw_hangup(&t, a, "POLLHUP");
	received(&t, a, t.msg, 300, rtick);
	st_expect("a read that started before the hang-up", 0);
	if (atomic_load(&sh->lost) != 0 || atomic_load(&sh->echoed) != 1) {
		st_bad++;
		printf("self-test FAIL lost %ld echoed %ld\n", atomic_load(&sh->lost),
		       atomic_load(&sh->echoed));
	}

	st_reset();
	a = st_file();
	saw_hangup(&t, a, "POLLHUP");
	st_write(&t, a, 300, 1);
	st_expect("write accepted after the hang-up caught", 1);

	st_reset();
	a = st_file();
	st_write(&t, a, 200, 1);
	t.msg[150] ^= 0x40;
	st_read(&t, a, t.msg, 200);
	st_expect("corrupted byte caught", 1);

	st_reset();
	a = st_file();
	st_write(&t, a, 200, 1);
	st_read(&t, a, t.msg, 199);
	st_expect("truncated echo caught", 1);

	st_reset();
	a = st_file();
	st_write(&t, a, 7, 1);
	t.msg[3] ^= 1;
	st_read(&t, a, t.msg, 7);
	st_expect("corrupted short message caught", 1);

	st_reset();
	a = st_file();
	st_write(&t, a, 7, 1);
	st_read(&t, a, t.msg, 7);
	st_read(&t, a, t.msg, 7);
	st_expect("duplicate short message caught", 1);

	st_reset();
	a = st_file();
	b = st_file();
	st_write(&t, a, 9, 1);
	st_read(&t, b, t.msg, 9);
	st_expect("short message of another file caught", 1);

	st_reset();
	a = st_file();
	memset(copy, SEND_BYTE, 80);
	copy[40] = 0;
	st_read(&t, a, copy, 80);
	st_expect("foreign message caught", 1);

	st_reset();
	a = desc_new(0);
	memset(copy, SEND_BYTE, 80);
	st_read(&t, a, copy, 80);
	st_expect("message on a file without SETHMCID caught", 1);

	st_reset();
	a = st_file();
	st_write(&t, a, 64, 1);
	desc_closed(a);
	st_read(&t, a, t.msg, 64);
	st_expect("late echo on a closed file (a fork child's)", 0);

	st_reset();
	a = st_file();
	seq = st_write(&t, a, 64, 1);
	seq2 = st_write(&t, a, 65, 1);
	if (desc_pending(a, NULL, NULL) != 2 || seq == seq2)
		violation(&t, "pending %d", desc_pending(a, NULL, NULL));
	saw_hangup(&t, a, "EBADFD");
	if (desc_pending(a, NULL, NULL) != 0 || atomic_load(&sh->lost) != 2)
		violation(&t, "after hang-up: pending %d lost %ld", desc_pending(a, NULL, NULL),
			  atomic_load(&sh->lost));
	st_expect("hang-up resolves what is in flight", 0);

	st_reset();
	check_errno(&t, C_OTHER_IOCTL, 1, -1, ENOTTY);
	check_errno(&t, C_READ, 1, -1, EMSGSIZE);
	check_errno(&t, C_READ, 1, -1, EINTR);
	check_errno(&t, C_WRITE, 1, -1, EBUSY);
	check_errno(&t, C_SETHMCID, 1, -1, ENOBUFS);
	check_errno(&t, C_REQUESTVMC, 1, -1, ENODEV);
	check_errno(&t, C_POLL, 1, -1, EINTR);
	check_errno(&t, C_QUERY, 1, 0, 0);
	st_expect("contract: allowed errnos", 0);
	check_errno(&t, C_OTHER_IOCTL, 1, -1, EINVAL);
	st_expect("contract: unknown ioctl EINVAL caught", 1);
	st_reset();
	check_errno(&t, C_WRITE, 1, -1, EINVAL);
	st_expect("contract: write EINVAL caught", 1);
	st_reset();
	check_errno(&t, C_CLOSE, 1, -1, EIO);
	st_expect("contract: close EIO caught", 1);
	st_reset();
	forbidden_errno = EBUSY;
	check_errno(&t, C_WRITE, 1, -1, EBUSY);
	forbidden_errno = 0;
	st_expect("-F: a forbidden errno caught", 1);

	printf("vmc_fuzz self-test: %s\n", st_bad ? "FAIL" : "ok");
	return st_bad ? 1 : 0;
}

/* ---- main ---- */

static void on_signal(int sig)
{
	(void)sig;
}

static long long driver_resets(void)
{
	static const char *const names[] = {
		"resets_partner_gone", "resets_suspended", "resets_partner_restarted",
		"resets_stalled",
	};
	long long sum = 0, v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		v = stat_value(names[i]);
		if (v > 0)
			sum += v;
	}
	return sum;
}

/*
 * Messages lost without a hang-up, as the driver and simulator count them (each may be
 * an echo of ours): the driver's H_COPY_RDMA of an incoming message failed, or the
 * simulator's backlog was full. (A Signal the driver drops as invalid is one that
 * raced with a reset, whose hang-up accounts for it.)
 */
static long long drops(void)
{
	long long sum = 0, v;

	v = stat_value("dropped_rdma");
	sum += v > 0 ? v : 0;
	v = sim_value("dropped_to_partition");
	sum += v > 0 ? v : 0;
	return sum;
}

static int setup(void)
{
	struct sigaction sa;
	pthread_mutexattr_t ma;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return -1;
	}
	memset(sh, 0, sizeof(*sh));
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&sh->lock, &ma);
	pthread_mutex_init(&sh->print_lock, &ma);
	pthread_mutexattr_destroy(&ma);

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	pages = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		     0);
	if (pages == MAP_FAILED) {
		perror("mmap");
		return -1;
	}
	memset(pages, 0x33, 4 * page_size);
	if (munmap(pages + page_size, page_size) ||
	    mprotect(pages + 2 * page_size, page_size, PROT_READ) ||
	    mprotect(pages + 3 * page_size, page_size, PROT_NONE)) {
		perror("munmap/mprotect");
		return -1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a blocking read ends with EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	t0_us = now_us();
	return 0;
}

/* The driver serves a clean session after the storm. NULL, or what failed. */
static const char *after_the_storm(void)
{
	static char why[128];
	struct ibmvmc_query_struct q;
	unsigned char m[100], r[128];
	const char *what = "";
	int fd = open(VMC_DEV, O_RDWR);
	long n;

	if (fd < 0 || wait_driver_ready(fd, 15000, &q)) {
		if (fd >= 0)
			close(fd);
		return "driver not ready 15 s after the last fault";
	}
	close(fd);
	fd = open_session("after", 10000, &what);
	if (fd < 0) {
		snprintf(why, sizeof(why), "session after the storm: %s: %s", what,
			 errno_name(-fd));
		return why;
	}
	pattern_fill(m, sizeof(m), 77);
	n = round_trip(fd, m, sizeof(m), r, sizeof(r), 5000, &what);
	close(fd);
	if (n != (long)sizeof(m) || memcmp(m, r, sizeof(m))) {
		snprintf(why, sizeof(why), "echo after the storm: %s %s", what,
			 n < 0 ? errno_name((int)-n) : "wrong bytes");
		return why;
	}
	return NULL;
}

/* -v: the results of each operation. */
static void print_op_errnos(void)
{
	int op, i;

	for (op = 0; op < OP_LOG_KINDS; op++) {
		if (op == OP_INJECT)
			continue;
		printf("  %-10s", op_names[op]);
		for (i = 0; i < ERR_MAX; i++)
			if (atomic_load(&sh->op_errs[op][i]))
				printf(" %s=%ld", i ? errno_name(i) : "ok",
				       atomic_load(&sh->op_errs[op][i]));
		printf("\n");
	}
}

static void summary(const char *verdict, unsigned long long seed, double secs,
		    long long resets, long long dropped)
{
	long total = 0;
	int i;

	for (i = 0; i < OP_COUNT; i++)
		total += atomic_load(&sh->ops[i]);
	printf("vmc_fuzz: %s seed %llu %.1f s ops %ld:", verdict, seed, secs, total);
	for (i = 0; i < OP_COUNT; i++)
		printf(" %s=%ld", op_names[i], atomic_load(&sh->ops[i]));
	printf("; errno");
	for (i = 0; i < ERR_MAX; i++)
		if (atomic_load(&sh->errs[i]))
			printf(" %s=%ld", i ? errno_name(i) : "ok", atomic_load(&sh->errs[i]));
	printf("; msgs written=%ld echoed=%ld (short %ld, late %ld) lost-by-hangup=%ld abandoned=%ld unsolicited=%ld unresolved=%ld dropped=%lld",
	       atomic_load(&sh->written), atomic_load(&sh->echoed), atomic_load(&sh->short_echoed),
	       atomic_load(&sh->late), atomic_load(&sh->lost), atomic_load(&sh->abandoned),
	       atomic_load(&sh->unsolicited), atomic_load(&sh->unresolved), dropped);
	printf("; hangups=%ld resets=%lld; injected", atomic_load(&sh->hangups), resets);
	for (i = 0; i < I_KINDS; i++)
		printf(" %s=%ld", inj_names[i], atomic_load(&sh->injected[i]));
	printf(" refused=%ld errors=%ld; violations=%ld\n", atomic_load(&sh->inject_refused),
	       atomic_load(&sh->inject_errors), atomic_load(&sh->violations));
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	int seconds = 20, procs = 3, threads = 2, inject_on = 1, opt, i, failed = 0, status;
	int verbose = 0;
	long long resets0, drops0, proto, resets, dropped;
	pid_t inj = -1;
	uint64_t end, next;
	const char *bad;
	uint64_t rng;
	long in_flight = 0;

	if (argc == 2 && !strcmp(argv[1], "--selftest")) {
		if (setup())
			return 1;
		return selftest();
	}
	while ((opt = getopt(argc, argv, "s:t:p:T:I:F:v")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 'p':
			procs = atoi(optarg);
			break;
		case 'T':
			threads = atoi(optarg);
			break;
		case 'I':
			inject_on = atoi(optarg);
			break;
		case 'F':
			forbidden_errno = atoi(optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: vmc_fuzz [-s SEED] [-t SECONDS] [-p PROCS] [-T THREADS] [-I 0|1] [-F ERRNO] [-v] | --selftest\n");
			return 2;
		}
	}
	if (procs < 1 || procs > MAX_PROCS || threads < 1 || threads > MAX_THREADS || seconds < 1) {
		fprintf(stderr, "vmc_fuzz: argument out of range\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ensure_debugfs();
	mtu = device_mtu();
	{
		FILE *f = fopen("/sys/module/ibmvmc/parameters/max_hmcs", "r");

		if (f) {
			if (fscanf(f, "%d", &max_hmcs) != 1 || max_hmcs < 1)
				max_hmcs = 1;
			fclose(f);
		}
	}
	if (setup())
		return 1;
	printf("vmc_fuzz: seed %llu, %d s, %d processes x %d threads, max_mtu %zu, max_hmcs %d%s\n",
	       seed, seconds, procs, threads, mtu, max_hmcs, inject_on ? "" : ", no injector");
	if (forbidden_errno)
		printf("vmc_fuzz: -F %s: pretending it is in no contract (this run must fail)\n",
		       errno_name(forbidden_errno));
	resets0 = driver_resets();
	drops0 = drops();
	rng = splitmix(seed) | 1;

	sh->n_workers = procs;
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(worker_main(i, threads, splitmix(seed * 7919 + (uint64_t)i)));
		if (pid < 0) {
			perror("fork");
			atomic_store(&sh->stop, 1);
			procs = i;
			break;
		}
		sh->workers[i] = pid;
	}
	if (inject_on) {
		inj = fork();
		if (inj == 0) {
			injector(seed);
			_exit(0);
		}
	} else {
		atomic_store(&sh->injector_done, 1);
	}
	end = now_ms() + (uint64_t)seconds * 1000;
	while (now_ms() < end && !atomic_load(&sh->stop)) {
		sleep_ms(20 + below(&rng, 80));
		if (procs)
			kill(sh->workers[below(&rng, (uint32_t)procs)], SIGUSR1);
	}
	atomic_store(&sh->stop, 1);
	if (inj > 0)
		while (waitpid(inj, NULL, 0) < 0 && errno == EINTR)
			;
	atomic_store(&sh->injector_done, 1);
	/* Workers stop, drain (10 s at most) and exit. */
	next = now_ms() + 60000;
	for (i = 0; i < procs; i++) {
		for (;;) {
			pid_t r = waitpid(sh->workers[i], &status, WNOHANG);

			if (r == sh->workers[i])
				break;
			if (now_ms() > next) {
				violation(NULL, "worker %d (pid %d) did not exit 60 s after the end", i,
					  sh->workers[i]);
				kill(sh->workers[i], SIGKILL);
				waitpid(sh->workers[i], &status, 0);
				break;
			}
			kill(sh->workers[i], SIGUSR1);
			sleep_ms(20);
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("worker %d (pid %d) ended with status 0x%x\n", i, sh->workers[i], status);
			failed++;
		}
	}

	resets = driver_resets() - resets0;
	dropped = drops() - drops0;
	/* Every message is accounted for, and none is left in flight. */
	for (i = 0; i < MSG_CAP; i++)
		if (sh->msgs[i].state == M_WRITING || sh->msgs[i].state == M_OUTSTANDING ||
		    sh->msgs[i].state == M_EARLY)
			in_flight++;
	if (in_flight || atomic_load(&sh->written) != atomic_load(&sh->echoed) +
	    atomic_load(&sh->lost) + atomic_load(&sh->abandoned))
		violation(NULL, "accounting: written %ld != echoed %ld + lost %ld + abandoned %ld, %ld in flight",
			  atomic_load(&sh->written), atomic_load(&sh->echoed), atomic_load(&sh->lost),
			  atomic_load(&sh->abandoned), in_flight);
	if (atomic_load(&sh->unresolved) > dropped)
		violation(NULL, "%ld accepted writes neither echoed nor hung up, %lld dropped by the driver or simulator",
			  atomic_load(&sh->unresolved), dropped);
	if (atomic_load(&sh->inject_errors)) {
		printf("injector: %ld simulator commands failed (last '%s': %s)\n",
		       atomic_load(&sh->inject_errors), sh->inject_last_error,
		       errno_name(atomic_load(&sh->inject_last_errno)));
		failed++;
	}
	bad = after_the_storm();
	if (bad) {
		printf("FAIL %s\n", bad);
		failed++;
	}
	proto = sim_value("protocol_errors");
	if (proto > 0) {
		printf("FAIL the simulator counted %lld protocol errors by the driver\n", proto);
		failed++;
	}
	if (atomic_load(&sh->violations))
		printf("first violation: %s\n", sh->first_violation);
	if (verbose)
		print_op_errnos();
	summary(failed || atomic_load(&sh->violations) ? "FAIL" : "ok", seed,
		(double)(now_us() - t0_us) / 1e6, resets, dropped);
	return failed || atomic_load(&sh->violations) ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /dev/ibmvmc: the misc device, its file operations, the per-connection wait queues,
 * the module parameters and the debugfs files.
 *
 * C is the better tool here: kernel::miscdevice in 7.3 has no poll hook, and a
 * file_operations table with a wait loop around wait_event_interruptible() is a few
 * lines of C. Every decision is made in Rust (src/kmod/cdev.rs calling the core's
 * API); this file only moves arguments across and sleeps where the core said "again".
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "shim.h"

/*
 * The C driver's parameters, same names, defaults and ranges (clamped with a warning
 * at load, in Rust). Read-only once loaded (0444): the driver copies them at load and
 * never reads them again, so nothing can change array bounds under it (the C driver's
 * defect 21).
 */
static int buf_pool_size = 32;
module_param(buf_pool_size, int, 0444);
MODULE_PARM_DESC(buf_pool_size, "Buffers per HMC connection (16..64, default 32)");
static int max_hmcs = 1;
module_param(max_hmcs, int, 0444);
MODULE_PARM_DESC(max_hmcs, "HMC connections (1..2, default 1)");
static int max_mtu = 4096;
module_param(max_mtu, int, 0444);
MODULE_PARM_DESC(max_mtu, "Largest message in bytes (4096..16384, default 4096)");

MODULE_VERSION(IBMVMC_VERSION);
#ifdef IBMVMC_SIM
/* modinfo -F backend: unmistakable for an administrator. */
MODULE_INFO(backend, "simulator (tests only: no PowerVM hypervisor behind /dev/ibmvmc)");
#else
MODULE_INFO(backend, "pseries");
#endif

int ibmvmc_param_buf_pool_size(void) { return buf_pool_size; }
int ibmvmc_param_max_hmcs(void) { return max_hmcs; }
int ibmvmc_param_max_mtu(void) { return max_mtu; }

/* At load, once: the values in use after clamping, so /sys shows what the driver uses. */
void ibmvmc_params_set(int pool, int hmcs, int mtu)
{
	buf_pool_size = pool;
	max_hmcs = hmcs;
	max_mtu = mtu;
}

/*
 * One wait queue per HMC connection (a message for one session wakes only its own
 * readers, unlike the C driver's single queue, defect 7), and one for files that hold
 * no connection (woken only when the device goes away).
 */
#define IBMVMC_QUEUES (IBMVMC_MAX_HMCS + 1)
/* Initialised statically: the driver's tasks may wake them before the device exists. */
static wait_queue_head_t ibmvmc_wq[IBMVMC_QUEUES] = {
	__WAIT_QUEUE_HEAD_INITIALIZER(ibmvmc_wq[0]),
	__WAIT_QUEUE_HEAD_INITIALIZER(ibmvmc_wq[1]),
	__WAIT_QUEUE_HEAD_INITIALIZER(ibmvmc_wq[2]),
};
/* One initialiser per queue above: a new IBMVMC_MAX_HMCS needs one more. */
static_assert(ARRAY_SIZE(ibmvmc_wq) == 3);

static wait_queue_head_t *ibmvmc_queue(int index)
{
	if (index < 0 || index >= IBMVMC_QUEUES - 1)
		return &ibmvmc_wq[IBMVMC_QUEUES - 1];
	return &ibmvmc_wq[index];
}

/* Any context: the core calls it from the bottom half and from file operations. */
void ibmvmc_wake(int index)
{
	wake_up_interruptible(ibmvmc_queue(index));
}

void ibmvmc_wake_all(void)
{
	int i;

	for (i = 0; i < IBMVMC_QUEUES; i++)
		wake_up_interruptible(&ibmvmc_wq[i]);
}

bool ibmvmc_capable_sys_admin(void)
{
	return capable(CAP_SYS_ADMIN);
}

static int ibmvmc_open(struct inode *inode, struct file *file)
{
	void *session = ibmvmc_rs_open();

	if (!session)
		return -ENOMEM;
	file->private_data = session;
	return nonseekable_open(inode, file);
}

static int ibmvmc_release(struct inode *inode, struct file *file)
{
	ibmvmc_rs_release(file->private_data);
	return 0;
}

static bool ibmvmc_read_ready(void *session)
{
	return ibmvmc_rs_poll(session) & (IBMVMC_READABLE | IBMVMC_HANGUP);
}

static ssize_t ibmvmc_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	void *session = file->private_data;
	ssize_t ret;

	for (;;) {
		ret = ibmvmc_rs_read(session, buf, len);
		if (ret != -EAGAIN || (file->f_flags & O_NONBLOCK))
			return ret;
		if (wait_event_interruptible(*ibmvmc_queue(ibmvmc_rs_wait_index(session)),
					     ibmvmc_read_ready(session)))
			return -ERESTARTSYS;
	}
}

static ssize_t ibmvmc_write(struct file *file, const char __user *buf, size_t len,
			    loff_t *ppos)
{
	return ibmvmc_rs_write(file->private_data, buf, len);
}

static __poll_t ibmvmc_poll(struct file *file, poll_table *wait)
{
	void *session = file->private_data;
	__poll_t mask = 0;
	int ready;

	poll_wait(file, ibmvmc_queue(ibmvmc_rs_wait_index(session)), wait);
	ready = ibmvmc_rs_poll(session);
	if (ready & IBMVMC_READABLE)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (ready & IBMVMC_WRITABLE)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (ready & IBMVMC_HANGUP)
		mask |= EPOLLHUP | EPOLLERR;
	return mask;
}

static long ibmvmc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return ibmvmc_rs_ioctl(file->private_data, cmd, arg);
}

static const struct file_operations ibmvmc_fops = {
	.owner = THIS_MODULE,
	.open = ibmvmc_open,
	.release = ibmvmc_release,
	.read = ibmvmc_read,
	.write = ibmvmc_write,
	.poll = ibmvmc_poll,
	.unlocked_ioctl = ibmvmc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice ibmvmc_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ibmvmc",
	.fops = &ibmvmc_fops,
	.mode = 0600,
};

/*
 * debugfs: ibmvmc/stats and ibmvmc/state (read), ibmvmc/sim (simulator builds: write
 * commands, read the simulator's counters).
 */
static struct dentry *ibmvmc_debugfs;

#define IBMVMC_TEXT_MAX 4096

static ssize_t ibmvmc_text_read(struct file *file, char __user *buf, size_t len,
				loff_t *ppos, int which)
{
	char *text;
	ssize_t n, ret;

	text = kzalloc(IBMVMC_TEXT_MAX, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	n = ibmvmc_rs_debugfs_text(which, text, IBMVMC_TEXT_MAX);
	ret = n < 0 ? n : simple_read_from_buffer(buf, len, ppos, text, n);
	kfree(text);
	return ret;
}

static ssize_t ibmvmc_stats_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	return ibmvmc_text_read(file, buf, len, ppos, IBMVMC_TEXT_STATS);
}

static const struct file_operations ibmvmc_stats_fops = {
	.owner = THIS_MODULE,
	.read = ibmvmc_stats_read,
	.llseek = default_llseek,
};

static ssize_t ibmvmc_state_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	return ibmvmc_text_read(file, buf, len, ppos, IBMVMC_TEXT_STATE);
}

static const struct file_operations ibmvmc_state_fops = {
	.owner = THIS_MODULE,
	.read = ibmvmc_state_read,
	.llseek = default_llseek,
};

#ifdef IBMVMC_SIM
static ssize_t ibmvmc_sim_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	return ibmvmc_text_read(file, buf, len, ppos, IBMVMC_TEXT_SIM);
}

static ssize_t ibmvmc_sim_write(struct file *file, const char __user *buf, size_t len,
				loff_t *ppos)
{
	char cmd[128];
	long ret;

	if (len == 0 || len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, buf, len))
		return -EFAULT;
	cmd[len] = '\0';
	ret = ibmvmc_rs_sim_command(cmd, len);
	return ret < 0 ? ret : len;
}

static const struct file_operations ibmvmc_sim_fops = {
	.owner = THIS_MODULE,
	.read = ibmvmc_sim_read,
	.write = ibmvmc_sim_write,
	.llseek = default_llseek,
};
#endif

int ibmvmc_cdev_register(void)
{
	int rc;

	rc = misc_register(&ibmvmc_miscdev);
	if (rc)
		return rc;
	ibmvmc_debugfs = debugfs_create_dir("ibmvmc", NULL);
	debugfs_create_file("stats", 0400, ibmvmc_debugfs, NULL, &ibmvmc_stats_fops);
	debugfs_create_file("state", 0400, ibmvmc_debugfs, NULL, &ibmvmc_state_fops);
	ibmvmc_trace_debugfs(ibmvmc_debugfs);
#ifdef IBMVMC_SIM
	debugfs_create_file("sim", 0600, ibmvmc_debugfs, NULL, &ibmvmc_sim_fops);
#endif
	return 0;
}

/* Process context. No file can be open: the fops' owner pins the module. */
void ibmvmc_cdev_unregister(void)
{
	debugfs_remove(ibmvmc_debugfs);
	misc_deregister(&ibmvmc_miscdev);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trace's debugfs files and its run-time level (the Rust side is trace.rs):
 *
 *   ibmvmc/trace           read: drains the ring, end of file when empty; write: clears it
 *   ibmvmc/trace_snapshot  read: what was not drained yet at open, without draining
 *   ibmvmc/trace_pipe      read: drains, then blocks for new frames (O_NONBLOCK: EAGAIN)
 *   /sys/module/ibmvmc/parameters/trace_level   off|error|warn|info|debug|trace or 0..5
 *
 * Each open's stream starts with a header (see src/trace.rs). A read peeks into a kernel
 * buffer, copies to user space, and only then consumes, so EFAULT loses no frame. The
 * drain readers share one cursor; `ibmvmc_trace_lock` serialises their peek-copy-commit.
 * The logger cannot take a wait queue's lock inside its raw spinlock, so it wakes
 * trace_pipe readers through an irq_work.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/irq_work.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "shim.h"

#define IBMVMC_TRACE_CHUNK 4096

static DEFINE_MUTEX(ibmvmc_trace_lock);
static DECLARE_WAIT_QUEUE_HEAD(ibmvmc_trace_wq);

static void ibmvmc_trace_wake(struct irq_work *work)
{
	wake_up_interruptible(&ibmvmc_trace_wq);
}

static struct irq_work ibmvmc_trace_work = IRQ_WORK_INIT(ibmvmc_trace_wake);

/* Any context, inside the logger's critical section: a frame was committed. */
void ibmvmc_trace_kick(void)
{
	if (wq_has_sleeper(&ibmvmc_trace_wq))
		irq_work_queue(&ibmvmc_trace_work);
}

/* Module exit: no trace file can be open (they pin the module), so none sleeps. */
void ibmvmc_trace_sync(void)
{
	irq_work_sync(&ibmvmc_trace_work);
}

struct ibmvmc_trace_file {
	void *reader;
	int mode;
	char buf[IBMVMC_TRACE_CHUNK];
};

static int ibmvmc_trace_open_mode(struct file *file, int mode)
{
	struct ibmvmc_trace_file *tf;

	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC) && mode == IBMVMC_TRACE_DRAIN)
		ibmvmc_rs_trace_clear();
	if (!(file->f_mode & FMODE_READ))
		return 0;
	tf = kzalloc_obj(*tf, GFP_KERNEL);
	if (!tf)
		return -ENOMEM;
	tf->mode = mode;
	tf->reader = ibmvmc_rs_trace_open(mode);
	if (!tf->reader) {
		kfree(tf);
		return -ENOMEM;
	}
	file->private_data = tf;
	return nonseekable_open(file->f_inode, file);
}

static int ibmvmc_trace_open(struct inode *inode, struct file *file)
{
	return ibmvmc_trace_open_mode(file, IBMVMC_TRACE_DRAIN);
}

static int ibmvmc_trace_snapshot_open(struct inode *inode, struct file *file)
{
	return ibmvmc_trace_open_mode(file, IBMVMC_TRACE_SNAPSHOT);
}

static int ibmvmc_trace_pipe_open(struct inode *inode, struct file *file)
{
	return ibmvmc_trace_open_mode(file, IBMVMC_TRACE_PIPE);
}

static int ibmvmc_trace_release(struct inode *inode, struct file *file)
{
	struct ibmvmc_trace_file *tf = file->private_data;

	if (tf) {
		ibmvmc_rs_trace_release(tf->reader);
		kfree(tf);
	}
	return 0;
}

static bool ibmvmc_trace_ready(struct ibmvmc_trace_file *tf)
{
	bool ready;

	mutex_lock(&ibmvmc_trace_lock);
	ready = ibmvmc_rs_trace_pending(tf->reader);
	mutex_unlock(&ibmvmc_trace_lock);
	return ready;
}

static ssize_t ibmvmc_trace_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	struct ibmvmc_trace_file *tf = file->private_data;
	ssize_t n;
	int ret;

	if (!tf)
		return -EBADF;
	for (;;) {
		mutex_lock(&ibmvmc_trace_lock);
		n = ibmvmc_rs_trace_peek(tf->reader, tf->buf, min_t(size_t, len, sizeof(tf->buf)));
		if (n < 0) {
			/* Frames wait, but the next does not fit in @len: never split one. */
			mutex_unlock(&ibmvmc_trace_lock);
			return n;
		}
		if (n > 0) {
			if (copy_to_user(ubuf, tf->buf, n)) {
				mutex_unlock(&ibmvmc_trace_lock);
				return -EFAULT;
			}
			ibmvmc_rs_trace_commit(tf->reader);
		}
		mutex_unlock(&ibmvmc_trace_lock);
		if (n > 0 || len == 0 || tf->mode != IBMVMC_TRACE_PIPE)
			return n;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		/* The header went out with the first read: only the ring can make it ready. */
		ret = wait_event_interruptible(ibmvmc_trace_wq, ibmvmc_rs_trace_drain_pending());
		if (ret)
			return ret;
	}
}

static __poll_t ibmvmc_trace_poll(struct file *file, poll_table *wait)
{
	struct ibmvmc_trace_file *tf = file->private_data;

	if (!tf)
		return EPOLLERR;
	poll_wait(file, &ibmvmc_trace_wq, wait);
	return ibmvmc_trace_ready(tf) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* `echo > trace` (or any write): forget every frame kept. */
static ssize_t ibmvmc_trace_write(struct file *file, const char __user *buf, size_t len,
				  loff_t *ppos)
{
	ibmvmc_rs_trace_clear();
	return len;
}

static const struct file_operations ibmvmc_trace_fops = {
	.owner = THIS_MODULE,
	.open = ibmvmc_trace_open,
	.release = ibmvmc_trace_release,
	.read = ibmvmc_trace_read,
	.write = ibmvmc_trace_write,
};

static const struct file_operations ibmvmc_trace_snapshot_fops = {
	.owner = THIS_MODULE,
	.open = ibmvmc_trace_snapshot_open,
	.release = ibmvmc_trace_release,
	.read = ibmvmc_trace_read,
};

static const struct file_operations ibmvmc_trace_pipe_fops = {
	.owner = THIS_MODULE,
	.open = ibmvmc_trace_pipe_open,
	.release = ibmvmc_trace_release,
	.read = ibmvmc_trace_read,
	.poll = ibmvmc_trace_poll,
};

void ibmvmc_trace_debugfs(struct dentry *dir)
{
	debugfs_create_file("trace", 0600, dir, NULL, &ibmvmc_trace_fops);
	debugfs_create_file("trace_snapshot", 0400, dir, NULL, &ibmvmc_trace_snapshot_fops);
	debugfs_create_file("trace_pipe", 0400, dir, NULL, &ibmvmc_trace_pipe_fops);
}

static int ibmvmc_trace_level_set(const char *val, const struct kernel_param *kp)
{
	return ibmvmc_rs_trace_level_set(val, strlen(val));
}

static int ibmvmc_trace_level_get(char *buf, const struct kernel_param *kp)
{
	return ibmvmc_rs_trace_level_get(buf, PAGE_SIZE);
}

static const struct kernel_param_ops ibmvmc_trace_level_ops = {
	.set = ibmvmc_trace_level_set,
	.get = ibmvmc_trace_level_get,
};

module_param_cb(trace_level, &ibmvmc_trace_level_ops, NULL, 0644);
MODULE_PARM_DESC(trace_level,
		 "defmt trace level kept in the ring: off, error, warn, info (default), debug, trace");

/* SPDX-License-Identifier: GPL-2.0+ WITH Linux-syscall-note */
/*
 * User-space interface of /dev/ibmvmc, the IBM Virtual Management Channel device.
 *
 * The ABI is the C driver's (drivers/misc/ibmvmc.h), kept bit for bit so that existing
 * management applications work unchanged:
 *
 *   fd = open("/dev/ibmvmc", O_RDWR);
 *   ioctl(fd, VMC_IOCTL_SETHMCID, hmc_id);     32 bytes, not NUL-terminated
 *   poll() for POLLOUT                         the open completed
 *   write(fd, msg, len);                       one message, len <= MTU
 *   read(fd, buf, MTU);                        one whole message
 *
 * Errno contract (this driver; see README "The errno contract"):
 *   open       ENOMEM
 *   SETHMCID   EIO driver failed / session not initial / reset; EAGAIN driver not ready;
 *              EBUSY every connection taken, or right after a close the buffer for
 *              the next open is on its way, or right after a reset a file of the old
 *              session still copies out (retry); ENOBUFS no buffer from the
 *              hypervisor since the handshake (retry); EFAULT
 *   QUERY      EFAULT
 *   write      EIO no session, not open, len > MTU, transport failure; EBUSY open in
 *              flight, no free send buffer, hypervisor queue full; EFAULT
 *   read       EINVAL len > MTU; EIO no session; EBADFD session reset/closed/refused;
 *              EAGAIN (O_NONBLOCK) nothing queued; EMSGSIZE next message longer than
 *              len (it stays queued); EBUSY right after a reset, a file of the old
 *              session still copies out (retry); EFAULT (the message stays queued);
 *              EINTR a signal ended the wait
 *   poll       POLLIN message queued; POLLOUT open and a send buffer free;
 *              POLLHUP|POLLERR reset, closed or refused
 *   REQUESTVMC needs CAP_SYS_ADMIN (EPERM); EPERM/EIO/ENODEV/EINVAL/EBUSY from the
 *              hcall; EFAULT
 *   other      ENOTTY (the C driver answered EINVAL)
 */
#ifndef _UAPI_LINUX_IBMVMC_H
#define _UAPI_LINUX_IBMVMC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Length of the HMC ID that VMC_IOCTL_SETHMCID copies from user space. */
#define HMC_ID_LEN		32

/* Module parameter ranges (buf_pool_size, max_hmcs, max_mtu) and defaults. */
#define IBMVMC_MIN_BUF_POOL_SIZE	16
#define IBMVMC_MAX_BUF_POOL_SIZE	64
#define IBMVMC_DEFAULT_BUF_POOL_SIZE	32
#define IBMVMC_MIN_HMCS			1
#define IBMVMC_MAX_HMCS			2
#define IBMVMC_DEFAULT_HMCS		1
#define IBMVMC_MIN_MTU			4096
#define IBMVMC_MAX_MTU			(4 * 4096)
#define IBMVMC_DEFAULT_MTU		4096

/* VMC_IOCTL_QUERY's answer. */
struct ibmvmc_query_struct {
	int have_vmc;		/* state > IBMVMC_STATE_INITIAL */
	int state;		/* enum ibmvmc_states */
	int vmc_drc_index;	/* from the last successful VMC_IOCTL_REQUESTVMC */
};

/* ioctl numbers */
#define VMC_BASE		0xCC
/*
 * Takes an HMC connection and starts its open. The size field is that of a pointer
 * (historical); the driver copies HMC_ID_LEN bytes from the pointer passed as argument.
 */
#define VMC_IOCTL_SETHMCID	_IOW(VMC_BASE, 0x00, unsigned char *)
#define VMC_IOCTL_QUERY		_IOR(VMC_BASE, 0x01, struct ibmvmc_query_struct)
/* H_REQUEST_VMC; writes the DRC index (a __u32). Needs CAP_SYS_ADMIN. */
#define VMC_IOCTL_REQUESTVMC	_IOR(VMC_BASE, 0x02, __u32)

/* Driver states, as VMC_IOCTL_QUERY reports them. */
enum ibmvmc_states {
	ibmvmc_state_sched_reset  = -1,
	ibmvmc_state_initial      = 0,
	ibmvmc_state_crqinit      = 1,
	ibmvmc_state_capabilities = 2,
	ibmvmc_state_ready        = 3,
	ibmvmc_state_failed       = 4
};

#define IBMVMC_STATE_SCHED_RESET	(-1)
#define IBMVMC_STATE_INITIAL		0
#define IBMVMC_STATE_CRQINIT		1
#define IBMVMC_STATE_CAPABILITIES	2
#define IBMVMC_STATE_READY		3
#define IBMVMC_STATE_FAILED		4

/* HMC connection states (not visible through the ABI; for diagnostics). */
#define IBMHMC_STATE_FREE		0
#define IBMHMC_STATE_INITIAL		1
#define IBMHMC_STATE_OPENING		2
#define IBMHMC_STATE_READY		3
#define IBMHMC_STATE_FAILED		4

#endif /* _UAPI_LINUX_IBMVMC_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pseries backend's C half (built with IBMVMC_BACKEND=pseries only): the VIO
 * driver for the VMC device and thin wrappers of its hcalls, one attempt each. Every
 * decision (retries, the handshake, what a return code means) is the core's, in
 * Rust; src/kmod/pseries.rs wraps each function below once, in a safe function.
 *
 * Lifetimes. Probe allocates one `struct ibmvmc_pseries` per device. Remove stops it
 * (ibmvmc_pseries_stop: no more hcalls on the unit, IRQ freed, queue freed, every DMA
 * mapping undone) but keeps the structure and the message buffers' memory: the
 * driver core holds references to those buffers and its tasks stay on the executor
 * until module exit, which frees both (ibmvmc_pseries_release) after the executor
 * has shut down.
 *
 * Locking. `lock` is a raw spinlock taken with interrupts saved, because the core
 * calls every wrapper inside its own raw, interrupts-off critical section (a
 * sleeping lock such as rwlock_t on PREEMPT_RT must not nest there). Every hcall
 * wrapper holds it and checks `dead`; H_REG_CRQ holds it while it zeroes the page
 * and resets the read position that the queue consumer uses; stop takes it to set
 * `dead`, so no wrapper uses the unit, the queue page or the mappings after that
 * point. Nothing under it sleeps (one hcall, a DMA sync that is a no-op behind the
 * VIO IOMMU, a memcpy of 16 bytes). The hard IRQ handler takes no lock: free_irq()
 * waits for it before anything it touches goes away.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <asm/hvcall.h>
#include <asm/vio.h>

#include "shim.h"

#define IBMVMC_CRQ_ENTRY_SIZE 16
/* The header byte of a valid entry has this bit (0x80, 0xC0 and 0xFF entries). */
#define IBMVMC_CRQ_VALID 0x80

struct ibmvmc_pseries_buf {
	void *mem;
	dma_addr_t dma;
	bool mapped;
};

struct ibmvmc_pseries {
	struct vio_dev *vdev;
	u32 unit_address;
	/* LIOBNs of ibm,my-dma-window: ours (local) and the hypervisor's (remote). */
	u32 liobn;
	u32 riobn;

	raw_spinlock_t lock;
	bool dead;

	/* The CRQ: one zeroed page, PAGE_SIZE / 16 entries. */
	u8 *crq;
	dma_addr_t crq_dma;
	bool crq_mapped;
	unsigned int crq_entries;
	unsigned int crq_cur;

	bool irq_requested;

	/* The partition's message buffers, `buf_len` bytes each. */
	struct ibmvmc_pseries_buf *bufs;
	unsigned int nbufs;
	size_t buf_len;
};

/* Reads the first (local) and second (remote) LIOBN of ibm,my-dma-window. */
static int ibmvmc_pseries_dma_window(struct ibmvmc_pseries *dev)
{
	struct vio_dev *vdev = dev->vdev;
	const __be32 *window, *cells;
	int len, skip = 0;

	window = vio_get_attribute(vdev, "ibm,my-dma-window", &len);
	if (!window) {
		dev_err(&vdev->dev, "no ibm,my-dma-window property\n");
		return -ENODEV;
	}
	/* A window is: LIOBN, then #dma-address-cells of address, #dma-size-cells of size. */
	cells = vio_get_attribute(vdev, "ibm,#dma-address-cells", NULL);
	skip += cells ? be32_to_cpu(*cells) : 1;
	cells = vio_get_attribute(vdev, "ibm,#dma-size-cells", NULL);
	skip += cells ? be32_to_cpu(*cells) : 1;
	/* Both LIOBNs must be inside the property (the C driver did not check). */
	if (len < 0 || (size_t)len < (size_t)(skip + 2) * sizeof(__be32)) {
		dev_err(&vdev->dev, "ibm,my-dma-window too short (%d bytes)\n", len);
		return -ENODEV;
	}
	dev->liobn = be32_to_cpu(window[0]);
	dev->riobn = be32_to_cpu(window[1 + skip]);
	return 0;
}

/* The VIO interrupt: hard-IRQ context. */
static irqreturn_t ibmvmc_pseries_interrupt(int irq, void *data)
{
	struct ibmvmc_pseries *dev = data;

	vio_disable_interrupts(dev->vdev);
	ibmvmc_rs_pseries_irq();
	return IRQ_HANDLED;
}

/*
 * Stops the device for good: afterwards no wrapper touches the unit, the queue or the
 * mappings, the IRQ is free and the hypervisor no longer owns the queue. Keeps the
 * structure and the buffer memory (see the top of the file). Process context.
 */
static void ibmvmc_pseries_stop(struct ibmvmc_pseries *dev)
{
	struct device *d = &dev->vdev->dev;
	unsigned long flags;
	unsigned int i;
	long rc;

	raw_spin_lock_irqsave(&dev->lock, flags);
	dev->dead = true;
	raw_spin_unlock_irqrestore(&dev->lock, flags);

	/* Also waits for a running handler (the C driver leaked it, defect 22). */
	if (dev->irq_requested) {
		free_irq(dev->vdev->irq, dev);
		dev->irq_requested = false;
	}

	if (dev->crq) {
		/* The one retry loop in C: remove must not return with the queue registered. */
		for (;;) {
			rc = plpar_hcall_norets(H_FREE_CRQ, dev->unit_address);
			if (H_IS_LONG_BUSY(rc))
				msleep(get_longbusy_msecs(rc));
			else if (rc == H_BUSY)
				cond_resched();
			else
				break;
		}
		if (rc != H_SUCCESS)
			dev_err(d, "H_FREE_CRQ failed rc=%ld\n", rc);
		/* Unmapping invalidates the TCE: the hypervisor cannot write the page after. */
		if (dev->crq_mapped)
			dma_unmap_single(d, dev->crq_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
		dev->crq_mapped = false;
		free_page((unsigned long)dev->crq);
		dev->crq = NULL;
	}

	for (i = 0; i < dev->nbufs; i++) {
		if (dev->bufs[i].mapped)
			dma_unmap_single(d, dev->bufs[i].dma, dev->buf_len, DMA_BIDIRECTIONAL);
		dev->bufs[i].mapped = false;
	}
}

/* Frees what stop kept. Process context; `dev` is stopped and has no user left. */
void ibmvmc_pseries_release(struct ibmvmc_pseries *dev)
{
	unsigned int i;

	if (!dev)
		return;
	for (i = 0; i < dev->nbufs; i++)
		kfree(dev->bufs[i].mem);
	kfree(dev->bufs);
	kfree(dev);
}

static int ibmvmc_pseries_probe(struct vio_dev *vdev, const struct vio_device_id *id)
{
	struct ibmvmc_pseries *dev;
	unsigned int count, len, i;
	bool kept = false;
	int rc;

	dev_info(&vdev->dev, "probe: unit address 0x%x\n", vdev->unit_address);
	rc = ibmvmc_rs_pseries_sizes(&count, &len);
	if (rc)
		return rc;

	dev = kzalloc_obj(*dev, GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->vdev = vdev;
	dev->unit_address = vdev->unit_address;
	raw_spin_lock_init(&dev->lock);

	rc = ibmvmc_pseries_dma_window(dev);
	if (rc)
		goto fail;
	dev_dbg(&vdev->dev, "liobn 0x%x riobn 0x%x\n", dev->liobn, dev->riobn);

	rc = -ENOMEM;
	dev->crq = (u8 *)get_zeroed_page(GFP_KERNEL);
	if (!dev->crq)
		goto fail;
	dev->crq_entries = PAGE_SIZE / IBMVMC_CRQ_ENTRY_SIZE;
	dev->crq_dma = dma_map_single(&vdev->dev, dev->crq, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(&vdev->dev, dev->crq_dma))
		goto fail;
	dev->crq_mapped = true;

	dev->bufs = kcalloc(count, sizeof(*dev->bufs), GFP_KERNEL);
	if (!dev->bufs)
		goto fail;
	dev->nbufs = count;
	dev->buf_len = len;
	for (i = 0; i < count; i++) {
		struct ibmvmc_pseries_buf *buf = &dev->bufs[i];

		buf->mem = kzalloc(len, GFP_KERNEL);
		if (!buf->mem)
			goto fail;
		buf->dma = dma_map_single(&vdev->dev, buf->mem, len, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(&vdev->dev, buf->dma))
			goto fail;
		buf->mapped = true;
	}

	/* The queue is not registered yet, so nothing raises this before Rust is ready. */
	rc = request_irq(vdev->irq, ibmvmc_pseries_interrupt, 0, "ibmvmc", dev);
	if (rc) {
		dev_err(&vdev->dev, "cannot request irq %u: %d\n", vdev->irq, rc);
		goto fail;
	}
	dev->irq_requested = true;

	rc = ibmvmc_rs_pseries_probe(dev, &kept);
	if (rc)
		goto fail;
	dev_set_drvdata(&vdev->dev, dev);
	return 0;

fail:
	/* Frees the IRQ too, if it was requested. */
	ibmvmc_pseries_stop(dev);
	if (!kept)
		ibmvmc_pseries_release(dev);
	return rc;
}

static void ibmvmc_pseries_remove(struct vio_dev *vdev)
{
	struct ibmvmc_pseries *dev = dev_get_drvdata(&vdev->dev);

	dev_info(&vdev->dev, "remove: unit address 0x%x\n", vdev->unit_address);
	/* Hang up every session and wake every sleeper first. */
	ibmvmc_rs_pseries_remove();
	ibmvmc_pseries_stop(dev);
	dev_set_drvdata(&vdev->dev, NULL);
}

static const struct vio_device_id ibmvmc_pseries_ids[] = {
	{ .type = "ibm,vmc", .compat = "IBM,vmc" },
	{ }
};
MODULE_DEVICE_TABLE(vio, ibmvmc_pseries_ids);

static struct vio_driver ibmvmc_pseries_driver = {
	.name = "ibmvmc",
	.id_table = ibmvmc_pseries_ids,
	.probe = ibmvmc_pseries_probe,
	.remove = ibmvmc_pseries_remove,
};

/* Process context: module init (probe may run from here) and exit (remove may). */
int ibmvmc_pseries_register(void)
{
	return vio_register_driver(&ibmvmc_pseries_driver);
}

void ibmvmc_pseries_unregister(void)
{
	vio_unregister_driver(&ibmvmc_pseries_driver);
}

/* Buffer `index`: its memory and its I/O address in our window. */
bool ibmvmc_pseries_buffer(struct ibmvmc_pseries *dev, unsigned int index, void **mem,
			   u64 *ioba)
{
	if (index >= dev->nbufs)
		return false;
	*mem = dev->bufs[index].mem;
	*ioba = dev->bufs[index].dma;
	return true;
}

unsigned int ibmvmc_pseries_crq_entries(struct ibmvmc_pseries *dev)
{
	return dev->crq_entries;
}

/* Wrappers: any context but hard IRQ; one hcall attempt each; H_HARDWARE once stopped. */

long ibmvmc_pseries_reg_crq(struct ibmvmc_pseries *dev)
{
	unsigned long flags;
	long rc = H_HARDWARE;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead) {
		memset(dev->crq, 0, PAGE_SIZE);
		dev->crq_cur = 0;
		/* The zeroed page must be visible before the hypervisor may enqueue. */
		dma_wmb();
		rc = plpar_hcall_norets(H_REG_CRQ, dev->unit_address, dev->crq_dma, PAGE_SIZE);
	}
	raw_spin_unlock_irqrestore(&dev->lock, flags);
	return rc;
}

/* An hcall whose only argument is the unit address, unless the device is gone. */
static long ibmvmc_pseries_unit_hcall(struct ibmvmc_pseries *dev, unsigned long opcode)
{
	unsigned long flags;
	long rc = H_HARDWARE;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead)
		rc = plpar_hcall_norets(opcode, dev->unit_address);
	raw_spin_unlock_irqrestore(&dev->lock, flags);
	return rc;
}

long ibmvmc_pseries_free_crq(struct ibmvmc_pseries *dev)
{
	return ibmvmc_pseries_unit_hcall(dev, H_FREE_CRQ);
}

long ibmvmc_pseries_enable_crq(struct ibmvmc_pseries *dev)
{
	return ibmvmc_pseries_unit_hcall(dev, H_ENABLE_CRQ);
}

/* `w0`, `w1`: the entry's two halves as the CPU reads them big-endian. */
long ibmvmc_pseries_send_crq(struct ibmvmc_pseries *dev, u64 w0, u64 w1)
{
	unsigned long flags;
	long rc = H_HARDWARE;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead)
		rc = plpar_hcall_norets(H_SEND_CRQ, dev->unit_address, w0, w1);
	raw_spin_unlock_irqrestore(&dev->lock, flags);
	return rc;
}

/*
 * Takes the next valid entry off the queue into `out` (16 bytes). One caller at a
 * time (the core's CRQ task); `lock` excludes H_REG_CRQ.
 */
bool ibmvmc_pseries_next_crq(struct ibmvmc_pseries *dev, u8 *out)
{
	unsigned long flags;
	bool got = false;
	u8 *entry;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead) {
		entry = dev->crq + (size_t)dev->crq_cur * IBMVMC_CRQ_ENTRY_SIZE;
		if (READ_ONCE(entry[0]) & IBMVMC_CRQ_VALID) {
			/* The payload was written before the header: read it after. */
			dma_rmb();
			memcpy(out, entry, IBMVMC_CRQ_ENTRY_SIZE);
			/* Our reads of the slot complete before it goes back to the hypervisor. */
			dma_mb();
			WRITE_ONCE(entry[0], 0);
			dev->crq_cur = (dev->crq_cur + 1) % dev->crq_entries;
			got = true;
		}
	}
	raw_spin_unlock_irqrestore(&dev->lock, flags);
	return got;
}

void ibmvmc_pseries_enable_irq(struct ibmvmc_pseries *dev)
{
	unsigned long flags;
	int rc = 0;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead)
		rc = vio_enable_interrupts(dev->vdev);
	raw_spin_unlock_irqrestore(&dev->lock, flags);
	if (rc)
		dev_err_ratelimited(&dev->vdev->dev, "vio_enable_interrupts rc=%d\n", rc);
}

void ibmvmc_pseries_disable_irq(struct ibmvmc_pseries *dev)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead)
		vio_disable_interrupts(dev->vdev);
	raw_spin_unlock_irqrestore(&dev->lock, flags);
}

/* H_COPY_RDMA of `len` bytes from our buffer at `ioba` to `remote` in the hypervisor's window. */
long ibmvmc_pseries_rdma_to_hv(struct ibmvmc_pseries *dev, u64 ioba, u64 len, u32 remote)
{
	unsigned long flags;
	long rc = H_HARDWARE;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead) {
		dma_sync_single_for_device(&dev->vdev->dev, ioba, len, DMA_BIDIRECTIONAL);
		/* Our writes to the source buffer before the hypervisor reads it. */
		dma_wmb();
		rc = plpar_hcall_norets(H_COPY_RDMA, len, dev->liobn, ioba, dev->riobn, remote);
	}
	raw_spin_unlock_irqrestore(&dev->lock, flags);
	return rc;
}

/* H_COPY_RDMA of `len` bytes from `remote` in the hypervisor's window to our buffer at `ioba`. */
long ibmvmc_pseries_rdma_from_hv(struct ibmvmc_pseries *dev, u32 remote, u64 ioba, u64 len)
{
	unsigned long flags;
	long rc = H_HARDWARE;

	raw_spin_lock_irqsave(&dev->lock, flags);
	if (!dev->dead) {
		/* Our earlier writes to the buffer must not land after the hypervisor's. */
		dma_wmb();
		rc = plpar_hcall_norets(H_COPY_RDMA, len, dev->riobn, remote, dev->liobn, ioba);
		if (rc == H_SUCCESS)
			dma_sync_single_for_cpu(&dev->vdev->dev, ioba, len, DMA_BIDIRECTIONAL);
	}
	raw_spin_unlock_irqrestore(&dev->lock, flags);
	return rc;
}

/* H_REQUEST_VMC: needs no device (it is how a partition asks for one). Process context. */
long ibmvmc_pseries_request_vmc(u32 *drc_index)
{
	unsigned long retbuf[PLPAR_HCALL_BUFSIZE] = { 0 };
	long rc;

	rc = plpar_hcall(H_REQUEST_VMC, retbuf);
	*drc_index = rc == H_SUCCESS ? (u32)retbuf[0] : 0;
	return rc;
}

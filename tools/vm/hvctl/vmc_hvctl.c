// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmc_hvctl.ko: the test VMs' channel to the simulated hypervisor behind QEMU's
 * spapr-vmc device (tools/build/qemu.sh). A test program writes one command line to
 * /sys/kernel/debug/spapr-vmc/cmd; the module hands it to QEMU with the device's
 * private hcall, KVMPPC_H_VMC_CTL (0xf006), and turns the answer into the write's
 * result: the line's length on success, EINVAL for an invalid line, EIO for a valid
 * one the hypervisor could not carry out now. The command language is the
 * simulator's (tools/crates/ibmvmc-sim/src/command.rs), as in the x86_64 module's debugfs
 * file `ibmvmc/sim`, so the same test programs drive both backends.
 *
 * Two commands are done here, because only the partition can do them: "remove"
 * (the hypervisor agrees, then the VMC's VIO device is unbound from its driver,
 * as a removal would) and "attach" (the device is offered to drivers again).
 *
 * Test-only: it is never part of a driver build or package.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/hvcall.h>
#include <asm/vio.h>

#define VMC_CTL_HCALL 0xf006
#define VMC_CTL_MAX 256

static struct dentry *vmc_hvctl_dir;
static DEFINE_MUTEX(vmc_hvctl_lock);

/* The VMC's VIO device, with a reference the caller drops, or NULL. */
static struct vio_dev *vmc_hvctl_device(u32 *unit)
{
	struct device_node *np;
	struct vio_dev *vdev;

	np = of_find_compatible_node(NULL, NULL, "IBM,vmc");
	if (!np)
		return NULL;
	if (of_property_read_u32(np, "reg", unit)) {
		of_node_put(np);
		return NULL;
	}
	vdev = vio_find_node(np);
	of_node_put(np);
	return vdev;
}

static ssize_t vmc_hvctl_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct vio_dev *vdev;
	ssize_t ret;
	char *line;
	long rc;
	u32 unit;

	if (len == 0 || len > VMC_CTL_MAX)
		return -EINVAL;
	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line))
		return PTR_ERR(line);
	strim(line);

	vdev = vmc_hvctl_device(&unit);
	if (!vdev) {
		kfree(line);
		return -ENODEV;
	}

	mutex_lock(&vmc_hvctl_lock);
	if (!strcmp(line, "attach")) {
		ret = device_attach(&vdev->dev) < 0 ? -EIO : len;
		goto out;
	}
	rc = plpar_hcall_norets(VMC_CTL_HCALL, unit, __pa(line), strlen(line));
	switch (rc) {
	case H_SUCCESS:
		ret = len;
		break;
	case 1:
		/* "remove": the hypervisor agreed; the partition loses the device. */
		device_release_driver(&vdev->dev);
		ret = len;
		break;
	case H_PARAMETER:
		ret = -EINVAL;
		break;
	case H_FUNCTION:
		/* A QEMU without the spapr-vmc device's control hcall. */
		ret = -EOPNOTSUPP;
		break;
	default:
		ret = -EIO;
		break;
	}
out:
	mutex_unlock(&vmc_hvctl_lock);
	put_device(&vdev->dev);
	kfree(line);
	return ret;
}

static const struct file_operations vmc_hvctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vmc_hvctl_write,
};

static int __init vmc_hvctl_init(void)
{
	struct vio_dev *vdev;
	u32 unit;

	vdev = vmc_hvctl_device(&unit);
	if (!vdev) {
		pr_err("vmc_hvctl: no IBM,vmc device in the device tree\n");
		return -ENODEV;
	}
	put_device(&vdev->dev);
	vmc_hvctl_dir = debugfs_create_dir("spapr-vmc", NULL);
	debugfs_create_file("cmd", 0200, vmc_hvctl_dir, NULL, &vmc_hvctl_fops);
	pr_info("vmc_hvctl: unit 0x%x, /sys/kernel/debug/spapr-vmc/cmd\n", unit);
	return 0;
}

static void __exit vmc_hvctl_exit(void)
{
	debugfs_remove(vmc_hvctl_dir);
}

module_init(vmc_hvctl_init);
module_exit(vmc_hvctl_exit);
MODULE_DESCRIPTION("Test channel to QEMU's spapr-vmc simulated hypervisor");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0-or-later

//! ibmvmc.ko: kernel glue of the IBM Virtual Management Channel driver.
//!
//! This crate root is what Kbuild compiles; the driver core (`ibmvmc`), the executor
//! (`ibmvmc_executor`) and the owner's crates are built by Cargo for the kernel's target
//! and linked in (see `/Kbuild`). The glue supplies their platform hooks: the
//! critical section and defmt logger (`platform`), and the executor's pender and
//! bottom half (`bh`); it builds the driver instance over its hypervisor backend
//! (`instance`) and connects /dev/ibmvmc to the core's API (`cdev.c`, `cdev.rs`).

use kernel::prelude::*;

mod bh;
mod cdev;
mod ffi;
mod instance;
mod platform;
mod selftest;

module! {
    type: IbmVmc,
    name: "ibmvmc",
    authors: ["ibmvmc-rs developers"],
    description: "IBM Virtual Management Channel (Rust)",
    license: "GPL",
    params: {
        bh_mode: u32 {
            default: 0,
            description: "Where the executor runs: 0 = BH workqueue (softirq), 1 = high-priority workqueue",
        },
        inject_splat: bool {
            default: false,
            description: "Debug: WARN at load, so the VM runner's splat detector can be tested",
        },
        inject_leak: bool {
            default: false,
            description: "Debug: leak 16 KiB at load, so the VM runner's kmemleak check can be tested",
        },
    },
}

struct IbmVmc {
    instance: Option<KBox<instance::Instance>>,
    registered: bool,
}

impl kernel::Module for IbmVmc {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let bh_mode = module_parameters::bh_mode.value();
        bh::start(bh_mode);
        // From here on, dropping `this` (also on an error return) tears everything down.
        let mut this = IbmVmc { instance: None, registered: false };
        if module_parameters::inject_splat.value() {
            ffi::inject_splat();
        }
        if module_parameters::inject_leak.value() {
            ffi::inject_leak();
        }
        selftest::run(bh_mode)?;

        let (pool, hmcs, mtu) = ffi::params();
        let (params, clamped) = ibmvmc::Params::clamped(pool, hmcs, mtu);
        if clamped.any() {
            pr_warn!(
                "parameters out of range clamped: buf_pool_size {} -> {}, max_hmcs {} -> {}, max_mtu {} -> {}\n",
                pool,
                params.buf_pool_size(),
                hmcs,
                params.max_hmcs(),
                mtu,
                params.max_mtu()
            );
        }
        let instance = this.instance.insert(instance::Instance::new(params)?);
        instance.start()?;
        ffi::cdev_register()?;
        this.registered = true;
        pr_info!(
            "/dev/ibmvmc ready: buf_pool_size={} max_hmcs={} max_mtu={}, simulator backend\n",
            params.buf_pool_size(),
            params.max_hmcs(),
            params.max_mtu()
        );
        Ok(this)
    }
}

impl Drop for IbmVmc {
    fn drop(&mut self) {
        // Order matters: no more file operations (none can be open: they pin the
        // module), no new polls, then no interrupt-like wake sources, then drop the
        // futures while nothing can poll them (see `bh::stop`), and only then the
        // memory they referenced.
        if self.registered {
            ffi::cdev_unregister();
        }
        instance::Instance::unpublish();
        bh::stop();
        ffi::test_irq_sync();
        ffi::sim_irq_sync();
        let report = bh::EXECUTOR.shutdown();
        drop(self.instance.take());
        if !report.drained {
            // Cannot happen after bh::stop(): no poll() can be running any more.
            pr_warn!("executor shutdown left futures to a running poll\n");
        }
        pr_info!("unloaded ({} tasks dropped at shutdown)\n", report.dropped);
    }
}

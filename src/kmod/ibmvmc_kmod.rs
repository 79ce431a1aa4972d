// SPDX-License-Identifier: GPL-2.0-or-later

//! ibmvmc.ko: kernel glue of the IBM Virtual Management Channel driver.
//!
//! This crate root is what Kbuild compiles; the driver core (`ibmvmc`), the executor
//! (`ibmvmc_executor`) and the owner's crates are built by Cargo for the kernel's target
//! and linked in (see `/Kbuild`). The glue supplies their platform hooks: the
//! critical section and defmt logger (`platform`), and the executor's pender and
//! bottom half (`bh`); it builds the driver instance over its hypervisor backend
//! (`instance`) and connects /dev/ibmvmc to the core's API (`cdev.c`, `cdev.rs`).
//!
//! The backend is chosen at build time (`IBMVMC_BACKEND`, see `/Kbuild`): the PowerVM
//! simulator (`--cfg ibmvmc_sim`, built at load) or the VMC's VIO device
//! (`--cfg ibmvmc_pseries`, `pseries.rs`, built when the device is probed).

use kernel::prelude::*;

mod bh;
// Generated from shim.h (tools/kbuild/gen-bindings.sh): every declaration, used through
// the safe wrappers of ffi.rs and pseries.rs.
#[allow(
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_upper_case_globals,
    unreachable_pub
)]
mod bindings;
mod cdev;
// The pseries build leaves the simulator's irq_work wrappers unused.
#[cfg_attr(ibmvmc_pseries, allow(dead_code))]
mod ffi;
mod instance;
mod platform;
#[cfg(ibmvmc_pseries)]
mod pseries;
#[cfg(ibmvmc_debug)]
mod selftest;
mod trace;

// A normal build: what gets installed.
#[cfg(not(ibmvmc_debug))]
module! {
    type: IbmVmc,
    name: "ibmvmc",
    authors: ["ibmvmc-rs developers"],
    description: "IBM Virtual Management Channel (Rust)",
    license: "GPL",
    params: {
        bh_mode: u32 {
            default: 0,
            description: "Where the executor runs: 0 = BH workqueue (softirq, default), 1 = high-priority workqueue",
        },
    },
}

// A debug build (Kbuild IBMVMC_DEBUG=1, what the VM tests load): the load-time self-test
// and the VM runner's fault knobs.
#[cfg(ibmvmc_debug)]
module! {
    type: IbmVmc,
    name: "ibmvmc",
    authors: ["ibmvmc-rs developers"],
    description: "IBM Virtual Management Channel (Rust), debug build: load-time self-test, fault knobs",
    license: "GPL",
    params: {
        bh_mode: u32 {
            default: 0,
            description: "Where the executor runs: 0 = BH workqueue (softirq, default), 1 = high-priority workqueue",
        },
        inject_splat: bool {
            default: false,
            description: "Debug: WARN at load, so the VM runner's splat detector can be tested",
        },
        inject_leak: bool {
            default: false,
            description: "Debug: leak 16 KiB at load, so the VM runner's kmemleak check can be tested",
        },
        inject_load_failure: u32 {
            default: 0,
            description: "Debug (simulator): fail the load with ENOMEM at its Nth step (1..7), so that each error path of init runs",
        },
        inject_unload_race: u32 {
            default: 0,
            description: "Debug (simulator): at unload, hold the pend of a simulator interrupt raised on another CPU this many microseconds between its check and its queue",
        },
    },
}

/// A step of module init that a debug build can fail on purpose (parameter
/// `inject_load_failure`): `n` is the step's number, 1 to [`LOAD_STEPS`] in init's
/// order; the load then fails with ENOMEM there, and everything built until then must
/// be torn down without a leak (tests/vm/load-failure.plan). A normal build has no such
/// parameter and this is `Ok`. (The steps are the simulator build's: the pseries
/// probe's failures are injected by failslab, tests/vm/vmc_failprobe.c.)
#[cfg(ibmvmc_sim)]
pub(crate) fn load_step(n: u32) -> Result {
    #[cfg(ibmvmc_debug)]
    if module_parameters::inject_load_failure.value() == n {
        pr_info!("load failure injected at step {} of {}\n", n, LOAD_STEPS);
        return Err(ENOMEM);
    }
    let _ = n;
    Ok(())
}

/// How many steps `load_step` numbers.
#[cfg(all(ibmvmc_sim, ibmvmc_debug))]
pub(crate) const LOAD_STEPS: u32 = 7;

struct IbmVmc {
    /// The simulator's instance (the pseries one belongs to `pseries.rs`).
    #[cfg(ibmvmc_sim)]
    instance: Option<KBox<instance::Instance>>,
    registered: bool,
    /// The VIO driver is registered.
    #[cfg(ibmvmc_pseries)]
    vio_registered: bool,
}

/// Name of the backend, for the log.
#[cfg(ibmvmc_sim)]
const BACKEND: &str = "simulator";
#[cfg(ibmvmc_pseries)]
const BACKEND: &str = "pseries";
/// Which build this is, for the log.
#[cfg(ibmvmc_debug)]
const BUILD: &str = ", debug build";
#[cfg(not(ibmvmc_debug))]
const BUILD: &str = "";

impl kernel::Module for IbmVmc {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let bh_mode = module_parameters::bh_mode.value();
        bh::start(bh_mode);
        // From here on, dropping `this` (also on an error return) tears everything down.
        let mut this = IbmVmc {
            #[cfg(ibmvmc_sim)]
            instance: None,
            registered: false,
            #[cfg(ibmvmc_pseries)]
            vio_registered: false,
        };
        #[cfg(ibmvmc_debug)]
        {
            if module_parameters::inject_splat.value() {
                ffi::inject_splat();
            }
            if module_parameters::inject_leak.value() {
                ffi::inject_leak();
            }
            selftest::run(bh_mode)?;
        }

        let (pool, hmcs, mtu) = ffi::params();
        let (params, clamped) = ibmvmc::Params::clamped(pool, hmcs, mtu);
        ffi::params_set(&params);
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
        #[cfg(ibmvmc_sim)]
        {
            let instance = this.instance.insert(instance::Instance::new(params)?);
            instance.start()?;
            load_step(6)?;
        }
        ffi::cdev_register()?;
        this.registered = true;
        #[cfg(ibmvmc_sim)]
        load_step(7)?;
        // After the device node: the file operations work without a device, and
        // probe (which may run right here) publishes the instance they then use.
        #[cfg(ibmvmc_pseries)]
        {
            pseries::register()?;
            this.vio_registered = true;
        }
        #[cfg(ibmvmc_sim)]
        pr_warn!("simulator build: /dev/ibmvmc is backed by a hypervisor simulated inside this module, not by PowerVM (for tests and development)\n");
        pr_info!(
            "/dev/ibmvmc ready: buf_pool_size={} max_hmcs={} max_mtu={}, {} backend{}, trace {} id {}\n",
            params.buf_pool_size(),
            params.max_hmcs(),
            params.max_mtu(),
            BACKEND,
            BUILD,
            ibmvmc::trace::level().name(),
            Hex(&ffi::trace_id())
        );
        Ok(this)
    }
}

/// Bytes as lowercase hex, for the log.
struct Hex<'a>(&'a [u8]);

impl kernel::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl Drop for IbmVmc {
    fn drop(&mut self) {
        // Order matters: no more file operations (none can be open: they pin the
        // module), no new polls, then no interrupt-like wake sources, then drop the
        // futures while nothing can poll them (see `bh::stop`), and only then the
        // memory they referenced. With pseries, remove runs first (the device hangs up
        // its sessions, frees its IRQ and queue, and unmaps its buffers).
        #[cfg(ibmvmc_pseries)]
        if self.vio_registered {
            pseries::unregister();
        }
        if self.registered {
            ffi::cdev_unregister();
        }
        // A debug build can make the race of a late pend with unload certain: the
        // interrupt's pend, held between its check and its queue on another CPU while
        // unload goes on. `bh::stop` must wait for it (tests/vm/unload-race.plan).
        #[cfg(all(ibmvmc_debug, ibmvmc_sim))]
        {
            let us = module_parameters::inject_unload_race.value();
            if us > 0 {
                match ffi::race_unload(us) {
                    Ok(cpu) => pr_info!(
                        "unload race: a pend held {} us on CPU {} while unload goes on\n",
                        us,
                        cpu
                    ),
                    Err(e) => pr_warn!("unload race not set up (error {})\n", e),
                }
            }
        }
        instance::Instance::unpublish();
        // (also waits for the irq_works and timer callbacks that could pend)
        bh::stop();
        let report = bh::EXECUTOR.shutdown();
        // No future is left to arm a timer: cancel the armed ones before the code
        // their callback runs goes away.
        bh::timers_sync();
        #[cfg(ibmvmc_sim)]
        drop(self.instance.take());
        #[cfg(ibmvmc_pseries)]
        pseries::release();
        if !report.drained {
            // Cannot happen after bh::stop(): no poll() can be running any more.
            pr_warn!("executor shutdown left futures to a running poll\n");
        }
        pr_info!("unloaded ({} tasks dropped at shutdown)\n", report.dropped);
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! ibmvmc: the core of the IBM Virtual Management Channel driver.
//!
//! Everything here is `no_std` and free of kernel dependencies so that it builds and
//! tests on the host; `src/kmod/` is the kernel glue that Kbuild links it into.
//!
//! The driver is [`Vmc`], one per device, over the platform's [`Device`] (the
//! hypervisor), [`Waiters`] and [`Timers`]. What each file of this crate holds, its
//! private modules included, is listed once, with the rest of the repository: the
//! "Layout" section of `README.md` (under "Development"). The design is the README's
//! "Architecture" section.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(
    missing_docs,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc
)]

pub mod api;
pub mod errno;
pub mod hv;
mod link;
pub mod params;
mod retry;
pub mod selftest;
mod session;
pub mod state;
pub mod trace;
mod transfer;
mod vmc;
pub mod wire;

// The unit tests' defmt logger (the integration tests link it through tests/common).
#[cfg(test)]
use ibmvmc_hostlog as _;

pub use api::File;
pub use api::Query;
pub use api::Readiness;
pub use api::SessionRef;
pub use errno::Errno;
pub use hv::Device;
pub use hv::HcallRc;
pub use hv::LocalBuf;
pub use hv::Timers;
pub use hv::Waiters;
pub use params::Params;
pub use vmc::CoreState;
pub use vmc::SetupError;
pub use vmc::Vmc;
pub use vmc::TIMER_SLOTS;

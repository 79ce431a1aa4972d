//! ibmvmc: the core of the IBM Virtual Management Channel driver.
//!
//! Everything here is `no_std` and free of kernel dependencies so that it builds and
//! tests on the host; `src/kmod/` is the kernel glue that Kbuild links it into.
#![no_std]

pub mod selftest;
pub mod wire;

// SPDX-License-Identifier: GPL-2.0-or-later
//! The synchronisation primitives the executor is built from.
//!
//! Everything in `raw/` takes its atomics and its interior-mutability cell from this
//! module and from nowhere else. The library uses `core`'s types; the loom model test
//! (`tests/loom.rs`) compiles the very same `raw/` sources against a `sync` module of
//! its own that hands out loom's types, so the protocol that runs in the kernel is the
//! protocol loom checks, and loom never becomes a dependency of the library.
//!
//! Two differences between the worlds are bridged here:
//! - loom's cell exposes its contents only inside `with`/`with_mut` closures (so that it
//!   can track each access); [`UnsafeCell`] offers the same shape over `core`'s cell.
//! - loom's types cannot be built in a `const` context, while the kernel needs the
//!   executor in a `static`. Constructors are therefore written through
//!   [`maybe_const_fn!`] and [`array_repeat!`], which are `const` here and plain in the
//!   loom twin.

pub(crate) use core::sync::atomic::AtomicPtr;
pub(crate) use core::sync::atomic::AtomicU32;
#[cfg(debug_assertions)]
pub(crate) use core::sync::atomic::AtomicUsize;
pub(crate) use core::sync::atomic::Ordering;

/// `core::cell::UnsafeCell` behind loom's closure-based interface.
#[repr(transparent)]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(core::cell::UnsafeCell::new(value))
    }

    /// Runs `f` with a pointer for reading the contents.
    #[inline(always)]
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Runs `f` with a pointer for writing the contents.
    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

/// Declares a constructor that is a `const fn` in the library (and a plain `fn` in the
/// loom build, whose atomics have no `const` constructor).
macro_rules! maybe_const_fn {
    ($(#[$attr:meta])* $vis:vis fn $($rest:tt)*) => {
        $(#[$attr])* $vis const fn $($rest)*
    };
}
pub(crate) use maybe_const_fn;

/// `[expr; N]` for a non-`Copy` element built by a const expression.
macro_rules! array_repeat {
    ($elem:expr; $n:expr) => {
        [const { $elem }; $n]
    };
}
pub(crate) use array_repeat;

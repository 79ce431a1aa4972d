// SPDX-License-Identifier: GPL-2.0-or-later
//! The executor's core. Everything in here takes its atomics from `crate::sync`, so the
//! loom model test can compile these files against loom's types.

mod executor;
mod pender;
mod run_queue;
mod state;
mod task;

pub use executor::Executor;
pub use executor::ShutdownReport;
pub use pender::Pender;
pub use task::TaskId;
pub use task::SLOT_ALIGN;

/// Why [`Executor::spawn`] refused a future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpawnError {
    /// Every slot holds a live task.
    Busy,
    /// [`Executor::shutdown`] was called.
    ShutDown,
}

impl core::fmt::Display for SpawnError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            SpawnError::Busy => "no free task slot",
            SpawnError::ShutDown => "executor is shut down",
        })
    }
}

impl core::error::Error for SpawnError {}

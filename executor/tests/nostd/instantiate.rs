// SPDX-License-Identifier: GPL-2.0-or-later
//! Not a cargo test: `tools/check/executor.sh` compiles this with the kernel's rustc,
//! against a `core` built from source, for x86_64 and powerpc64le with panic=abort, to
//! check that the executor builds there and that its monomorphised code (spawn, poll,
//! wake, shutdown) references no panic machinery and no other symbol.
#![no_std]

use core::future::Future;
use core::pin::Pin;
use core::task::Context;
use core::task::Poll;

use ibmvmc_executor::Executor;
use ibmvmc_executor::Pender;
use ibmvmc_executor::TaskId;

fn pend(_context: *mut ()) {}

pub static EXECUTOR: Executor<8, 256> = Executor::new(Pender::new(pend, core::ptr::null_mut()));

/// Pending once (waking itself), then ready. Hand-written: an `async` block would bring
/// its own "resumed after completion" panic, which is not the executor's.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[no_mangle]
pub fn instantiate_spawn() -> Option<TaskId> {
    EXECUTOR.spawn(YieldOnce(false)).ok()
}

#[no_mangle]
pub fn instantiate_poll() {
    EXECUTOR.poll();
}

#[no_mangle]
pub fn instantiate_wake(id: TaskId) -> bool {
    EXECUTOR.wake(id) && EXECUTOR.is_running(id)
}

#[no_mangle]
pub fn instantiate_shutdown() -> usize {
    EXECUTOR.shutdown().dropped
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! What the kernel glue provides to the core in the module, provided on the host for
//! tests, fuzz targets and benchmarks: a defmt global logger, a defmt timestamp and a
//! critical section (the `std` one of the `critical-section` crate).
//!
//! The logger keeps the encoded frames in memory (up to [`CAPACITY`] bytes, then it
//! starts over and counts the loss), so a test can hand them to the trace decoder
//! exactly as the module's debugfs ring would.
//!
//! Link it into a test binary with `use ibmvmc_hostlog as _;`.

use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::Instant;

use sha2::Digest;
use sha2::Sha256;

// The std critical section must be linked in; naming the crate does it.
use critical_section as _;

/// Bytes of frames kept before the capture starts over.
pub const CAPACITY: usize = 8 << 20;

static TAKEN: AtomicBool = AtomicBool::new(false);
static FRAMES: AtomicU64 = AtomicU64::new(0);
static LOST: AtomicU64 = AtomicU64::new(0);
static CAPTURE: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static ENCODER: Mutex<Option<defmt::Encoder>> = Mutex::new(None);

fn start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

defmt::timestamp!("{=u64:us}", start().elapsed().as_micros() as u64);

fn append(bytes: &[u8]) {
    let mut capture = CAPTURE.lock().unwrap_or_else(|e| e.into_inner());
    if capture.len() + bytes.len() > CAPACITY {
        LOST.fetch_add(capture.len() as u64, Ordering::Relaxed);
        capture.clear();
    }
    capture.extend_from_slice(bytes);
}

#[defmt::global_logger]
struct HostLogger;

// SAFETY: `acquire` spins until it owns TAKEN, so only one frame is encoded at a time;
// `write` and `release` are only called between `acquire` and `release` by defmt.
unsafe impl defmt::Logger for HostLogger {
    fn acquire() {
        while TAKEN
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        FRAMES.fetch_add(1, Ordering::Relaxed);
        let mut encoder = ENCODER.lock().unwrap_or_else(|e| e.into_inner());
        let encoder = encoder.get_or_insert_with(defmt::Encoder::new);
        // The rzCOBS encoder's only output here is one 0x00 before its very first frame
        // (a separator for a receiver that missed a partial frame). The trace stream has
        // no use for it and must not get it: a 0x00 where a frame starts reads as a
        // marker (`ibmvmc::trace`, "Stream format").
        encoder.start_frame(|_| {});
    }

    unsafe fn flush() {}

    unsafe fn release() {
        if let Some(encoder) = ENCODER.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            encoder.end_frame(append);
        }
        TAKEN.store(false, Ordering::Release);
    }

    unsafe fn write(bytes: &[u8]) {
        if let Some(encoder) = ENCODER.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            encoder.write(bytes, append);
        }
    }
}

/// Frames logged since the process started.
pub fn frames() -> u64 {
    FRAMES.load(Ordering::Relaxed)
}

/// Bytes of frames dropped because the capture was full.
pub fn lost() -> u64 {
    LOST.load(Ordering::Relaxed)
}

/// The executable's trace id for the stream header: the first 16 bytes of the SHA-256 of
/// `/proc/self/exe` (computed once), which is what the decoder computes for an ELF
/// without an `ibmvmc_trace_id` symbol. All zeroes if the file cannot be read.
pub fn exe_id() -> [u8; 16] {
    static ID: OnceLock<[u8; 16]> = OnceLock::new();
    *ID.get_or_init(|| match std::fs::read("/proc/self/exe") {
        Ok(bytes) => {
            let digest = Sha256::digest(&bytes);
            let mut id = [0u8; 16];
            id.copy_from_slice(&digest[..16]);
            id
        }
        Err(_) => [0; 16],
    })
}

/// Takes the captured (encoded) frames, leaving the capture empty.
pub fn take() -> Vec<u8> {
    std::mem::take(&mut *CAPTURE.lock().unwrap_or_else(|e| e.into_inner()))
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! The cost of one trace call of the driver: instructions with the run-time level
//! filtering it out and with the logger on, and the bytes one frame takes in the ring
//! next to the same information as a `pr_debug` text line.
//!
//! Meant to be run under callgrind by `tools/bench/trace.sh`, which counts the
//! instructions executed inside one measured function (`site_<name>` or `base_<name>`)
//! for two call counts and reports the difference divided by the extra calls, so setup
//! (and the warm-up calls, the same in both runs) cancels out.
//!
//! The call sites have the shapes of the driver's own (`src/vmc.rs`), through the
//! crate's `trace_debug!`:
//! - `crq_in`: `"crq in: {}"` with a decoded [`CrqRepr`] (a Signal, the common entry);
//! - `crq_out`: `"crq out: {} rc={}"` with the entry sent and H_SEND_CRQ's [`HcallRc`];
//! - `buf_move`: `"hmc {=u8}: buffer {=u8} {} -> {}"`, a buffer ownership change with
//!   two [`Buf`] values;
//! - `hcall`: `"H_SEND_CRQ: {}"` with an [`HcallRc`];
//! - `msg_in`: `"hmc {=u8}: message in buffer {=u8}, {=u32} bytes, H_COPY_RDMA rc={}"`,
//!   primitives and an [`HcallRc`].
//!
//! Each has a `site_<name>` function (the call site alone) and a `base_<name>` function
//! (the same arguments handed to `black_box`, no trace), both `#[inline(never)]`.
//!
//! The logger is this binary's own and does what the module's (`src/kmod/platform.rs`)
//! does inside its critical section: [`Sink`] encodes each frame into a 64 KiB ring,
//! which wraps and overwrites the oldest frames (the steady state; the run fills it
//! before measuring). The lock around it is a spin flag on an `AtomicBool`: the kernel's
//! irq-saving raw spinlock (`ibmvmc_cs_acquire`), the module's nesting guard and its
//! reader wake-up (`trace_kick`, an irq_work) are not included. The timestamp is a
//! counter of microseconds from 100 s, one per frame (the module's is
//! `ktime_get_ns() / 1000`, whose cost is not included either). This binary must not
//! link `ibmvmc-hostlog`: it has a global logger of its own.
//!
//! ```text
//! trace_calls run <site> <base|filtered|on> <n>
//!     fill the ring with the site's frames, set the level (filtered: info, on: debug),
//!     then call base_<site> (base) or site_<site> (filtered, on) n times
//! trace_calls check
//!     for each site: filtered out, nothing reaches the ring; on, frames do (exit 1 if not)
//! trace_calls sizes
//!     for each site: ring bytes per frame and the pr_debug text of the same frame, decoded
//!     by ibmvmc-trace against this executable; one tab-separated `size` line per site
//! trace_calls            (as `cargo bench`) check, then sizes as a table
//! ```

use std::cell::UnsafeCell;
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;

use ibmvmc::state::Buf;
use ibmvmc::trace::Level;
use ibmvmc::trace::Sink;
use ibmvmc::wire::CrqRepr;
use ibmvmc::wire::VmcMessage;
use ibmvmc::HcallRc;
use ibmvmc_trace::Decoder;
use ibmvmc_trace::Item;

// ---------------------------------------------------------------------------------
// The logger

/// Size of the ring, as the module's (`TRACE_BYTES`).
const RING_BYTES: usize = 64 * 1024;

/// The frames: a [`Sink`] behind a spin flag.
struct Trace {
    locked: AtomicBool,
    /// Touched only while `locked` is held by this context.
    sink: UnsafeCell<Sink<RING_BYTES>>,
}

// SAFETY: `sink` is only accessed between `lock` and `unlock` (see the field).
unsafe impl Sync for Trace {}

static TRACE: Trace = Trace {
    locked: AtomicBool::new(false),
    sink: UnsafeCell::new(Sink::new()),
};

impl Trace {
    fn lock(&self) {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }

    /// Runs `f` on the sink with the lock held; `f` must not log.
    fn with<R>(&self, f: impl FnOnce(&mut Sink<RING_BYTES>) -> R) -> R {
        self.lock();
        // SAFETY: we hold the lock.
        let result = f(unsafe { &mut *self.sink.get() });
        self.unlock();
        result
    }
}

#[defmt::global_logger]
struct Logger;

// SAFETY: defmt calls acquire/write/flush/release in that order from one context; the
// lock taken in `acquire` and kept until `release` makes that context the only one
// touching `TRACE.sink`.
unsafe impl defmt::Logger for Logger {
    fn acquire() {
        TRACE.lock();
        // SAFETY: we hold the lock.
        unsafe { &mut *TRACE.sink.get() }.start_frame();
    }

    unsafe fn flush() {}

    unsafe fn release() {
        // SAFETY: defmt calls `release` only after `acquire`, with the lock held.
        unsafe { &mut *TRACE.sink.get() }.end_frame();
        TRACE.unlock();
    }

    unsafe fn write(bytes: &[u8]) {
        // SAFETY: called between `acquire` and `release`, with the lock held.
        unsafe { &mut *TRACE.sink.get() }.write(bytes);
    }
}

/// Microseconds of "uptime": 100 s at the start, one more per frame.
static NOW_US: AtomicU64 = AtomicU64::new(100_000_000);

defmt::timestamp!("{=u64:us}", NOW_US.fetch_add(1, Ordering::Relaxed));

/// (frames completed, frames lost, bytes kept) of the ring.
fn counters() -> (u64, u64, u64) {
    TRACE.with(|sink| sink.ring().counters())
}

// ---------------------------------------------------------------------------------
// The call sites

/// The arguments every site takes its own from.
struct Args {
    repr: CrqRepr,
    rc: HcallRc,
    hmc: u8,
    id: u8,
    from: Buf,
    to: Buf,
    len: u32,
}

impl Args {
    fn new() -> Self {
        Args {
            repr: CrqRepr::Vmc(VmcMessage::Signal {
                hmc_session: 1,
                hmc_index: 0,
                buffer_id: 3,
                msg_len: 256,
            }),
            rc: HcallRc::SUCCESS,
            hmc: 0,
            id: 3,
            from: Buf::Free { lioba: 0x3000 },
            to: Buf::Writing { lioba: 0x3000 },
            len: 256,
        }
    }
}

#[no_mangle]
#[inline(never)]
fn site_crq_in(repr: &CrqRepr) {
    ibmvmc::trace_debug!("crq in: {}", repr);
}

#[no_mangle]
#[inline(never)]
fn base_crq_in(repr: &CrqRepr) {
    black_box(repr);
}

#[no_mangle]
#[inline(never)]
fn site_crq_out(repr: &CrqRepr, rc: HcallRc) {
    ibmvmc::trace_debug!("crq out: {} rc={}", repr, rc);
}

#[no_mangle]
#[inline(never)]
fn base_crq_out(repr: &CrqRepr, rc: HcallRc) {
    black_box((repr, rc));
}

#[no_mangle]
#[inline(never)]
fn site_buf_move(hmc: u8, id: u8, from: &Buf, to: &Buf) {
    ibmvmc::trace_debug!("hmc {=u8}: buffer {=u8} {} -> {}", hmc, id, from, to);
}

#[no_mangle]
#[inline(never)]
fn base_buf_move(hmc: u8, id: u8, from: &Buf, to: &Buf) {
    black_box((hmc, id, from, to));
}

#[no_mangle]
#[inline(never)]
fn site_hcall(rc: HcallRc) {
    ibmvmc::trace_debug!("H_SEND_CRQ: {}", rc);
}

#[no_mangle]
#[inline(never)]
fn base_hcall(rc: HcallRc) {
    black_box(rc);
}

#[no_mangle]
#[inline(never)]
fn site_msg_in(hmc: u8, id: u8, len: u32, rc: HcallRc) {
    ibmvmc::trace_debug!(
        "hmc {=u8}: message in buffer {=u8}, {=u32} bytes, H_COPY_RDMA rc={}",
        hmc,
        id,
        len,
        rc
    );
}

#[no_mangle]
#[inline(never)]
fn base_msg_in(hmc: u8, id: u8, len: u32, rc: HcallRc) {
    black_box((hmc, id, len, rc));
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Site {
    CrqIn,
    CrqOut,
    BufMove,
    Hcall,
    MsgIn,
}

const SITES: [Site; 5] = [
    Site::CrqIn,
    Site::CrqOut,
    Site::BufMove,
    Site::Hcall,
    Site::MsgIn,
];

impl Site {
    fn name(self) -> &'static str {
        match self {
            Site::CrqIn => "crq_in",
            Site::CrqOut => "crq_out",
            Site::BufMove => "buf_move",
            Site::Hcall => "hcall",
            Site::MsgIn => "msg_in",
        }
    }

    fn parse(name: &str) -> Option<Site> {
        SITES.into_iter().find(|s| s.name() == name)
    }

    /// One call of the site (`base`: of its baseline).
    fn call(self, base: bool, a: &Args) {
        match (self, base) {
            (Site::CrqIn, false) => site_crq_in(&a.repr),
            (Site::CrqIn, true) => base_crq_in(&a.repr),
            (Site::CrqOut, false) => site_crq_out(&a.repr, a.rc),
            (Site::CrqOut, true) => base_crq_out(&a.repr, a.rc),
            (Site::BufMove, false) => site_buf_move(a.hmc, a.id, &a.from, &a.to),
            (Site::BufMove, true) => base_buf_move(a.hmc, a.id, &a.from, &a.to),
            (Site::Hcall, false) => site_hcall(a.rc),
            (Site::Hcall, true) => base_hcall(a.rc),
            (Site::MsgIn, false) => site_msg_in(a.hmc, a.id, a.len, a.rc),
            (Site::MsgIn, true) => base_msg_in(a.hmc, a.id, a.len, a.rc),
        }
    }

    /// `n` calls, the arguments opaque to the optimiser.
    fn calls(self, base: bool, args: &Args, n: u64) {
        for _ in 0..black_box(n) {
            self.call(base, black_box(args));
        }
    }
}

// ---------------------------------------------------------------------------------
// The modes

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Base,
    Filtered,
    On,
}

/// Logs the site's frames until the ring has overwritten some (its steady state).
fn fill_ring(site: Site, args: &Args) -> Result<(), String> {
    ibmvmc::trace::set_level(Level::Debug);
    let (_, lost, _) = counters();
    for _ in 0..RING_BYTES {
        site.call(false, args);
        if counters().1 != lost {
            return Ok(());
        }
    }
    Err(format!(
        "{}: the ring never wrapped (are debug frames compiled in? DEFMT_LOG)",
        site.name()
    ))
}

/// The measured run: fill, set the level, `n` calls.
fn run(site: Site, mode: Mode, n: u64) -> Result<(), String> {
    let args = Args::new();
    fill_ring(site, &args)?;
    let level = if mode == Mode::Filtered {
        Level::Info
    } else {
        Level::Debug
    };
    ibmvmc::trace::set_level(level);
    let before = counters();
    site.calls(mode == Mode::Base, &args, n);
    let after = counters();
    let frames = after.0 - before.0;
    let expected = if mode == Mode::On { n } else { 0 };
    if frames != expected {
        return Err(format!(
            "{}: {frames} frames for {n} calls, expected {expected}",
            site.name()
        ));
    }
    println!(
        "site={} frames={frames} lost={} kept={}",
        site.name(),
        after.1 - before.1,
        after.2
    );
    Ok(())
}

/// Filtered out, nothing reaches the ring; on, every call does.
fn check() -> Result<(), String> {
    let args = Args::new();
    let mut failed = Vec::new();
    for site in SITES {
        TRACE.with(|sink| sink.ring().clear());
        ibmvmc::trace::set_level(Level::Info);
        let before = counters();
        site.calls(false, &args, 100);
        let filtered = counters();
        ibmvmc::trace::set_level(Level::Debug);
        site.calls(false, &args, 100);
        let on = counters();
        let filtered_ok = filtered == (before.0, before.1, 0);
        let on_ok = on.0 - filtered.0 == 100 && on.1 == filtered.1 && on.2 > 0;
        println!(
            "check {:8}: filtered out: {} frames, {} bytes; on: {} frames, {} bytes  {}",
            site.name(),
            filtered.0 - before.0,
            filtered.2,
            on.0 - filtered.0,
            on.2 - filtered.2,
            if filtered_ok && on_ok { "ok" } else { "FAIL" }
        );
        if !(filtered_ok && on_ok) {
            failed.push(site.name());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("check failed for {}", failed.join(", ")))
    }
}

/// What one site's frames measure: ring bytes and pr_debug text bytes per frame, and a
/// decoded message.
struct Size {
    site: Site,
    ring_bytes: f64,
    text_bytes: f64,
    message: String,
}

/// Frames per site for the sizes (the timestamp's low byte goes through all values).
const SIZE_FRAMES: u64 = 256;

/// The prefix `pr_fmt` gives every `pr_debug` of the module.
const PR_PREFIX: &str = "ibmvmc: ";

fn sizes() -> Result<Vec<Size>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let elf = std::fs::read(&exe).map_err(|e| format!("{}: {e}", exe.display()))?;
    let decoder = Decoder::new(&elf).map_err(|e| format!("decoder: {e}"))?;
    let header = ibmvmc::trace::header(decoder.id(), ibmvmc::trace::anchor());
    let args = Args::new();
    let mut out = vec![0u8; RING_BYTES];
    let mut sizes = Vec::new();
    for site in SITES {
        TRACE.with(|sink| sink.ring().clear());
        ibmvmc::trace::set_level(Level::Debug);
        site.calls(false, &args, SIZE_FRAMES);
        let read = TRACE.with(|sink| sink.ring().drain(&mut out));
        if read.lost != 0 {
            return Err(format!(
                "{}: {} frames lost while measuring sizes",
                site.name(),
                read.lost
            ));
        }
        let mut stream = decoder.stream();
        let mut items = stream
            .feed(&header)
            .map_err(|e| format!("{}: header: {e}", site.name()))?;
        items.extend(
            stream
                .feed(&out[..read.len])
                .map_err(|e| format!("{}: {e}", site.name()))?,
        );
        items.extend(
            stream
                .finish()
                .map_err(|e| format!("{}: {e}", site.name()))?,
        );
        let mut messages = Vec::new();
        for item in items {
            match item {
                Item::Header(_) => {}
                Item::Frame(line) => messages.push(line.message),
                other => {
                    return Err(format!(
                        "{}: unexpected {other:?} in the stream",
                        site.name()
                    ))
                }
            }
        }
        if messages.len() as u64 != SIZE_FRAMES {
            return Err(format!(
                "{}: {} frames decoded, {SIZE_FRAMES} logged",
                site.name(),
                messages.len()
            ));
        }
        // As dmesg keeps it: the pr_fmt prefix, the message, the newline.
        let text: usize = messages.iter().map(|m| PR_PREFIX.len() + m.len() + 1).sum();
        sizes.push(Size {
            site,
            ring_bytes: read.len as f64 / SIZE_FRAMES as f64,
            text_bytes: text as f64 / SIZE_FRAMES as f64,
            message: messages.swap_remove(0),
        });
    }
    Ok(sizes)
}

/// Whether the ring's very first frame reads back as a frame: defmt's rzCOBS encoder
/// emits one 0x00 before its first frame, which in the trace stream reads as a marker.
/// Call before anything else logs. `None`: fine; `Some(what)`: the stream is broken.
fn first_frame_probe() -> Option<String> {
    ibmvmc::trace::set_level(Level::Debug);
    ibmvmc::trace_debug!("trace_calls: first frame");
    let mut out = [0u8; 256];
    let read = TRACE.with(|sink| {
        let mut at = sink.ring().oldest();
        sink.ring().read(&mut at, None, &mut out)
    });
    match out[..read.len].first() {
        Some(0) => Some(format!(
            "the ring's first frame starts with 0x00 (defmt's rzCOBS encoder writes a separator \
             before its first frame; Sink::start_frame passes it on): a reader takes it for a \
             marker. First bytes: {:02x?}",
            &out[..read.len.min(8)]
        )),
        Some(_) => None,
        None => Some("the probe frame did not reach the ring".into()),
    }
}

fn print_sizes(sizes: &[Size]) {
    println!(
        "{:8} | {:>11} | {:>15} | {:>10} | message",
        "site", "bytes/frame", "pr_debug bytes", "text/frame"
    );
    println!(
        "{:-<8}-|-{:-<11}-|-{:-<15}-|-{:-<10}-|-{:-<40}",
        "", "", "", "", ""
    );
    for s in sizes {
        println!(
            "{:8} | {:>11.1} | {:>15.1} | {:>10.2} | {}",
            s.site.name(),
            s.ring_bytes,
            s.text_bytes,
            s.text_bytes / s.ring_bytes,
            s.message
        );
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("trace_calls: {msg}");
    ExitCode::FAILURE
}

const USAGE: &str = "usage: trace_calls [run <site> <base|filtered|on> <n> | check | sizes]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["run", site, mode, n] => {
            let Some(site) = Site::parse(site) else {
                return fail(&format!("unknown site {site}"));
            };
            let mode = match *mode {
                "base" => Mode::Base,
                "filtered" => Mode::Filtered,
                "on" => Mode::On,
                other => return fail(&format!("unknown mode {other} (base, filtered, on)")),
            };
            let Ok(n) = n.parse() else {
                return fail(USAGE);
            };
            match run(site, mode, n) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => fail(&msg),
            }
        }
        ["check"] => match check() {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => fail(&msg),
        },
        ["sizes"] => {
            if let Some(problem) = first_frame_probe() {
                eprintln!("trace_calls: warning: {problem}");
            }
            match sizes() {
                Ok(sizes) => {
                    for s in &sizes {
                        println!(
                            "size\t{}\t{:.1}\t{:.1}\t{}",
                            s.site.name(),
                            s.ring_bytes,
                            s.text_bytes,
                            s.message
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(msg) => fail(&msg),
            }
        }
        [] => {
            // `cargo bench`: the check and the sizes; instructions need callgrind.
            if let Some(problem) = first_frame_probe() {
                eprintln!("trace_calls: warning: {problem}");
            }
            if let Err(msg) = check() {
                return fail(&msg);
            }
            match sizes() {
                Ok(sizes) => print_sizes(&sizes),
                Err(msg) => return fail(&msg),
            }
            println!("instruction counts: tools/bench/trace.sh");
            ExitCode::SUCCESS
        }
        _ => fail(USAGE),
    }
}

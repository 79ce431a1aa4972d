// SPDX-License-Identifier: GPL-2.0-or-later
//! The driver's trace: defmt frames, the run-time level, the bounded ring they are kept
//! in, and the stream format readers get (the module's debugfs files, the host logger).
//!
//! # Call sites
//! The core and the glue log through [`trace_error!`](crate::trace_error) ..
//! [`trace_trace!`](crate::trace_trace): a defmt call behind one relaxed load of the
//! run-time level ([`set_level`]), the frame itself out of line in a cold function
//! ([`emit`]). defmt itself filters at compile time (`DEFMT_LOG`,
//! `trace` in the module and the host tests), so a frame costs nothing when the level
//! is compiled out and one compare when it is switched off at run time.
//!
//! Levels, used consistently:
//! - `error`: the driver cannot do what it was asked (an hcall failed for good, a
//!   handshake was refused).
//! - `warn`: the hypervisor or the partner did something unexpected, a reset and its
//!   cause, an entry dropped.
//! - `info`: state changes of the driver and of each HMC connection, sessions opened and
//!   closed.
//! - `debug`: every CRQ entry in and out (decoded), every hcall and its return code,
//!   buffer ownership changes, each errno returned to user space.
//! - `trace`: wake-ups and waits.
//!
//! # Load-address independence
//! defmt's index of a string is the address of a one-byte static, truncated to 16 bits.
//! In the module every such static is merged into one `.defmt` section (Kbuild's
//! linker script for `ibmvmc.o`) together with [`ANCHOR`]; the module's loader moves the
//! section as a whole, so `index - anchor` (mod 2^16) is the static's offset in the
//! `.ko`. The stream header carries the run-time address of [`ANCHOR`]; the decoder
//! (`tools/crates/ibmvmc-trace`) maps the `.ko`'s symbols with it. The same holds for a host
//! executable (the statics keep their distances under ASLR).
//!
//! # Stream format (version 1, little endian)
//! ```text
//! header, HEADER_LEN bytes:
//!   0..8    magic b"VMCTRACE"
//!   8..12   u32 format version (1)
//!   12..16  u32 header length (64; a reader skips what it does not know)
//!   16..24  u64 run-time address of ANCHOR
//!   24      u8  id length n (<= 32)
//!   25..57  id: the build's trace id (module) or hash of the executable (host)
//!   57..64  zero
//! then any number of:
//!   frame:  rzCOBS bytes of one defmt frame, then 0x00 (a frame never starts with 0x00)
//!   marker: 0x00, kind, payload; kind MARKER_LOST: u64 frames lost before this point
//! ```

use core::sync::atomic::AtomicU8;
use core::sync::atomic::Ordering;

/// A trace level, as the run-time knob and the decoder name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    /// Nothing is traced.
    Off = 0,
    /// See the module documentation for what each level carries.
    Error = 1,
    /// A surprise from the other side, a reset, a drop.
    Warn = 2,
    /// State changes, sessions.
    Info = 3,
    /// Every entry, hcall, buffer move and errno.
    Debug = 4,
    /// Wake-ups and waits.
    Trace = 5,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 6] = [
        Level::Off,
        Level::Error,
        Level::Warn,
        Level::Info,
        Level::Debug,
        Level::Trace,
    ];

    /// The level's name (`off`, `error`, ..).
    pub const fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Trace => "trace",
        }
    }

    /// A level from its name or its number (`0`..`5`), surrounding whitespace ignored.
    pub fn parse(text: &[u8]) -> Option<Level> {
        let text = trim(text);
        Level::ALL
            .into_iter()
            .find(|l| l.name().as_bytes().eq_ignore_ascii_case(text) || [b'0' + *l as u8] == *text)
    }
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !first.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !last.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    s
}

/// The level a frame needs to be kept; the module's `trace_level` parameter sets it.
/// `info` by default: state changes, sessions, resets and errors cost nothing per
/// message; `debug` (five frames per message) is measurably slower (tools/bench/BENCHMARKS.md)
/// and is what a support engineer switches on at run time.
pub const DEFAULT_LEVEL: Level = Level::Info;
static LEVEL: AtomicU8 = AtomicU8::new(DEFAULT_LEVEL as u8);

/// Sets the run-time level.
pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// The run-time level.
pub fn level() -> Level {
    match LEVEL.load(Ordering::Relaxed) {
        0 => Level::Off,
        1 => Level::Error,
        2 => Level::Warn,
        3 => Level::Info,
        4 => Level::Debug,
        _ => Level::Trace,
    }
}

/// The highest level whose call sites defmt compiles in, as far as this crate can tell
/// from `DEFMT_LOG` at build time: a plain level name (`off`, `error`, .. `trace`) is
/// that level; unset, or a filter list (`ibmvmc=debug,..`), counts as `trace`, which
/// only means the run-time check decides (the conservative answer: no frame defmt
/// compiles in is ever skipped). With it, a call site that defmt compiles out costs
/// nothing at all, not even the call to its empty out-of-line [`emit`].
pub const COMPILED_MAX: Level = compiled_max(option_env!("DEFMT_LOG"));

const fn compiled_max(filter: Option<&str>) -> Level {
    let Some(filter) = filter else {
        return Level::Trace;
    };
    let mut i = 0;
    while i < Level::ALL.len() {
        if bytes_eq(filter.as_bytes(), Level::ALL[i].name().as_bytes()) {
            return Level::ALL[i];
        }
        i += 1;
    }
    Level::Trace
}

const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether a frame of `level` is kept: compiled in ([`COMPILED_MAX`], a constant) and
/// let through by the run-time level. Inlined into every call site.
#[inline(always)]
pub fn enabled(level: Level) -> bool {
    level as u8 <= COMPILED_MAX as u8 && level as u8 <= LEVEL.load(Ordering::Relaxed)
}

/// Runs a call site's frame out of line: `emit(|| defmt::debug!(..))` behind the level
/// check of the `trace_*` macros. The encoding (acquire, the arguments' `Format`, release)
/// sits in a function of its own, one per call site, marked cold, so the caller keeps
/// only the level load, compare and branch, and neither its code layout nor its register
/// use and stack frame pay for the frame when the level filters it out. The closure
/// borrows the arguments, so the caller computes nothing more unless the level lets the
/// frame through.
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn emit(frame: impl FnOnce()) {
    frame()
}

/// The anchor the decoder measures defmt indices from (see the module documentation).
/// Its name starts with `__DEFMT_MARKER` so that defmt-decoder's table reader skips it.
#[used]
#[link_section = ".defmt.ibmvmc.anchor"]
#[export_name = "__DEFMT_MARKER_IBMVMC_ANCHOR"]
pub static ANCHOR: u8 = 0;

/// Run-time address of [`ANCHOR`].
pub fn anchor() -> u64 {
    &ANCHOR as *const u8 as usize as u64
}

/// Length of the stream header.
pub const HEADER_LEN: usize = 64;
/// First bytes of every stream.
pub const MAGIC: [u8; 8] = *b"VMCTRACE";
/// Stream format version.
pub const VERSION: u32 = 1;
/// Longest id a header carries.
pub const MAX_ID: usize = 32;
/// Marker kind: frames were lost (overwritten, too big, or nested); u64 count follows.
pub const MARKER_LOST: u8 = 1;
/// Length of a lost marker.
pub const LOST_LEN: usize = 10;

/// Bits of the anchor's address a header carries: the low 16. defmt's indices are 16
/// bits, so that is all the decoder needs, and no more than every frame's indices show
/// anyway; the rest of a kernel address (KASLR's secret) stays out of the trace files,
/// whatever `kptr_restrict` says.
pub const ANCHOR_MASK: u64 = 0xffff;

/// The stream header for a build `id` (longer ids are cut to [`MAX_ID`]) and an anchor
/// (of which it keeps [`ANCHOR_MASK`]).
pub fn header(id: &[u8], anchor: u64) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    let id = &id[..id.len().min(MAX_ID)];
    h[0..8].copy_from_slice(&MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h[12..16].copy_from_slice(&(HEADER_LEN as u32).to_le_bytes());
    h[16..24].copy_from_slice(&(anchor & ANCHOR_MASK).to_le_bytes());
    h[24] = id.len() as u8;
    h[25..25 + id.len()].copy_from_slice(id);
    h
}

/// The marker telling a reader that `frames` frames were lost at this point.
pub fn lost_marker(frames: u64) -> [u8; LOST_LEN] {
    let mut m = [0u8; LOST_LEN];
    m[1] = MARKER_LOST;
    m[2..].copy_from_slice(&frames.to_le_bytes());
    m
}

/// A reader's place in a [`Ring`]: the byte and the frame it reads next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pos: u64,
    seq: u64,
}

/// What [`Ring::read`] produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Read {
    /// Bytes written to the output (markers and whole frames).
    pub len: usize,
    /// Frames this reader missed since its last read (a marker was written for them).
    pub lost: u64,
}

/// A bounded ring of encoded frames (`N` bytes, a power of two). The newest frames
/// overwrite the oldest whole frames, which are counted as lost; a frame that cannot fit
/// in half the ring is dropped and counted. It allocates nothing and is not
/// synchronised: the owner serialises every call (the module: its critical section).
pub struct Ring<const N: usize> {
    buf: [u8; N],
    /// Bytes ever written (the next write goes to `head % N`).
    head: u64,
    /// First byte of the oldest whole frame kept, and its frame number.
    tail: u64,
    tail_seq: u64,
    /// End of the last complete frame, and the number of the next frame.
    committed: u64,
    next_seq: u64,
    /// A frame is open: started, not ended. `dropping`: it is being discarded.
    open: bool,
    dropping: bool,
    /// The drain cursor (`trace` and `trace_pipe` share it).
    drain: Cursor,
    /// Frames lost since load: overwritten, too big, or refused (nested).
    lost_total: u64,
}

impl<const N: usize> Default for Ring<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Ring<N> {
    const MASK: u64 = {
        assert!(N.is_power_of_two() && N >= 64);
        N as u64 - 1
    };
    /// A frame longer than this is dropped (it would evict half the ring).
    pub const MAX_FRAME: usize = N / 2;

    /// An empty ring.
    pub const fn new() -> Self {
        Self {
            buf: [0; N],
            head: 0,
            tail: 0,
            tail_seq: 0,
            committed: 0,
            next_seq: 0,
            open: false,
            dropping: false,
            drain: Cursor { pos: 0, seq: 0 },
            lost_total: 0,
        }
    }

    /// Starts a frame (the encoder's bytes follow through [`Ring::write`]).
    pub fn start_frame(&mut self) {
        if self.open {
            // A frame that never ended (cannot happen with defmt): forget it.
            self.abandon();
        }
        self.open = true;
        self.dropping = false;
    }

    /// Appends bytes of the open frame.
    pub fn write(&mut self, bytes: &[u8]) {
        if !self.open || self.dropping {
            return;
        }
        if (self.head - self.committed) as usize + bytes.len() > Self::MAX_FRAME {
            // Too big: roll its bytes back and count it when it ends.
            self.head = self.committed;
            self.dropping = true;
            return;
        }
        // Byte by byte: the rzCOBS encoder hands out one byte per call, for which a store
        // is cheaper than a copy (measured: tools/bench/trace.sh).
        for &b in bytes {
            if self.head - self.tail == N as u64 {
                self.evict_oldest();
            }
            if let Some(slot) = self.buf.get_mut((self.head & Self::MASK) as usize) {
                *slot = b;
            }
            self.head += 1;
        }
    }

    /// Ends the open frame (its bytes must end with the 0x00 delimiter).
    pub fn end_frame(&mut self) {
        if !self.open {
            return;
        }
        self.open = false;
        if self.dropping {
            self.dropping = false;
            self.lost_total += 1;
            return;
        }
        self.committed = self.head;
        self.next_seq += 1;
    }

    /// Counts a frame that was refused before it started (e.g. nested logging).
    pub fn count_lost(&mut self) {
        self.lost_total += 1;
    }

    /// Rolls back the open frame's bytes.
    fn abandon(&mut self) {
        self.head = self.committed;
        self.open = false;
        self.dropping = false;
        self.lost_total += 1;
    }

    /// Drops the oldest whole frame to make room.
    fn evict_oldest(&mut self) {
        if self.tail == self.committed {
            // Only the open frame is left, and it fills the ring: cannot happen with
            // MAX_FRAME = N / 2, but never loop.
            self.tail = self.head;
            return;
        }
        if self.tail >= self.drain.pos {
            // Nobody drained it: lost (snapshot readers see their own loss).
            self.lost_total += 1;
        }
        while self.tail < self.committed {
            let b = self.buf[(self.tail & Self::MASK) as usize];
            self.tail += 1;
            if b == 0 {
                break;
            }
        }
        self.tail_seq += 1;
    }

    /// A cursor at the oldest frame kept.
    pub fn oldest(&self) -> Cursor {
        Cursor {
            pos: self.tail,
            seq: self.tail_seq,
        }
    }

    /// The cursor just after the last complete frame.
    pub fn newest(&self) -> Cursor {
        Cursor {
            pos: self.committed,
            seq: self.next_seq,
        }
    }

    /// Whether a reader at `at` has complete frames (or a loss) to read.
    pub fn pending(&self, at: &Cursor) -> bool {
        at.pos < self.committed
    }

    /// Whether `at` has something to read before `until` (or the last complete frame).
    pub fn pending_until(&self, at: &Cursor, until: Option<Cursor>) -> bool {
        at.pos < until.map_or(self.committed, |u| u.pos.min(self.committed))
    }

    /// Copies, into `out`, a lost marker if frames `at` had not read were overwritten,
    /// then as many whole frames as fit, up to `until` (or the last complete frame),
    /// and moves `at` past them. Returns what it wrote; `len == 0` when nothing fits
    /// or nothing is pending.
    pub fn read(&self, at: &mut Cursor, until: Option<Cursor>, out: &mut [u8]) -> Read {
        let mut done = Read::default();
        if at.pos < self.tail {
            if out.len() < LOST_LEN {
                return done;
            }
            done.lost = self.tail_seq - at.seq;
            out[..LOST_LEN].copy_from_slice(&lost_marker(done.lost));
            done.len = LOST_LEN;
            *at = self.oldest();
        }
        let end = until.map_or(self.committed, |u| u.pos.min(self.committed));
        let mut pos = at.pos;
        let mut frames = 0;
        let mut frame_start = pos;
        let mut len = done.len;
        while pos < end && len < out.len() {
            let b = self.buf[(pos & Self::MASK) as usize];
            out[len] = b;
            len += 1;
            pos += 1;
            if b == 0 {
                frames += 1;
                frame_start = pos;
            }
        }
        // Only whole frames leave the ring.
        done.len = len - (pos - frame_start) as usize;
        at.pos = frame_start;
        at.seq += frames;
        done
    }

    /// Drains: like [`Ring::read`] from the shared drain cursor.
    pub fn drain(&mut self, out: &mut [u8]) -> Read {
        let mut at = self.drain;
        let done = self.read(&mut at, None, out);
        self.drain = at;
        done
    }

    /// Whether the drain cursor has something to read.
    pub fn drain_pending(&self) -> bool {
        self.pending(&self.drain)
    }

    /// The shared drain cursor, for a reader that copies out before it commits.
    pub fn drain_cursor(&self) -> Cursor {
        self.drain
    }

    /// Moves the drain cursor to where a copied-out read ended.
    pub fn commit_drain(&mut self, to: Cursor) {
        self.drain = to;
    }

    /// Forgets every frame kept (the drain cursor and new readers start after them).
    pub fn clear(&mut self) {
        self.tail = self.committed;
        self.tail_seq = self.next_seq;
        self.drain = self.newest();
    }

    /// Counters: (frames completed, frames lost, bytes kept).
    pub fn counters(&self) -> (u64, u64, u64) {
        (self.next_seq, self.lost_total, self.committed - self.tail)
    }
}

/// What a defmt global logger does with a frame: rzCOBS-encode it into a [`Ring`]. The
/// module's logger (`src/kmod/platform.rs`) and the trace benchmark use it inside their
/// critical sections; it is not synchronised itself.
pub struct Sink<const N: usize> {
    encoder: defmt::Encoder,
    ring: Ring<N>,
}

impl<const N: usize> Default for Sink<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Sink<N> {
    /// An empty sink.
    pub const fn new() -> Self {
        Self {
            encoder: defmt::Encoder::new(),
            ring: Ring::new(),
        }
    }

    /// defmt's `acquire`: a frame starts.
    pub fn start_frame(&mut self) {
        self.ring.start_frame();
        // rzCOBS writes one 0x00 before its very first frame (to end whatever garbage a
        // wire held before). The ring's frames are already delimited, and a stray 0x00
        // would read as a marker: keep it out.
        self.encoder.start_frame(|_| {});
    }

    /// defmt's `write`: bytes of the frame.
    pub fn write(&mut self, bytes: &[u8]) {
        let Self { encoder, ring } = self;
        encoder.write(bytes, |b| ring.write(b));
    }

    /// defmt's `release`: the frame ends.
    pub fn end_frame(&mut self) {
        let Self { encoder, ring } = self;
        encoder.end_frame(|b| ring.write(b));
        ring.end_frame();
    }

    /// The ring the frames are in.
    pub fn ring(&mut self) -> &mut Ring<N> {
        &mut self.ring
    }
}

/// Logs at `error` level if the run-time level allows it; defmt's syntax.
#[macro_export]
macro_rules! trace_error {
    ($($t:tt)*) => {
        if $crate::trace::enabled($crate::trace::Level::Error) {
            $crate::trace::emit(|| ::defmt::error!($($t)*))
        }
    };
}

/// Logs at `warn` level if the run-time level allows it; defmt's syntax.
#[macro_export]
macro_rules! trace_warn {
    ($($t:tt)*) => {
        if $crate::trace::enabled($crate::trace::Level::Warn) {
            $crate::trace::emit(|| ::defmt::warn!($($t)*))
        }
    };
}

/// Logs at `info` level if the run-time level allows it; defmt's syntax.
#[macro_export]
macro_rules! trace_info {
    ($($t:tt)*) => {
        if $crate::trace::enabled($crate::trace::Level::Info) {
            $crate::trace::emit(|| ::defmt::info!($($t)*))
        }
    };
}

/// Logs at `debug` level if the run-time level allows it; defmt's syntax.
#[macro_export]
macro_rules! trace_debug {
    ($($t:tt)*) => {
        if $crate::trace::enabled($crate::trace::Level::Debug) {
            $crate::trace::emit(|| ::defmt::debug!($($t)*))
        }
    };
}

/// Logs at `trace` level if the run-time level allows it; defmt's syntax.
#[macro_export]
macro_rules! trace_trace {
    ($($t:tt)*) => {
        if $crate::trace::enabled($crate::trace::Level::Trace) {
            $crate::trace::emit(|| ::defmt::trace!($($t)*))
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(ring: &mut Ring<64>, body: &[u8]) {
        ring.start_frame();
        ring.write(body);
        ring.write(&[0]);
        ring.end_frame();
    }

    #[test]
    fn drains_whole_frames_and_reports_loss() {
        let mut ring = Ring::<64>::new();
        for i in 1..=4u8 {
            frame(&mut ring, &[i; 9]);
        }
        let mut out = [0u8; 25];
        let r = ring.drain(&mut out);
        assert_eq!((r.len, r.lost), (20, 0));
        assert_eq!(&out[..10], &[1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
        // Ten more frames of 10 bytes: the ring keeps 6, the 2 undrained and 6 more are lost.
        for i in 5..=14u8 {
            frame(&mut ring, &[i; 9]);
        }
        let mut out = [0u8; 128];
        let r = ring.drain(&mut out);
        assert_eq!(r.lost, 6);
        assert_eq!(&out[..LOST_LEN], &lost_marker(6));
        assert_eq!(r.len, LOST_LEN + 60);
        assert_eq!(out[LOST_LEN], 9);
        assert_eq!(ring.counters(), (14, 6, 60));
        assert_eq!(ring.drain(&mut out).len, 0);
    }

    #[test]
    fn snapshot_does_not_consume_and_stops_at_its_end() {
        let mut ring = Ring::<64>::new();
        frame(&mut ring, b"ab");
        let mut snap = ring.oldest();
        let until = ring.newest();
        frame(&mut ring, b"cd");
        let mut out = [0u8; 16];
        assert_eq!(ring.read(&mut snap, Some(until), &mut out).len, 3);
        assert_eq!(ring.read(&mut snap, Some(until), &mut out).len, 0);
        assert_eq!(ring.drain(&mut out).len, 6);
    }

    #[test]
    fn open_and_oversized_frames_never_leave_the_ring() {
        let mut ring = Ring::<64>::new();
        ring.start_frame();
        ring.write(b"xyz");
        let mut out = [0u8; 16];
        assert_eq!(ring.drain(&mut out).len, 0);
        ring.write(&[0]);
        ring.end_frame();
        ring.start_frame();
        ring.write(&[7; 40]);
        ring.write(&[0]);
        ring.end_frame();
        assert_eq!(ring.counters(), (1, 1, 4));
        // A reader with room for less than one frame gets nothing, not half a frame.
        assert_eq!(ring.drain(&mut out[..2]).len, 0);
        assert_eq!(ring.drain(&mut out).len, 4);
    }

    #[test]
    fn sink_frames_are_the_encoders_across_stage_and_ring_wraps() {
        let mut sink = Sink::<256>::new();
        let mut reference = defmt::Encoder::new();
        reference.start_frame(|_| {});
        reference.end_frame(|_| {});
        for round in 0..300usize {
            // Payloads of 0..=90 bytes (some longer than the stage), with zeros in them.
            let payload: [u8; 91] = core::array::from_fn(|i| ((i * 7 + round) % 5) as u8);
            let payload = &payload[..round % 91];
            let mut want = [0u8; 128];
            let mut want_len = 0;
            let mut push = |b: &[u8]| {
                want[want_len..want_len + b.len()].copy_from_slice(b);
                want_len += b.len();
            };
            reference.start_frame(&mut push);
            reference.write(payload, &mut push);
            reference.end_frame(&mut push);
            sink.start_frame();
            for chunk in payload.chunks(3) {
                sink.write(chunk);
            }
            sink.end_frame();
            let mut out = [0u8; 256];
            let read = sink.ring().drain(&mut out);
            assert_eq!((read.len, read.lost), (want_len, 0), "round {round}");
            assert_eq!(&out[..read.len], &want[..want_len], "round {round}");
        }
    }

    #[test]
    fn compiled_max_is_a_plain_level_or_trace() {
        assert_eq!(compiled_max(Some("off")), Level::Off);
        assert_eq!(compiled_max(Some("info")), Level::Info);
        assert_eq!(compiled_max(Some("trace")), Level::Trace);
        // Anything this crate cannot read leaves the decision to the run-time level.
        assert_eq!(compiled_max(Some("ibmvmc=debug,info")), Level::Trace);
        assert_eq!(compiled_max(Some("")), Level::Trace);
        assert_eq!(compiled_max(None), Level::Trace);
    }

    #[test]
    fn levels_parse_by_name_and_number() {
        assert_eq!(Level::parse(b"debug\n"), Some(Level::Debug));
        assert_eq!(Level::parse(b" WARN "), Some(Level::Warn));
        assert_eq!(Level::parse(b"0"), Some(Level::Off));
        assert_eq!(Level::parse(b"6"), None);
        assert_eq!(Level::parse(b"verbose"), None);
    }

    #[test]
    fn header_layout() {
        let h = header(&[0xaa; 40], 0x1234_5678_9abc);
        assert_eq!(&h[..8], b"VMCTRACE");
        assert_eq!(h[12], HEADER_LEN as u8);
        // Only the low 16 bits of the address: no kernel address in the trace files.
        assert_eq!(
            u64::from_le_bytes(h[16..24].try_into().unwrap_or_default()),
            0x9abc
        );
        assert_eq!(h[24], MAX_ID as u8);
        assert_eq!(h[56], 0xaa);
        assert_eq!(h[57], 0);
    }
}

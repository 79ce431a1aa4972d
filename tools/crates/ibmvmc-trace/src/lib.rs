// SPDX-License-Identifier: GPL-2.0-or-later
//! Decodes the ibmvmc trace stream (format: the top of `src/trace.rs`) against the ELF
//! that wrote it: `ibmvmc.ko` for the module's debugfs files, the test executable for
//! the host logger's capture.
//!
//! - [`Decoder::new`] reads the ELF once: its defmt table, the ELF address of the anchor
//!   symbol, the build id, and a source location per log statement (the `"file"` and
//!   `"line"` the patched defmt-macros put in each symbol; DWARF as a fallback).
//! - [`Stream`] takes the stream in chunks of any size ([`Stream::feed`]) and yields
//!   [`Item`]s: the header (checked: magic, version, length, build id), one line per
//!   frame, lost markers, malformed frames. Once the header gives the run-time address of
//!   the anchor, the table's indices are moved to the run-time ones:
//!   `(elf_address - anchor_elf + anchor_runtime) & 0xffff` (the header carries only
//!   those 16 bits of `anchor_runtime`).
//! - [`decode_stream`] is the reading loop of the `ibmvmc-trace` binary and the admin
//!   CLI's `trace` subcommand.
//!
//! Build ids: the ELF's id is the 16 bytes of its `ibmvmc_trace_id` symbol (the module)
//! or, without that symbol, the first 16 bytes of the SHA-256 of the whole file (host
//! executables). A stream whose header carries another id is refused
//! ([`Error::IdMismatch`]): its indices would name another build's strings.

use std::collections::BTreeMap;
use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use defmt_decoder::Encoding;
use defmt_decoder::Frame;
use defmt_decoder::Table;
use object::Object;
use object::ObjectSection;
use object::ObjectSymbol;
use sha2::Digest;
use sha2::Sha256;

/// First bytes of every stream (`ibmvmc::trace::MAGIC`).
pub const MAGIC: [u8; 8] = *b"VMCTRACE";
/// The stream format version this decoder reads.
pub const VERSION: u32 = 1;
/// Shortest header (version 1 writes exactly this many bytes).
pub const HEADER_LEN: usize = 64;
/// Longest header accepted (a later version may append fields; they are skipped).
pub const MAX_HEADER_LEN: usize = 4096;
/// Longest id a header carries.
pub const MAX_ID: usize = 32;
/// Marker kind: frames were lost; a u64 LE count follows.
pub const MARKER_LOST: u8 = 1;
/// Length of a lost marker (0x00, kind, u64).
pub const LOST_LEN: usize = 10;
/// The symbol the indices are measured from.
pub const ANCHOR_SYMBOL: &str = "__DEFMT_MARKER_IBMVMC_ANCHOR";
/// The module's build id symbol (16 bytes).
pub const ID_SYMBOL: &str = "ibmvmc_trace_id";
/// Length of a build id.
pub const ID_LEN: usize = 16;
/// A frame longer than this (without its delimiter) is not kept, only counted, and
/// reported as malformed: no ring hands out such a frame.
pub const MAX_FRAME: usize = 1 << 20;

/// What went wrong. [`Error::exit_code`] maps it to the binary's exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The ELF is unreadable, has no defmt table, or is not an ibmvmc build.
    Elf(String),
    /// The stream's header is not a version 1 ibmvmc trace header.
    Header(String),
    /// The stream was written by another build than the ELF's.
    IdMismatch {
        /// The id in the stream's header.
        stream: Vec<u8>,
        /// The ELF's id.
        elf: Vec<u8>,
    },
    /// The stream's body breaks the format (an unknown marker kind).
    Stream(String),
    /// Reading the input or writing the output failed.
    Io(String),
}

impl Error {
    /// Exit status for the error: 2 for an id mismatch, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::IdMismatch { .. } => 2,
            _ => 1,
        }
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Elf(why) => write!(f, "{why}"),
            Error::Header(why) => write!(f, "not an ibmvmc trace stream: {why}"),
            Error::IdMismatch { stream, elf } => write!(
                f,
                "trace id mismatch: the stream was written by build {}, the ELF is build {}; \
                 decode with the ibmvmc.ko (or executable) that wrote the trace",
                hex(stream),
                hex(elf)
            ),
            Error::Stream(why) => write!(f, "bad trace stream: {why}"),
            Error::Io(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Error {}

/// Where a log statement is in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the compiler saw it (see [`short_path`] for printing).
    pub file: String,
    /// 1-based line.
    pub line: u64,
}

/// The stream header (version 1 fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Format version (1).
    pub version: u32,
    /// Header length in bytes (>= [`HEADER_LEN`]).
    pub len: usize,
    /// Run-time address of the anchor symbol, its low 16 bits (all a stream carries).
    pub anchor: u64,
    /// The writer's build id.
    pub id: Vec<u8>,
}

impl Header {
    /// Checks what `bytes` (possibly less than a whole header) show so far: the magic, and
    /// once there, the version and the length. Returns the header length when known.
    fn check_prefix(bytes: &[u8]) -> Result<Option<usize>, Error> {
        let n = bytes.len().min(MAGIC.len());
        if bytes[..n] != MAGIC[..n] {
            return Err(Error::Header(format!(
                "bad magic {} (want \"VMCTRACE\")",
                hex(&bytes[..n])
            )));
        }
        if bytes.len() < 16 {
            return Ok(None);
        }
        let version = le32(&bytes[8..12]);
        if version != VERSION {
            return Err(Error::Header(format!(
                "format version {version}, this decoder reads version {VERSION}"
            )));
        }
        let len = le32(&bytes[12..16]) as usize;
        if !(HEADER_LEN..=MAX_HEADER_LEN).contains(&len) {
            return Err(Error::Header(format!(
                "header length {len} (want {HEADER_LEN}..={MAX_HEADER_LEN})"
            )));
        }
        Ok(Some(len))
    }

    /// Parses a whole header (`bytes` holds at least the header's length).
    pub fn parse(bytes: &[u8]) -> Result<Header, Error> {
        let len = match Header::check_prefix(bytes)? {
            Some(len) if bytes.len() >= len => len,
            _ => {
                return Err(Error::Header(format!(
                    "{} bytes, shorter than its header",
                    bytes.len()
                )))
            }
        };
        let id_len = bytes[24] as usize;
        if id_len > MAX_ID {
            return Err(Error::Header(format!(
                "id length {id_len} (at most {MAX_ID})"
            )));
        }
        Ok(Header {
            version: VERSION,
            len,
            anchor: le64(&bytes[16..24]),
            id: bytes[25..25 + id_len].to_vec(),
        })
    }
}

fn le32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_le_bytes(a)
}

fn le64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

/// The ELF's side: its defmt table (indices at ELF addresses), anchor, id, locations.
pub struct Decoder {
    /// `Table` serialised: its fields are private, its serde form is not.
    table: serde_json::Value,
    anchor: u64,
    id: Vec<u8>,
    /// By ELF address.
    locations: BTreeMap<u64, Location>,
}

impl fmt::Debug for Decoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoder")
            .field("anchor", &format_args!("{:#x}", self.anchor))
            .field("id", &hex(&self.id))
            .field("locations", &self.locations.len())
            .finish_non_exhaustive()
    }
}

impl Decoder {
    /// Reads the ELF (`ibmvmc.ko` or a host executable that links the core).
    pub fn new(elf: &[u8]) -> Result<Decoder, Error> {
        let file =
            object::File::parse(elf).map_err(|e| Error::Elf(format!("not an ELF file: {e}")))?;
        let table = match Table::parse(elf) {
            Ok(Some(table)) => table,
            Ok(None) => {
                return Err(Error::Elf(
                    "no defmt data (no .defmt section) in the ELF".into(),
                ))
            }
            Err(e) => return Err(Error::Elf(format!("reading the defmt table: {e:#}"))),
        };
        if table.encoding() != Encoding::Rzcobs {
            return Err(Error::Elf(format!(
                "defmt encoding {:?}; the trace stream is rzCOBS",
                table.encoding()
            )));
        }
        let anchor = file
            .symbols()
            .find(|s| s.name() == Ok(ANCHOR_SYMBOL))
            .ok_or_else(|| Error::Elf(format!("not an ibmvmc build: no {ANCHOR_SYMBOL}")))?;
        let json = serde_json::to_value(&table)
            .map_err(|e| Error::Elf(format!("cannot remap the defmt table: {e}")))?;
        let entries = json
            .get("entries")
            .and_then(|e| e.as_object())
            .ok_or_else(|| Error::Elf("defmt table without entries".into()))?;

        // In a relocatable file (the .ko) addresses are offsets in their section: every
        // string must be in the anchor's section for `offset - anchor` to mean anything.
        if file.kind() == object::ObjectKind::Relocatable {
            let raw: HashSet<&str> = entries
                .values()
                .filter_map(|e| e.get("raw_symbol").and_then(|s| s.as_str()))
                .collect();
            let apart = file.symbols().find(|s| {
                s.name().is_ok_and(|n| raw.contains(n))
                    && s.section_index() != anchor.section_index()
            });
            if let Some(s) = apart {
                return Err(Error::Elf(format!(
                    "defmt string {} is not in the anchor's section: the .defmt sections \
                     were not merged (link the module with its linker script)",
                    s.name().unwrap_or("?")
                )));
            }
        }

        // Locations: the symbol's own "file"/"line"; DWARF for log statements without.
        let mut locations = BTreeMap::new();
        let mut missing = false;
        for (key, entry) in entries {
            let Ok(address) = key.parse::<u64>() else {
                continue;
            };
            let symbol = entry
                .get("raw_symbol")
                .and_then(|s| s.as_str())
                .unwrap_or("");
            let Ok(symbol) = serde_json::from_str::<serde_json::Value>(symbol) else {
                continue;
            };
            let file = symbol.get("file").and_then(|f| f.as_str());
            let line = symbol.get("line").and_then(|l| l.as_u64());
            match (file, line) {
                (Some(file), Some(line)) => {
                    locations.insert(
                        address,
                        Location {
                            file: file.to_string(),
                            line,
                        },
                    );
                }
                _ => {
                    let tag = symbol.get("tag").and_then(|t| t.as_str()).unwrap_or("");
                    missing |= matches!(
                        tag,
                        "defmt_trace" | "defmt_debug" | "defmt_info" | "defmt_warn" | "defmt_error"
                    );
                }
            }
        }
        if missing {
            // No DWARF (the .ko) is not an error: those lines go without a location.
            if let Ok(dwarf) = table.get_locations(elf) {
                for (address, loc) in dwarf {
                    locations.entry(address).or_insert_with(|| Location {
                        file: loc.file.to_string_lossy().into_owned(),
                        line: loc.line,
                    });
                }
            }
        }

        let id = match file.symbols().find(|s| s.name() == Ok(ID_SYMBOL)) {
            Some(sym) => {
                // The id is its first 16 bytes (a symbol may be bigger than its array:
                // some x86 builds show 32).
                if (1..ID_LEN as u64).contains(&sym.size()) {
                    return Err(Error::Elf(format!(
                        "{ID_SYMBOL} is {} bytes, not {ID_LEN}",
                        sym.size()
                    )));
                }
                let section = sym
                    .section_index()
                    .and_then(|i| file.section_by_index(i).ok())
                    .ok_or_else(|| Error::Elf(format!("{ID_SYMBOL} is not in a section")))?;
                match section.data_range(sym.address(), ID_LEN as u64) {
                    Ok(Some(bytes)) => bytes.to_vec(),
                    _ => {
                        return Err(Error::Elf(format!(
                            "{ID_SYMBOL}: its bytes are not in the file"
                        )))
                    }
                }
            }
            None => elf_hash(elf).to_vec(),
        };

        Ok(Decoder {
            table: json,
            anchor: anchor.address(),
            id,
            locations,
        })
    }

    /// The ELF's build id (what a stream's header must carry).
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// The ELF address of the anchor (an offset in `.defmt` for the .ko).
    pub fn anchor(&self) -> u64 {
        self.anchor
    }

    /// A stream reader.
    pub fn stream(&self) -> Stream<'_> {
        Stream {
            decoder: self,
            state: State::Header,
            buf: Vec::new(),
            skipped: 0,
            offset: 0,
        }
    }

    /// The table and locations at the run-time indices of a stream whose anchor is at
    /// `anchor_runtime`.
    fn bind(&self, anchor_runtime: u64) -> Result<Bound, Error> {
        let remap = |address: u64| {
            address
                .wrapping_sub(self.anchor)
                .wrapping_add(anchor_runtime)
                & 0xffff
        };
        let mut json = self.table.clone();
        let Some(entries) = json.get_mut("entries").and_then(|e| e.as_object_mut()) else {
            return Err(Error::Elf("defmt table without entries".into()));
        };
        let mut moved = serde_json::Map::new();
        for (key, entry) in std::mem::take(entries) {
            let address = key
                .parse::<u64>()
                .map_err(|_| Error::Elf(format!("defmt table index {key:?} is not a number")))?;
            let index = remap(address);
            if moved.insert(index.to_string(), entry).is_some() {
                return Err(Error::Elf(format!(
                    "two defmt strings share index {index:#06x} once relocated \
                     (more than 64 KiB of defmt strings?)"
                )));
            }
        }
        *entries = moved;
        let table: Table = serde_json::from_value(json)
            .map_err(|e| Error::Elf(format!("cannot rebuild the remapped defmt table: {e}")))?;
        let locations = self
            .locations
            .iter()
            .map(|(a, l)| (remap(*a), l.clone()))
            .collect();
        Ok(Bound { table, locations })
    }
}

/// The first [`ID_LEN`] bytes of the SHA-256 of `bytes`: a host executable's build id.
pub fn elf_hash(bytes: &[u8]) -> [u8; ID_LEN] {
    let digest = Sha256::digest(bytes);
    let mut id = [0u8; ID_LEN];
    id.copy_from_slice(&digest[..ID_LEN]);
    id
}

/// A decoder bound to one stream's anchor.
struct Bound {
    table: Table,
    locations: BTreeMap<u64, Location>,
}

impl Bound {
    /// Decodes exactly one frame: its rzCOBS bytes and the 0x00 delimiter.
    fn decode(&self, frame: &[u8]) -> Item {
        let len = frame.len().saturating_sub(1);
        // defmt-decoder formats with a few `unwrap`s of its own; a frame that trips one
        // is malformed, not the end of the decoder.
        let line = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let mut decoder = self.table.new_stream_decoder();
            decoder.received(frame);
            decoder.decode().ok().map(|f| self.line(&f))
        }));
        match line {
            Ok(Some(line)) => Item::Frame(line),
            _ => Item::Malformed(len),
        }
    }

    fn line(&self, frame: &Frame<'_>) -> Line {
        let level = frame.level().map(|l| match l.as_str() {
            "trace" => "TRACE",
            "debug" => "DEBUG",
            "info" => "INFO",
            "warn" => "WARN",
            _ => "ERROR",
        });
        Line {
            index: frame.index(),
            timestamp: frame.display_timestamp().map(|t| t.to_string()),
            level,
            message: frame.display_message().to_string(),
            location: self.locations.get(&frame.index()).cloned(),
        }
    }
}

/// One decoded frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The frame's run-time index.
    pub index: u64,
    /// The timestamp as the build formats it (the module: seconds.micros).
    pub timestamp: Option<String>,
    /// `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`; `None` for `println`.
    pub level: Option<&'static str>,
    /// The formatted message.
    pub message: String,
    /// The log statement's source location, if known.
    pub location: Option<Location>,
}

impl Line {
    /// `<timestamp> <LEVEL padded to 5> <message>  (<file>:<line>)`; the location only if
    /// known and `location`. A missing timestamp prints as `-`, a missing level as `PRINT`.
    pub fn render(&self, location: bool) -> String {
        let mut s = format!(
            "{} {:<5} {}",
            self.timestamp.as_deref().unwrap_or("-"),
            self.level.unwrap_or("PRINT"),
            self.message
        );
        if let (true, Some(loc)) = (location, &self.location) {
            s.push_str(&format!("  ({}:{})", short_path(&loc.file), loc.line));
        }
        s
    }
}

/// What the stream yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The header, checked against the ELF (always the first item).
    Header(Header),
    /// A decoded frame.
    Frame(Line),
    /// Frames lost at this point (ring overwritten, or frames dropped by the writer).
    Lost(u64),
    /// A frame that did not decode (its length without the delimiter); the stream goes on
    /// with the next frame.
    Malformed(usize),
}

impl Item {
    /// The item's output line (`None` for the header).
    pub fn render(&self, location: bool) -> Option<String> {
        match self {
            Item::Header(_) => None,
            Item::Frame(line) => Some(line.render(location)),
            Item::Lost(n) => Some(format!(
                "--- {n} frames lost (ring overwritten or frames dropped) ---"
            )),
            Item::Malformed(len) => Some(format!("--- malformed frame ({len} bytes) ---")),
        }
    }
}

enum State {
    Header,
    Body(Box<Bound>),
    Failed(Error),
}

/// An incremental reader of one stream: feed it the bytes as they come.
pub struct Stream<'d> {
    decoder: &'d Decoder,
    state: State,
    /// The header so far, or the frame or marker so far.
    buf: Vec<u8>,
    /// Bytes of an over-long frame not kept in `buf`.
    skipped: usize,
    /// Bytes of the stream consumed before `buf`.
    offset: u64,
}

impl Stream<'_> {
    /// Takes the next bytes of the stream (any split: a chunk may end anywhere in the
    /// header, a frame or a marker) and returns the items they complete. An error ends
    /// the stream: later calls return it again.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        match self.feed_inner(chunk, &mut items) {
            Ok(()) => Ok(items),
            Err(e) => {
                self.state = State::Failed(e.clone());
                Err(e)
            }
        }
    }

    /// The end of the stream: an error if it ended inside its header; a trailing
    /// incomplete frame or marker is reported as malformed.
    pub fn finish(&mut self) -> Result<Option<Item>, Error> {
        match &self.state {
            State::Failed(e) => Err(e.clone()),
            State::Header if self.buf.is_empty() => {
                Err(Error::Header("empty stream (no header)".into()))
            }
            State::Header => Err(Error::Header(format!(
                "the stream ended {} bytes into its header",
                self.buf.len()
            ))),
            State::Body(_) if self.buf.is_empty() => Ok(None),
            State::Body(_) => {
                let len = self.buf.len() + self.skipped;
                self.offset += len as u64;
                self.buf.clear();
                self.skipped = 0;
                Ok(Some(Item::Malformed(len)))
            }
        }
    }

    /// Bytes held back waiting for the rest of a header, frame or marker.
    pub fn pending(&self) -> usize {
        self.buf.len() + self.skipped
    }

    fn feed_inner(&mut self, mut data: &[u8], items: &mut Vec<Item>) -> Result<(), Error> {
        if let State::Failed(e) = &self.state {
            return Err(e.clone());
        }
        if let State::Header = self.state {
            let len = loop {
                if let Some(len) = Header::check_prefix(&self.buf)? {
                    if self.buf.len() >= len {
                        break len;
                    }
                    let take = (len - self.buf.len()).min(data.len());
                    self.buf.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if self.buf.len() < len {
                        return Ok(());
                    }
                } else {
                    // Up to the length field, then check again.
                    let take = (16 - self.buf.len()).min(data.len());
                    self.buf.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if take == 0 {
                        return Ok(());
                    }
                }
            };
            let header = Header::parse(&self.buf[..len])?;
            if header.id != self.decoder.id {
                return Err(Error::IdMismatch {
                    stream: header.id,
                    elf: self.decoder.id.clone(),
                });
            }
            let bound = self.decoder.bind(header.anchor)?;
            self.state = State::Body(Box::new(bound));
            self.offset = len as u64;
            self.buf.clear();
            items.push(Item::Header(header));
        }
        let State::Body(bound) = &self.state else {
            return Ok(());
        };
        while let Some(&first) = self.buf.first().or(data.first()) {
            if first == 0 {
                // A marker: 0x00, kind, payload.
                if self.buf.len() < 2 {
                    let Some((&b, rest)) = data.split_first() else {
                        return Ok(());
                    };
                    self.buf.push(b);
                    data = rest;
                    continue;
                }
                let need = match self.buf[1] {
                    MARKER_LOST => LOST_LEN,
                    kind => {
                        return Err(Error::Stream(format!(
                            "unknown marker kind {kind:#04x} at byte {}",
                            self.offset
                        )))
                    }
                };
                let take = (need - self.buf.len()).min(data.len());
                self.buf.extend_from_slice(&data[..take]);
                data = &data[take..];
                if self.buf.len() < need {
                    return Ok(());
                }
                items.push(Item::Lost(le64(&self.buf[2..10])));
            } else {
                // A frame, up to and with its 0x00.
                let end = data.iter().position(|&b| b == 0);
                let part = &data[..end.map_or(data.len(), |p| p + 1)];
                data = &data[part.len()..];
                if self.buf.len() + part.len() > MAX_FRAME + 1 {
                    self.skipped += part.len();
                } else {
                    self.buf.extend_from_slice(part);
                }
                if end.is_none() {
                    return Ok(());
                }
                items.push(if self.skipped > 0 {
                    Item::Malformed(self.buf.len() + self.skipped - 1)
                } else {
                    bound.decode(&self.buf)
                });
            }
            self.offset += (self.buf.len() + self.skipped) as u64;
            self.buf.clear();
            self.skipped = 0;
        }
        Ok(())
    }
}

/// A source path as printed: from its last `src` or `tests` component (or from the
/// `executor` or `tools/crates/<crate>` directory just above it), so that
/// `/tmp/x/main/src/vmc.rs` prints as `src/vmc.rs`,
/// `/w/main/tools/crates/ibmvmc-sim/src/lib.rs` as `tools/crates/ibmvmc-sim/src/lib.rs`
/// and `/w/main/tests/trace.rs` as `tests/trace.rs`. A path without such a component is
/// printed whole.
pub fn short_path(path: &str) -> &str {
    let parts: Vec<&str> = path.split('/').collect();
    // Never the last component (the file name itself).
    let Some(at) = parts[..parts.len() - 1]
        .iter()
        .rposition(|p| *p == "src" || *p == "tests")
    else {
        return path;
    };
    let start = if at >= 1 && parts[at - 1] == "executor" {
        at - 1
    } else if at >= 3 && parts[at - 3] == "tools" && parts[at - 2] == "crates" {
        at - 3
    } else {
        at
    };
    let skip: usize = parts[..start].iter().map(|p| p.len() + 1).sum();
    &path[skip..]
}

/// How [`decode_stream`] reads and prints.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Print each frame's source location.
    pub location: bool,
    /// At the end of the input, wait 200 ms and read again, forever (`tail -f` of a
    /// regular file). Pipes and debugfs's `trace_pipe` block in `read` instead.
    pub follow: bool,
    /// The input's name for error messages.
    pub input_name: String,
}

/// Reads a whole stream from `input`, printing one line per item to `out` (flushed per
/// line). A closed `out` (broken pipe) ends it quietly.
pub fn decode_stream(
    decoder: &Decoder,
    input: &mut dyn Read,
    out: &mut dyn Write,
    options: &Options,
) -> Result<(), Error> {
    let mut stream = decoder.stream();
    let mut buf = vec![0u8; 64 << 10];
    let print = |out: &mut dyn Write, items: Vec<Item>| -> Result<bool, Error> {
        for item in items {
            let Some(line) = item.render(options.location) else {
                continue;
            };
            match writeln!(out, "{line}").and_then(|()| out.flush()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(false),
                Err(e) => return Err(Error::Io(format!("writing the output: {e}"))),
            }
        }
        Ok(true)
    };
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) if options.follow => {
                std::thread::sleep(Duration::from_millis(200));
                continue;
            }
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::Io(format!("{}: {e}", options.input_name))),
        };
        if !print(out, stream.feed(&buf[..n])?)? {
            return Ok(());
        }
    }
    let last = stream.finish()?;
    print(out, last.into_iter().collect())?;
    Ok(())
}

#[cfg(test)]
mod tests;

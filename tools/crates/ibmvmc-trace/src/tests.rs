// SPDX-License-Identifier: GPL-2.0-or-later
//! The stream reader against real frames: logged here through the host logger, framed
//! with the core's own header and markers, decoded against this test executable.

use std::sync::OnceLock;

use ibmvmc_hostlog as _;

use super::*;

/// The fixture's frames, logged once (nothing else in this binary logs).
fn frames() -> &'static [Vec<u8>] {
    static FRAMES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FRAMES.get_or_init(|| {
        defmt::info!("fixture start {=u32}", 7);
        defmt::warn!(
            "fixture nested {} {}",
            Some(3u8),
            defmt::intern!("interned")
        );
        defmt::error!("fixture bytes {=[u8]:#04x}", [1u8, 2, 0, 3]);
        defmt::debug!("fixture zeroes {=u64} {=u32}", 0u64, 0u32);
        let bytes = ibmvmc_hostlog::take();
        bytes
            .split_inclusive(|&b| b == 0)
            .map(<[u8]>::to_vec)
            .collect()
    })
}

fn decoder() -> &'static Decoder {
    static DECODER: OnceLock<Decoder> = OnceLock::new();
    DECODER.get_or_init(|| {
        let exe = std::env::current_exe().expect("current_exe");
        Decoder::new(&std::fs::read(exe).expect("read the test executable")).expect("decoder")
    })
}

fn header() -> [u8; HEADER_LEN] {
    ibmvmc::trace::header(&ibmvmc_hostlog::exe_id(), ibmvmc::trace::anchor())
}

/// A rzCOBS frame that cannot decode (0x80 wants 7 more bytes).
const GARBAGE: [u8; 2] = [0x80, 0x00];

/// header, f0, f1, lost 5, f2, garbage, f3, lost 1.
fn stream() -> Vec<u8> {
    let f = frames();
    assert_eq!(f.len(), 4, "fixture frames");
    let mut s = header().to_vec();
    s.extend_from_slice(&f[0]);
    s.extend_from_slice(&f[1]);
    s.extend_from_slice(&ibmvmc::trace::lost_marker(5));
    s.extend_from_slice(&f[2]);
    s.extend_from_slice(&GARBAGE);
    s.extend_from_slice(&f[3]);
    s.extend_from_slice(&ibmvmc::trace::lost_marker(1));
    s
}

fn decode_all(chunks: &[&[u8]]) -> Result<Vec<Item>, Error> {
    let mut stream = decoder().stream();
    let mut items = Vec::new();
    for chunk in chunks {
        items.extend(stream.feed(chunk)?);
    }
    items.extend(stream.finish()?);
    Ok(items)
}

fn rendered(items: &[Item]) -> Vec<String> {
    items.iter().filter_map(|i| i.render(true)).collect()
}

#[test]
fn constants_match_the_core() {
    use ibmvmc::trace as t;
    assert_eq!(
        (MAGIC, VERSION, HEADER_LEN, MAX_ID),
        (t::MAGIC, t::VERSION, t::HEADER_LEN, t::MAX_ID)
    );
    assert_eq!((MARKER_LOST, LOST_LEN), (t::MARKER_LOST, t::LOST_LEN));
}

#[test]
fn decodes_real_frames_markers_and_garbage() {
    let items = decode_all(&[&stream()]).expect("decode");
    let Item::Header(h) = &items[0] else {
        panic!("first item {:?}", items[0])
    };
    assert_eq!(
        (h.version, h.len, h.anchor),
        (1, 64, ibmvmc::trace::anchor() & ibmvmc::trace::ANCHOR_MASK)
    );
    assert_eq!(h.id, ibmvmc_hostlog::exe_id());
    let lines = rendered(&items);
    let want = [
        ("INFO ", "fixture start 7"),
        ("WARN ", "fixture nested Some(3) interned"),
        (
            "",
            "--- 5 frames lost (ring overwritten or frames dropped) ---",
        ),
        ("ERROR", "fixture bytes [0x01, 0x02, 0x00, 0x03]"),
        ("", "--- malformed frame (1 bytes) ---"),
        ("DEBUG", "fixture zeroes 0 0"),
        (
            "",
            "--- 1 frames lost (ring overwritten or frames dropped) ---",
        ),
    ];
    assert_eq!(lines.len(), want.len(), "{lines:#?}");
    for (line, (level, message)) in lines.iter().zip(want) {
        if level.is_empty() {
            assert_eq!(line, message);
            continue;
        }
        // "<seconds>.<micros> <LEVEL> <message>  (tools/crates/ibmvmc-trace/src/tests.rs:<line>)"
        let (stamp, rest) = line.split_once(' ').expect("timestamp");
        assert!(
            stamp.contains('.') && stamp.replace('.', "").bytes().all(|b| b.is_ascii_digit()),
            "{line}"
        );
        let rest = rest
            .strip_prefix(level)
            .and_then(|r| r.strip_prefix(' '))
            .expect(line);
        let (msg, loc) = rest.split_once("  (").expect(line);
        assert_eq!(msg, message);
        let loc = loc
            .strip_prefix("tools/crates/ibmvmc-trace/src/tests.rs:")
            .expect(line);
        assert!(
            loc.strip_suffix(')')
                .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 10)),
            "{line}"
        );
    }
    let Item::Frame(first) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(
        first.render(false).split_once(' ').map(|(_, r)| r),
        Some("INFO  fixture start 7")
    );
}

#[test]
fn any_split_of_the_stream_decodes_the_same() {
    let s = stream();
    let whole = decode_all(&[&s]).expect("decode");
    for at in 0..=s.len() {
        assert_eq!(
            decode_all(&[&s[..at], &s[at..]]).as_ref(),
            Ok(&whole),
            "split at {at}"
        );
    }
    for (a, b) in [(3, 70), (20, 64), (64, 65), (65, 90), (100, 101)] {
        let (a, b) = (a.min(s.len()), b.min(s.len()));
        assert_eq!(
            decode_all(&[&s[..a], &s[a..b], &s[b..]]).as_ref(),
            Ok(&whole),
            "split at {a} {b}"
        );
    }
    let bytes: Vec<&[u8]> = s.chunks(1).collect();
    assert_eq!(decode_all(&bytes), Ok(whole));
}

#[test]
fn a_longer_header_is_skipped() {
    let mut s = header().to_vec();
    s[12] = 80;
    s.extend_from_slice(&[0xee; 16]);
    s.extend_from_slice(&frames()[0]);
    let items = decode_all(&[&s[..70], &s[70..]]).expect("decode");
    let [Item::Header(h), Item::Frame(l)] = &items[..] else {
        panic!("{items:?}")
    };
    assert_eq!((h.len, l.message.as_str()), (80, "fixture start 7"));
}

#[test]
fn bad_headers_are_refused() {
    let mut stream = decoder().stream();
    assert!(matches!(stream.feed(b"VMX"), Err(Error::Header(_))));
    // Once failed, always failed.
    assert!(matches!(stream.feed(&header()), Err(Error::Header(_))));

    let h = header();
    let bad = |patch: &dyn Fn(&mut [u8; HEADER_LEN])| {
        let mut h = h;
        patch(&mut h);
        decode_all(&[&h])
    };
    assert!(matches!(bad(&|h| h[7] = b'X'), Err(Error::Header(w)) if w.contains("magic")));
    assert!(matches!(bad(&|h| h[8] = 2), Err(Error::Header(w)) if w.contains("version 2")));
    assert!(matches!(bad(&|h| h[12] = 63), Err(Error::Header(w)) if w.contains("length 63")));
    assert!(matches!(bad(&|h| h[24] = 33), Err(Error::Header(w)) if w.contains("id length 33")));

    // Short: the stream ends inside its header.
    let err = decode_all(&[&h[..40]]).expect_err("short header");
    assert_eq!(
        err,
        Error::Header("the stream ended 40 bytes into its header".into())
    );
    assert_eq!(err.exit_code(), 1);
    assert!(matches!(decode_all(&[]), Err(Error::Header(w)) if w.contains("empty")));
}

#[test]
fn another_builds_stream_is_refused() {
    let mut s = stream();
    s[25 + 3] ^= 0x40;
    let err = decode_all(&[&s]).expect_err("id mismatch");
    let mut other = ibmvmc_hostlog::exe_id();
    other[3] ^= 0x40;
    assert_eq!(
        err,
        Error::IdMismatch {
            stream: other.to_vec(),
            elf: decoder().id().to_vec()
        }
    );
    assert_eq!(err.exit_code(), 2);
    let text = err.to_string();
    assert!(
        text.contains(&hex(&other)) && text.contains(&hex(&ibmvmc_hostlog::exe_id())),
        "{text}"
    );
    // Refused before any frame: the header alone is enough.
    let mut stream = decoder().stream();
    assert!(matches!(
        stream.feed(&s[..HEADER_LEN]),
        Err(Error::IdMismatch { .. })
    ));
}

#[test]
fn unknown_marker_kinds_end_the_stream() {
    let mut s = header().to_vec();
    s.extend_from_slice(&frames()[0]);
    s.extend_from_slice(&[0, 7, 1, 2]);
    let mut stream = decoder().stream();
    let err = stream.feed(&s).expect_err("unknown marker");
    assert_eq!(
        err,
        Error::Stream(format!(
            "unknown marker kind 0x07 at byte {}",
            64 + frames()[0].len()
        ))
    );
}

#[test]
fn a_truncated_last_frame_is_malformed() {
    let mut s = header().to_vec();
    s.extend_from_slice(&frames()[0]);
    s.extend_from_slice(&frames()[1][..3]);
    let items = decode_all(&[&s]).expect("decode");
    assert!(
        matches!(
            &items[..],
            [Item::Header(_), Item::Frame(_), Item::Malformed(3)]
        ),
        "{items:?}"
    );
}

#[test]
fn decode_stream_prints_lines() {
    let s = stream();
    let mut out = Vec::new();
    let options = Options {
        location: false,
        follow: false,
        input_name: "test".into(),
    };
    decode_stream(decoder(), &mut &s[..], &mut out, &options).expect("decode_stream");
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7);
    assert!(lines[0].ends_with(" INFO  fixture start 7"), "{}", lines[0]);
    assert!(!text.contains("tests.rs"));
    let mut out = Vec::new();
    let err = decode_stream(decoder(), &mut &s[..30], &mut out, &options).expect_err("short");
    assert!(matches!(err, Error::Header(_)));
}

#[test]
fn not_an_elf() {
    assert!(matches!(
        Decoder::new(b"\x7fELF nonsense"),
        Err(Error::Elf(_))
    ));
    assert!(matches!(Decoder::new(&[]), Err(Error::Elf(_))));
}

#[test]
fn short_paths() {
    assert_eq!(short_path("/tmp/x/main/src/vmc.rs"), "src/vmc.rs");
    assert_eq!(
        short_path("/tmp/x/main/src/kmod/platform.rs"),
        "src/kmod/platform.rs"
    );
    assert_eq!(
        short_path("/w/main/tools/crates/ibmvmc-sim/src/lib.rs"),
        "tools/crates/ibmvmc-sim/src/lib.rs"
    );
    assert_eq!(
        short_path("/w/main/executor/src/lib.rs"),
        "executor/src/lib.rs"
    );
    assert_eq!(short_path("/w/main/tests/trace.rs"), "tests/trace.rs");
    assert_eq!(short_path("src/vmc.rs"), "src/vmc.rs");
    assert_eq!(
        short_path("tools/crates/ibmvmc-hostlog/src/lib.rs"),
        "tools/crates/ibmvmc-hostlog/src/lib.rs"
    );
    assert_eq!(short_path("/elsewhere/foo.rs"), "/elsewhere/foo.rs");
    assert_eq!(short_path("/a/src"), "/a/src");
    assert_eq!(short_path(""), "");
}

#[test]
fn indices_follow_the_anchor_in_the_header() {
    let s = stream();
    let whole = decode_all(&[&s]).expect("decode");
    let moved = |delta: u64| {
        let mut s = s.clone();
        let anchor = ibmvmc::trace::anchor().wrapping_add(delta);
        s[16..24].copy_from_slice(&anchor.to_le_bytes());
        decode_all(&[&s]).expect("decode")
    };
    // Only the low 16 bits are indices.
    assert_eq!(moved(0x1_0000)[1..], whole[1..]);
    // Anywhere else, the frames' indices name other strings (or none).
    let elsewhere = moved(0x1000);
    assert_eq!(elsewhere.len(), whole.len());
    for (a, b) in elsewhere.iter().zip(&whole).skip(1) {
        if let (Item::Frame(a), Item::Frame(b)) = (a, b) {
            assert_ne!(a.message, b.message);
        }
    }
}

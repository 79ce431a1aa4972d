// SPDX-License-Identifier: GPL-2.0-or-later
//! The driver's trace end to end on the host: a real session through the core and the
//! simulator, its frames captured by the host logger, framed as the module's debugfs
//! files frame them (`ibmvmc::trace::header`), and decoded by `tools/crates/ibmvmc-trace`
//! against this test executable. One test only: the capture is process-wide.

mod common;

use common::hmc_message;
use common::hmc_response;
use common::Rig;
use ibmvmc::File;
use ibmvmc_trace::Decoder;
use ibmvmc_trace::Error;
use ibmvmc_trace::Item;
use ibmvmc_trace::Line;

/// What the session must show, in this order: fragments of the current messages in
/// `src/*.rs` (update them here when a message is reworded). `{hmc}` is the session's
/// HMC index.
const EXPECTED: &[&str] = &[
    // The handshake's end: capabilities agreed, the driver ready.
    "driver: state Capabilities -> Ready",
    "hmc {hmc}: open requested",
    "hmc {hmc}: open response",
    // The message out (the Signal the driver sends), then the answer in.
    "Signal { hmc_session: 1, hmc_index: {hmc}",
    "hmc {hmc}: message in buffer",
    "hmc {hmc}: closing",
    "hmc {hmc}: closed",
];

/// The HMC index the session gets: the second connection, so a wrong index shows.
const HMC: u8 = 1;

fn decode(decoder: &Decoder, stream: &[u8]) -> Result<Vec<Line>, Error> {
    let mut reader = decoder.stream();
    let mut items = reader.feed(stream)?;
    items.extend(reader.finish()?);
    let mut lines = Vec::new();
    for item in items {
        match item {
            Item::Header(_) => {}
            Item::Frame(line) => lines.push(line),
            other => panic!("unexpected {other:?}"),
        }
    }
    Ok(lines)
}

#[test]
fn a_sessions_trace_decodes_with_levels_and_locations() {
    // Every entry and buffer move (the module keeps info by default). Whatever was
    // logged before the session does not matter.
    ibmvmc::trace::set_level(ibmvmc::trace::Level::Debug);
    ibmvmc_hostlog::take();
    let rig = Rig::ready_two();
    let first = File::new();
    rig.open(&first, 0x41);
    let f = File::new();
    rig.open(&f, 0x42);
    assert_eq!(rig.vmc.wait_index(&f), Some(HMC));
    let (op, rc, token, _) = hmc_response(&rig.round_trip(&f, &hmc_message(0x0001, 7, &[])));
    assert_eq!((op, rc, token), (0x0001, 0, 7));
    rig.close(&f);

    assert_eq!(ibmvmc_hostlog::lost(), 0, "the capture overflowed");
    let id = ibmvmc_hostlog::exe_id();
    let mut stream = ibmvmc::trace::header(&id, ibmvmc::trace::anchor()).to_vec();
    stream.extend_from_slice(&ibmvmc_hostlog::take());

    let exe = std::env::current_exe().expect("current_exe");
    let elf = std::fs::read(&exe).expect("read the test executable");
    let decoder = Decoder::new(&elf).expect("decoder");
    let lines = decode(&decoder, &stream).expect("decode");
    let text: Vec<String> = lines.iter().map(|l| l.render(true)).collect();

    // Every line: a level and a location in this repository's sources.
    for (line, shown) in lines.iter().zip(&text) {
        assert!(line.level.is_some(), "no level: {shown}");
        let level = shown.split(' ').nth(1).unwrap_or("");
        assert!(
            ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"].contains(&level),
            "{shown}"
        );
        let (_, loc) = shown
            .rsplit_once("  (")
            .unwrap_or_else(|| panic!("no location: {shown}"));
        let (file, number) = loc
            .strip_suffix(')')
            .and_then(|l| l.rsplit_once(':'))
            .unwrap_or_else(|| panic!("bad location: {shown}"));
        assert!(
            file.starts_with("tests/") || (file.starts_with("src/") && file.ends_with(".rs")),
            "location outside src/ and tests/: {shown}"
        );
        assert!(number.parse::<u32>().is_ok_and(|n| n > 0), "{shown}");
    }

    // The session's story, in order.
    let mut at = 0;
    for fragment in EXPECTED {
        let fragment = fragment.replace("{hmc}", &HMC.to_string());
        let found = lines[at..]
            .iter()
            .position(|l| l.message.contains(&fragment));
        let Some(i) = found else {
            panic!(
                "no '{fragment}' after line {at} in the trace:\n{}",
                text.join("\n")
            );
        };
        at += i + 1;
    }

    // Another build's stream (one id byte flipped) is refused, naming both ids.
    let mut other = stream.clone();
    other[25] ^= 0x01;
    let err = decode(&decoder, &other).expect_err("another build's stream decoded");
    let mut other_id = id;
    other_id[0] ^= 0x01;
    assert_eq!(
        err,
        Error::IdMismatch {
            stream: other_id.to_vec(),
            elf: id.to_vec()
        }
    );
    assert_eq!(err.exit_code(), 2);
    let message = err.to_string();
    assert!(message.contains(&ibmvmc_trace::hex(&other_id)), "{message}");
    assert!(message.contains(&ibmvmc_trace::hex(&id)), "{message}");
    if std::env::var_os("IBMVMC_TRACE_SHOW").is_some() {
        println!("{}", text.join("\n"));
    }
}

// SPDX-License-Identifier: GPL-2.0-or-later
//! The errno contract is written once (`ibmvmc::errno::contract`) and repeated in two
//! places a reader meets first: the rustdoc of each call (`src/session.rs`,
//! `src/transfer.rs`, `src/api.rs`) and the uapi
//! header's comment. These check that neither drifts from it (the CLI's explanations
//! come from the contract itself; its own test checks it covers every call).

use ibmvmc::errno::contract;
use ibmvmc::errno::Call;

/// The doc comment right above `pub fn NAME` in `src`.
fn rustdoc(src: &str, name: &str) -> String {
    let at = src
        .find(&format!("pub fn {name}("))
        .unwrap_or_else(|| panic!("no pub fn {name}"));
    let mut doc: Vec<&str> = src[..at]
        .lines()
        .rev()
        .skip(1)
        .take_while(|l| l.trim_start().starts_with("///"))
        .collect();
    doc.reverse();
    doc.join("\n")
}

/// The rustdoc of each call names (`Errno::X`) every errno its contract lists.
#[test]
fn the_api_rustdoc_names_every_errno_of_the_contract() {
    let src = [
        include_str!("../src/session.rs"),
        include_str!("../src/transfer.rs"),
        include_str!("../src/api.rs"),
    ]
    .join("\n");
    let src = src.as_str();
    for (call, name) in [
        (Call::SetHmcId, "set_hmc_id"),
        (Call::Write, "write"),
        (Call::Read, "read"),
        (Call::RequestVmc, "request_vmc"),
    ] {
        let doc = rustdoc(src, name);
        for (errno, _) in contract(call) {
            let variant = format!("Errno::{errno:?}");
            assert!(
                doc.contains(&variant),
                "the rustdoc of {name} does not name {variant}:\n{doc}"
            );
        }
    }
}

/// The uapi header's contract lists every errno of each call on that call's lines.
#[test]
fn the_uapi_header_lists_every_errno_of_the_contract() {
    let header = include_str!("../src/uapi/ibmvmc.h");
    let start = header
        .find("Errno contract")
        .expect("no contract in the header");
    let block: Vec<&str> = header[start..]
        .lines()
        .take_while(|l| !l.trim().starts_with("*/"))
        .collect();
    // A call's entry: its line (` *   NAME  ...`) and the indented lines below it.
    let entry = |label: &str| -> String {
        let mut lines = block
            .iter()
            .skip_while(|l| !l.starts_with(&format!(" *   {label} ")))
            .peekable();
        let mut text = lines.next().map(|l| l.to_string()).unwrap_or_default();
        while let Some(l) = lines.next_if(|l| l.starts_with(" *         ")) {
            text.push_str(l);
        }
        text
    };
    for (call, label) in [
        (Call::Open, "open"),
        (Call::SetHmcId, "SETHMCID"),
        (Call::Query, "QUERY"),
        (Call::Write, "write"),
        (Call::Read, "read"),
        (Call::RequestVmc, "REQUESTVMC"),
        (Call::OtherIoctl, "other"),
    ] {
        let text = entry(label);
        assert!(!text.is_empty(), "the header has no entry for {label}");
        for (errno, _) in contract(call) {
            assert!(
                text.split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == errno.name()),
                "the header's {label} entry does not list {}: {text}",
                errno.name()
            );
        }
    }
}

/// Every errno of the contract is one the device can return, listed once per call.
#[test]
fn the_contract_is_well_formed() {
    for call in Call::ALL {
        let errnos: Vec<_> = contract(call).iter().map(|(e, _)| *e).collect();
        for (i, e) in errnos.iter().enumerate() {
            assert!(!errnos[i + 1..].contains(e), "{call:?} lists {e:?} twice");
            assert_eq!(ibmvmc::Errno::from_errno(e.to_errno()), Some(*e));
        }
    }
}

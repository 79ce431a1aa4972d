// SPDX-License-Identifier: GPL-2.0-or-later
//! `ibmvmc trace`: the driver's trace from debugfs, decoded against the module's `.ko`
//! (`tools/crates/ibmvmc-trace`) or written raw.
//!
//! - `trace` drains the ring (each frame is read once; EOF when it is empty),
//! - `trace_snapshot` (`--snapshot`) reads what the ring holds without draining it,
//! - `trace_pipe` (`--follow`) drains, then blocks for new frames until Ctrl-C.
//!
//! Writing to `trace` (`--clear`) empties the ring first.

use std::fs::File;
use std::io;
use std::io::Read;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;

use ibmvmc_trace::decode_stream;
use ibmvmc_trace::Decoder;
use ibmvmc_trace::Options;

use crate::errno;

/// The driver's debugfs directory.
pub const DIR: &str = "/sys/kernel/debug/ibmvmc";
/// Where the .ko is looked for when `--ko` is not given: under `/lib/modules/RELEASE/`
/// (recursively), then this.
pub const FALLBACK_KO: &str = "/ibmvmc.ko";

/// Which debugfs file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `trace`: drain.
    Drain,
    /// `trace_snapshot`: read without draining.
    Snapshot,
    /// `trace_pipe`: drain, then wait for more.
    Follow,
}

impl Mode {
    fn file(self) -> &'static str {
        match self {
            Mode::Drain => "trace",
            Mode::Snapshot => "trace_snapshot",
            Mode::Follow => "trace_pipe",
        }
    }
}

/// `trace [--snapshot | --follow] [--clear] [--ko PATH] [--raw -o FILE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceArgs {
    pub mode: Mode,
    pub clear: bool,
    pub ko: Option<String>,
    /// `--raw -o FILE`: the stream undecoded, to FILE.
    pub raw: Option<String>,
}

/// Parses the flags after `trace`, from `argv[*i]`; leaves `*i` at the first word that
/// is not one of them (the next action).
pub fn parse_args(argv: &[String], i: &mut usize) -> Result<TraceArgs, String> {
    let mut args = TraceArgs {
        mode: Mode::Drain,
        clear: false,
        ko: None,
        raw: None,
    };
    let (mut raw, mut out) = (false, None);
    let mut mode = None;
    while let Some(word) = argv.get(*i).map(String::as_str) {
        match word {
            "--snapshot" | "--follow" => {
                let m = if word == "--snapshot" {
                    Mode::Snapshot
                } else {
                    Mode::Follow
                };
                if mode.is_some_and(|old| old != m) {
                    return Err("trace: --snapshot and --follow exclude each other".into());
                }
                mode = Some(m);
            }
            "--clear" => args.clear = true,
            "--raw" => raw = true,
            "--ko" | "-o" => {
                let value = argv
                    .get(*i + 1)
                    .ok_or(format!("trace: {word} needs a path"))?
                    .clone();
                if word == "--ko" {
                    args.ko = Some(value);
                } else {
                    out = Some(value);
                }
                *i += 1;
            }
            _ => break,
        }
        *i += 1;
    }
    args.mode = mode.unwrap_or(Mode::Drain);
    args.raw = match (raw, out) {
        (true, Some(out)) => Some(out),
        (false, None) => None,
        (true, None) => return Err("trace: --raw needs -o FILE".into()),
        (false, Some(_)) => return Err("trace: -o FILE goes with --raw".into()),
    };
    if args.raw.is_some() && args.ko.is_some() {
        return Err("trace: --raw writes the stream undecoded; --ko is for decoding".into());
    }
    Ok(args)
}

/// A debugfs file's error: its path, the errno, and what it means here.
fn debugfs_error(path: &str, e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(libc::ENOENT) => format!(
            "{path}: ENOENT: debugfs not mounted or module not loaded \
             (mount -t debugfs none /sys/kernel/debug; insmod ibmvmc.ko)"
        ),
        Some(n @ (libc::EACCES | libc::EPERM)) => format!("{path}: {}: root only", errno::name(n)),
        Some(n) => format!("{path}: {}: {e}", errno::name(n)),
        None => format!("{path}: {e}"),
    }
}

/// The running kernel's release (`uname -r`).
fn kernel_release() -> Option<String> {
    // SAFETY: `utsname` is plain old data; all zeroes is a valid value.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is a valid, writable utsname.
    if unsafe { libc::uname(&mut u) } != 0 {
        return None;
    }
    let bytes: Vec<u8> = u
        .release
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8(bytes).ok()
}

/// The first `ibmvmc.ko` under `dir` (names sorted, symlinked directories not followed:
/// `build` and `source` point into kernel trees).
fn find_in(dir: &Path, depth: u32) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < 16 {
            if let Some(found) = find_in(&entry.path(), depth + 1) {
                return Some(found);
            }
        } else if !kind.is_dir() && entry.file_name() == "ibmvmc.ko" {
            return Some(entry.path());
        }
    }
    None
}

/// The .ko to decode with: `--ko`, else the first of `/lib/modules/$(uname -r)/**/ibmvmc.ko`
/// and `/ibmvmc.ko`.
fn find_ko(given: Option<&str>) -> Result<PathBuf, String> {
    if let Some(path) = given {
        return Ok(PathBuf::from(path));
    }
    let release = kernel_release().unwrap_or_default();
    let modules = Path::new("/lib/modules").join(&release);
    if !release.is_empty() {
        if let Some(found) = find_in(&modules, 0) {
            return Ok(found);
        }
    }
    if Path::new(FALLBACK_KO).is_file() {
        return Ok(PathBuf::from(FALLBACK_KO));
    }
    Err(format!(
        "no ibmvmc.ko under {}/ nor {FALLBACK_KO}: give the module that is loaded with --ko PATH",
        modules.display()
    ))
}

/// Runs `ibmvmc trace`.
pub fn run(args: &TraceArgs) -> Result<(), String> {
    // The decoder first: a missing or bad .ko must not cost the ring's contents.
    let decoder = match args.raw {
        Some(_) => None,
        None => {
            let ko = find_ko(args.ko.as_deref())?;
            let elf = std::fs::read(&ko).map_err(|e| format!("{}: {e}", ko.display()))?;
            let decoder = Decoder::new(&elf).map_err(|e| format!("{}: {e}", ko.display()))?;
            Some((ko, decoder))
        }
    };
    if args.clear {
        let path = format!("{DIR}/trace");
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut f| f.write_all(b"\n"))
            .map_err(|e| debugfs_error(&path, &e))?;
    }
    let path = format!("{DIR}/{}", args.mode.file());
    let mut input = File::open(&path).map_err(|e| debugfs_error(&path, &e))?;
    match (&decoder, &args.raw) {
        (Some((ko, decoder)), _) => {
            let options = Options {
                location: true,
                follow: false,
                input_name: path.clone(),
            };
            let stdout = io::stdout();
            decode_stream(decoder, &mut input, &mut stdout.lock(), &options).map_err(|e| match e {
                ibmvmc_trace::Error::IdMismatch { .. } => {
                    format!("{path} with {}: {e}", ko.display())
                }
                ibmvmc_trace::Error::Io(_) => e.to_string(),
                _ => format!("{path}: {e}"),
            })
        }
        (None, Some(out)) => {
            let mut file = File::create(out).map_err(|e| format!("{out}: {e}"))?;
            let mut buf = vec![0u8; 64 << 10];
            let mut total = 0u64;
            loop {
                let n = match input.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(debugfs_error(&path, &e)),
                };
                file.write_all(&buf[..n])
                    .map_err(|e| format!("{out}: {e}"))?;
                total += n as u64;
            }
            println!("{total} bytes of trace stream written to {out}");
            Ok(())
        }
        (None, None) => Err("trace: nothing to do".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<(TraceArgs, usize), String> {
        let argv: Vec<String> = s.split_whitespace().map(String::from).collect();
        let mut i = 0;
        parse_args(&argv, &mut i).map(|a| (a, i))
    }

    #[test]
    fn flags() {
        let (a, i) = parse("--follow --clear --ko /x.ko stats").unwrap();
        assert_eq!(
            a,
            TraceArgs {
                mode: Mode::Follow,
                clear: true,
                ko: Some("/x.ko".into()),
                raw: None
            }
        );
        assert_eq!(i, 4);
        let (a, _) = parse("--snapshot --raw -o t.bin").unwrap();
        assert_eq!((a.mode, a.raw.as_deref()), (Mode::Snapshot, Some("t.bin")));
        assert_eq!(parse("").unwrap().0.mode, Mode::Drain);
        assert!(parse("--snapshot --follow").is_err());
        assert!(parse("--raw").is_err());
        assert!(parse("-o t.bin").is_err());
        assert!(parse("--ko").is_err());
        assert!(parse("--raw -o t.bin --ko x.ko").is_err());
    }

    #[test]
    fn errors_say_what_the_errno_means() {
        let enoent = io::Error::from_raw_os_error(libc::ENOENT);
        assert!(
            debugfs_error("/d/trace", &enoent).starts_with("/d/trace: ENOENT: debugfs not mounted")
        );
        let eacces = io::Error::from_raw_os_error(libc::EACCES);
        assert_eq!(
            debugfs_error("/d/trace", &eacces),
            "/d/trace: EACCES: root only"
        );
    }

    #[test]
    fn finds_the_module_below_a_directory() {
        let dir = std::env::temp_dir().join(format!("ibmvmc-cli-ko-{}", std::process::id()));
        let deep = dir.join("extra/misc");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(find_in(&dir, 0), None);
        std::fs::write(deep.join("ibmvmc.ko"), b"x").unwrap();
        assert_eq!(find_in(&dir, 0), Some(deep.join("ibmvmc.ko")));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(find_ko(Some("/given.ko")), Ok(PathBuf::from("/given.ko")));
    }
}

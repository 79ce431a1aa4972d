// SPDX-License-Identifier: GPL-2.0-or-later
//! `ibmvmc-trace`: prints an ibmvmc trace stream, one line per frame.
//!
//! ```text
//! ibmvmc-trace --elf PATH [--follow] [--no-location] [INPUT]
//!   --elf PATH       the ibmvmc.ko (or host executable) that wrote the stream
//!   --follow         at the end of a regular file, wait for more (like tail -f)
//!   --no-location    no "(file:line)" after each message
//!   INPUT            the stream (a file, a pipe, /sys/kernel/debug/ibmvmc/trace_pipe);
//!                    stdin if absent or "-"
//! ```
//! Exit status: 0 success, 1 error (ELF, header, I/O), 2 the stream was written by
//! another build than the ELF, 64 usage.

use std::io::Read;
use std::process::ExitCode;

use ibmvmc_trace::decode_stream;
use ibmvmc_trace::Decoder;
use ibmvmc_trace::Options;

const USAGE: &str = "usage: ibmvmc-trace --elf PATH [--follow] [--no-location] [INPUT]
  --elf PATH       the ibmvmc.ko (or host executable) that wrote the stream
  --follow         at the end of a regular file, wait for more (like tail -f)
  --no-location    no \"(file:line)\" after each message
  INPUT            the stream file; stdin if absent or \"-\"";

#[derive(Debug, PartialEq, Eq)]
struct Args {
    elf: String,
    follow: bool,
    location: bool,
    input: Option<String>,
}

/// `Ok(None)`: help was asked for.
fn parse_args(argv: &[String]) -> Result<Option<Args>, String> {
    let mut elf = None;
    let mut args = Args {
        elf: String::new(),
        follow: false,
        location: true,
        input: None,
    };
    let mut i = 0;
    while i < argv.len() {
        let word = argv[i].as_str();
        i += 1;
        match word {
            "-h" | "--help" => return Ok(None),
            "--elf" => {
                elf = Some(argv.get(i).ok_or("--elf needs a path")?.clone());
                i += 1;
            }
            "--follow" | "-f" => args.follow = true,
            "--no-location" => args.location = false,
            "-" => args.input = Some(word.to_string()),
            flag if flag.starts_with('-') => return Err(format!("unknown option '{flag}'")),
            path => {
                if args.input.is_some() {
                    return Err(format!("one INPUT only ('{path}' is a second one)"));
                }
                args.input = Some(path.to_string());
            }
        }
    }
    args.elf = elf.ok_or("--elf PATH is required")?;
    Ok(Some(args))
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&argv) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("ibmvmc-trace: {why}\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    let fail = |why: &dyn std::fmt::Display, code: u8| {
        eprintln!("ibmvmc-trace: {why}");
        ExitCode::from(code)
    };
    let elf = match std::fs::read(&args.elf) {
        Ok(elf) => elf,
        Err(e) => return fail(&format_args!("{}: {e}", args.elf), 1),
    };
    let decoder = match Decoder::new(&elf) {
        Ok(d) => d,
        Err(e) => return fail(&format_args!("{}: {e}", args.elf), e.exit_code()),
    };
    drop(elf);
    let (mut input, name, regular): (Box<dyn Read>, String, bool) = match args.input.as_deref() {
        None | Some("-") => (Box::new(std::io::stdin()), "stdin".into(), false),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => {
                let regular = f.metadata().map(|m| m.is_file()).unwrap_or(false);
                (Box::new(f), path.to_string(), regular)
            }
            Err(e) => return fail(&format_args!("{path}: {e}"), 1),
        },
    };
    let options = Options {
        location: args.location,
        follow: args.follow && regular,
        input_name: name,
    };
    let stdout = std::io::stdout();
    match decode_stream(&decoder, &mut input, &mut stdout.lock(), &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e, e.exit_code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Result<Option<Args>, String> {
        parse_args(&s.split_whitespace().map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn command_lines() {
        let a = args("--elf m.ko --follow --no-location trace")
            .unwrap()
            .unwrap();
        assert_eq!(
            a,
            Args {
                elf: "m.ko".into(),
                follow: true,
                location: false,
                input: Some("trace".into())
            }
        );
        let a = args("--elf m.ko -").unwrap().unwrap();
        assert_eq!(
            (a.input.as_deref(), a.follow, a.location),
            (Some("-"), false, true)
        );
        assert_eq!(args("--help").unwrap(), None);
        assert!(args("").is_err());
        assert!(args("--elf").is_err());
        assert!(args("--elf m.ko a b").is_err());
        assert!(args("--elf m.ko --frobnicate").is_err());
    }
}

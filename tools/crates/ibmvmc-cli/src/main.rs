// SPDX-License-Identifier: GPL-2.0-or-later
//! `ibmvmc`: a command-line client of `/dev/ibmvmc`, the IBM Virtual Management Channel.
//!
//! ```text
//! ibmvmc [--dev PATH] ACTION [ACTION...]
//!   query                       VMC_IOCTL_QUERY
//!   request-vmc                 VMC_IOCTL_REQUESTVMC (root)
//!   open --hmc-id ID            SETHMCID and wait for the open; the session stays for
//!                               the actions that follow in the same invocation
//!   echo [-n N] [--size S]      N raw echoes of S bytes (default 1 x 64), checked
//!   send HEX | send --text T    one message, then the reply (if any within 2 s)
//!   exchange-ops                HMC exchange ops to the command router
//!   hmc-close                   HMC close to the command router
//!   monitor                     print every message with a timestamp until Ctrl-C
//!   stats                       /sys/kernel/debug/ibmvmc/stats
//!   state                       /sys/kernel/debug/ibmvmc/state (driver and connections)
//!   session-test [-n N] [--mtu M]   the VM's basic session test, with poll()
//!   trace [--snapshot | --follow] [--clear] [--ko PATH] [--raw -o FILE]
//!                               the driver's trace from /sys/kernel/debug/ibmvmc:
//!                               `trace` (drains), `trace_snapshot` (--snapshot, does
//!                               not drain) or `trace_pipe` (--follow: drains, then
//!                               waits for more; Ctrl-C ends), decoded against the
//!                               .ko (--ko, default: /lib/modules/$(uname -r)/**/ibmvmc.ko,
//!                               then /ibmvmc.ko), or written raw to FILE; --clear
//!                               empties the ring first
//! ```
//! Exit status: 0 success, 1 failure (the message names the errno and what it means for
//! this device), 2 usage.

mod dev;
mod errno;
mod hmc;
mod trace;

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::time::Duration;
use std::time::Instant;
use std::time::SystemTime;

use dev::Device;

const STATS: &str = "/sys/kernel/debug/ibmvmc/stats";
const STATE: &str = "/sys/kernel/debug/ibmvmc/state";
const USAGE: &str = "usage: ibmvmc [--dev PATH] ACTION [ACTION...]
  query | request-vmc | open --hmc-id ID | echo [-n N] [--size S] | send HEX | send --text T
  exchange-ops | hmc-close | monitor | stats | state | session-test [-n N] [--mtu M]
  trace [--snapshot | --follow] [--clear] [--ko PATH] [--raw -o FILE]";
const TIMEOUT: Duration = Duration::from_secs(5);
const MAX_MTU: usize = 16384;

/// The read buffer size: the driver refuses (EINVAL) a read larger than its MTU, which
/// is the `max_mtu` module parameter (the simulator and PowerVM offer at least that).
fn read_size() -> usize {
    std::fs::read_to_string("/sys/module/ibmvmc/parameters/max_mtu")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|n| (4096..=MAX_MTU).contains(n))
        .unwrap_or(4096)
}

/// One action of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Query,
    RequestVmc,
    Open { hmc_id: String },
    Echo { count: u32, size: usize },
    Send { bytes: Vec<u8> },
    ExchangeOps,
    HmcClose,
    Monitor,
    Stats,
    State,
    SessionTest { count: u32, mtu: usize },
    Trace(trace::TraceArgs),
}

/// The parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Args {
    dev: String,
    actions: Vec<Action>,
}

fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    let digits = digits.strip_prefix("0x").unwrap_or(&digits);
    if digits.is_empty() || digits.len() % 2 != 0 {
        return Err(format!("'{text}': want an even number of hex digits"));
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&digits[i..i + 2], 16).map_err(|_| format!("'{text}': not hex"))
        })
        .collect()
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<&String>) -> Result<T, String> {
    let value = value.ok_or(format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{flag}: '{value}' is not a number"))
}

fn parse_args(argv: &[String]) -> Result<Args, String> {
    let mut args = Args {
        dev: "/dev/ibmvmc".into(),
        actions: Vec::new(),
    };
    let mut i = 0;
    while i < argv.len() {
        let word = argv[i].as_str();
        i += 1;
        let action = match word {
            "--dev" => {
                args.dev = argv.get(i).ok_or("--dev needs a path")?.clone();
                i += 1;
                continue;
            }
            "-h" | "--help" | "help" => return Err(String::new()),
            "query" => Action::Query,
            "request-vmc" => Action::RequestVmc,
            "exchange-ops" => Action::ExchangeOps,
            "hmc-close" => Action::HmcClose,
            "monitor" => Action::Monitor,
            "stats" => Action::Stats,
            "state" => Action::State,
            "trace" => Action::Trace(trace::parse_args(argv, &mut i)?),
            "open" => {
                if argv.get(i).map(String::as_str) != Some("--hmc-id") {
                    return Err("open needs --hmc-id ID".into());
                }
                let id = argv.get(i + 1).ok_or("--hmc-id needs a value")?.clone();
                dev::hmc_id(&id)?;
                i += 2;
                Action::Open { hmc_id: id }
            }
            "send" => match argv.get(i).map(String::as_str) {
                Some("--text") => {
                    let text = argv.get(i + 1).ok_or("--text needs a value")?;
                    i += 2;
                    Action::Send {
                        bytes: text.as_bytes().to_vec(),
                    }
                }
                Some(hex) => {
                    i += 1;
                    Action::Send {
                        bytes: parse_hex(hex)?,
                    }
                }
                None => return Err("send needs HEX or --text T".into()),
            },
            "echo" | "session-test" => {
                let mut count = if word == "echo" { 1 } else { 1000 };
                let mut size = if word == "echo" { 64 } else { 4096 };
                loop {
                    match argv.get(i).map(String::as_str) {
                        Some("-n") => count = number("-n", argv.get(i + 1))?,
                        Some("--size") if word == "echo" => {
                            size = number("--size", argv.get(i + 1))?
                        }
                        Some("--mtu") if word == "session-test" => {
                            size = number("--mtu", argv.get(i + 1))?
                        }
                        _ => break,
                    }
                    i += 2;
                }
                if word == "echo" {
                    if size == 0 || size > MAX_MTU {
                        return Err(format!("--size must be 1..={MAX_MTU}"));
                    }
                    Action::Echo { count, size }
                } else {
                    if !(hmc::HEADER_LEN..=MAX_MTU).contains(&size) {
                        return Err(format!("--mtu must be 32..={MAX_MTU}"));
                    }
                    Action::SessionTest { count, mtu: size }
                }
            }
            other => return Err(format!("unknown action '{other}'")),
        };
        args.actions.push(action);
    }
    if args.actions.is_empty() {
        return Err("no action".into());
    }
    Ok(args)
}

/// A raw message pattern: deterministic from `seed`, never HMC-framed.
fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(0x9E37_79B9);
    let mut v: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    if v.first() == Some(&0xDE) {
        v[0] = 0x21;
    }
    v
}

/// Sizes for the session test: the edges first, then cycling over 1..=mtu.
fn echo_size(i: u32, mtu: usize) -> usize {
    const FIRST: [usize; 8] = [1, 2, 31, 32, 33, 64, 4095, 4096];
    match FIRST.get(i as usize) {
        Some(&s) => s.min(mtu),
        None if i % 50 == 0 => mtu,
        None => 1 + (i as usize * 7919) % mtu,
    }
}

fn hexdump(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(64)];
    let hex: Vec<String> = shown.iter().map(|b| format!("{b:02x}")).collect();
    let text: String = shown
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        })
        .collect();
    format!(
        "{}{} |{}|",
        hex.join(" "),
        if bytes.len() > 64 { " ..." } else { "" },
        text
    )
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// One request without data to the command router; the response's data.
fn hmc_op(dev: &Device, op: u16, token: u32) -> Result<Vec<u8>, String> {
    let req = hmc::request(op, token, &[])?;
    let mut buf = vec![0u8; read_size()];
    let n = dev
        .round_trip(&req, &mut buf, TIMEOUT)
        .map_err(|e| e.to_string())?;
    hmc::check_response(&req, &buf[..n], None)
        .map(<[u8]>::to_vec)
        .map_err(|why| format!("HMC opcode 0x{op:04x}: {why}"))
}

fn session_test(path: &str, count: u32, mtu: usize) -> Result<String, String> {
    let start = Instant::now();
    let dev = Device::open(path).map_err(|e| e.to_string())?;
    let q = dev.wait_ready(TIMEOUT).map_err(|e| e.to_string())?;
    if q.have_vmc != 1 || q.state != dev::STATE_READY {
        return Err(format!(
            "QUERY: have_vmc {} state {}, want 1 3",
            q.have_vmc, q.state
        ));
    }
    let id = dev::hmc_id(&format!("ibmvmc-cli-{}", std::process::id()))?;
    dev.open_session(&id, TIMEOUT).map_err(|e| e.to_string())?;
    hmc_op(&dev, hmc::OP_EXCHANGE_OPS, 0x5e55_0001)?;
    let mut reply = vec![0u8; mtu];
    let (mut framed, mut raw, mut bytes) = (0u32, 0u32, 0u64);
    for i in 0..count {
        let len = echo_size(i, mtu);
        if len >= hmc::HEADER_LEN && i % 3 == 0 {
            let data = pattern(len - hmc::HEADER_LEN, i);
            let req = hmc::request(hmc::OP_ECHO, i, &data)?;
            let n = dev
                .round_trip(&req, &mut reply, TIMEOUT)
                .map_err(|e| format!("echo {i}: {e}"))?;
            hmc::check_response(&req, &reply[..n], Some(&data))
                .map_err(|why| format!("echo {i} (HMC, {len} bytes): {why}"))?;
            framed += 1;
        } else {
            let msg = pattern(len, i);
            let n = dev
                .round_trip(&msg, &mut reply, TIMEOUT)
                .map_err(|e| format!("echo {i}: {e}"))?;
            if reply[..n] != msg[..] {
                return Err(format!(
                    "echo {i}: {n} bytes back for {len}, or bytes differ"
                ));
            }
            raw += 1;
        }
        bytes += len as u64;
    }
    hmc_op(&dev, hmc::OP_CLOSE, 0x5e55_0002)?;
    drop(dev);
    Ok(format!(
        "ibmvmc session-test: ok: {count} echoes ({framed} HMC-framed, {raw} raw, {bytes} bytes, MTU {mtu}) with poll() in {} ms",
        start.elapsed().as_millis()
    ))
}

fn run(args: &Args) -> Result<(), String> {
    let mut session: Option<Device> = None;
    let need = |s: &Option<Device>| -> Result<(), String> {
        if s.is_none() {
            return Err("no session: put `open --hmc-id ID` before this action".into());
        }
        Ok(())
    };
    for action in &args.actions {
        match action {
            Action::Query => {
                let q = Device::open(&args.dev)
                    .and_then(|d| d.query())
                    .map_err(|e| e.to_string())?;
                let state = match q.state {
                    -1 => "sched_reset",
                    0 => "initial",
                    1 => "crqinit",
                    2 => "capabilities",
                    3 => "ready",
                    4 => "failed",
                    _ => "?",
                };
                println!(
                    "have_vmc {} state {} ({state}) vmc_drc_index 0x{:08x}",
                    q.have_vmc, q.state, q.vmc_drc_index as u32
                );
            }
            Action::RequestVmc => {
                let drc = Device::open(&args.dev)
                    .and_then(|d| d.request_vmc())
                    .map_err(|e| e.to_string())?;
                println!("drc_index 0x{drc:08x}");
            }
            Action::Open { hmc_id } => {
                let dev = Device::open(&args.dev).map_err(|e| e.to_string())?;
                dev.open_session(&dev::hmc_id(hmc_id)?, TIMEOUT)
                    .map_err(|e| e.to_string())?;
                println!("session open (HMC ID '{hmc_id}')");
                session = Some(dev);
            }
            Action::Echo { count, size } => {
                need(&session)?;
                let dev = session.as_ref().ok_or("no session")?;
                let mut reply = vec![0u8; read_size()];
                let mut times = Vec::with_capacity(*count as usize);
                for i in 0..*count {
                    let msg = pattern(*size, i);
                    let t = Instant::now();
                    let n = dev
                        .round_trip(&msg, &mut reply, TIMEOUT)
                        .map_err(|e| format!("echo {i}: {e}"))?;
                    times.push(t.elapsed());
                    if reply[..n] != msg[..] {
                        return Err(format!(
                            "echo {i}: {n} bytes back for {size}, or bytes differ"
                        ));
                    }
                }
                times.sort();
                if let Some(p50) = times.get(times.len() / 2) {
                    println!(
                        "{count} echoes of {size} bytes ok; round trip p50 {} us, max {} us",
                        p50.as_micros(),
                        times[times.len() - 1].as_micros()
                    );
                }
            }
            Action::Send { bytes } => {
                need(&session)?;
                let dev = session.as_ref().ok_or("no session")?;
                let n = dev.write(bytes).map_err(|e| e.to_string())?;
                println!("sent {n} bytes");
                let r = dev
                    .poll(libc::POLLIN, Some(Duration::from_secs(2)))
                    .map_err(|e| e.to_string())?;
                if r.readable {
                    let mut buf = vec![0u8; read_size()];
                    let n = dev.read(&mut buf).map_err(|e| e.to_string())?;
                    println!("reply {n} bytes: {}", hexdump(&buf[..n]));
                } else if r.hangup {
                    return Err("the session hung up (reset, closed or refused)".into());
                } else {
                    println!("no reply within 2 s");
                }
            }
            Action::ExchangeOps => {
                need(&session)?;
                let dev = session.as_ref().ok_or("no session")?;
                let ops = hmc_op(dev, hmc::OP_EXCHANGE_OPS, 1)?;
                println!("exchange ops ok: {}", hexdump(&ops));
            }
            Action::HmcClose => {
                need(&session)?;
                let dev = session.as_ref().ok_or("no session")?;
                hmc_op(dev, hmc::OP_CLOSE, 2)?;
                println!("HMC close ok");
            }
            Action::Monitor => {
                need(&session)?;
                let dev = session.as_ref().ok_or("no session")?;
                // SAFETY: the handler only stores to an atomic.
                unsafe { libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t) };
                let start = Instant::now();
                let mut buf = vec![0u8; read_size()];
                println!("monitoring; Ctrl-C ends");
                while !STOP.load(Ordering::SeqCst) {
                    let r = match dev.poll(libc::POLLIN, Some(Duration::from_millis(200))) {
                        Ok(r) => r,
                        Err(e) if e.errno == libc::EINTR => continue,
                        Err(e) => return Err(e.to_string()),
                    };
                    if r.hangup {
                        return Err("the session hung up (reset, closed or refused)".into());
                    }
                    if r.readable {
                        let n = dev.read(&mut buf).map_err(|e| e.to_string())?;
                        let wall = SystemTime::now()
                            .duration_since(SystemTime::UNIX_EPOCH)
                            .unwrap_or_default();
                        println!(
                            "[{:>10.6}] [+{:.6}] {n} bytes: {}",
                            wall.as_secs_f64(),
                            start.elapsed().as_secs_f64(),
                            hexdump(&buf[..n])
                        );
                    }
                }
            }
            Action::Stats => {
                let text = std::fs::read_to_string(STATS).map_err(|e| {
                    format!("{STATS}: {e} (is debugfs mounted and the module loaded?)")
                })?;
                print!("{text}");
            }
            Action::State => {
                let text = std::fs::read_to_string(STATE).map_err(|e| {
                    format!("{STATE}: {e} (is debugfs mounted and the module loaded?)")
                })?;
                print!("{text}");
            }
            Action::SessionTest { count, mtu } => {
                println!("{}", session_test(&args.dev, *count, *mtu)?)
            }
            Action::Trace(trace_args) => trace::run(trace_args)?,
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&argv) {
        Ok(args) => args,
        Err(why) => {
            if !why.is_empty() {
                eprintln!("ibmvmc: {why}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("ibmvmc: FAIL {why}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Result<Args, String> {
        parse_args(&s.split_whitespace().map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn actions_in_order() {
        let a = args("--dev /tmp/x open --hmc-id hmc1 exchange-ops echo -n 5 --size 100 send --text hi send de:ad hmc-close").unwrap();
        assert_eq!(a.dev, "/tmp/x");
        assert_eq!(
            a.actions,
            vec![
                Action::Open {
                    hmc_id: "hmc1".into()
                },
                Action::ExchangeOps,
                Action::Echo {
                    count: 5,
                    size: 100
                },
                Action::Send {
                    bytes: b"hi".to_vec()
                },
                Action::Send {
                    bytes: vec![0xde, 0xad]
                },
                Action::HmcClose,
            ]
        );
        assert_eq!(
            args("session-test").unwrap().actions,
            vec![Action::SessionTest {
                count: 1000,
                mtu: 4096
            }]
        );
        assert_eq!(
            args("session-test -n 10 --mtu 16384").unwrap().actions,
            vec![Action::SessionTest {
                count: 10,
                mtu: 16384
            }]
        );
        assert_eq!(
            args("echo").unwrap().actions,
            vec![Action::Echo { count: 1, size: 64 }]
        );
        assert_eq!(
            args("trace --snapshot stats").unwrap().actions,
            vec![
                Action::Trace(trace::TraceArgs {
                    mode: trace::Mode::Snapshot,
                    clear: false,
                    ko: None,
                    raw: None
                }),
                Action::Stats,
            ]
        );
    }

    #[test]
    fn bad_command_lines() {
        assert!(args("").is_err());
        assert!(args("open").is_err());
        assert!(args("open --hmc-id 012345678901234567890123456789012").is_err());
        assert!(args("echo --size 0").is_err());
        assert!(args("echo --size 16385").is_err());
        assert!(args("session-test --mtu 16").is_err());
        assert!(args("send abc").is_err());
        assert!(args("send zz").is_err());
        assert!(args("frobnicate").is_err());
        assert!(args("trace --raw").is_err());
    }

    #[test]
    fn hex() {
        assert_eq!(parse_hex("0x0102ff").unwrap(), vec![1, 2, 0xff]);
        assert_eq!(parse_hex("de:ca:ff").unwrap(), vec![0xde, 0xca, 0xff]);
    }

    #[test]
    fn patterns_are_raw_echoed() {
        for seed in 0..2000 {
            let p = pattern(64, seed);
            assert!(hmc::parse(&p).is_none());
            assert_eq!(p, pattern(64, seed));
        }
        assert_ne!(pattern(64, 1), pattern(64, 2));
    }

    #[test]
    fn session_test_sizes_cover_the_range() {
        let sizes: Vec<usize> = (0..1000).map(|i| echo_size(i, 4096)).collect();
        assert!(sizes.iter().all(|&s| (1..=4096).contains(&s)));
        for want in [1, 31, 32, 33, 4096] {
            assert!(sizes.contains(&want), "{want}");
        }
        assert_eq!(echo_size(7, 100), 100);
    }
}

//! A load generator for the standalone emulator (`examples/emulator.rs`): sends signed requests
//! over keep-alive connections to one or more running emulators, in turns, and reports requests
//! per second and each emulator's resident memory as the requests add up. Driven by
//! `benches/emulator_load.sh`, which builds two commits' emulators and compares them; not run
//! in CI.
//!
//! ```text
//! cargo run --release --example emulator_load --features emulator -- \
//!     --target baseline,127.0.0.1:9001,4242 --target head,127.0.0.1:9002,4243 \
//!     --requests 1000000 --chunk 100000 --connections 32
//! ```
//!
//! Each `--target NAME,ADDR,PID` is an emulator listening on `ADDR` whose process is `PID` (its
//! `VmRSS` is read from `/proc/PID/status`). Every target gets `--requests` requests, in chunks
//! of `--chunk`: one chunk to each target in turn (the order alternating from round to round, so
//! that drift on a shared machine falls on both), the memory of a target read after each of its
//! chunks. Requests alternate between `GetOwnedJoinPermission` (a LinkWAN action with state)
//! and `GetGateway` (served by the generic layer), each signed with signature v1 by the seeded
//! owner, with its own `SignatureNonce`. A chunk's requests are signed before its timer starts,
//! so the figures are the emulator's, plus one loopback round trip per request; each of the
//! `--connections` connections has one request in flight at a time. Every answer must be 200: the
//! run stops at the first that is not.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use alibaba_openapi::aliyun::sign::{percent_encode, v1};
use alibaba_openapi::emulator::accounts;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const USAGE: &str = "\
usage: emulator_load --target NAME,ADDR,PID [--target ...] [--requests N] [--chunk N]
                     [--connections K] [--warmup N]

  --target NAME,ADDR,PID  a running emulator: a name for the report, its address, its process id
  --requests N            requests per target (default 1000000)
  --chunk N               requests sent to one target before the next takes its turn, and
                          between two readings of its memory (default 100000)
  --connections K         keep-alive connections per target, one request in flight on each
                          (default 32)
  --warmup N              untimed requests per target first (default 2000)";

struct Target {
    name: String,
    addr: SocketAddr,
    pid: u32,
    /// Requests answered and time spent, timed chunks only.
    sent: usize,
    busy: Duration,
    /// (requests so far, VmRSS in KiB) after each chunk.
    rss: Vec<(usize, u64)>,
}

struct Options {
    targets: Vec<Target>,
    requests: usize,
    chunk: usize,
    connections: usize,
    warmup: usize,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        targets: Vec::new(),
        requests: 1_000_000,
        chunk: 100_000,
        connections: 32,
        warmup: 2_000,
    };
    let mut args = args;
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_owned());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let count = |value: &str| {
            value
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{flag} {value:?}: a positive whole number"))
        };
        match flag.as_str() {
            "--target" => {
                let parts: Vec<&str> = value.split(',').collect();
                let [name, addr, pid] = parts[..] else {
                    return Err(format!("--target {value:?}: NAME,ADDR,PID"));
                };
                options.targets.push(Target {
                    name: name.to_owned(),
                    addr: addr
                        .parse()
                        .map_err(|e| format!("--target {value:?}: {e}"))?,
                    pid: pid
                        .parse()
                        .map_err(|e| format!("--target {value:?}: {e}"))?,
                    sent: 0,
                    busy: Duration::ZERO,
                    rss: Vec::new(),
                });
            }
            "--requests" => options.requests = count(&value)?,
            "--chunk" => options.chunk = count(&value)?,
            "--connections" => options.connections = count(&value)?,
            "--warmup" => options.warmup = value.parse().map_err(|e| format!("--warmup: {e}"))?,
            _ => return Err(format!("unknown argument {flag:?}\n{USAGE}")),
        }
    }
    if options.targets.is_empty() {
        return Err(format!("at least one --target\n{USAGE}"));
    }
    Ok(options)
}

/// `VmRSS` of a process, in KiB.
fn rss_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no VmRSS in /proc/{pid}/status"))
}

/// `count` signed requests, each the bytes of a whole HTTP/1.1 request. `serial` makes every
/// nonce unique across the run.
fn sign_requests(addr: SocketAddr, count: usize, serial: &mut u64) -> Vec<Vec<u8>> {
    let owner = accounts::OWNER;
    let timestamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let run = fastrand::u64(..);
    (0..count)
        .map(|i| {
            *serial += 1;
            let (action, name, value) = if i % 2 == 0 {
                (
                    "GetOwnedJoinPermission",
                    "JoinPermissionId",
                    accounts::JOIN_PERMISSION_ID.to_owned(),
                )
            } else {
                ("GetGateway", "GwEui", format!("{:016x}", *serial % 64))
            };
            let mut params: Vec<(String, String)> = vec![
                ("AccessKeyId".into(), owner.access_key_id.into()),
                ("Action".into(), action.into()),
                ("Format".into(), "JSON".into()),
                ("SignatureMethod".into(), "HMAC-SHA1".into()),
                (
                    "SignatureNonce".into(),
                    format!("{run:016x}{:016x}", *serial),
                ),
                ("SignatureVersion".into(), "1.0".into()),
                ("Timestamp".into(), timestamp.clone()),
                ("Version".into(), "2019-03-01".into()),
                (name.into(), value),
            ];
            let signature = v1::signature("POST", params.iter().cloned(), owner.access_key_secret);
            params.push(("Signature".into(), signature));
            let mut request = String::with_capacity(512);
            request.push_str("POST /?");
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    request.push('&');
                }
                let _ = write!(request, "{}={}", percent_encode(k), percent_encode(v));
            }
            let _ = write!(
                request,
                " HTTP/1.1\r\nhost: {addr}\r\ncontent-length: 0\r\n\r\n"
            );
            request.into_bytes()
        })
        .collect()
}

/// Reads one answer; `Err` with what went wrong unless it is a 200.
async fn read_answer(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<(), String> {
    buffer.clear();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("the connection closed before an answer".to_owned());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .ok_or_else(|| format!("no content-length in {head:?}"))?;
    while buffer.len() < head_end + length {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("the connection closed in the middle of an answer".to_owned());
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    if buffer.len() > head_end + length {
        return Err("more bytes than one answer (pipelining is not used)".to_owned());
    }
    if !head.starts_with("HTTP/1.1 200") {
        let body = String::from_utf8_lossy(&buffer[head_end..]);
        return Err(format!(
            "{} {body}",
            head.lines().next().unwrap_or_default()
        ));
    }
    Ok(())
}

/// Sends every request over the connections (each taking the next request in turn, one in
/// flight at a time) and waits for all answers.
async fn send_all(
    connections: &mut Vec<TcpStream>,
    requests: Arc<Vec<Vec<u8>>>,
) -> Result<(), String> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    // Each task owns its connection for the chunk and hands it back.
    for mut stream in connections.drain(..) {
        let next = Arc::clone(&next);
        let requests = Arc::clone(&requests);
        tasks.spawn(async move {
            let mut buffer = Vec::with_capacity(8192);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(request) = requests.get(i) else {
                    return Ok::<_, String>(stream);
                };
                stream
                    .write_all(request)
                    .await
                    .map_err(|e| format!("write: {e}"))?;
                read_answer(&mut stream, &mut buffer).await?;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        connections.push(done.map_err(|e| format!("task: {e}"))??);
    }
    Ok(())
}

async fn run(mut options: Options) -> Result<(), String> {
    let mut serial = 0u64;
    let mut pools = Vec::new();
    for target in &options.targets {
        let mut pool = Vec::with_capacity(options.connections);
        for _ in 0..options.connections {
            let stream = TcpStream::connect(target.addr)
                .await
                .map_err(|e| format!("{}: connect {}: {e}", target.name, target.addr))?;
            stream.set_nodelay(true).map_err(|e| e.to_string())?;
            pool.push(stream);
        }
        if options.warmup > 0 {
            let warmup = sign_requests(target.addr, options.warmup, &mut serial);
            send_all(&mut pool, Arc::new(warmup))
                .await
                .map_err(|e| format!("{} (warm-up): {e}", target.name))?;
        }
        println!(
            "{}: {} connections, warm-up done, VmRSS {} KiB",
            target.name,
            options.connections,
            rss_kib(target.pid)?
        );
        pools.push(pool);
    }
    let rounds = options.requests.div_ceil(options.chunk);
    for round in 0..rounds {
        let size = options.chunk.min(options.requests - round * options.chunk);
        let mut order: Vec<usize> = (0..options.targets.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for t in order {
            let target = &mut options.targets[t];
            let requests = Arc::new(sign_requests(target.addr, size, &mut serial));
            let started = Instant::now();
            send_all(&mut pools[t], requests)
                .await
                .map_err(|e| format!("{}: {e}", target.name))?;
            let took = started.elapsed();
            target.sent += size;
            target.busy += took;
            let rss = rss_kib(target.pid)?;
            target.rss.push((target.sent, rss));
            println!(
                "{:>10} {:>8} requests  {:>8.0} req/s this chunk  VmRSS {:>7} KiB",
                target.name,
                target.sent,
                size as f64 / took.as_secs_f64(),
                rss
            );
        }
    }
    println!();
    println!(
        "| target | requests/s | VmRSS (KiB) at each {} requests | growth first → last |",
        options.chunk
    );
    println!("|---|---|---|---|");
    for target in &options.targets {
        let rps = target.sent as f64 / target.busy.as_secs_f64();
        let rss: Vec<String> = target.rss.iter().map(|(_, kib)| kib.to_string()).collect();
        let (first, last) = (target.rss[0].1, target.rss[target.rss.len() - 1].1);
        println!(
            "| {} | {:.0} | {} | {:+.1} % ({:+} KiB) |",
            target.name,
            rps,
            rss.join(", "),
            (last as f64 / first as f64 - 1.0) * 100.0,
            last as i64 - first as i64
        );
    }
    if let [first, .., last] = &options.targets[..] {
        let rps = |t: &Target| t.sent as f64 / t.busy.as_secs_f64();
        println!();
        println!(
            "requests/s {} / {}: {:.3}",
            last.name,
            first.name,
            rps(last) / rps(first)
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("emulator_load: {message}");
            ExitCode::FAILURE
        }
    }
}

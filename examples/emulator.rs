//! Runs the emulator standalone, for pointing an application or an official SDK at it.
//!
//! ```text
//! cargo run --example emulator --features emulator -- --listen 127.0.0.1:8080
//! ```
//!
//! It prints its URLs, the seeded test credentials and the environment to export, then serves
//! until interrupted (Ctrl-C).

use std::net::SocketAddr;
use std::process::ExitCode;

use alibaba_openapi::emulator::{accounts, Emulator};

fn usage() -> &'static str {
    "usage: emulator [--listen ADDR]   (default 127.0.0.1:0, a free port)"
}

/// Parses `--listen ADDR` / `--listen=ADDR`; `Err` carries the message to print.
fn parse_listen(args: &[String]) -> Result<SocketAddr, String> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--listen" => args.next().ok_or("--listen needs an address")?.clone(),
            "-h" | "--help" => return Err(usage().to_owned()),
            other => match other.strip_prefix("--listen=") {
                Some(value) => value.to_owned(),
                None => return Err(format!("unknown argument {other:?}\n{}", usage())),
            },
        };
        listen = value
            .parse()
            .map_err(|e| format!("--listen {value:?}: {e} (expected e.g. 127.0.0.1:8080)"))?;
    }
    Ok(listen)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let listen = match parse_listen(&args) {
        Ok(listen) => listen,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let emulator = match Emulator::builder().listen(listen).start().await {
            Ok(emulator) => emulator,
            Err(e) => {
                eprintln!("cannot listen on {listen}: {e}");
                return ExitCode::FAILURE;
            }
        };
        print_banner(&emulator);
        // Serve until the process is interrupted; Ctrl-C ends it.
        std::future::pending::<()>().await;
        drop(emulator);
        ExitCode::SUCCESS
    })
}

fn print_banner(emulator: &Emulator) {
    println!(
        "alibaba-openapi emulator listening on {}",
        emulator.local_addr()
    );
    println!();
    println!(
        "Alibaba Cloud RPC endpoint (LinkWAN, Dysmsapi): {}",
        emulator.url()
    );
    println!(
        "TOP gateway:                                   {}",
        emulator.top_gateway_url()
    );
    println!();
    println!("Accounts (Aliyun ID / AccessKeyId / AccessKeySecret):");
    for (role, account) in [
        ("owner ", accounts::OWNER),
        ("renter", accounts::RENTER),
        ("other ", accounts::OTHER),
    ] {
        println!(
            "  {role}  {:<16} {}  {}",
            account.aliyun_id, account.access_key_id, account.access_key_secret
        );
    }
    println!(
        "Join permissions: {} and {} (owner), {} (other)",
        accounts::JOIN_PERMISSION_ID,
        accounts::SECOND_JOIN_PERMISSION_ID,
        accounts::OTHER_JOIN_PERMISSION_ID
    );
    println!(
        "TOP app: app_key {}  app_secret {}  session {}",
        accounts::TOP_APP_KEY,
        accounts::TOP_APP_SECRET,
        accounts::TOP_SESSION
    );
    println!(
        "Data bank context: ak {}  sk {}",
        accounts::DATABANK_AK,
        accounts::DATABANK_SK
    );
    println!();
    println!("Point an application at it:");
    println!("export ALIBABA_CLOUD_ENDPOINT_URL={}", emulator.url());
    println!(
        "export ALIBABA_CLOUD_ACCESS_KEY_ID={}",
        accounts::OWNER.access_key_id
    );
    println!(
        "export ALIBABA_CLOUD_ACCESS_KEY_SECRET={}",
        accounts::OWNER.access_key_secret
    );
    println!("export TOP_GATEWAY_URL={}", emulator.top_gateway_url());
    println!("export TOP_APP_KEY={}", accounts::TOP_APP_KEY);
    println!("export TOP_APP_SECRET={}", accounts::TOP_APP_SECRET);
    println!("export TOP_SESSION={}", accounts::TOP_SESSION);
    println!();
    println!("Serving until interrupted (Ctrl-C).");
}

//! Runs the emulator standalone, for pointing an application or an official SDK at it.
//!
//! ```text
//! cargo run --example emulator --features emulator -- --listen 127.0.0.1:8080
//! cargo run --example emulator --features emulator -- --clock-skew -120 --fault throttling=500:2
//! cargo run --example emulator --features emulator -- --time-offset 86400
//! cargo run --example emulator --features emulator -- --help
//! ```
//!
//! The flags are parsed by `alibaba_openapi::emulator::cli` (listen address, clock skew, time
//! offset, faults, limits). The control routes under `/_emulator/` (listed by `--help` and by
//! `GET /_emulator/`) read the recording, move the services' clock, queue faults and reset it.
//! The first line printed is `alibaba-openapi emulator listening on ADDR`; then come the URLs,
//! the active faults, the seeded test credentials and the environment to export. It serves until
//! interrupted (Ctrl-C).

use std::io::Write;
use std::process::ExitCode;

use alibaba_openapi::emulator::{accounts, cli, Emulator};

fn main() -> ExitCode {
    let settings = match cli::parse_args(std::env::args().skip(1)) {
        Ok(settings) if settings.help => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(settings) => settings,
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
        let emulator = match settings.apply(Emulator::builder()).start().await {
            Ok(emulator) => emulator,
            Err(e) => {
                eprintln!("cannot listen on {}: {e}", settings.listen);
                return ExitCode::FAILURE;
            }
        };
        print_banner(&emulator, &settings);
        // Serve until the process is interrupted; Ctrl-C ends it.
        std::future::pending::<()>().await;
        drop(emulator);
        ExitCode::SUCCESS
    })
}

fn print_banner(emulator: &Emulator, settings: &cli::Settings) {
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
    println!(
        "Control (not recorded):                        {}/_emulator/ (lists the routes: health, requests, clock, faults, reset)",
        emulator.url()
    );
    println!(
        "Limits: {} connections, {} recorded requests; timeouts: head {:?}, body {:?}, idle {:?}",
        settings.max_connections,
        settings.max_recorded_requests,
        settings.header_read_timeout,
        settings.body_read_timeout,
        settings.idle_timeout
    );
    if !settings.time_offset.is_zero() {
        println!(
            "Services' clock: {} s ahead ({})",
            settings.time_offset.num_seconds(),
            emulator.business_now().format("%Y-%m-%dT%H:%M:%SZ")
        );
    }
    if !settings.clock_skew.is_zero() {
        println!(
            "Clock skew: {} s (emulator clock {})",
            settings.clock_skew.num_seconds(),
            emulator.now().format("%Y-%m-%dT%H:%M:%SZ")
        );
    }
    let faults = emulator.faults();
    if faults.is_empty() {
        println!("Faults: none");
    } else {
        println!("Faults, tried in this order:");
        for injection in faults {
            println!("  {injection}");
        }
    }
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
        "STS credentials acting as the owner (AccessKeyId / AccessKeySecret / SecurityToken):"
    );
    println!(
        "  valid    {}  {}  {}",
        accounts::STS.access_key_id,
        accounts::STS.access_key_secret,
        accounts::STS.security_token
    );
    println!(
        "  expired  {}  {}  {}",
        accounts::EXPIRED_STS.access_key_id,
        accounts::EXPIRED_STS.access_key_secret,
        accounts::EXPIRED_STS.security_token
    );
    println!(
        "Join permissions: {}, {} and {} (owner), {} (other)",
        accounts::JOIN_PERMISSION_ID,
        accounts::SECOND_JOIN_PERMISSION_ID,
        accounts::THIRD_JOIN_PERMISSION_ID,
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
    // Whoever reads the banner through a pipe sees it now, not when the buffer fills.
    let _ = std::io::stdout().flush();
}

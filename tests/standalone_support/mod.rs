//! The standalone emulator (`examples/emulator.rs`) as a child process: found next to the test
//! binary, or built with cargo when missing or stale, started with flags, its address read from
//! the first line it prints; and requests signed by hand to its URL.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use alibaba_openapi::aliyun::sign::{percent_encode, v1};
use alibaba_openapi::emulator::accounts::Account;
use serde_json::Value;

/// What the example prints first, before the address.
pub const BANNER: &str = "alibaba-openapi emulator listening on ";

/// The standalone emulator: the `emulator` example's binary.
pub fn emulator_binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| example_binary("emulator")).clone()
}

/// The binary of example `name`, next to this test's: `…/<profile>/deps/<test>` →
/// `…/<profile>/examples/<name>`. Built with cargo when it is missing or older than this test
/// (so never stale).
pub fn example_binary(name: &str) -> PathBuf {
    let test = std::env::current_exe().expect("the test knows its path");
    let profile_dir = test
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from <target>/<profile>/deps");
    let binary = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let modified = |path: &PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&binary), modified(&test)) {
        (Some(built), Some(tested)) => built >= tested,
        _ => false,
    };
    if !fresh {
        build_example(name, profile_dir.file_name().and_then(|n| n.to_str()));
    }
    assert!(
        binary.exists(),
        "{} is missing after building the example",
        binary.display()
    );
    binary
}

/// `cargo build --example <name>` with this test's profile and features (so the library is
/// not rebuilt with other ones).
fn build_example(name: &str, profile: Option<&str>) {
    let mut features = vec!["emulator"];
    if cfg!(feature = "default") {
        features.push("default");
    }
    if cfg!(feature = "rustls") {
        features.push("rustls");
    }
    if cfg!(feature = "native-tls") {
        features.push("native-tls");
    }
    let mut cargo = Command::new(env!("CARGO"));
    // Cargo sets these for the test process only; some build scripts (ring's) track them, and
    // inheriting them would make the nested build redo what the outer one built.
    for (variable, _) in std::env::vars_os() {
        let Some(variable) = variable.to_str() else {
            continue;
        };
        let set_for_tests = [
            "CARGO_MANIFEST_",
            "CARGO_PKG_",
            "CARGO_CRATE_NAME",
            "CARGO_BIN_",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_TARGET_TMPDIR",
            "CARGO_RUSTC_CURRENT_DIR",
        ];
        if set_for_tests
            .iter()
            .any(|prefix| variable.starts_with(prefix))
        {
            cargo.env_remove(variable);
        }
    }
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--example", name, "--no-default-features"])
        .args(["--features", &features.join(",")]);
    match profile {
        Some("debug") | None => {}
        Some(other) => {
            cargo.args(["--profile", other]);
        }
    }
    let status = cargo.status().expect("cargo runs");
    assert!(status.success(), "building the {name} example failed");
}

/// A running emulator process, killed when dropped (so a failed assertion leaks nothing).
pub struct Standalone {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for Standalone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Standalone {
    /// Starts the binary with `--listen 127.0.0.1:0` and `args`; reads the address from the
    /// first line it prints.
    pub fn start(args: &[&str]) -> Standalone {
        let mut command = Command::new(emulator_binary());
        command.args(["--listen", "127.0.0.1:0"]).args(args);
        Standalone::spawn(command)
    }

    /// [`Standalone::start`] with at most `limit` open file descriptors, as `ulimit -n` sets.
    #[cfg(unix)]
    pub fn start_with_fd_limit(limit: u32, args: &[&str]) -> Standalone {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
            .arg(emulator_binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(args);
        Standalone::spawn(command)
    }

    fn spawn(mut command: Command) -> Standalone {
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the emulator example starts");
        let mut guard = Standalone {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let stdout = guard.child.stdout.take().expect("piped stdout");
        let (lines, first) = mpsc::channel();
        // Reads every line, so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // After the first line nobody listens; keep draining anyway.
                let _ = lines.send(line);
            }
        });
        let line = first
            .recv_timeout(Duration::from_secs(60))
            .expect("the emulator prints its address");
        let addr = line
            .strip_prefix(BANNER)
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        guard.addr = addr.parse().expect("an address on the first line");
        guard
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// A LinkWAN (`2019-03-01`) request signed with v1 by `account`, with a fresh timestamp and
/// nonce, POSTed in the query string to `url`: its status and JSON body.
pub async fn signed_linkwan(
    url: &str,
    account: Account,
    action: &str,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let params: Vec<(String, String)> = [
        ("AccessKeyId", account.access_key_id.to_owned()),
        ("Action", action.to_owned()),
        ("Format", "JSON".to_owned()),
        ("SignatureMethod", "HMAC-SHA1".to_owned()),
        ("SignatureNonce", format!("{:032x}", fastrand::u128(..))),
        ("SignatureVersion", "1.0".to_owned()),
        (
            "Timestamp",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ),
        ("Version", "2019-03-01".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .chain(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    )
    .collect();
    post_signed_v1(url, params, account.access_key_secret).await
}

/// `params` (common and business parameters, no `Signature`) signed with v1 by `secret` and
/// POSTed in the query string to `url`: its status and JSON body (`Null` if not JSON).
pub async fn post_signed_v1(
    url: &str,
    mut params: Vec<(String, String)>,
    secret: &str,
) -> (u16, Value) {
    let signature = v1::signature("POST", params.iter().cloned(), secret);
    params.push(("Signature".to_owned(), signature));
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    let response = reqwest::Client::new()
        .post(format!("{url}/?{}", query.join("&")))
        .send()
        .await
        .expect("the standalone emulator answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

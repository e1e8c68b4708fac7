//! The standalone emulator (`examples/emulator.rs`) as a user runs it: a child process that
//! prints its address on the first line, configured by flags, answering requests signed by hand.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use alibaba_openapi::aliyun::sign::{percent_encode, v1};
use alibaba_openapi::emulator::accounts;
use serde_json::Value;

/// What the example prints first, before the address.
const BANNER: &str = "alibaba-openapi emulator listening on ";

/// The example binary next to this test's: `…/<profile>/deps/<test>` → `…/<profile>/examples/emulator`.
/// Built with cargo when it is missing or older than this test (so never stale).
fn emulator_binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(locate_or_build).clone()
}

fn locate_or_build() -> PathBuf {
    let test = std::env::current_exe().expect("the test knows its path");
    let profile_dir = test
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from <target>/<profile>/deps");
    let binary = profile_dir
        .join("examples")
        .join(format!("emulator{}", std::env::consts::EXE_SUFFIX));
    let modified = |path: &PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&binary), modified(&test)) {
        (Some(built), Some(tested)) => built >= tested,
        _ => false,
    };
    if !fresh {
        build_example(profile_dir.file_name().and_then(|n| n.to_str()));
    }
    assert!(
        binary.exists(),
        "{} is missing after building the example",
        binary.display()
    );
    binary
}

/// `cargo build --example emulator` with this test's profile and features (so the library is
/// not rebuilt with other ones).
fn build_example(profile: Option<&str>) {
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
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let set_for_tests = [
            "CARGO_MANIFEST_",
            "CARGO_PKG_",
            "CARGO_CRATE_NAME",
            "CARGO_BIN_",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_TARGET_TMPDIR",
            "CARGO_RUSTC_CURRENT_DIR",
        ];
        if set_for_tests.iter().any(|prefix| name.starts_with(prefix)) {
            cargo.env_remove(name);
        }
    }
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--example", "emulator", "--no-default-features"])
        .args(["--features", &features.join(",")]);
    match profile {
        Some("debug") | None => {}
        Some(other) => {
            cargo.args(["--profile", other]);
        }
    }
    let status = cargo.status().expect("cargo runs");
    assert!(status.success(), "building the emulator example failed");
}

/// A running emulator process, killed when dropped (so a failed assertion leaks nothing).
struct Standalone {
    child: Child,
    addr: SocketAddr,
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
    fn start(args: &[&str]) -> Standalone {
        let mut command = Command::new(emulator_binary());
        command.args(["--listen", "127.0.0.1:0"]).args(args);
        Standalone::spawn(command)
    }

    /// [`Standalone::start`] with at most `limit` open file descriptors, as `ulimit -n` sets.
    #[cfg(unix)]
    fn start_with_fd_limit(limit: u32, args: &[&str]) -> Standalone {
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

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// GetOwnedJoinPermission from the vector case `linkwan-GetOwnedJoinPermission`, signed by hand
/// with the owner's key, a fresh Timestamp and SignatureNonce.
async fn get_owned_join_permission(url: &str) -> (u16, Value) {
    let path = format!("{}/tests/data/rpc_v1.json", env!("CARGO_MANIFEST_DIR"));
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the vectors")).unwrap();
    let case = vectors["cases"]
        .as_array()
        .and_then(|cases| {
            cases
                .iter()
                .find(|c| c["name"] == "linkwan-GetOwnedJoinPermission")
        })
        .expect("the vector case");
    let mut params: Vec<(String, String)> = case["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    for (name, value) in params.iter_mut() {
        match name.as_str() {
            "AccessKeyId" => *value = accounts::OWNER.access_key_id.to_owned(),
            "Timestamp" => *value = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "SignatureNonce" => *value = format!("{:032x}", fastrand::u128(..)),
            _ => {}
        }
    }
    let method = case["method"].as_str().unwrap();
    let signature = v1::signature(
        method,
        params.iter().cloned(),
        accounts::OWNER.access_key_secret,
    );
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

#[tokio::test]
async fn standalone_emulator_answers_the_vector_request_with_the_documented_shape() {
    let emulator = Standalone::start(&[]);
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Success"], true);
    assert!(body["RequestId"].as_str().is_some_and(|id| id.len() >= 32));
    let data = &body["Data"];
    assert_eq!(data["JoinPermissionId"], 123);
    assert_eq!(data["JoinEui"], 0);
    assert_eq!(data["AuthState"], "NEW");
    assert_eq!(data["ClassMode"], "A");
    assert!(data.get("RenterAliyunId").is_none(), "no order yet");
}

#[tokio::test]
async fn standalone_emulator_takes_faults_from_flags() {
    let emulator = Standalone::start(&["--fault", "unavailable:1"]);
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (503, Some("ServiceUnavailable"))
    );
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(status, 200, "the fault is used up: {body}");
}

#[test]
fn standalone_emulator_refuses_unknown_flags() {
    let output = Command::new(emulator_binary())
        .args(["--fault", "teapot"])
        .output()
        .expect("the emulator example runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown fault kind"), "{stderr}");

    let help = Command::new(emulator_binary())
        .arg("--help")
        .output()
        .expect("the emulator example runs");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for word in [
        "--clock-skew SECONDS",
        "--max-recorded-requests N",
        "--max-connections N",
        "--header-timeout SECONDS",
        "--body-timeout SECONDS",
        "--idle-timeout SECONDS",
        "DELETE /_emulator/requests",
        "GET    /_emulator/health",
    ] {
        assert!(help.contains(word), "{word} in\n{help}");
    }
}

async fn control(method: reqwest::Method, url: &str, path: &str) -> Value {
    let response = reqwest::Client::new()
        .request(method, format!("{url}/_emulator/{path}"))
        .send()
        .await
        .expect("the standalone emulator answers");
    assert_eq!(response.status(), 200);
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn standalone_emulator_caps_its_recording_and_clears_it_over_http() {
    let emulator = Standalone::start(&["--max-recorded-requests", "2"]);
    for _ in 0..3 {
        let (status, body) = get_owned_join_permission(&emulator.url()).await;
        assert_eq!(status, 200, "{body}");
    }
    let health = control(reqwest::Method::GET, &emulator.url(), "health").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["max_recorded_requests"], 2);
    let listed = control(reqwest::Method::GET, &emulator.url(), "requests").await;
    let requests = listed["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "{listed}");
    assert!(requests
        .iter()
        .all(|r| r["action"] == "GetOwnedJoinPermission" && r["status"] == 200));
    let cleared = control(reqwest::Method::DELETE, &emulator.url(), "requests").await;
    assert_eq!(cleared["cleared"], 2);
    let listed = control(reqwest::Method::GET, &emulator.url(), "requests").await;
    assert_eq!(listed["requests"].as_array().unwrap().len(), 0);
}

/// With 64 file descriptors, 100 idle connections would leave none for a new client; under
/// `--max-connections 32` the emulator closes the longest idle ones and keeps answering.
#[cfg(unix)]
#[tokio::test]
async fn standalone_emulator_keeps_answering_when_idle_connections_pile_up() {
    let emulator = Standalone::start_with_fd_limit(64, &["--max-connections", "32"]);
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(tokio::net::TcpStream::connect(emulator.addr).await.unwrap());
    }
    let health = tokio::time::timeout(
        Duration::from_secs(10),
        control(reqwest::Method::GET, &emulator.url(), "health"),
    )
    .await
    .expect("a new client is answered in time");
    assert!(health["connections"].as_u64().unwrap() <= 32, "{health}");
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(status, 200, "{body}");
}

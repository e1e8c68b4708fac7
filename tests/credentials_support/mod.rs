//! Shared set-up for the credentials tests: an emulator, an [`Env`] made of a map and a
//! temporary home directory, and profile files written into it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use alibaba_openapi::credentials::Env;
use alibaba_openapi::emulator::{Emulator, RecordedRequest};

/// A temporary home directory, removed when dropped.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `~/<relative>` and returns its path.
    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Writes `~/.aliyun/config.json`.
    pub fn cli_config(&self, json: serde_json::Value) -> PathBuf {
        self.write(".aliyun/config.json", &json.to_string())
    }

    /// Writes `~/.alibabacloud/credentials`.
    pub fn credentials_file(&self, ini: &str) -> PathBuf {
        self.write(".alibabacloud/credentials", ini)
    }

    /// These variables and this home directory, nothing of the real ones.
    pub fn env(&self, vars: &[(&str, &str)]) -> Env {
        Env::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .with_home(self.dir.path())
    }
}

pub async fn emulator() -> Emulator {
    Emulator::start().await.expect("the emulator starts")
}

/// The requests the emulator received for this action (`AssumeRole`, `EcsMetadata`, ...).
pub fn requests_of(emulator: &Emulator, action: &str) -> Vec<RecordedRequest> {
    emulator
        .requests()
        .into_iter()
        .filter(|r| r.action == action)
        .collect()
}

/// A loopback URL where nothing listens (connections are refused at once).
pub fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// A JWT of the shape the emulator's STS accepts, for subject `sub`.
pub fn oidc_token(sub: &str) -> String {
    use base64::Engine as _;
    let encode = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    format!(
        "{}.{}.c2lnbmF0dXJl",
        encode(serde_json::json!({"alg": "RS256"})),
        encode(serde_json::json!({"iss": "https://oidc.example", "sub": sub, "aud": "sts"}))
    )
}

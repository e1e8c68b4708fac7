//! Credential services that refuse the connection, accept it and never answer, or redirect:
//! whatever goes wrong, the secrets of the request (the source credentials' secret and security
//! token, the signature, a token in a credentials URI) appear in no error's `Display` or
//! `Debug`, in no report of the default chain and in no log line, and a signed request is never
//! re-sent to the host a redirect names.
//!
//! Every service here is a loopback socket the test controls; nothing needs the emulator.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibaba_openapi::aliyun::{self, RawRequest};
use alibaba_openapi::credentials::{
    vars, Credentials, CredentialsUriProvider, DefaultChain, Env, ProvideCredentials,
    RamRoleArnProvider,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SOURCE_ID: &str = "LTAI5tLeakSource";
const SOURCE_SECRET: &str = "source-secret-Zq81vT";
/// Shaped like a real token: `+`, `/` and `=` change when percent-encoded.
const SOURCE_TOKEN: &str = "CAISleakTestToken+/abc=";
const URI_TOKEN: &str = "uri-query-token-7Hk2";
const ROLE_ARN: &str = "acs:ram::1234567890123456:role/leak-test";

// ---------------------------------------------------------------------------------------------
// Capturing logs

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    /// Records every event at TRACE of every crate on this thread until the guard drops. The
    /// tests run on a current-thread runtime, so the connection tasks log here too.
    fn start() -> (Capture, tracing::subscriber::DefaultGuard) {
        let capture = Capture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (capture, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Loopback services

/// A loopback URL where nothing listens: connections are refused at once.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// What the scripted server does with the n-th connection.
#[derive(Clone)]
enum Reply {
    /// Writes this raw HTTP response and closes.
    Raw(String),
    /// Reads the request and never answers (the socket stays open).
    Silent,
}

/// A hand-written HTTP/1.1 server: the n-th connection gets the n-th reply (the last one
/// repeats), and every request's head and body are recorded.
struct Scripted {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Scripted {
    async fn start(script: Vec<Reply>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            for n in 0.. {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let request = read_request(&mut stream).await;
                recorded.lock().unwrap().push(request);
                match script[n.min(script.len() - 1)].clone() {
                    Reply::Raw(response) => {
                        let _ = stream.write_all(response.as_bytes()).await;
                        let _ = stream.shutdown().await;
                    }
                    Reply::Silent => held.push(stream),
                }
            }
        });
        Scripted {
            addr,
            requests,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads one request: the head, then as many body bytes as `content-length` says.
async fn read_request(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return text;
            }
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).into_owned(),
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

fn http_json(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// An STS answer with credentials that expire `ttl` from now.
fn sts_answer(ttl: chrono::Duration) -> String {
    let expiration =
        (chrono::Utc::now() + ttl).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    http_json(
        "200 OK",
        &format!(
            r#"{{"RequestId":"R","Credentials":{{"AccessKeyId":"STS.leaktest","AccessKeySecret":"issued-secret","SecurityToken":"issued-token","Expiration":"{expiration}"}}}}"#
        ),
    )
}

/// The `Signature` a recorded request carried, decoded as it travelled (percent-encoded).
fn signature_of(request: &str) -> String {
    let start = request.find("Signature=").expect("a signed request") + "Signature=".len();
    let rest = &request[start..];
    let end = rest.find(['&', ' ', '\r']).unwrap_or(rest.len());
    rest[..end].to_owned()
}

// ---------------------------------------------------------------------------------------------
// Providers

fn no_vars() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
}

fn source() -> Credentials {
    Credentials::new(SOURCE_ID, SOURCE_SECRET).with_security_token(SOURCE_TOKEN)
}

/// `AssumeRole` at `endpoint`, signed with [`source`], giving up on a silent STS after 300 ms.
fn role_provider(endpoint: &str) -> RamRoleArnProvider {
    RamRoleArnProvider::builder(source(), ROLE_ARN)
        .role_session_name("leak-test")
        .sts_endpoint(endpoint)
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_millis(300))
        .env(no_vars())
        .build()
        .unwrap()
}

fn uri_provider(base: &str) -> CredentialsUriProvider {
    CredentialsUriProvider::new(format!("{base}/credentials?token={URI_TOKEN}"))
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_millis(300))
}

/// The error a client built on `provider` returns, shown both ways.
async fn through_client(provider: impl ProvideCredentials + 'static) -> String {
    let client = aliyun::Client::builder()
        .credentials_provider(provider)
        .endpoint_url(refused_url())
        .build()
        .unwrap();
    let err = client
        .call(&RawRequest::new(
            "linkwan",
            "2019-03-01",
            "GetOwnedJoinPermission",
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err, alibaba_openapi::Error::Credentials { .. }),
        "{err:?}"
    );
    format!("{err}\n{err:?}")
}

// ---------------------------------------------------------------------------------------------
// Assertions

/// Every form a secret could take in text: as is, and percent-encoded once and twice.
fn forms(secret: &str) -> Vec<String> {
    let once = aliyun::sign::percent_encode(secret);
    let twice = aliyun::sign::percent_encode(&once);
    let decoded = percent_encoding::percent_decode_str(secret)
        .decode_utf8_lossy()
        .into_owned();
    vec![secret.to_owned(), once, twice, decoded]
}

/// No secret, nor any sign of the signed URL's query, in any of `texts`.
fn assert_clean(texts: &[(&str, &str)], secrets: &[&str]) {
    for (what, text) in texts {
        for secret in secrets {
            for form in forms(secret) {
                assert!(
                    !text.contains(&form),
                    "{form:?} appears in the {what}:\n{text}"
                );
            }
        }
        for marker in ["Signature=", "SecurityToken=", "SignatureNonce", "token="] {
            assert!(
                !text.contains(marker),
                "{marker:?} (the request's query) appears in the {what}:\n{text}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// STS

#[tokio::test]
async fn sts_refusing_the_connection_leaks_neither_token_nor_secret() {
    let (logs, _guard) = Capture::start();
    let url = refused_url();
    let err = role_provider(&url).provide_credentials().await.unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("could not be reached"), "{shown}");
    assert!(shown.contains(&url), "names the endpoint: {shown}");
    let client = through_client(role_provider(&url)).await;
    assert_clean(
        &[
            ("Display", &shown),
            ("Debug", &format!("{err:?}")),
            ("client error", &client),
            ("logs", &logs.text()),
        ],
        &[SOURCE_SECRET, SOURCE_TOKEN],
    );
}

#[tokio::test]
async fn sts_that_never_answers_times_out_without_leaking_the_signature() {
    let (logs, _guard) = Capture::start();
    let silent = Scripted::start(vec![Reply::Silent]).await;
    let provider = role_provider(&silent.url());
    let started = std::time::Instant::now();
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the builder's read timeout applies"
    );
    let shown = err.to_string();
    assert!(shown.contains("did not answer in time"), "{shown}");

    let sent = silent.requests();
    assert_eq!(sent.len(), 1, "the request reached the silent STS");
    assert!(sent[0].contains("SecurityToken="), "{}", sent[0]);
    let signature = signature_of(&sent[0]);
    assert!(signature.len() > 10, "{signature}");
    assert_clean(
        &[
            ("Display", &shown),
            ("Debug", &format!("{err:?}")),
            ("provider Debug", &format!("{provider:?}")),
            ("logs", &logs.text()),
        ],
        &[SOURCE_SECRET, SOURCE_TOKEN, &signature],
    );
}

#[tokio::test]
async fn failed_refresh_warning_does_not_log_the_signed_request() {
    let (logs, _guard) = Capture::start();
    // First connection: credentials for six seconds; then silence.
    let sts = Scripted::start(vec![
        Reply::Raw(sts_answer(chrono::Duration::seconds(6))),
        Reply::Silent,
    ])
    .await;
    let provider = role_provider(&sts.url());
    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.leaktest");
    // Credentials issued for six seconds are refreshed once half their life has passed, and
    // the failed refresh (300 ms) ends well before they expire.
    tokio::time::sleep(Duration::from_millis(3300)).await;
    let cached = provider.provide_credentials().await.unwrap();
    assert_eq!(cached, first, "the still-valid credentials are served");

    let sent = sts.requests();
    assert_eq!(sent.len(), 2, "one fetch, one failed refresh");
    let logs = logs.text();
    assert!(
        logs.contains("refreshing credentials failed") && logs.contains("did not answer in time"),
        "the failed refresh is logged with its cause:\n{logs}"
    );
    let signatures: Vec<String> = sent.iter().map(|r| signature_of(r)).collect();
    let mut secrets = vec![SOURCE_SECRET, SOURCE_TOKEN];
    secrets.extend(signatures.iter().map(String::as_str));
    assert_clean(&[("logs", &logs)], &secrets);
}

#[tokio::test]
async fn chain_report_of_unreachable_services_leaks_nothing() {
    let (logs, _guard) = Capture::start();
    let home = tempfile::tempdir().unwrap();
    let config = serde_json::json!({
        "current": "chained",
        "profiles": [
            {"name": "temp", "mode": "StsToken", "access_key_id": SOURCE_ID,
             "access_key_secret": SOURCE_SECRET, "sts_token": SOURCE_TOKEN},
            {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "temp",
             "ram_role_arn": ROLE_ARN},
        ]
    });
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(home.path().join(".aliyun/config.json"), config.to_string()).unwrap();
    let uri = format!("{}/credentials?token={URI_TOKEN}", refused_url());
    let env = Env::from_vars([
        (vars::ECS_METADATA_DISABLED, "true"),
        (vars::CREDENTIALS_URI, uri.as_str()),
    ]);
    let chain = DefaultChain::builder()
        .env(env)
        .home(home.path())
        .sts_endpoint(refused_url())
        .build();
    let err = chain.provide_credentials().await.unwrap_err();
    let report = err.to_string();
    assert!(
        report.contains("(3) CLI profile: failed") && report.contains("AssumeRole"),
        "the STS failure is in the report: {report}"
    );
    assert!(
        report.contains("(6) credentials URI: failed") && report.contains("/credentials"),
        "the URI failure is in the report: {report}"
    );
    assert_clean(
        &[
            ("chain report", &report),
            ("Debug", &format!("{err:?}")),
            ("chain Debug", &format!("{chain:?}")),
            ("logs", &logs.text()),
        ],
        &[SOURCE_SECRET, SOURCE_TOKEN, URI_TOKEN],
    );
}

// ---------------------------------------------------------------------------------------------
// Credentials URI

#[tokio::test]
async fn credentials_uri_refusing_the_connection_leaks_its_query() {
    let (logs, _guard) = Capture::start();
    let base = refused_url();
    let provider = uri_provider(&base);
    let err = provider.provide_credentials().await.unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("could not be reached") && shown.contains(&format!("{base}/credentials")),
        "{shown}"
    );
    let client = through_client(uri_provider(&base)).await;
    assert_clean(
        &[
            ("Display", &shown),
            ("Debug", &format!("{err:?}")),
            ("provider Debug", &format!("{provider:?}")),
            ("client error", &client),
            ("logs", &logs.text()),
        ],
        &[URI_TOKEN],
    );
}

#[tokio::test]
async fn credentials_uri_that_never_answers_times_out_without_leaking_its_query() {
    let (logs, _guard) = Capture::start();
    let silent = Scripted::start(vec![Reply::Silent]).await;
    let provider = uri_provider(&silent.url());
    let err = provider.provide_credentials().await.unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("did not answer in time"), "{shown}");
    let sent = silent.requests();
    assert!(
        sent.len() == 1 && sent[0].contains(URI_TOKEN),
        "the request reached the silent service: {sent:?}"
    );
    assert_clean(
        &[
            ("Display", &shown),
            ("Debug", &format!("{err:?}")),
            ("logs", &logs.text()),
        ],
        &[URI_TOKEN],
    );
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[tokio::test]
async fn redirecting_credentials_services_are_not_followed() {
    let (logs, _guard) = Capture::start();
    let elsewhere = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = elsewhere.local_addr().unwrap();
    let redirect = http_json("307 Temporary Redirect", "").replacen(
        "\r\n",
        &format!("\r\nlocation: http://{target}/collect?path=secret-path\r\n"),
        1,
    );
    let redirecting = Scripted::start(vec![Reply::Raw(redirect)]).await;

    let sts_err = role_provider(&redirecting.url())
        .provide_credentials()
        .await
        .unwrap_err();
    let uri_err = uri_provider(&redirecting.url())
        .provide_credentials()
        .await
        .unwrap_err();

    // Nothing reached the host the redirect named.
    let stolen = tokio::time::timeout(Duration::from_millis(300), elsewhere.accept()).await;
    assert!(stolen.is_err(), "a request followed the redirect");
    assert_eq!(redirecting.requests().len(), 2, "one request per provider");

    for err in [&sts_err, &uri_err] {
        let shown = err.to_string();
        assert!(
            shown.contains("307") && shown.contains(&target.to_string()),
            "names the status and the target host: {shown}"
        );
        assert!(!shown.contains("secret-path"), "not the full URL: {shown}");
    }
    assert_clean(
        &[
            ("STS Display", &sts_err.to_string()),
            ("STS Debug", &format!("{sts_err:?}")),
            ("URI Display", &uri_err.to_string()),
            ("URI Debug", &format!("{uri_err:?}")),
            ("logs", &logs.text()),
        ],
        &[SOURCE_SECRET, SOURCE_TOKEN, URI_TOKEN],
    );
}

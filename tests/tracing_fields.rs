//! What a call records on its span at INFO, the level applications usually log at: the
//! attempt count, HTTP status, latency and request id, on success and on failure.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use alibaba_openapi::aliyun::linkwan;
use alibaba_openapi::emulator::Fault;
use alibaba_openapi::top::ErrorCode as TopCode;
use tracing_subscriber::fmt::format::FmtSpan;

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
    /// The line that closes the span named `name`, the last one first.
    fn closed(&self, name: &str) -> String {
        let text = String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned();
        text.lines()
            .rev()
            .find(|l| l.contains(name) && l.contains("close"))
            .unwrap_or_else(|| panic!("no closed {name} span in {text}"))
            .to_owned()
    }
}

fn get_owned(id: &str) -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(id)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn the_call_span_keeps_status_latency_and_request_id_at_info() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let env = common::start().await;

    let ok = env.aliyun.send(&get_owned("123")).await.unwrap();
    let line = capture.closed("alibaba_openapi.call");
    assert!(line.contains("attempts=1"), "{line}");
    assert!(line.contains("status=200"), "{line}");
    assert!(line.contains("latency_ms="), "{line}");
    assert!(
        line.contains(&format!("request_id=\"{}\"", ok.request_id)),
        "{line}"
    );

    let err = env.aliyun.send(&get_owned("31337")).await.unwrap_err();
    assert_eq!(err.code(), Some(&linkwan::ErrorCode::NonExistent));
    let line = capture.closed("alibaba_openapi.call");
    assert!(line.contains("status=400"), "{line}");
    assert!(line.contains("latency_ms="), "{line}");
    let id = err.request_id().expect("the error has a request id");
    assert!(line.contains(&format!("request_id=\"{id}\"")), "{line}");

    let applied = env
        .top
        .send(&common::apply(
            alibaba_openapi::emulator::accounts::DATABANK_SK,
            "traced",
        ))
        .await
        .unwrap();
    let line = capture.closed("alibaba_openapi.top_call");
    assert!(line.contains("status=200"), "{line}");
    let id = applied.request_id.expect("TOP answers carry a request id");
    assert!(line.contains(&format!("request_id=\"{id}\"")), "{line}");

    env.emulator.inject(Fault::TopError {
        code: 50,
        msg: "Remote service error".into(),
        sub_code: Some("isv.invalid-parameter".into()),
        sub_msg: Some("非法参数".into()),
    });
    let err = env
        .top
        .send(&common::apply(
            alibaba_openapi::emulator::accounts::DATABANK_SK,
            "fifty",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&TopCode::RemoteServiceError50));
    assert!(!err.is_retryable(), "an isv sub code is the caller's");
    let line = capture.closed("alibaba_openapi.top_call");
    assert!(
        line.contains("status=200") && line.contains("request_id="),
        "{line}"
    );
}

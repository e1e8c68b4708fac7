//! The emulator's HTTP server against misbehaving clients, over raw TCP: malformed and
//! oversized bodies, slow headers and bodies, idle connections and connection floods.

use std::time::{Duration, Instant};

use alibaba_openapi::emulator::Emulator;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test waits for something that should happen promptly.
const PATIENCE: Duration = Duration::from_secs(10);

async fn connect(emulator: &Emulator) -> TcpStream {
    TcpStream::connect(emulator.local_addr()).await.unwrap()
}

/// Reads until the server closes the connection (or `PATIENCE` runs out): what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 8192];
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
            Err(_) => panic!(
                "the connection stayed open; received so far: {}",
                String::from_utf8_lossy(&received)
            ),
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

/// The status code of the first response in `text`.
fn status(text: &str) -> u16 {
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {text:?}"))
}

/// Sends `request`, half-closes, and returns everything answered.
async fn exchange(emulator: &Emulator, request: &[u8]) -> String {
    let mut stream = connect(emulator).await;
    stream.write_all(request).await.unwrap();
    stream.shutdown().await.unwrap();
    read_to_close(&mut stream).await
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_400_not_413() {
    let emulator = Emulator::start().await.unwrap();
    let answer = exchange(
        &emulator,
        b"POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\n\
          content-length: 100\r\n\r\nAction=GetOwnedJoinPermission",
    )
    .await;
    assert_eq!(status(&answer), 400, "{answer}");
    assert!(
        answer.contains("\"Code\":\"InvalidRequestBody\""),
        "{answer}"
    );
    let recorded = emulator.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].status, Some(400));
}

#[tokio::test]
async fn an_invalid_chunk_size_is_400_not_413() {
    let emulator = Emulator::start().await.unwrap();
    let answer = exchange(
        &emulator,
        b"POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nAction=x\r\n0\r\n\r\n",
    )
    .await;
    assert_eq!(status(&answer), 400, "{answer}");
    assert!(
        answer.contains("\"Code\":\"InvalidRequestBody\""),
        "{answer}"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_413_before_any_body_arrives() {
    let emulator = Emulator::start().await.unwrap();
    let mut stream = connect(&emulator).await;
    stream
        .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1048577\r\n\r\n")
        .await
        .unwrap();
    // No body is sent, and the write side stays open: the answer must not wait for one.
    let answer = read_to_close(&mut stream).await;
    assert_eq!(status(&answer), 413, "{answer}");
    assert!(answer.contains("RequestEntityTooLarge"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"));
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413() {
    let emulator = Emulator::start().await.unwrap();
    let mut request = b"POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..17 {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(&chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let mut stream = connect(&emulator).await;
    // The server may close before reading all of it; a failed write is fine.
    let _ = stream.write_all(&request).await;
    let answer = read_to_close(&mut stream).await;
    assert_eq!(status(&answer), 413, "{answer}");
}

/// Reads one response (head and a `content-length` body) from a kept-alive connection.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("an answer in time")
            .unwrap();
        assert!(n > 0, "closed before the answer was complete");
        received.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if received.len() >= end + 4 + length {
                return text;
            }
        }
    }
}

/// How long until the server closes `stream`, which must not send anything meanwhile.
async fn time_to_close(stream: &mut TcpStream) -> Duration {
    let started = Instant::now();
    let text = read_to_close(stream).await;
    assert_eq!(text, "", "closed without an answer");
    started.elapsed()
}

#[tokio::test]
async fn half_a_header_line_is_cut_off_after_the_header_timeout() {
    let emulator = Emulator::builder()
        .header_read_timeout(Duration::from_millis(300))
        .idle_timeout(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let mut stream = connect(&emulator).await;
    stream
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nX-Slow: aaa")
        .await
        .unwrap();
    let waited = time_to_close(&mut stream).await;
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(5),
        "closed after {waited:?}"
    );
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let emulator = Emulator::builder()
        .idle_timeout(Duration::from_millis(400))
        .header_read_timeout(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let mut stream = connect(&emulator).await;
    for _ in 0..2 {
        // Kept alive between requests that come in time.
        stream
            .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let answer = read_response(&mut stream).await;
        assert_eq!(status(&answer), 200, "{answer}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let waited = time_to_close(&mut stream).await;
    assert!(
        waited >= Duration::from_millis(200) && waited < Duration::from_secs(5),
        "closed after {waited:?}"
    );

    // A connection that never sends anything is idle too.
    let mut silent = connect(&emulator).await;
    let waited = time_to_close(&mut silent).await;
    assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
}

#[tokio::test]
async fn a_dripping_body_is_cut_off_with_408() {
    let emulator = Emulator::builder()
        .body_read_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let mut stream = connect(&emulator).await;
    stream
        .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = stream.split();
    let drip = async {
        for _ in 0..50 {
            if writer.write_all(b"a").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let read = async {
        let mut received = Vec::new();
        let _ = tokio::time::timeout(PATIENCE, reader.read_to_end(&mut received)).await;
        String::from_utf8_lossy(&received).into_owned()
    };
    let ((), answer) = tokio::join!(drip, read);
    assert_eq!(status(&answer), 408, "{answer}");
    assert!(answer.contains("RequestTimeout"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let recorded = emulator.requests();
    assert_eq!(recorded[0].code.as_deref(), Some("RequestTimeout"));
}

#[tokio::test]
async fn past_the_connection_cap_the_longest_idle_connections_make_room() {
    let emulator = Emulator::builder()
        .max_connections(8)
        .start()
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(connect(&emulator).await);
        // Accepted in order, so the oldest is the longest idle.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let reply = reqwest::Client::new()
        .get(format!("{}/_emulator/health", emulator.url()))
        .send()
        .await
        .expect("a new client is still answered");
    assert_eq!(reply.status(), 200);
    let health: serde_json::Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    assert!(health["connections"].as_u64().unwrap() <= 8, "{health}");
    // The first connections were closed to make room; the newest are still open.
    for stream in idle.iter_mut().take(12) {
        assert_eq!(read_to_close(stream).await, "");
    }
    let mut newest = idle.pop().unwrap();
    newest
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(status(&read_response(&mut newest).await), 200);
}

#[tokio::test]
async fn at_the_cap_with_every_connection_busy_a_new_one_is_closed_at_once() {
    use alibaba_openapi::emulator::{Fault, Injection};
    let emulator = Emulator::builder()
        .max_connections(2)
        .inject(
            Injection::new(Fault::Delay(Duration::from_secs(3)))
                .times(2)
                .for_action("EcsMetadata"),
        )
        .start()
        .await
        .unwrap();
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut stream = connect(&emulator).await;
        stream
            .write_all(
                b"GET /latest/meta-data/ram/security-credentials/ HTTP/1.1\r\nHost: x\r\n\r\n",
            )
            .await
            .unwrap();
        busy.push(stream);
    }
    // Time for both heads to be read, so both connections are busy (they wait on the delay).
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mut refused = connect(&emulator).await;
    let started = Instant::now();
    let _ = refused
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    assert_eq!(read_to_close(&mut refused).await, "");
    assert!(started.elapsed() < Duration::from_secs(1));
    // The busy ones are answered in full.
    for stream in &mut busy {
        let answer = read_response(stream).await;
        assert_eq!(status(&answer), 200, "{answer}");
    }
}

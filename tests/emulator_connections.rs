//! The emulator's HTTP server against misbehaving clients, over raw TCP: malformed and
//! oversized bodies.

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

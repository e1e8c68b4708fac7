//! A hand-written HTTP/1.1 server on loopback that answers whatever a test tells it to:
//! redirects, echoes of the request, HTML error pages, bodies dripped a byte at a time. It
//! records every request it read, so a test can tell what reached which host.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The request line, e.g. `POST /?Action=... HTTP/1.1`.
    pub line: String,
    /// Every header line, as sent.
    pub headers: Vec<String>,
    pub body: String,
}

impl Captured {
    /// Everything the client sent, as text.
    pub fn whole(&self) -> String {
        format!(
            "{}\n{}\n\n{}",
            self.line,
            self.headers.join("\n"),
            self.body
        )
    }

    /// The query string of the request line.
    pub fn query(&self) -> &str {
        let target = self.line.split(' ').nth(1).unwrap_or_default();
        target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// What the server sends back.
pub enum Reply {
    /// Status, extra header lines and a body, sent at once with a `Content-Length`.
    Full {
        status: u16,
        headers: Vec<String>,
        body: Vec<u8>,
    },
    /// A 200 whose `Content-Length` promises `len` bytes, sent one byte every `every`.
    Drip { len: usize, every: Duration },
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply::Full {
            status,
            headers: vec!["Content-Type: application/json;charset=utf-8".to_owned()],
            body: body.into().into_bytes(),
        }
    }
}

type Handler = dyn Fn(&Captured) -> Reply + Send + Sync;

pub struct Server {
    pub url: String,
    pub addr: std::net::SocketAddr,
    captured: Arc<Mutex<Vec<Captured>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    pub async fn start(handler: impl Fn(&Captured) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let captured = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let record = Arc::clone(&captured);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let handler = Arc::clone(&handler);
                let record = Arc::clone(&record);
                tokio::spawn(serve(stream, handler, record));
            }
        });
        Server {
            url: format!("http://{addr}"),
            addr,
            captured,
            task,
        }
    }

    /// Every request read so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.captured.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, record: Arc<Mutex<Vec<Captured>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(end) = find(&buffer, b"\r\n\r\n") else {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let line = lines.next().unwrap_or_default().to_owned();
        let headers: Vec<String> = lines.map(str::to_owned).collect();
        let length = headers
            .iter()
            .find_map(|h| {
                let (name, value) = h.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        while buffer.len() < end + 4 + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buffer[end + 4..end + 4 + length]).into_owned();
        buffer.drain(..end + 4 + length);
        let captured = Captured {
            line,
            headers,
            body,
        };
        record.lock().unwrap().push(captured.clone());
        match handler(&captured) {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let mut out = format!("HTTP/1.1 {status} Whatever\r\n");
                for header in headers {
                    out.push_str(&header);
                    out.push_str("\r\n");
                }
                out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Drip { len, every } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n"
                );
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for _ in 0..len {
                    tokio::time::sleep(every).await;
                    if stream.write_all(b" ").await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

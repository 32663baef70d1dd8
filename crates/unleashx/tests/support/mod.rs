//! A scripted HTTP/1.1 server on 127.0.0.1:0 for client tests: it answers
//! each request with the next scripted reply (the last one repeats), counts
//! requests and records what arrived. Closes each connection after replying.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted reply.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A full response.
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait this long before replying with the inner reply.
    Delay(Duration, Box<Reply>),
    /// Close the connection without answering.
    Close,
    /// Declare `declared` body bytes, send `sent`, then close (a reset mid-body).
    PartialBody {
        status: u16,
        declared: usize,
        sent: Vec<u8>,
    },
    /// Send the body one byte at a time, `every` apart.
    Trickle {
        status: u16,
        body: Vec<u8>,
        every: Duration,
    },
    /// A chunked body of `count` copies of `chunk`, streamed (no buffering here).
    Chunked {
        status: u16,
        chunk: Vec<u8>,
        count: usize,
    },
    /// Declare `len` bytes and stream zeros.
    Huge { status: u16, len: usize },
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Http {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn error(status: u16, code: &str) -> Self {
        Self::json(status, &format!(r#"{{"error":true,"message":"{code}"}}"#))
    }

    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Reply::Http {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Http {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    pub fn with_body(self, bytes: Vec<u8>) -> Self {
        match self {
            Reply::Http {
                status, headers, ..
            } => Reply::Http {
                status,
                headers,
                body: bytes,
            },
            other => other,
        }
    }

    pub fn raw(status: u16, content_type: &str, body: &str) -> Self {
        Reply::Http {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// A request as it arrived.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Scripted {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Mutex<Vec<Reply>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Scripted {
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script));
        let task = {
            let seen = Arc::clone(&seen);
            let script = Arc::clone(&script);
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let seen = Arc::clone(&seen);
                    let script = Arc::clone(&script);
                    tokio::spawn(async move { serve(stream, seen, script).await });
                }
            })
        };
        Self {
            base_url: format!("http://{addr}"),
            seen,
            script,
            task,
        }
    }

    /// Replaces the script and forgets the requests seen so far.
    pub fn set(&self, script: Vec<Reply>) {
        if let (Ok(mut s), Ok(mut seen)) = (self.script.lock(), self.seen.lock()) {
            *s = script;
            seen.clear();
        }
    }

    pub fn count(&self) -> usize {
        self.seen.lock().map(|s| s.len()).unwrap_or(0)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, seen: Arc<Mutex<Vec<Seen>>>, script: Arc<Mutex<Vec<Reply>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let Ok(mut all) = seen.lock() else { return };
        all.push(request);
        all.len() - 1
    };
    let reply = {
        let Ok(script) = script.lock() else { return };
        script.get(index).or_else(|| script.last()).cloned()
    };
    let Some(reply) = reply else { return };
    write_reply(&mut stream, reply).await;
}

async fn write_reply(stream: &mut TcpStream, mut reply: Reply) {
    loop {
        match reply {
            Reply::Delay(d, inner) => {
                tokio::time::sleep(d).await;
                reply = *inner;
            }
            Reply::Close => return,
            Reply::PartialBody {
                status,
                declared,
                sent,
            } => {
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&sent).await;
                return;
            }
            Reply::Trickle {
                status,
                body,
                every,
            } => {
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes()).await;
                for byte in body {
                    if stream.write_all(&[byte]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(every).await;
                }
                return;
            }
            Reply::Chunked {
                status,
                chunk,
                count,
            } => {
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let frame = [
                    format!("{:x}\r\n", chunk.len()).into_bytes(),
                    chunk,
                    b"\r\n".to_vec(),
                ]
                .concat();
                for _ in 0..count {
                    if stream.write_all(&frame).await.is_err() {
                        return;
                    }
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
                return;
            }
            Reply::Huge { status, len } => {
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let zeros = vec![b'0'; 64 * 1024];
                let mut left = len;
                while left > 0 {
                    let n = left.min(zeros.len());
                    if stream.write_all(&zeros[..n]).await.is_err() {
                        return;
                    }
                    left -= n;
                }
                return;
            }
            Reply::Http {
                status,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                    body.len()
                );
                for (n, v) in headers {
                    head.push_str(&format!("{n}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen {
        method,
        path,
        headers,
        body,
    })
}

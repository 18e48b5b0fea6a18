//! The real `kiln bridge` binary, spawned on a free port, with everything it prints collected,
//! and a real WebSocket client (tungstenite) that speaks the bridge's protocol to it.
#![allow(dead_code)] // each test file uses a different part
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::client::IntoClientRequest;
use tungstenite::http::HeaderValue;
use tungstenite::{Message, WebSocket};

/// The origin the bridge allows by default (scripts/serve.sh's URL).
pub const LOCAL_PAGE: &str = "http://127.0.0.1:8080";

/// A running `kiln bridge`; killed when dropped.
pub struct Bridge {
    child: Child,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    pub port: u16,
}

impl Bridge {
    /// Starts `kiln bridge --port 0 ARGS…` and waits for its first pairing code.
    pub fn start(args: &[&str]) -> Bridge {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiln"))
            .args(["bridge", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the kiln binary starts");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut bridge = Bridge {
            child,
            stdout,
            stderr,
            port: 0,
        };
        let line = bridge.wait_for_stdout(|out| {
            out.lines()
                .find(|l| l.contains("listening on ws://127.0.0.1:"))
                .map(str::to_string)
        });
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        bridge.port = port;
        bridge.code();
        bridge
    }

    /// Everything printed on standard output so far.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().unwrap()).into_owned()
    }

    /// Everything printed on standard error so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Both, as raw bytes (for "never printed" checks of binary data).
    pub fn all_bytes(&self) -> Vec<u8> {
        let mut all = self.stdout.lock().unwrap().clone();
        all.extend_from_slice(&self.stderr.lock().unwrap());
        all
    }

    /// The pairing code printed last, digits only.
    pub fn code(&self) -> String {
        self.wait_for_stdout(last_code)
    }

    /// Waits (up to 10 s) until the next code after `previous` is printed.
    pub fn next_code(&self, previous: &str) -> String {
        self.wait_for_stdout(|out| last_code(out).filter(|c| c != previous))
    }

    /// Waits (up to 10 s) until `find` finds something in standard output.
    pub fn wait_for_stdout<T>(&self, find: impl Fn(&str) -> Option<T>) -> T {
        wait_for(|| find(&self.stdout()), || self.all_output())
    }

    /// Waits (up to 10 s) until standard error contains `text`.
    pub fn wait_for_stderr(&self, text: &str) {
        wait_for(
            || self.stderr().contains(text).then_some(()),
            || format!("waiting for {text:?} on stderr\n{}", self.all_output()),
        )
    }

    pub fn all_output(&self) -> String {
        format!("stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr())
    }

    /// A WebSocket to the bridge from a page of `origin`.
    pub fn page(&self, origin: &str) -> Page {
        self.try_page(Some(origin))
            .unwrap_or_else(|e| panic!("the bridge refused {origin}: {e}\n{}", self.all_output()))
    }

    /// The handshake's outcome for a page of `origin` (`None`: no Origin header).
    pub fn try_page(&self, origin: Option<&str>) -> Result<Page, tungstenite::Error> {
        let mut request = format!("ws://127.0.0.1:{}/", self.port)
            .into_client_request()
            .unwrap();
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("Origin", HeaderValue::from_str(origin).unwrap());
        }
        let (socket, _) = tungstenite::connect(request)?;
        Ok(Page {
            socket,
            next_id: 1,
            session: None,
        })
    }

    /// A page that has paired with the current code.
    pub fn paired_page(&self) -> Page {
        let mut page = self.page(LOCAL_PAGE);
        let code = self.code();
        let reply = page.pair(&code);
        assert_eq!(reply["type"], "paired", "{reply}\n{}", self.all_output());
        self.next_code(&code);
        page
    }

    /// A raw HTTP/1.1 request: its full answer as text.
    pub fn raw_http(&self, request: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A page's WebSocket.
pub struct Page {
    pub socket: WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// The session token once paired.
    pub session: Option<String>,
}

impl Page {
    /// Sends `message` (an `id` is added) and returns the reply, checking it echoes the id.
    pub fn request(&mut self, mut message: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        message["id"] = json!(id);
        if message.get("session").is_none()
            && let Some(session) = &self.session
        {
            message["session"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .unwrap();
        let reply = self.receive().expect("the bridge answers");
        assert_eq!(reply["id"], json!(id), "{reply}");
        reply
    }

    /// The next JSON message, or `None` when the bridge closed the connection.
    pub fn receive(&mut self) -> Option<Value> {
        loop {
            match self.socket.read() {
                Ok(Message::Text(text)) => return Some(serde_json::from_str(&text).unwrap()),
                Ok(Message::Close(_)) => {}
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    /// `pair` with `code`; keeps the session when it worked.
    pub fn pair(&mut self, code: &str) -> Value {
        let reply = self.request(json!({"type": "pair", "code": code}));
        if reply["type"] == "paired" {
            self.session = reply["session"].as_str().map(str::to_string);
        }
        reply
    }

    /// `transmit` of `apdu`.
    pub fn transmit(&mut self, apdu: &[u8]) -> Value {
        self.request(json!({"type": "transmit", "apdu": hex::encode(apdu)}))
    }
}

/// The digits of the last "code" line printed (`Pairing code: 482 913`).
fn last_code(out: &str) -> Option<String> {
    out.lines()
        .filter(|l| l.contains("airing code"))
        .filter_map(|l| l.rsplit(": ").next())
        .map(|c| c.replace(' ', ""))
        .rfind(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
}

fn collect(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&buffer);
    thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buffer
}

fn wait_for<T>(mut find: impl FnMut() -> Option<T>, context: impl Fn() -> String) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(found) = find() {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out:\n{}", context());
        thread::sleep(Duration::from_millis(20));
    }
}

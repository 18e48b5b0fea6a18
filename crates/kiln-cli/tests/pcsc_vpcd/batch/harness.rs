//! The harness of the batch tests: `kiln batch --json` as a child process whose events are read
//! line by line, virtual tokens put on and taken off vpcd's reader, and independent checks
//! (Base32 written here, RFC 6238 through kiln-sim, the real `age` tool).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use kiln_sim::token::SimToken;
use kiln_sim::totp::{Hash, totp6};
use kiln_sim::vpcd::{DEFAULT_PORT, VirtualCard};
use serde_json::Value;

use crate::rig::{READER, now};

/// A miniOTP-3-i, a third model.
pub const MINI: &str = "8659601000777";

/// A running `kiln batch --json --yes --reader <vpcd>`, its events read line by line.
pub struct Batch {
    pub child: Child,
    events: Receiver<String>,
    seen: Vec<Value>,
    stderr: Option<thread::JoinHandle<String>>,
}

impl Batch {
    /// Starts the batch in `cwd` with extra `args` and environment.
    pub fn start(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> Batch {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kiln"));
        command
            .args(["--json", "batch", "--yes", "--reader", READER])
            .args(args)
            .current_dir(cwd)
            .env_remove("KILN_PASSPHRASE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the kiln binary starts");
        let stdout = child.stdout.take().unwrap();
        let (send, events) = channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let stderr = thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            text
        });
        Batch {
            child,
            events,
            seen: Vec::new(),
            stderr: Some(stderr),
        }
    }

    /// The next event (each stdout line must be one JSON object).
    pub fn next(&mut self) -> Value {
        let line = self
            .events
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no event within 60 s; events so far: {:#?}", self.seen));
        let event: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line}"));
        self.seen.push(event.clone());
        event
    }

    /// Skips events until one named in `names`.
    pub fn until(&mut self, names: &[&str]) -> Value {
        loop {
            let event = self.next();
            if names.contains(&event["event"].as_str().unwrap_or("")) {
                return event;
            }
        }
    }

    /// Waits for the process; returns its status, every event and stderr.
    pub fn finish(mut self) -> (i32, Vec<Value>, String) {
        let status = self.child.wait().unwrap().code().unwrap_or(-1);
        while let Ok(line) = self.events.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(serde_json::from_str(&line).unwrap());
        }
        let seen = std::mem::take(&mut self.seen);
        let stderr = self
            .stderr
            .take()
            .map(|t| t.join().unwrap())
            .unwrap_or_default();
        (status, seen, stderr)
    }
}

impl Drop for Batch {
    /// A failed test leaves no batch running (it would hold the reader).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blank simulated token with this serial.
pub fn token(serial: &str) -> Arc<Mutex<SimToken>> {
    Arc::new(Mutex::new(SimToken::new(serial, now())))
}

/// Puts `token` on the reader (its wall clock set to now first).
pub fn insert(token: &Arc<Mutex<SimToken>>) -> VirtualCard {
    token.lock().unwrap().set_wall_time(now());
    VirtualCard::insert(Arc::clone(token), ("127.0.0.1", DEFAULT_PORT))
        .expect("vpcd takes the card")
}

/// Feeds `sequence` to the batch: each token goes on when kiln waits for one, and off when
/// kiln says to take it off; returns once kiln writes its files.
pub fn feed(batch: &mut Batch, sequence: &[&Arc<Mutex<SimToken>>]) {
    for token in sequence {
        batch.until(&["waiting"]);
        let card = insert(token);
        let event = batch.until(&["remove", "written", "write_failed", "done"]);
        card.stop();
        if event["event"] != "remove" {
            return;
        }
    }
}

/// A fresh folder for one test's files.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiln-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 Base32 (no padding) to bytes: written here, independent of kiln-core.
pub fn base32_decode(text: &str) -> Vec<u8> {
    let (mut bits, mut value, mut out) = (0u32, 0u64, Vec::new());
    for c in text.bytes() {
        let index = ALPHABET
            .iter()
            .position(|a| *a == c)
            .expect("Base32 letter") as u64;
        value = (value << 5) | index;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
        }
    }
    out
}

/// Bytes to RFC 4648 Base32 without padding.
pub fn base32_of(bytes: &[u8]) -> String {
    let (mut bits, mut value, mut out) = (0u32, 0u64, String::new());
    for b in bytes {
        value = (value << 8) | u64::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((value >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((value << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The token holds `secret`, and its display shows RFC 6238 codes of it (SHA-1).
pub fn assert_token_holds(token: &Arc<Mutex<SimToken>>, secret: &[u8], period: u64) {
    let token = token.lock().unwrap();
    assert_eq!(token.seed(), Some(secret), "token {}", token.serial());
    let wall = token.wall_time();
    assert_eq!(
        token.displayed_code(wall).unwrap(),
        totp6(secret, Hash::Sha1, period, token.device_time_at(wall)),
        "token {} displays the seed's codes",
        token.serial()
    );
}

/// Nothing in `printed` holds one of `secrets` (Base32, or hex of the bytes).
pub fn assert_no_secret_printed(printed: &str, secrets: &[Vec<u8>]) {
    let lower = printed.to_lowercase();
    for secret in secrets {
        let base32 = base32_of(secret).to_lowercase();
        assert!(!lower.contains(&base32[..16]), "a secret was printed");
        assert!(
            !lower.contains(&hex::encode(&secret[..8])),
            "a secret was printed (hex)"
        );
    }
}

/// The events called `name`.
pub fn events_named<'a>(events: &'a [Value], name: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["event"] == name).collect()
}

/// Runs `age ARGS` on a pseudo-terminal (age reads passphrases only from a terminal), typing
/// `typed` and Enter.
pub fn age_on_a_terminal(args: &str, typed: &str) -> (i32, String) {
    let mut child = Command::new("script")
        .args(["-qec", &format!("age {args}"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) and `age` (apt-get install age) are installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{typed}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

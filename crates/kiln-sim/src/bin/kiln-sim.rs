//! `kiln-sim`: a simulated USB NFC reader (PN533 or CCID) or PN532 serial board with a simulated
//! Token2 token on it, driven over stdin/stdout, so that browser tests can put it behind a fake
//! `navigator.usb` (`tests/e2e/lib/sim-bridge.mjs` spawns it) or `navigator.serial`
//! (`"reader":"pn532"`: `out` and `in` carry the serial line's bytes).
//!
//! One JSON request per line on stdin, one JSON answer per line on stdout, in order; the
//! protocol is documented in `kiln_sim::bridge`. Example:
//!
//! ```text
//! {"op":"device","reader":"pn533","serial":"8659622000123"}
//! {"ok":true,"reader":"pn533","packet":64}
//! {"op":"out","hex":"0000ff02fed4022a00"}
//! {"ok":true,"out":"done"}
//! {"op":"in"}
//! {"ok":true,"in":"data","hex":"0000ff00ff00"}
//! ```
//!
//! Before each request the token's wall clock is set to this computer's clock, because the web
//! app under test reads the browser's `Date.now()`. Exits at the end of stdin.

use std::io::{self, BufRead, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use kiln_sim::bridge::Bridge;

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn main() {
    if std::env::args().nth(1).is_some() {
        eprintln!(
            "usage: kiln-sim  (no arguments; JSON requests on stdin, one per line, answers on \
             stdout — see the kiln_sim::bridge documentation)"
        );
        std::process::exit(2);
    }
    let mut bridge = Bridge::new();
    let mut stdout = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = bridge.handle_line(&line, now_unix());
        if writeln!(stdout, "{answer}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break; // the test harness went away
        }
    }
}

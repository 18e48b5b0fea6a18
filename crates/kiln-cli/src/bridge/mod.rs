//! `kiln bridge`: lets the web app reach PC/SC readers, which browsers keep from web pages,
//! through a WebSocket on this computer's loopback address. It is not a general smart-card
//! proxy: only allowed page origins, only after pairing with a one-time code, only contactless
//! Token2 tokens (or the Molto2) with a supported serial, and only the Token2 commands. The
//! security model is docs/bridge.md; the wire protocol is its "Protocol" section.
//!
//! * [`origin`] — the `Origin` and `Host` checks; [`handshake`] — the HTTP request, `/hello`;
//! * [`pairing`] — codes and session tokens; [`session`] — one page's conversation;
//! * [`reader`] — readers, the held card and its checks; [`messages`] — the JSON messages;
//! * [`connection`] — one connection's thread; [`log`] — what is printed.

mod connection;
mod handshake;
mod log;
mod messages;
mod origin;
mod pairing;
mod reader;
mod session;

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use clap::Args;

use crate::exit::CliError;
use crate::output::Done;
use origin::{DEFAULT_ORIGINS, Origin};
use pairing::Pairing;
use reader::Registry;
use session::Shared;

/// The port the web app tries first.
pub const DEFAULT_PORT: u16 = 47231;
/// Connections served at once; more wait in the listen queue (a local process cannot tie up
/// the bridge with endless connections).
const MAX_CONNECTIONS: usize = 16;

/// `kiln bridge` options.
#[derive(Debug, Args)]
pub struct BridgeArgs {
    /// The port to listen on, on 127.0.0.1 only (0: any free port, printed at start).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,

    /// A web page origin allowed to use the bridge, as the address bar shows it without a path
    /// (https://kiln.example.org). Repeat for several. Default: http://127.0.0.1:8080 and
    /// http://localhost:8080 (scripts/serve.sh).
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,

    /// End a page's pairing after this many seconds without a message (it must pair again
    /// with a new code).
    #[arg(long, value_name = "SECONDS", default_value_t = 600,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub session_timeout: u64,

    /// Also print every command and reply (the body of a seed or key write stays hidden).
    #[arg(long)]
    pub debug: bool,
}

/// Runs the bridge until the process is stopped (Ctrl+C).
pub fn run(args: BridgeArgs) -> Result<Done, CliError> {
    let given: Vec<&str> = if args.allow_origin.is_empty() {
        DEFAULT_ORIGINS.to_vec()
    } else {
        args.allow_origin.iter().map(String::as_str).collect()
    };
    let origins = given
        .iter()
        .map(|text| Origin::parse(text))
        .collect::<Result<Vec<Origin>, _>>()
        .map_err(|e| CliError::usage("bad_origin", e.to_string()))?;
    let listener = TcpListener::bind(("127.0.0.1", args.port)).map_err(|e| {
        CliError::device(
            "port_in_use",
            format!(
                "The bridge cannot listen on 127.0.0.1:{} ({e}). Another bridge may be running \
                 already; stop it, or pick another port with --port and type it into the page.",
                args.port
            ),
        )
    })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let pairing = Pairing::new().map_err(|_| {
        CliError::device(
            "no_randomness",
            "This computer's random number generator failed, so the bridge cannot make a safe \
             pairing code. Restart the computer and try again.",
        )
    })?;
    let first_code = pairing.code().spaced();
    let shared = Arc::new(Shared {
        port,
        origins,
        session_timeout: Duration::from_secs(args.session_timeout),
        debug: args.debug,
        pairing: Mutex::new(pairing),
        registry: Arc::new(Registry::default()),
    });
    let shown: Vec<&str> = shared.origins.iter().map(Origin::as_str).collect();
    log::event(&format!(
        "Kiln bridge listening on ws://127.0.0.1:{port}/ (this computer only)."
    ));
    log::event(&format!("Allowed pages: {}", shown.join(", ")));
    if args.debug {
        log::event("Debug: commands and replies are printed; seed and key bodies stay hidden.");
    }
    log::event(&format!("Pairing code: {first_code}"));
    log::event("Type the code into the page. Stop the bridge with Ctrl+C.");

    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        while active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            thread::sleep(Duration::from_millis(50));
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (shared, done) = (Arc::clone(&shared), Arc::clone(&active));
        let spawned = thread::Builder::new()
            .name("kiln-bridge-page".to_string())
            .spawn(move || {
                connection::serve(stream, shared);
                done.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(Done::success(serde_json::Value::Null, String::new()))
}

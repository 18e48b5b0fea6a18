//! `kiln-sim-vpcd`: the simulated Token2 token as a virtual card in vsmartcard's vpcd reader, as
//! a process of its own, so tests in another language (the browser tests of the Kiln bridge:
//! page → `kiln bridge` → pcscd → vpcd → this token) can put it on the reader, look inside it and
//! inject faults.
//!
//! ```text
//! kiln-sim-vpcd --serial 8659622000123 [--seed-hex HEX] [--clock-offset S] [--port 35963]
//! kiln-sim-vpcd --molto2 --serial 202600000001234 [--profile N:TITLE]… [--clock-offset S] --port 35968
//! ```
//!
//! `--molto2` puts a simulated Molto2v2 (factory key) there instead, for the Molto2 reader that
//! `KILN_MOLTO2_READER=1 scripts/start-pcscd.sh` adds (port 35968); `--profile 7:VPN` fills a
//! profile with a seed and that title first. Its `state` shows every profile with its seed.
//!
//! It prints `{"ok":true,"ready":true}` once pcscd has asked for the card's ATR (the card is on
//! the reader), then takes the `kiln-sim` requests that make sense for a card (one JSON object
//! per line on stdin, one answer per line on stdout; see `kiln_sim::bridge`): `state`, token
//! `fault`s, `remove_token`, `put_back_token`. The token's wall clock follows this computer's
//! clock. At the end of stdin the card leaves the reader and the process exits.

use std::io::{self, BufRead, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kiln_sim::bridge::{FaultPlan, Request};
use kiln_sim::card::{Card, CardReply};
use kiln_sim::molto2::{Profile, SimMolto2};
use kiln_sim::token::SimToken;
use kiln_sim::vpcd::{DEFAULT_PORT, VirtualCard};
use serde_json::{Value, json};

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Wraps a simulated device as the vpcd card `$live`, its clock following the host's: pcscd, not
/// the test, decides when it is used.
macro_rules! live_card {
    ($(#[$doc:meta])* $live:ident($device:ty)) => {
        $(#[$doc])*
        struct $live($device);

        impl Card for $live {
            fn present(&self) -> bool {
                self.0.present()
            }
            fn atqa(&self) -> [u8; 2] {
                self.0.atqa()
            }
            fn sak(&self) -> u8 {
                self.0.sak()
            }
            fn uid(&self) -> Vec<u8> {
                self.0.uid()
            }
            fn ats(&self) -> Vec<u8> {
                self.0.ats()
            }
            fn transmit(&mut self, apdu: &[u8]) -> CardReply {
                self.0.set_wall_time(now_unix());
                self.0.transmit(apdu)
            }
        }
    };
}

live_card!(
    /// The single-profile token.
    LiveToken(SimToken)
);
live_card!(
    /// The Molto2.
    LiveMolto2(SimMolto2)
);

/// A card this process can serve: it answers the stdin requests too.
trait Served: Card + Send + 'static {
    fn answer(&mut self, request: Request) -> Result<Value, String>;
}

impl Served for LiveMolto2 {
    fn answer(&mut self, request: Request) -> Result<Value, String> {
        let device = &mut self.0;
        device.set_wall_time(now_unix());
        match request {
            Request::State => Ok(json!({ "molto2": device.snapshot(now_unix()) })),
            Request::RemoveToken => {
                device.remove();
                Ok(json!({}))
            }
            _ => Err("kiln-sim-vpcd --molto2 takes state and remove_token".into()),
        }
    }
}

struct Options {
    serial: String,
    seed_hex: Option<String>,
    clock_offset: i64,
    port: u16,
    molto2: bool,
    profiles: Vec<(u8, String)>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        serial: "8659622000123".into(),
        seed_hex: None,
        clock_offset: 0,
        port: DEFAULT_PORT,
        molto2: false,
        profiles: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--molto2" {
            options.molto2 = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--serial" => options.serial = value,
            "--seed-hex" => options.seed_hex = Some(value),
            "--clock-offset" => {
                options.clock_offset = value.parse().map_err(|_| "--clock-offset: seconds")?;
            }
            "--port" => options.port = value.parse().map_err(|_| "--port: a TCP port")?,
            "--profile" => {
                let (number, title) = value.split_once(':').ok_or("--profile: N:TITLE")?;
                let number = number.parse().map_err(|_| "--profile: N is 0-99")?;
                options.profiles.push((number, title.to_string()));
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn token(options: &Options) -> Result<SimToken, String> {
    let mut token =
        SimToken::new(&options.serial, now_unix()).with_clock_offset(options.clock_offset);
    if let Some(seed_hex) = &options.seed_hex {
        let seed = hex::decode(seed_hex).map_err(|e| format!("--seed-hex: {e}"))?;
        token = token.with_seed(&seed, Default::default());
    }
    Ok(token)
}

fn molto2(options: &Options) -> SimMolto2 {
    let mut device =
        SimMolto2::new(&options.serial, now_unix()).with_clock_offset(options.clock_offset);
    for (number, title) in &options.profiles {
        // A fixed 20-byte seed per profile: the tests only check that it is kept or erased.
        let seed = format!("kiln-sim seed nr {number:03}");
        device = device.with_profile(
            *number,
            Profile {
                title: title.as_bytes().to_vec(),
                seed: Some(zeroize::Zeroizing::new(seed.into_bytes())),
                ..Profile::default()
            },
        );
    }
    device
}

impl Served for LiveToken {
    fn answer(&mut self, request: Request) -> Result<Value, String> {
        answer_token(self, request)
    }
}

fn handle<C: Served>(card: &Mutex<C>, line: &str) -> Result<Value, String> {
    let request: Request = serde_json::from_str(line).map_err(|e| format!("bad request: {e}"))?;
    card.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .answer(request)
}

fn answer_token(card: &mut LiveToken, request: Request) -> Result<Value, String> {
    let token = &mut card.0;
    token.set_wall_time(now_unix());
    match request {
        Request::State => {
            let mut snapshot = serde_json::to_value(token.snapshot()).map_err(|e| e.to_string())?;
            let executed: Vec<String> = token.executed().iter().map(|i| format!("{i:?}")).collect();
            if let Some(object) = snapshot.as_object_mut() {
                object.insert("executed".into(), json!(executed));
            }
            Ok(json!({ "token": snapshot }))
        }
        Request::Fault(spec) => match spec.plan()? {
            FaultPlan::Token(ins, fault) => {
                token.inject(ins, fault);
                Ok(json!({}))
            }
            _ => Err("only token faults (`ins` + `fault`) exist for a card in vpcd".into()),
        },
        Request::RemoveToken => {
            token.remove();
            Ok(json!({}))
        }
        Request::PutBackToken => {
            token.put_back();
            Ok(json!({}))
        }
        _ => Err("kiln-sim-vpcd takes state, fault, remove_token and put_back_token".into()),
    }
}

fn main() {
    let options = parse_args().unwrap_or_else(|error| {
        eprintln!("kiln-sim-vpcd: {error}");
        std::process::exit(2);
    });
    if options.molto2 {
        serve(
            Arc::new(Mutex::new(LiveMolto2(molto2(&options)))),
            options.port,
        );
        return;
    }
    match token(&options) {
        Ok(token) => serve(Arc::new(Mutex::new(LiveToken(token))), options.port),
        Err(error) => {
            eprintln!("kiln-sim-vpcd: {error}");
            std::process::exit(2);
        }
    }
}

fn serve<C: Served>(card: Arc<Mutex<C>>, port: u16) {
    let inserted = match VirtualCard::insert(Arc::clone(&card), ("127.0.0.1", port)) {
        Ok(inserted) => inserted,
        Err(error) => {
            eprintln!(
                "kiln-sim-vpcd: vpcd does not accept the card on 127.0.0.1:{port} ({error}): run \
                 scripts/start-pcscd.sh as root first"
            );
            std::process::exit(1);
        }
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while inserted.atr_requests() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stdout = io::stdout().lock();
    let ready = inserted.atr_requests() > 0;
    let hello = if ready {
        json!({ "ok": true, "ready": true })
    } else {
        json!({ "ok": false, "error": "pcscd did not ask for the card's ATR within 10 s" })
    };
    if writeln!(stdout, "{hello}")
        .and_then(|()| stdout.flush())
        .is_err()
        || !ready
    {
        std::process::exit(1);
    }
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match handle(&card, &line) {
            Ok(mut value) => {
                if let Some(object) = value.as_object_mut() {
                    object.insert("ok".into(), Value::Bool(true));
                }
                value
            }
            Err(error) => json!({ "ok": false, "error": error }),
        };
        if writeln!(stdout, "{answer}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
    inserted.stop();
}

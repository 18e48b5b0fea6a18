//! A simulated reader with a simulated token on it, driven one request at a time — the core of
//! the `kiln-sim` binary, which lets browser tests (in another process) plug the simulator in
//! behind a fake `navigator.usb`.
//!
//! # Protocol
//!
//! One JSON object per line in, exactly one JSON object per line out, in order. Every answer
//! has `"ok": true`, or `"ok": false` with an `"error"` in words (a malformed request, or no
//! device yet). Bytes are hex. Before each request the token's wall clock is set to the time
//! the caller passes (the binary passes the host's clock), so its clock and display follow the
//! browser's `Date.now()`.
//!
//! | request | answer |
//! |---|---|
//! | `{"op":"device","reader":"pn533"\|"ccid"\|"pn532","serial":"8659622000123", …}` — optional `seed_hex`, `algorithm` (`SHA1`/`SHA256`), `period` (an old seed and its settings), `clock_offset` (s), `rng_seed`, `lockout_after`, `drop_first_command` and `reply_chunk` (PN533), `time_extensions` (CCID), `max_read` and `read_seed` (PN532). Replaces any previous device. | `{"ok":true,"reader":"pn533","packet":64}`; a PN532 board: `{"ok":true,"reader":"pn532","baud":115200}` (a serial line has no packets) |
//! | `{"op":"out","hex":"0000ff…"}` — one bulk OUT write (`""` is a zero-length packet); PN532: bytes written to the serial line | `{"ok":true,"out":"done"\|"disconnected"}` |
//! | `{"op":"in"}` — one bulk IN read; PN532: the bytes that arrived, 1 to `max_read` of them | `{"ok":true,"in":"data","hex":"…"}`, `{"ok":true,"in":"nothing"}` (a real read would wait), `{"ok":true,"in":"disconnected"}` |
//! | `{"op":"state"}` | `{"ok":true,"token":{…},"reader":{…}}`: the token snapshot ([`TokenSnapshot`](crate::token::TokenSnapshot): seed, settings, clock offset, displayed code, every APDU received) plus `executed` (instruction names), and the reader's `kind`, `plugged`, `token_on_reader`, `commands` (PN533 command codes / CCID message types, hex) |
//! | `{"op":"fault","ins":"write_seed","fault":"removed_after"}` — token faults: `mute_before`, `mute_after`, `removed_before`, `removed_after`, `status` (+ `"status":"6983"`; answered without executing), `status_after` (executes, then answers that status word), `garbage_before`/`garbage_after` (+ `"hex"`), and `unplug_reader_after` (the reader is unplugged right after the token executed the command) | `{"ok":true}` |
//! | `{"op":"fault","reader":"stall_next_response"}` — reader faults: `unplug_after_next_command`, `stall_next_response`, `garble_next_response`, `corrupt_next_response` (PN533), `nack_next_command` (PN533), `delay_next_reply`, `late_next_reply` (CCID) | `{"ok":true}` |
//! | `{"op":"remove_token"}`, `{"op":"put_back_token"}`, `{"op":"unplug"}`, `{"op":"plug_in"}` | `{"ok":true}` |
//! | `{"op":"replace_token","serial":"8659600123456", …}` — another token on the same reader (optional `seed_hex`, `algorithm`, `period`, `clock_offset`); the reader stays plugged and its faults stay armed | `{"ok":true}` |

mod card;
mod request;

pub use card::BridgeCard;
pub use request::{DeviceSpec, FaultPlan, FaultSpec, ReaderKind, Request, TokenSpec, parse_ins};

use serde_json::{Value, json};

use crate::ccid::SimCcid;
use crate::pn532::{SimPn532, SimPn532Options};
use crate::pn533::{SimPn533, SimPn533Options};
use crate::serial::SimSerialDevice;
use crate::token::SimToken;
use crate::usb::{SimIn, SimUsbDevice, SimUsbError};

/// The line speed the PN532 board is simulated at (HSU default).
const PN532_BAUD: u32 = 115_200;

/// The simulated reader on the bridge.
enum Reader {
    Pn533(SimPn533<BridgeCard>),
    Ccid(SimCcid<BridgeCard>),
    Pn532(SimPn532<BridgeCard>),
}

/// Dispatches to whichever reader is on the bridge.
macro_rules! each {
    ($reader:expr, $r:ident => $body:expr) => {
        match $reader {
            Reader::Pn533($r) => $body,
            Reader::Ccid($r) => $body,
            Reader::Pn532($r) => $body,
        }
    };
}

impl Reader {
    /// The `reader` name of the protocol.
    fn kind(&self) -> &'static str {
        match self {
            Reader::Pn533(_) => "pn533",
            Reader::Ccid(_) => "ccid",
            Reader::Pn532(_) => "pn532",
        }
    }

    /// One bulk OUT write, or bytes written to the PN532's serial line.
    fn out(&mut self, data: &[u8]) -> Result<(), SimUsbError> {
        match self {
            Reader::Pn533(r) => r.bulk_out(data),
            Reader::Ccid(r) => r.bulk_out(data),
            Reader::Pn532(r) => r.write(data),
        }
    }

    /// One bulk IN read, or some of the bytes the PN532 sent.
    fn input(&mut self) -> SimIn {
        match self {
            Reader::Pn533(r) => r.bulk_in(),
            Reader::Ccid(r) => r.bulk_in(),
            Reader::Pn532(r) => r.read(),
        }
    }

    /// What the `device` answer says about the transport.
    fn transport(&self) -> Value {
        match self {
            Reader::Pn533(r) => json!({ "packet": r.bulk_packet() }),
            Reader::Ccid(r) => json!({ "packet": r.bulk_packet() }),
            Reader::Pn532(_) => json!({ "baud": PN532_BAUD }),
        }
    }

    fn card(&self) -> &BridgeCard {
        each!(self, r => r.card())
    }

    fn card_mut(&mut self) -> &mut BridgeCard {
        each!(self, r => r.card_mut())
    }

    fn unplug(&mut self) {
        each!(self, r => r.unplug())
    }

    fn plug_in(&mut self) {
        each!(self, r => r.plug_in())
    }

    fn token_on_reader(&self) -> bool {
        each!(self, r => r.card_present())
    }

    fn remove_token(&mut self) {
        each!(self, r => r.remove_card());
        self.card_mut().token.remove();
    }

    fn put_back_token(&mut self) {
        self.card_mut().token.put_back();
        each!(self, r => r.insert_card())
    }

    fn reader_fault(&mut self, name: &str) -> Result<(), String> {
        match (self, name) {
            (Reader::Pn533(r), "unplug_after_next_command") => r.unplug_after_next_command(),
            (Reader::Pn533(r), "stall_next_response") => r.stall_next_response(),
            (Reader::Pn533(r), "garble_next_response") => r.garble_next_response(),
            (Reader::Pn533(r), "corrupt_next_response") => r.corrupt_next_response(),
            (Reader::Pn533(r), "nack_next_command") => r.nack_next_command(),
            (Reader::Ccid(r), "unplug_after_next_command") => r.unplug_after_next_command(),
            (Reader::Ccid(r), "stall_next_response" | "stall_next_reply") => r.stall_next_reply(),
            (Reader::Ccid(r), "garble_next_response" | "garble_next_reply") => {
                r.garble_next_reply()
            }
            (Reader::Ccid(r), "delay_next_reply") => r.delay_next_reply(),
            (Reader::Ccid(r), "late_next_reply") => r.late_next_reply(),
            (Reader::Pn532(r), "unplug_after_next_command") => r.unplug_after_next_command(),
            (Reader::Pn532(r), "stall_next_response") => r.stall_next_response(),
            (Reader::Pn532(r), "corrupt_next_response") => r.corrupt_next_response(),
            (Reader::Pn532(r), "nack_next_command") => r.nack_next_command(),
            (Reader::Pn532(r), "noise_before_next_answer") => r.noise_before_next_answer(),
            (reader, other) => {
                return Err(format!(
                    "the {} reader has no fault `{other}`",
                    reader.kind()
                ));
            }
        }
        Ok(())
    }

    fn state(&self, plugged: bool) -> Value {
        let commands: Vec<String> = match self {
            Reader::Pn533(r) => r
                .command_codes()
                .iter()
                .map(|c| format!("{c:02X}"))
                .collect(),
            Reader::Pn532(r) => r
                .command_codes()
                .iter()
                .map(|c| format!("{c:02X}"))
                .collect(),
            Reader::Ccid(r) => r
                .log()
                .iter()
                .map(|c| format!("{:02X}", c.message_type))
                .collect(),
        };
        let mut state = json!({
            "kind": self.kind(),
            "plugged": plugged,
            "token_on_reader": self.token_on_reader(),
            "commands": commands,
        });
        if let (Reader::Pn532(r), Some(object)) = (self, state.as_object_mut()) {
            let (to_board, from_board) = r.bytes_on_the_line();
            object.insert("awake".into(), json!(r.awake()));
            object.insert("normal_mode".into(), json!(r.normal_mode()));
            object.insert("bytes_to_board".into(), json!(to_board));
            object.insert("bytes_from_board".into(), json!(from_board));
        }
        state
    }
}

/// One simulated reader and token, driven by request lines.
#[derive(Default)]
pub struct Bridge {
    reader: Option<Reader>,
    /// As far as the bridge saw: cleared by `unplug` and by any transfer that found the reader
    /// unplugged (a reader fault unplugs it on its own).
    plugged: bool,
}

impl Bridge {
    /// A bridge with no device yet.
    pub fn new() -> Bridge {
        Bridge::default()
    }

    /// Handles one request line at wall-clock time `wall_now` (Unix seconds); returns the
    /// answer line (without newline).
    pub fn handle_line(&mut self, line: &str, wall_now: u64) -> String {
        let answer = match serde_json::from_str::<Request>(line) {
            Ok(request) => self.handle(request, wall_now),
            Err(error) => Err(format!("bad request: {error}")),
        };
        match answer {
            Ok(mut value) => {
                if let Some(object) = value.as_object_mut() {
                    object.insert("ok".into(), Value::Bool(true));
                }
                value.to_string()
            }
            Err(error) => json!({ "ok": false, "error": error }).to_string(),
        }
    }

    /// Handles one request.
    pub fn handle(&mut self, request: Request, wall_now: u64) -> Result<Value, String> {
        if let Request::Device(spec) = request {
            return self.new_device(&spec, wall_now);
        }
        let plugged = &mut self.plugged;
        let reader = self
            .reader
            .as_mut()
            .ok_or("no device yet: send {\"op\":\"device\", …} first")?;
        reader.card_mut().token.set_wall_time(wall_now);
        match request {
            Request::Device(_) => Err("unreachable".into()),
            Request::Out { hex } => {
                let data = hex::decode(&hex).map_err(|e| format!("out: bad hex: {e}"))?;
                let result = reader.out(&data);
                if reader.card_mut().take_unplug_request() {
                    reader.unplug();
                }
                Ok(match result {
                    Ok(()) => json!({ "out": "done" }),
                    Err(_) => {
                        *plugged = false;
                        json!({ "out": "disconnected" })
                    }
                })
            }
            Request::In => Ok(match reader.input() {
                SimIn::Data(data) => json!({ "in": "data", "hex": hex::encode(data) }),
                SimIn::Nothing => json!({ "in": "nothing" }),
                SimIn::Disconnected => {
                    *plugged = false;
                    json!({ "in": "disconnected" })
                }
            }),
            Request::State => {
                let token = reader.card().token.snapshot();
                let mut token = serde_json::to_value(&token).map_err(|e| e.to_string())?;
                let executed: Vec<String> = reader
                    .card()
                    .token
                    .executed()
                    .iter()
                    .map(|ins| format!("{ins:?}"))
                    .collect();
                if let Some(object) = token.as_object_mut() {
                    object.insert("executed".into(), json!(executed));
                }
                Ok(json!({ "token": token, "reader": reader.state(*plugged) }))
            }
            Request::Fault(spec) => {
                match spec.plan()? {
                    FaultPlan::Token(ins, fault) => reader.card_mut().token.inject(ins, fault),
                    FaultPlan::UnplugReaderAfter(ins) => reader.card_mut().unplug_reader_after(ins),
                    FaultPlan::Reader(name) => reader.reader_fault(&name)?,
                }
                Ok(json!({}))
            }
            Request::RemoveToken => {
                reader.remove_token();
                Ok(json!({}))
            }
            Request::PutBackToken => {
                reader.put_back_token();
                Ok(json!({}))
            }
            Request::Unplug => {
                reader.unplug();
                *plugged = false;
                Ok(json!({}))
            }
            Request::PlugIn => {
                reader.plug_in();
                *plugged = true;
                Ok(json!({}))
            }
            Request::ReplaceToken(spec) => {
                reader.card_mut().token = spec.token(wall_now)?;
                Ok(json!({}))
            }
        }
    }

    fn new_device(&mut self, spec: &DeviceSpec, wall_now: u64) -> Result<Value, String> {
        if spec.serial.is_empty() || spec.serial.len() > 32 {
            return Err("device: `serial` must be 1 to 32 characters".into());
        }
        let mut token = SimToken::new(&spec.serial, wall_now).with_clock_offset(spec.clock_offset);
        if let Some(seed) = spec.rng_seed {
            token = token.with_rng_seed(seed);
        }
        if let Some(failures) = spec.lockout_after {
            token = token.with_lockout_after(failures);
        }
        if let Some((seed, settings)) = spec.old_seed()? {
            token = token.with_seed(&seed, settings);
        }
        let card = BridgeCard::new(token);
        let reader = match spec.reader {
            ReaderKind::Pn533 => {
                let defaults = SimPn533Options::default();
                Reader::Pn533(SimPn533::with_options(
                    card,
                    SimPn533Options {
                        drop_first_command: spec.drop_first_command,
                        reply_chunk: spec.reply_chunk.unwrap_or(defaults.reply_chunk),
                    },
                ))
            }
            ReaderKind::Ccid => {
                let mut reader = SimCcid::new(card);
                reader.set_time_extensions(spec.time_extensions);
                Reader::Ccid(reader)
            }
            ReaderKind::Pn532 => {
                let defaults = SimPn532Options::default();
                Reader::Pn532(SimPn532::with_options(
                    card,
                    SimPn532Options {
                        max_read: spec.max_read.unwrap_or(defaults.max_read),
                        seed: spec.read_seed.unwrap_or(defaults.seed),
                        ..defaults
                    },
                ))
            }
        };
        let reader = self.reader.insert(reader);
        let mut answer = reader.transport();
        if let Some(object) = answer.as_object_mut() {
            object.insert("reader".into(), json!(reader.kind()));
        }
        self.plugged = true;
        Ok(answer)
    }
}

#[cfg(test)]
mod tests;

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
//! | `{"op":"device","reader":"pn533"\|"ccid","serial":"8659622000123", …}` — optional `seed_hex`, `algorithm` (`SHA1`/`SHA256`), `period` (an old seed and its settings), `clock_offset` (s), `rng_seed`, `lockout_after`, `drop_first_command` and `reply_chunk` (PN533), `time_extensions` (CCID). Replaces any previous device. | `{"ok":true,"reader":"pn533","packet":64}` |
//! | `{"op":"out","hex":"0000ff…"}` — one bulk OUT write (`""` is a zero-length packet) | `{"ok":true,"out":"done"\|"disconnected"}` |
//! | `{"op":"in"}` — one bulk IN read | `{"ok":true,"in":"data","hex":"…"}`, `{"ok":true,"in":"nothing"}` (a real read would wait), `{"ok":true,"in":"disconnected"}` |
//! | `{"op":"state"}` | `{"ok":true,"token":{…},"reader":{…}}`: the token snapshot ([`TokenSnapshot`](crate::token::TokenSnapshot): seed, settings, clock offset, displayed code, every APDU received) plus `executed` (instruction names), and the reader's `kind`, `plugged`, `token_on_reader`, `commands` (PN533 command codes / CCID message types, hex) |
//! | `{"op":"fault","ins":"write_seed","fault":"removed_after"}` — token faults: `mute_before`, `mute_after`, `removed_before`, `removed_after`, `status` (+ `"status":"6983"`; answered without executing), `status_after` (executes, then answers that status word), `garbage_before`/`garbage_after` (+ `"hex"`), and `unplug_reader_after` (the reader is unplugged right after the token executed the command) | `{"ok":true}` |
//! | `{"op":"fault","reader":"stall_next_response"}` — reader faults: `unplug_after_next_command`, `stall_next_response`, `garble_next_response`, `corrupt_next_response` (PN533), `nack_next_command` (PN533), `delay_next_reply`, `late_next_reply` (CCID) | `{"ok":true}` |
//! | `{"op":"remove_token"}`, `{"op":"put_back_token"}`, `{"op":"unplug"}`, `{"op":"plug_in"}` | `{"ok":true}` |

mod card;
mod request;

pub use card::BridgeCard;
pub use request::{DeviceSpec, FaultPlan, FaultSpec, ReaderKind, Request, parse_ins};

use serde_json::{Value, json};

use crate::ccid::SimCcid;
use crate::pn533::{SimPn533, SimPn533Options};
use crate::token::SimToken;
use crate::usb::{SimIn, SimUsbDevice};

/// The simulated reader on the bridge.
enum Reader {
    Pn533(SimPn533<BridgeCard>),
    Ccid(SimCcid<BridgeCard>),
}

impl Reader {
    /// The `reader` name of the protocol.
    fn kind(&self) -> &'static str {
        match self {
            Reader::Pn533(_) => "pn533",
            Reader::Ccid(_) => "ccid",
        }
    }

    fn usb(&mut self) -> &mut dyn SimUsbDevice {
        match self {
            Reader::Pn533(r) => r,
            Reader::Ccid(r) => r,
        }
    }

    fn card(&self) -> &BridgeCard {
        match self {
            Reader::Pn533(r) => r.card(),
            Reader::Ccid(r) => r.card(),
        }
    }

    fn card_mut(&mut self) -> &mut BridgeCard {
        match self {
            Reader::Pn533(r) => r.card_mut(),
            Reader::Ccid(r) => r.card_mut(),
        }
    }

    fn unplug(&mut self) {
        match self {
            Reader::Pn533(r) => r.unplug(),
            Reader::Ccid(r) => r.unplug(),
        }
    }

    fn plug_in(&mut self) {
        match self {
            Reader::Pn533(r) => r.plug_in(),
            Reader::Ccid(r) => r.plug_in(),
        }
    }

    fn token_on_reader(&self) -> bool {
        match self {
            Reader::Pn533(r) => r.card_present(),
            Reader::Ccid(r) => r.card_present(),
        }
    }

    fn remove_token(&mut self) {
        match self {
            Reader::Pn533(r) => r.remove_card(),
            Reader::Ccid(r) => r.remove_card(),
        }
        self.card_mut().token.remove();
    }

    fn put_back_token(&mut self) {
        self.card_mut().token.put_back();
        match self {
            Reader::Pn533(r) => r.insert_card(),
            Reader::Ccid(r) => r.insert_card(),
        }
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
            Reader::Ccid(r) => r
                .log()
                .iter()
                .map(|c| format!("{:02X}", c.message_type))
                .collect(),
        };
        json!({
            "kind": self.kind(),
            "plugged": plugged,
            "token_on_reader": self.token_on_reader(),
            "commands": commands,
        })
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
                let result = reader.usb().bulk_out(&data);
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
            Request::In => Ok(match reader.usb().bulk_in() {
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
        };
        let reader = self.reader.insert(reader);
        let answer = json!({ "reader": reader.kind(), "packet": reader.usb().bulk_packet() });
        self.plugged = true;
        Ok(answer)
    }
}

#[cfg(test)]
mod tests;

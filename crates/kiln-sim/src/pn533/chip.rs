//! The PN533's command set as far as a token burn needs it (PN533 user manual;
//! docs/readers.md §3.4–3.6), acting on the card in the field.
//!
//! Status codes the simulated chip reports for `InDataExchange`:
//! * `0x01` timeout — the card stayed silent ([`CardReply::Mute`]); the target stays selected;
//! * `0x2B` card disappeared — the card left the field before or during the exchange
//!   ([`CardReply::Removed`], or it is no longer present); the target is dropped;
//! * `0x27` not acceptable in this context — no target is selected (never listed, released,
//!   RF off, or dropped after `0x2B`), or the `Tg` byte names another target;
//! * `0x10` invalid parameter — an empty exchange with nothing left to fetch.

use super::SimPn533Options;
use super::frame;
use crate::card::{Card, CardReply};

/// Status byte bit: more data follows (MI).
const MI: u8 = 0x40;
const STATUS_TIMEOUT: u8 = 0x01;
const STATUS_INVALID_PARAMETER: u8 = 0x10;
const STATUS_NOT_ACCEPTABLE: u8 = 0x27;
const STATUS_CARD_DISAPPEARED: u8 = 0x2B;
/// SetParameters flag: send RATS automatically.
const AUTO_RATS: u8 = 0x10;
/// The target number the chip gives the one card it lists.
const TG: u8 = 1;

/// The chip's answer to one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response frame with these PD bytes (code + 1 first).
    Respond(Vec<u8>),
    /// The application-level error frame: unknown command or malformed parameters.
    SyntaxError,
    /// `InListPassiveTarget` with infinite retries and no card: the chip keeps polling and
    /// answers only when a card arrives (or the host aborts).
    Polling,
}

impl Outcome {
    /// The frame that carries this outcome; `None` while the chip polls (nothing is sent yet).
    pub(crate) fn frame(self) -> Option<Vec<u8>> {
        match self {
            Outcome::Respond(data) => Some(frame::response(&data)),
            Outcome::SyntaxError => Some(frame::ERROR.to_vec()),
            Outcome::Polling => None,
        }
    }
}

/// The card slot of a contactless reader: a card that may be in or out of the field.
pub(crate) struct Field<C> {
    pub(crate) card: C,
    pub(crate) in_field: bool,
}

impl<C: Card> Field<C> {
    pub(crate) fn present(&self) -> bool {
        self.in_field && self.card.present()
    }
}

/// The card-slot methods of a reader built on [`Field`] (the PN533 reader and the PN532 board):
/// expands, inside `impl<C: Card>`, to `card`, `card_mut`, `replace_card`, `remove_card`,
/// `insert_card` and `card_present` over the reader's `field`.
macro_rules! card_slot_methods {
    () => {
        /// The card (whether or not it is in the field).
        pub fn card(&self) -> &C {
            &self.field.card
        }

        /// The card, mutably (to schedule card faults, read what it holds, advance its clock).
        pub fn card_mut(&mut self) -> &mut C {
            &mut self.field.card
        }

        /// Replaces the card (the new one is in the field) and returns the old one.
        pub fn replace_card(&mut self, card: C) -> C {
            self.field.in_field = true;
            core::mem::replace(&mut self.field.card, card)
        }

        /// The card leaves the field.
        pub fn remove_card(&mut self) {
            self.field.in_field = false;
        }

        /// The card comes back into the field (it must be listed again).
        pub fn insert_card(&mut self) {
            self.field.in_field = true;
        }

        /// True while the card is in the field and powered.
        pub fn card_present(&self) -> bool {
            self.field.present()
        }
    };
}
pub(crate) use card_slot_methods;

/// The chip's state.
#[derive(Debug, Clone)]
pub(crate) struct Chip {
    pub(crate) rf_on: bool,
    auto_rats: bool,
    passive_retries: u8,
    /// The listed target: `Some(true)` when ISO-DEP was activated (RATS answered).
    pub(crate) target: Option<bool>,
    /// Fragments of a chained command (host sent MI).
    incoming: Vec<u8>,
    /// The part of a reply not yet fetched.
    outgoing: Vec<u8>,
    reply_chunk: usize,
}

impl Chip {
    /// A chip just after power-up: RF off, infinite passive retries, no auto-RATS.
    pub(crate) fn new(options: &SimPn533Options) -> Chip {
        Chip {
            rf_on: false,
            auto_rats: false,
            passive_retries: 0xFF,
            target: None,
            incoming: Vec::new(),
            outgoing: Vec::new(),
            reply_chunk: options.reply_chunk.clamp(1, 262),
        }
    }

    /// Runs one command (PD bytes, code first).
    pub(crate) fn execute<C: Card>(&mut self, field: &mut Field<C>, pd: &[u8]) -> Outcome {
        let Some((&code, params)) = pd.split_first() else {
            return Outcome::SyntaxError;
        };
        let reply = |data: &[u8]| {
            let mut out = vec![code.wrapping_add(1)];
            out.extend_from_slice(data);
            Outcome::Respond(out)
        };
        match (code, params) {
            // GetFirmwareVersion: PN533 (IC 0x33), firmware 2.7, supports ISO 14443 A/B + 18092.
            (0x02, []) => reply(&[0x33, 0x02, 0x07, 0x07]),
            (0x12, [flags]) => {
                self.auto_rats = flags & AUTO_RATS != 0;
                reply(&[])
            }
            (0x32, [item, values @ ..]) => self.rf_configuration(*item, values, code),
            (0x4A, [max_targets, modulation, ..]) => {
                if !(1..=2).contains(max_targets) {
                    return Outcome::SyntaxError;
                }
                self.list(field, *modulation)
            }
            (0x40, [tg, data @ ..]) => {
                let status_and_data = self.data_exchange(field, *tg, data);
                reply(&status_and_data)
            }
            // InRelease / InDeselect: any target number; 0 means all.
            (0x52 | 0x44, [_tg]) => {
                self.target = None;
                self.outgoing.clear();
                reply(&[0x00])
            }
            _ => Outcome::SyntaxError,
        }
    }

    fn rf_configuration(&mut self, item: u8, values: &[u8], code: u8) -> Outcome {
        match (item, values) {
            (0x01, [field]) => {
                self.rf_on = field & 0x01 != 0;
                if !self.rf_on {
                    self.target = None;
                }
            }
            (0x05, [_atr, _psl, passive]) => self.passive_retries = *passive,
            (0x02, [_, _, _]) | (0x04, [_]) => {}
            // Analog settings: accepted, not modelled.
            (0x0A..=0x0D, [_, ..]) => {}
            _ => return Outcome::SyntaxError,
        }
        Outcome::Respond(vec![code.wrapping_add(1)])
    }

    /// `InListPassiveTarget`. The simulated chip only polls with the field on, only knows
    /// 106 kbps type A, and lists at most the one card in its field.
    pub(crate) fn list<C: Card>(&mut self, field: &mut Field<C>, modulation: u8) -> Outcome {
        self.target = None;
        self.outgoing.clear();
        let none = Outcome::Respond(vec![0x4B, 0x00]);
        if !self.rf_on || modulation != 0x00 {
            return none;
        }
        if !field.present() {
            return if self.passive_retries == 0xFF {
                Outcome::Polling
            } else {
                none
            };
        }
        let card = &field.card;
        let uid = card.uid();
        let sak = card.sak();
        let [atqa0, atqa1] = card.atqa();
        let mut out = vec![0x4B, 0x01, TG, atqa0, atqa1, sak, uid.len() as u8];
        out.extend_from_slice(&uid);
        let iso_dep = sak & 0x20 != 0 && self.auto_rats;
        if iso_dep {
            out.extend_from_slice(&card.ats());
        }
        self.target = Some(iso_dep);
        Outcome::Respond(out)
    }

    /// `InDataExchange`: the status byte and data of the answer.
    fn data_exchange<C: Card>(&mut self, field: &mut Field<C>, tg: u8, data: &[u8]) -> Vec<u8> {
        let Some(iso_dep) = self.target else {
            return vec![STATUS_NOT_ACCEPTABLE];
        };
        if tg & 0x3F != TG {
            return vec![STATUS_NOT_ACCEPTABLE];
        }
        if tg & MI != 0 {
            // One fragment of a chained command: the chip passes it on and asks for the next.
            self.incoming.extend_from_slice(data);
            return vec![0x00];
        }
        let mut apdu = core::mem::take(&mut self.incoming);
        apdu.extend_from_slice(data);
        if apdu.is_empty() {
            if self.outgoing.is_empty() {
                return vec![STATUS_INVALID_PARAMETER];
            }
            return self.next_chunk();
        }
        self.outgoing.clear();
        if !field.present() {
            self.target = None;
            return vec![STATUS_CARD_DISAPPEARED];
        }
        if !iso_dep {
            // A card without ISO-DEP does not understand I-blocks: it stays silent.
            return vec![STATUS_TIMEOUT];
        }
        match field.card.transmit(&apdu) {
            CardReply::Reply(reply) => {
                self.outgoing = reply;
                self.next_chunk()
            }
            CardReply::Mute => vec![STATUS_TIMEOUT],
            CardReply::Removed => {
                field.in_field = false;
                self.target = None;
                vec![STATUS_CARD_DISAPPEARED]
            }
        }
    }

    /// The next part of a reply, with MI when more remains.
    fn next_chunk(&mut self) -> Vec<u8> {
        let take = self.reply_chunk.min(self.outgoing.len());
        let rest = self.outgoing.split_off(take);
        let chunk = core::mem::replace(&mut self.outgoing, rest);
        let status = if self.outgoing.is_empty() { 0x00 } else { MI };
        let mut out = vec![status];
        out.extend_from_slice(&chunk);
        out
    }
}

//! Readers and the card a page holds: which readers exist, which are in use, and connecting to
//! a card only when it is a contactless ISO 14443-4 card (or the Molto2, by its reader name)
//! whose GET INFO gives a serial Kiln supports. Only then does the page get to transmit.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use kiln_core::command_filter::Protocol;
use kiln_core::link::{LinkError, LinkFault};
use kiln_core::molto2::is_molto2_reader;
use kiln_core::token::{Model, parse_info};
use kiln_pcsc::{CardKind, Connection, Pcsc, PcscError, ReaderStatus};
use serde_json::{Value, json};

use super::messages::BridgeError;

/// The readers some connection holds: one page at a time per reader.
#[derive(Default)]
pub struct Registry(Mutex<HashSet<String>>);

impl Registry {
    fn names(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes `reader` for one connection; `None` when another holds it.
    fn claim(self: &Arc<Registry>, reader: &str) -> Option<Claim> {
        self.names().insert(reader.to_string()).then(|| Claim {
            reader: reader.to_string(),
            registry: Arc::clone(self),
        })
    }
}

/// A reader taken by one connection; dropping it frees the reader.
pub struct Claim {
    reader: String,
    registry: Arc<Registry>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.registry.names().remove(&self.reader);
    }
}

/// A card held exclusively by one page, after the checks.
pub struct HeldCard {
    // Field order: the card is released before the reader is offered to another page.
    connection: Connection,
    claim: Claim,
    /// Which command set the card gets.
    pub protocol: Protocol,
    /// The serial number GET INFO gave.
    pub serial: String,
    /// The card's ATR.
    pub atr: Vec<u8>,
}

impl HeldCard {
    /// The reader's name.
    pub fn reader(&self) -> &str {
        &self.claim.reader
    }

    /// `"token"` or `"molto2"`, as the protocol's `connected` reply says.
    pub fn kind(&self) -> &'static str {
        match self.protocol {
            Protocol::Token => "token",
            Protocol::Molto2 => "molto2",
        }
    }

    /// One exchange with the card (the caller has checked the command).
    pub fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        self.connection.transmit(apdu)
    }
}

/// The `readers` list; `own` is the reader this connection holds (not "in use" for it).
pub fn list(pcsc: &Pcsc, registry: &Registry, own: Option<&str>) -> Result<Value, BridgeError> {
    let readers = pcsc.readers().map_err(of_pcsc)?;
    let taken = registry.names();
    let entries: Vec<Value> = readers
        .iter()
        .map(|r| {
            let by_other_page = taken.contains(&r.name) && own != Some(r.name.as_str());
            let by_this_page = own == Some(r.name.as_str());
            json!({
                "name": r.name,
                "card_present": r.card_present,
                "in_use": by_other_page || (r.exclusive && !by_this_page),
            })
        })
        .collect();
    Ok(Value::Array(entries))
}

/// Connects to the card on `name` after the checks, and sends it GET INFO.
pub fn connect(pcsc: &Pcsc, registry: &Arc<Registry>, name: &str) -> Result<HeldCard, BridgeError> {
    let readers = pcsc.readers().map_err(of_pcsc)?;
    let reader = readers
        .into_iter()
        .find(|r| r.name == name)
        .ok_or(BridgeError::NoReader)?;
    let claim = registry.claim(name).ok_or(BridgeError::ReaderBusy)?;
    let protocol = protocol_for(&reader)?;
    let mut connection = pcsc.connect_exclusive(&reader).map_err(of_pcsc)?;
    let get_info = match protocol {
        Protocol::Token => kiln_core::token::apdu::get_info().bytes().to_vec(),
        Protocol::Molto2 => kiln_core::molto2::apdu::get_info().bytes().to_vec(),
    };
    let reply = connection.transmit(&get_info).map_err(|e| of_link(&e))?;
    let serial = supported_serial(protocol, &reply)?;
    Ok(HeldCard {
        connection,
        claim,
        protocol,
        serial,
        atr: reader.atr,
    })
}

/// The command set for what is on `reader`: a Molto2 by its reader name, otherwise the ATR
/// must be an ISO 14443-4 contactless card's.
fn protocol_for(reader: &ReaderStatus) -> Result<Protocol, BridgeError> {
    match reader.card() {
        None => Err(BridgeError::NoCard),
        Some(_) if is_molto2_reader(&reader.name) => Ok(Protocol::Molto2),
        Some(CardKind::Contactless) => Ok(Protocol::Token),
        Some(CardKind::ContactlessMemory | CardKind::Other) => Err(BridgeError::NotContactless),
    }
}

/// The serial in a GET INFO reply, when it is `90 00`, readable, and a serial Kiln supports
/// for this protocol (a single-profile prefix for a token; anything but one for a Molto2,
/// which kiln-core's Molto2 sessions also refuse).
fn supported_serial(protocol: Protocol, reply: &[u8]) -> Result<String, BridgeError> {
    let Some((data, &[0x90, 0x00])) = reply.split_last_chunk::<2>() else {
        return Err(BridgeError::UnsupportedToken(None));
    };
    let info = parse_info(data).map_err(|_| BridgeError::UnsupportedToken(None))?;
    let single_profile = Model::from_serial(&info.serial).is_some();
    let supported = match protocol {
        Protocol::Token => single_profile,
        Protocol::Molto2 => !single_profile,
    };
    if supported {
        Ok(info.serial)
    } else {
        Err(BridgeError::UnsupportedToken(Some(info.serial)))
    }
}

/// The protocol's error for a PC/SC failure outside an exchange.
pub fn of_pcsc(error: PcscError) -> BridgeError {
    match error {
        PcscError::ServiceNotRunning => BridgeError::NoPcsc,
        PcscError::NoReader | PcscError::ReaderGone => BridgeError::NoReader,
        PcscError::NoCard => BridgeError::NoCard,
        PcscError::CardUnresponsive => BridgeError::UnsupportedToken(None),
        PcscError::ReaderBusy => BridgeError::ReaderBusy,
        PcscError::Other(detail) => BridgeError::TransmitFailed(format!(
            "The smart-card service reported an error ({detail}). Unplug the reader, plug it \
             back in and try again."
        )),
    }
}

/// The protocol's error for a failed exchange: the card left, or something else failed.
pub fn of_link(error: &LinkError) -> BridgeError {
    match error.fault() {
        LinkFault::TokenRemoved | LinkFault::NoToken => BridgeError::CardRemoved,
        other => BridgeError::TransmitFailed(other.to_string()),
    }
}

//! The [`Link`] over one PC/SC card connection.
//!
//! The link must say truthfully whether a failed command may have reached the token. Before each
//! command it asks PC/SC whether the card is still there (if not, the command is certainly
//! [`LinkError::NotSent`]); once `SCardTransmit` has been called, any failure is
//! [`LinkError::NoReply`], except the few errors that stop PC/SC before it talks to the reader.

use std::time::Duration;

use kiln_core::link::{Link, LinkError, LinkFault};
use pcsc::{Card, Error};

/// APDUs to and from the card of one connection.
pub struct PcscLink<'a> {
    card: &'a Card,
}

impl<'a> PcscLink<'a> {
    /// The link over `card` (usually inside a transaction).
    pub fn new(card: &'a Card) -> PcscLink<'a> {
        PcscLink { card }
    }
}

impl Link for PcscLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        if let Some(fault) = card_gone(self.card) {
            return Err(LinkError::NotSent(fault));
        }
        let mut buffer = [0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        let outcome = match self.card.transmit(apdu, &mut buffer) {
            // Every answer ends with a status word. Some drivers (vsmartcard's vpcd) report
            // a card that left mid-exchange as success with an empty answer.
            Ok(reply) if reply.len() >= 2 => Ok(reply.to_vec()),
            Ok(_) => Err(LinkError::NoReply(diagnose(
                self.card,
                LinkFault::ReaderProtocol("the reader returned an empty answer".to_string()),
            ))),
            Err(error) if certainly_not_sent(error) => Err(LinkError::NotSent(fault_of(error))),
            Err(error) => Err(LinkError::NoReply(diagnose(self.card, fault_of(error)))),
        };
        // The reply buffer may hold a challenge; wipe it.
        zeroize::Zeroize::zeroize(&mut buffer);
        outcome
    }
}

/// Why an exchange failed: a card that left the reader is the likeliest cause, but PC/SC may
/// notice the removal a little later (pcscd polls readers a few times a second), so look for
/// up to a second before settling for `otherwise`.
fn diagnose(card: &Card, otherwise: LinkFault) -> LinkFault {
    for _ in 0..5 {
        if let Some(fault) = card_gone(card) {
            return fault;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    otherwise
}

/// `Some` when PC/SC says the card is no longer there.
fn card_gone(card: &Card) -> Option<LinkFault> {
    match card.status2_owned() {
        Ok(status) if status.status().contains(pcsc::Status::PRESENT) => None,
        Ok(_) => Some(LinkFault::TokenRemoved),
        Err(Error::RemovedCard | Error::NoSmartcard) => Some(LinkFault::TokenRemoved),
        Err(Error::ResetCard) => Some(LinkFault::Reader(
            "another program reset the connection to the token".to_string(),
        )),
        Err(Error::ReaderUnavailable | Error::UnknownReader) => Some(LinkFault::ReaderGone),
        Err(Error::NoService | Error::ServiceStopped | Error::InvalidHandle) => {
            Some(LinkFault::ReaderGone)
        }
        Err(_) => None,
    }
}

/// Errors PC/SC reports before it passes the command to the reader.
fn certainly_not_sent(error: Error) -> bool {
    matches!(
        error,
        Error::InvalidHandle
            | Error::InvalidParameter
            | Error::InvalidValue
            | Error::NoService
            | Error::ProtoMismatch
    )
}

fn fault_of(error: Error) -> LinkFault {
    match error {
        Error::RemovedCard | Error::NoSmartcard | Error::ResetCard => LinkFault::TokenRemoved,
        Error::Timeout | Error::UnresponsiveCard => LinkFault::TokenMute,
        Error::ReaderUnavailable
        | Error::UnknownReader
        | Error::NoService
        | Error::ServiceStopped
        | Error::Shutdown => LinkFault::ReaderGone,
        other => LinkFault::Reader(format!("PC/SC: {other}")),
    }
}

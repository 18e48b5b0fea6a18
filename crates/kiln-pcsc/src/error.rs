//! Why the smart-card service, a reader or the card on it could not be used.

use core::fmt;

use pcsc::Error;

/// A PC/SC failure outside an APDU exchange (those are kiln-core's `LinkError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PcscError {
    /// The smart-card service (pcscd, the Windows "Smart Card" service) is not running.
    ServiceNotRunning,
    /// The service knows no reader.
    NoReader,
    /// No card is on the reader, or it left while connecting.
    NoCard,
    /// A card is on the reader but does not answer (unpowered, mute or unsupported).
    CardUnresponsive,
    /// Another program holds the reader.
    ReaderBusy,
    /// The reader was unplugged, or the service no longer knows it.
    ReaderGone,
    /// Any other PC/SC error, in PC/SC's own words.
    Other(String),
}

impl PcscError {
    /// An error of the service itself (connecting to it, listing readers).
    pub(crate) fn of_service(error: Error) -> PcscError {
        match error {
            Error::NoService | Error::ServiceStopped => PcscError::ServiceNotRunning,
            Error::NoReadersAvailable => PcscError::NoReader,
            other => PcscError::Other(other.to_string()),
        }
    }

    /// An error connecting to (or starting a transaction with) the card on a reader.
    pub(crate) fn of_connection(error: Error) -> PcscError {
        match error {
            Error::NoSmartcard | Error::RemovedCard | Error::ResetCard => PcscError::NoCard,
            Error::UnresponsiveCard | Error::UnpoweredCard | Error::UnsupportedCard => {
                PcscError::CardUnresponsive
            }
            Error::SharingViolation => PcscError::ReaderBusy,
            Error::UnknownReader | Error::ReaderUnavailable => PcscError::ReaderGone,
            other => PcscError::of_service(other),
        }
    }
}

impl fmt::Display for PcscError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PcscError::ServiceNotRunning => f.write_str("the smart-card service is not running"),
            PcscError::NoReader => f.write_str("no smart-card reader is connected"),
            PcscError::NoCard => f.write_str("no card is on the reader"),
            PcscError::CardUnresponsive => f.write_str("the card on the reader does not answer"),
            PcscError::ReaderBusy => f.write_str("another program is using the reader"),
            PcscError::ReaderGone => f.write_str("the reader is no longer available"),
            PcscError::Other(detail) => write!(f, "PC/SC error: {detail}"),
        }
    }
}

impl std::error::Error for PcscError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_errors_name_the_card_or_reader_problem_and_fall_back_to_the_service() {
        assert_eq!(
            PcscError::of_connection(Error::RemovedCard),
            PcscError::NoCard
        );
        assert_eq!(
            PcscError::of_connection(Error::SharingViolation),
            PcscError::ReaderBusy
        );
        assert_eq!(
            PcscError::of_connection(Error::NoService),
            PcscError::ServiceNotRunning
        );
        // Listing readers never reports a card problem as one.
        assert!(matches!(
            PcscError::of_service(Error::SharingViolation),
            PcscError::Other(_)
        ));
    }
}

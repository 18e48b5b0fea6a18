//! The CLI's words for PC/SC failures: every [`PcscError`] becomes a [`CliError`] here, and
//! only here.

use kiln_pcsc::PcscError;

use crate::exit::CliError;

/// The error for `error`; `reader` names the reader it concerns, when there is one.
pub fn pcsc_error(error: PcscError, reader: Option<&str>) -> CliError {
    let named = |article: &str| match reader {
        Some(name) => format!("{article} reader \"{name}\""),
        None => format!("{article} reader"),
    };
    let the_reader = named("the");
    match error {
        PcscError::ServiceNotRunning => CliError::device(
            "pcscd_not_running",
            "The smart-card service is not running, so no reader can be used. On Linux start \
                 it with `sudo systemctl start pcscd` (or run `sudo pcscd`); on Windows start the \
                 \"Smart Card\" service; on macOS it starts when a reader is plugged in.",
        ),
        PcscError::NoReader => no_reader(),
        PcscError::NoCard => CliError::device(
            "no_card",
            format!(
                "No token was found on {the_reader}. Switch the token on (hold its button until \
                 the display lights up), lay it flat on the reader and try again."
            ),
        ),
        PcscError::CardUnresponsive => CliError::device(
            "card_unresponsive",
            format!(
                "The card on {the_reader} does not answer like a programmable token. Take other \
                 cards away, switch the token on, lay it flat on the reader and try again."
            ),
        ),
        PcscError::ReaderBusy => CliError::device(
            "reader_busy",
            format!(
                "Another program is using {the_reader}. Close it (a browser tab, a smart-card \
                 tool) and try again."
            ),
        ),
        PcscError::ReaderGone => CliError::device(
            "reader_gone",
            format!(
                "{} is no longer available. Plug it back in and try again.",
                named("The")
            ),
        ),
        PcscError::Other(detail) => CliError::device(
            "pcsc_error",
            format!(
                "The smart-card service reported an error ({detail}). Unplug the reader, plug it \
                 back in and try again."
            ),
        ),
    }
}

/// No reader at all: what to plug in.
pub fn no_reader() -> CliError {
    CliError::device(
        "no_reader",
        "No smart-card reader was found. Plug in the NFC reader (for example an ACR122U or \
         ACR1252U) and try again; on Linux check that its driver is installed (package libccid).",
    )
}

//! How APDUs reach the token.
//!
//! [`Link`] is the only door to a reader: transmit one APDU, get the reply. The token sessions of
//! [`crate::token`] run over any `Link`, whatever the reader: a PN533 or CCID reader over USB
//! ([`pn53x`], [`ccid`], both sans-IO codecs driven over a [`BulkPipe`]), a PN532 board over a
//! serial line ([`pn532`], the PN53x codec over a [`pn532::SerialPipe`]), or PC/SC in the CLI.

mod error;
pub mod machine;
mod pipe;
mod receive_buffer;

pub mod ccid;
pub mod pn532;
pub mod pn53x;

pub use error::{LinkError, LinkFault};
pub use pipe::{BulkPipe, PipeError};

/// One APDU exchange with the token: send a command, return its reply (`data || SW1 SW2`).
///
/// Implementations must say truthfully whether a failed command may have reached the token
/// ([`LinkError::NoReply`]) or certainly did not ([`LinkError::NotSent`]): a burn report depends
/// on it.
#[allow(async_fn_in_trait)]
pub trait Link {
    /// Sends `apdu` to the token and returns the complete reply, status word included.
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError>;
}

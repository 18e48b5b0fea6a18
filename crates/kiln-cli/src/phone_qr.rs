//! `kiln inspect --qr`: the account as a QR code for a phone app.

/// `--qr`'s long help.
pub const QR_HELP: &str = "Print the account as a QR code for a phone app (placeholder).";

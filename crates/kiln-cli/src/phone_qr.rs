//! `kiln inspect --qr`: the same account for a phone app, as a QR code in the terminal.
//!
//! The link is kiln-core's canonical `otpauth://` (issuer, account, algorithm, digits, period),
//! encoded by kiln-qr-encode and drawn here with Unicode half blocks (two module rows per text
//! line) inside a quiet zone of 4 modules. The colours are set explicitly, black modules on a
//! white square (256-colour palette entries 16 and 231, which terminal themes do not change),
//! so the code reads the same on dark and light terminals: never inverted.

use kiln_core::otp::TotpAccount;
use kiln_qr_encode::{QUIET_ZONE, QrMatrix};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::exit::CliError;

/// `--qr`'s long help.
pub const QR_HELP: &str = "\
Print the account as a QR code for a phone app (Google Authenticator, Microsoft Authenticator,
Aegis, …): the otpauth:// link with its issuer, account, algorithm, digits and period, and the
secret. Black on white, set explicitly, so it reads on dark and light terminals alike; make the
terminal window large enough to show it whole.

A copy of the secret in a phone weakens \"something you have\": the token is no longer the only
thing that makes the codes. Show it only where nobody can see or photograph the screen, then
clear the terminal and its scrollback.";

/// The warning printed on stderr with the code.
pub const WARNING: &str = "\
WARNING: this QR code holds the account's secret. Anyone who scans or photographs it can make \
the same codes as the token, so a copy in a phone app means the token is no longer the only \
\"something you have\". Scan it only where nobody can see the screen, then clear the terminal \
(and its scrollback).";

/// Black foreground on white background: fixed palette entries, not theme colours.
const COLOURS: &str = "\x1b[38;5;16;48;5;231m";
const RESET: &str = "\x1b[0m";

/// The QR code of `account`'s link: terminal text and, for `--json`, the module rows.
pub struct PhoneQr {
    /// The code in half blocks, one line per two module rows, quiet zone included.
    pub text: Zeroizing<String>,
    /// `{"modules": width, "quiet_zone": 4, "rows": ["0110…", …]}` (dark = 1, no quiet zone).
    pub json: Value,
}

/// Encodes `account`'s canonical link.
pub fn phone_qr(account: &TotpAccount) -> Result<PhoneQr, CliError> {
    let uri = account.to_otpauth_uri();
    let matrix = kiln_qr_encode::encode(&uri)
        .map_err(|e| CliError::not_burnable("qr_too_long", e.to_string()))?;
    drop(uri);
    let rows: Vec<String> = (0..matrix.width())
        .map(|y| {
            (0..matrix.width())
                .map(|x| if matrix.is_dark(x, y) { '1' } else { '0' })
                .collect()
        })
        .collect();
    Ok(PhoneQr {
        text: half_blocks(&matrix),
        json: json!({
            "modules": matrix.width(),
            "quiet_zone": QUIET_ZONE,
            "rows": rows,
        }),
    })
}

/// The matrix with its quiet zone, top module row in the upper half of each character.
fn half_blocks(matrix: &QrMatrix) -> Zeroizing<String> {
    let side = matrix.width() + 2 * QUIET_ZONE;
    let dark = |x: usize, y: usize| {
        x >= QUIET_ZONE && y >= QUIET_ZONE && matrix.is_dark(x - QUIET_ZONE, y - QUIET_ZONE)
    };
    let mut out = Zeroizing::new(String::with_capacity(side * side * 2));
    for y in (0..side).step_by(2) {
        out.push_str(COLOURS);
        for x in 0..side {
            out.push(match (dark(x, y), dark(x, y + 1)) {
                (false, false) => ' ',
                (true, false) => '▀',
                (false, true) => '▄',
                (true, true) => '█',
            });
        }
        out.push_str(RESET);
        out.push('\n');
    }
    out
}

//! `kiln inspect`: what is this text or QR code picture? No device involved: the same classifier
//! and the same QR decoder as the web app.
//!
//! With `--qr`, an account is also printed as a QR code for a phone app (`phone_qr`), with a
//! warning on stderr.
//!
//! Exit status 0 when the input can be burned (a TOTP account, or an export with at least one
//! account the token can take), 3 otherwise.

use std::path::Path;

use kiln_core::otp::{self, Classification};
use serde_json::json;
use zeroize::Zeroizing;

use crate::cli::InspectArgs;
use crate::exit::{CliError, Exit};
use crate::inspect_json::{classification_human, classification_json};
use crate::output::Done;
use crate::phone_qr::{WARNING, phone_qr};
use crate::secret_input::read_stdin;

/// Runs `kiln inspect`.
pub fn run(mut args: InspectArgs) -> Result<Done, CliError> {
    let text = match (&args.image, args.text.take()) {
        (Some(path), _) => read_qr(path)?,
        (None, Some(text)) if text.trim() != "-" => Zeroizing::new(text),
        (None, _) => read_stdin("Paste the text to inspect")?,
    };
    let classification = otp::classify(&text);
    drop(text);
    let burnable = match &classification {
        Classification::Totp(_) => true,
        Classification::Migration(m) => m.accounts.iter().any(|a| a.supported.is_ok()),
        _ => false,
    };
    let mut json = classification_json(&classification, args.reveal);
    let mut human = classification_human(&classification, args.reveal);
    if args.qr {
        let Classification::Totp(account) = &classification else {
            return Err(CliError::not_burnable(
                "qr_needs_an_account",
                "--qr shows one TOTP account as a QR code, and this input is not one (see what \
                 kiln says about it without --qr).",
            ));
        };
        let qr = phone_qr(account)?;
        eprintln!("{WARNING}");
        if let serde_json::Value::Object(map) = &mut json {
            map.insert("qr".to_string(), qr.json);
        }
        human.push_str("\n\nScan this with the phone app:\n\n");
        human.push_str(&qr.text);
    }
    Ok(Done {
        exit: if burnable {
            Exit::Success
        } else {
            Exit::NotBurnable
        },
        json,
        human,
    })
}

/// The text of the one QR code in a PNG or JPEG picture.
fn read_qr(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let shown = path.display();
    let picture = image::ImageReader::open(path)
        .map_err(|e| {
            CliError::usage(
                "image_unreadable",
                format!("The picture {shown} could not be opened ({e})."),
            )
        })?
        .with_guessed_format()
        .map_err(|e| {
            CliError::usage(
                "image_unreadable",
                format!("The picture {shown} could not be read ({e})."),
            )
        })?
        .decode()
        .map_err(|e| {
            CliError::not_burnable(
                "image_unreadable",
                format!(
                    "The picture {shown} could not be decoded ({e}). Use a PNG or JPEG picture \
                     or screenshot."
                ),
            )
        })?;
    let rgba = picture.into_rgba8();
    let (width, height) = rgba.dimensions();
    // The picture of an enrollment QR code is as secret as the link it holds.
    let pixels = Zeroizing::new(rgba.into_raw());
    let mut payloads = kiln_qr::decode_rgba(&pixels, width, height)
        .map_err(|e| CliError::not_burnable("qr_unreadable", e.to_string()))?;
    drop(pixels);
    match payloads.len() {
        0 => Err(CliError::not_burnable(
            "no_qr_code",
            format!(
                "No QR code was found in {shown}. Use a sharp, straight picture or a screenshot \
                 in which the whole QR code is visible."
            ),
        )),
        1 => Ok(Zeroizing::new(payloads.remove(0))),
        n => {
            for payload in &mut payloads {
                zeroize::Zeroize::zeroize(payload);
            }
            Err(CliError::not_burnable(
                "several_qr_codes",
                format!(
                    "The picture {shown} holds {n} different QR codes. Crop it so that it shows \
                     only the enrollment QR code, then try again."
                ),
            )
            .with_fields(json!({"qr_codes": n})))
        }
    }
}

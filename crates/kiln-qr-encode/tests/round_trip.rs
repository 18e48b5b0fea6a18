//! The phone-app QR code round trip: an account written as a canonical otpauth link, encoded,
//! drawn as pixels, decoded by Kiln's own decoder (kiln-qr, quirc) and by ZBar's `zbarimg`
//! (Debian zbar-tools: an independent implementation), and classified back into the same
//! account (the same `AccountFingerprint`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use std::path::PathBuf;
use std::process::Command;

use kiln_core::otp::{Classification, SecretSource, TotpAccount, classify};
use kiln_core::{Algorithm, Period, Secret};
use kiln_qr_encode::{QUIET_ZONE, QrMatrix, encode};

/// Pixels per module.
const SCALE: usize = 4;

/// The matrix as 8-bit gray pixels, black on white, with the quiet zone: (pixels, side).
fn pixels(matrix: &QrMatrix) -> (Vec<u8>, usize) {
    let side = (matrix.width() + 2 * QUIET_ZONE) * SCALE;
    let mut out = vec![255u8; side * side];
    for py in 0..side {
        for px in 0..side {
            let (x, y) = (px / SCALE, py / SCALE);
            let dark = x >= QUIET_ZONE
                && y >= QUIET_ZONE
                && matrix.is_dark(x - QUIET_ZONE, y - QUIET_ZONE);
            if dark {
                out[py * side + px] = 0;
            }
        }
    }
    (out, side)
}

fn accounts() -> Vec<TotpAccount> {
    let names = [
        ("Zürich Kantonalbank", "Ève Müller"),
        ("Société Générale", "jean-françois@example.fr"),
        ("Ørsted Energy A/S", "björn.ångström@example.dk"),
        ("Example Corp", "alice smith"),
    ];
    let settings = [
        (Algorithm::Sha1, Period::S30),
        (Algorithm::Sha256, Period::S60),
        (Algorithm::Sha1, Period::S60),
        (Algorithm::Sha256, Period::S30),
    ];
    names
        .iter()
        .zip(settings)
        .enumerate()
        .map(|(i, ((issuer, name), (algorithm, period)))| TotpAccount {
            issuer: Some(issuer.to_string()),
            label_issuer: Some(issuer.to_string()),
            account: name.to_string(),
            algorithm,
            digits: 6,
            period,
            // 20 and 32 bytes: the usual SHA-1 and SHA-256 key sizes.
            secret: Secret::new(
                (0..[20u8, 32][i % 2])
                    .map(|b| b.wrapping_mul(37) ^ 0x5A)
                    .collect(),
            ),
            source: SecretSource::Uri,
        })
        .collect()
}

fn classified(text: &str) -> TotpAccount {
    match classify(text) {
        Classification::Totp(account) => account,
        other => panic!("{text:?} read as {other:?}"),
    }
}

#[test]
fn kiln_s_own_decoder_reads_back_the_same_account() {
    for account in accounts() {
        let uri = account.to_otpauth_uri();
        let matrix = encode(&uri).unwrap();
        let (gray, side) = pixels(&matrix);
        let decoded = kiln_qr::decode_luma(&gray, side as u32, side as u32).unwrap();
        assert_eq!(decoded.len(), 1, "{}", uri.as_str());
        assert_eq!(decoded[0], uri.as_str());
        let back = classified(&decoded[0]);
        assert_eq!(
            back.fingerprint(),
            account.fingerprint(),
            "{}",
            uri.as_str()
        );
        assert_eq!(
            (back.algorithm, back.period, back.digits),
            (account.algorithm, account.period, 6)
        );
    }
}

#[test]
fn zbarimg_reads_back_the_same_account() {
    let dir = std::env::temp_dir().join(format!("kiln-qr-encode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, account) in accounts().into_iter().enumerate() {
        let uri = account.to_otpauth_uri();
        let matrix = encode(&uri).unwrap();
        let (gray, side) = pixels(&matrix);
        let path: PathBuf = dir.join(format!("account-{i}.png"));
        image::GrayImage::from_raw(side as u32, side as u32, gray)
            .unwrap()
            .save(&path)
            .unwrap();
        // -Sbinary: the payload's bytes as they are (no character-set guessing).
        let run = Command::new("zbarimg")
            .args(["--quiet", "--raw", "-Sbinary"])
            .arg(&path)
            .output()
            .unwrap_or_else(|e| {
                panic!("zbarimg could not be run ({e}): install zbar-tools (apt-get install zbar-tools)")
            });
        std::fs::remove_file(&path).unwrap();
        assert!(
            run.status.success(),
            "zbarimg: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let text = String::from_utf8(run.stdout).unwrap();
        let text = text.strip_suffix('\n').unwrap_or(&text);
        assert_eq!(text, uri.as_str());
        let back = classified(text);
        assert_eq!(
            back.fingerprint(),
            account.fingerprint(),
            "{}",
            uri.as_str()
        );
    }
    std::fs::remove_dir(&dir).unwrap();
}

//! `kiln inspect --qr` through the binary: the QR code it draws in the terminal, read back from
//! the printed half blocks, decodes (kiln-qr) to a link the classifier reads as the same account
//! as the input; the warning goes to stderr and the secret is never printed as text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::otp::{Classification, TotpAccount, classify};
use support::kiln;

const COLOURS: &str = "\x1b[38;5;16;48;5;231m";
const RESET: &str = "\x1b[0m";

fn account(text: &str) -> TotpAccount {
    match classify(text) {
        Classification::Totp(account) => account,
        other => panic!("{text:?} read as {other:?}"),
    }
}

/// The module grid (quiet zone included) drawn by the half-block lines of `stdout`.
fn grid(stdout: &str) -> Vec<Vec<bool>> {
    let mut rows = Vec::new();
    for line in stdout.lines().filter(|l| l.starts_with(COLOURS)) {
        let body = line
            .strip_prefix(COLOURS)
            .unwrap()
            .strip_suffix(RESET)
            .unwrap();
        let (top, bottom): (Vec<bool>, Vec<bool>) = body
            .chars()
            .map(|c| match c {
                ' ' => (false, false),
                '▀' => (true, false),
                '▄' => (false, true),
                '█' => (true, true),
                other => panic!("unexpected {other:?} in the QR code"),
            })
            .unzip();
        rows.push(top);
        rows.push(bottom);
    }
    rows
}

/// Decodes the grid with Kiln's decoder (4 pixels per module).
fn decode(grid: &[Vec<bool>]) -> String {
    let (w, h) = (grid[0].len() * 4, grid.len() * 4);
    let mut pixels = vec![255u8; w * h];
    for (y, pixel_row) in pixels.chunks_mut(w).enumerate() {
        for (x, pixel) in pixel_row.iter_mut().enumerate() {
            if grid[y / 4][x / 4] {
                *pixel = 0;
            }
        }
    }
    let mut found = kiln_qr::decode_luma(&pixels, w as u32, h as u32).unwrap();
    assert_eq!(found.len(), 1);
    found.remove(0)
}

#[test]
fn the_terminal_qr_code_decodes_to_the_same_account() {
    let inputs = [
        "otpauth://totp/Z%C3%BCrich%20Kantonalbank:%C3%88ve%20M%C3%BCller?secret=JBSWY3DPEHPK3PXP\
         &issuer=Z%C3%BCrich%20Kantonalbank",
        "otpauth://totp/GitHub:octocat?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub\
         &algorithm=SHA256&period=60",
        "otpauth://totp/Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:jean?secret=GEZDGNBVGY3TQOJQ\
         GEZDGNBVGY3TQOJQ&algorithm=SHA1&period=60",
    ];
    for input in inputs {
        let run = kiln(&["inspect", input, "--qr"], None);
        assert_eq!(run.status, 0, "{}", run.all_output());
        let grid = grid(&run.stdout);
        // Quiet zone of 4 light modules on every side.
        assert!(grid.len() >= 29 + 8, "{} rows", grid.len());
        for row in grid.iter().take(4).chain(grid.iter().rev().skip(1).take(3)) {
            assert!(row.iter().all(|dark| !dark));
        }
        assert!(grid.iter().all(|row| row[..4].iter().all(|d| !d)));
        let link = decode(&grid);
        assert_eq!(
            account(&link).fingerprint(),
            account(input).fingerprint(),
            "{link}"
        );
        assert!(run.stderr.contains("something you have"), "{}", run.stderr);
        assert!(!run.stdout.contains("JBSWY3DP") && !run.stdout.contains("GEZDGNBV"));
        assert!(!run.stdout.contains("otpauth://"), "{}", run.stdout);
    }
}

#[test]
fn json_carries_the_same_modules_and_stdin_keeps_the_link_off_the_command_line() {
    let input = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example";
    let text = kiln(&["inspect", input, "--qr"], None);
    let run = kiln(&["--json", "inspect", "-", "--qr"], Some(input));
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["kind"], "totp");
    let rows: Vec<Vec<bool>> = doc["qr"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().chars().map(|c| c == '1').collect())
        .collect();
    assert_eq!(doc["qr"]["modules"], rows.len());
    assert_eq!(doc["qr"]["quiet_zone"], 4);
    let drawn = grid(&text.stdout);
    for (y, row) in rows.iter().enumerate() {
        assert_eq!(&drawn[y + 4][4..4 + row.len()], row.as_slice(), "row {y}");
    }
    assert!(run.stderr.contains("WARNING"), "{}", run.stderr);
}

#[test]
fn qr_needs_a_single_account() {
    let run = kiln(&["--json", "inspect", "hello world", "--qr"], None);
    assert_eq!(run.status, 3, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "qr_needs_an_account");
    assert!(!run.stderr.contains("WARNING"), "{}", run.stderr);
}

//! The passphrase for `kiln batch --encrypt`: from `KILN_PASSPHRASE`, or typed twice on the
//! terminal (`/dev/tty`, echo off), so stdin stays free for the questions. Asked before any
//! token is burned, so a typo cannot cost a batch.

use std::env;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};

use kiln_seal::Passphrase;
use rustix::termios::{self, LocalModes, OptionalActions};
use zeroize::Zeroizing;

use crate::exit::CliError;

/// The environment variable that may hold the passphrase.
pub const ENV: &str = "KILN_PASSPHRASE";
const MAX_LEN: usize = 1024;

/// The passphrase, from the environment or the terminal.
pub fn passphrase() -> Result<Passphrase, CliError> {
    if let Some(text) = env::var_os(ENV) {
        let text = Zeroizing::new(text.into_string().map_err(|_| {
            CliError::usage("passphrase_not_text", format!("{ENV} is not text (UTF-8)."))
        })?);
        return Passphrase::new(text)
            .map_err(|e| CliError::usage("empty_passphrase", format!("{ENV}: {e}")));
    }
    let mut tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| {
            CliError::usage(
                "no_passphrase",
                format!(
                    "--encrypt needs a passphrase, and there is no terminal to ask for it. Set \
                     {ENV}. Nothing was burned."
                ),
            )
        })?;
    let first = ask(
        &mut tty,
        "Passphrase for the encrypted files (it will not be shown): ",
    )?;
    let second = ask(&mut tty, "The same passphrase again: ")?;
    if !first.matches(&second) {
        return Err(CliError::usage(
            "passphrase_mismatch",
            "The two passphrases differ. Nothing was burned; run the command again.",
        ));
    }
    Ok(first)
}

fn ask(tty: &mut File, prompt: &str) -> Result<Passphrase, CliError> {
    let _ = tty.write_all(prompt.as_bytes());
    let _ = tty.flush();
    let saved = termios::tcgetattr(&*tty).ok();
    if let Some(saved) = &saved {
        let mut quiet = saved.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        let _ = termios::tcsetattr(&*tty, OptionalActions::Now, &quiet);
    }
    let line = read_line(tty);
    if let Some(saved) = &saved {
        let _ = termios::tcsetattr(&*tty, OptionalActions::Now, saved);
    }
    let _ = tty.write_all(b"\n");
    Passphrase::new(line?).map_err(|e| CliError::usage("empty_passphrase", e.to_string()))
}

/// One line, byte by byte into a buffer that never grows (so no copy is left behind).
fn read_line(tty: &mut File) -> Result<Zeroizing<String>, CliError> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_LEN));
    let mut byte = [0u8; 1];
    loop {
        match tty.read(&mut byte) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) if bytes.len() < MAX_LEN => bytes.push(byte[0]),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    zeroize::Zeroize::zeroize(&mut byte);
    while bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| CliError::usage("passphrase_not_text", "The passphrase is not text."))?;
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    out.push_str(text);
    Ok(out)
}

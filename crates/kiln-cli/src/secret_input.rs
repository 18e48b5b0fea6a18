//! Where the secret comes from: `--uri`, `--secret` (Base32) or `--hex`, each either on the
//! command line or `-` for standard input.
//!
//! Text read from stdin lands in one pre-sized `Zeroizing` buffer (never reallocated, so no
//! stray copy is left in freed memory). On a terminal, echo is switched off while it is typed or
//! pasted. Hex is only ever read through the explicit `--hex`: the Base32-or-hex guessing rule
//! of the classifier is for pasted text, and the command line can say what it means.

use std::io::{self, IsTerminal, Read, Write};

use kiln_core::otp::{self, Classification, SecretEncoding, Target};
use rustix::termios::{self, LocalModes, OptionalActions};
use zeroize::Zeroizing;

use crate::cli::AccountArgs;
use crate::exit::CliError;

/// The longest input accepted on stdin. Enrollment links are well under 1 KiB and Google
/// Authenticator exports under 4 KiB.
const MAX_INPUT: usize = 64 * 1024;

/// How the text encodes the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// An otpauth:// or otpauth-migration:// link.
    Uri,
    /// Base32 text.
    Base32,
    /// Hex text.
    Hex,
}

/// The secret text of a burn, wiped on drop.
pub struct SecretText {
    /// Which option it came from.
    pub kind: SourceKind,
    /// True when it was read from stdin (stdin cannot then answer the confirmation question).
    pub from_stdin: bool,
    text: Zeroizing<String>,
}

impl SecretText {
    /// Takes the secret out of the parsed options (so clap's copy is dropped early) or reads it
    /// from stdin for `-`.
    pub fn from_args(args: &mut AccountArgs) -> Result<SecretText, CliError> {
        let (kind, value) = if let Some(uri) = args.uri.take() {
            (SourceKind::Uri, uri)
        } else if let Some(secret) = args.secret.take() {
            (SourceKind::Base32, secret)
        } else if let Some(hex) = args.hex.take() {
            (SourceKind::Hex, hex)
        } else {
            return Err(CliError::usage(
                "no_secret",
                "Say what to burn with --uri, --secret or --hex.",
            ));
        };
        let value = Zeroizing::new(value);
        if value.trim() == "-" {
            let prompt = match kind {
                SourceKind::Uri => "Paste the otpauth link",
                SourceKind::Base32 => "Paste the secret key",
                SourceKind::Hex => "Paste the hex secret",
            };
            return Ok(SecretText {
                kind,
                from_stdin: true,
                text: read_stdin(prompt)?,
            });
        }
        Ok(SecretText {
            kind,
            from_stdin: false,
            text: value,
        })
    }

    /// What the text is for the `target` token, read the way its option says: `--uri` by the
    /// classifier's own rules, `--secret` as Base32 and `--hex` as hex (a leading `base32:`,
    /// `hex:` or `0x` of that encoding is allowed). A bare secret names no code length, so it
    /// reads the same for every target.
    pub fn classify_for(&self, target: Target) -> Result<Classification, CliError> {
        let trimmed = self.text.trim();
        let looks_like_link = trimmed
            .get(..7)
            .is_some_and(|head| head.eq_ignore_ascii_case("otpauth"));
        let encoding = match self.kind {
            SourceKind::Uri => return Ok(otp::classify_for(trimmed, target)),
            _ if looks_like_link => {
                return Err(CliError::usage(
                    "link_given_as_secret",
                    "This is an otpauth link, not a bare secret: pass it with --uri instead.",
                ));
            }
            SourceKind::Base32 => SecretEncoding::Base32,
            SourceKind::Hex => SecretEncoding::Hex,
        };
        Ok(otp::classify_secret(trimmed, encoding))
    }
}

/// Reads text from stdin: one line, without echo, on a terminal (after `prompt` on stderr);
/// everything up to end of input otherwise.
pub fn read_stdin(prompt: &str) -> Result<Zeroizing<String>, CliError> {
    let stdin = io::stdin();
    let terminal = stdin.is_terminal();
    let _echo = if terminal {
        let mut err = io::stderr().lock();
        let _ = write!(err, "{prompt} (it will not be shown), then press Enter: ");
        let _ = err.flush();
        EchoOff::new()
    } else {
        None
    };
    let mut buffer = Zeroizing::new(vec![0u8; MAX_INPUT]);
    let mut len = 0;
    let mut handle = stdin.lock();
    while let Some(free) = buffer.get_mut(len..) {
        if free.is_empty() {
            return Err(CliError::usage(
                "input_too_long",
                "The input on stdin is longer than 64 KiB; that is not an enrollment link or \
                 a secret.",
            ));
        }
        let n = match handle.read(free) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(CliError::usage(
                    "stdin_unreadable",
                    format!("Standard input could not be read ({e})."),
                ));
            }
        };
        if n == 0 {
            break;
        }
        len += n;
        if terminal && buffer.get(..len).is_some_and(|b| b.contains(&b'\n')) {
            break;
        }
    }
    if terminal {
        let _ = writeln!(io::stderr());
    }
    let bytes = buffer.get(..len).unwrap_or_default();
    let text = std::str::from_utf8(bytes).map_err(|_| {
        CliError::usage(
            "stdin_not_text",
            "The input on stdin is not text (UTF-8). Paste the link or the secret as text.",
        )
    })?;
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    out.push_str(text.trim());
    Ok(out)
}

/// Terminal echo switched off until dropped.
struct EchoOff {
    saved: termios::Termios,
}

impl EchoOff {
    fn new() -> Option<EchoOff> {
        let stdin = io::stdin();
        let saved = termios::tcgetattr(&stdin).ok()?;
        let mut quiet = saved.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        termios::tcsetattr(&stdin, OptionalActions::Now, &quiet).ok()?;
        Some(EchoOff { saved })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(io::stdin(), OptionalActions::Now, &self.saved);
    }
}

#[cfg(test)]
mod tests {
    use kiln_core::otp::{InputError, SecretSource};

    use super::*;

    fn text(kind: SourceKind, value: &str) -> SecretText {
        SecretText {
            kind,
            from_stdin: false,
            text: Zeroizing::new(value.to_string()),
        }
    }

    /// The source and secret (as hex) of a burnable classification.
    fn read(kind: SourceKind, value: &str) -> (SecretSource, String) {
        match text(kind, value)
            .classify_for(Target::SingleProfile)
            .unwrap()
        {
            Classification::Totp(a) => (a.source, otp::hex_display(&a.secret).to_string()),
            other => panic!("{value:?} read as {}", other.kind()),
        }
    }

    // Both alphabets hold every character of this text (the classifier alone calls it
    // ambiguous). Base32 bytes from Python's base64.b32decode; hex read by hand.
    const SHARED: &str = "ABCDEF234567ABCDEF23";
    const AS_BASE32: &str = "004432175be77df004432175";
    const AS_HEX: &str = "abcdef234567abcdef23";

    #[test]
    fn options_say_which_encoding_the_classifier_must_use() {
        let base32 = (SecretSource::Base32, AS_BASE32.to_string());
        let hex = (SecretSource::Hex, AS_HEX.to_string());
        assert_eq!(
            read(SourceKind::Base32, " abcd ef23 4567 abcd ef23 "),
            base32
        );
        assert_eq!(
            read(SourceKind::Base32, &format!("BASE32:{SHARED}")),
            base32
        );
        assert_eq!(read(SourceKind::Hex, &format!("0x{SHARED}")), hex);
        assert_eq!(read(SourceKind::Hex, &format!("hex:{AS_HEX}")), hex);
        assert_eq!(read(SourceKind::Hex, &format!("HEX:0x{SHARED}")), hex);
        assert_eq!(
            read(
                SourceKind::Uri,
                &format!("otpauth://totp/x?secret={SHARED}")
            ),
            (SecretSource::Uri, AS_BASE32.to_string())
        );
    }

    #[test]
    fn errors_point_into_the_text_as_given() {
        // Positions count the text as typed: no marker is written in front of it.
        match text(SourceKind::Base32, "AB0D")
            .classify_for(Target::SingleProfile)
            .unwrap()
        {
            Classification::Invalid(e) => assert_eq!(
                e,
                InputError::BadBase32Character {
                    position: 3,
                    character: '0'
                }
            ),
            other => panic!("read as {}", other.kind()),
        }
        // A marker of the other encoding is not skipped: it is part of the secret text.
        assert_eq!(
            text(SourceKind::Base32, &format!("hex:{AS_HEX}"))
                .classify_for(Target::SingleProfile)
                .unwrap(),
            Classification::Invalid(InputError::BadBase32Character {
                position: 4,
                character: ':'
            })
        );
    }

    #[test]
    fn a_link_passed_as_a_bare_secret_is_a_usage_error() {
        let error = text(SourceKind::Base32, "otpauth://totp/x?secret=AAAA")
            .classify_for(Target::SingleProfile)
            .err()
            .unwrap();
        assert_eq!(error.code, "link_given_as_secret");
    }
}

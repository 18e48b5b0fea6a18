//! The command line: every command, option and help text (clap derive).

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use kiln_core::{Algorithm, DisplayTimeout, Period};

use crate::drift_args::{DRIFT_HELP, InfoArgs};

const EXIT_STATUS: &str = "\
Exit status:
  0  success
  1  cancelled at a confirmation question (nothing was written)
  2  usage error (wrong or conflicting options)
  3  not burnable: the input is not a TOTP secret a token can take, or was refused
  4  device or token error (no pcscd, no reader, no token, unknown model, refused, failed)
  5  outcome unknown: a write was sent but no answer came back; burn again to be sure
  6  verify: the code belongs to the account but the token's clock is off; burn again
  7  verify: the code does not match the account

With --json, every command prints exactly one JSON document on standard output.";

const STDIN_HELP: &str = "\
Secrets can come from standard input instead of the command line: give - as the value
(--uri -, --secret -, --hex -). They then never appear in your shell history or in the
process list, where other users of this computer can read command lines. On a terminal the
pasted text is not echoed.

Without --yes, kiln first reads the token's serial number (GET INFO only), shows what it is
about to burn and asks for confirmation; with --yes it burns at once.";

/// Burn TOTP seeds into Token2 programmable tokens through any PC/SC (smart-card) NFC reader.
#[derive(Debug, Parser)]
#[command(name = "kiln", version, after_help = EXIT_STATUS, propagate_version = true)]
pub struct Cli {
    /// Print one JSON document on standard output instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Use a PN532 board on this serial port instead of a PC/SC reader (Linux /dev/ttyUSB0,
    /// macOS /dev/cu.usbserial-…, Windows COM3): the board in HSU mode behind a USB-serial
    /// adapter, at 115 200 baud. For info, burn and sync-time; pcscd is not needed.
    #[arg(long, global = true, value_name = "PORT")]
    pub serial_port: Option<String>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the PC/SC readers and what is on each (contactless card, other card, empty).
    Readers,
    /// Read a token's serial number, model and clock, and judge its drift (sends GET INFO only).
    #[command(after_help = DRIFT_HELP)]
    Info(InfoArgs),
    /// Burn a TOTP seed and its settings into a token.
    #[command(after_help = STDIN_HELP)]
    Burn(BurnArgs),
    /// Set a token's clock to this computer's time.
    #[command(after_help = SYNC_HELP)]
    SyncTime(SyncTimeArgs),
    /// Check a code the token shows against the account, without any device.
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),
    /// Say what a text or a QR code picture is, without any device.
    Inspect(InspectArgs),
    /// Burn many tokens in a row and write Entra / Graph upload files and an audit log.
    #[command(after_help = crate::commands::batch_args::BATCH_HELP)]
    Batch(crate::commands::batch_args::BatchArgs),
    /// Token2 Molto2 multi-profile tokens (USB): list, burn, delete, sync-time, set-key, reset.
    #[command(after_help = crate::commands::molto2_args::MOLTO2_HELP)]
    Molto2(crate::commands::molto2_args::Molto2Args),
    /// Let the Kiln web app use this computer's PC/SC readers (loopback WebSocket, paired with a
    /// one-time code; see docs/bridge.md).
    #[command(after_help = BRIDGE_HELP)]
    Bridge(crate::bridge::BridgeArgs),
}

const BRIDGE_HELP: &str = "\
The bridge listens on 127.0.0.1 only and prints a one-time pairing code: type it into the
page when it asks for it. Each code pairs one page. Only pages from the allowed origins may
connect; only contactless Token2 tokens (and the Molto2) with a supported serial number are
connected, and only the Token2 programming commands are passed on. Nothing is stored. Stop
it with Ctrl+C.";

/// Which reader to use.
#[derive(Debug, Clone, Args)]
pub struct ReaderArgs {
    /// The reader to use: its full name or a unique part of it (see `kiln readers`). Without
    /// it, kiln uses the one reader with a contactless card (the token) on it; otherwise it
    /// lists the readers and what is on each, and stops (exit 4 when no reader has a
    /// contactless card, 2 when several do).
    #[arg(long, value_name = "NAME")]
    pub reader: Option<String>,
}

/// The account to burn or check: the same options for `kiln burn` and `kiln verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["uri", "secret", "hex"])))]
pub struct AccountArgs {
    /// An otpauth:// link (the text of the enrollment QR code), or - to read it from stdin.
    #[arg(long, value_name = "URI")]
    pub uri: Option<String>,

    /// A Base32 secret key as websites show it (spaces allowed), or - to read it from stdin.
    #[arg(long, value_name = "BASE32")]
    pub secret: Option<String>,

    /// A secret in hexadecimal, or - to read it from stdin.
    #[arg(long, value_name = "HEX")]
    pub hex: Option<String>,

    /// For a Google Authenticator export link: which account to use (see `kiln inspect`).
    #[arg(long, value_name = "N")]
    pub account: Option<usize>,

    /// HMAC algorithm (default: the link's, else SHA1). Must agree with an otpauth link.
    #[arg(long, value_enum, ignore_case = true)]
    pub algorithm: Option<AlgorithmArg>,

    /// Time step in seconds (default: the link's, else 30). Must agree with an otpauth link.
    #[arg(long, value_name = "SECONDS", value_parser = parse_period)]
    pub period: Option<Period>,
}

/// `kiln burn`.
#[derive(Debug, Args)]
pub struct BurnArgs {
    #[command(flatten)]
    pub input: AccountArgs,

    /// How long the display stays on, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_display)]
    pub display: DisplayTimeout,

    #[command(flatten)]
    pub reader: ReaderArgs,

    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,

    /// Use no device: print the exact commands (hex APDUs) the burn would send to a token that
    /// reports --serial and --challenge, with the clock set to --time. For auditing. The body
    /// of WRITE SEED is shown as XX (its header, length and MAC are shown) unless --reveal.
    #[arg(long, requires_all = ["serial", "challenge", "time"])]
    pub dry_run: bool,

    /// With --dry-run: also show the body of WRITE SEED. It is the seed encrypted under a key
    /// that is published, so anyone can decrypt it: treat that output like the secret itself.
    #[arg(long, requires = "dry_run")]
    pub reveal: bool,

    /// With --dry-run: the serial number the simulated token reports.
    #[arg(long, value_name = "SERIAL", requires = "dry_run")]
    pub serial: Option<String>,

    /// With --dry-run: the 8-byte challenge the simulated token answers, as 16 hex digits.
    #[arg(long, value_name = "HEX16", requires = "dry_run", value_parser = parse_challenge)]
    pub challenge: Option<[u8; 8]>,

    /// With --dry-run: the clock value to write, in seconds since 1970 (UTC).
    #[arg(long, value_name = "UNIX", requires = "dry_run")]
    pub time: Option<u32>,
}

const VERIFY_HELP: &str = "\
Give the account exactly as for `kiln burn` (--uri/--secret/--hex, - for stdin, --algorithm,
--period) and the code the token shows now. kiln compares it with this computer's clock:

  works      the code is this step's or the one before or after: the token is burned right
  clock_off  the code is 2 to 10 steps away: the seed is right but the token's clock is off.
             Check this computer's clock, then burn again (a burn also sets the clock)
  mismatch   no step within 10 either way: a typo, another account, or the burn did not take

Exit status: 0 works, 6 clock off, 7 mismatch (2 for a code that is not 6 digits, 3 for input
that is not a TOTP account). With --json: {\"verdict\": …, \"offset\": steps or null, …}.";

/// `kiln verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: AccountArgs,

    /// The 6-digit code the token shows. Without it kiln asks for it (on a terminal only).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,

    /// Judge the code at this moment (seconds since 1970, UTC) instead of this computer's
    /// clock, e.g. to check a code written down earlier.
    #[arg(long, value_name = "UNIX")]
    pub time: Option<u64>,
}

const SYNC_HELP: &str = "\
Tokens have no command to set only the clock: the clock is written together with the algorithm,
the time step and the display timeout, and there is no command to read those back. Give the
values the token's account uses (the defaults, SHA1 and 30 s, fit nearly every account).

On OTPC-P2-i(-NB), miniOTP-3-i(-NB) and C301-i tokens, setting the clock ERASES THE SEED: the
token shows no valid codes until a seed is burned again. kiln warns and asks first; --yes accepts
the warning too. To set the clock of those tokens without losing the account, burn the seed
again instead (`kiln burn` also sets the clock).

Before asking, kiln shows the clock's verdict for --period (ok within one step, fix up to two,
refused beyond the two steps Microsoft Entra accepts: see `kiln info --help`) and the repair
for the token's model: miniOTP-2-i, OTPC-P1-i and C302-i keep their seed, so sync-time is the
repair; on the others it erases the seed, and the repair is `kiln burn` with the same secret.";

/// `kiln sync-time`.
#[derive(Debug, Args)]
pub struct SyncTimeArgs {
    #[command(flatten)]
    pub reader: ReaderArgs,

    /// Do not ask for confirmation (this also accepts the seed-erase warning).
    #[arg(long)]
    pub yes: bool,

    /// HMAC algorithm written with the clock.
    #[arg(long, value_enum, ignore_case = true, default_value = "SHA1")]
    pub algorithm: AlgorithmArg,

    /// Time step in seconds written with the clock.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_period)]
    pub period: Period,

    /// Display timeout in seconds written with the clock.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_display)]
    pub display: DisplayTimeout,
}

/// `kiln inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The text to classify: an otpauth link, a secret, anything a QR code held. Omit it (or
    /// give -) to read it from stdin, which keeps secrets out of the shell history.
    #[arg(value_name = "TEXT", conflicts_with = "image")]
    pub text: Option<String>,

    /// Read the QR code in this PNG or JPEG picture instead.
    #[arg(long, value_name = "PATH")]
    pub image: Option<std::path::PathBuf>,

    /// Also show the secret (Base32 and hex). Without it the secret is never printed.
    #[arg(long)]
    pub reveal: bool,

    /// Print the account as a QR code for a phone app (the otpauth:// link, secret included).
    #[arg(long, long_help = crate::phone_qr::QR_HELP)]
    pub qr: bool,
}

/// `--algorithm` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    /// HMAC-SHA-1 (most accounts).
    #[value(name = "SHA1")]
    Sha1,
    /// HMAC-SHA-256.
    #[value(name = "SHA256")]
    Sha256,
}

impl From<AlgorithmArg> for Algorithm {
    fn from(value: AlgorithmArg) -> Algorithm {
        match value {
            AlgorithmArg::Sha1 => Algorithm::Sha1,
            AlgorithmArg::Sha256 => Algorithm::Sha256,
        }
    }
}

pub(crate) fn parse_display(text: &str) -> Result<DisplayTimeout, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .and_then(DisplayTimeout::from_seconds)
        .ok_or_else(|| "the display timeout must be 15, 30, 60 or 120 (seconds)".to_string())
}

pub(crate) fn parse_period(text: &str) -> Result<Period, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .and_then(Period::from_seconds)
        .ok_or_else(|| "tokens support a time step of 30 or 60 seconds only".to_string())
}

fn parse_challenge(text: &str) -> Result<[u8; 8], String> {
    let bytes = hex::decode(text.trim())
        .map_err(|_| "the challenge must be 16 hexadecimal digits (8 bytes)".to_string())?;
    <[u8; 8]>::try_from(bytes.as_slice())
        .map_err(|_| "the challenge must be 16 hexadecimal digits (8 bytes)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn only_token_values_are_accepted_for_settings() {
        assert_eq!(parse_display("120"), Ok(DisplayTimeout::S120));
        assert!(parse_display("45").is_err());
        assert_eq!(parse_period("60"), Ok(Period::S60));
        assert!(parse_period("20").is_err());
        assert_eq!(
            parse_challenge("1122334455667788"),
            Ok([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88])
        );
        assert!(parse_challenge("11223344556677").is_err());
        assert!(parse_challenge("11223344556677zz").is_err());
    }
}

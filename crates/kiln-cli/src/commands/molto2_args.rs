//! The `kiln molto2 …` command line (clap derive).

use clap::{ArgGroup, Args, Subcommand};
use kiln_core::DisplayTimeout;

use crate::cli::AccountArgs;

pub const MOLTO2_HELP: &str = "\
A Token2 Molto2 / Molto2v2 is a USB token with 50 or 100 TOTP profiles. kiln finds it by its
reader name (it contains \"Molto2\"); --reader picks one when several are plugged in.

Customer key: the factory key TOKEN2MOLTO1-KEY is used unless KILN_MOLTO2_KEY is set or --key
is given (then kiln asks for it without echo). Write it as text, or as hex:0011…. A wrong key
costs one of the Molto2's few attempts; when none are left the key is locked for good, so kiln
never tries again on its own.

Exit status: 0 success, 1 cancelled, 2 usage error, 3 input not burnable, 4 device error or
refused (wrong key, occupied profile…), 5 outcome unknown or not confirmed (a write got no
answer, or the Molto2 waits for its ▲ button, which kiln cannot see).";

/// `kiln molto2`.
#[derive(Debug, Args)]
pub struct Molto2Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Molto2Command,
}

/// The Molto2 commands.
#[derive(Debug, Subcommand)]
pub enum Molto2Command {
    /// List the profiles: number, title, algorithm, period, digits, occupied.
    List(CommonArgs),
    /// Burn a TOTP seed, a title and settings into one profile.
    Burn(Molto2BurnArgs),
    /// Delete the seed of one profile (its title and settings stay).
    Delete(ProfileArgs),
    /// Set the Molto2's clock to this computer's time.
    SyncTime(SyncArgs),
    /// Change the customer key (confirmed by pressing ▲ on the Molto2).
    SetKey(CommonArgs),
    /// Factory reset: erase every profile and restore the factory key (▲ on the Molto2).
    Reset(CommonArgs),
}

/// Options every Molto2 command takes.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// The reader: its full name or a unique part of it. Default: the one Molto2 plugged in.
    #[arg(long, value_name = "NAME")]
    pub reader: Option<String>,

    /// Ask for the customer key (no echo) instead of using the factory key. KILN_MOLTO2_KEY,
    /// when set, is used without asking.
    #[arg(long)]
    pub key: bool,

    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,

    /// Use no device: print the exact APDUs for a Molto2 that reports --serial and
    /// --challenge, with the clock at --time. Seed and key bodies show as XX unless --reveal.
    #[arg(long, requires_all = ["serial", "time"])]
    pub dry_run: bool,

    /// With --dry-run: also show the encrypted seed / key bodies.
    #[arg(long, requires = "dry_run")]
    pub reveal: bool,

    /// With --dry-run: the serial number the stand-in Molto2 reports.
    #[arg(long, value_name = "SERIAL", requires = "dry_run")]
    pub serial: Option<String>,

    /// With --dry-run: the 8-byte challenge it answers, as 16 hex digits.
    #[arg(long, value_name = "HEX16", requires = "dry_run")]
    pub challenge: Option<String>,

    /// With --dry-run: its clock and the clock written, in seconds since 1970 (UTC).
    #[arg(long, value_name = "UNIX", requires = "dry_run")]
    pub time: Option<u32>,
}

/// A command about one profile.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The profile number (0–49 on a Molto2, 0–99 on a Molto2v2).
    #[arg(long, value_name = "N")]
    pub profile: u8,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// `kiln molto2 sync-time`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").args(["profile", "all"])))]
pub struct SyncArgs {
    /// Set the clock through this profile only.
    #[arg(long, value_name = "N")]
    pub profile: Option<u8>,

    /// Go through every profile, as Token2's tools do (the default).
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// `kiln molto2 burn`.
#[derive(Debug, Args)]
pub struct Molto2BurnArgs {
    /// The profile number (0–49 on a Molto2, 0–99 on a Molto2v2).
    #[arg(long, value_name = "N", required_unless_present = "from_export")]
    pub profile: Option<u8>,

    /// The title the Molto2 shows: 1 to 12 bytes of UTF-8 (accented letters take 2).
    #[arg(long, value_name = "TEXT", required_unless_present = "from_export")]
    pub title: Option<String>,

    /// The --uri is a Google Authenticator export: burn every account it holds into
    /// consecutive free profiles (titles from the service names), after printing the plan.
    #[arg(long, conflicts_with_all = ["profile", "title", "digits", "replace", "account"])]
    pub from_export: bool,

    /// With --from-export: the first profile to consider (default 0).
    #[arg(long, value_name = "N", requires = "from_export")]
    pub first_profile: Option<u8>,

    #[command(flatten)]
    pub input: AccountArgs,

    /// Code length: 4, 6, 8 or 10 (default: the link's, else 6).
    #[arg(long, value_name = "N")]
    pub digits: Option<u8>,

    /// How long the display stays on, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_display)]
    pub display: DisplayTimeout,

    /// Replace the seed if the profile holds one (it is deleted first). Without it kiln asks,
    /// and with --yes it refuses.
    #[arg(long)]
    pub replace: bool,

    #[command(flatten)]
    pub common: CommonArgs,
}

fn parse_display(text: &str) -> Result<DisplayTimeout, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .and_then(DisplayTimeout::from_seconds)
        .ok_or_else(|| "the display timeout must be 15, 30, 60 or 120 (seconds)".to_string())
}

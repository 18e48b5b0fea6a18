//! `kiln verify`: judge a code typed from a token against the account, with the web app's rule
//! (`kiln_core::otp::judge_typed_code`): ±1 step works, 2–10 steps is a clock that is off, more
//! is a mismatch. No device is involved; the account is read exactly as `kiln burn` reads it.

use std::io::{self, BufRead, IsTerminal, Write};

use kiln_core::otp::{self, CLOCK_OFF_WITHIN_STEPS, CodeVerdict, TotpAccount};
use serde_json::json;
use zeroize::Zeroizing;

use crate::burn_plan::resolve_account;
use crate::cli::VerifyArgs;
use crate::clock;
use crate::exit::{CliError, Exit};
use crate::output::Done;
use crate::secret_input::SecretText;

/// Runs `kiln verify`.
pub fn run(mut args: VerifyArgs) -> Result<Done, CliError> {
    let input = SecretText::from_args(&mut args.input)?;
    let account = resolve_account(&args.input, &input)?;
    let from_stdin = input.from_stdin;
    drop(input);
    let typed = match args.code.take() {
        Some(code) => Zeroizing::new(code),
        None => ask_code(from_stdin)?,
    };
    let now = args.time.unwrap_or_else(clock::now_unix);
    let Some(verdict) = otp::judge_typed_code(
        &account.secret,
        account.algorithm,
        account.period,
        now,
        &typed,
    ) else {
        return Err(CliError::usage(
            "code_format",
            "The code must be the 6 digits the token shows (spaces are fine). Press the token's \
             button and type the code on its display.",
        ));
    };
    Ok(done(&account, verdict, now))
}

fn done(account: &TotpAccount, verdict: CodeVerdict, now: u64) -> Done {
    let period = account.period.seconds();
    let offset = verdict.offset();
    let message = explain(verdict, period);
    let exit = match verdict {
        CodeVerdict::Works { .. } => Exit::Success,
        CodeVerdict::ClockOff { .. } => Exit::ClockOff,
        CodeVerdict::Mismatch => Exit::Mismatch,
    };
    let json = json!({
        "verdict": verdict.code(),
        "offset": offset,
        "offset_seconds": offset.map(|o| o.saturating_mul(i64::try_from(period).unwrap_or(i64::MAX))),
        "time": now,
        "time_utc": clock::iso8601(now),
        "algorithm": account.algorithm.name(),
        "period": period,
        "message": message,
    });
    Done {
        exit,
        json,
        human: message,
    }
}

/// What the verdict means and what to do, in plain sentences.
fn explain(verdict: CodeVerdict, period: u64) -> String {
    match verdict {
        CodeVerdict::Works { offset: 0 } => {
            "The code matches: the token holds this account and its clock is right. It is ready \
             to use."
                .to_string()
        }
        CodeVerdict::Works { offset } => format!(
            "The code matches (it is the {} code, which is normal right around a code change): \
             the token holds this account and its clock is right. It is ready to use.",
            if offset > 0 { "next" } else { "previous" }
        ),
        CodeVerdict::ClockOff { offset } => {
            let seconds = offset.saturating_mul(i64::try_from(period).unwrap_or(i64::MAX));
            format!(
                "The code belongs to this account, but the token's clock is {} steps ({}) \
                 {} this computer's, so websites will reject its codes. Check that this \
                 computer's clock is set automatically and right, then burn the token again \
                 (a burn also sets its clock) and check again.",
                offset.unsigned_abs(),
                span(seconds.unsigned_abs()),
                if offset > 0 { "ahead of" } else { "behind" },
            )
        }
        CodeVerdict::Mismatch => format!(
            "The code does not match this account at any time within {CLOCK_OFF_WITHIN_STEPS} \
             steps of now. Likely causes: a typing mistake (press the button and type the code \
             on the display now); the token holds a different account or the burn did not take \
             (burn it again); a different algorithm or time step than the account's (check \
             --algorithm and --period); or this computer's clock is far off."
        ),
    }
}

/// "90 s" or "6 min".
fn span(seconds: u64) -> String {
    if seconds >= 60 && seconds.is_multiple_of(60) {
        format!("{} min", seconds / 60)
    } else {
        format!("{seconds} s")
    }
}

/// Asks for the code on a terminal; a script must pass `--code`.
fn ask_code(secret_from_stdin: bool) -> Result<Zeroizing<String>, CliError> {
    let stdin = io::stdin();
    if secret_from_stdin || !stdin.is_terminal() {
        return Err(CliError::usage(
            "no_code",
            "Give the code the token shows with --code (kiln asks for it only on a terminal, \
             and not when the secret came from standard input).",
        ));
    }
    let mut err = io::stderr().lock();
    let _ = write!(err, "Type the code the token shows, then press Enter: ");
    let _ = err.flush();
    let mut line = Zeroizing::new(String::new());
    stdin.lock().read_line(&mut line).map_err(|e| {
        CliError::usage(
            "stdin_unreadable",
            format!("Standard input could not be read ({e})."),
        )
    })?;
    Ok(line)
}

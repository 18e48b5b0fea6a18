//! `kiln molto2 burn`: seed, title and settings into one Molto2 profile, in one authenticated
//! session (seed → title → config). A profile that holds a seed is never overwritten silently:
//! kiln asks (or needs `--replace`), and then deletes it first.

use kiln_core::molto2::account::six_digit_form;
use kiln_core::molto2::{Digits, Failure, ProfileSettings, Replace, Session, Title};
use kiln_core::otp::TotpAccount;
use serde_json::json;

use super::molto2::{customer_key, execute, finish, profile};
use super::molto2_args::Molto2BurnArgs;
use crate::burn_plan::resolve_account;
use crate::cli::AccountArgs;
use crate::confirm;
use crate::exit::CliError;
use crate::output::{Done, Output};
use crate::secret_input::{SecretText, SourceKind};

/// Runs `kiln molto2 burn`.
pub fn run(mut args: Molto2BurnArgs, output: Output) -> Result<Done, CliError> {
    if args.from_export {
        return super::molto2_export::run(args, output);
    }
    let (Some(number), Some(title)) = (args.profile, args.title.as_deref()) else {
        return Err(CliError::usage(
            "no_profile",
            "Say where to burn with --profile N and --title TEXT (or use --from-export).",
        ));
    };
    let number = profile(number)?;
    let title = Title::new(title).map_err(|e| CliError::usage("bad_title", e.to_string()))?;
    let input = SecretText::from_args(&mut args.input)?;
    let (account, digits) = resolve_for_molto2(&args.input, &input, args.digits)?;
    let settings = ProfileSettings {
        algorithm: account.algorithm,
        period: account.period,
        digits,
        display: args.display,
    };
    let key = customer_key(&args.common, input.from_stdin)?;
    let common = &args.common;
    output.note(&format!(
        "Profile:   {number} \"{title}\"\nSettings:  {}, {} digits, new code every {}; display \
         stays on {}",
        settings.algorithm,
        digits.count(),
        settings.period,
        settings.display
    ));
    let ask = !common.yes && !common.dry_run;
    if ask && !confirm::ask(&format!("Burn into profile {number}?"), input.from_stdin)? {
        return Err(CliError::cancelled());
    }
    let replace = if args.replace {
        Replace::Confirmed
    } else {
        Replace::No
    };
    let build = |replace| {
        Session::burn(
            &key,
            number,
            &account.secret,
            title.clone(),
            settings,
            replace,
        )
        .map_err(|e| CliError::not_burnable("seed_rejected", e.to_string()))
    };
    let mut ran = execute(common, build(replace)?)?;
    if let Some(Failure::ProfileOccupied { title: old, .. }) = &ran.report.failure
        && ask
    {
        // Nothing was written: the session stopped after reading the profile.
        let question = format!("Profile {number} holds \"{old}\". Delete it and burn the new one?");
        if !confirm::ask(&question, input.from_stdin)? {
            return Err(CliError::cancelled());
        }
        ran = execute(common, build(Replace::Confirmed)?)?;
    }
    let human = ran.report.summary();
    let extra = json!({
        "profile": number.get(),
        "title": title.as_str(),
        "settings": {
            "algorithm": settings.algorithm.name(),
            "period": settings.period.seconds(),
            "digits": digits.count(),
            "display": settings.display.seconds(),
        },
    });
    finish(&ran, extra, &human)
}

/// The account and its code length on a Molto2: links may say 4, 6, 8 or 10 digits (the
/// classifier alone refuses all but 6, the single-profile rule); `--digits` must agree with a
/// link and sets the length for a bare secret.
fn resolve_for_molto2(
    args: &AccountArgs,
    input: &SecretText,
    option: Option<u8>,
) -> Result<(TotpAccount, Digits), CliError> {
    let wanted = match option {
        Some(n) => Some(Digits::from_count(n).ok_or_else(|| {
            CliError::usage("bad_digits", "A Molto2 shows 4, 6, 8 or 10 digits.")
        })?),
        None => None,
    };
    let (account, from_link) = match resolve_account(args, input) {
        Ok(account) => (account, None),
        Err(error) if error.fields.get("reason") == Some(&json!("digits")) => {
            let Some((six, digits)) = input.link_text().and_then(six_digit_form) else {
                return Err(error);
            };
            let mut relinked = AccountArgs {
                uri: Some(six.to_string()),
                secret: None,
                hex: None,
                account: args.account,
                algorithm: args.algorithm,
                period: args.period,
            };
            let again = SecretText::from_args(&mut relinked)?;
            (resolve_account(&relinked, &again)?, Some(digits))
        }
        Err(error) => return Err(error),
    };
    let is_link = input.kind == SourceKind::Uri;
    let link_digits = from_link.unwrap_or(Digits::D6);
    let digits = match wanted {
        None if is_link => link_digits,
        None => Digits::D6,
        Some(d) if !is_link || d == link_digits => d,
        Some(d) => {
            return Err(CliError::usage(
                "settings_conflict",
                format!(
                    "--digits {} contradicts the link, which uses {} digits. Remove --digits.",
                    d.count(),
                    link_digits.count()
                ),
            ));
        }
    };
    Ok((account, digits))
}

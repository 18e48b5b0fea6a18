//! `kiln molto2 burn`: seed, title and settings into one Molto2 profile, in one authenticated
//! session (seed → title → config). A profile that holds a seed is never overwritten silently:
//! kiln asks (or needs `--replace`), and then deletes it first.

use kiln_core::molto2::account::profile_digits;
use kiln_core::molto2::{Digits, Failure, ProfileSettings, Replace, Session, Title};
use kiln_core::otp::{Target, TotpAccount};
use serde_json::json;

use super::molto2::{customer_key, execute, finish, profile};
use super::molto2_args::Molto2BurnArgs;
use crate::burn_plan::resolve_account_for;
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

/// The account, classified for a Molto2 (a link or an export may say 4, 6, 8 or 10 digits),
/// and its code length: `--digits` must agree with a link and sets the length for a bare
/// secret.
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
    let mut account = resolve_account_for(args, input, Target::Molto2)?;
    let own = profile_digits(&account).map_err(|refusal| {
        CliError::not_burnable("refused", refusal.advice.clone()).with_fields(json!({
            "kind": "refused",
            "reason": refusal.reason.code(),
            "advice": refusal.advice,
        }))
    })?;
    let is_link = input.kind == SourceKind::Uri;
    let digits = match wanted {
        None => own,
        Some(d) if !is_link || d == own => d,
        Some(d) => {
            return Err(CliError::usage(
                "settings_conflict",
                format!(
                    "--digits {} contradicts the link, which uses {} digits. Remove --digits.",
                    d.count(),
                    own.count()
                ),
            ));
        }
    };
    account.digits = digits.count();
    Ok((account, digits))
}

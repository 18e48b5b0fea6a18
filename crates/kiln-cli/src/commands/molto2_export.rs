//! `kiln molto2 burn --from-export --uri -`: every account of a Google Authenticator export
//! into consecutive free profiles. The profiles are read first (no authentication), the plan is
//! printed and confirmed before anything is written, then each account is burned in its own
//! authenticated session into a profile that was free, stopping at the first that does not
//! succeed. The export is classified for a Molto2, so 8-digit accounts are burned with 8 digits;
//! accounts a Molto2 cannot take are listed as skipped, with the reason.

use kiln_core::molto2::account::profile_digits;
use kiln_core::molto2::settings::fitting_prefix;
use kiln_core::molto2::{Digits, ProfileNumber, ProfileSettings, Replace, Session, Title};
use kiln_core::otp::{Classification, MigrationAccount, Target, TotpAccount};
use serde_json::{Value, json};

use super::molto2::{Ran, customer_key, execute, exit_for, failure_code, report_json};
use super::molto2_args::Molto2BurnArgs;
use crate::confirm;
use crate::exit::{CliError, Exit};
use crate::output::{Done, Output};
use crate::secret_input::{SecretText, SourceKind};

/// One account of the plan: where it goes and what it is burned with.
struct Planned<'a> {
    number: ProfileNumber,
    title: Title,
    /// The export's entry (position and names, for the plan).
    source: &'a MigrationAccount,
    /// The burnable account, classified for a Molto2.
    account: &'a TotpAccount,
    digits: Digits,
}

/// Runs the export burn.
pub fn run(mut args: Molto2BurnArgs, output: Output) -> Result<Done, CliError> {
    let input = SecretText::from_args(&mut args.input)?;
    if input.kind != SourceKind::Uri {
        return Err(not_an_export());
    }
    let Classification::Migration(export) = input.classify_for(Target::Molto2)? else {
        return Err(not_an_export());
    };
    let key = customer_key(&args.common, input.from_stdin)?;
    let common = &args.common;
    let first = args.first_profile.unwrap_or(0);

    let listed = execute(common, Session::list())?;
    if exit_for(&listed.report) != Exit::Success {
        return Err(error_of(&listed, json!({})));
    }
    let serial = listed.report.info.as_ref().map(|i| i.serial.clone());
    let mut free = listed
        .report
        .profiles
        .iter()
        .filter(|(n, r)| !r.occupied && n.get() >= first)
        .map(|(n, _)| *n);
    let (burnable, skipped): (Vec<&MigrationAccount>, Vec<&MigrationAccount>) =
        export.accounts.iter().partition(|a| a.supported.is_ok());
    let mut plan: Vec<Planned> = Vec::new();
    for account in &burnable {
        let Ok(totp) = &account.supported else {
            continue; // partitioned above
        };
        let Some(number) = free.next() else {
            return Err(CliError::device(
                "not_enough_profiles",
                format!(
                    "The export has {} account(s) to burn, but this Molto2 has fewer free \
                     profiles from {first} on. Delete profiles or choose --first-profile. \
                     Nothing was written.",
                    burnable.len()
                ),
            ));
        };
        let digits = profile_digits(totp)
            .map_err(|refusal| CliError::not_burnable("refused", refusal.advice))?;
        plan.push(Planned {
            number,
            title: title_for(account)?,
            source: account,
            account: totp,
            digits,
        });
    }
    let plan_json: Vec<Value> = plan
        .iter()
        .map(|p| {
            json!({
                "profile": p.number.get(),
                "title": p.title.as_str(),
                "account": p.source.index,
                "digits": p.digits.count(),
            })
        })
        .collect();
    let skipped_json: Vec<Value> = skipped
        .iter()
        .map(|a| {
            let reason = a.supported.as_ref().err().map(|r| r.reason.code());
            json!({"account": a.index, "issuer": a.issuer, "reason": reason})
        })
        .collect();
    let mut text = String::from("Plan:\n");
    for p in &plan {
        text.push_str(&format!(
            "  profile {:>2}  \"{}\"  (account {}: {}, {} digits)\n",
            p.number.get(),
            p.title,
            p.source.index,
            p.source.account,
            p.digits.count()
        ));
    }
    for a in &skipped {
        let why = a.supported.as_ref().err().map_or("", |r| r.advice.as_str());
        text.push_str(&format!(
            "  skipped account {} ({}): {why}\n",
            a.index, a.issuer
        ));
    }
    output.note(text.trim_end());
    if !common.yes && !common.dry_run && !confirm::ask("Burn this plan?", input.from_stdin)? {
        return Err(CliError::cancelled());
    }

    let mut results: Vec<Value> = Vec::new();
    let mut apdus: Vec<Value> = listed
        .apdus
        .iter()
        .flatten()
        .map(|a| json!(a.as_str()))
        .collect();
    for p in &plan {
        let settings = ProfileSettings {
            algorithm: p.account.algorithm,
            period: p.account.period,
            digits: p.digits,
            display: args.display,
        };
        let mut session = Session::burn(
            &key,
            p.number,
            &p.account.secret,
            p.title.clone(),
            settings,
            Replace::No,
        )
        .map_err(|e| CliError::not_burnable("seed_rejected", e.to_string()))?;
        if let Some(serial) = &serial {
            session = session.expect_serial(serial.clone());
        }
        let ran = execute(common, session)?;
        apdus.extend(ran.apdus.iter().flatten().map(|a| json!(a.as_str())));
        let mut result = report_json(&ran.report);
        if let Value::Object(map) = &mut result {
            map.insert("profile".to_string(), json!(p.number.get()));
            map.insert("title".to_string(), json!(p.title.as_str()));
        }
        results.push(result);
        if exit_for(&ran.report) != Exit::Success {
            let extra = json!({"plan": plan_json, "skipped": skipped_json, "results": results});
            return Err(error_of(&ran, extra));
        }
    }
    let profiles: Vec<String> = plan.iter().map(|p| p.number.to_string()).collect();
    let mut human = String::new();
    for apdu in &apdus {
        human.push_str(apdu.as_str().unwrap_or_default());
        human.push('\n');
    }
    human.push_str(&format!(
        "{} {} account(s) into profiles {}.",
        if common.dry_run {
            "Dry run: would burn"
        } else {
            "Burned"
        },
        plan.len(),
        profiles.join(", ")
    ));
    let mut doc = json!({
        "outcome": "success",
        "serial": serial,
        "plan": plan_json,
        "skipped": skipped_json,
        "results": results,
    });
    if common.dry_run
        && let Value::Object(map) = &mut doc
    {
        map.insert("apdus".to_string(), Value::Array(apdus));
    }
    Ok(Done::success(doc, human))
}

/// The service name (else the account name) cut to what a Molto2 shows; "Account N" when
/// neither gives a title.
fn title_for(account: &MigrationAccount) -> Result<Title, CliError> {
    let name = if account.issuer.trim().is_empty() {
        &account.account
    } else {
        &account.issuer
    };
    let clean: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let fallback = format!("Account {}", account.index);
    Title::new(fitting_prefix(clean.trim()))
        .or_else(|_| Title::new(fitting_prefix(&fallback)))
        .map_err(|e| CliError::not_burnable("bad_title", e.to_string()))
}

fn not_an_export() -> CliError {
    CliError::usage(
        "not_an_export",
        "--from-export needs a Google Authenticator export link (otpauth-migration://) \
         given with --uri.",
    )
}

fn error_of(ran: &Ran, extra: Value) -> CliError {
    let mut json = report_json(&ran.report);
    if let (Value::Object(map), Value::Object(more)) = (&mut json, extra) {
        map.extend(more);
    }
    CliError::new(
        exit_for(&ran.report),
        failure_code(&ran.report),
        ran.report.summary(),
    )
    .with_fields(json)
}

//! From the burn options to exactly what will be burned: classify the input with the web app's
//! classifier, refuse anything that is not a TOTP account the token can take (with the
//! classifier's advice), and settle the settings without ever silently overriding the link.

use kiln_core::otp::{Classification, SecretSource, Target, TotpAccount};
use kiln_core::token::TokenSettings;
use kiln_core::{Algorithm, DisplayTimeout, Period};
use serde_json::{Value, json};

use crate::cli::AccountArgs;
use crate::exit::CliError;
use crate::inspect_json;
use crate::secret_input::SecretText;

/// One account and the settings it will be burned with.
pub struct BurnPlan {
    /// The account (holds the secret, wiped on drop).
    pub account: TotpAccount,
    /// Algorithm, period and display timeout for WRITE CONFIG.
    pub settings: TokenSettings,
}

impl BurnPlan {
    /// Classifies the input and applies the options.
    pub fn new(
        args: &AccountArgs,
        display: DisplayTimeout,
        input: &SecretText,
    ) -> Result<BurnPlan, CliError> {
        let account = resolve_account(args, input)?;
        Ok(BurnPlan {
            settings: TokenSettings {
                algorithm: account.algorithm,
                period: account.period,
                display,
            },
            account,
        })
    }

    /// The account and settings, without the secret, for JSON.
    pub fn describe_json(&self) -> Value {
        json!({
            "issuer": self.account.issuer,
            "label_issuer": self.account.label_issuer,
            "account": self.account.account,
            "algorithm": self.settings.algorithm.name(),
            "digits": self.account.digits,
            "period": self.settings.period.seconds(),
            "display": self.settings.display.seconds(),
            "secret_len": self.account.secret.len(),
        })
    }

    /// The account and settings, without the secret, for people.
    pub fn describe(&self) -> String {
        let a = &self.account;
        let service = a.service().unwrap_or_else(|| "(not named)".to_string());
        let account = if a.account.is_empty() {
            "(not named)"
        } else {
            &a.account
        };
        format!(
            "Service:   {service}\nAccount:   {account}\nSettings:  {}, {} digits, new code every \
             {}; display stays on {}",
            self.settings.algorithm, a.digits, self.settings.period, self.settings.display,
        )
    }
}

/// The account the input names, with the algorithm and period the options settle (`kiln burn`
/// and `kiln verify` take the same input, so they agree on what the account is).
pub fn resolve_account(args: &AccountArgs, input: &SecretText) -> Result<TotpAccount, CliError> {
    resolve_account_for(args, input, Target::SingleProfile)
}

/// [`resolve_account`] for the `target` token (`kiln molto2 burn`: a Molto2 takes more code
/// lengths).
pub fn resolve_account_for(
    args: &AccountArgs,
    input: &SecretText,
    target: Target,
) -> Result<TotpAccount, CliError> {
    let classification = input.classify_for(target)?;
    let mut account = pick_account(classification, args.account)?;
    let from_link = matches!(account.source, SecretSource::Uri | SecretSource::Migration);
    account.algorithm = settle(
        "--algorithm",
        args.algorithm.map(Algorithm::from),
        account.algorithm,
        from_link,
        Algorithm::name,
    )?;
    account.period = settle(
        "--period",
        args.period,
        account.period,
        from_link,
        |p: Period| match p {
            Period::S30 => "30",
            Period::S60 => "60",
        },
    )?;
    Ok(account)
}

/// The burnable account in a classification, or the classifier's reason why there is none.
fn pick_account(
    classification: Classification,
    wanted: Option<usize>,
) -> Result<TotpAccount, CliError> {
    match classification {
        Classification::Totp(account) => match wanted {
            None => Ok(account),
            Some(_) => Err(CliError::usage(
                "account_without_export",
                "--account only applies to a Google Authenticator export link \
                 (otpauth-migration://); this input holds a single account.",
            )),
        },
        Classification::Migration(export) => {
            let Some(index) = wanted else {
                let message = format!(
                    "This is a Google Authenticator export with {} account(s). A token holds \
                     one: choose it with --account N (list them with `kiln inspect`).",
                    export.accounts.len()
                );
                let summary =
                    inspect_json::classification_json(&Classification::Migration(export), false);
                return Err(CliError::not_burnable("choose_account", message).with_fields(summary));
            };
            let Some(chosen) = export.accounts.into_iter().find(|a| a.index == index) else {
                return Err(CliError::usage(
                    "no_such_account",
                    format!("This export has no account number {index} (see `kiln inspect`)."),
                ));
            };
            chosen.supported.map_err(|refusal| {
                CliError::not_burnable("refused", refusal.advice.clone()).with_fields(json!({
                    "kind": "refused",
                    "reason": refusal.reason.code(),
                    "advice": refusal.advice,
                }))
            })
        }
        other => {
            let fields = inspect_json::classification_json(&other, false);
            let (code, message) = match &other {
                Classification::NotASecret(n) => ("not_a_secret", n.advice.clone()),
                Classification::Refused(r) => ("refused", r.advice.clone()),
                Classification::Invalid(e) => ("invalid", e.to_string()),
                Classification::Totp(_) | Classification::Migration(_) => {
                    ("invalid", String::new()) // handled above
                }
            };
            Err(CliError::not_burnable(code, message).with_fields(fields))
        }
    }
}

/// The value to burn: the option when the input does not fix one; the input's value when both
/// agree; a usage error when an option contradicts a link (codes would not match the website).
fn settle<T: Copy + PartialEq>(
    option: &str,
    given: Option<T>,
    from_input: T,
    input_is_link: bool,
    name: impl Fn(T) -> &'static str,
) -> Result<T, CliError> {
    match given {
        None => Ok(from_input),
        Some(value) if !input_is_link || value == from_input => Ok(value),
        Some(value) => Err(CliError::usage(
            "settings_conflict",
            format!(
                "{option} {} contradicts the link, which uses {} (a link that does not name it \
                 means the standard SHA1 and 30 s). The website computes its codes with the \
                 link's value, so a token set otherwise would show wrong codes. Remove {option}.",
                name(value),
                name(from_input),
            ),
        )),
    }
}

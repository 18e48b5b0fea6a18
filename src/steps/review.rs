//! Step 2: what Kiln read — the account as the token will use it, an account picker for Google
//! Authenticator exports, or the reason it cannot be burned and what to do instead.

use kiln_core::DisplayTimeout;
use kiln_core::otp::{
    Classification, MigrationExport, NotASecretKind, RefusalReason, TotpAccount, account_label,
};
use leptos::prelude::*;

use crate::components::{MaskedSecret, Notice, PhoneQr, StepSection, Tone};
use crate::state::{WizardStep, use_app};

/// Step 2.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let state = use_app();
    let kind = move || {
        state
            .classification
            .with(|c| c.as_ref().map_or("invalid", |c| c.kind()))
    };
    view! {
        <StepSection title="Check what Kiln read">
            <div data-testid="classification" data-kind=kind>
                {move || state.classification.get().map(|c| match c {
                    Classification::Totp(account) => view! { <AccountReview account=account/> }.into_any(),
                    Classification::Migration(export) => view! { <ExportPicker export=export/> }.into_any(),
                    Classification::NotASecret(not) => {
                        let title = not_a_secret_title(not.what);
                        view! {
                            <Notice tone=Tone::Warning title=title>
                                <p data-testid="classification-advice">{not.advice.clone()}</p>
                            </Notice>
                            <TryAgain/>
                        }.into_any()
                    }
                    Classification::Refused(refusal) => view! {
                        <Notice tone=Tone::Error title=refusal_title(refusal.reason)>
                            <p data-testid="classification-advice" data-reason=refusal.reason.code()>
                                {refusal.advice.clone()}
                            </p>
                        </Notice>
                        <TryAgain/>
                    }.into_any(),
                    Classification::Invalid(error) => view! {
                        <Notice tone=Tone::Error title="Kiln could not read this">
                            <p data-testid="classification-advice">{error.to_string()}</p>
                        </Notice>
                        <TryAgain/>
                    }.into_any(),
                })}
            </div>
        </StepSection>
    }
}

fn not_a_secret_title(what: NotASecretKind) -> &'static str {
    match what {
        NotASecretKind::PhoneFactor => {
            "This is Microsoft Authenticator’s push-notification QR code"
        }
        NotASecretKind::MsaLink => "This is a Microsoft Authenticator sign-in link",
        NotASecretKind::Fido => "This is a passkey QR code",
        NotASecretKind::SerialBarcode => "This is the token’s own serial number",
        NotASecretKind::Url => "This is a web link, not a secret",
        NotASecretKind::OtherOtpLink => "This is a different kind of one-time-password link",
        NotASecretKind::Number => "This is a number, not a secret",
        NotASecretKind::Text => "This is not a secret",
    }
}

fn refusal_title(reason: RefusalReason) -> &'static str {
    match reason {
        RefusalReason::Hotp => "Counter-based (HOTP) accounts cannot be burned",
        RefusalReason::Steam => "Steam Guard codes cannot be burned",
        RefusalReason::Algorithm => "The token does not support this algorithm",
        RefusalReason::Digits => "The token shows 6-digit codes only",
        RefusalReason::Period => "The token changes codes every 30 or 60 seconds only",
        RefusalReason::TooShort => "This secret is too short",
        RefusalReason::TooLong => "This secret is too long for the token",
    }
}

/// Back to step 1.
#[component]
fn TryAgain() -> impl IntoView {
    let state = use_app();
    view! {
        <div class="actions">
            <button type="button" class="button button-primary" on:click=move |_| state.go(WizardStep::Secret)>
                "Use another QR code or secret"
            </button>
        </div>
    }
}

/// The account details, the display setting and the way on.
#[component]
fn AccountReview(account: TotpAccount) -> impl IntoView {
    let state = use_app();
    view! {
        <p class="lead">"This is what the token will hold. Codes are checked against it before and after burning."</p>
        <AccountDetails account=account/>
        <DisplaySetting/>
        <PhoneQr/>
        <div class="actions">
            <button type="button" class="button" on:click=move |_| state.go(WizardStep::Secret)>"Back"</button>
            <button type="button" class="button button-primary" data-testid="review-continue"
                on:click=move |_| state.go(WizardStep::Preview)>
                "Looks right — continue"
            </button>
        </div>
    }
}

/// Issuer, account, algorithm, digits, period and the masked secret.
#[component]
pub fn AccountDetails(
    /// The account that will be burned.
    account: TotpAccount,
) -> impl IntoView {
    let issuer = account.issuer.clone().unwrap_or_else(|| "—".to_string());
    let label_note = account
        .label_issuer
        .clone()
        .filter(|label| Some(label) != account.issuer.as_ref())
        .map(|label| view! { <p class="hint">{format!("The QR code’s label also names “{label}” (often the organisation).")}</p> });
    let name = if account.account.is_empty() {
        "—".to_string()
    } else {
        account.account.clone()
    };
    view! {
        <dl class="facts">
            <div><dt>"Service"</dt><dd data-testid="account-issuer">{issuer}</dd></div>
            <div><dt>"Account"</dt><dd data-testid="account-name">{name}</dd></div>
            <div><dt>"Algorithm"</dt><dd data-testid="account-algorithm">{account.algorithm.name()}</dd></div>
            <div><dt>"Digits"</dt><dd data-testid="account-digits">{account.digits}</dd></div>
            <div><dt>"Period"</dt><dd data-testid="account-period" data-seconds=account.period.seconds()>{format!("{} seconds", account.period.seconds())}</dd></div>
        </dl>
        {label_note}
        <h3 class="subhead">"Secret"</h3>
        <MaskedSecret secret=account.secret.clone()/>
    }
}

/// How long the token's display stays on.
#[component]
pub fn DisplaySetting() -> impl IntoView {
    let state = use_app();
    view! {
        <div class="field">
            <label for="display-timeout">"Display stays on for"</label>
            <select
                id="display-timeout"
                data-testid="display-timeout"
                on:change=move |ev| {
                    let seconds = event_target_value(&ev).parse().unwrap_or(30);
                    state.display.set(DisplayTimeout::from_seconds(seconds).unwrap_or_default());
                }
            >
                {DisplayTimeout::ALL.into_iter().map(|d| view! {
                    <option value=d.seconds() selected=move || state.display.get() == d>
                        {format!("{} seconds", d.seconds())}
                    </option>
                }).collect_view()}
            </select>
            <p class="hint">"After you press the token’s button. Longer is easier to read, shorter saves battery."</p>
        </div>
    }
}

/// Google Authenticator export: pick the account to burn.
#[component]
fn ExportPicker(export: MigrationExport) -> impl IntoView {
    let state = use_app();
    let batch = export
        .batch
        .map(|b| format!(" This is QR code {} of {} of the export.", b.index, b.size))
        .unwrap_or_default();
    let count = export.accounts.len();
    let supported = export
        .accounts
        .iter()
        .filter(|a| a.supported.is_ok())
        .count();
    view! {
        <Notice tone=Tone::Info title="This is a Google Authenticator export">
            <p>{format!(
                "It holds {count} account{}; the token can take {supported} of them.{batch} A token holds one account: choose the one to burn.",
                if count == 1 { "" } else { "s" }
            )}</p>
        </Notice>
        <fieldset class="account-list" data-testid="migration-accounts">
            <legend>"Accounts in this export"</legend>
            {export.accounts.into_iter().map(|entry| {
                let id = format!("migration-{}", entry.index);
                let label = account_label(&entry.issuer, &entry.account);
                match entry.supported {
                    Ok(account) => {
                        let chosen = account.clone();
                        let checked_account = account.clone();
                        view! {
                            <div class="account-option">
                                <input type="radio" name="migration-account" id=id.clone()
                                    data-testid=format!("migration-account-{}", entry.index)
                                    checked=move || state.account.with(|a| a.as_ref() == Some(&checked_account))
                                    on:change=move |_| state.account.set(Some(chosen.clone()))/>
                                <label for=id>
                                    <span class="account-label">{label}</span>
                                    <span class="hint">{format!("{} · {} digits · {} s", entry.algorithm, entry.digits, entry.period)}</span>
                                </label>
                            </div>
                        }.into_any()
                    }
                    Err(refusal) => view! {
                        <div class="account-option is-unsupported">
                            <input type="radio" name="migration-account" id=id.clone() disabled=true
                                data-testid=format!("migration-account-{}", entry.index)/>
                            <label for=id>
                                <span class="account-label">{label}</span>
                                <span class="hint" data-reason=refusal.reason.code()>{refusal.advice.clone()}</span>
                            </label>
                        </div>
                    }.into_any(),
                }
            }).collect_view()}
        </fieldset>
        {move || state.account.get().map(|account| view! {
            <AccountDetails account=account/>
            <DisplaySetting/>
            <PhoneQr/>
        })}
        <div class="actions">
            <button type="button" class="button" on:click=move |_| state.go(WizardStep::Secret)>"Back"</button>
            <button type="button" class="button button-primary" data-testid="review-continue"
                disabled=move || state.account.with(Option::is_none)
                on:click=move |_| state.go(WizardStep::Preview)>
                "Continue with this account"
            </button>
        </div>
    }
}

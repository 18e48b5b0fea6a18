//! Several QR codes in one picture or camera frame: when more than one could be burned, the
//! user chooses; Kiln never silently takes the first.

use kiln_core::otp::{self, Classification, account_label};
use leptos::prelude::*;

use crate::components::{Notice, Tone};
use crate::state::{AppState, WizardStep, use_app};

/// Classifies what was read and moves on to the review.
pub fn accept(state: AppState, classification: Classification) {
    state.account.set(match &classification {
        Classification::Totp(account) => Some(account.clone()),
        _ => None,
    });
    state.classification.set(Some(classification));
    state.go(WizardStep::Review);
}

fn burnable(classification: &Classification) -> bool {
    matches!(
        classification,
        Classification::Totp(_) | Classification::Migration(_)
    )
}

/// Takes the QR payloads of one picture or frame. One burnable code (an account or an export)
/// is accepted; several go to `choices` for the user to pick from; with none, the first
/// payload is accepted (the review explains what it is). Identical codes count once. The
/// payloads are wiped afterwards: any may hold a secret.
pub fn accept_payloads(
    state: AppState,
    payloads: Vec<String>,
    choices: RwSignal<Vec<Classification>>,
) {
    let payloads = zeroize::Zeroizing::new(payloads);
    let mut classified: Vec<Classification> = payloads
        .iter()
        .enumerate()
        .filter(|(index, payload)| !payloads[..*index].contains(payload))
        .map(|(_, payload)| otp::classify(payload))
        .collect();
    let burnable_count = classified.iter().filter(|c| burnable(c)).count();
    match burnable_count {
        0 if !classified.is_empty() => accept(state, classified.swap_remove(0)),
        0 => {}
        1 => {
            if let Some(one) = classified.into_iter().find(burnable) {
                accept(state, one);
            }
        }
        _ => choices.set(classified.into_iter().filter(burnable).collect()),
    }
}

/// How a candidate is named in the choice: issuer and account, or what an export holds.
fn describe(classification: &Classification) -> String {
    match classification {
        Classification::Totp(account) => {
            // The issuer alone: `TotpAccount::label` would add the label's prefix where it
            // differs ("Microsoft (Some Company)"), which this list has never shown.
            let label = account_label(account.issuer.as_deref().unwrap_or(""), &account.account);
            if label.is_empty() {
                "An account without a name".to_string()
            } else {
                label
            }
        }
        Classification::Migration(export) => {
            let names: Vec<String> = export
                .accounts
                .iter()
                .map(|a| account_label(&a.issuer, &a.account))
                .collect();
            format!("Google Authenticator export: {}", names.join(", "))
        }
        _ => "Not an account".to_string(),
    }
}

/// The list of burnable codes found together; choosing one moves on to the review.
#[component]
pub fn QrChoice(
    /// The burnable codes found together; emptied once one is chosen.
    choices: RwSignal<Vec<Classification>>,
) -> impl IntoView {
    let state = use_app();
    let list_ref = NodeRef::<leptos::html::Div>::new();
    // After a camera scan the page may be scrolled down to the preview: bring the choice up.
    Effect::new(move || {
        if let Some(list) = list_ref.get() {
            list.scroll_into_view();
        }
    });
    view! {
        <Show when=move || choices.with(|c| c.len() > 1)>
            <div class="qr-choice" data-testid="qr-choice" node_ref=list_ref>
                <Notice tone=Tone::Info title="This picture holds several QR codes">
                    <p>{move || format!("Kiln found {} codes it could burn. A token holds one account: choose which.", choices.with(Vec::len))}</p>
                </Notice>
                <ul class="choice-list" aria-label="QR codes found">
                    {move || choices.get().into_iter().enumerate().map(|(index, candidate)| {
                        let label = describe(&candidate);
                        view! {
                            <li>
                                <button type="button" class="button choice-button" data-testid=format!("qr-choice-{index}")
                                    on:click=move |_| {
                                        choices.set(Vec::new());
                                        accept(state, candidate.clone());
                                    }>
                                    {label}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

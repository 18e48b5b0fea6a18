//! The confirmation before a profile's seed is deleted: it cannot be undone.

use leptos::prelude::*;

use crate::components::{Notice, Tone};
use crate::molto2::panel::{self, Molto2State};

/// "Profile 3 'GitHub' will be erased; this cannot be undone", with Erase and Cancel.
#[component]
pub fn EraseConfirm(
    /// The panel's state.
    molto2: Molto2State,
) -> impl IntoView {
    let asked = molto2.delete_asked;
    move || {
        asked.get().map(|(number, title)| {
            let named = if title.is_empty() {
                format!("Profile {number}")
            } else {
                format!("Profile {number} \u{2018}{title}\u{2019}")
            };
            view! {
                <div data-testid="molto2-erase-confirm" data-profile=number.to_string()>
                    <Notice tone=Tone::Warning title="Erase this profile?">
                        <p>{format!("{named} will be erased; this cannot be undone. Its codes stop working, so sign in with another method first if you still need them.")}</p>
                        <div class="actions actions-start">
                            <button type="button" class="button button-danger" data-testid="molto2-erase-yes"
                                on:click=move |_| panel::delete(molto2, number)>
                                {format!("Erase profile {number}")}
                            </button>
                            <button type="button" class="button" data-testid="molto2-erase-no"
                                on:click=move |_| asked.set(None)>
                                "Cancel"
                            </button>
                        </div>
                    </Notice>
                </div>
            }
        })
    }
}

//! The profile table: number, title, algorithm, period, digits, occupied, and what can be done
//! with each profile (burn into a free one, erase an occupied one, set the clock through it).

use leptos::prelude::*;

use super::burn_form::default_title;
use crate::molto2::panel::{self, Activity, Molto2State};
use crate::molto2::table::ProfileRow;
use crate::state::use_app;

/// The table of the Molto2 last read.
#[component]
pub fn ProfileTableView(
    /// The panel's state.
    molto2: Molto2State,
) -> impl IntoView {
    let state = use_app();
    let busy = move || molto2.activity.get() != Activity::Idle;
    let choose = move |number: u8| {
        let title = state
            .account
            .with_untracked(|a| a.as_ref().map(default_title))
            .unwrap_or_default();
        molto2.title.set(title);
        molto2.delete_asked.set(None);
        molto2.burn_into.set(Some(number));
    };
    let ask_erase = move |row: &ProfileRow| {
        molto2.burn_into.set(None);
        molto2
            .delete_asked
            .set(Some((row.number, row.title.clone())));
    };
    let rows = move || {
        molto2
            .table
            .with(|t| t.as_ref().map(|t| t.rows.clone()).unwrap_or_default())
    };
    view! {
        <Show when=move || molto2.table.with(Option::is_some)>
            <div class="molto2-table-wrap" tabindex="0" role="region" aria-label="The Molto2's profiles">
            <table class="molto2-profiles" data-testid="molto2-table"
                data-serial=move || molto2.serial().unwrap_or_default()>
                <thead><tr>
                    <th>"#"</th><th>"Title"</th><th>"Algorithm"</th><th>"Period"</th>
                    <th>"Digits"</th><th>"Occupied"</th><th>"Actions"</th>
                </tr></thead>
                <tbody>
                    <For each=rows key=|row| row.clone() let:row>
                        <tr data-testid="molto2-profile" data-number=row.number.to_string()
                            data-occupied=row.occupied.to_string() data-title=row.title.clone()>
                            <td>{row.number}</td>
                            <td>{row.title.clone()}</td>
                            <td>{row.algorithm.clone()}</td>
                            <td>{format!("{} s", row.period)}</td>
                            <td>{row.digits}</td>
                            <td>{if row.occupied { "yes" } else { "no" }}</td>
                            <td class="molto2-actions">
                                {if row.occupied {
                                    let row = row.clone();
                                    view! {
                                        <button type="button" class="button button-small" data-testid="molto2-erase"
                                            disabled=busy on:click=move |_| ask_erase(&row)>"Erase…"</button>
                                    }.into_any()
                                } else {
                                    let number = row.number;
                                    view! {
                                        <button type="button" class="button button-small" data-testid="molto2-choose"
                                            disabled=busy on:click=move |_| choose(number)>"Burn here…"</button>
                                    }.into_any()
                                }}
                                {row.occupied.then(|| {
                                    let number = row.number;
                                    view! {
                                        <button type="button" class="button button-small" data-testid="molto2-sync"
                                            disabled=busy on:click=move |_| panel::sync_time(molto2, Some(number))>
                                            "Set clock"
                                        </button>
                                    }
                                })}
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
            </div>
        </Show>
    }
}

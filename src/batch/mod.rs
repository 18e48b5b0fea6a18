//! The Batch screen's state and logic: many tokens in a row for an organisation. The decisions
//! and files come from kiln-core's `fleet` (the same as `kiln batch`); this module keeps the
//! batch in memory (never in storage), runs one token at a time over the open reader, and
//! turns the ledger into rows the views show (without secrets).
//!
//! * `plan` — the settings form, checked into kiln-core's `BatchPlan`;
//! * `run` — one token: identify, decide (kiln-core's `fleet::decide`), burn, record; `check` —
//!   the optional typed code;
//! * `exports` — the files; `passphrase` — for encrypted ones; `rows` — the table; `view` —
//!   the components.

pub mod check;
pub mod exports;
pub mod passphrase;
pub mod plan;
pub mod rows;
pub mod run;
pub mod view;

use kiln_core::fleet::{AttemptId, BatchPlan, Ledger};
use leptos::prelude::*;

use crate::components::Tone;
use plan::{SetupForm, SetupRefused};
use rows::RowView;

/// Where the loop is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the operator to put a token on the reader and press the button.
    Ready,
    /// Talking to the token.
    Working,
    /// The token was burned earlier in this batch: skip it, or burn it again with a new seed.
    SeenEarlier {
        /// Its serial.
        serial: String,
        /// Its current row.
        row: usize,
    },
}

/// The Batch screen's state. `Copy`: handles. The plan and the ledger hold secrets; they live
/// in local stored values (not signals, so no view clones them) until "Wipe batch".
#[derive(Clone, Copy)]
pub struct BatchState {
    /// The settings form as typed.
    pub form: RwSignal<SetupForm>,
    /// Why the settings were refused.
    pub refused: RwSignal<Option<SetupRefused>>,
    /// The checked plan, once the batch started.
    pub plan: StoredValue<Option<BatchPlan>, LocalStorage>,
    /// The attempts so far.
    pub ledger: StoredValue<Option<Ledger>, LocalStorage>,
    /// True once the batch started (settings locked).
    pub started: RwSignal<bool>,
    /// The table (no secrets), refreshed after every change of the ledger.
    pub rows: RwSignal<Vec<RowView>>,
    /// Where the loop is.
    pub phase: RwSignal<Phase>,
    /// What happened last, for the operator.
    pub message: RwSignal<Option<(Tone, String)>>,
    /// The last attempt, for the quick check.
    pub last_attempt: RwSignal<Option<AttemptId>>,
    /// Kiln's own time for the last token, from the button press to the recorded row (ms).
    pub last_ms: RwSignal<Option<u32>>,
    /// Every token the batch is for has been burned.
    pub complete: RwSignal<bool>,
    /// How many button presses have finished (a test hook, and what the timing belongs to).
    pub finished: RwSignal<u32>,
    /// Attempts already in a downloaded Entra or Graph file (rows after it are unsaved).
    pub exported_through: RwSignal<usize>,
}

impl BatchState {
    /// An empty batch.
    pub fn new() -> BatchState {
        BatchState {
            form: RwSignal::new(SetupForm::default()),
            refused: RwSignal::new(None),
            plan: StoredValue::new_local(None),
            ledger: StoredValue::new_local(None),
            started: RwSignal::new(false),
            rows: RwSignal::new(Vec::new()),
            phase: RwSignal::new(Phase::Ready),
            message: RwSignal::new(None),
            last_attempt: RwSignal::new(None),
            last_ms: RwSignal::new(None),
            complete: RwSignal::new(false),
            finished: RwSignal::new(0),
            exported_through: RwSignal::new(0),
        }
    }

    /// Redraws the table from the ledger.
    pub fn refresh(&self) {
        let rows = self
            .ledger
            .with_value(|ledger| ledger.as_ref().map(rows::rows).unwrap_or_default());
        self.rows.set(rows);
    }

    /// True while successful rows have not been downloaded in an Entra or Graph file
    /// (untracked: for the leave-page guard).
    pub fn has_unexported(&self) -> bool {
        let through = self.exported_through.get_untracked();
        self.rows
            .with_untracked(|rows| rows.iter().any(|r| r.exported && r.number > through))
    }

    /// Zeroizes every secret and forgets the batch: the seed list, the ledger and its audit
    /// key, the typed lists.
    pub fn wipe(&self) {
        self.ledger.update_value(|ledger| {
            if let Some(ledger) = ledger {
                ledger.wipe();
            }
            *ledger = None;
        });
        self.plan.update_value(|plan| {
            if let Some(plan) = plan {
                plan.wipe();
            }
            *plan = None;
        });
        self.form.set(SetupForm::default());
        self.refused.set(None);
        self.started.set(false);
        self.rows.set(Vec::new());
        self.phase.set(Phase::Ready);
        self.message.set(None);
        self.last_attempt.set(None);
        self.last_ms.set(None);
        self.complete.set(false);
        self.exported_through.set(0);
    }
}

impl Default for BatchState {
    fn default() -> Self {
        BatchState::new()
    }
}

/// The batch state of the page (one per page, kept while other screens are open).
pub fn use_batch() -> BatchState {
    use_context::<BatchState>().unwrap_or_else(|| {
        let state = BatchState::new();
        provide_context(state);
        state
    })
}

//! The Molto2 panel's state and operations. Every write names the serial of the table it was
//! chosen from (`expect_serial`): another Molto2 put on the reader meanwhile gets nothing. After
//! a burn or delete the table is read again, so it shows what the Molto2 now holds.

use kiln_core::molto2::{
    CustomerKey, Failure, ProfileNumber, ProfileSettings, Replace, Report, Session, SyncTarget,
    Title, account::profile_digits,
};
use kiln_core::otp::{AccountFingerprint, TotpAccount};
use leptos::prelude::*;
use leptos::task::spawn_local;
use zeroize::Zeroize;

use super::device::{self, Ran};
use super::outcome::{OperationResult, ResultKind, ResultSubject};
use super::table::ProfileTable;
use crate::platform::bridge::{BridgeError, BridgeReader};
use crate::state::AppState;

/// What the panel is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Nothing: buttons are enabled.
    Idle,
    /// Reading the profile table.
    Reading,
    /// Burning into a profile.
    Burning(u8),
    /// Deleting a profile's seed.
    Deleting(u8),
    /// Setting the clock (one profile, or all).
    Syncing(Option<u8>),
}

/// The panel's state; `Copy` handles.
#[derive(Clone, Copy)]
pub struct Molto2State {
    /// The bridge's reader the Molto2 is on (the panel owns it while shown).
    pub reader: StoredValue<Option<BridgeReader>, LocalStorage>,
    /// What runs now.
    pub activity: RwSignal<Activity>,
    /// True while the Molto2 waits for its ▲ button.
    pub button: RwSignal<bool>,
    /// The table last read, with its serial.
    pub table: RwSignal<Option<ProfileTable>>,
    /// The last operation's result (shown only while it is about what the panel shows).
    pub result: RwSignal<Option<OperationResult>>,
    /// Why the bridge or the Molto2 could not be used.
    pub error: RwSignal<Option<String>>,
    /// The profile chosen for a burn.
    pub burn_into: RwSignal<Option<u8>>,
    /// The title typed for the burn.
    pub title: RwSignal<String>,
    /// The profile waiting for "Erase" to be confirmed, with its title.
    pub delete_asked: RwSignal<Option<(u8, String)>>,
    /// The customer key field (empty: the factory key). Read only when an operation starts.
    pub key_input: NodeRef<leptos::html::Input>,
}

impl Molto2State {
    /// A panel for the Molto2 on `reader`.
    pub fn new(reader: BridgeReader) -> Molto2State {
        Molto2State {
            reader: StoredValue::new_local(Some(reader)),
            activity: RwSignal::new(Activity::Idle),
            button: RwSignal::new(false),
            table: RwSignal::new(None),
            result: RwSignal::new(None),
            error: RwSignal::new(None),
            burn_into: RwSignal::new(None),
            title: RwSignal::new(String::new()),
            delete_asked: RwSignal::new(None),
            key_input: NodeRef::new(),
        }
    }

    /// The serial of the table shown.
    pub fn serial(self) -> Option<String> {
        self.table
            .with(|table| table.as_ref().map(|t| t.serial.clone()))
    }

    /// The customer key typed (empty: the factory key). The field is read only now.
    fn customer_key(self) -> Result<CustomerKey, String> {
        let mut text = self
            .key_input
            .get_untracked()
            .map(|input| input.value())
            .unwrap_or_default();
        let key = if text.is_empty() {
            Ok(CustomerKey::factory_default())
        } else {
            CustomerKey::parse(&text).map_err(|e| e.to_string())
        };
        text.zeroize();
        key
    }

    /// Runs `session`; a failure to reach the Molto2 goes into `error`.
    async fn run(self, session: Session) -> Option<Ran> {
        let mut reader = self.reader.try_update_value(Option::take).flatten()?;
        let button = self.button;
        let result = device::run(&mut reader, session, |waiting| {
            let _ = button.try_set(waiting);
        })
        .await;
        let gone = reader.is_gone();
        if gone {
            spawn_local(reader.close());
        } else {
            let _ = self.reader.try_update_value(|slot| *slot = Some(reader));
        }
        match result {
            Ok(ran) => Some(ran),
            Err(error) => {
                let _ = self.error.try_set(Some(error.to_string()));
                None
            }
        }
    }

    /// Forgets the table when a report shows another Molto2 than the one it was read from.
    fn check_device(self, report: &Report) {
        if let Some(failure @ Failure::DifferentToken { .. }) = &report.failure {
            // The table and its results were about the other Molto2: they go, the reason stays.
            let _ = self.table.try_set(None);
            let _ = self.burn_into.try_set(None);
            let _ = self.error.try_set(Some(format!(
                "{failure} Read the profiles again to see the Molto2 that is plugged in now."
            )));
        }
    }

    /// Starts `activity` unless something runs.
    fn begin(self, activity: Activity) -> bool {
        if self.activity.get_untracked() != Activity::Idle {
            return false;
        }
        if self.reader.with_value(Option::is_none) {
            self.error.set(Some(BridgeError::Closed.to_string()));
            return false;
        }
        self.error.set(None);
        self.activity.set(activity);
        true
    }

    fn end(self) {
        let _ = self.activity.try_set(Activity::Idle);
        let _ = self.button.try_set(false);
    }

    /// Records a write's result, bound to its subject.
    fn record(self, report: &Report, subject: ResultSubject, title: String) {
        self.check_device(report);
        let result = OperationResult {
            subject,
            kind: ResultKind::of(report),
            title,
            text: report.summary(),
        };
        let _ = self.result.try_set(Some(result));
    }
}

/// Reads the profile table.
pub fn read_table(panel: Molto2State) {
    if !panel.begin(Activity::Reading) {
        return;
    }
    spawn_local(async move {
        reread(panel).await;
        panel.end();
    });
}

async fn reread(panel: Molto2State) {
    let Some(Ran { report, info_at }) = panel.run(Session::list()).await else {
        return;
    };
    match ProfileTable::from_report(&report, info_at) {
        Some(table) => {
            let _ = panel.table.try_set(Some(table));
        }
        None => {
            let _ = panel.table.try_set(None);
            let _ = panel.error.try_set(Some(report.summary()));
        }
    }
}

/// Burns the wizard's `account` into `number` with the typed title (never over a seed: the
/// session stops at an occupied profile, as `kiln molto2 burn` without `--replace` does).
pub fn burn(panel: Molto2State, state: AppState, number: u8) {
    let Some(serial) = panel.serial() else {
        return;
    };
    let Some(account) = state.account.get_untracked() else {
        panel.error.set(Some(
            "No account to burn: enter one in the Secret step first.".into(),
        ));
        return;
    };
    let prepared = prepare_burn(panel, &account, number, state.display.get_untracked());
    let (profile, title, settings, key) = match prepared {
        Ok(parts) => parts,
        Err(message) => {
            panel.error.set(Some(message));
            return;
        }
    };
    let session = match Session::burn(
        &key,
        profile,
        &account.secret,
        title.clone(),
        settings,
        Replace::No,
    ) {
        Ok(session) => session.expect_serial(serial.clone()),
        Err(error) => {
            panel.error.set(Some(error.to_string()));
            return;
        }
    };
    drop(key);
    let fingerprint = AccountFingerprint::of(&account);
    drop(account);
    if !panel.begin(Activity::Burning(number)) {
        return;
    }
    spawn_local(async move {
        if let Some(Ran { report, .. }) = panel.run(session).await {
            let subject = ResultSubject {
                serial,
                profile: Some(number),
                account: Some(fingerprint),
            };
            let headline = match ResultKind::of(&report) {
                ResultKind::Done => format!("Burned into profile {number} \u{201c}{title}\u{201d}"),
                ResultKind::Failed => format!("Profile {number} was not burned"),
                ResultKind::Unknown => format!("Profile {number}: state unknown"),
            };
            let kind = ResultKind::of(&report);
            panel.record(&report, subject, headline);
            let same_device = !matches!(report.failure, Some(Failure::DifferentToken { .. }));
            if report.info.is_some() && same_device {
                // A refused burn keeps its form (fix the key or title, try again); a burn that
                // wrote something shows the table as the Molto2 now has it.
                if kind != ResultKind::Failed {
                    let _ = panel.burn_into.try_set(None);
                }
                reread(panel).await;
                let taken = panel.table.with_untracked(|table| {
                    table
                        .as_ref()
                        .and_then(|t| t.row(number))
                        .is_none_or(|row| row.occupied)
                });
                if taken {
                    let _ = panel.burn_into.try_set(None);
                }
            }
        }
        panel.end();
    });
}

/// The profile, title, settings and key of a burn, or why not.
fn prepare_burn(
    panel: Molto2State,
    account: &TotpAccount,
    number: u8,
    display: kiln_core::DisplayTimeout,
) -> Result<(ProfileNumber, Title, ProfileSettings, CustomerKey), String> {
    let profile = ProfileNumber::new(number).ok_or_else(|| {
        format!("There is no profile {number}: a Molto2 has 0–49, a Molto2v2 0–99.")
    })?;
    let title = Title::new(panel.title.get_untracked().trim()).map_err(|e| e.to_string())?;
    let digits = profile_digits(account).map_err(|refusal| refusal.advice)?;
    let settings = ProfileSettings {
        algorithm: account.algorithm,
        period: account.period,
        digits,
        display,
    };
    let key = panel.customer_key()?;
    Ok((profile, title, settings, key))
}

/// Deletes the seed of `number` (after the user confirmed).
pub fn delete(panel: Molto2State, number: u8) {
    let Some(serial) = panel.serial() else {
        return;
    };
    let Some(profile) = ProfileNumber::new(number) else {
        return;
    };
    panel.delete_asked.set(None);
    if !panel.begin(Activity::Deleting(number)) {
        return;
    }
    spawn_local(async move {
        let session = Session::delete(profile).expect_serial(serial.clone());
        if let Some(Ran { report, .. }) = panel.run(session).await {
            let subject = ResultSubject {
                serial,
                profile: Some(number),
                account: None,
            };
            let headline = match ResultKind::of(&report) {
                ResultKind::Done => format!("Profile {number} erased"),
                ResultKind::Failed => format!("Profile {number} was not erased"),
                ResultKind::Unknown => format!("Profile {number}: state unknown"),
            };
            panel.record(&report, subject, headline);
            if !matches!(report.failure, Some(Failure::DifferentToken { .. })) {
                reread(panel).await;
            }
        }
        panel.end();
    });
}

/// Sets the Molto2's clock to this computer's, through `number` or every profile.
pub fn sync_time(panel: Molto2State, number: Option<u8>) {
    let Some(serial) = panel.serial() else {
        return;
    };
    let target = match number {
        Some(n) => match ProfileNumber::new(n) {
            Some(profile) => SyncTarget::One(profile),
            None => return,
        },
        None => SyncTarget::All,
    };
    let key = match panel.customer_key() {
        Ok(key) => key,
        Err(message) => {
            panel.error.set(Some(message));
            return;
        }
    };
    if !panel.begin(Activity::Syncing(number)) {
        return;
    }
    let session = Session::sync_time(&key, target).expect_serial(serial.clone());
    drop(key);
    spawn_local(async move {
        if let Some(Ran { report, .. }) = panel.run(session).await {
            let subject = ResultSubject {
                serial,
                profile: number,
                account: None,
            };
            let headline = match (ResultKind::of(&report), number) {
                (ResultKind::Done, Some(n)) => format!("Clock set through profile {n}"),
                (ResultKind::Done, None) => "Clock set through every profile".to_string(),
                (ResultKind::Failed, _) => "The clock was not set".to_string(),
                (ResultKind::Unknown, _) => "Clock: state unknown".to_string(),
            };
            panel.record(&report, subject, headline);
        }
        panel.end();
    });
}

/// Releases the reader (the bridge frees it when the connection closes).
pub fn close(panel: Molto2State) {
    if let Some(reader) = panel.reader.try_update_value(Option::take).flatten() {
        spawn_local(reader.close());
    }
}

//! Running one Molto2 session over the bridge: take the reader (only when the bridge says a
//! Molto2 is on it), run the session APDU by APDU, release the reader.

use kiln_core::molto2::{Report, Session, StepStatus, session_runner};

use crate::platform::bridge::{BridgeError, BridgeReader};
use crate::platform::clock;

/// A finished session, and when its GET INFO was answered (the clock it carries is compared
/// with this computer's clock at that moment, not after a long profile read).
pub struct Ran {
    /// What the session did.
    pub report: Report,
    /// This computer's time when the Molto2's serial and clock came back.
    pub info_at: u64,
}

/// Runs `session` on the Molto2 on `reader`. `on_button` hears `true` while a command the
/// Molto2 commits only on its ▲ button is in flight, then `false`.
pub async fn run(
    reader: &mut BridgeReader,
    session: Session,
    mut on_button: impl FnMut(bool),
) -> Result<Ran, BridgeError> {
    let mut link = reader.connect_molto2().await?;
    let clock = clock::now_unix;
    let mut info_at = None;
    let report = session_runner::run_session(session, &mut link, &clock, |report: &Report| {
        if info_at.is_none() && report.info.is_some() {
            info_at = Some(clock::now_unix());
        }
        on_button(waits_for_button(report));
    })
    .await;
    on_button(false);
    link.close().await;
    Ok(Ran {
        report,
        info_at: info_at.unwrap_or_else(clock::now_unix),
    })
}

/// True while a command that needs the ▲ press is being sent.
fn waits_for_button(report: &Report) -> bool {
    report
        .steps
        .iter()
        .any(|(step, status)| step.needs_button() && *status == StepStatus::Sending)
}

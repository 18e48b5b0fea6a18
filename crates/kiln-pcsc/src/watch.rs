//! Waiting for a token to arrive on a reader and to leave it, for `kiln batch`: PC/SC's status
//! change call blocks until pcscd reports an event, so waiting costs no CPU.
//!
//! A [`StopHandle`] (from another thread, e.g. a Ctrl+C handler) ends any wait: it sets a flag
//! and cancels the blocking call (`SCardCancel`). Because a cancel that arrives just before the
//! call starts is lost, each call also returns after [`WAKE_UP`] to look at the flag again.

use std::ffi::CString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pcsc::{Context, Error, ReaderState, State};

use crate::error::PcscError;
use crate::service::{Pcsc, ReaderStatus};

/// The longest a status-change call blocks before the stop flag is looked at again.
pub const WAKE_UP: Duration = Duration::from_secs(1);

/// How a wait ended.
#[derive(Debug)]
pub enum Waited<T> {
    /// What was waited for happened.
    Ready(T),
    /// [`StopHandle::stop`] was called.
    Stopped,
}

/// Waits for cards on readers of one PC/SC context.
pub struct Watcher {
    context: Context,
    stop: Arc<AtomicBool>,
}

/// Ends the waits of a [`Watcher`] from another thread.
#[derive(Clone)]
pub struct StopHandle {
    context: Context,
    stop: Arc<AtomicBool>,
}

impl StopHandle {
    /// Ends the current wait and every later one.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Nothing to cancel is not an error worth reporting: the flag is set.
        let _ = self.context.cancel();
    }

    /// True once [`StopHandle::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

impl Pcsc {
    /// A watcher on this service's readers.
    pub fn watcher(&self) -> Watcher {
        Watcher {
            context: self.context.clone(),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl Watcher {
    /// A handle that ends this watcher's waits.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle {
            context: self.context.clone(),
            stop: Arc::clone(&self.stop),
        }
    }

    /// Waits until one of `readers` has a card that `accept` takes (at once when one has
    /// already), and returns that reader's status.
    pub fn wait_for_card(
        &self,
        readers: &[&str],
        accept: impl Fn(&ReaderStatus) -> bool,
    ) -> Result<Waited<ReaderStatus>, PcscError> {
        let mut states = reader_states(readers)?;
        self.status_change(&mut states, Duration::ZERO)?;
        loop {
            if let Some(found) = states
                .iter()
                .map(ReaderStatus::from_state)
                .find(|s| s.card_present && accept(s))
            {
                return Ok(Waited::Ready(found));
            }
            if !self.next_change(&mut states)? {
                return Ok(Waited::Stopped);
            }
        }
    }

    /// Waits until the card that arrived on `reader` at `arrived_at` (its
    /// [`ReaderStatus::event_count`]) has left: the reader is empty, or holds another card.
    pub fn wait_for_removal(&self, reader: &str, arrived_at: u32) -> Result<Waited<()>, PcscError> {
        let mut states = reader_states(&[reader])?;
        self.status_change(&mut states, Duration::ZERO)?;
        loop {
            if let Some(state) = states.first()
                && (!state.event_state().contains(State::PRESENT)
                    || state.event_count() != arrived_at)
            {
                return Ok(Waited::Ready(()));
            }
            if !self.next_change(&mut states)? {
                return Ok(Waited::Stopped);
            }
        }
    }

    /// Blocks until a reader's state changes (or [`WAKE_UP`] passes); false when stopped.
    fn next_change(&self, states: &mut [ReaderState]) -> Result<bool, PcscError> {
        for state in states.iter_mut() {
            state.sync_current_state();
        }
        if self.stop.load(Ordering::SeqCst) {
            return Ok(false);
        }
        Ok(self.status_change(states, WAKE_UP)? && !self.stop.load(Ordering::SeqCst))
    }

    /// One status-change call; false when it was cancelled.
    fn status_change(
        &self,
        states: &mut [ReaderState],
        timeout: Duration,
    ) -> Result<bool, PcscError> {
        match self.context.get_status_change(timeout, states) {
            Ok(()) | Err(Error::Timeout) => {}
            Err(Error::Cancelled) => return Ok(false),
            Err(Error::UnknownReader | Error::ReaderUnavailable) => {
                return Err(PcscError::ReaderGone);
            }
            Err(e) => return Err(PcscError::of_service(e)),
        }
        if states.iter().any(|s| {
            s.event_state()
                .intersects(State::UNKNOWN | State::UNAVAILABLE)
        }) {
            return Err(PcscError::ReaderGone);
        }
        Ok(true)
    }
}

/// The readers' current states (a first call that returns at once).
fn reader_states(readers: &[&str]) -> Result<Vec<ReaderState>, PcscError> {
    let mut states = Vec::with_capacity(readers.len());
    for name in readers {
        let name = CString::new(*name).map_err(|_| PcscError::ReaderGone)?;
        states.push(ReaderState::new(name, State::UNAWARE));
    }
    Ok(states)
}

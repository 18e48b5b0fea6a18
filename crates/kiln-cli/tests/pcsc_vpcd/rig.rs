//! The test rig: pcscd with vsmartcard's vpcd reader, and kiln-sim's token as the virtual card,
//! served from a thread of this test process so the test can inject faults and look inside.
//!
//! There is one vpcd reader, so rigs take turns (a process-wide lock). Without pcscd or vpcd
//! every test fails with what to run.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kiln_sim::token::SimToken;
use kiln_sim::vpcd::{DEFAULT_PORT, VirtualCard};
use pcsc::{Context, ReaderState, Scope, State};

use crate::support::{Run, kiln};

/// vpcd's first slot, served on TCP port 35963.
pub const READER: &str = "Virtual PCD 00 00";

const ADVICE: &str = "start pcscd with vsmartcard's vpcd reader first: run `scripts/start-pcscd.sh` \
                      as root";

static ONE_READER: Mutex<()> = Mutex::new(());

/// The current Unix time.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The vpcd reader, with or without the simulated token on it.
pub struct Rig {
    pub token: Arc<Mutex<SimToken>>,
    card: Option<VirtualCard>,
    /// pcscd's insert/remove counter for the reader once it saw the card.
    inserted_at_event: Option<u32>,
    context: Context,
    _turn: MutexGuard<'static, ()>,
}

impl Rig {
    /// The reader with nothing on it.
    pub fn empty() -> Rig {
        let turn = ONE_READER.lock().unwrap_or_else(PoisonError::into_inner);
        let context = Context::establish(Scope::User)
            .unwrap_or_else(|e| panic!("pcscd is not running ({e}): {ADVICE}"));
        let readers = context
            .list_readers_owned()
            .unwrap_or_else(|e| panic!("pcscd lists no readers ({e}): {ADVICE}"));
        assert!(
            readers.iter().any(|r| r.to_str() == Ok(READER)),
            "pcscd has no \"{READER}\" reader (readers: {readers:?}): {ADVICE}"
        );
        let rig = Rig {
            token: Arc::new(Mutex::new(SimToken::new("0", 0))),
            card: None,
            inserted_at_event: None,
            context,
            _turn: turn,
        };
        rig.wait_for_card(false);
        rig
    }

    /// `token` on the reader, once pcscd has noticed it.
    pub fn with_token(token: SimToken) -> Rig {
        let mut rig = Rig::empty();
        let mut token = token;
        token.set_wall_time(now());
        rig.token = Arc::new(Mutex::new(token));
        let card = VirtualCard::insert(Arc::clone(&rig.token), ("127.0.0.1", DEFAULT_PORT))
            .unwrap_or_else(|e| panic!("vpcd does not accept the virtual card ({e}): {ADVICE}"));
        rig.card = Some(card);
        rig.inserted_at_event = Some(rig.wait_for_card(true));
        rig
    }

    /// The simulated token, for faults and inspection.
    pub fn token(&self) -> MutexGuard<'_, SimToken> {
        self.token.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `kiln`, with the token's wall clock set to now first (its clock runs only when
    /// told to).
    pub fn kiln(&self, args: &[&str], stdin: Option<&str>) -> Run {
        self.token().set_wall_time(now());
        kiln(args, stdin)
    }

    /// Waits until pcscd reports a card on the reader (or none); returns the reader's event
    /// counter.
    pub fn wait_for_card(&self, present: bool) -> u32 {
        self.wait_until(present, |_| true)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits until pcscd's own card monitor has seen the card leave. pcscd may mark the reader
    /// empty earlier (for example when resetting a vanished card fails); a new card inserted
    /// before its monitor polls again would then go unnoticed.
    fn wait_for_removal(&self, inserted_at_event: u32) -> Result<u32, String> {
        self.wait_until(false, |count| count != inserted_at_event)
    }

    fn wait_until(&self, present: bool, counter_ok: impl Fn(u32) -> bool) -> Result<u32, String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mut states = [ReaderState::new(c"Virtual PCD 00 00", State::UNAWARE)];
            let (seen, count) = match self.context.get_status_change(Duration::ZERO, &mut states) {
                Ok(()) | Err(pcsc::Error::Timeout) => (
                    states[0].event_state().contains(State::PRESENT),
                    states[0].event_count(),
                ),
                Err(e) => return Err(format!("pcscd stopped answering ({e}): {ADVICE}")),
            };
            if seen == present && counter_ok(count) {
                return Ok(count);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "pcscd did not see the virtual card {} within 10 s (the card connected {} \
                     time(s) and was asked for its ATR {} time(s)): {ADVICE}",
                    if present { "arrive" } else { "leave" },
                    self.card.as_ref().map_or(0, VirtualCard::connections),
                    self.card.as_ref().map_or(0, VirtualCard::atr_requests),
                ));
            }
            thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        if let Some(card) = self.card.take() {
            card.stop();
            if let Some(count) = self.inserted_at_event {
                // The next test needs an empty reader; never panic inside a panic.
                if let Err(e) = self.wait_for_removal(count)
                    && !thread::panicking()
                {
                    panic!("{e}");
                }
            }
        }
    }
}

//! The test rig: pcscd with vsmartcard's vpcd reader, and kiln-sim's token as the virtual card,
//! served from a thread of this test process so the test can inject faults and look inside.
//!
//! vpcd has two slots, "Virtual PCD 00 00" and "Virtual PCD 00 01"; most tests use the first, the
//! reader-choice tests both. Rigs take turns (a process-wide lock). Without pcscd or vpcd every
//! test fails with what to run.

use std::ffi::CString;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kiln_sim::token::SimToken;
use kiln_sim::vpcd::{DEFAULT_PORT, VirtualCard};
use pcsc::{Context, ReaderState, Scope, State};

use crate::contact_card::ContactCard;
use crate::support::{Run, kiln};

/// vpcd's first slot, served on TCP port 35963.
pub const READER: &str = "Virtual PCD 00 00";
/// vpcd's second slot, served on the next port.
pub const SECOND_READER: &str = "Virtual PCD 00 01";

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
    /// What is on the second slot, with pcscd's counter once it saw it.
    second: Option<(SecondCard, u32)>,
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
            second: None,
            context,
            _turn: turn,
        };
        rig.wait_for_card(false);
        if readers.iter().any(|r| r.to_str() == Ok(SECOND_READER)) {
            rig.wait_on(SECOND_READER, false, |_| true)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        rig
    }

    /// Also `token` on the second slot, once pcscd has noticed it.
    pub fn with_second_token(self, token: SimToken) -> (Rig, Arc<Mutex<SimToken>>) {
        let mut token = token;
        token.set_wall_time(now());
        let token = Arc::new(Mutex::new(token));
        let card = VirtualCard::insert(Arc::clone(&token), ("127.0.0.1", DEFAULT_PORT + 1))
            .unwrap_or_else(|e| {
                panic!("vpcd's second slot does not accept the card ({e}): {ADVICE}")
            });
        (self.with_second(SecondCard::Token(card)), token)
    }

    /// Also a contact smart card (see [`ContactCard`]) on the second slot.
    pub fn with_second_contact_card(self) -> Rig {
        let card = ContactCard::insert(DEFAULT_PORT + 1).unwrap_or_else(|e| {
            panic!("vpcd's second slot does not accept the card ({e}): {ADVICE}")
        });
        self.with_second(SecondCard::Contact(card))
    }

    fn with_second(mut self, card: SecondCard) -> Rig {
        let event = self
            .wait_on(SECOND_READER, true, |_| true)
            .unwrap_or_else(|e| panic!("{e}"));
        self.second = Some((card, event));
        self
    }

    /// How many command APDUs the contact card on the second slot received.
    pub fn contact_card_apdus(&self) -> usize {
        match &self.second {
            Some((SecondCard::Contact(card), _)) => card.apdus(),
            _ => panic!("no contact card on the second slot"),
        }
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
        self.wait_on(READER, present, |_| true)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits until pcscd's own card monitor has seen the card leave. pcscd may mark the reader
    /// empty earlier (for example when resetting a vanished card fails); a new card inserted
    /// before its monitor polls again would then go unnoticed.
    fn wait_for_removal(&self, reader: &str, inserted_at_event: u32) -> Result<u32, String> {
        self.wait_on(reader, false, |count| count != inserted_at_event)
    }

    fn wait_on(
        &self,
        reader: &str,
        present: bool,
        counter_ok: impl Fn(u32) -> bool,
    ) -> Result<u32, String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let name = CString::new(reader).unwrap();
        loop {
            let mut states = [ReaderState::new(name.as_c_str(), State::UNAWARE)];
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
                    "pcscd did not see a virtual card {} \"{reader}\" within 10 s (the card connected {} \
                     time(s) and was asked for its ATR {} time(s)): {ADVICE}",
                    if present { "arrive on" } else { "leave" },
                    self.card.as_ref().map_or(0, VirtualCard::connections),
                    self.card.as_ref().map_or(0, VirtualCard::atr_requests),
                ));
            }
            thread::sleep(Duration::from_millis(25));
        }
    }
}

/// What a test put on the second slot.
enum SecondCard {
    Token(VirtualCard),
    Contact(ContactCard),
}

impl Drop for Rig {
    fn drop(&mut self) {
        let mut removed: Vec<(&str, u32)> = Vec::new();
        if let Some(card) = self.card.take() {
            card.stop();
            removed.extend(self.inserted_at_event.map(|count| (READER, count)));
        }
        if let Some((card, count)) = self.second.take() {
            match card {
                SecondCard::Token(card) => card.stop(),
                SecondCard::Contact(card) => drop(card),
            }
            removed.push((SECOND_READER, count));
        }
        for (reader, count) in removed {
            // The next test needs empty readers; never panic inside a panic.
            if let Err(e) = self.wait_for_removal(reader, count)
                && !thread::panicking()
            {
                panic!("{e}");
            }
        }
    }
}

//! The app's state: plain signals, shared through context. Views read and write them; the
//! logic behind them lives in kiln-core (and in `ops` for the reader glue).

use std::cell::RefCell;
use std::rc::Rc;

use kiln_core::DisplayTimeout;
use kiln_core::otp::{Classification, TotpAccount};
use kiln_core::token::{Model, TokenInfo};
use leptos::prelude::*;

use crate::platform::clock;
use crate::platform::open_reader::OpenReader;
use crate::results::Results;

/// The steps of the burn wizard, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WizardStep {
    /// Scan, upload or paste the enrollment QR or secret.
    Secret,
    /// Check what was read; pick an account; set the display timeout.
    Review,
    /// See the codes the token will show.
    Preview,
    /// Choose a USB reader.
    Connect,
    /// Read the token's serial, model and clock.
    Identify,
    /// Write settings and seed.
    Burn,
    /// Compare the token's code.
    Verify,
    /// Another token, or start over.
    Done,
}

impl WizardStep {
    /// Every step, in order.
    pub const ALL: [WizardStep; 8] = [
        WizardStep::Secret,
        WizardStep::Review,
        WizardStep::Preview,
        WizardStep::Connect,
        WizardStep::Identify,
        WizardStep::Burn,
        WizardStep::Verify,
        WizardStep::Done,
    ];

    /// The short name shown in the step list.
    pub fn title(self) -> &'static str {
        match self {
            WizardStep::Secret => "Secret",
            WizardStep::Review => "Review",
            WizardStep::Preview => "Preview",
            WizardStep::Connect => "Reader",
            WizardStep::Identify => "Token",
            WizardStep::Burn => "Burn",
            WizardStep::Verify => "Verify",
            WizardStep::Done => "Done",
        }
    }

    /// 1-based position.
    pub fn number(self) -> usize {
        WizardStep::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// Stable name for test hooks and URLs-free navigation.
    pub fn id(self) -> &'static str {
        match self {
            WizardStep::Secret => "secret",
            WizardStep::Review => "review",
            WizardStep::Preview => "preview",
            WizardStep::Connect => "connect",
            WizardStep::Identify => "identify",
            WizardStep::Burn => "burn",
            WizardStep::Verify => "verify",
            WizardStep::Done => "done",
        }
    }
}

/// What the main area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The burn wizard at a step.
    Wizard(WizardStep),
    /// Read a token's identity without burning.
    IdentifyTool,
    /// Set a token's clock.
    TimeSyncTool,
    /// Burn many tokens in a row and export the files for Entra.
    Batch,
}

/// What Kiln knows about the token on the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFacts {
    /// Serial and clock as read.
    pub info: TokenInfo,
    /// Model from the serial prefix.
    pub model: Model,
    /// Token clock minus this device's clock when it was read, in seconds.
    pub clock_offset: i64,
}

/// The open reader (USB or serial), shared by the steps that talk to the token. Not `Send`: it holds
/// JavaScript objects, so it lives in local storage, and an operation takes it out while it runs.
pub type ReaderSlot = Rc<RefCell<Option<OpenReader>>>;

/// All app state. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct AppState {
    /// What the main area shows.
    pub screen: RwSignal<Screen>,
    /// The last classification of the user's input.
    pub classification: RwSignal<Option<Classification>>,
    /// The account chosen for burning (the classified one, or one picked from an export).
    pub account: RwSignal<Option<TotpAccount>>,
    /// Display timeout to write.
    pub display: RwSignal<DisplayTimeout>,
    /// The open reader, if any.
    pub reader: StoredValue<ReaderSlot, LocalStorage>,
    /// Name of the open reader, for display (`None` when disconnected).
    pub reader_name: RwSignal<Option<String>>,
    /// A reader operation is running (buttons that talk to the token are disabled).
    pub busy: RwSignal<bool>,
    /// The token identified on the reader.
    pub token: RwSignal<Option<TokenFacts>>,
    /// The burn and verify results, each bound to the token, account and settings it is about.
    pub results: Results,
    /// Current time in milliseconds since 1970, ticking.
    pub now_ms: RwSignal<f64>,
}

impl AppState {
    /// Fresh state at the first step.
    pub fn new() -> AppState {
        let account = RwSignal::new(None);
        let display = RwSignal::new(DisplayTimeout::default());
        let token = RwSignal::new(None);
        AppState {
            screen: RwSignal::new(Screen::Wizard(WizardStep::Secret)),
            classification: RwSignal::new(None),
            account,
            display,
            reader: StoredValue::new_local(Rc::new(RefCell::new(None))),
            reader_name: RwSignal::new(None),
            busy: RwSignal::new(false),
            token,
            results: Results::new(account, token, display),
            now_ms: RwSignal::new(clock::now_ms()),
        }
    }

    /// Current time in whole seconds (reactive).
    pub fn now_unix(&self) -> u64 {
        (self.now_ms.get() / 1000.0) as u64
    }

    /// Goes to a wizard step.
    pub fn go(&self, step: WizardStep) {
        self.screen.set(Screen::Wizard(step));
    }

    /// Forgets every secret (the dropped values wipe themselves) and returns to the first step.
    /// The reader stays connected: it holds nothing secret.
    pub fn start_over(&self) {
        self.classification.set(None);
        self.account.set(None);
        self.display.set(DisplayTimeout::default());
        self.token.set(None);
        self.results.clear();
        self.go(WizardStep::Secret);
    }

    /// Keeps the seed and settings, forgets the token and its results: for burning the same
    /// seed into another token.
    pub fn another_token(&self) {
        self.token.set(None);
        self.results.clear();
        self.go(WizardStep::Identify);
    }

    /// The furthest step the user may open, given what is known.
    pub fn reachable(&self, step: WizardStep) -> bool {
        let has_account = self.account.with(Option::is_some);
        let has_input = self.classification.with(Option::is_some);
        let has_reader = self.reader_name.with(Option::is_some);
        let has_token = self.token.with(Option::is_some);
        // Only a burn of exactly this account, token and settings opens Verify and Done.
        let burned = self.results.burned();
        match step {
            WizardStep::Secret => true,
            WizardStep::Review => has_input,
            WizardStep::Preview | WizardStep::Connect => has_account,
            WizardStep::Identify => has_account && has_reader,
            WizardStep::Burn => has_account && has_reader && has_token,
            WizardStep::Verify | WizardStep::Done => burned,
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

/// The app state from context.
pub fn use_app() -> AppState {
    use_context::<AppState>().unwrap_or_else(|| {
        // Only reachable if a component renders outside <App/>; give it a private state.
        let state = AppState::new();
        provide_context(state);
        state
    })
}

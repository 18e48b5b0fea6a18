//! The "PN532 board (serial)" choice of the Reader step: a PN532 board in HSU mode behind a
//! USB-serial adapter, reached through Web Serial (shown only where the browser has it).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::platform::open_reader::OpenReader;
use crate::platform::serial;
use crate::state::AppState;

/// Opens the serial chooser, checks that a PN532 answers, and keeps the board in the app state
/// (closing the reader it replaces; an open board is closed before the chooser opens).
pub fn connect_serial(state: AppState, error: RwSignal<Option<String>>, checking: RwSignal<bool>) {
    error.set(None);
    checking.set(true);
    spawn_local(async move {
        // A port opens once: a board already open is closed first, so picking it again works.
        let slot = state.reader.get_value();
        let open_board = matches!(slot.borrow().as_ref(), Some(OpenReader::Serial(_)));
        let board = if open_board {
            slot.borrow_mut().take()
        } else {
            None
        };
        if let Some(board) = board {
            state.reader_name.set(None);
            state.token.set(None);
            board.close().await;
        }
        let on_unplugged = move || {
            state.reader_name.set(None);
            state.token.set(None);
        };
        match serial::choose_board(on_unplugged).await {
            Ok(board) => {
                let name = board.name().to_string();
                let old = state
                    .reader
                    .get_value()
                    .borrow_mut()
                    .replace(OpenReader::Serial(board));
                state.reader_name.set(Some(name));
                state.token.set(None);
                if let Some(old) = old {
                    old.close().await;
                }
            }
            Err(failure) => error.set(Some(failure.to_string())),
        }
        // The choice is gone from the page once a board is connected: no panic on its signal.
        let _ = checking.try_set(false);
    });
}

/// The serial option: what it needs, and the button that opens the port chooser.
#[component]
pub fn SerialBoardChoice(
    /// The Reader step's error box: why the board could not be used.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = crate::state::use_app();
    let checking = RwSignal::new(false);
    view! {
        <div class="reader-option">
            <h3>"PN532 board (serial)"</h3>
            <p>
                "A PN532 NFC board in HSU mode on a USB-serial adapter (CH340, CP210x, PL2303 or "
                "FTDI). Plug it in, then choose its port in the browser’s list."
            </p>
            <div class="actions actions-start">
                <button type="button" class="button" data-testid="connect-serial"
                    disabled=move || checking.get() || state.busy.get()
                    on:click=move |_| connect_serial(state, error, checking)>
                    {move || if checking.get() { "Checking the board…" } else { "Choose a PN532 board…" }}
                </button>
            </div>
        </div>
    }
}

/// "Use another PN532 board…", next to Disconnect while a reader is connected.
#[component]
pub fn SerialBoardSwitch(
    /// The Reader step's error box: why the board could not be used.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = crate::state::use_app();
    let checking = RwSignal::new(false);
    view! {
        <button type="button" class="button" data-testid="switch-serial"
            disabled=move || checking.get() || state.busy.get()
            on:click=move |_| connect_serial(state, error, checking)>
            {move || if checking.get() { "Checking the board…" } else { "Use another PN532 board…" }}
        </button>
    }
}

/// What works where, for the Reader step's help list.
#[component]
pub fn SerialBoardHelp() -> impl IntoView {
    view! {
        <li>
            <strong>"PN532 boards"</strong>
            " on a USB-serial adapter (CH340, CP210x, PL2303, FTDI), set to HSU mode, work in "
            "Chrome, Edge and Opera on a computer, with no driver to install on most systems. On "
            "Android, Chrome 148 or newer with a USB-OTG adapter should work (not yet tried on a "
            "phone). Firefox and Safari cannot use serial ports from a web page."
        </li>
    }
}

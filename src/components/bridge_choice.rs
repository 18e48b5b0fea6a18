//! The "Kiln bridge (any PC/SC reader)" choice of the Reader step: how to start `kiln bridge`,
//! connecting to it, the pairing code, and the bridge's reader list (with what is on each).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{ErrorNotice, Notice, Tone};
use kiln_core::molto2::is_molto2_reader;

use crate::molto2::Molto2Panel;
use crate::platform::bridge::{
    self, BridgeError, BridgeReader, BridgeSocket, PairedBridge, ReaderEntry, page_origin,
    say_hello,
};
use crate::platform::open_reader::OpenReader;
use crate::state::{AppState, use_app};

/// Where the bridge choice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Instructions and "Connect to the bridge".
    Start,
    /// Asking `/hello` and opening the connection.
    Checking,
    /// Connected: the pairing code is asked.
    Code,
    /// The code is being checked.
    Pairing,
    /// Paired: the reader list.
    Readers,
    /// A Molto2 was chosen: its own panel (src/molto2) has the reader.
    Molto2,
}

impl Stage {
    /// The test hook's name for the stage.
    fn id(self) -> &'static str {
        match self {
            Stage::Start => "start",
            Stage::Checking => "checking",
            Stage::Code => "code",
            Stage::Pairing => "pairing",
            Stage::Readers => "readers",
            Stage::Molto2 => "molto2",
        }
    }
}

/// The connection while it is the choice's (before a reader is chosen).
enum Connection {
    None,
    AwaitingCode(BridgeSocket),
    Paired(PairedBridge),
}

/// The choice's state; `Copy` handles only.
#[derive(Clone, Copy)]
struct Choice {
    stage: RwSignal<Stage>,
    address: RwSignal<String>,
    code: RwSignal<String>,
    readers: RwSignal<Vec<ReaderEntry>>,
    error: RwSignal<Option<String>>,
    connection: StoredValue<Option<Connection>, LocalStorage>,
    /// The Molto2's reader, until its panel takes it.
    molto2: StoredValue<Option<BridgeReader>, LocalStorage>,
}

impl Choice {
    /// Shows `error`; back to the start when the session is over. The choice may be gone from
    /// the page by the time an answer comes, hence `try_`.
    fn fail(self, error: &BridgeError) {
        if error.ends_session() {
            let _ = self
                .connection
                .try_update_value(|slot| *slot = Some(Connection::None));
            let _ = self.stage.try_set(Stage::Start);
        }
        let _ = self.error.try_set(Some(error.to_string()));
    }

    fn take(self) -> Connection {
        self.connection
            .try_update_value(|slot| slot.take())
            .flatten()
            .unwrap_or(Connection::None)
    }

    fn put(self, connection: Connection) {
        // The choice may be gone from the page by now: then the connection just closes.
        let _ = self
            .connection
            .try_update_value(|slot| *slot = Some(connection));
    }
}

/// `127.0.0.1:PORT`, `localhost:PORT` or `PORT`: the bridge only ever listens on this computer.
fn parse_address(text: &str) -> Option<(&'static str, u16)> {
    let text = text.trim();
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) => (host, port),
        None => ("127.0.0.1", text),
    };
    let host = match host.to_ascii_lowercase().as_str() {
        "127.0.0.1" => "127.0.0.1",
        "localhost" => "localhost",
        _ => return None,
    };
    port.parse::<u16>()
        .ok()
        .filter(|port| *port > 0)
        .map(|port| (host, port))
}

const BAD_ADDRESS: &str = "The bridge address is this computer and the port the bridge printed, \
                           for example 127.0.0.1:47231.";

fn connect(choice: Choice) {
    choice.error.set(None);
    let Some((host, port)) = parse_address(&choice.address.get_untracked()) else {
        choice.error.set(Some(BAD_ADDRESS.into()));
        return;
    };
    choice.stage.set(Stage::Checking);
    spawn_local(async move {
        let result = match say_hello(host, port).await {
            Ok(()) => BridgeSocket::open(host, port)
                .await
                .ok_or(BridgeError::Closed),
            Err(error) => Err(error),
        };
        match result {
            Ok(socket) => {
                choice.put(Connection::AwaitingCode(socket));
                let _ = choice.code.try_set(String::new());
                let _ = choice.stage.try_set(Stage::Code);
            }
            Err(error) => {
                let _ = choice.stage.try_set(Stage::Start);
                choice.fail(&error);
            }
        }
    });
}

fn pair(choice: Choice) {
    choice.error.set(None);
    let Connection::AwaitingCode(socket) = choice.take() else {
        choice.stage.set(Stage::Start);
        return;
    };
    let code = choice.code.get_untracked();
    choice.stage.set(Stage::Pairing);
    spawn_local(async move {
        match PairedBridge::pair(socket, &code).await {
            Ok(paired) => {
                choice.put(Connection::Paired(paired));
                let _ = choice.code.try_set(String::new());
                list_readers(choice).await;
            }
            Err(failure) => {
                let stage = match failure.socket {
                    Some(socket) => {
                        choice.put(Connection::AwaitingCode(socket));
                        Stage::Code
                    }
                    None => Stage::Start,
                };
                let _ = choice.stage.try_set(stage);
                let _ = choice.error.try_set(Some(failure.error.to_string()));
            }
        }
    });
}

async fn list_readers(choice: Choice) {
    let Connection::Paired(mut paired) = choice.take() else {
        return;
    };
    let result = paired.readers().await;
    let closed = paired.is_closed();
    if !closed {
        choice.put(Connection::Paired(paired));
    }
    match result {
        Ok(list) => {
            let _ = choice.readers.try_set(list);
            let _ = choice.stage.try_set(Stage::Readers);
        }
        Err(error) => {
            if closed {
                let _ = choice.stage.try_set(Stage::Start);
            }
            choice.fail(&error);
        }
    }
}

fn choose(state: AppState, choice: Choice, name: String) {
    let Connection::Paired(paired) = choice.take() else {
        choice.stage.set(Stage::Start);
        return;
    };
    let reader = paired.choose(name.clone());
    let old = state
        .reader
        .get_value()
        .borrow_mut()
        .replace(OpenReader::Bridge(reader));
    state.reader_name.set(Some(name));
    state.token.set(None);
    if let Some(old) = old {
        spawn_local(old.close());
    }
}

/// Hands the Molto2 on `name` to the Molto2 panel (the wizard's reader stays as it is: a
/// Molto2 is not programmed by the single-profile steps).
fn manage_molto2(choice: Choice, name: String) {
    let Connection::Paired(paired) = choice.take() else {
        choice.stage.set(Stage::Start);
        return;
    };
    choice.error.set(None);
    choice.molto2.set_value(Some(paired.choose(name)));
    choice.stage.set(Stage::Molto2);
}

/// The command as words that never break inside (a line break after "--allow-" would read as
/// two arguments), separated by ordinary spaces so it copies as typed.
fn command_words(command: String) -> Vec<AnyView> {
    let mut words = Vec::new();
    for (index, word) in command.split(' ').enumerate() {
        if index > 0 {
            words.push(" ".into_any());
        }
        words.push(view! { <span class="nobreak">{word.to_string()}</span> }.into_any());
    }
    words
}

/// What the list says about one reader.
fn reader_status(entry: &ReaderEntry) -> &'static str {
    match (entry.in_use, entry.card_present) {
        (true, _) => "In use by another program",
        (false, true) => "A card or token is on it",
        (false, false) => "Nothing on it",
    }
}

/// The bridge option of the Reader step.
#[component]
pub fn BridgeChoice() -> impl IntoView {
    let state = use_app();
    let choice = Choice {
        stage: RwSignal::new(Stage::Start),
        address: RwSignal::new(format!("127.0.0.1:{}", bridge::DEFAULT_PORT)),
        code: RwSignal::new(String::new()),
        readers: RwSignal::new(Vec::new()),
        error: RwSignal::new(None),
        connection: StoredValue::new_local(Some(Connection::None)),
        molto2: StoredValue::new_local(None),
    };
    let molto2_done = Callback::new(move |()| choice.stage.set(Stage::Start));
    let origin = page_origin();
    let command = move || {
        let port = parse_address(&choice.address.get()).map_or(bridge::DEFAULT_PORT, |(_, p)| p);
        bridge::start_command(&origin, port)
    };
    let stage = choice.stage;
    view! {
        <div class="reader-option" data-testid="bridge-choice" data-stage=move || stage.get().id()>
            <h3>"Kiln bridge (any PC/SC reader)"</h3>
            <p>
                "For smart-card readers (ACR122U, ACR1252U, Identiv and most desk readers): Kiln’s "
                "command-line tool lends them to this page while it runs."
            </p>
            <ol class="instructions">
                <li>"Install " <code>"kiln"</code> " (see the README) and run in a terminal:"
                    <pre class="command" data-testid="bridge-command">{move || command_words(command())}</pre>
                </li>
                <li>"Leave the terminal open; it shows a 6-digit " <strong>"pairing code"</strong> "."</li>
                <li>"Connect, type the code, and choose the reader."</li>
            </ol>
            <Show when=move || matches!(stage.get(), Stage::Start | Stage::Checking)>
                <details class="help">
                    <summary>"The bridge runs on another port"</summary>
                    <div class="field">
                        <label for="bridge-address">"Bridge address"</label>
                        <input id="bridge-address" data-testid="bridge-address" autocomplete="off"
                            prop:value=move || choice.address.get()
                            on:input=move |ev| choice.address.set(event_target_value(&ev))/>
                    </div>
                </details>
                <div class="actions actions-start">
                    <button type="button" class="button" data-testid="connect-bridge"
                        disabled=move || stage.get() == Stage::Checking || state.busy.get()
                        on:click=move |_| connect(choice)>
                        {move || if stage.get() == Stage::Checking { "Connecting…" } else { "Connect to the bridge" }}
                    </button>
                </div>
            </Show>
            <Show when=move || matches!(stage.get(), Stage::Code | Stage::Pairing)>
                <form class="verify-form" on:submit=move |ev| { ev.prevent_default(); pair(choice); }>
                    <label for="bridge-code">"Pairing code (from the bridge’s window)"</label>
                    <div class="verify-row">
                        <input id="bridge-code" data-testid="bridge-code" inputmode="numeric"
                            autocomplete="off" maxlength="7" pattern="[0-9 ]*" placeholder="123 456"
                            prop:value=move || choice.code.get()
                            on:input=move |ev| choice.code.set(event_target_value(&ev))/>
                        <button type="submit" class="button button-primary" data-testid="bridge-pair"
                            disabled=move || stage.get() == Stage::Pairing>
                            {move || if stage.get() == Stage::Pairing { "Pairing…" } else { "Pair" }}
                        </button>
                    </div>
                </form>
            </Show>
            <Show when=move || stage.get() == Stage::Readers>
                <Notice tone=Tone::Success title="Paired with the bridge">
                    <p>"Choose the reader the token is on."</p>
                </Notice>
                <ul class="bridge-readers" data-testid="bridge-readers">
                    <For each=move || choice.readers.get() key=|entry| entry.name.clone() let:entry>
                        <li class="bridge-reader" data-testid="bridge-reader" data-name=entry.name.clone()
                            data-card=entry.card_present.to_string() data-in-use=entry.in_use.to_string()>
                            <span class="bridge-reader-name">{entry.name.clone()}</span>
                            <span class="bridge-reader-status">{reader_status(&entry)}</span>
                            {if is_molto2_reader(&entry.name) {
                                let name = entry.name.clone();
                                view! {
                                    <button type="button" class="button" data-testid="bridge-molto2"
                                        on:click=move |_| manage_molto2(choice, name.clone())>
                                        "Manage this Molto2"
                                    </button>
                                }.into_any()
                            } else {
                                let name = entry.name.clone();
                                view! {
                                    <button type="button" class="button" data-testid="bridge-choose"
                                        on:click=move |_| choose(state, choice, name.clone())>
                                        "Use this reader"
                                    </button>
                                }.into_any()
                            }}
                        </li>
                    </For>
                </ul>
                <Show when=move || choice.readers.with(Vec::is_empty)>
                    <p class="hint" data-testid="bridge-no-readers">"The bridge sees no reader. Plug one in, then refresh."</p>
                </Show>
                <div class="actions actions-start">
                    <button type="button" class="button" data-testid="bridge-refresh"
                        on:click=move |_| { choice.error.set(None); spawn_local(list_readers(choice)); }>
                        "Refresh the list"
                    </button>
                </div>
            </Show>
            {move || (stage.get() == Stage::Molto2)
                .then(|| choice.molto2.try_update_value(Option::take).flatten())
                .flatten()
                .map(|reader| view! { <Molto2Panel reader=reader on_close=molto2_done/> })}
            <ErrorNotice error=choice.error title="The bridge could not be used" test_id="bridge-error"/>
        </div>
    }
}

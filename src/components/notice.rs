//! A message box: information, a warning, an error or a success, with a title and details.

use leptos::prelude::*;

/// The kind of message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Neutral information.
    Info,
    /// Something to be careful about.
    Warning,
    /// Something went wrong.
    Error,
    /// It worked.
    Success,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Info => "notice notice-info",
            Tone::Warning => "notice notice-warning",
            Tone::Error => "notice notice-error",
            Tone::Success => "notice notice-success",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Tone::Info => "i",
            Tone::Warning => "!",
            Tone::Error => "×",
            Tone::Success => "✓",
        }
    }
}

/// A message box. Errors are announced to screen readers immediately (`role="alert"`), others
/// politely (`role="status"`).
#[component]
pub fn Notice(
    /// How serious the message is (colour, icon and how it is announced).
    tone: Tone,
    /// The message in a few words, shown bold above the rest.
    #[prop(optional, into)]
    title: Option<String>,
    /// The explanation and what to do next.
    children: Children,
) -> impl IntoView {
    let role = if tone == Tone::Error {
        "alert"
    } else {
        "status"
    };
    view! {
        <div class=tone.class() role=role>
            <span class="notice-icon" aria-hidden="true">{tone.icon()}</span>
            <div class="notice-body">
                {title.map(|t| view! { <p class="notice-title">{t}</p> })}
                {children()}
            </div>
        </div>
    }
}

/// An error box shown while `error` holds a message, with the message as its text (test hook
/// `test_id` on the paragraph, when given).
#[component]
pub fn ErrorNotice(
    /// The message to show; nothing is shown while it is `None`.
    error: RwSignal<Option<String>>,
    /// What failed, in a few words.
    title: &'static str,
    /// The test hook on the message's paragraph.
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <Notice tone=Tone::Error title=title>
                <p data-testid=test_id>{move || error.get().unwrap_or_default()}</p>
            </Notice>
        </Show>
    }
}

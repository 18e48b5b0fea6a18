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
    tone: Tone,
    #[prop(optional, into)] title: Option<String>,
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

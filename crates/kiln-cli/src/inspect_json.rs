//! A classification in the `kiln inspect` vocabulary (shared with the web app's tests through
//! `crates/kiln-core/tests/fixtures/otp_cases.json`), as JSON and as text.
//!
//! The secret appears only with `reveal`; without it, only its length.

use kiln_core::otp::{self, Classification, MigrationAccount, TotpAccount};
use serde_json::{Value, json};

/// The JSON document for a classification.
pub fn classification_json(c: &Classification, reveal: bool) -> Value {
    match c {
        Classification::Totp(a) => {
            let mut doc = json!({
                "kind": c.kind(),
                "issuer": a.issuer,
                "label_issuer": a.label_issuer,
                "account": a.account,
                "algorithm": a.algorithm.name(),
                "digits": a.digits,
                "period": a.period.seconds(),
                "secret_len": a.secret.len(),
                "source": a.source.code(),
            });
            if reveal {
                doc["secret_hex"] = json!(otp::hex_display(&a.secret).as_str());
                doc["secret_base32"] = json!(otp::base32_display(&a.secret).as_str());
            }
            doc
        }
        Classification::Migration(m) => json!({
            "kind": c.kind(),
            "batch": m.batch.map(|b| json!({"index": b.index, "size": b.size})),
            "accounts": m.accounts.iter().map(|a| migration_account_json(a, reveal)).collect::<Vec<_>>(),
        }),
        Classification::NotASecret(n) => json!({
            "kind": c.kind(),
            "what": n.what.code(),
            "advice": n.advice,
        }),
        Classification::Refused(r) => json!({
            "kind": c.kind(),
            "reason": r.reason.code(),
            "advice": r.advice,
        }),
        Classification::Invalid(e) => json!({
            "kind": c.kind(),
            "error": e.code(),
            "advice": e.to_string(),
        }),
    }
}

fn migration_account_json(a: &MigrationAccount, reveal: bool) -> Value {
    let mut doc = json!({
        "index": a.index,
        "issuer": a.issuer,
        "account": a.account,
        "algorithm": a.algorithm,
        "digits": a.digits,
        "period": a.period,
        "supported": a.supported.is_ok(),
        "reason": a.supported.as_ref().err().map(|r| r.reason.code()),
        "advice": a.supported.as_ref().err().map(|r| r.advice.clone()),
    });
    if reveal && let Ok(account) = &a.supported {
        doc["secret_hex"] = json!(otp::hex_display(&account.secret).as_str());
    }
    doc
}

/// The text for people.
pub fn classification_human(c: &Classification, reveal: bool) -> String {
    match c {
        Classification::Totp(a) => {
            let mut out = String::from("A TOTP account the token can take.\n");
            out.push_str(&totp_lines(a, reveal));
            out
        }
        Classification::Migration(m) => {
            let mut out = String::from("A Google Authenticator export");
            if let Some(batch) = m.batch {
                out.push_str(&format!(" (QR code {} of {})", batch.index, batch.size));
            }
            out.push_str(&format!(" with {} account(s):\n", m.accounts.len()));
            for a in &m.accounts {
                let name = otp::account_label(&a.issuer, &a.account);
                let verdict = match &a.supported {
                    Ok(_) => "can be burned".to_string(),
                    Err(refusal) => format!("cannot be burned: {}", refusal.advice),
                };
                out.push_str(&format!(
                    "  {}. {name} — {}, {} digits, {} s — {verdict}\n",
                    a.index, a.algorithm, a.digits, a.period
                ));
                if reveal && let Ok(account) = &a.supported {
                    out.push_str(&format!(
                        "     secret: {}\n",
                        otp::base32_display(&account.secret).as_str()
                    ));
                }
            }
            out.push_str("Burn one with: kiln burn --uri - --account N");
            out
        }
        Classification::NotASecret(n) => format!("Not a secret ({}).\n{}", n.what.code(), n.advice),
        Classification::Refused(r) => {
            format!(
                "A secret the token cannot use ({}).\n{}",
                r.reason.code(),
                r.advice
            )
        }
        Classification::Invalid(e) => format!("This input could not be read.\n{e}"),
    }
}

fn totp_lines(a: &TotpAccount, reveal: bool) -> String {
    let or_none = |s: Option<&str>| s.unwrap_or("(not named)").to_string();
    let mut out = format!("  Issuer:    {}\n", or_none(a.issuer.as_deref()));
    if a.label_issuer.is_some() && a.label_issuer != a.issuer {
        out.push_str(&format!(
            "  Label:     {}\n",
            or_none(a.label_issuer.as_deref())
        ));
    }
    let account = if a.account.is_empty() {
        "(not named)"
    } else {
        &a.account
    };
    out.push_str(&format!("  Account:   {account}\n"));
    out.push_str(&format!(
        "  Settings:  {}, {} digits, new code every {}\n",
        a.algorithm, a.digits, a.period
    ));
    if reveal {
        out.push_str(&format!(
            "  Secret:    {} (Base32)\n             {} (hex)",
            otp::base32_display(&a.secret).as_str(),
            otp::hex_display(&a.secret).as_str()
        ));
    } else {
        out.push_str(&format!(
            "  Secret:    {} bytes (add --reveal to show it)",
            a.secret.len()
        ));
    }
    out
}

//! Microsoft Graph (beta) bodies for `POST /directory/authenticationMethodDevices/
//! hardwareOathDevices`, byte for byte (serde_json's pretty printer, two-space indent, a final
//! line break):
//!
//! * [`GraphForm::Array`] — a plain JSON array; each element is a valid body for creating one
//!   token, and the array is what Token2's inventory tools import;
//! * [`GraphForm::Delta`] — the bulk form `{"@context":"#$delta","value":[{"@contentId":"1",
//!   …}]}` from the Graph documentation.
//!
//! Each token: `serialNumber`, `manufacturer` (`Token2`), `model`, `secretKey` (Base32, upper
//! case, unpadded), `timeIntervalInSeconds` (a number, as the resource's Int32 type and the
//! single-create example have it), `hashFunction` (`hmacsha1` or `hmacsha256`), and
//! `assignTo: {"id": …}` only when the user list gave the user's object id: Graph assigns by
//! object id, never by UPN. Other tokens stay unassigned, for users to claim at My Security
//! Info, and [`GraphExport::notice`] says so.

use serde::Serialize;
use zeroize::Zeroizing;

use super::export::{ExportError, MANUFACTURER, graph_hash_function};
use super::ledger::Ledger;
use crate::otp::base32_unpadded;

/// Which Graph body to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphForm {
    /// A plain array of tokens.
    Array,
    /// The `#$delta` bulk body.
    Delta,
}

/// A Graph export and what the operator should know about it.
#[derive(Debug)]
pub struct GraphExport {
    /// The JSON text (holds secrets; wiped on drop).
    pub json: Zeroizing<String>,
    /// Tokens in the file.
    pub tokens: usize,
    /// Tokens with `assignTo`.
    pub assigned: usize,
}

impl GraphExport {
    /// Tokens without `assignTo`.
    pub fn unassigned(&self) -> usize {
        self.tokens.saturating_sub(self.assigned)
    }

    /// A sentence for the operator when some tokens are left unassigned.
    pub fn notice(&self) -> Option<String> {
        (self.unassigned() > 0).then(|| {
            format!(
                "{} of {} token(s) are not assigned to a user, because Microsoft Graph assigns \
                 by object id and the user list gave none for them. They are uploaded to the \
                 token inventory; users add their token themselves at My Security Info \
                 (aka.ms/mysecurityinfo → Add sign-in method → Hardware token), or an \
                 administrator assigns it in Entra.",
                self.unassigned(),
                self.tokens
            )
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Device<'a> {
    #[serde(rename = "@contentId", skip_serializing_if = "Option::is_none")]
    content_id: Option<String>,
    serial_number: &'a str,
    manufacturer: &'a str,
    model: &'a str,
    secret_key: &'a str,
    time_interval_in_seconds: u64,
    hash_function: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    assign_to: Option<AssignTo<'a>>,
}

#[derive(Serialize)]
struct AssignTo<'a> {
    id: &'a str,
}

#[derive(Serialize)]
struct Delta<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    value: Vec<Device<'a>>,
}

/// The Graph body of the batch.
pub fn graph_json(ledger: &Ledger, form: GraphForm) -> Result<GraphExport, ExportError> {
    let rows: Vec<_> = ledger.exported().collect();
    if rows.is_empty() {
        return Err(ExportError::NothingToExport);
    }
    let secrets: Vec<Zeroizing<String>> = rows.iter().map(|a| base32_unpadded(&a.secret)).collect();
    let devices: Vec<Device<'_>> = rows
        .iter()
        .zip(&secrets)
        .enumerate()
        .map(|(index, (attempt, secret))| Device {
            content_id: (form == GraphForm::Delta).then(|| (index + 1).to_string()),
            serial_number: &attempt.serial,
            manufacturer: MANUFACTURER,
            model: attempt.model.name(),
            secret_key: secret.as_str(),
            time_interval_in_seconds: attempt.settings.period.seconds(),
            hash_function: graph_hash_function(attempt.settings.algorithm),
            assign_to: attempt
                .user
                .as_ref()
                .and_then(|u| u.object_id.as_deref())
                .map(|id| AssignTo { id }),
        })
        .collect();
    let assigned = devices.iter().filter(|d| d.assign_to.is_some()).count();
    let tokens = devices.len();
    // Sized once so that growing never leaves a stale copy of a secret behind.
    let mut out = Zeroizing::new(Vec::with_capacity(128 + tokens * 512));
    let written = match form {
        GraphForm::Array => serde_json::to_writer_pretty(&mut *out, &devices),
        GraphForm::Delta => serde_json::to_writer_pretty(
            &mut *out,
            &Delta {
                context: "#$delta",
                value: devices,
            },
        ),
    };
    written.map_err(|_| ExportError::Json)?;
    out.push(b'\n');
    let json = String::from_utf8(core::mem::take(&mut *out)).map_err(|_| ExportError::Json)?;
    Ok(GraphExport {
        json: Zeroizing::new(json),
        tokens,
        assigned,
    })
}

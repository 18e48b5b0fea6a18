//! Fleet burning: many tokens in a row for an organisation, and the files an administrator
//! uploads to Microsoft Entra ID. Pure data, shared by the web app's Batch screen and
//! `kiln batch`; like the rest of kiln-core it does no I/O: randomness and time are passed in.
//!
//! * Ways in: fresh seeds ([`fresh_seed`] from a [`RandomSource`]), or a [`SeedList`] loaded
//!   from Entra's CSV, a `upn,secret` CSV or a file of `otpauth://` links, checked line by line
//!   with the wizard's classifier ([`ListRefused`] lists every problem with its line). An
//!   optional [`UserList`] says who gets each token.
//! * The batch: a [`Ledger`] of attempts (never overwritten: a repeat marks the earlier row
//!   replaced); a [`BatchPlan`] joins the seeds, users and count and says when the batch is
//!   complete; [`decide`] says what the token on the reader gets (the same seed again after an
//!   unknown result, its row or a new seed, or a question), with [`row_for_serial`] and
//!   [`user_for_serial`] for the row and user.
//! * Exports: [`entra_csv`], [`graph_json`] (plain array or `#$delta`), and the audit log
//!   ([`audit_csv`], [`audit_json`]) with a keyed [`SecretFingerprint`] instead of the seed.
//!
//! The CSV reader ([`read_csv`]) is strict RFC 4180 with line numbers.

mod audit;
mod binding;
mod csv_read;
mod csv_write;
mod decide;
mod entra_csv;
mod export;
mod export_file;
mod fingerprint;
mod graph_json;
mod ledger;
mod plan;
mod problem;
mod random;
mod seed;
mod seed_list;
mod seed_list_csv;
mod time;
mod users;

pub use audit::{AUDIT_CSV_HEADER, audit_csv, audit_json};
pub use binding::{RowRefusal, row_for_serial, user_for_serial};
pub use csv_read::{CsvError, CsvRecord, header_key, read_csv};
pub use csv_write::LineEnding;
pub use decide::{Burn, Decision, decide};
pub use entra_csv::{ENTRA_CSV_HEADER, entra_csv};
pub use export::{ExportError, MANUFACTURER, graph_hash_function};
pub use export_file::{ExportFile, ExportFormat, export_file};
pub use fingerprint::{AUDIT_KEY_BYTES, AuditKey, SecretFingerprint};
pub use graph_json::{GraphExport, GraphForm, graph_json};
pub use ledger::{Attempt, AttemptId, AttemptOutcome, CodeCheck, Ledger, LedgerError, NewAttempt};
pub use plan::{BatchPlan, SeedSource, UsersWithSeedList};
pub use problem::{ListProblem, ListRefused, ProblemReason};
pub use random::{RandomSource, RandomUnavailable};
pub use seed::{fresh_seed, fresh_seed_len};
pub use seed_list::{SeedList, SeedListFormat, SeedRow, detect_format};
pub use time::rfc3339_utc;
pub use users::{ShortUserList, User, UserList};

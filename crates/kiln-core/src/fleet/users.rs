//! The list of users who get the batch's tokens, in order: one UPN or e-mail address per line,
//! or a CSV with a `upn` column and optionally the user's object id (`id` or `objectId`), which
//! Microsoft Graph needs to assign a token (it does not take a UPN).

use core::fmt;
use std::collections::HashMap;

use super::csv_read::{CsvRecord, header_key, read_csv};
use super::problem::{ListProblem, ListRefused, ProblemReason, shorten};

/// One user of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Sign-in name or e-mail address, as written (trimmed).
    pub upn: String,
    /// Directory object id (a GUID), when the list gave one.
    pub object_id: Option<String>,
    /// The line it came from.
    pub line: usize,
}

/// The users, in the order they receive tokens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserList {
    users: Vec<User>,
}

/// The user list has fewer users than the batch has tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortUserList {
    /// Users in the list.
    pub users: usize,
    /// Tokens in the batch.
    pub tokens: usize,
}

impl fmt::Display for ShortUserList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The user list has {} user(s) but the batch is for {} tokens, so the last {} \
             token(s) would go to nobody. Add users to the list, lower the count, or go on and \
             leave those tokens unassigned.",
            self.users,
            self.tokens,
            self.tokens.saturating_sub(self.users)
        )
    }
}

impl UserList {
    /// Reads a user list. Every line is checked; any problem refuses the whole list.
    pub fn parse(text: &str) -> Result<UserList, ListRefused> {
        let records = read_csv(text);
        let header = match records.first() {
            Some(Ok(first)) => user_columns(first),
            _ => None,
        };
        let mut problems = Vec::new();
        let users = match header {
            Some(columns) => read_table(&records[1..], columns, &mut problems),
            None => read_lines(text, &mut problems),
        };
        if users.is_empty() && problems.is_empty() {
            problems.push(ListProblem {
                line: 1,
                reason: ProblemReason::EmptyList,
            });
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for user in &users {
            let key = user.upn.to_lowercase();
            if let Some(first_line) = seen.get(&key) {
                problems.push(ListProblem {
                    line: user.line,
                    reason: ProblemReason::DuplicateUser {
                        upn: shorten(&user.upn),
                        first_line: *first_line,
                    },
                });
            } else {
                seen.insert(key, user.line);
            }
        }
        if problems.is_empty() {
            Ok(UserList { users })
        } else {
            Err(ListRefused::new(problems))
        }
    }

    /// The users in order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// True when the list has no users.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    /// Checks the list against the number of tokens in the batch.
    pub fn check_count(&self, tokens: usize) -> Result<(), ShortUserList> {
        if self.users.len() < tokens {
            Err(ShortUserList {
                users: self.users.len(),
                tokens,
            })
        } else {
            Ok(())
        }
    }
}

/// Column indexes of a user CSV header: the upn column and the object id column, if the first
/// record is such a header.
fn user_columns(first: &CsvRecord) -> Option<(usize, Option<usize>)> {
    let keys: Vec<String> = first.fields.iter().map(|f| header_key(f)).collect();
    let upn = keys
        .iter()
        .position(|k| matches!(k.as_str(), "upn" | "userprincipalname" | "email" | "mail"))?;
    let id = keys
        .iter()
        .position(|k| matches!(k.as_str(), "id" | "objectid" | "userid"));
    Some((upn, id))
}

fn read_table(
    records: &[Result<CsvRecord, super::csv_read::CsvError>],
    (upn_column, id_column): (usize, Option<usize>),
    problems: &mut Vec<ListProblem>,
) -> Vec<User> {
    let mut users = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(ListProblem {
                    line: error.line(),
                    reason: ProblemReason::Csv(*error),
                });
                continue;
            }
        };
        let upn = record.field(upn_column).trim();
        let object_id = id_column
            .map(|c| record.field(c).trim())
            .filter(|id| !id.is_empty());
        let mut ok = true;
        if !looks_like_upn(upn) {
            ok = false;
            problems.push(ListProblem {
                line: record.line,
                reason: ProblemReason::BadUser {
                    value: shorten(upn),
                },
            });
        }
        if let Some(id) = object_id
            && !is_guid(id)
        {
            ok = false;
            problems.push(ListProblem {
                line: record.line,
                reason: ProblemReason::BadObjectId { value: shorten(id) },
            });
        }
        if ok {
            users.push(User {
                upn: upn.to_string(),
                object_id: object_id.map(str::to_string),
                line: record.line,
            });
        }
    }
    users
}

/// One user per line; blank lines and `#` comments are skipped.
fn read_lines(text: &str, problems: &mut Vec<ListProblem>) -> Vec<User> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut users = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let upn = raw.trim();
        if upn.is_empty() || upn.starts_with('#') {
            continue;
        }
        if looks_like_upn(upn) {
            users.push(User {
                upn: upn.to_string(),
                object_id: None,
                line,
            });
        } else {
            problems.push(ListProblem {
                line,
                reason: ProblemReason::BadUser {
                    value: shorten(upn),
                },
            });
        }
    }
    users
}

/// A sign-in name or e-mail address: `local@domain`, one `@`, no spaces, commas or quotes.
pub(crate) fn looks_like_upn(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ',' | '"' | ';' | '<' | '>'))
}

/// `8-4-4-4-12` hex digits, as Entra writes object ids.
fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

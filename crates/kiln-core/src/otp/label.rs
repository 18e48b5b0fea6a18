//! How an account is named to people: one wording for the web app and the CLI.

use super::account::TotpAccount;

/// "Contoso — alice@contoso.com"; either part alone when the other is empty; "" when both are.
pub fn account_label(service: &str, account: &str) -> String {
    match (service.trim().is_empty(), account.trim().is_empty()) {
        (false, false) => format!("{} — {}", service.trim(), account.trim()),
        (false, true) => service.trim().to_owned(),
        (true, false) => account.trim().to_owned(),
        (true, true) => String::new(),
    }
}

impl TotpAccount {
    /// The service as people know it: the `issuer=` value, with the label's prefix in
    /// parentheses when that differs (Microsoft 365 puts the tenant there), else the prefix;
    /// `None` when the input names no service.
    pub fn service(&self) -> Option<String> {
        match (&self.issuer, &self.label_issuer) {
            (Some(issuer), Some(label)) if issuer != label => Some(format!("{issuer} ({label})")),
            (Some(issuer), _) => Some(issuer.clone()),
            (None, Some(label)) => Some(label.clone()),
            (None, None) => None,
        }
    }

    /// "Service — account" (see [`account_label`]); "" when the input names neither.
    pub fn label(&self) -> String {
        account_label(self.service().as_deref().unwrap_or(""), &self.account)
    }
}

#[cfg(test)]
mod tests {
    use super::account_label;

    #[test]
    fn labels_join_what_is_there() {
        assert_eq!(account_label("Contoso", "alice"), "Contoso — alice");
        assert_eq!(account_label("Contoso", ""), "Contoso");
        assert_eq!(account_label(" ", "alice"), "alice");
        assert_eq!(account_label("", ""), "");
    }
}

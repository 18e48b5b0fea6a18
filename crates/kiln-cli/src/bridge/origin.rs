//! Who may talk to the bridge: the page's `Origin` (only the allowed ones), and the `Host` the
//! request was sent to (only this computer's loopback names, which defeats DNS rebinding: a
//! rebound name still arrives with its own name in `Host`).

use core::fmt;

/// The origins allowed when none is given: the local serve URL of `scripts/serve.sh`.
pub const DEFAULT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// A web origin, `scheme://host[:port]`, in the form browsers send it: scheme and host in
/// lower case, no default port, no path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

/// Why an `--allow-origin` value is not an origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError(String);

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a web origin. Give it as the browser's address bar shows the page, \
             without a path: http://127.0.0.1:8080 or https://kiln.example.org",
            self.0
        )
    }
}

impl Origin {
    /// Reads an origin as a user types it (`--allow-origin`): one trailing slash is forgiven.
    pub fn parse(text: &str) -> Result<Origin, OriginError> {
        let error = || OriginError(text.to_string());
        let trimmed = text.trim();
        let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
        Origin::from_header(trimmed).ok_or_else(error)
    }

    /// Reads the `Origin` header of a request: `None` for `null`, a path, or anything else
    /// that is not `http(s)://host[:port]`.
    pub fn from_header(value: &str) -> Option<Origin> {
        let (scheme, rest) = value.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => "80",
            "https" => "443",
            _ => return None,
        };
        let (host, port) = split_port(rest)?;
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
        if !host_ok {
            return None;
        }
        let host = host.to_ascii_lowercase();
        Some(Origin(match port {
            Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
            _ => format!("{scheme}://{host}"),
        }))
    }

    /// The origin as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `host[:port]` split at the port; `None` when the port is not a number.
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    // An IPv6 literal keeps its colons inside brackets.
    let port_start = match authority.rfind(']') {
        Some(bracket) => authority[bracket..].find(':').map(|i| bracket + i),
        None => authority.rfind(':'),
    };
    match port_start {
        Some(colon) => {
            let port = &authority[colon + 1..];
            let valid =
                !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
            valid.then_some((&authority[..colon], Some(port)))
        }
        None => Some((authority, None)),
    }
}

/// True when `host` (the request's `Host` header) names this computer's loopback address on
/// the bridge's `port`: `127.0.0.1:PORT` or `localhost:PORT` (any case). Any other name may be
/// a DNS-rebinding attack from a web page.
pub fn is_loopback_host(host: &str, port: u16) -> bool {
    let Some((name, given_port)) = split_port(host) else {
        return false;
    };
    let port_ok = match given_port {
        Some(p) => p.parse::<u16>().ok() == Some(port),
        None => port == 80,
    };
    port_ok && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> String {
        Origin::parse(text).unwrap().as_str().to_string()
    }

    #[test]
    fn origins_are_compared_in_the_browsers_form() {
        assert_eq!(origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(
            origin("HTTPS://Kiln.Example.ORG/"),
            "https://kiln.example.org"
        );
        assert_eq!(
            origin("https://kiln.example.org:443"),
            "https://kiln.example.org"
        );
        assert_eq!(origin("http://localhost:80"), "http://localhost");
        assert_eq!(
            origin("https://kiln.example.org:8443"),
            "https://kiln.example.org:8443"
        );
        assert_eq!(origin("http://[::1]:8080"), "http://[::1]:8080");
    }

    #[test]
    fn paths_null_and_other_schemes_are_not_origins() {
        for text in [
            "null",
            "",
            "http://",
            "kiln.example.org",
            "https://kiln.example.org/app",
            "file:///home/me/index.html",
            "chrome-extension://abcdef",
            "http://127.0.0.1:80a",
            "http://user@evil.example",
        ] {
            assert!(Origin::parse(text).is_err(), "{text}");
        }
        assert!(Origin::from_header("http://127.0.0.1:8080/").is_none());
    }

    #[test]
    fn only_loopback_names_on_the_bridges_port_are_accepted_hosts() {
        assert!(is_loopback_host("127.0.0.1:47231", 47231));
        assert!(is_loopback_host("LocalHost:47231", 47231));
        assert!(is_loopback_host("127.0.0.1", 80));
        assert!(!is_loopback_host("127.0.0.1:47232", 47231));
        assert!(!is_loopback_host("127.0.0.1", 47231));
        assert!(!is_loopback_host("evil.example:47231", 47231));
        assert!(!is_loopback_host("localhost.evil.example:47231", 47231));
        assert!(!is_loopback_host("127.0.0.2:47231", 47231));
        assert!(!is_loopback_host("", 47231));
    }
}

//! The HTTP request that opens a connection: the `Host` and `Origin` checks happen here,
//! before the WebSocket handshake completes, so a refused page never gets a socket. Also the
//! plain `GET /hello` the page asks first, so it can tell "bridge not running" from "origin not
//! allowed" (a browser shows a refused WebSocket only as "failed").

use std::io::{self, Read, Write};
use std::net::TcpStream;

use tungstenite::http::{Request, Version};
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{WebSocket, handshake::server};

use super::log;
use super::origin::{Origin, is_loopback_host};
use super::session::Shared;

/// The longest request head accepted (a browser's is well under 4 KiB).
const MAX_HEAD: usize = 16 * 1024;
/// The largest WebSocket message accepted: an APDU in hex with some JSON around it.
const MAX_MESSAGE: usize = 16 * 1024;

/// What to do with an accepted TCP connection.
pub enum Opened {
    /// A page from an allowed origin: its WebSocket.
    Page(Box<WebSocket<TcpStream>>, Origin),
    /// Answered (or refused) over plain HTTP; the connection is done.
    Answered,
}

/// Reads the request on `stream` and answers it: a WebSocket for an allowed page, `/hello`,
/// or a refusal.
pub fn open(mut stream: TcpStream, shared: &Shared) -> io::Result<Opened> {
    let Some((request, leftover)) = read_head(&mut stream)? else {
        plain(
            &mut stream,
            "400 Bad Request",
            "Not an HTTP request.\n",
            &[],
        )?;
        return Ok(Opened::Answered);
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let host = header("host").unwrap_or_default();
    if !is_loopback_host(&host, shared.port) {
        log::refusal(&format!(
            "refused a request for host \"{}\": the bridge answers only 127.0.0.1:{port} and \
             localhost:{port}",
            printable(&host),
            port = shared.port
        ));
        plain(
            &mut stream,
            "403 Forbidden",
            "Wrong Host: this bridge answers only requests for 127.0.0.1 or localhost.\n",
            &[],
        )?;
        return Ok(Opened::Answered);
    }
    let origin_header = header("origin");
    let origin = origin_header.as_deref().and_then(Origin::from_header);
    let allowed = origin.as_ref().is_some_and(|o| shared.origins.contains(o));
    let upgrade = header("upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));

    if !upgrade {
        return hello(&mut stream, &request, allowed).map(|()| Opened::Answered);
    }
    let (Some(origin), true) = (origin, allowed) else {
        let shown = origin_header
            .as_deref()
            .map_or("(none)".to_string(), printable);
        log::refusal(&format!(
            "refused a page from {shown}: not allowed (start the bridge with --allow-origin {shown})"
        ));
        plain(
            &mut stream,
            "403 Forbidden",
            "This page's origin is not allowed: start kiln bridge with --allow-origin ORIGIN.\n",
            &[],
        )?;
        return Ok(Opened::Answered);
    };
    let Ok(response) = server::create_response(&request) else {
        plain(
            &mut stream,
            "400 Bad Request",
            "Not a WebSocket handshake.\n",
            &[],
        )?;
        return Ok(Opened::Answered);
    };
    server::write_response(&mut stream, &response).map_err(io::Error::other)?;
    stream.flush()?;
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let socket = WebSocket::from_partially_read(stream, leftover, Role::Server, Some(config));
    Ok(Opened::Page(Box::new(socket), origin))
}

/// `GET /hello`: whether the asking origin is allowed, readable by any page (it reveals
/// nothing else). `OPTIONS` is the browser's preflight for a loopback request.
fn hello(stream: &mut TcpStream, request: &Request<()>, allowed: bool) -> io::Result<()> {
    let cors = [
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "GET"),
        ("Access-Control-Allow-Private-Network", "true"),
    ];
    let path = request.uri().path();
    match request.method().as_str() {
        "OPTIONS" => plain(stream, "204 No Content", "", &cors),
        "GET" if path == "/hello" => {
            let body = format!("{{\"kiln_bridge\":1,\"origin_allowed\":{allowed}}}");
            let mut headers = cors.to_vec();
            headers.push(("Content-Type", "application/json"));
            plain(stream, "200 OK", &body, &headers)
        }
        _ => plain(
            stream,
            "404 Not Found",
            "Kiln bridge: connect with a WebSocket.\n",
            &cors,
        ),
    }
}

/// Writes a complete plain HTTP response and lets the connection close.
fn plain(
    stream: &mut TcpStream,
    status: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> io::Result<()> {
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        body.len()
    );
    if !headers.iter().any(|(name, _)| *name == "Content-Type") && !body.is_empty() {
        response.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(body);
    stream.write_all(response.as_bytes())?;
    stream.flush()
}

/// Reads until the end of the request head; `None` when it is not HTTP or too long. Returns the
/// bytes read past the head too (a client may send its first frame right after).
fn read_head(stream: &mut TcpStream) -> io::Result<Option<(Request<()>, Vec<u8>)>> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buffer) {
            Ok(httparse::Status::Complete(length)) => {
                let request = to_request(&parsed);
                return Ok(request.map(|r| (r, buffer[length..].to_vec())));
            }
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD => {}
            _ => return Ok(None),
        }
    }
}

fn to_request(parsed: &httparse::Request<'_, '_>) -> Option<Request<()>> {
    let mut builder = Request::builder()
        .method(parsed.method?)
        .uri(parsed.path?)
        .version(match parsed.version? {
            0 => Version::HTTP_10,
            _ => Version::HTTP_11,
        });
    for header in parsed.headers.iter() {
        builder = builder.header(header.name, header.value);
    }
    builder.body(()).ok()
}

/// A header value fit for a log line: printable ASCII only, at most 100 characters.
fn printable(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(100)
        .collect()
}

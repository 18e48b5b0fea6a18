//! One accepted TCP connection, on its own thread: the request checks, then the page's
//! messages until it closes, goes quiet past its session, or is closed for wrong codes.

use std::io;
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use tungstenite::{Error, Message, WebSocket};

use super::handshake::{Opened, open};
use super::messages::{BridgeError, error_reply};
use super::session::{Outcome, PageSession, Shared};

/// How long the request head may take to arrive.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How often an idle connection looks at its session's timeout.
const IDLE_POLL: Duration = Duration::from_millis(250);
/// How long a reply may take to leave.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves one connection to its end. Errors only end this connection.
pub fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let _ = serve_checked(stream, shared);
}

fn serve_checked(stream: TcpStream, shared: Arc<Shared>) -> io::Result<()> {
    stream.set_read_timeout(Some(HEAD_TIMEOUT))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let (mut socket, origin) = match open(stream, &shared)? {
        Opened::Page(socket, origin) => (socket, origin),
        Opened::Answered => return Ok(()),
    };
    socket.get_mut().set_read_timeout(Some(IDLE_POLL))?;
    let mut page = PageSession::new(shared, origin);
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => match page.handle(text.as_str()) {
                Outcome::Reply(reply) => send(&mut socket, &reply)?,
                Outcome::ReplyAndClose(reply) => {
                    send(&mut socket, &reply)?;
                    let _ = socket.close(None);
                    let _ = socket.flush();
                    return Ok(());
                }
            },
            Ok(Message::Binary(_)) => {
                let error = BridgeError::BadRequest("binary frames are not used".to_string());
                send(&mut socket, &error_reply(&serde_json::Value::Null, &error))?;
            }
            // Pings are answered by tungstenite; a close is answered on the next read.
            Ok(_) => {}
            Err(Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if !page.tick() {
                    let _ = socket.close(None);
                    let _ = socket.flush();
                    return Ok(());
                }
                // Sends a pending pong or close answer, if any.
                let _ = socket.flush();
            }
            Err(_) => return Ok(()),
        }
    }
}

fn send(socket: &mut WebSocket<TcpStream>, reply: &serde_json::Value) -> io::Result<()> {
    socket
        .send(Message::text(reply.to_string()))
        .map_err(io::Error::other)
}

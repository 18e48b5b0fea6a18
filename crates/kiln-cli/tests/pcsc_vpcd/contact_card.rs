//! A contact smart card (not a token) for a vpcd slot: it answers the reader's GET ATR with a
//! contact card's ATR and every command APDU with 6D 00 (instruction not supported), counting
//! them. It stands in for a card in a laptop's smart-card slot, which kiln must never take for
//! the token. Same vpcd protocol as kiln-sim's `VirtualCard`: 2-byte big-endian length, then
//! the payload; a 1-byte payload is a control message (04 = GET ATR, the only one answered).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// An OpenPGP card 3.4's ATR, as a contact reader reports it.
pub const CONTACT_ATR: [u8; 21] = [
    0x3B, 0xDA, 0x18, 0xFF, 0x81, 0xB1, 0xFE, 0x75, 0x1F, 0x03, 0x00, 0x31, 0xF5, 0x73, 0xC0, 0x01,
    0x60, 0x00, 0x90, 0x00, 0x1C,
];

/// The card, in the slot for as long as it runs.
pub struct ContactCard {
    stop: Arc<AtomicBool>,
    apdus: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl ContactCard {
    /// Connects to vpcd's slot on `port` and answers until stopped.
    pub fn insert(port: u16) -> io::Result<ContactCard> {
        let mut stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_millis(20)))?;
        let stop = Arc::new(AtomicBool::new(false));
        let apdus = Arc::new(AtomicUsize::new(0));
        let (thread_stop, thread_apdus) = (Arc::clone(&stop), Arc::clone(&apdus));
        let thread = thread::spawn(move || {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 512];
            while !thread_stop.load(Ordering::SeqCst) {
                match stream.read(&mut chunk) {
                    Ok(0) => return,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    Err(e)
                        if matches!(
                            e.kind(),
                            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                        ) =>
                    {
                        continue;
                    }
                    Err(_) => return,
                }
                while buffer.len() >= 2 {
                    let length = usize::from(u16::from_be_bytes([buffer[0], buffer[1]]));
                    if buffer.len() < 2 + length {
                        break;
                    }
                    let message: Vec<u8> = buffer.drain(..2 + length).skip(2).collect();
                    let answer: &[u8] = match message.as_slice() {
                        [0x04] => &CONTACT_ATR,
                        [_] => continue, // power off / on, reset: no answer
                        _ => {
                            thread_apdus.fetch_add(1, Ordering::SeqCst);
                            &[0x6D, 0x00]
                        }
                    };
                    let mut framed = (answer.len() as u16).to_be_bytes().to_vec();
                    framed.extend_from_slice(answer);
                    if stream.write_all(&framed).is_err() {
                        return;
                    }
                }
            }
            // Dropping the stream closes the connection: the card leaves the slot.
        });
        Ok(ContactCard {
            stop,
            apdus,
            thread: Some(thread),
        })
    }

    /// How many command APDUs reached the card.
    pub fn apdus(&self) -> usize {
        self.apdus.load(Ordering::SeqCst)
    }
}

impl Drop for ContactCard {
    /// Takes the card out of the slot.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

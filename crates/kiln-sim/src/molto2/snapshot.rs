//! What a test may see inside the simulated Molto2 (the `state` request of `kiln-sim-vpcd
//! --molto2`): every profile with its seed, so a test can check what was burned with its own
//! TOTP. Test equipment only: a real Molto2 never reveals a seed.

use serde_json::{Value, json};

use super::SimMolto2;
use crate::totp::Hash;

impl SimMolto2 {
    /// Serial, clock, key attempts and every profile (seed in hex when occupied).
    pub fn snapshot(&self, wall: u64) -> Value {
        let profiles: Vec<Value> = self
            .profiles
            .iter()
            .enumerate()
            .map(|(number, p)| {
                json!({
                    "number": number,
                    "title": String::from_utf8_lossy(&p.title),
                    "occupied": p.seed.is_some(),
                    "seed_hex": p.seed.as_ref().map(|seed| hex::encode(seed.as_slice())),
                    "algorithm": match p.hash { Hash::Sha1 => "SHA1", Hash::Sha256 => "SHA256" },
                    "period": p.step,
                    "digits": p.digits,
                    "displayed_code": self.displayed_code(number as u8, wall),
                })
            })
            .collect();
        json!({
            "serial": self.serial,
            "device_time": self.device_time_at(wall),
            "attempts_left": self.attempts_left,
            "profiles": profiles,
            "executed": self.executed.iter().map(|ins| format!("{ins:?}")).collect::<Vec<_>>(),
        })
    }
}

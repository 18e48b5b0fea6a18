//! Running the real `kiln` binary and reading what it printed.
#![allow(dead_code)] // each test file uses a different part
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run of `kiln` produced.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as the one JSON document `--json` promises.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Everything printed, for "never printed" checks.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `kiln` with `args`, feeding `stdin` (closed immediately when `None`).
pub fn kiln(args: &[&str], stdin: Option<&str>) -> Run {
    kiln_with_env(args, stdin, &[])
}

/// Like [`kiln`], with extra environment variables.
pub fn kiln_with_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kiln"));
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the kiln binary starts");
    {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        if let Some(text) = stdin {
            // kiln may exit before reading everything (e.g. on a usage error).
            let _ = pipe.write_all(text.as_bytes());
        }
    }
    let output = child.wait_with_output().expect("kiln runs to its end");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The shared fixture directory of kiln-core's tests.
pub fn core_fixture(name: &str) -> String {
    let path = format!(
        "{}/../kiln-core/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs `kiln` with `args` in the folder `cwd`, stdin closed, no controlling terminal needed.
pub fn kiln_in(args: &[&str], cwd: &std::path::Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(args)
        .current_dir(cwd)
        .env_remove("KILN_PASSPHRASE")
        .stdin(Stdio::null())
        .output()
        .expect("the kiln binary starts");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

//! A real SMTP server on loopback for the mail tests: PyPI's aiosmtpd (installed by
//! `scripts/install-tools.sh` into `.tools/py`) with the handler in `fixtures/smtp_sink.py`,
//! which keeps each mail in a maildir as a mail client would see it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running aiosmtpd, killed when dropped.
pub struct SmtpSink {
    port: u16,
    /// More aiosmtpd arguments (TLS certificates).
    extra: Vec<String>,
    maildir: PathBuf,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

pub fn python() -> PathBuf {
    match std::env::var_os("CYBERCENTER_TEST_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/py/bin/python"),
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

impl SmtpSink {
    /// A sink on a free port, not started yet (a server that is down).
    pub fn stopped() -> SmtpSink {
        let dir = tempfile::tempdir().expect("temp dir");
        // aiosmtpd's Maildir creates the folder with its cur/new/tmp when it does not exist
        SmtpSink { port: free_port(), extra: Vec::new(), maildir: dir.path().join("maildir"), child: None, _dir: dir }
    }

    /// A sink started with more aiosmtpd arguments, e.g. `--tlscert C --tlskey K` (STARTTLS
    /// required) or `--smtpscert C --smtpskey K` (TLS from the first byte).
    pub async fn started_with(extra: &[&str]) -> SmtpSink {
        let mut sink = SmtpSink::stopped();
        sink.extra = extra.iter().map(|a| a.to_string()).collect();
        sink.start().await;
        sink
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn started() -> SmtpSink {
        let mut sink = SmtpSink::stopped();
        sink.start().await;
        sink
    }

    pub async fn start(&mut self) {
        let py = python();
        assert!(py.exists(), "no Python with aiosmtpd at {} (run scripts/install-tools.sh test)", py.display());
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let child = Command::new(&py)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port)])
            .args(&self.extra)
            .args(["-c", "smtp_sink.Sink"])
            .arg(&self.maildir)
            .env("PYTHONPATH", &fixtures)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        self.child = Some(child);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not listen on {}", self.port);
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every mail the server received, parsed: (envelope recipient, parsed message, raw text).
    pub fn mails(&self) -> Vec<(String, String, String)> {
        let Ok(dir) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        let mut files: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        files
            .into_iter()
            .map(|f| {
                let raw = String::from_utf8_lossy(&std::fs::read(&f).expect("read mail")).into_owned();
                // aiosmtpd records the envelope in X-RcptTo
                let rcpt = raw.lines().find_map(|l| l.strip_prefix("X-RcptTo: ")).unwrap_or_default().to_string();
                let to = mail_parser::MessageParser::default()
                    .parse(raw.as_bytes())
                    .and_then(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()).map(str::to_string))
                    .unwrap_or_default();
                (rcpt, to, raw)
            })
            .collect()
    }

    /// Waits (up to 10 s) for the mails to `to`.
    pub async fn mails_to(&self, to: &str) -> Vec<String> {
        for _ in 0..200 {
            let found: Vec<String> = self.mails().into_iter().filter(|(rcpt, _, _)| rcpt.eq_ignore_ascii_case(to)).map(|m| m.2).collect();
            if !found.is_empty() {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no mail to {to} arrived; the server has: {:?}", self.mails().iter().map(|m| &m.0).collect::<Vec<_>>());
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}


//! A real IMAP server on loopback for the mail import tests: Debian's `dovecot-imapd`
//! (installed by `scripts/install-tools.sh`) with a throwaway configuration, one user and a
//! maildir under a temporary folder. Mails are delivered the way a mail server delivers them:
//! written to `tmp/` and renamed into `new/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const USER: &str = "support@example.com";
pub const PASSWORD: &str = "imap secret";

/// Connects a mailbox at `url` (as `USER`) to the server, filed under "delivery", disabled: the
/// test reads it itself (the worker would race the test for the same mails).
pub async fn add_mailbox(db: &app::store::Db, url: &str) -> app::store::mailboxes::Mailbox {
    let type_id: i64 = sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = 'delivery'").fetch_one(db).await.expect("type");
    let settings = app::store::mailboxes::MailboxSettings {
        address: "help@example.com",
        url,
        username: USER,
        password: Some(PASSWORD),
        folder: "INBOX",
        type_id,
        poll_seconds: 10,
        enabled: false,
    };
    let mut tx = app::store::write_tx(db).await.expect("tx");
    let id = app::store::mailboxes::insert(&mut tx, &settings, 0).await.expect("mailbox");
    tx.commit().await.expect("commit");
    app::store::mailboxes::get(db, id).await.expect("read").expect("mailbox")
}

pub struct Dovecot {
    pub port: u16,
    /// With TLS: the port of implicit TLS (`imaps`); `port` then offers STARTTLS.
    pub tls_port: Option<u16>,
    pub maildir: PathBuf,
    /// Owner of the mail files (the mail user when the tests run as root).
    owner: Option<u32>,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

fn output(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd).args(args).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
}

fn binary() -> PathBuf {
    match std::env::var_os("CYBERCENTER_TEST_DOVECOT") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from("/usr/sbin/dovecot"),
    }
}

fn chown_all(path: &Path, uid: u32) {
    let _ = std::os::unix::fs::chown(path, Some(uid), Some(uid));
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            chown_all(&e.path(), uid);
        }
    }
}

impl Dovecot {
    pub async fn start() -> Dovecot {
        Dovecot::start_with(None).await
    }

    /// With TLS from this certificate and key (PEM files): STARTTLS on `port`, TLS on `tls_port`.
    pub async fn start_with_tls(cert: &Path, key: &Path) -> Dovecot {
        Dovecot::start_with(Some((cert, key))).await
    }

    async fn start_with(tls: Option<(&Path, &Path)>) -> Dovecot {
        let bin = binary();
        assert!(bin.exists(), "no dovecot at {} (run scripts/install-tools.sh test, or set CYBERCENTER_TEST_DOVECOT)", bin.display());
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let maildir = root.join("Maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
        }
        std::fs::create_dir_all(root.join("run/state")).expect("run dir");
        let port = super::sink::free_port();
        let tls_port = tls.map(|_| super::sink::free_port());
        let (ssl, imaps) = match tls {
            Some((cert, key)) => (
                format!("ssl = yes\nssl_cert = <{}\nssl_key = <{}\n", cert.display(), key.display()),
                format!("  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {}\n    ssl = yes\n  }}\n", tls_port.unwrap_or(0)),
            ),
            None => ("ssl = no\n".to_string(), "  inet_listener imaps {\n    port = 0\n  }\n".to_string()),
        };
        // dovecot refuses to serve mail as root: as root the mail belongs to `nobody`, otherwise
        // everything runs as the current user
        let is_root = output("id", &["-u"]) == "0";
        let (uid, gid, service_users) = if is_root {
            (65534, 65534, String::new())
        } else {
            let me = output("id", &["-un"]);
            let group = output("id", &["-gn"]);
            (
                output("id", &["-u"]).parse().unwrap_or(1000),
                output("id", &["-g"]).parse().unwrap_or(1000),
                format!("default_login_user = {me}\ndefault_internal_user = {me}\ndefault_internal_group = {group}\n"),
            )
        };
        let r = root.display();
        let conf = format!(
            "base_dir = {r}/run\nstate_dir = {r}/run/state\nlog_path = {r}/run/log\n{service_users}\
             protocols = imap\nlisten = 127.0.0.1\n{ssl}disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             first_valid_uid = 1\nmail_location = maildir:{maildir}\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {r}/users\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={r}\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n{imaps}}}\n",
            maildir = maildir.display(),
        );
        std::fs::write(root.join("dovecot.conf"), conf).expect("config");
        std::fs::write(root.join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).expect("users");
        let owner = if is_root {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755));
            chown_all(&maildir, uid);
            Some(uid)
        } else {
            None
        };
        let child = Command::new(&bin)
            .args(["-F", "-c"])
            .arg(root.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dovecot starts");
        let server = Dovecot { port, tls_port, maildir, owner, child: Some(child), _dir: dir };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("dovecot did not listen on {port}: {}", std::fs::read_to_string(root.join("run/log")).unwrap_or_default());
    }

    /// The mailbox URL the server connects with.
    pub fn url(&self) -> String {
        format!("imap://127.0.0.1:{}?tls=none", self.port)
    }

    /// Delivers a mail as a mail server does (`tmp/` then renamed into `new/`).
    pub fn deliver(&self, name: &str, raw: &[u8]) {
        let tmp = self.maildir.join("tmp").join(name);
        std::fs::write(&tmp, raw).expect("write mail");
        if let Some(uid) = self.owner {
            let _ = std::os::unix::fs::chown(&tmp, Some(uid), Some(uid));
        }
        std::fs::rename(&tmp, self.maildir.join("new").join(name)).expect("deliver");
    }

    /// The flags dovecot stored for a delivered mail (`S` = seen), once it moved it to `cur/`.
    pub fn flags(&self, name: &str) -> Option<String> {
        let cur = std::fs::read_dir(self.maildir.join("cur")).ok()?;
        cur.flatten().find_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let (base, flags) = file.split_once(":2,")?;
            (base == name).then(|| flags.to_string())
        })
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SIGTERM lets the master stop its login and imap processes too
            let _ = Command::new("kill").arg("-TERM").arg(c.id().to_string()).status();
            for _ in 0..100 {
                if matches!(c.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

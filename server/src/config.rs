//! Every environment variable the server reads, its default and its validation.

use std::net::SocketAddr;

pub const HELP: &str = "\
cybercenter — customer portal and cyber customer center

USAGE:
    cybercenter [serve]        serve the portal (default)
    cybercenter eval-faq --train TRAIN.tsv|demo --eval EVAL.tsv [--threshold T] [--show-errors]
                               evaluate the FAQ matcher on labelled data (TSV: text<TAB>label)
    cybercenter bench-pages [--connections N] [--seconds S] [--rounds R] [--only NAME,NAME] [--servers N]
                               what pages cost, signed in and not, against the shell (child process);
                               the median of R rounds over every target; --servers N: N servers
                               on BENCH_DATABASE_URL behind a round-robin proxy
    cybercenter bench-queue [--inquiries N] [--backlog W1,W2,...]
                               time the agent queue (query, page, refresh, take next) with N answered
                               inquiries and W waiting at each stage (temporary database)
    cybercenter bench-reports [--inquiries N]
                               time the analytics and staffing reports over N inquiries (default 1,000,000);
                               on BENCH_DATABASE_URL (an empty PostgreSQL database) when set
    cybercenter bench-faq [--templates N] [--phrasings N] [--queries N]
                               time and size the FAQ matcher on a synthetic FAQ of N templates
    cybercenter bench-chat [--connections N] [--rate MSGS_PER_S] [--seconds S]
                               load a server (child process) with N chat WebSockets and a message rate
    cybercenter bench-chaos [--connections N] [--rate MSGS_PER_S] [--seconds S]
                               two servers on one PostgreSQL under chat load, one killed and
                               PostgreSQL restarted mid-run (bench/chaos.sh): lost, duplicates, resume
    cybercenter bench-hostile [--requests N] [--parallel N] [--idle N]
                               one hostile client against a server (child process): registrations,
                               wrong passwords and half-sent requests; peak RSS and /healthz latency
    cybercenter bench-mail [--mails N] [--imap URL USER PASSWORD] [--smtp URL]
                               mails imported per second (against web inquiries), read over IMAP,
                               sent as files and over SMTP (temporary database)
    cybercenter bench-semantic [--rate INQUIRIES_PER_S] [--seconds S] [--model PATH]
                               submission to automatic answer by the semantic FAQ worker, open loop
                               at a fixed rate, against lexical matching alone (same run)
    cybercenter staffing --arrivals N --interval-s S --aht-s S --target 0.8 --within-s 20
                [--shrinkage 0.3] [--max-occupancy 0.85] [--concurrency K] [--automation R]
                               agents needed (Erlang C), as one JSON object with every step
    cybercenter bench-staffing time Erlang C staffing from 1 to 2,000 agents
    cybercenter --help         this text

ENVIRONMENT (defaults just work):
    LEPTOS_SITE_ADDR            address to listen on               [default: 127.0.0.1:3000]
    LEPTOS_SITE_ROOT            built site (pkg/ with WASM, JS, CSS) [default: target/site]
    DATABASE_URL                sqlite://FILE or postgres://…      [default: sqlite://data/cybercenter.db]
    CYBERCENTER_DEMO_DATA       load demo data into an empty database: 1 or 0 [default: 0; `make run` sets 1]
    CYBERCENTER_SECURE_COOKIES  mark cookies Secure and send HSTS (behind TLS): 1 or 0 [default: 0]
    CYBERCENTER_SESSION_DAYS    a session ends this many days after sign-in, however active [default: 30]
    CYBERCENTER_MAX_CONNECTIONS open connections at once (WebSockets included); more get 503 [default: 10000]
    CYBERCENTER_HEADER_TIMEOUT_S seconds a client may take to send a request's headers, and an
                                idle keep-alive connection stays open [default: 10]
    CYBERCENTER_PUBLIC_URL      the portal's address as people reach it, for links in mails
                                [default: http:// and LEPTOS_SITE_ADDR]
    CYBERCENTER_MAIL_FROM       sender of every mail [default: cybercenter <no-reply@localhost>]
    CYBERCENTER_SMTP_URL        the mail server: smtp://user:password@host:587 (STARTTLS),
                                smtps://user:password@host:465, or smtp://127.0.0.1:25?tls=none
                                for a relay on this machine [default: none, mails become files]
    CYBERCENTER_OUTBOX_DIR      with no mail server configured, each mail is written here as an
                                .eml file [default: data/outbox]
    CYBERCENTER_MAIL_CA_FILE    PEM certificate(s) of a certificate authority that mail servers'
                                certificates may also be signed by (an internal mail server),
                                besides the web's usual ones [default: none]
    CYBERCENTER_FILES_DIR       files kept outside the database (attachments, originals of
                                imported mails) on SQLite; on PostgreSQL files are kept in the
                                database and only uploads in progress are spooled here
                                [default: data/files]
    CYBERCENTER_MAIL_MAX_MB     a mail read from a support mailbox larger than this is not
                                imported (admins see it listed) [default: 25]
    CYBERCENTER_MAIL_PER_SENDER_HOUR  mails one sender may have imported per hour; more are
                                listed as not imported [default: 20]
    CYBERCENTER_SECRET_KEY_FILE  the key that seals stored secrets (mailbox passwords); made on
                                first start, keep it with the database [default: data/secret.key]
    CYBERCENTER_E5_MODEL        the sentence-embedding model of the semantic FAQ head (installed
                                by scripts/install-tools.sh); `off`, or a missing file, leaves
                                matching lexical [default: data/models/e5-small-q4.bin]
    CYBERCENTER_ATTACH_FILE_MB  the largest file that may be attached [default: 10]
    CYBERCENTER_ATTACH_MESSAGE_MB  the most one message's attachments may add up to [default: 25]
    RUST_LOG                    log filter, e.g. info or server=debug [default: info]

SEVERAL SERVERS (PostgreSQL):
    Start each server with the same DATABASE_URL=postgres://user@db-host:5432/cybercenter, the
    same CYBERCENTER_PUBLIC_URL and a copy of the same CYBERCENTER_SECRET_KEY_FILE, and put a
    round-robin proxy in front that passes WebSockets through. Sessions, live chat, FAQ edits,
    files and queued mail are shared through PostgreSQL; /healthz on each server answers
    {\"status\":\"ok\",\"backend\":\"postgres\",\"listener\":\"connected\"}. nginx, for servers on
    127.0.0.1:3001 and 127.0.0.1:3002:
        upstream cybercenter { server 127.0.0.1:3001; server 127.0.0.1:3002; }
        server {
            listen 80;
            location / {
                proxy_pass http://cybercenter;
                proxy_http_version 1.1;
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection \"upgrade\";
                proxy_set_header Host $host;
            }
        }
";

#[derive(Debug, Clone)]
pub struct Config {
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub database_url: String,
    pub demo_data: bool,
    pub secure_cookies: bool,
    /// A session ends this long after it signed in.
    pub session_lifetime: std::time::Duration,
    pub max_connections: usize,
    pub header_timeout: std::time::Duration,
    /// Where links in mails point (no trailing slash).
    pub public_url: String,
    /// The sender of every mail.
    pub mail_from: String,
    /// The mail server, if any (checked when the mailer is built).
    pub smtp_url: Option<String>,
    /// Where mails are written as `.eml` files (no mail server configured).
    pub outbox_dir: std::path::PathBuf,
    /// Extra certificate authorities for TLS to mail servers (PEM file).
    pub mail_ca_file: Option<std::path::PathBuf>,
    /// Where files kept outside the database live.
    pub files_dir: std::path::PathBuf,
    /// Limits on mail read from support mailboxes.
    pub inbound: app::mail::inbound::import::InboundLimits,
    /// How much may be attached.
    pub attach: app::domain::attachment::AttachLimits,
    /// The key that seals stored secrets.
    pub secret_key_file: std::path::PathBuf,
    /// The e5 model file of the semantic FAQ head (`None`: off).
    pub e5_model: Option<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("{name} must be an address like 127.0.0.1:3000, got {value:?}")]
    Address { name: &'static str, value: String },
    #[error("{name} must be 1 or 0 (or true/false), got {value:?}")]
    Flag { name: &'static str, value: String },
    #[error("DATABASE_URL must start with sqlite: or postgres:, got {0:?}")]
    Database(String),
    #[error("{name} must be a whole number from {min} to {max}, got {value:?}")]
    Number { name: &'static str, value: String, min: u64, max: u64 },
}

fn number(name: &'static str, value: Option<String>, default: u64, min: u64, max: u64) -> Result<u64, ConfigError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| ConfigError::Number { name, value: text.to_string(), min, max }),
    }
}

fn flag(name: &'static str, value: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError::Flag { name, value: other.to_string() }),
    }
}

impl Config {
    /// Reads the configuration from a lookup function (the process environment in `main`).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let addr = get("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_string());
        let site_addr = addr
            .trim()
            .parse()
            .map_err(|_| ConfigError::Address { name: "LEPTOS_SITE_ADDR", value: addr.clone() })?;
        let database_url = get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/cybercenter.db".to_string());
        if app::store::Backend::of_url(&database_url).is_none() {
            return Err(ConfigError::Database(database_url));
        }
        let public_url = get("CYBERCENTER_PUBLIC_URL")
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("http://{site_addr}"));
        Ok(Config {
            public_url,
            mail_from: get("CYBERCENTER_MAIL_FROM")
                .filter(|f| !f.trim().is_empty())
                .unwrap_or_else(|| "cybercenter <no-reply@localhost>".to_string()),
            smtp_url: get("CYBERCENTER_SMTP_URL").map(|u| u.trim().to_string()).filter(|u| !u.is_empty()),
            outbox_dir: get("CYBERCENTER_OUTBOX_DIR")
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| "data/outbox".to_string())
                .into(),
            mail_ca_file: get("CYBERCENTER_MAIL_CA_FILE").map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).map(Into::into),
            files_dir: get("CYBERCENTER_FILES_DIR")
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| "data/files".to_string())
                .into(),
            inbound: app::mail::inbound::import::InboundLimits {
                max_bytes: number("CYBERCENTER_MAIL_MAX_MB", get("CYBERCENTER_MAIL_MAX_MB"), 25, 1, 1024)? * 1024 * 1024,
                per_sender_per_hour: number("CYBERCENTER_MAIL_PER_SENDER_HOUR", get("CYBERCENTER_MAIL_PER_SENDER_HOUR"), 20, 1, 100_000)? as i64,
            },
            secret_key_file: get("CYBERCENTER_SECRET_KEY_FILE")
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| "data/secret.key".to_string())
                .into(),
            e5_model: match get("CYBERCENTER_E5_MODEL").map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
                Some(v) if v == "off" => None,
                Some(v) => Some(v.into()),
                None => Some("data/models/e5-small-q4.bin".into()),
            },
            attach: {
                const MIB: u64 = app::domain::attachment::MIB;
                let per_file = number("CYBERCENTER_ATTACH_FILE_MB", get("CYBERCENTER_ATTACH_FILE_MB"), 10, 1, 1024)? * MIB;
                let per_message = number("CYBERCENTER_ATTACH_MESSAGE_MB", get("CYBERCENTER_ATTACH_MESSAGE_MB"), 25, 1, 4096)? * MIB;
                app::domain::attachment::AttachLimits { per_file, per_message: per_message.max(per_file), ..Default::default() }
            },
            site_addr,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_string()),
            database_url,
            demo_data: flag("CYBERCENTER_DEMO_DATA", get("CYBERCENTER_DEMO_DATA"), false)?,
            secure_cookies: flag("CYBERCENTER_SECURE_COOKIES", get("CYBERCENTER_SECURE_COOKIES"), false)?,
            session_lifetime: std::time::Duration::from_secs(
                24 * 3600 * number("CYBERCENTER_SESSION_DAYS", get("CYBERCENTER_SESSION_DAYS"), 30, 1, 365)?,
            ),
            max_connections: number("CYBERCENTER_MAX_CONNECTIONS", get("CYBERCENTER_MAX_CONNECTIONS"), 10_000, 16, 1_000_000)? as usize,
            header_timeout: std::time::Duration::from_secs(number(
                "CYBERCENTER_HEADER_TIMEOUT_S",
                get("CYBERCENTER_HEADER_TIMEOUT_S"),
                10,
                1,
                300,
            )?),
        })
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// The file behind a `sqlite://path` URL, so its folder can be created first.
    pub fn sqlite_path(&self) -> Option<&str> {
        let rest = self.database_url.strip_prefix("sqlite://").or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next()?;
        (!path.is_empty() && path != ":memory:").then_some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_just_work() {
        let c = config(&[]).expect("defaults");
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/cybercenter.db");
        assert_eq!(c.sqlite_path(), Some("data/cybercenter.db"));
        assert!(!c.demo_data);
        assert!(!c.secure_cookies);
        assert_eq!(c.session_lifetime.as_secs(), 30 * 24 * 3600);
        assert_eq!(c.max_connections, 10_000);
        assert_eq!(c.header_timeout.as_secs(), 10);
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert_eq!(c.outbox_dir, std::path::PathBuf::from("data/outbox"));
        assert_eq!(c.files_dir, std::path::PathBuf::from("data/files"));
        assert_eq!(c.inbound.max_bytes, 25 * 1024 * 1024);
        assert_eq!(c.inbound.per_sender_per_hour, 20);
    }

    #[test]
    fn bad_values_are_named() {
        assert!(matches!(config(&[("LEPTOS_SITE_ADDR", "localhost")]), Err(ConfigError::Address { .. })));
        assert!(matches!(config(&[("CYBERCENTER_DEMO_DATA", "maybe")]), Err(ConfigError::Flag { .. })));
        assert!(matches!(config(&[("DATABASE_URL", "mysql://x")]), Err(ConfigError::Database(_))));
        assert!(config(&[("CYBERCENTER_DEMO_DATA", "1")]).expect("flag").demo_data);
        assert!(matches!(config(&[("CYBERCENTER_SESSION_DAYS", "0")]), Err(ConfigError::Number { .. })));
        assert!(matches!(config(&[("CYBERCENTER_MAX_CONNECTIONS", "lots")]), Err(ConfigError::Number { .. })));
        assert!(matches!(config(&[("CYBERCENTER_MAIL_MAX_MB", "0")]), Err(ConfigError::Number { .. })));
        assert_eq!(config(&[("CYBERCENTER_MAIL_MAX_MB", "2")]).expect("number").inbound.max_bytes, 2 * 1024 * 1024);
        assert_eq!(config(&[("CYBERCENTER_HEADER_TIMEOUT_S", "3")]).expect("number").header_timeout.as_secs(), 3);
    }
}

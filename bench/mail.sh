#!/usr/bin/env bash
# Mail throughput in one run (release build): mails imported per second against web inquiries,
# mails read over IMAP from Debian's dovecot, mails sent as .eml files and over SMTP to PyPI's
# aiosmtpd — both servers started here on loopback (scripts/install-tools.sh test installs them).
# Usage: bench/mail.sh [MAILS]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
mails="${1:-2000}"
cargo build --release -q -p server --bin cybercenter
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# dovecot: a throwaway configuration, one user, a maildir (as root the mail belongs to nobody)
imap_port="$(free_port)"
mkdir -p "$work/Maildir/cur" "$work/Maildir/new" "$work/Maildir/tmp" "$work/run/state"
if [ "$(id -u)" -eq 0 ]; then uid=65534; gid=65534; users=""; chmod 755 "$work"; chown -R 65534:65534 "$work/Maildir"
else uid="$(id -u)"; gid="$(id -g)"; users="default_login_user = $(id -un)
default_internal_user = $(id -un)
default_internal_group = $(id -gn)"; fi
cat > "$work/dovecot.conf" <<CONF
base_dir = $work/run
state_dir = $work/run/state
log_path = $work/run/log
$users
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:$work/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $work/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$work
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
echo 'support@example.com:{PLAIN}bench' > "$work/users"
/usr/sbin/dovecot -F -c "$work/dovecot.conf" & pids+=($!)

# aiosmtpd with the tests' handler (keeps every mail in a maildir)
smtp_port="$(free_port)"
PYTHONPATH=server/tests/fixtures .tools/py/bin/python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c smtp_sink.Sink "$work/sink" & pids+=($!)

for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$imap_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
  sleep 0.1
done
RUST_LOG=error ./target/release/cybercenter bench-mail --mails "$mails" \
  --imap "imap://127.0.0.1:$imap_port?tls=none" support@example.com bench \
  --smtp "smtp://127.0.0.1:$smtp_port?tls=none"
echo "aiosmtpd received $(ls "$work/sink/new" | wc -l) mails"

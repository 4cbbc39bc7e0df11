#!/bin/sh
# make-case.sh -- regenerate the fictitious sample case in examples/case/.
#
# Everything here is SYNTHETIC and FICTITIOUS. Only documentation address
# ranges are used (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)
# and example domains (example.org, example.net, example.com).
#
# Outputs (committed to the repository; this script only regenerates them):
#   case.txt             human description of the case
#   logs/auth.log        sshd/sudo syslog excerpt (brute force, then success)
#   logs/access.log      nginx combined-format access log
#   network/capture.pcap classic libpcap, LINKTYPE_ETHERNET (1)
#   disk/usb-stick.img   1 MiB ext2 filesystem image
#
# Tools needed (Debian 12 package in brackets):
#   POSIX sh, coreutils, touch with -d            [coreutils]
#   python3 (standard library only: struct)       [python3]
#   mke2fs >= 1.43 with -d, debugfs               [e2fsprogs]
# Optional, only for the self-check at the end:
#   tcpdump                                       [tcpdump]
#   e2fsck                                        [e2fsprogs]
#
# No root privileges are needed. Output is deterministic: running the script
# twice produces byte-identical files (checked with sha256sum on e2fsprogs
# 1.47.0 / Python 3.11; other e2fsprogs versions may lay out the image
# differently).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

export LC_ALL=C TZ=UTC
# Fixed "now" for everything that asks: 2026-11-15 09:30:00 UTC
EPOCH=1794735000
export SOURCE_DATE_EPOCH=$EPOCH
export E2FSPROGS_FAKE_TIME=$EPOCH

PYTHON=${PYTHON:-python3}

mkdir -p logs network disk

###########################################################################
# case.txt
###########################################################################
cat > case.txt <<'TXT'
FICTITIOUS SAMPLE CASE -- FOR TESTING AND DOCUMENTATION ONLY
=============================================================
Nothing in this directory describes real people, organisations, systems or
events. All IP addresses are from the documentation ranges of RFC 5737 and
RFC 3849; all domains are example.org / example.net / example.com.

Case number : 2026-CIRT-0042
Agency      : Example CIRT (fictitious)
Examiner    : Jane Doe (fictitious), Example Forensic Lab
Opened      : 2026-11-14
Title       : Unauthorised SSH access to web01.example.org and data theft

Summary
-------
On 2026-11-14 between 02:10 and 02:40 UTC the public web server
web01.example.org (198.51.100.10) received an SSH password-guessing attack
from 203.0.113.66. After 135 failed password attempts against common
user names the attacker logged in as "deploy" (password re-use) at
02:31:47 UTC, copied the invoice export into the web root and fetched it over
HTTP from the same address at 02:36:12 UTC.

On 2026-11-15 a USB stick labelled "USBSTICK" was found next to the staging
workstation of the hosting provider. It holds the administrator's notes that
mention the re-used "deploy" password, a copy of the invoice export and a
short user-name list matching the names tried in the attack.

Items
-----
  disk/usb-stick.img     Raw image of the USB stick (ext2, 1 MiB),
                         acquired 2026-11-15 09:30 UTC.
  logs/auth.log          /var/log/auth.log excerpt from web01 (sshd, sudo).
  logs/access.log        /var/log/nginx/access.log excerpt from web01.
  network/capture.pcap   Packet capture from the hosting provider's span
                         port in front of web01: the attacker's first SSH
                         connections (banner grabs, 02:10) and the HTTP
                         download of /static/i.csv (02:36:12). The body of
                         the download is byte-identical to
                         Documents/invoice.csv on the USB stick.

Hosts
-----
  198.51.100.10   web01.example.org (victim web server)
  203.0.113.66    attacker
  192.0.2.15      admin workstation (legitimate SSH logins)
  198.51.100.0/24, 192.0.2.0/24   ordinary web visitors
TXT

###########################################################################
# logs/auth.log and logs/access.log
###########################################################################
"$PYTHON" - <<'PY'
import datetime as dt

# Tiny deterministic LCG so that output does not depend on the Python
# version's random module.
class LCG:
    def __init__(self, seed): self.s = seed & 0xffffffff
    def next(self):
        self.s = (1103515245 * self.s + 12345) & 0x7fffffff
        return self.s
    def below(self, n): return self.next() % n
    def pick(self, seq): return seq[self.below(len(seq))]

r = LCG(20261114)
HOST = "web01"
ATT = "203.0.113.66"
ADMIN = "192.0.2.15"

def syslog_ts(t):
    # traditional syslog: "Nov 14 02:13:07", day padded with a space
    return "%s %2d %s" % (t.strftime("%b"), t.day, t.strftime("%H:%M:%S"))

auth = []
def a(t, prog, pid, msg):
    auth.append((t, "%s %s %s[%d]: %s" % (syslog_ts(t), HOST, prog, pid, msg)))

t0 = dt.datetime(2026, 11, 13, 22, 0, 0)
# --- legitimate admin activity the evening before
pid = 18211
t = t0 + dt.timedelta(minutes=7, seconds=12)
a(t, "sshd", pid, "Accepted publickey for jsmith from %s port 50412 ssh2: ED25519 SHA256:Vt0c8yq0Yx3p2mJcQwzQ1l8rD0vXq6k5n3sY9eWmF1A" % ADMIN)
a(t, "sshd", pid, "pam_unix(sshd:session): session opened for user jsmith(uid=1000) by (uid=0)")
t += dt.timedelta(seconds=5)
auth.append((t, "%s %s systemd-logind[512]: New session 311 of user jsmith." % (syslog_ts(t), HOST)))
t += dt.timedelta(minutes=3, seconds=41)
a(t, "sudo", 18240, "  jsmith : TTY=pts/0 ; PWD=/home/jsmith ; USER=root ; COMMAND=/usr/bin/systemctl reload nginx")
a(t, "sudo", 18240, "pam_unix(sudo:session): session opened for user root(uid=0) by jsmith(uid=1000)")
a(t, "sudo", 18240, "pam_unix(sudo:session): session closed for user root")
t += dt.timedelta(minutes=12, seconds=3)
a(t, "sshd", pid, "Received disconnect from %s port 50412:11: disconnected by user" % ADMIN)
a(t, "sshd", pid, "Disconnected from user jsmith %s port 50412" % ADMIN)
a(t, "sshd", pid, "pam_unix(sshd:session): session closed for user jsmith")
auth.append((t, "%s %s systemd-logind[512]: Session 311 logged out. Waiting for processes to exit." % (syslog_ts(t), HOST)))

# --- background noise: a few scanners
t = dt.datetime(2026, 11, 14, 0, 12, 0)
for ip in ("198.51.100.201", "203.0.113.9", "198.51.100.77"):
    pid += 37
    t += dt.timedelta(minutes=13 + r.below(20), seconds=r.below(60))
    a(t, "sshd", pid, "Connection closed by %s port %d [preauth]" % (ip, 32768 + r.below(28000)))
    pid += 1
    t += dt.timedelta(seconds=r.below(50))
    p = 32768 + r.below(28000)
    a(t, "sshd", pid, "Invalid user test from %s port %d" % (ip, p))
    a(t, "sshd", pid, "Connection closed by invalid user test %s port %d [preauth]" % (ip, p))

# --- the brute force: 02:10:03 .. 02:31:40
users_invalid = ["admin", "test", "oracle", "ubuntu", "user", "guest", "ftpuser",
                 "postgres", "git", "pi", "support", "backup", "www", "dev", "jenkins"]
users_valid = ["root", "deploy", "www-data"]
t = dt.datetime(2026, 11, 14, 2, 10, 3)
end = dt.datetime(2026, 11, 14, 2, 31, 40)
port = 40022
n = 0
while t < end:
    pid += 1 + r.below(3)
    port += 1 + r.below(7)
    if r.below(4) == 0:
        u = r.pick(users_valid)
        a(t, "sshd", pid, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (ATT, u))
        t2 = t + dt.timedelta(seconds=2)
        a(t2, "sshd", pid, "Failed password for %s from %s port %d ssh2" % (u, ATT, port))
        a(t2, "sshd", pid, "Connection closed by authenticating user %s %s port %d [preauth]" % (u, ATT, port))
    else:
        u = r.pick(users_invalid)
        a(t, "sshd", pid, "Invalid user %s from %s port %d" % (u, ATT, port))
        a(t, "sshd", pid, "pam_unix(sshd:auth): check pass; user unknown")
        a(t, "sshd", pid, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s " % ATT)
        t2 = t + dt.timedelta(seconds=2)
        a(t2, "sshd", pid, "Failed password for invalid user %s from %s port %d ssh2" % (u, ATT, port))
        a(t2, "sshd", pid, "Connection closed by invalid user %s %s port %d [preauth]" % (u, ATT, port))
    n += 1
    t += dt.timedelta(seconds=4 + r.below(12))

# --- success
t = dt.datetime(2026, 11, 14, 2, 31, 47)
pid += 3
a(t, "sshd", pid, "Accepted password for deploy from %s port 40999 ssh2" % ATT)
a(t, "sshd", pid, "pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)")
auth.append((t, "%s %s systemd-logind[512]: New session 312 of user deploy." % (syslog_ts(t), HOST)))
t = dt.datetime(2026, 11, 14, 2, 34, 55)
a(t, "sudo", pid + 40, "  deploy : TTY=pts/1 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/cp /srv/export/invoices-2026.csv /var/www/html/static/i.csv")
a(t, "sudo", pid + 40, "pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1001)")
a(t, "sudo", pid + 40, "pam_unix(sudo:session): session closed for user root")
t = dt.datetime(2026, 11, 14, 2, 38, 20)
a(t, "sshd", pid, "Received disconnect from %s port 40999:11: disconnected by user" % ATT)
a(t, "sshd", pid, "Disconnected from user deploy %s port 40999" % ATT)
a(t, "sshd", pid, "pam_unix(sshd:session): session closed for user deploy")
auth.append((t, "%s %s systemd-logind[512]: Session 312 logged out. Waiting for processes to exit." % (syslog_ts(t), HOST)))

auth.sort(key=lambda x: x[0])  # stable: keeps order within a second
with open("logs/auth.log", "w", newline="\n") as f:
    for _, line in auth:
        f.write(line + "\n")

# ------------------------------------------------------------------ nginx
acc = []
def ngx(t, ip, req, status, size, ref, ua):
    acc.append((t, '%s - - [%s] "%s" %d %d "%s" "%s"' % (
        ip, t.strftime("%d/%b/%Y:%H:%M:%S +0000"), req, status, size, ref, ua)))

UAS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
]
BOT = "Mozilla/5.0 (compatible; ExampleBot/2.1; +https://bot.example.com/)"
PAGES = [("/", 5123), ("/about.html", 3311), ("/contact.html", 2718),
         ("/products.html", 7420), ("/static/site.css", 11873),
         ("/static/app.js", 24310), ("/static/logo.png", 8342),
         ("/favicon.ico", 1150)]
VISITORS = ["198.51.100.%d" % i for i in (23, 45, 46, 88, 131, 172, 240)] + \
           ["192.0.2.%d" % i for i in (34, 77, 101, 199)]

t = dt.datetime(2026, 11, 13, 22, 0, 0)
end = dt.datetime(2026, 11, 14, 3, 0, 0)
while t < end:
    ip = r.pick(VISITORS)
    ua = r.pick(UAS)
    ngx(t, ip, "GET / HTTP/1.1", 200, 5123, "https://www.example.com/", ua)
    seen = set()
    for k in range(r.below(4)):
        p, sz = r.pick(PAGES[1:])
        if p in seen:
            continue
        seen.add(p)
        tt = t + dt.timedelta(seconds=1 + k)
        ngx(tt, ip, "GET %s HTTP/1.1" % p, 200, sz, "https://web01.example.org/", ua)
    if r.below(9) == 0:
        ngx(t + dt.timedelta(seconds=7), "198.51.100.250", "GET /robots.txt HTTP/1.1", 200, 68, "-", BOT)
    t += dt.timedelta(seconds=90 + r.below(240))

# scanner activity by the attacker, before the SSH attack
t = dt.datetime(2026, 11, 14, 2, 4, 11)
for p, st, sz in [("/", 200, 5123), ("/.env", 404, 153), ("/.git/config", 404, 153),
                  ("/wp-login.php", 404, 153), ("/admin/", 404, 153),
                  ("/phpmyadmin/", 404, 153), ("/backup/", 404, 153),
                  ("/server-status", 404, 153), ("/static/", 403, 153),
                  ("/backup.zip", 404, 153), ("/db.sql", 404, 153)]:
    ngx(t, ATT, "GET %s HTTP/1.1" % p, st, sz, "-", "curl/7.88.1")
    t += dt.timedelta(seconds=1)
# the download after the intrusion
ngx(dt.datetime(2026, 11, 14, 2, 36, 12), ATT, "GET /static/i.csv HTTP/1.1", 200, 341, "-", "curl/7.88.1")
# a visitor over IPv6
ngx(dt.datetime(2026, 11, 14, 2, 41, 2), "2001:db8:4a::17", "GET / HTTP/2.0", 200, 5123, "-", UAS[0])
# the site owner notices and removes the file
ngx(dt.datetime(2026, 11, 14, 8, 2, 44), ADMIN, "GET /static/i.csv HTTP/1.1", 404, 153, "-", UAS[0])

acc.sort(key=lambda x: x[0])
with open("logs/access.log", "w", newline="\n") as f:
    for _, line in acc:
        f.write(line + "\n")
PY

###########################################################################
# network/capture.pcap
###########################################################################
"$PYTHON" - <<'PY'
import struct

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ip4(s):
    return bytes(int(x) for x in s.split("."))

MAC_GW  = bytes.fromhex("020000000001")   # locally administered MACs
MAC_WEB = bytes.fromhex("02000000000a")

ipid = [0x1c46]
def packet(src, dst, sport, dport, flags, seq, ack, payload=b"", win=64240, opts=b""):
    F = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}
    fl = sum(F[c] for c in flags)
    off = (20 + len(opts)) // 4
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      off << 4, fl, win, 0, 0) + opts
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
    c = csum(pseudo + tcp + payload)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ipid[0] = (ipid[0] + 1) & 0xffff
    tot = 20 + len(tcp) + len(payload)
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, ipid[0], 0x4000, 64, 6, 0,
                      ip4(src), ip4(dst))
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    to_web = dst == WEB
    eth = (MAC_WEB + MAC_GW) if to_web else (MAC_GW + MAC_WEB)
    return eth + b"\x08\x00" + iph + tcp + payload

WEB = "198.51.100.10"
ATT = "203.0.113.66"
SYN_OPTS = bytes.fromhex("020405b4" "0402" "080a00000000" "00000000" "01" "030307")
# MSS 1460, SACK permitted, timestamps, NOP, wscale 7 -> 20 bytes

frames = []
def add(ts_us, pkt):
    frames.append((ts_us, pkt))

T0 = 1794622199 * 1000000   # 2026-11-14 02:09:59 UTC
t = T0
# SSH: SYN, SYN/ACK, ACK, then RST from the client (connection attempts as
# seen at the start of the brute force; payload is encrypted SSH, omitted)
isn = 0x3a1f0000
sport = 40001
for i in range(14):
    t += 1000000 + 137000 * (i % 5)
    c_isn = isn + i * 0x01010101
    s_isn = 0x77000000 + i * 0x00371337
    add(t, packet(ATT, WEB, sport + i * 3, 22, "S", c_isn, 0, win=64240, opts=SYN_OPTS))
    add(t + 312, packet(WEB, ATT, 22, sport + i * 3, "SA", s_isn, c_isn + 1, win=65160, opts=SYN_OPTS))
    add(t + 25410, packet(ATT, WEB, sport + i * 3, 22, "A", c_isn + 1, s_isn + 1, win=502))
    banner = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
    add(t + 27133, packet(WEB, ATT, 22, sport + i * 3, "PA", s_isn + 1, c_isn + 1, banner, win=510))
    add(t + 52001, packet(ATT, WEB, sport + i * 3, 22, "RA", c_isn + 1, s_isn + 1 + len(banner), win=0))

# HTTP download of the stolen file at 02:36:12
t = (1794622199 + (36 * 60 + 12) - (9 * 60 + 59) + 0) * 1000000
cp, c_isn, s_isn = 51422, 0x9e3779b9, 0x1badb00d
req = (b"GET /static/i.csv HTTP/1.1\r\n"
       b"Host: web01.example.org\r\n"
       b"User-Agent: curl/7.88.1\r\n"
       b"Accept: */*\r\n\r\n")
# Same bytes as Documents/invoice.csv on the USB stick.
body = (b"invoice_no,date,customer,amount_eur\n"
        b"INV-2026-0101,2026-01-12,Example Trading GmbH,1250.00\n"
        b"INV-2026-0102,2026-01-19,Sample Foods Ltd,389.90\n"
        b"INV-2026-0103,2026-02-03,Demo Logistics SA,4410.00\n"
        b"INV-2026-0104,2026-02-17,Example Trading GmbH,980.50\n"
        b"INV-2026-0105,2026-03-02,Placeholder Inc,15200.00\n"
        b"INV-2026-0106,2026-03-30,Sample Foods Ltd,77.25\n")
resp = (b"HTTP/1.1 200 OK\r\n"
        b"Server: nginx/1.22.1\r\n"
        b"Date: Sat, 14 Nov 2026 02:36:12 GMT\r\n"
        b"Content-Type: text/csv\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n"
        b"Connection: close\r\n\r\n")
c, s = c_isn, s_isn
add(t,        packet(ATT, WEB, cp, 80, "S", c, 0, opts=SYN_OPTS)); c += 1
add(t + 290,  packet(WEB, ATT, 80, cp, "SA", s, c, win=65160, opts=SYN_OPTS)); s += 1
add(t + 24870, packet(ATT, WEB, cp, 80, "A", c, s, win=502))
add(t + 25011, packet(ATT, WEB, cp, 80, "PA", c, s, req, win=502)); c += len(req)
add(t + 25230, packet(WEB, ATT, 80, cp, "A", s, c, win=509))
add(t + 25802, packet(WEB, ATT, 80, cp, "PA", s, c, resp, win=509)); s += len(resp)
add(t + 25840, packet(WEB, ATT, 80, cp, "PA", s, c, body, win=509)); s += len(body)
add(t + 25861, packet(WEB, ATT, 80, cp, "FA", s, c, win=509)); s += 1
add(t + 50120, packet(ATT, WEB, cp, 80, "A", c, s - 1 - len(body), win=501))
add(t + 50201, packet(ATT, WEB, cp, 80, "A", c, s, win=501))
add(t + 50377, packet(ATT, WEB, cp, 80, "FA", c, s, win=501)); c += 1
add(t + 50611, packet(WEB, ATT, 80, cp, "A", s, c, win=509))

frames.sort(key=lambda x: x[0])
with open("network/capture.pcap", "wb") as f:
    # classic pcap, microsecond resolution, little endian
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for ts, p in frames:
        f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(p), len(p)))
        f.write(p)
PY

###########################################################################
# disk/usb-stick.img
###########################################################################
src=$(mktemp -d)
conf=$(mktemp)
trap 'rm -rf "$src" "$conf"' EXIT INT TERM

mkdir -p "$src/Documents" "$src/tools"
cat > "$src/notes.txt" <<'TXT'
web01 migration notes  (J. Smith)  -- FICTITIOUS SAMPLE DATA
------------------------------------------------------------
- web01.example.org = 198.51.100.10, Debian 12, nginx 1.22
- deploy user for CI pushes; TODO: switch deploy to key-only auth!!
  (still same password as on the old staging box, "Summer2026!")
- invoice export runs nightly -> /srv/export/invoices-2026.csv
- admin access only from 192.0.2.15
TXT
cat > "$src/Documents/invoice.csv" <<'TXT'
invoice_no,date,customer,amount_eur
INV-2026-0101,2026-01-12,Example Trading GmbH,1250.00
INV-2026-0102,2026-01-19,Sample Foods Ltd,389.90
INV-2026-0103,2026-02-03,Demo Logistics SA,4410.00
INV-2026-0104,2026-02-17,Example Trading GmbH,980.50
INV-2026-0105,2026-03-02,Placeholder Inc,15200.00
INV-2026-0106,2026-03-30,Sample Foods Ltd,77.25
TXT
printf '%s\n' admin test oracle ubuntu user guest ftpuser postgres git pi \
    support backup www dev jenkins root deploy www-data > "$src/tools/users.txt"

chmod 0755 "$src" "$src/Documents" "$src/tools"
chmod 0644 "$src/notes.txt" "$src/Documents/invoice.csv" "$src/tools/users.txt"
touch -d '2026-10-02 14:21:09' "$src/notes.txt"
touch -d '2026-11-14 03:02:51' "$src/Documents/invoice.csv"
touch -d '2026-11-13 19:44:30' "$src/tools/users.txt"
touch -d '2026-11-14 03:02:51' "$src/Documents"
touch -d '2026-11-13 19:44:30' "$src/tools"
touch -d '2026-11-14 03:02:51' "$src"

# Private mke2fs.conf so the host's /etc/mke2fs.conf cannot change the layout.
cat > "$conf" <<'CONF'
[defaults]
	base_features = sparse_super,large_file,filetype,dir_index,ext_attr
	blocksize = 1024
	inode_size = 256
	inode_ratio = 8192
[fs_types]
	floppy = {
		inode_ratio = 8192
	}
	ext2 = {
		features = ^has_journal
	}
CONF

img=disk/usb-stick.img
rm -f "$img"
: > "$img"
MKE2FS_CONFIG=$conf mke2fs -q -F -t ext2 -b 1024 -I 256 -m 0 -L USBSTICK \
    -U 6d1e3c2a-5b4f-4e1d-9c2b-0d9f2a7e4c11 \
    -E hash_seed=3f0e8d7c-2a1b-4c5d-8e9f-0a1b2c3d4e5f,root_owner=0:0 \
    -d "$src" "$img" 1024

# mke2fs -d copies st_ctime and owner from the source tree; pin them so the
# image does not depend on when or by whom the script runs.
for p in / /lost+found /notes.txt /Documents /Documents/invoice.csv /tools /tools/users.txt; do
    debugfs -w -R "sif $p uid 0" "$img" >/dev/null 2>&1
    debugfs -w -R "sif $p gid 0" "$img" >/dev/null 2>&1
done
for p in / /lost+found; do
    for f in atime ctime mtime; do
        debugfs -w -R "sif $p $f 20261114030251" "$img" >/dev/null 2>&1
    done
done
debugfs -w -R "sif /notes.txt ctime 20261002142109" "$img" >/dev/null 2>&1
debugfs -w -R "sif /Documents ctime 20261114030251" "$img" >/dev/null 2>&1
debugfs -w -R "sif /Documents/invoice.csv ctime 20261114030251" "$img" >/dev/null 2>&1
debugfs -w -R "sif /tools ctime 20261113194430" "$img" >/dev/null 2>&1
debugfs -w -R "sif /tools/users.txt ctime 20261113194430" "$img" >/dev/null 2>&1
for p in /notes.txt /Documents /Documents/invoice.csv /tools /tools/users.txt; do
    debugfs -w -R "sif $p atime 20261115080000" "$img" >/dev/null 2>&1
done

###########################################################################
# Self-checks (skipped when the tool is missing)
###########################################################################
if command -v e2fsck >/dev/null 2>&1; then
    e2fsck -fn "$img" >/dev/null 2>&1 || { echo "e2fsck failed" >&2; exit 1; }
fi
if command -v tcpdump >/dev/null 2>&1; then
    tcpdump -nr network/capture.pcap >/dev/null 2>&1 || { echo "tcpdump failed" >&2; exit 1; }
fi

echo "examples/case regenerated:"
sha256sum case.txt logs/auth.log logs/access.log network/capture.pcap "$img"

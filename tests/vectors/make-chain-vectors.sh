#!/bin/sh
# make-chain-vectors.sh DEXF: regenerate only the record-chain vectors
# (chain-*.dexf and chain-truncated.dexf.head) in this directory; the other
# vectors are left alone.  make-vectors.sh calls it at the end.  Every
# signer is issued by CA A (ca.pem), except the one of
# chain-untrusted-record.dexf (tests/pki/cab-signer, CA B).  Regenerating
# changes container ids, times and signatures but not the verdicts listed
# in VECTORS.md.
set -eu
DEXF=${1:?usage: make-chain-vectors.sh path/to/dexf}
here=$(cd "$(dirname "$0")" && pwd)
pki="$here/../pki"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
rm -f ./chain-*.dexf ./chain-*.head

# small deterministic evidence: 2 x 4 KiB chunks + a tail, a log, and a
# small report to attach
python3 - "$tmp" <<'PY'
import sys, os
d = sys.argv[1]
os.makedirs(d + '/ev', exist_ok=True)
with open(d + '/ev/disk.img', 'wb') as f:
    f.write(bytes(range(256)) * 16 * 2 + b'TAIL' * 100)
with open(d + '/ev/notes.txt', 'w') as f:
    f.write(''.join('line %04d: examiner note\n' % i for i in range(20)))
with open(d + '/handover.txt', 'w') as f:
    f.write('Hand-over receipt VEC-0001: container on USB drive EX-1-C1.\n')
PY
ecdsa="--key $pki/ecdsa256.key --cert $pki/ecdsa256.pem"
rsa="--key $pki/rsapss.key --cert $pki/rsapss.pem"
cab="--key $pki/cab-signer.key --cert $pki/cab-signer.pem"
pk() { "$DEXF" pack -q --chunk-size 4K --case VEC-0001 --examiner "Vector Examiner" "$@"; }
custody() {
	"$DEXF" annotate "$1" --action transferred --to "Sam Roe" \
		--to-org "National CIRT" --to-role cirt \
		--location "Vector Lab, evidence room 2" \
		--authorization "Request NCIRT-2026-118" --item disk.img \
		--note "Handed over on USB drive EX-1-C1." \
		--attach "$tmp/handover.txt" --role examiner $ecdsa >/dev/null
}

# chain-good: seal, custody (transferred, with an attachment), annotation
# (with a range), trace-back (one hop); one generation per record
g="$tmp/good.dexf"
pk -o "$g" $ecdsa "$tmp/ev/disk.img" "$tmp/ev/notes.txt"
custody "$g"
"$DEXF" annotate "$g" --finding "Dropper script in the second chunk." \
	--item disk.img --range 4096:100 --path "Users/a/x.ps1" \
	--type finding --confidence high --tag malware --role analyst \
	--org "National CIRT" $rsa >/dev/null
"$DEXF" trace add "$g" --incident NCIRT-2026-118 --incident-org ncirt.example \
	--result ingress-point --protocol tcp \
	--source 198.51.100.23:44123 --destination 192.0.2.10:443 \
	--start 2026-11-20T08:55:00Z --end 2026-11-20T09:10:00Z \
	--point 192.0.2.1 --point-asn 64500 --router edge-1 \
	--observed-time 2026-11-20T08:57:12Z --observed-source 198.51.100.23 \
	--upstream 203.0.113.1 --upstream-asn 64511 --method flow-records \
	--confidence medium --evidence notes.txt --contact "NOC on duty" \
	--contact-org "Example Transit AS64500" --role irt $ecdsa >/dev/null
cp "$g" chain-good.dexf

# a further append, to cut: chain-good + its first 300 bytes
cp "$g" "$tmp/longer.dexf"
"$DEXF" annotate "$tmp/longer.dexf" --action verified \
	--outcome "dexf verify: intact-trusted" --note "Checked on receipt." \
	--role cirt $ecdsa >/dev/null

# chain-untrusted-record: chain-good + a record signed under CA B
cp "$g" chain-untrusted-record.dexf
"$DEXF" annotate chain-untrusted-record.dexf --action received \
	--note "Received by the peer CIRT." --role cirt \
	--org "dexf Test Org B" $cab >/dev/null

# another container with the same evidence and the same custody event:
# its record 1 is valid there, but names another containerId
o="$tmp/other.dexf"
pk -o "$o" $ecdsa "$tmp/ev/disk.img" "$tmp/ev/notes.txt"
custody "$o"

# the head of chain-good, for the receipt of chain-truncated
"$DEXF" verify --trust ca.pem --json chain-good.dexf > "$tmp/good.json"

python3 - "$here" "$tmp" <<'PY'
import json, os, sys
here, tmp = sys.argv[1:3]
sys.path.insert(0, here)
import dexfzip

R = 'META-INF/dexf/records/'
good = os.path.join(here, 'chain-good.dexf')
ents = dexfzip.read_entries(good)

def find(es, name):
    return [e for e in es if e[0] == name][0]

# chain-edited-middle: one byte of record 2's XML (inside the finding
# text, so it still parses), entry rewritten with a correct CRC
out = []
for e in ents:
    if e[0] == R + '000002.xml':
        x = dexfzip.plain(e)
        assert x.count(b'Dropper script') == 1
        e = dexfzip.entry(e[0], x.replace(b'Dropper script', b'Dropper scripT'), e[1])
    out.append(e)
dexfzip.write('chain-edited-middle.dexf', out)

# chain-swapped: records 1 and 2 exchanged (entries renamed)
ren = {}
for s in ('.xml', '.p7s'):
    ren[R + '000001' + s] = R + '000002' + s
    ren[R + '000002' + s] = R + '000001' + s
dexfzip.write('chain-swapped.dexf',
              [[ren.get(e[0], e[0])] + list(e[1:]) for e in ents])

# chain-truncated: the newest record's entries removed, a consistent
# shorter chain; the receipt is chain-good's head (record 3)
dexfzip.write('chain-truncated.dexf',
              [e for e in ents if not e[0].startswith(R + '000003.')])
head = json.load(open(os.path.join(tmp, 'good.json')))['containers'][0]['head']
assert head['sequence'] == 3
open('chain-truncated.dexf.head', 'w').write(head['sha256'] + '\n')

# chain-interrupted-append: chain-good followed by the first 300 bytes of
# the next generation (it starts with a local header, 50 4b 03 04)
g = open(good, 'rb').read()
longer = open(os.path.join(tmp, 'longer.dexf'), 'rb').read()
assert longer[:len(g)] == g and longer[len(g):len(g) + 4] == b'PK\x03\x04'
open('chain-interrupted-append.dexf', 'wb').write(longer[:len(g) + 300])

# chain-replayed: record 1 (xml and p7s) taken from another container
# with the same evidence and the same custody event
other = dexfzip.read_entries(os.path.join(tmp, 'other.dexf'))
out = []
for e in ents:
    if e[0] in (R + '000001.xml', R + '000001.p7s'):
        e = find(other, e[0])
    out.append(e)
dexfzip.write('chain-replayed.dexf', out)

# chain-attachment-changed: one byte of the attachment, same size, entry
# rewritten with a correct CRC
out = []
for e in ents:
    if e[0].startswith('META-INF/dexf/attachments/000001/'):
        x = bytearray(dexfzip.plain(e))
        x[0] ^= 0x20
        e = dexfzip.entry(e[0], bytes(x), e[1])
    out.append(e)
dexfzip.write('chain-attachment-changed.dexf', out)
PY
ls -la "$here"/chain-*

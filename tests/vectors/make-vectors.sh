#!/bin/sh
# make-vectors.sh DEXF: regenerate the test vectors in this directory.
# Each vector has exactly one defect (or none); VECTORS.md lists the
# expected verdicts.  The committed files are the outputs; regenerating
# changes container ids and signatures but not the verdicts.
set -eu
DEXF=${1:?usage: make-vectors.sh path/to/dexf}
here=$(cd "$(dirname "$0")" && pwd)
pki="$here/../pki"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
rm -f ./*.dexf ./*.zip ./*.dexfp
cp "$pki/ca.pem" ca.pem

# small deterministic evidence: 3 x 4 KiB chunks + a tail, and a log
python3 - "$tmp" <<'PY'
import sys, os
d = sys.argv[1]
os.makedirs(d + '/ev', exist_ok=True)
with open(d + '/ev/disk.img', 'wb') as f:
    f.write(bytes(range(256)) * 16 * 3 + b'TAIL' * 100)
with open(d + '/ev/notes.txt', 'w') as f:
    f.write(''.join('line %04d: examiner note\n' % i for i in range(40)))
PY
sign="--key $pki/ecdsa256.key --cert $pki/ecdsa256.pem"
pk() { "$DEXF" pack -q --chunk-size 4K --case VEC-0001 --examiner "Vector Examiner" "$@"; }

pk -o good-signed.dexf $sign "$tmp/ev/disk.img" "$tmp/ev/notes.txt"
# a tree with a nested file, an empty directory and a symbolic link
mkdir -p "$tmp/tree/sub" "$tmp/tree/empty"
cp "$tmp/ev/notes.txt" "$tmp/tree/sub/notes.txt"
ln -s sub/notes.txt "$tmp/tree/link-to-notes"
pk -o good-tree.dexf $sign "$tmp/tree"
pk -o good-store.dexf --compression store --hash md5,sha1,sha512,sha3-256 $sign "$tmp/ev/disk.img"
pk -o good-empty-item.dexf $sign --name empty.bin - < /dev/null
pk -o unsigned.dexf --no-sign "$tmp/ev/disk.img"
pk -o untrusted-signer.dexf --key "$pki/rogue.key" --cert "$pki/rogue.pem" "$tmp/ev/disk.img"
pk -o expired-signer.dexf --key "$pki/expired.key" --cert "$pki/expired.pem" "$tmp/ev/disk.img"
# padded-chunk.dexf starts from one chunk of zeros, as many as the crafted
# chunk decodes to
n=$(python3 -c "import sys; sys.path.insert(0, sys.argv[1]); import dexfzip; print(dexfzip.padded_chunk(2)[1])" "$here")
head -c "$n" /dev/zero > "$tmp/ev/zeros.bin"
pk -o "$tmp/zeros.dexf" $sign "$tmp/ev/zeros.bin"

python3 - "$here" "$pki" "$tmp" <<'PY'
import hashlib, os, re, shutil, struct, subprocess, sys, zipfile
here, pki, tmp = sys.argv[1:4]
sys.path.insert(0, here)
import dexfzip

def data_offset(path, name):
    with open(path, 'rb') as f, zipfile.ZipFile(path) as z:
        i = z.getinfo(name)
        f.seek(i.header_offset + 26)
        n, x = __import__('struct').unpack('<HH', f.read(4))
        return i.header_offset + 30 + n + x

def flip(src, dst, off):
    shutil.copy(src, dst)
    with open(dst, 'r+b') as f:
        f.seek(off)
        b = f.read(1)
        f.seek(off)
        f.write(bytes([b[0] ^ 0x01]))

def chunk_offset(path, item, idx, k):
    with zipfile.ZipFile(path) as z:
        ix = z.read('META-INF/dexf/index/%s.idx' % idx)
    off = int.from_bytes(ix[64 + 48 * k: 64 + 48 * k + 8], 'little')
    return data_offset(path, 'evidence/' + item) + off

good = os.path.join(here, 'good-signed.dexf')
# one byte in chunk 1 of disk.img (bytes 4096-8191)
flip(good, 'tampered-chunk.dexf', chunk_offset(good, 'disk.img', 'i1', 1) + 5)
# one byte of chunk 2's leaf hash in the index
flip(good, 'tampered-index.dexf',
     data_offset(good, 'META-INF/dexf/index/i1.idx') + 64 + 48 * 2 + 20)
# manifest bytes (deflated)
flip(good, 'tampered-manifest.dexf',
     data_offset(good, 'META-INF/dexf/manifest.xml') + 40)
# the seal record
flip(good, 'tampered-seal.dexf',
     data_offset(good, 'META-INF/dexf/records/000000.xml') + 60)
# the signature (inside the signature value, near the end)
sig = data_offset(good, 'META-INF/dexf/records/000000.p7s')
with zipfile.ZipFile(good) as z:
    siglen = z.getinfo('META-INF/dexf/records/000000.p7s').compress_size
flip(good, 'broken-signature.dexf', sig + siglen - 10)
# one byte of chunk 2 in a stored container
store = os.path.join(here, 'good-store.dexf')
flip(store, 'tampered-store-chunk.dexf', chunk_offset(store, 'disk.img', 'i1', 2) + 77)
# the deflate trailer (03 00) after the last chunk of disk.img
with zipfile.ZipFile(good) as z:
    dlen = z.getinfo('evidence/disk.img').compress_size
flip(good, 'tampered-trailer.dexf', data_offset(good, 'evidence/disk.img') + dlen - 2)
# truncated: the last 100 bytes are gone
data = open(good, 'rb').read()
open('truncated.dexf', 'wb').write(data[:-100])
# not a container: an ordinary zip of the evidence
with zipfile.ZipFile('not-a-container.zip', 'w') as z:
    z.write(os.path.join(tmp, 'ev/notes.txt'), 'notes.txt')

ents = dexfzip.read_entries(good)
names = [e[0] for e in ents]
# an entry added after sealing, inside the profile
extra = list(ents)
extra.insert(names.index('META-INF/dexf/manifest.xml'),
             dexfzip.entry('evidence/planted.txt', b'added later\n', 8))
dexfzip.write('extra-entry.dexf', extra)
# an evidence entry removed
missing = [e for e in ents if e[0] != 'evidence/notes.txt']
dexfzip.write('missing-entry.dexf', missing)

# the signature file removed: the record declares it
dexfzip.write('signature-removed.dexf',
              [e for e in ents if not e[0].endswith('000000.p7s')])
# a real CMS failure: one byte of the signature value changed and the
# entry rewritten with a correct CRC, so only the cryptography catches it
bad = []
for e in ents:
    if e[0].endswith('000000.p7s'):
        raw = bytearray(e[4])
        raw[-5] ^= 0x01
        e = dexfzip.entry(e[0], bytes(raw), 0)
    bad.append(e)
dexfzip.write('bad-signature.dexf', bad)
# the evidence entry claims one byte more than the manifest
sz = []
for e in ents:
    if e[0] == 'evidence/notes.txt':
        e = list(e)
        e[3] += 1
    sz.append(e)
dexfzip.write('size-mismatch.dexf', sz)
# a name reserved for later versions of the format
res = list(ents)
res.insert(names.index('META-INF/dexf/manifest.xml'),
           dexfzip.entry('META-INF/dexf/attachments/report.pdf', b'%PDF-1.7\n', 0))
dexfzip.write('reserved-name.dexf', res)

def reseal(entries, manifest, out, key='ecdsa256'):
    """Replace the manifest and re-sign a matching seal record, so the only
    defect is in the manifest's content."""
    rec = dexfzip.plain(entries[names.index('META-INF/dexf/records/000000.xml')]).decode()
    rec = re.sub(r'size="\d+" sha256="[0-9a-f]{64}"',
                 'size="%d" sha256="%s"' % (len(manifest),
                 hashlib.sha256(manifest).hexdigest()), rec)
    recb = rec.encode()
    open(os.path.join(tmp, 'r.xml'), 'wb').write(recb)
    subprocess.check_call(['openssl', 'cms', '-sign', '-binary', '-md', 'sha256',
        '-nosmimecap', '-outform', 'DER', '-in', os.path.join(tmp, 'r.xml'),
        '-signer', os.path.join(pki, key + '.pem'), '-inkey',
        os.path.join(pki, key + '.key'), '-out', os.path.join(tmp, 'r.p7s')])
    sigb = open(os.path.join(tmp, 'r.p7s'), 'rb').read()
    new = []
    for e in entries:
        if e[0] == 'META-INF/dexf/manifest.xml':
            e = dexfzip.entry(e[0], manifest, 8)
        elif e[0] == 'META-INF/dexf/records/000000.xml':
            e = dexfzip.entry(e[0], recb, 0)
        elif e[0] == 'META-INF/dexf/records/000000.p7s':
            e = dexfzip.entry(e[0], sigb, 0)
        new.append(e)
    dexfzip.write(out, new)

man = dexfzip.plain(ents[names.index('META-INF/dexf/manifest.xml')])
# a newer major format version, properly sealed: unsupported
reseal(ents, man.replace(b'formatVersion="1.0"', b'formatVersion="2.0"'),
       'unsupported-version.dexf')
# a manifest claiming a different sha256, properly sealed: the data is
# intact but does not match what the sealer asserted
m = re.sub(rb'(<digest algorithm="sha256">)[0-9a-f]{64}',
           lambda x: x.group(1) + b'0' * 64, man, count=1)
reseal(ents, m, 'sealed-wrong-digest.dexf')
# a manifest with a DOCTYPE (entity expansion attempt), properly sealed
m = man.replace(b'<manifest ', b'<!DOCTYPE manifest [<!ENTITY x "xxxxxxxx">]>\n<manifest ', 1)
reseal(ents, m, 'doctype-manifest.dexf')
# a manifest item path escaping the target, properly sealed
reseal(ents, man.replace(b'<path>notes.txt</path>', b'<path>../notes.txt</path>'),
       'path-traversal.dexf')
# a seal record from another container (replayed), properly signed
other = dexfzip.read_entries(os.path.join(here, 'unsigned.dexf'))
orec = dexfzip.plain([e for e in other if e[0].endswith('000000.xml')][0])
cid = re.search(rb'urn:uuid:[0-9a-f-]{36}', orec).group(0)
reseal(ents, re.sub(rb'urn:uuid:[0-9a-f-]{36}', cid, man, count=1),
       'replayed-seal.dexf')
# a chunk whose last block is not the flush's stored block but leaves 2
# padding bits after it (its last bytes are still 00 00 ff ff): zlib alone
# decodes it, the whole entry does not inflate.  Indexed and sealed
# properly, so the chunk itself is the defect.
ents = dexfzip.read_entries(os.path.join(tmp, 'zeros.dexf'))
names = [e[0] for e in ents]
chunk = dexfzip.padded_chunk(2)[0]
ents[names.index('evidence/zeros.bin')][4] = chunk + b'\x03\x00'
xn = 'META-INF/dexf/index/i1.idx'
ix = bytearray(dexfzip.plain(ents[names.index(xn)]))
struct.pack_into('<Q', ix, 48, len(chunk) + 2)      # data size
struct.pack_into('<QI', ix, 64, 0, len(chunk))      # chunk 0
ents[names.index(xn)] = dexfzip.entry(xn, bytes(ix), 0)
m = dexfzip.plain(ents[names.index('META-INF/dexf/manifest.xml')])
m = re.sub(rb'storedSize="\d+"', b'storedSize="%d"' % (len(chunk) + 2), m)
m = re.sub(rb'indexSha256="[0-9a-f]{64}"',
           b'indexSha256="%s"' % hashlib.sha256(ix).hexdigest().encode(), m)
reseal(ents, m, 'padded-chunk.dexf')
PY
# the record-chain vectors (chain-*.dexf), also runnable on their own
sh "$here/make-chain-vectors.sh" "$DEXF" >/dev/null
# the proof-file vectors (proof-*.dexfp), also runnable on their own
sh "$here/make-proof-vectors.sh" "$DEXF" >/dev/null
ls -la "$here"

#!/bin/sh
# make-proof-vectors.sh DEXF: regenerate only the proof-file vectors
# (proof-*.dexfp) in this directory, from good-signed.dexf; the other
# vectors are left alone.  make-vectors.sh calls it at the end.  Each bad
# proof has one defect, its entries rewritten with correct CRCs by
# dexfzip.py, so only the proof's own checks can find it.
set -eu
DEXF=${1:?usage: make-proof-vectors.sh path/to/dexf}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
rm -f ./proof-*.dexfp
# bytes 4000-8999 of disk.img: chunks 0, 1 and 2 of its 4 (4 KiB chunks)
"$DEXF" prove -q good-signed.dexf --item disk.img --range 4000:5000 \
    -o proof-good.dexfp
python3 - <<'PY'
import re
import dexfzip

ents = dexfzip.read_entries('proof-good.dexfp')


def rewrite(out, name, change):
    new = []
    for e in ents:
        if e[0] == name:
            e = dexfzip.entry(name, change(dexfzip.plain(e)), 0)
        new.append(e)
    dexfzip.write(out, new)


def flip_chunk(b):
    b = bytearray(b)
    b[100] ^= 0x01
    return bytes(b)


def flip_path(x):
    m = re.search(rb'index="2" leaf="[0-9a-f]{64}" inclusionPath="([0-9a-f])', x)
    return x[:m.start(1)] + (b'1' if m.group(1) == b'0' else b'0') + x[m.end(1):]


# one byte of chunk 1: its leaf hash no longer matches the descriptor's
rewrite('proof-tampered-chunk.dexfp', 'chunks/1', flip_chunk)
# one hex digit of the first hash of chunk 2's inclusion path
rewrite('proof-tampered-path.dexfp', 'META-INF/dexf/proof.xml', flip_path)
PY

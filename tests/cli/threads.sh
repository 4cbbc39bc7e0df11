#!/bin/sh
# threads.sh: the parallel pack pipeline produces the same container
# content whatever the number of threads: identical chunk indexes (chunk
# offsets, stored lengths and leaf hashes), identical digests and Merkle
# roots, identical evidence bytes; and every variant verifies.  Stored
# bytes are compared with zlib: igzip (ISA-L) can pick another encoding of
# the same chunk from one process to the next (seen on 2% of runs for a
# 28-byte file), so with it the content is compared, not the encoding.
. "${top_srcdir:-.}/tests/lib.sh"

mkdata "$T/big.bin" 700000
mktext "$T/log.txt" 3000
mkdir -p "$T/tree/a"
cp "$T/log.txt" "$T/tree/a/one.txt"
mkdata "$T/tree/two.bin" 90000
# Many files under one chunk, which are spread over the workers and
# written back in order, with empty ones and whole-chunk ones between
# them (these are streamed, after the small ones in flight are out), and
# text whose compressed form would depend on a codec's earlier chunks if
# any state were left over.
"$PYTHON3" - "$T/many" <<'PY'
import os, random, sys
r = random.Random(7)
for i in range(240):
    d = os.path.join(sys.argv[1], "d%d" % (i % 5))
    os.makedirs(d, exist_ok=True)
    n = 0 if i % 37 == 0 else 4096 * 3 + i if i % 53 == 0 else r.randrange(1, 4096)
    with open(os.path.join(d, "f%03d" % i), "wb") as f:
        if i % 3:
            words = [b"sshd", b"root", b"Failed", b"from", b"192.0.2.%d" % i]
            f.write(b" ".join(r.choice(words) for _ in range(n))[:n])
        else:
            f.write(r.randbytes(n))
PY

for j in 1 2 4 7; do
	for comp in deflate store; do
		expect_exit 0 env DEXF_DEFLATE=zlib "$DEXF" pack -q --no-sign \
		    --threads $j \
		    --compression $comp --chunk-size 4K --hash md5,sha1 \
		    -o "$T/c-$comp-$j.dexf" "$T/big.bin" "$T/log.txt" \
		    "$T/tree" "$T/many"
		expect_exit 3 "$DEXF" verify -q "$T/c-$comp-$j.dexf"
	done
done

# the content that matters, without the container id and times
digest() { # CONTAINER -> one line per entry: name and sha256 of its bytes
	"$PYTHON3" - "$1" <<'PY'
import hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    if i.filename.startswith(('evidence/', 'META-INF/dexf/index/')):
        print(i.filename, i.compress_size, hashlib.sha256(z.read(i)).hexdigest())
PY
}
for comp in deflate store; do
	digest "$T/c-$comp-1.dexf" > "$T/$comp-1.txt"
	for j in 2 4 7; do
		digest "$T/c-$comp-$j.dexf" > "$T/$comp-$j.txt"
		check "$comp: --threads $j gives the same chunks as --threads 1" \
		    cmp "$T/$comp-1.txt" "$T/$comp-$j.txt"
	done
	# the digests in the manifests agree too
	"$DEXF" info --json "$T/c-$comp-1.dexf" | "$PYTHON3" -c '
import json, sys
for i in json.load(sys.stdin)["items"]:
    print(i["path"], i.get("digests"), i.get("merkle-root"))' > "$T/$comp-info-1.txt"
	"$DEXF" info --json "$T/c-$comp-7.dexf" | "$PYTHON3" -c '
import json, sys
for i in json.load(sys.stdin)["items"]:
    print(i["path"], i.get("digests"), i.get("merkle-root"))' > "$T/$comp-info-7.txt"
	check "$comp: same digests and Merkle roots with 1 and 7 threads" \
	    cmp "$T/$comp-info-1.txt" "$T/$comp-info-7.txt"
done
# the default engine (igzip when built with it): the same content
for j in 1 7; do
	expect_exit 0 "$DEXF" pack -q --no-sign --threads $j --chunk-size 4K \
	    -o "$T/e-$j.dexf" "$T/big.bin" "$T/tree" "$T/many"
	"$PYTHON3" - "$T/e-$j.dexf" > "$T/e-$j.txt" <<'PY'
import hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    if i.filename.startswith('evidence/'):
        print(i.filename, hashlib.sha256(z.read(i)).hexdigest())
PY
	"$DEXF" info --json "$T/e-$j.dexf" | "$PYTHON3" -c '
import json, sys
for i in json.load(sys.stdin)["items"]:
    print(i["path"], i.get("digests"), i.get("merkle-root"))' >> "$T/e-$j.txt"
done
check "default engine: same content, digests and roots with 1 and 7 threads" \
    cmp "$T/e-1.txt" "$T/e-7.txt"

# the chunk index is not trivially equal: it holds real chunks
check "the big item has many chunks" grep -q "index/i1.idx $((64 + 48 * 171)) " "$T/deflate-1.txt"
check "every file of the many went in" test "$(grep -c '^evidence/many/' "$T/deflate-1.txt")" = 240
check "empty files have a stored entry" grep -q "^evidence/many/d0/f000 2 " "$T/deflate-1.txt"
for j in 1 7; do
	expect_exit 3 "$DEXF" unpack -q "$T/c-deflate-$j.dexf" -C "$T/u$j"
	check "--threads $j: the many files come back as they were" \
	    diff -r "$T/many" "$T/u$j/many"
done

# verification: same verdict and same problems (chunk ranges included)
# whatever the number of threads, on intact and on damaged containers
V="$top_srcdir/tests/vectors"
for v in good-signed tampered-chunk tampered-store-chunk tampered-trailer \
    tampered-index; do
	for j in 1 3; do
		"$DEXF" verify --json --threads $j --trust "$V/ca.pem" \
		    "$V/$v.dexf" > "$T/v-$v-$j.json"
		"$PYTHON3" -c '
import json, sys
c = json.load(open(sys.argv[1]))["containers"][0]
print(c["verdict"], c["exit_code"], json.dumps(c["problems"], sort_keys=True),
      json.dumps(c["items"], sort_keys=True), c["coverage"]["chunks_checked"])
' "$T/v-$v-$j.json" > "$T/v-$v-$j.txt"
	done
	check "verify $v: the same report with 1 and 3 threads" \
	    cmp "$T/v-$v-1.txt" "$T/v-$v-3.txt"
done
# Small items are decoded ahead on the workers: damage to some of them
# (a flipped byte in the data, a flipped byte in the stored stream) is
# reported on exactly those items, the same way with 1 and 3 threads.
cp "$T/c-deflate-1.dexf" "$T/dmg.dexf"
"$PYTHON3" - "$T/dmg.dexf" <<'PY' || die "damaging the container"
import struct, sys, zipfile
path = sys.argv[1]
z = zipfile.ZipFile(path)
spots = []
for name in ("evidence/many/d2/f007", "evidence/many/d4/f104"):
    i = z.getinfo(name)
    with open(path, "rb") as f:
        f.seek(i.header_offset)
        h = f.read(30)
    n, e = struct.unpack("<HH", h[26:30])
    spots.append(i.header_offset + 30 + n + e + i.compress_size // 2)
z.close()
with open(path, "r+b") as f:
    for p in spots:
        f.seek(p)
        b = f.read(1)
        f.seek(p)
        f.write(bytes([b[0] ^ 0x5a]))
PY
for j in 1 3; do
	"$DEXF" verify --json --threads $j "$T/dmg.dexf" > "$T/dmg-$j.json"
	"$PYTHON3" -c '
import json, sys
c = json.load(open(sys.argv[1]))["containers"][0]
print(c["verdict"], c["exit_code"])
for p in c["problems"]:
    print(p.get("kind"), p.get("item"), p.get("entry"))
print("not ok:", *sorted(i["path"] for i in c["items"]
                           if i.get("status") not in ("ok", None, "not-applicable")))
' "$T/dmg-$j.json" > "$T/dmg-$j.txt"
done
check "damaged small items: the same report with 1 and 3 threads" \
    cmp "$T/dmg-1.txt" "$T/dmg-3.txt"
check "damaged small items: the verdict is tampered" \
    grep -q "^tampered 1$" "$T/dmg-3.txt"
check "damaged small items: f007 is named" grep -q "many/d2/f007" "$T/dmg-3.txt"
check "damaged small items: f104 is named" grep -q "many/d4/f104" "$T/dmg-3.txt"
check "damaged small items: every other item is ok" \
    grep -qx "not ok: many/d2/f007 many/d4/f104" "$T/dmg-3.txt"

expect_exit 1 "$DEXF" verify --threads 3 --trust "$V/ca.pem" "$V/tampered-chunk.dexf"
expect_grep "chunk 1 .bytes 4096-8191." "$OUT"
expect_exit 2 "$DEXF" verify --threads 65 "$V/good-signed.dexf"

expect_exit 2 "$DEXF" pack -q --no-sign --threads 65 -o "$T/x.dexf" "$T/log.txt"
expect_exit 2 "$DEXF" pack -q --no-sign --threads -1 -o "$T/x.dexf" "$T/log.txt"
finish

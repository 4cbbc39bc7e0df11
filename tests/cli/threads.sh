#!/bin/sh
# threads.sh: the parallel pack pipeline produces the same container
# content whatever the number of threads: identical chunk indexes (chunk
# offsets, stored lengths and leaf hashes), identical digests and Merkle
# roots, identical evidence bytes; and every variant verifies.
. "${top_srcdir:-.}/tests/lib.sh"

mkdata "$T/big.bin" 700000
mktext "$T/log.txt" 3000
mkdir -p "$T/tree/a"
cp "$T/log.txt" "$T/tree/a/one.txt"
mkdata "$T/tree/two.bin" 90000

for j in 1 2 4 7; do
	for comp in deflate store; do
		expect_exit 0 "$DEXF" pack -q --no-sign --threads $j \
		    --compression $comp --chunk-size 4K --hash md5,sha1 \
		    -o "$T/c-$comp-$j.dexf" "$T/big.bin" "$T/log.txt" "$T/tree"
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
# the chunk index is not trivially equal: it holds real chunks
check "the big item has many chunks" grep -q "index/i1.idx $((64 + 48 * 171)) " "$T/deflate-1.txt"

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
expect_exit 1 "$DEXF" verify --threads 3 --trust "$V/ca.pem" "$V/tampered-chunk.dexf"
expect_grep "chunk 1 .bytes 4096-8191." "$OUT"
expect_exit 2 "$DEXF" verify --threads 65 "$V/good-signed.dexf"

expect_exit 2 "$DEXF" pack -q --no-sign --threads 65 -o "$T/x.dexf" "$T/log.txt"
expect_exit 2 "$DEXF" pack -q --no-sign --threads -1 -o "$T/x.dexf" "$T/log.txt"
finish

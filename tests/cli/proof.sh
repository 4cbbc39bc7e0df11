#!/bin/sh
# tests/cli/proof.sh - partial verification and proof files (FORMAT.md
# 11.10 and 16): `dexf verify --item [--range]`, `dexf prove`,
# `dexf verify-proof`, and the stock-tools walkthrough of FORMAT.md 16.7,
# run from the document itself.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
CA="--trust $PKI/ca.pem"
C0="j['containers'][0]"
# 70000 bytes in 4 KiB chunks: chunks 0..17, the last one 368 bytes
mkdir ev || die mkdir
mkdata ev/data.bin 70000 21
mktext ev/notes.txt 50
mkdir ev/empty || die mkdir
"$DEXF" pack -q -o c.dexf --chunk-size 4K $(signopts ecdsa256) ev ||
    die "pack c.dexf"
"$DEXF" pack -q -o s.dexf --chunk-size 4K --compression store \
    $(signopts ecdsa256) ev || die "pack s.dexf"
I=ev/data.bin

# chunk_off C K: file offset of the middle of chunk K's stored bytes
chunk_off()
{
	set -- $("$PYTHON3" "$CRAFT" chunk "$1" i1 "$2")
	echo $(($1 + $2 / 2))
}
# range_json EXIT C RANGE: verify --json --item $I --range RANGE
range_json()
{
	expect_exit "$1" "$DEXF" verify --json $CA --item $I --range "$3" "$2"
	cp "$OUT" r.json
}
# problems FILE: "kind:first-last" of each problem, space-separated
problems()
{
	"$PYTHON3" -c 'import json, sys
c = json.load(open(sys.argv[1]))["containers"][0]
print(" ".join("%s:%s-%s" % (p["kind"], p.get("chunk_first", ""),
      p.get("chunk_last", "")) for p in c["problems"]
      if p["kind"] not in ("unsigned", "untrusted")))' "$1"
}
# same_problems FILE WANT
same_problems()
{
	got=$(problems "$1")
	if [ "$got" = "$2" ]; then
		pass "problems: $2"
	else
		fail "problems: expected '$2', got '$got'"
	fi
}

# --- range verification of a good container -----------------------------------
for c in c.dexf s.dexf; do
	range_json 0 $c 5000:3000
	expect_json r.json "$C0['verdict'] == 'intact-trusted' and $C0['scope']['kind'] == 'range' and $C0['scope']['item'] == '$I'"
	expect_json r.json "($C0['scope']['offset'], $C0['scope']['length'], $C0['scope']['chunk_first'], $C0['scope']['chunk_last']) == (5000, 3000, 1, 1)"
	expect_json r.json "[i['status'] for i in $C0['items']] == ['partial', 'ok', 'not-checked']"
	expect_json r.json "$C0['coverage']['chunks_checked'] == 1 and $C0['coverage']['bytes_hashed'] == 4096 and $C0['coverage']['items_checked'] == 1"
done
expect_exit 0 "$DEXF" verify $CA --item $I --range 5000:3000 c.dexf
expect_grep "^INTACT, SIGNER TRUSTED \(ONE RANGE ONLY\): c\.dexf: intact, signer trusted: only bytes 5000-7999 of item 'ev/data\.bin' \(chunk 1\) against the sealed Merkle root; the rest of the evidence data was not read" "$OUT"
expect_grep "^  scope       range: " "$OUT"
expect_grep "^  item partial     ev/data\.bin" "$OUT"
# many chunks, a whole chunk, the end of the item, sizes with suffixes
range_json 0 c.dexf 4000:10000
expect_json r.json "($C0['scope']['chunk_first'], $C0['scope']['chunk_last'], $C0['coverage']['chunks_checked']) == (0, 3, 4)"
range_json 0 c.dexf 4K:4K
expect_json r.json "($C0['scope']['chunk_first'], $C0['scope']['chunk_last'], $C0['coverage']['chunks_checked']) == (1, 1, 1)"
range_json 0 c.dexf 69000:
expect_json r.json "($C0['scope']['length'], $C0['scope']['chunk_first'], $C0['scope']['chunk_last']) == (1000, 16, 17)"
range_json 0 c.dexf 69999:1
expect_json r.json "($C0['scope']['chunk_first'], $C0['scope']['chunk_last'], $C0['coverage']['bytes_hashed']) == (17, 17, 368)"
range_json 0 c.dexf 0:
expect_json r.json "$C0['coverage']['chunks_checked'] == 18 and $C0['items'][0]['status'] == 'partial'"
# the item alone, without a range: every chunk, digests too
expect_exit 0 "$DEXF" verify --json $CA --item i1 c.dexf
cp "$OUT" item.json
expect_json item.json "$C0['scope']['kind'] == 'item' and ($C0['scope']['offset'], $C0['scope']['length'], $C0['scope']['chunk_first'], $C0['scope']['chunk_last']) == (0, 70000, 0, 17)"
expect_json item.json "[i['status'] for i in $C0['items']] == ['ok', 'ok', 'not-checked'] and $C0['items'][0]['sha256'] is not None"
expect_exit 0 "$DEXF" verify $CA --item ev/data.bin c.dexf
expect_grep "^INTACT, SIGNER TRUSTED \(ONE ITEM ONLY\): c\.dexf: intact, signer trusted: only item 'ev/data\.bin' \(70000 bytes, every chunk\)" "$OUT"
# an untrusted signer says the scope too
expect_exit 3 "$DEXF" verify --item $I --range 0:10 c.dexf
expect_grep "^INTACT, SIGNER NOT ESTABLISHED \(ONE RANGE ONLY\): .*\[checked only bytes 0-9 of item 'ev/data\.bin' \(chunk 0\)" "$OUT"

# --- usage errors: exit 2, no verdict ----------------------------------------------
expect_exit 2 "$DEXF" verify $CA --item $I --range 5:0 c.dexf
expect_grep "c\.dexf: the range 5:0 of item 'ev/data\.bin' is empty" "$ERR"
expect_exit 2 "$DEXF" verify $CA --item $I --range 69999:2 c.dexf
expect_grep "c\.dexf: range 69999:2 is outside item 'ev/data\.bin' \(70000 bytes\)" "$ERR"
expect_exit 2 "$DEXF" verify $CA --item $I --range 70000: c.dexf
expect_grep "range 70000: starts at or after the end of item 'ev/data\.bin'" "$ERR"
expect_exit 2 "$DEXF" verify $CA --item $I --range 1G:1 c.dexf
expect_exit 2 "$DEXF" verify --json $CA --item nope c.dexf
expect_grep "c\.dexf: no item 'nope'" "$ERR"
check "no JSON is printed for a usage error" test ! -s "$OUT"
expect_exit 2 "$DEXF" verify $CA --item ev/empty c.dexf
expect_grep "item 'ev/empty' is not a file" "$ERR"
expect_exit 2 "$DEXF" verify $CA --item $I --range 5 c.dexf
expect_grep "--range '5' is not OFF:LEN" "$ERR"
expect_exit 2 "$DEXF" verify $CA --item $I --range 5:18446744073709551615 c.dexf
expect_exit 2 "$DEXF" verify $CA --range 0:1 c.dexf
expect_grep "--range needs --item" "$ERR"
expect_exit 2 "$DEXF" verify $CA --quick --item $I c.dexf
expect_exit 2 "$DEXF" verify $CA --item $I c.dexf s.dexf
expect_grep "--item takes exactly one container" "$ERR"

# --- damage inside and outside the range ----------------------------------------------
# a byte of chunk 1 (store: the leaf differs; deflate: it may not decode)
cp s.dexf s-in.dexf
"$PYTHON3" "$CRAFT" flip s-in.dexf "$(chunk_off s.dexf 1)" || die flip
range_json 1 s-in.dexf 5000:3000
expect_json r.json "$C0['verdict'] == 'tampered' and $C0['items'][0]['status'] == 'mismatch' and $C0['items'][0]['bad_chunks'] == 1"
expect_json r.json "any(p['kind'] == 'chunk-mismatch' and (p['chunk_first'], p['chunk_last'], p['byte_offset'], p['byte_length']) == (1, 1, 4096, 4096) and p['entry'] == 'evidence/ev/data.bin' for p in $C0['problems'])"
same_problems r.json "chunk-mismatch:1-1"
expect_exit 1 "$DEXF" verify $CA --item $I --range 5000:3000 s-in.dexf
expect_grep "^TAMPERED \(ONE RANGE ONLY\): s-in\.dexf: tampered: item 'ev/data\.bin': chunk 1 \(bytes 4096-8191\) does not match its digest" "$OUT"
cp c.dexf c-in.dexf
"$PYTHON3" "$CRAFT" flip c-in.dexf "$(chunk_off c.dexf 1)" || die flip
range_json 1 c-in.dexf 4096:1
same_problems r.json "chunk-mismatch:1-1"
# outside the range: not read, so not found (the documented scope) ...
cp s.dexf s-out.dexf
"$PYTHON3" "$CRAFT" flip s-out.dexf "$(chunk_off s.dexf 10)" || die flip
range_json 0 s-out.dexf 5000:3000
expect_json r.json "$C0['verdict'] == 'intact-trusted' and $C0['scope']['kind'] == 'range'"
# ... but a full verification finds it, and so does a range over it
expect_exit 1 "$DEXF" verify --json $CA s-out.dexf
cp "$OUT" full.json
same_problems full.json "chunk-mismatch:10-10"
range_json 1 s-out.dexf 41000:10
same_problems r.json "chunk-mismatch:10-10"
# every other chunk damaged, and another item: the range still passes,
# since no byte of them is read
cp s.dexf s-all.dexf
for k in 0 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do
	"$PYTHON3" "$CRAFT" flip s-all.dexf "$(chunk_off s.dexf $k)" || die flip
done
"$PYTHON3" "$CRAFT" flip s-all.dexf \
    $(($("$PYTHON3" "$CRAFT" dataoff s.dexf evidence/ev/notes.txt) + 10)) ||
    die flip
range_json 0 s-all.dexf 5000:3000
expect_exit 1 "$DEXF" verify --json $CA s-all.dexf
cp "$OUT" full.json
same_problems full.json "chunk-mismatch:0-0 chunk-mismatch:2-17 chunk-mismatch:0-0"

# --- the chunk index is not trusted ---------------------------------------------------
# a sibling: leaf 10 in the index, outside the range.  The index digest
# fails, and chunk 1 no longer reaches the sealed root: a distinct problem
cp c.dexf idx-sib.dexf
"$PYTHON3" "$CRAFT" flip idx-sib.dexf "$("$PYTHON3" "$CRAFT" leaf c.dexf i1 10)" ||
    die flip
range_json 1 idx-sib.dexf 5000:3000
same_problems r.json "index-mismatch:- merkle-mismatch:1-1"
expect_json r.json "any(p['kind'] == 'merkle-mismatch' and p['message'] == \"item 'ev/data.bin': chunk 1 (bytes 4096-8191) does not reach the Merkle root in the manifest through its inclusion path from the chunk index\" for p in $C0['problems'])"
range_json 1 idx-sib.dexf 0:
same_problems r.json "index-mismatch:- merkle-mismatch:0-9 chunk-mismatch:10-10 merkle-mismatch:11-17"
# the index and the data of chunk 1 changed together (leaf recomputed):
# they agree, but not with the sealed root
cp s.dexf both.dexf
"$PYTHON3" - both.dexf $("$PYTHON3" "$CRAFT" chunk s.dexf i1 1) \
    "$("$PYTHON3" "$CRAFT" leaf s.dexf i1 1)" <<'EOF' || die "both"
import hashlib, sys
path, off, ln, leaf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(path, "r+b") as f:
    f.seek(off)
    b = bytearray(f.read(ln))
    b[100] ^= 1
    f.seek(off)
    f.write(b)
    f.seek(leaf)
    f.write(hashlib.sha256(b"\0" + bytes(b)).digest())
EOF
range_json 1 both.dexf 4096:4096
same_problems r.json "index-mismatch:- merkle-mismatch:1-1"
# the index layout broken: the range cannot be located
cp c.dexf idx-len.dexf
"$PYTHON3" "$CRAFT" flip idx-len.dexf \
    $(($("$PYTHON3" "$CRAFT" leaf c.dexf i1 5) - 8)) 0x40 || die flip
range_json 1 idx-len.dexf 5000:3000
same_problems r.json "index-mismatch:- index-mismatch:6-6"

# --- reads: the range is O(range + index), not O(item) --------------------------------------
# 16 MiB + 4 KiB, 4097 chunks: a 4 KiB range reads the index (192 KiB,
# twice: its digest, then its leaves) and one chunk; a full verification
# reads it all
if command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true >/dev/null 2>&1; then
	head -c 16781312 /dev/zero > big.bin
	"$DEXF" pack -q -o big.dexf --chunk-size 4K --compression store \
	    $(signopts ecdsa256) big.bin || die "pack big"
	rm -f big.bin
	# read_bytes CMD...: bytes the command read (read and pread64)
	read_bytes()
	{
		strace -f -e trace=read,pread64 -o trace.txt "$@" >/dev/null 2>&1
		"$PYTHON3" -c 'import re, sys
print(sum(int(m.group(1)) for m in (re.search(r"= (\d+)\s*$", l)
          for l in open(sys.argv[1])) if m))' trace.txt
	}
	n=$(read_bytes "$DEXF" verify $CA --item big.bin --range 8M:4K big.dexf)
	if [ "$n" -gt 0 ] && [ "$n" -lt 1048576 ]; then
		pass "range verify of 4 KiB of 16 MiB read $n bytes"
	else
		fail "range verify of 4 KiB of 16 MiB read $n bytes"
	fi
	n=$(read_bytes "$DEXF" verify $CA -j 1 big.dexf)
	if [ "$n" -gt 16781312 ]; then
		pass "full verify read $n bytes (the count works)"
	else
		fail "full verify read only $n bytes: the count does not work"
	fi
	# two batches of paths: more chunks than one pass gathers
	expect_exit 0 "$DEXF" verify --json $CA --item big.bin --range 0: \
	    big.dexf
	cp "$OUT" r.json
	expect_json r.json "$C0['coverage']['chunks_checked'] == 4097"
	expect_exit 2 "$DEXF" prove big.dexf --item big.bin --range 0:16388K \
	    -o big.dexfp
	expect_grep "range 0:16781312 of item 'big\.bin' covers 4097 chunks; a proof holds at most 4096" "$ERR"
	expect_exit 0 "$DEXF" prove -q big.dexf --item big.bin --range 4K:16M \
	    -o big.dexfp
	expect_exit 0 "$DEXF" verify-proof --json $CA big.dexfp
	cp "$OUT" big.json
	expect_json big.json "$C0['coverage']['chunks_checked'] == 4096 and $C0['verdict'] == 'intact-trusted'"
	rm -f big.dexf big.dexfp
else
	pass "strace cannot run here: read counts not measured"
fi

# --- prove, verify-proof ------------------------------------------------------------------
expect_exit 0 "$DEXF" prove c.dexf --item $I --range 5000:10000 -o p.dexfp
expect_grep "^p\.dexfp: proof of bytes 5000-14999 of item 'ev/data\.bin' written" "$OUT"
check "proof entries" sh -c "unzip -Z1 p.dexfp > entries.txt"
printf '%s\n' mimetype META-INF/dexf/proof.xml META-INF/dexf/manifest.xml \
    META-INF/dexf/records/000000.xml META-INF/dexf/records/000000.p7s \
    chunks/1 chunks/2 chunks/3 > want.txt
expect_same entries.txt want.txt
check "the seal and manifest are copied byte for byte" sh -c "
for e in META-INF/dexf/manifest.xml META-INF/dexf/records/000000.xml \
    META-INF/dexf/records/000000.p7s; do
	unzip -p c.dexf \$e > a && unzip -p p.dexfp \$e > b && cmp a b || exit 1
done"
"$PYTHON3" -c 'import sys
d = open("ev/data.bin", "rb").read()
open("want.bin", "wb").write(d[5000:15000])
open("chunk2", "wb").write(d[8192:12288])'
check "chunk 2 is its plaintext" sh -c "unzip -p p.dexfp chunks/2 | cmp - chunk2"
expect_exit 0 "$DEXF" verify-proof $CA p.dexfp
expect_grep "^INTACT, SIGNER TRUSTED \(PROOF OF ONE RANGE\): p\.dexfp: intact, signer trusted: only bytes 5000-14999 of item 'ev/data\.bin' \(chunks 1-3\) against the sealed Merkle root; from a proof file, without the container" "$OUT"
expect_exit 0 "$DEXF" verify-proof --json $CA p.dexfp
cp "$OUT" p.json
expect_json p.json "$C0['scope']['kind'] == 'proof' and ($C0['scope']['offset'], $C0['scope']['length'], $C0['scope']['chunk_first'], $C0['scope']['chunk_last']) == (5000, 10000, 1, 3)"
expect_json p.json "$C0['coverage']['chunks_checked'] == 3 and $C0['coverage']['entries_accounted'] == 8 and $C0['seal']['signature_valid'] is True and $C0['coverage']['manifest_bound'] is True"
expect_json p.json "[i['status'] for i in $C0['items']] == ['partial', 'ok', 'not-checked'] and [r['sequence'] for r in $C0['records']] == [0]"
# the proven bytes
expect_exit 0 "$DEXF" verify-proof $CA -o - p.dexfp
expect_same "$OUT" want.bin
expect_grep "^INTACT, SIGNER TRUSTED" "$ERR"
expect_exit 0 "$DEXF" verify-proof -q $CA --extract out.bin p.dexfp
expect_same out.bin want.bin
expect_exit 2 "$DEXF" verify-proof $CA --extract out.bin p.dexfp
expect_grep "out\.bin: already exists \(use --force to replace it\)" "$ERR"
expect_exit 0 "$DEXF" verify-proof -q $CA --force --extract out.bin p.dexfp
expect_same out.bin want.bin
expect_exit 2 "$DEXF" verify-proof --json $CA -o - p.dexfp
# trust comes from the command line only
expect_exit 3 "$DEXF" verify-proof p.dexfp
expect_exit 0 "$DEXF" verify-proof -i p.dexfp
expect_exit 3 "$DEXF" verify-proof --trust "$PKI/rogue-ca.pem" p.dexfp
expect_exit 0 "$DEXF" verify-proof --signer "$PKI/ecdsa256.pem" p.dexfp
# edge ranges: one byte, the end, a whole chunk, a stored container
for r in 0:1 69999:1 69000: 4096:4096; do
	expect_exit 0 "$DEXF" prove -q -f c.dexf --item i1 --range $r -o e.dexfp
	expect_exit 0 "$DEXF" verify-proof -q $CA e.dexfp
done
expect_exit 0 "$DEXF" prove -q s.dexf --item $I --range 69000: -o st.dexfp
expect_exit 0 "$DEXF" verify-proof $CA -o - st.dexfp
"$PYTHON3" -c 'import sys
sys.stdout.buffer.write(open("ev/data.bin", "rb").read()[69000:])' > tail.bin
expect_same "$OUT" tail.bin
# an unsigned container gives an unsigned proof
"$DEXF" pack -q -o u.dexf --chunk-size 4K --no-sign ev || die "pack u"
expect_exit 0 "$DEXF" prove -q u.dexf --item $I --range 0:1 -o u.dexfp
expect_exit 3 "$DEXF" verify-proof $CA u.dexfp
expect_grep "intact, but unsigned: nobody vouches for this proof" "$OUT"
# prove refuses what it cannot prove
expect_exit 2 "$DEXF" prove c.dexf --item $I --range 0:1 -o p.dexfp
expect_grep "p\.dexfp: already exists \(use --force to replace it\)" "$ERR"
expect_exit 2 "$DEXF" prove c.dexf --item nope --range 0:1 -o x.dexfp
expect_exit 2 "$DEXF" prove c.dexf --item $I --range 0:70001 -o x.dexfp
expect_exit 2 "$DEXF" prove c.dexf --item $I --range 10:0 -o x.dexfp
expect_exit 2 "$DEXF" prove c.dexf --item ev/empty --range 0:1 -o x.dexfp
expect_exit 2 "$DEXF" prove c.dexf --item $I -o x.dexfp
expect_exit 1 "$DEXF" prove c-in.dexf --item $I --range 5000:1 -o x.dexfp
expect_grep "item 'ev/data\.bin': chunk 1 \(bytes 4096-8191\) does not" "$ERR"
expect_exit 1 "$DEXF" prove idx-sib.dexf --item $I --range 5000:1 -o x.dexfp
check "nothing was left behind" sh -c "! ls -a | grep -E '^(x\.dexfp|\..*\.part)$'"

# --- tampered proofs -------------------------------------------------------------------------
# change1 IN OUT REGEX: IN with the one character REGEX's group 1 matches
# (first match) replaced by another digit
change1()
{
	"$PYTHON3" - "$@" <<'EOF' || die "change1 $3"
import re, sys
s = open(sys.argv[1]).read()
m = re.search(sys.argv[3], s)
if m is None or len(m.group(1)) != 1:
    sys.exit("change1: no match for " + sys.argv[3])
c = "1" if m.group(1) == "0" else "0"
open(sys.argv[2], "w").write(s[:m.start(1)] + c + s[m.end(1):])
EOF
}
# tampered NEW put|drop ENTRY [FILE]: a copy of p.dexfp with ENTRY's
# content replaced by FILE's, or ENTRY removed
tampered()
{
	cp p.dexfp "$1" && "$PYTHON3" "$CRAFT" "$2" "$1" "$3" ${4:+"$4"} ||
	    die "$2 $3 in $1"
}
# proof_json EXIT FILE: verify-proof --json; the report in FILE.json.
# (craft.py put keeps every CRC-32 correct: only the checks of the
# content can notice; a raw flip breaks the CRC too.)
proof_json()
{
	expect_exit "$1" "$DEXF" verify-proof --json $CA "$2"
	cp "$OUT" "$2.json"
}
"$PYTHON3" "$CRAFT" get p.dexfp chunks/2 > c2 || die get
"$PYTHON3" "$CRAFT" flip c2 77 || die flip
tampered t-chunk.dexfp put chunks/2 c2
proof_json 1 t-chunk.dexfp
same_problems t-chunk.dexfp.json "chunk-mismatch:2-2"
expect_json t-chunk.dexfp.json "$C0['problems'][0]['entry'] == 'chunks/2' and $C0['problems'][0]['message'] == \"item 'ev/data.bin': chunk 2 (bytes 8192-12287) does not match its leaf hash in the proof\""
# the bytes before the damaged chunk are given out, none from it on
expect_exit 1 "$DEXF" verify-proof $CA -o - t-chunk.dexfp
"$PYTHON3" -c 'import sys
sys.stdout.buffer.write(open("ev/data.bin", "rb").read()[5000:8192])' > head.bin
expect_same "$OUT" head.bin
expect_exit 1 "$DEXF" verify-proof $CA --extract t.bin t-chunk.dexfp
check "no file is kept from a tampered proof" sh -c "! ls -a | grep -E '^t\.bin'"
# the chunk and its leaf hash changed together: the path catches it
"$PYTHON3" "$CRAFT" get p.dexfp META-INF/dexf/proof.xml > desc.xml || die get
leaf=$("$PYTHON3" -c 'import hashlib, sys
print(hashlib.sha256(b"\0" + open("c2", "rb").read()).hexdigest())')
old=$(sed -n 's/.*index="2" leaf="\([0-9a-f]*\)".*/\1/p' desc.xml)
sed "s/index=\"2\" leaf=\"$old\"/index=\"2\" leaf=\"$leaf\"/" desc.xml > desc2.xml
cp t-chunk.dexfp t-leaf.dexfp
"$PYTHON3" "$CRAFT" put t-leaf.dexfp META-INF/dexf/proof.xml desc2.xml ||
    die put
proof_json 1 t-leaf.dexfp
same_problems t-leaf.dexfp.json "merkle-mismatch:2-2"
expect_json t-leaf.dexfp.json "$C0['problems'][0]['message'] == \"item 'ev/data.bin': chunk 2 (bytes 8192-12287) does not reach the Merkle root in the manifest through its inclusion path in the proof\""
# one hash of a path
change1 desc.xml desc3.xml \
    'index="3" leaf="[0-9a-f]{64}" inclusionPath="([0-9a-f])'
tampered t-path.dexfp put META-INF/dexf/proof.xml desc3.xml
proof_json 1 t-path.dexfp
same_problems t-path.dexfp.json "merkle-mismatch:3-3"
# a raw flip in a chunk entry: its CRC-32 fails
cp p.dexfp t-crc.dexfp
"$PYTHON3" "$CRAFT" flip t-crc.dexfp \
    $(($("$PYTHON3" "$CRAFT" dataoff p.dexfp chunks/1) + 9)) || die flip
proof_json 1 t-crc.dexfp
same_problems t-crc.dexfp.json "chunk-mismatch:1-1"
# a chunk entry missing, or one byte short
tampered t-gone.dexfp drop chunks/3
proof_json 1 t-gone.dexfp
same_problems t-gone.dexfp.json "missing-entry:3-3"
head -c 4095 chunk2 > short
tampered t-short.dexfp put chunks/2 short
proof_json 1 t-short.dexfp
expect_json t-short.dexfp.json "'holds 4095 bytes, not 4096' in $C0['problems'][0]['message']"
# the manifest: no longer the one the seal binds
"$PYTHON3" "$CRAFT" get p.dexfp META-INF/dexf/manifest.xml |
    sed 's/<size>70000</<size>70001</' > m.xml
tampered t-manifest.dexfp put META-INF/dexf/manifest.xml m.xml
proof_json 1 t-manifest.dexfp
expect_json t-manifest.dexfp.json "$C0['verdict'] == 'tampered' and $C0['problems'][0]['kind'] == 'manifest-mismatch' and $C0['coverage']['manifest_bound'] is False"
# the seal record: its signature no longer verifies
"$PYTHON3" "$CRAFT" get p.dexfp META-INF/dexf/records/000000.xml > seal0.xml
change1 seal0.xml seal.xml '<time>[0-9T:-]+:[0-9]([0-9])Z<'
tampered t-seal.dexfp put META-INF/dexf/records/000000.xml seal.xml
proof_json 1 t-seal.dexfp
expect_json t-seal.dexfp.json "$C0['verdict'] == 'chain-broken' and $C0['problems'][0]['kind'] == 'signature-invalid' and $C0['problems'][0]['entry'] == 'META-INF/dexf/records/000000.p7s'"
expect_exit 1 "$DEXF" verify-proof $CA -o - t-seal.dexfp
check "no byte is given out under a broken seal" test ! -s "$OUT"
# the signature: one byte of it, or removed
"$PYTHON3" "$CRAFT" get p.dexfp META-INF/dexf/records/000000.p7s > sig
"$PYTHON3" "$CRAFT" flip sig $(($(wc -c < sig) - 10)) || die flip
tampered t-sig.dexfp put META-INF/dexf/records/000000.p7s sig
proof_json 1 t-sig.dexfp
expect_json t-sig.dexfp.json "$C0['verdict'] == 'chain-broken' and $C0['problems'][0]['kind'] == 'signature-invalid'"
tampered t-nosig.dexfp drop META-INF/dexf/records/000000.p7s
proof_json 1 t-nosig.dexfp
expect_json t-nosig.dexfp.json "$C0['problems'][0]['kind'] == 'signature-invalid' and 'declares a signature' in $C0['problems'][0]['message']"
# the descriptor: rules and hostile XML
desc_case()
{ # NAME SED-EXPR MESSAGE-RE
	sed "$2" desc.xml > d.xml
	tampered "$1" put META-INF/dexf/proof.xml d.xml
	proof_json 4 "$1"
	expect_json "$1.json" "$C0['verdict'] == 'unreadable' and $C0['problems'][0]['kind'] == 'proof-invalid'"
	expect_grep "$3" "$1.json"
}
desc_case t-range.dexfp 's/offset="5000"/offset="9000"/' \
    "chunk elements must be chunks 2 to 4"
desc_case t-out.dexfp 's/length="10000"/length="70000"/' \
    "not inside item 'ev/data.bin' \\(70000 bytes\\)"
desc_case t-empty.dexfp 's/length="10000"/length="0"/' "the range is empty"
desc_case t-item.dexfp 's/id="i1"/id="i2"/' \
    "item i2 'ev/data.bin' is not a file item of the manifest"
desc_case t-cid.dexfp \
    's|<containerId>[^<]*<|<containerId>urn:uuid:00000000-0000-4000-8000-000000000000<|' \
    "proof of container urn:uuid:00000000-0000-4000-8000-000000000000, but the manifest is container"
desc_case t-doctype.dexfp \
    's/^<proof /<!DOCTYPE p [<!ENTITY x "x">]><proof /' \
    "contains a DOCTYPE or entity declaration"
desc_case t-schema.dexfp 's/<range /<range extra="1" /' \
    "does not match the schema"
desc_case t-plus.dexfp 's/offset="5000"/offset="+5000"/' \
    "is not a valid value of the atomic type 'xs:unsignedLong'"
sed 's/formatVersion="1.0"/formatVersion="2.0"/' desc.xml > d.xml
tampered t-v2.dexfp put META-INF/dexf/proof.xml d.xml
proof_json 4 t-v2.dexfp
expect_json t-v2.dexfp.json "$C0['verdict'] == 'unsupported' and $C0['problems'][0]['kind'] == 'unsupported'"
tampered t-nodesc.dexfp drop META-INF/dexf/proof.xml
proof_json 4 t-nodesc.dexfp
same_problems t-nodesc.dexfp.json "proof-invalid:-"
# entries that are not part of a proof
tampered t-extra.dexfp put chunks/9 chunk2
"$PYTHON3" "$CRAFT" put t-extra.dexfp META-INF/dexf/records/000001.xml \
    seal.xml || die put
proof_json 1 t-extra.dexfp
same_problems t-extra.dexfp.json "extra-entry:- extra-entry:-"
expect_exit 1 "$DEXF" verify-proof $CA -o - t-extra.dexfp
check "no byte is given out with an extra entry" test ! -s "$OUT"
# not a proof at all
expect_exit 4 "$DEXF" verify-proof $CA c.dexf
expect_grep "c\.dexf: a dexf container, not a proof file \(check it with dexf verify\)" "$OUT"
expect_exit 4 "$DEXF" verify-proof $CA ev/notes.txt
expect_exit 4 "$DEXF" verify-proof $CA missing.dexfp
expect_exit 2 "$DEXF" verify-proof $CA
expect_exit 2 "$DEXF" verify-proof --trust nope.pem p.dexfp

# --- FORMAT.md 16.7, run as written -----------------------------------------------------------
# The shell block after the marker in FORMAT.md checks p.dexfp with unzip,
# openssl, sha256sum, dd and python3 only.
"$PYTHON3" - "$top_srcdir/doc/FORMAT.md" walk.sh <<'EOF' || die "walkthrough"
import sys
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("<!-- tests/cli/proof.sh runs this block -->")
block = text[text.index("```sh\n", start) + 6:]
open(sys.argv[2], "w").write(block[:block.index("```\n")])
EOF
for tool in unzip openssl sha256sum; do
	command -v $tool >/dev/null 2>&1 || die "the walkthrough needs $tool"
done
cp "$PKI/ca.pem" labca.pem
mkdir walk && cp p.dexfp walk/range.dexfp && cp labca.pem walk/ || die walk
expect_exit 0 sh -c "cd walk && sh -e ../walk.sh"
cp "$OUT" walk.out
expect_grep "^CMS Verification successful" "$ERR"
expect_grep "^manifest ok$" walk.out
expect_grep "^chunk 1 ok$" walk.out
expect_grep "^chunk 2 ok$" walk.out
expect_grep "^chunk 3 ok$" walk.out
expect_grep "^descriptor ok$" walk.out
expect_same walk/range.bin want.bin
# the same commands catch a tampered chunk and a tampered path
for t in t-leaf t-path; do
	rm -rf walk && mkdir walk && cp $t.dexfp walk/range.dexfp &&
	    cp labca.pem walk/ || die walk
	expect_exit_in "1" sh -c "cd walk && sh -e ../walk.sh"
	expect_grep "^chunk [23] FAIL$" "$OUT"
done

finish

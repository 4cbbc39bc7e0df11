#!/bin/sh
# tests/interop/stock_tools.sh - containers written by dexf are read
# without error by stock tools (Info-ZIP unzip, bsdtar, python zipfile,
# xmllint, openssl cms), and the by-hand checks of FORMAT.md 10.6 hold.
# Debian packages: unzip libarchive-tools python3 libxml2-utils openssl xxd
. "${top_srcdir:-.}/tests/lib.sh"

for tool in unzip:unzip bsdtar:libarchive-tools xmllint:libxml2-utils \
    openssl:openssl xxd:xxd; do
	command -v "${tool%%:*}" >/dev/null 2>&1 ||
	    die "${tool%%:*} not found (Debian package ${tool#*:})"
done
SCHEMAS=$top_srcdir/schemas
cd "$T" || die "cd $T"

mkdir -p ev/logs ev/disk ev/empty || die mkdir
mkdata ev/disk/image.bin 50000 51
mktext ev/logs/auth.log 1500
printf 'Seized from desk drawer, room 4.\n' >ev/note.txt
: >ev/zero.bin
ln -s logs/auth.log ev/latest || die symlink
"$DEXF" pack -q -o deflate.dexf --chunk-size 4K $(signopts ecdsa256) \
    --case 2026-0042 --examiner "Jane Doe" ev || die "pack deflate"
"$DEXF" pack -q -o store.dexf --chunk-size 4K --compression store \
    $(signopts rsapss) ev || die "pack store"
FILES="disk/image.bin logs/auth.log note.txt zero.bin"
REC=META-INF/dexf/records/000000.xml
SIG=META-INF/dexf/records/000000.p7s
MAN=META-INF/dexf/manifest.xml

for c in deflate store; do
	C=$c.dexf
	# --- identification -------------------------------------------------
	check "$c: magic (mimetype first, stored)" sh -c \
	    "test \"\$(dd if=$C bs=1 skip=30 count=32 status=none)\" = 'mimetypeapplication/vnd.dexf+zip'"
	check "$c: starts with PK\\003\\004" \
	    test "$(xxd -p -l 4 $C)" = 504b0304

	# --- Info-ZIP unzip ---------------------------------------------------
	expect_exit 0 unzip -t $C
	expect_grep "No errors detected" "$OUT"
	for f in $FILES; do
		expect_grep "testing: evidence/ev/$f +OK" "$OUT"
	done
	expect_exit 0 unzip -p $C mimetype
	check "$c: mimetype content" \
	    test "$(cat "$OUT")" = application/vnd.dexf+zip

	# --- bsdtar (libarchive) --------------------------------------------
	expect_exit 0 bsdtar -tf $C
	sort "$OUT" >$c.bsdtar.list
	"$PYTHON3" -c "import zipfile, sys
print('\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))" $C \
	    >$c.py.list || die "zipfile namelist"
	expect_same $c.bsdtar.list $c.py.list
	for f in $FILES; do
		expect_grep "^evidence/ev/$f$" $c.bsdtar.list
	done
	for e in mimetype $MAN $REC $SIG; do
		expect_grep "^$e$" $c.bsdtar.list
	done
	mkdir x-$c
	expect_exit 0 bsdtar -xf $C -C x-$c
	for f in $FILES; do
		expect_same x-$c/evidence/ev/$f ev/$f
	done

	# --- python zipfile ---------------------------------------------------
	check "$c: zipfile testzip() is None and read() = originals" \
	    "$PYTHON3" -c "import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
assert z.namelist()[0] == 'mimetype'
for f in sys.argv[2:]:
    assert z.read('evidence/ev/' + f) == open('ev/' + f, 'rb').read(), f" \
	    $C $FILES

	# --- schemas ---------------------------------------------------------------
	expect_exit 0 xmllint --noout --schema "$SCHEMAS/manifest.xsd" x-$c/$MAN
	expect_grep "validates" "$ERR"
	expect_exit 0 xmllint --noout --schema "$SCHEMAS/record.xsd" x-$c/$REC
	expect_grep "validates" "$ERR"
	check "$c: manifest starts with the XML declaration" \
	    test "$(head -n 1 x-$c/$MAN)" = '<?xml version="1.0" encoding="UTF-8"?>'

	# --- signature with stock openssl --------------------------------------
	expect_exit 0 openssl cms -verify -binary -inform DER -in x-$c/$SIG \
	    -content x-$c/$REC -CAfile "$PKI/ca.pem" -purpose any -out /dev/null
	expect_grep "Verification successful" "$ERR"
	expect_exit_in "1 2 3 4" openssl cms -verify -binary -inform DER \
	    -in x-$c/$SIG -content x-$c/$REC -CAfile "$PKI/ca-b.pem" \
	    -purpose any -out /dev/null
	sed 's/<time>2/<time>1/' x-$c/$REC >$c.changed.xml
	check "$c: changed record differs" sh -c "! cmp -s $c.changed.xml x-$c/$REC"
	expect_exit_in "1 2 3 4" openssl cms -verify -binary -inform DER \
	    -in x-$c/$SIG -content $c.changed.xml -CAfile "$PKI/ca.pem" \
	    -purpose any -out /dev/null
	expect_grep "verification failure|content verify error|digest failure" "$ERR"

	# --- digest chain by hand: record -> manifest -> index/data ----------------
	check "$c: record binds the manifest (sha256 and size)" \
	    "$PYTHON3" -c "import hashlib, re, sys
rec = open(sys.argv[1], 'rb').read().decode()
man = open(sys.argv[2], 'rb').read()
m = re.search(r'<manifest entry=\"META-INF/dexf/manifest.xml\" size=\"(\d+)\" sha256=\"([0-9a-f]{64})\"', rec)
assert m, 'no manifest element'
assert int(m.group(1)) == len(man), 'size'
assert m.group(2) == hashlib.sha256(man).hexdigest(), 'sha256'" \
	    x-$c/$REC x-$c/$MAN
	check "$c: items match the manifest (sha256, indexSha256, merkleRoot)" \
	    "$PYTHON3" - x-$c <<'EOF'
import hashlib, os, re, struct, sys
d = sys.argv[1]
man = open(os.path.join(d, 'META-INF/dexf/manifest.xml')).read()
H = lambda x: hashlib.sha256(x).digest()
def mth(l):
    if not l:
        return H(b'')
    if len(l) == 1:
        return l[0]
    k = 1
    while 2 * k < len(l):
        k *= 2
    return H(b'\x01' + mth(l[:k]) + mth(l[k:]))
n = 0
for it in re.findall(r'<item id="(i\d+)" kind="file">(.*?)</item>', man, re.S):
    body = it[1]
    path = re.search(r'<path>([^<]*)</path>', body).group(1)
    sha = re.search(r'<digest algorithm="sha256">([0-9a-f]+)</digest>', body).group(1)
    st = dict(re.findall(r'(\w+)="([^"]*)"', re.search(r'<storage [^>]*>', body).group(0)))
    data = open(os.path.join(d, st['entry']), 'rb').read()
    idx = open(os.path.join(d, st['index']), 'rb').read()
    assert hashlib.sha256(data).hexdigest() == sha, path
    assert hashlib.sha256(idx).hexdigest() == st['indexSha256'], path
    cs, cnt = struct.unpack_from('<I', idx, 20)[0], struct.unpack_from('<Q', idx, 32)[0]
    assert cnt == int(st['chunkCount']) == -(-len(data) // cs), path
    leaves = [idx[64 + 48 * i + 16:64 + 48 * i + 48] for i in range(cnt)]
    for i, leaf in enumerate(leaves):
        assert H(b'\x00' + data[i * cs:(i + 1) * cs]) == leaf, (path, i)
    assert mth(leaves).hex() == st['merkleRoot'], path
    n += 1
assert n == 4, n
EOF
done

# --- one chunk by random access, as in FORMAT.md 10.6 -------------------------
# chunk 3 of disk/image.bin, from the container bytes alone (dd + gzip/openssl)
for c in deflate store; do
	C=$c.dexf
	id=$("$PYTHON3" -c "import re, sys
m = open(sys.argv[1]).read()
print(re.search(r'<item id=\"(i\d+)\" kind=\"file\">\s*<path>ev/disk/image.bin</path>', m).group(1))" \
	    x-$c/$MAN) || die "item id"
	idx=x-$c/META-INF/dexf/index/$id.idx
	I=3
	OFF=$(od -An -t u8 -j $((64 + 48 * I)) -N 8 $idx | tr -d ' ')
	LEN=$(od -An -t u4 -j $((64 + 48 * I + 8)) -N 4 $idx | tr -d ' ')
	LEAF=$(xxd -p -s $((64 + 48 * I + 16)) -l 32 $idx | tr -d '\n')
	DATA=$("$PYTHON3" "$CRAFT" dataoff $C evidence/ev/disk/image.bin)
	if [ $c = store ]; then
		got=$({ printf '\000'; dd if=$C iflag=skip_bytes,count_bytes \
		    skip=$((DATA + OFF)) count=$LEN bs=64K status=none; } |
		    openssl dgst -sha256 -r | cut -d' ' -f1)
	else
		got=$({ printf '\000'; { printf '\037\213\010\000\000\000\000\000\000\377'
		    dd if=$C iflag=skip_bytes,count_bytes skip=$((DATA + OFF)) \
		    count=$LEN bs=64K status=none
		    printf '\003\000'; } | gzip -dc 2>/dev/null; } |
		    openssl dgst -sha256 -r | cut -d' ' -f1)
	fi
	check "$c: chunk $I read alone hashes to its index leaf" \
	    test "$got" = "$LEAF"
	expected=$({ printf '\000'; tail -c +$((I * 4096 + 1)) ev/disk/image.bin |
	    head -c 4096; } | openssl dgst -sha256 -r | cut -d' ' -f1)
	check "$c: leaf of chunk $I = SHA-256(00 || plaintext)" \
	    test "$LEAF" = "$expected"
done

# --- what dexf says about the same containers ------------------------------------
expect_exit 0 "$DEXF" verify --trust "$PKI/ca.pem" deflate.dexf store.dexf

finish

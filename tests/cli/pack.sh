#!/bin/sh
# tests/cli/pack.sh - dexf pack: inputs, options, signing keys, refusals.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
mkdir in || die mkdir
mkdata in/file.bin 40000 1
mktext in/log.txt 2000
: >in/empty.bin
mkdir -p in/tree/a/b in/tree/empty || die mkdir
echo "nested file" >in/tree/a/b/c.txt
mkdata in/tree/a/d.bin 9000 2
ln -s b/c.txt in/tree/a/link || die symlink
mkfifo in/tree/a/fifo || die mkfifo
CA="--trust $PKI/ca.pem"

# --- a single file, signed -----------------------------------------------
expect_exit 0 "$DEXF" pack -o one.dexf $(signopts ecdsa256) in/file.bin
expect_grep "file\.bin" "$OUT"
expect_exit 0 "$DEXF" verify $CA one.dexf
expect_exit 0 "$DEXF" info --json one.dexf
expect_json "$OUT" "[i['path'] for i in j['items']] == ['file.bin']"
expect_json "$OUT" "j['items'][0]['digests']['sha256'] == '$(sha256 in/file.bin)'"
expect_json "$OUT" "j['seal']['signed'] is True"

# --- a directory tree: nested dirs, empty dir, symlink, FIFO skipped -----
expect_exit 0 "$DEXF" pack -o tree.dexf --json $(signopts ecdsa256) in/tree
expect_grep "fifo" "$ERR"
expect_grep "warning" "$ERR"
expect_json "$OUT" "sorted(i['path'] for i in j['items']) == ['tree/a/b/c.txt', 'tree/a/d.bin', 'tree/a/link', 'tree/empty']"
expect_json "$OUT" "all(i['digests']['sha256'] == {'tree/a/b/c.txt': '$(sha256 in/tree/a/b/c.txt)', 'tree/a/d.bin': '$(sha256 in/tree/a/d.bin)'}[i['path']] for i in j['items'] if i['kind'] == 'file')"
expect_json "$OUT" "j['signed'] is True and j['container'] == 'tree.dexf'"
expect_exit 0 "$DEXF" info --json tree.dexf
expect_json "$OUT" "{i['path']: i['kind'] for i in j['items']} == {'tree/a/b/c.txt': 'file', 'tree/a/d.bin': 'file', 'tree/a/link': 'symlink', 'tree/empty': 'directory'}"
expect_json "$OUT" "[i['link-target'] for i in j['items'] if i['kind'] == 'symlink'] == ['b/c.txt']"
expect_exit 0 "$DEXF" verify $CA tree.dexf
expect_exit 0 "$DEXF" cat tree.dexf tree/a/d.bin
expect_same "$OUT" in/tree/a/d.bin

# --- stdin -----------------------------------------------------------------
expect_exit 0 "$DEXF" pack -o stdin.dexf --no-sign --name from-stdin.bin - <in/file.bin
expect_exit 0 "$DEXF" verify --integrity-only stdin.dexf
expect_exit 0 "$DEXF" cat stdin.dexf from-stdin.bin
expect_same "$OUT" in/file.bin
expect_exit 2 "$DEXF" pack -o stdin2.dexf --no-sign - <in/file.bin
expect_grep "--name" "$ERR"
check "no output without --name" test ! -e stdin2.dexf
# zero-length stdin and an empty file are packable and verify
expect_exit 0 "$DEXF" pack -o zero.dexf --no-sign --name zero.bin - </dev/null
expect_exit 0 "$DEXF" verify --integrity-only zero.dexf
expect_exit 0 "$DEXF" cat zero.dexf zero.bin
check "zero-length stdin reads back empty" test ! -s "$OUT"
expect_exit 0 "$DEXF" pack -o empty.dexf $(signopts ecdsa256) in/empty.bin
expect_exit 0 "$DEXF" verify $CA empty.dexf
expect_exit 0 "$DEXF" info --json empty.dexf
expect_json "$OUT" "j['items'][0]['size'] == 0 and j['items'][0]['digests']['sha256'] == 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"

# --- store vs deflate -----------------------------------------------------
expect_exit 0 "$DEXF" pack -o store.dexf --no-sign --compression store in/log.txt
expect_exit 0 "$DEXF" pack -o deflate.dexf --no-sign --compression deflate in/log.txt
for c in store deflate; do
	expect_exit 0 "$DEXF" verify --integrity-only $c.dexf
	expect_exit 0 "$DEXF" cat $c.dexf log.txt
	expect_same "$OUT" in/log.txt
	expect_exit 0 "$DEXF" info --json $c.dexf
	expect_json "$OUT" "j['items'][0]['compression'] == '$c'"
done
size=$(wc -c <in/log.txt)
check "store: evidence entry is method 0 with size = plaintext" \
    "$PYTHON3" -c "import zipfile, sys
i = zipfile.ZipFile('store.dexf').getinfo('evidence/log.txt')
sys.exit(not (i.compress_type == 0 and i.compress_size == i.file_size == $size))"
check "deflate: evidence entry is method 8 and smaller" \
    "$PYTHON3" -c "import zipfile, sys
i = zipfile.ZipFile('deflate.dexf').getinfo('evidence/log.txt')
sys.exit(not (i.compress_type == 8 and i.compress_size < i.file_size == $size))"

# --- chunk sizes -----------------------------------------------------------
mkdata in/200k.bin 200000 3
expect_exit 0 "$DEXF" pack -o c4k.dexf --no-sign --chunk-size 4K in/file.bin
expect_exit 0 "$DEXF" pack -o c64k.dexf --no-sign --chunk-size 64K in/200k.bin
for spec in c4k:file.bin:4096:10 c64k:200k.bin:65536:4; do
	IFS=: read -r c name cs n <<EOF
$spec
EOF
	expect_exit 0 "$DEXF" info --json $c.dexf
	expect_json "$OUT" "j['items'][0]['chunk-size'] == '$cs' and j['items'][0]['chunk-count'] == '$n'"
	check "$c: index holds $n entries of 48 bytes" \
	    "$PYTHON3" -c "import zipfile, struct, sys
b = zipfile.ZipFile('$c.dexf').read('META-INF/dexf/index/i1.idx')
sys.exit(not (len(b) == 64 + 48 * $n and struct.unpack_from('<IQQ', b, 20) == ($cs, $(wc -c <in/$name), $n)))"
	expect_exit 0 "$DEXF" verify --integrity-only $c.dexf
	expect_exit 0 "$DEXF" cat $c.dexf $name
	expect_same "$OUT" in/$name
done
# Incompressible chunks of 128 KiB to 1 MiB, deflated and stored, go to
# the file in single writes of half the writer's buffer or more; each
# container must be whole and in order (a 128K chunk once landed ahead of
# its entry's buffered local header).
mkdata in/700k.bin 700000 5
for cs in 128K 256K 512K 1M; do
	for comp in deflate store; do
		expect_exit 0 "$DEXF" pack -o big-$cs-$comp.dexf --no-sign -q \
		    --chunk-size $cs --compression $comp in/700k.bin
		expect_exit 0 "$DEXF" verify --integrity-only big-$cs-$comp.dexf
		check "--chunk-size $cs, $comp: Python's zipfile reads the item back" \
		    "$PYTHON3" -c "import zipfile, sys
z = zipfile.ZipFile('big-$cs-$comp.dexf')
sys.exit(z.testzip() is not None or z.read('evidence/700k.bin') != open('in/700k.bin', 'rb').read())"
	done
done
# The same with the default chunk size: log text whose 1 MiB chunks
# deflate to 128-256 KiB, each after a chunk of zeros (a few bytes
# deflated, still in the writer's buffer), on both engines.  Such a file
# once gave an unreadable container with every default.
"$PYTHON3" - in/zeros-logs.bin <<'PY' || die "zeros-logs.bin"
import random, sys
r = random.Random(3)
words = [b"sshd", b"root", b"Failed", b"password", b"from", b"port",
         b"Accepted", b"session", b"opened", b"closed"]
with open(sys.argv[1], "wb") as f:
    for every in (3, 4, 6, 8, 12):
        f.write(bytes(1 << 20))
        t, i = bytearray(), 0
        while len(t) < 1 << 20:
            i += 1
            line = b" ".join(r.choice(words) for _ in range(8))
            if i % every == 0:
                line += b" %d.%d.%d.%d" % tuple(r.randrange(256) for _ in range(4))
            t += line + b"\n"
        f.write(bytes(t[:1 << 20]))
PY
expect_exit 0 "$DEXF" pack -o zl-default.dexf --no-sign -q in/zeros-logs.bin
expect_exit 0 env DEXF_DEFLATE=zlib "$DEXF" pack -o zl-zlib.dexf --no-sign -q \
    in/zeros-logs.bin
for engine in default zlib; do
	expect_exit 0 "$DEXF" verify --integrity-only zl-$engine.dexf
	check "zeros and logs, $engine engine: Python's zipfile reads the item back" \
	    "$PYTHON3" -c "import zipfile, sys
z = zipfile.ZipFile('zl-$engine.dexf')
sys.exit(z.testzip() is not None or z.read('evidence/zeros-logs.bin') != open('in/zeros-logs.bin', 'rb').read())"
done
expect_exit 2 "$DEXF" pack -o bad.dexf --no-sign --chunk-size 3000 in/file.bin
expect_exit 2 "$DEXF" pack -o bad.dexf --no-sign --chunk-size 2K in/file.bin
expect_exit 2 "$DEXF" pack -o bad.dexf --no-sign --chunk-size 128M in/file.bin
check "no output after bad chunk sizes" test ! -e bad.dexf

# --- extra digests -----------------------------------------------------------
expect_exit 0 "$DEXF" pack -o hashes.dexf --no-sign --json \
    --hash md5,sha1,sha512,sha3-256 in/file.bin
cp "$OUT" hashes.json
sha3=$("$PYTHON3" -c "import hashlib, sys
print(hashlib.sha3_256(open('in/file.bin', 'rb').read()).hexdigest())")
for pair in "md5:$(md5sum <in/file.bin | cut -d' ' -f1)" \
    "sha1:$(sha1sum <in/file.bin | cut -d' ' -f1)" \
    "sha256:$(sha256 in/file.bin)" \
    "sha512:$(sha512sum <in/file.bin | cut -d' ' -f1)" \
    "sha3-256:$sha3"; do
	expect_json hashes.json "j['items'][0]['digests']['${pair%%:*}'] == '${pair#*:}'"
done
expect_exit 0 "$DEXF" info --json hashes.dexf
expect_json "$OUT" "j['items'][0]['digests']['md5'] == '$(md5sum <in/file.bin | cut -d' ' -f1)' and j['items'][0]['digests']['sha3-256'] == '$sha3'"
expect_exit 0 "$DEXF" verify --integrity-only hashes.dexf
expect_exit 2 "$DEXF" pack -o bad.dexf --no-sign --hash whirlpool in/file.bin
expect_grep "whirlpool" "$ERR"

# --- item metadata and case data -----------------------------------------
expect_exit 0 "$DEXF" pack -o meta.dexf --no-sign --case 2026-0042 \
    --examiner "Jane Doe" --agency "Example Lab" \
    --item-meta file.bin:exhibit=EX-7 \
    --item-meta "file.bin:source.serial=SN 123" \
    --item-meta "file.bin:acquisition.tool=dd 9.4" \
    --item-meta file.bin:unreadable=4096:512 in/file.bin
expect_exit 0 "$DEXF" info --json meta.dexf
expect_json "$OUT" "j['items'][0]['exhibit'] == 'EX-7' and j['items'][0]['source.serial'] == 'SN 123' and j['items'][0]['acquisition.tool'] == 'dd 9.4'"
expect_json "$OUT" "j['case']['number'] == '2026-0042' and any(a['name'] == 'Jane Doe' for a in j['agents'])"
check "manifest carries the exhibit and the unreadable range" sh -c \
    "unzip -p meta.dexf META-INF/dexf/manifest.xml | grep -q '<exhibit>EX-7</exhibit>' && unzip -p meta.dexf META-INF/dexf/manifest.xml | grep -q '<range offset=\"4096\" length=\"512\"/>'"
expect_exit 0 "$DEXF" verify --integrity-only --json meta.dexf
expect_json "$OUT" "j['containers'][0]['coverage']['unreadable_bytes'] == 512"
expect_exit 2 "$DEXF" pack -o bad.dexf --no-sign --item-meta file.bin:bogus=1 in/file.bin
expect_grep "bogus" "$ERR"
expect_exit 2 "$DEXF" pack -o bad.dexf --no-sign --item-meta nope.bin:exhibit=1 in/file.bin
expect_grep "nope\.bin" "$ERR"
check "no output after bad --item-meta" test ! -e bad.dexf

# --- signing keys ----------------------------------------------------------
for k in ecdsa256:ecdsa-sha256 ecdsa384:ecdsa-sha384 rsapss:rsa-pss-sha256; do
	expect_exit 0 "$DEXF" pack -o key-${k%%:*}.dexf $(signopts ${k%%:*}) in/file.bin
	expect_exit 0 "$DEXF" verify --json $CA key-${k%%:*}.dexf
	expect_json "$OUT" "j['containers'][0]['verdict'] == 'intact-trusted' and j['containers'][0]['seal']['algorithm'] == '${k#*:}'"
done
expect_exit 0 "$DEXF" pack -o enc-file.dexf $(signopts encrypted) \
    --passphrase-file "$PKI/encrypted.pass" in/file.bin
expect_exit 0 "$DEXF" verify $CA enc-file.dexf
DEXF_TEST_PASS=test-only-passphrase
export DEXF_TEST_PASS
expect_exit 0 "$DEXF" pack -o enc-env.dexf $(signopts encrypted) \
    --passphrase-env DEXF_TEST_PASS in/file.bin
expect_exit 0 "$DEXF" verify $CA enc-env.dexf
echo "not the passphrase" >wrong.pass
expect_exit 2 "$DEXF" pack -o enc-bad.dexf $(signopts encrypted) \
    --passphrase-file wrong.pass in/file.bin
expect_grep "encrypted\.key" "$ERR"
DEXF_TEST_PASS=wrong
expect_exit 2 "$DEXF" pack -o enc-bad.dexf $(signopts encrypted) \
    --passphrase-env DEXF_TEST_PASS in/file.bin
expect_exit 2 "$DEXF" pack -o enc-bad.dexf $(signopts encrypted) in/file.bin
check "no output after a wrong passphrase" test ! -e enc-bad.dexf
# a leaf under an intermediate: trusted only with the chain embedded
expect_exit 0 "$DEXF" pack -o chain.dexf $(signopts leaf-via-int) \
    --chain "$PKI/intermediate.pem" in/file.bin
expect_exit 0 "$DEXF" verify $CA chain.dexf
expect_exit 0 "$DEXF" pack -o nochain.dexf $(signopts leaf-via-int) in/file.bin
expect_exit 3 "$DEXF" verify $CA nochain.dexf
# Ed25519 is refused as a usage error
expect_exit 2 "$DEXF" pack -o ed.dexf $(signopts ed25519) in/file.bin
expect_grep "Ed25519" "$ERR"
check "no output for Ed25519" test ! -e ed.dexf
# key that does not belong to the certificate
expect_exit 2 "$DEXF" pack -o mism.dexf --key "$PKI/ecdsa256.key" \
    --cert "$PKI/ecdsa384.pem" in/file.bin
check "no output for a mismatched key" test ! -e mism.dexf

# --- refusals ----------------------------------------------------------------
before=$(sha256 one.dexf)
expect_exit 2 "$DEXF" pack -o one.dexf $(signopts ecdsa256) in/log.txt
expect_grep "one\.dexf" "$ERR"
check "existing output unchanged" test "$(sha256 one.dexf)" = "$before"
expect_exit 0 "$DEXF" pack -f -o one.dexf $(signopts ecdsa256) in/log.txt
check "--force replaced the output" test "$(sha256 one.dexf)" != "$before"
expect_exit 0 "$DEXF" info --json one.dexf
expect_json "$OUT" "[i['path'] for i in j['items']] == ['log.txt']"
expect_exit 2 "$DEXF" pack -o nokey.dexf in/file.bin
expect_grep "--no-sign" "$ERR"
expect_exit 2 "$DEXF" pack -o nokey.dexf --no-sign --key "$PKI/ecdsa256.key" in/file.bin
expect_exit 2 "$DEXF" pack -o nokey.dexf $(signopts ecdsa256)
check "no output after usage errors" test ! -e nokey.dexf
mkdir outdir
expect_exit 2 "$DEXF" pack -o outdir/miss.dexf --no-sign in/does-not-exist
expect_grep "does-not-exist" "$ERR"
expect_exit 2 "$DEXF" pack -o outdir/miss.dexf --no-sign in/file.bin in/does-not-exist
check "missing input: output dir left empty (no file, no .part)" \
    test -z "$(ls -A outdir)"

finish

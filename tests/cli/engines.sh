#!/bin/sh
# tests/cli/engines.sh - the deflate engines (ISA-L when configure found
# it, zlib always) write containers the other one reads: the same verdicts
# on intact and on damaged containers, the same digests and Merkle roots,
# and stock unzip and bsdtar read both.  `dexf --version` names the engine
# and follows DEXF_DEFLATE=zlib.  Built without ISA-L, the zlib engine is
# checked against itself and the output says what was skipped.
# Debian packages: unzip libarchive-tools python3
. "${top_srcdir:-.}/tests/lib.sh"

for tool in unzip:unzip bsdtar:libarchive-tools; do
	command -v "${tool%%:*}" >/dev/null 2>&1 ||
	    die "${tool%%:*} not found (Debian package ${tool#*:})"
done
cd "$T" || die "cd $T"
unset DEXF_DEFLATE
CA="--trust $PKI/ca.pem"
C0="j['containers'][0]"

# The build decides what must be seen, not the tool under test.
[ -f "$top_builddir/config.h" ] || die "no $top_builddir/config.h"
if grep -q '^#define HAVE_ISAL 1' "$top_builddir/config.h"; then
	isal=1
	echo "# built with ISA-L: default engine ISA-L, DEXF_DEFLATE=zlib for zlib"
else
	isal=0
	echo "# built without ISA-L: default engine zlib"
	echo "# skipped: ISA-L-written containers (both packs use zlib, so"
	echo "#   cross-engine reading is zlib against zlib)"
fi
skip()
{
	printf '# skipped (no ISA-L): %s\n' "$*"
}

# --- dexf --version ----------------------------------------------------------
V=dexf' [0-9.]+ \(format [0-9.]+\)'
ISAL_DEFAULT='(^|, )ISA-L [0-9]+\.[0-9]+ \(igzip\) deflate, dexf strict inflate, zlib [0-9][0-9.]* \(fallback\), '
ISAL_FORCED='(^|, )zlib [0-9][0-9.]* \(deflate, DEXF_DEFLATE=zlib\), ISA-L [0-9]+\.[0-9]+ \(not used\), '
ZLIB_ONLY='(^|, )zlib [0-9][0-9.]* \(deflate\), libxml2 '
for setting in default zlib isal other; do
	case $setting in
	default) expect_exit 0 "$DEXF" --version ;;
	*)
		[ $setting = other ] && e=igzip || e=$setting
		expect_exit 0 env DEXF_DEFLATE=$e "$DEXF" --version
		;;
	esac
	expect_grep "^$V\$" "$OUT"
	if [ $isal = 1 ] && [ $setting = zlib ]; then
		expect_grep "$ISAL_FORCED" "$OUT"
		expect_no_grep "igzip" "$OUT"
	elif [ $isal = 1 ]; then
		# DEXF_DEFLATE=isal, or any unknown value: the default
		expect_grep "$ISAL_DEFAULT" "$OUT"
		expect_no_grep "DEXF_DEFLATE" "$OUT"
	else
		# DEXF_DEFLATE=isal without ISA-L is ignored, as documented
		expect_grep "$ZLIB_ONLY" "$OUT"
		expect_no_grep "ISA-L|DEXF_DEFLATE" "$OUT"
	fi
	check "--version ($setting) is two lines" test "$(wc -l <"$OUT")" -eq 2
	cp "$OUT" version.txt
	# --json says the same, as one JSON object
	if [ $setting = default ]; then
		expect_exit 0 "$DEXF" --version --json
	else
		expect_exit 0 env DEXF_DEFLATE=$e "$DEXF" --version --json
	fi
	check "--version --json ($setting) matches the text" "$PYTHON3" -c '
import json, sys
j = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()
assert j["dexf_version"] == 1, j
assert lines[0] == "dexf %s (format %s)" % (j["version"], j["format"]), lines
assert lines[1] == j["backends"], (lines[1], j["backends"])
' "$OUT" version.txt
done
expect_exit 2 "$DEXF" --version --jsn
expect_grep "usage: dexf --version \[--json\]" "$ERR"
expect_exit 2 "$DEXF" --version --json extra

# --- the same input packed by each engine ----------------------------------
mkdir -p ev/sub || die mkdir
mkdata ev/random.bin 300000 61
mktext ev/auth.log 6000
dd if=/dev/zero of=ev/sub/zeros.bin bs=1024 count=200 status=none ||
    die "zeros"
: >ev/empty.bin
FILES="random.bin auth.log sub/zeros.bin empty.bin"
for e in zlib default; do
	if [ $e = zlib ]; then
		run="env DEXF_DEFLATE=zlib"
	else
		run=
	fi
	expect_exit 0 $run "$DEXF" pack -q --chunk-size 16K --threads 2 \
	    --hash sha256,sha1 $(signopts ecdsa256) -o $e.dexf ev
done

# the evidence entries, raw: what each engine wrote
raw() { # CONTAINER -> entry name, compressed size, sha256 of raw bytes
	"$PYTHON3" - "$1" <<'PY'
import hashlib, sys, zipfile
f = open(sys.argv[1], 'rb')
z = zipfile.ZipFile(f)
for i in z.infolist():
    if not i.filename.startswith('evidence/'):
        continue
    f.seek(i.header_offset + 26)
    n, x = int.from_bytes(f.read(2), 'little'), int.from_bytes(f.read(2), 'little')
    f.seek(i.header_offset + 30 + n + x)
    print(i.filename, i.compress_type, hashlib.sha256(f.read(i.compress_size)).hexdigest())
PY
}
raw zlib.dexf >zlib.raw || die "raw zlib.dexf"
raw default.dexf >default.raw || die "raw default.dexf"
check "4 evidence entries, deflated" sh -c \
    "test \$(grep -c ' 8 ' zlib.raw) -eq 4 && test \$(grep -c ' 8 ' default.raw) -eq 4"
if [ $isal = 1 ]; then
	# ISA-L really wrote the default container: other bytes than zlib's
	for f in random.bin auth.log sub/zeros.bin; do
		check "$f: ISA-L and zlib chunks differ" sh -c \
		    "test \"\$(grep '^evidence/ev/$f ' zlib.raw)\" != \"\$(grep '^evidence/ev/$f ' default.raw)\""
	done
else
	skip "ISA-L chunks differ from zlib's (here both are zlib's)"
	expect_same zlib.raw default.raw
fi
# an empty item is the trailer "03 00" whoever writes it
check "empty item: same bytes from both engines" sh -c \
    "test \"\$(grep '^evidence/ev/empty.bin ' zlib.raw)\" = \"\$(grep '^evidence/ev/empty.bin ' default.raw)\""

# --- same content: digests and Merkle roots ---------------------------------
for c in zlib default; do
	expect_exit 0 "$DEXF" info --json $c.dexf
	cp "$OUT" $c.info.json
	"$PYTHON3" -c '
import json, sys
for i in json.load(open(sys.argv[1]))["items"]:
    print(i["path"], i["size"], sorted(i["digests"].items()), i.get("merkle-root"))
' "$OUT" >$c.items || die "items of $c.dexf"
done
check "4 items with digests and Merkle roots" sh -c \
    "test \$(grep -c \"'sha256'\" zlib.items) -eq 4"
expect_same zlib.items default.items

# --- each container verifies with each engine, same report -----------------
report() { # JSON -> the verdict and items, without times and paths
	"$PYTHON3" -c '
import json, sys
c = json.load(open(sys.argv[1]))["containers"][0]
print(c["verdict"], c["exit_code"], json.dumps(c["items"], sort_keys=True),
      json.dumps(c["problems"], sort_keys=True),
      c["coverage"]["chunks_checked"])' "$1"
}
for c in zlib default; do
	for e in zlib default; do
		[ $e = zlib ] && run="env DEXF_DEFLATE=zlib" || run=
		expect_exit 0 $run "$DEXF" verify --json --threads 2 $CA $c.dexf
		expect_json "$OUT" "$C0['verdict'] == 'intact-trusted' and $C0['exit_code'] == 0"
		report "$OUT" >$c-by-$e.txt || die "report"
		expect_exit 0 $run "$DEXF" verify -q --threads 1 $CA $c.dexf
	done
	expect_same $c-by-zlib.txt $c-by-default.txt
done
[ $isal = 1 ] || skip "verifying ISA-L chunks with zlib and zlib chunks with ISA-L"

# --- unpack with the other engine ---------------------------------------------
for c in zlib default; do
	[ $c = zlib ] && run= || run="env DEXF_DEFLATE=zlib"
	mkdir x-$c || die mkdir
	expect_exit 0 $run "$DEXF" unpack -q $CA -C x-$c $c.dexf
	for f in $FILES; do
		expect_same x-$c/ev/$f ev/$f
	done
done

# --- stock tools read both ----------------------------------------------------
for c in zlib default; do
	expect_exit 0 unzip -t $c.dexf
	expect_grep "No errors detected" "$OUT"
	for f in $FILES; do
		expect_grep "testing: evidence/ev/$f +OK" "$OUT"
	done
	expect_exit 0 bsdtar -tf $c.dexf
	for f in $FILES; do
		expect_grep "^evidence/ev/$f\$" "$OUT"
	done
	mkdir b-$c
	expect_exit 0 bsdtar -xf $c.dexf -C b-$c
	for f in $FILES; do
		expect_same b-$c/evidence/ev/$f ev/$f
	done
done

# --- a damaged chunk: both engines refuse it, with the same report -----------
for c in zlib default; do
	cp $c.dexf $c-bad.dexf
	# chunk 3 of the log
	item=$("$PYTHON3" -c '
import json, sys
print([i["id"] for i in json.load(open(sys.argv[1]))["items"]
       if i["path"] == "ev/auth.log"][0])' $c.info.json) ||
	    die "no item id for ev/auth.log"
	set -- $("$PYTHON3" "$CRAFT" chunk $c.dexf $item 3) ||
	    die "chunk 3 of $c.dexf"
	"$PYTHON3" "$CRAFT" flip $c-bad.dexf $(($1 + $2 / 2)) || die flip
	for e in zlib default; do
		[ $e = zlib ] && run="env DEXF_DEFLATE=zlib" || run=
		expect_exit 1 $run "$DEXF" verify --json $CA $c-bad.dexf
		expect_json "$OUT" "any(p['kind'] == 'chunk-mismatch' and p['chunk_first'] == 3 and p['chunk_last'] == 3 and p['item'] == 'ev/auth.log' for p in $C0['problems'])"
		report "$OUT" >$c-bad-by-$e.txt || die "report"
	done
	expect_same $c-bad-by-zlib.txt $c-bad-by-default.txt
done
finish

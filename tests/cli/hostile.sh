#!/bin/sh
# tests/cli/hostile.sh - hostile containers crafted byte by byte by
# tests/hostile/craft.py: each has exactly one defect.  Every command must
# refuse it with a clear error and a pinned exit code (never a crash), and
# nothing may ever be written outside the target directory.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
CA="--trust $PKI/ca.pem"
mkdir -p ev/empty d || die mkdir
mkdata ev/data.bin 10000 41
echo "inside d" >d/x
"$DEXF" pack -q -o base.dexf --chunk-size 4K $(signopts ecdsa256) ev ||
    die "pack base.dexf"
"$DEXF" pack -q -o dx.dexf $(signopts ecdsa256) d || die "pack dx.dexf"
expect_exit 0 "$DEXF" verify $CA base.dexf
expect_exit 0 "$DEXF" verify $CA dx.dexf

# Every unpack goes to $S/a/b/target, so that '..' and '../..' from the
# target still land inside the sentinel directory $S.
S=$T/sentinel
TGT=$S/a/b/target
reset_sentinel()
{
	rm -rf "$S"
	mkdir -p "$TGT" || die "mkdir $TGT"
}
# nothing_outside: $S holds nothing but a/b/target (and what is under it)
nothing_outside()
{
	_extra=$(cd "$S" && find . -mindepth 1 ! -path ./a ! -path ./a/b \
	    ! -path ./a/b/target ! -path './a/b/target/*')
	if [ -z "$_extra" ]; then
		pass "$1: nothing written outside the target"
	else
		fail "$1: written outside the target: $_extra"
	fi
}
# target_empty: nothing at all extracted
target_empty()
{
	check "$1: nothing extracted" test -z "$(ls -A "$TGT")"
}

C0="j['containers'][0]"

# hostile KIND CODE KINDRE MSGRE [ARG]: craft, then verify (human and JSON),
# info, unpack, cat; all must exit CODE; nothing written.
hostile()
{
	_k=$1 _code=$2 _kind=$3 _msg=$4
	"$PYTHON3" "$CRAFT" hostile "$_k" "${6:-base.dexf}" h-$_k.dexf ${5:+"$5"} ||
	    die "craft $_k"
	expect_exit "$_code" "$DEXF" verify $CA h-$_k.dexf
	expect_grep "$_msg" "$OUT"
	expect_exit "$_code" "$DEXF" verify --json $CA h-$_k.dexf
	expect_json "$OUT" "any(p['kind'] == '$_kind' for p in $C0['problems']) and $C0['exit_code'] == $_code"
	reset_sentinel
	expect_exit "$_code" "$DEXF" unpack h-$_k.dexf -C "$TGT" $CA
	expect_grep "$_msg" "$ERR"
	nothing_outside "$_k"
	target_empty "$_k"
	if [ "$_code" -eq 4 ]; then
		expect_exit 4 "$DEXF" info h-$_k.dexf
		expect_exit 4 "$DEXF" cat h-$_k.dexf i1
	fi
}

# --- zip-slip names (an extra entry with that name) -----------------------------
hostile name-dotdot 4 structure "name contains a '\.\.' component"
hostile name-abs 4 structure "name is absolute"
hostile name-mid-dotdot 4 structure "name contains a '\.\.' component"
hostile name-evidence-dotdot 4 structure "name contains a '\.\.' component"
hostile name-backslash 4 structure "backslash"
check "no /abs was created" test ! -e /abs

# --- ambiguous or absurd ZIP structure -----------------------------------------------
hostile dup-name 4 structure "duplicate entry 'evidence/ev/data\.bin'"
hostile eocd-huge-count 4 structure "entry count"
hostile cd-size-huge 4 structure "central directory size"
hostile zip64-absurd 4 structure "evidence/ev/data\.bin.*(past|beyond|larger|size)"
hostile local-name-mismatch 4 structure "evidence/ev/data\.bin.*local header"
hostile local-method-mismatch 4 structure "evidence/ev/data\.bin.*local header"
hostile trailing-data 4 structure "end of central directory"
hostile archive-comment 4 structure "end of central directory"

# --- the chunk index claims 2^40 chunks (index, manifest, seal consistent) ----------
"$PYTHON3" "$CRAFT" hostile index-huge-count base.dexf h-index.dexf ||
    die "craft index-huge-count"
expect_exit 1 "$DEXF" verify $CA h-index.dexf
expect_grep "META-INF/dexf/index/i1\.idx: chunk count 1099511627776" "$OUT"
expect_exit 1 "$DEXF" verify --json $CA h-index.dexf
expect_json "$OUT" "$C0['verdict'] == 'tampered' and any(p['kind'] == 'index-mismatch' for p in $C0['problems'])"
reset_sentinel
expect_exit 1 "$DEXF" unpack h-index.dexf -C "$TGT" $CA
expect_grep "ev/data\.bin" "$ERR"
check "index: the item is not extracted" test ! -e "$TGT/ev/data.bin"
check "index: no temporary file left" \
    test -z "$(find "$TGT" -name '*.part')"
nothing_outside index
expect_exit 1 "$DEXF" cat h-index.dexf ev/data.bin --offset 0 --length 10

# --- XML attacks in a properly sealed and signed manifest -----------------------------
hostile billion-laughs 4 manifest-invalid "manifest\.xml.*DOCTYPE"
# verification stops at an invalid manifest (FORMAT.md 11.3 step 6): the
# entries it references are not "extra"
expect_exit 4 "$DEXF" verify --json $CA h-billion-laughs.dexf
expect_json "$OUT" "[p['kind'] for p in $C0['problems']] == ['manifest-invalid']"
hostile record-doctype 1 record-invalid "000000\.xml.*DOCTYPE"
hostile manifest-path-traversal 4 manifest-invalid "manifest\.xml.*\.\."
hostile manifest-file-path-traversal 4 manifest-invalid "manifest\.xml.*\.\."
check "no etc/x anywhere in the sentinel" \
    test -z "$(find "$S" -name x 2>/dev/null)"

# --- a large manifest, wrong where only the schema sees it ------------------------------
# A full verify of a manifest over 64 KiB checks the schema on a thread of its
# own while it parses and checks items; any refusal must give exactly the
# report of the plain order (--threads 1 never overlaps).
mkdir -p big || die mkdir
i=0
while [ $i -lt 160 ]; do
	echo "file $i" >big/f$i.txt || die "big/f$i.txt"
	i=$((i + 1))
done
"$DEXF" pack -q -o big.dexf $(signopts ecdsa256) big || die "pack big.dexf"
"$PYTHON3" "$CRAFT" get big.dexf META-INF/dexf/manifest.xml >big.xml ||
    die "get the manifest"
check "the manifest is over 64 KiB" test "$(wc -c <big.xml)" -gt 65536
for k in late-unknown-element late-no-kind late-no-algorithm late-no-entry \
    late-upper-merkle late-bad-mode late-upper-algorithm late-xsi-mode \
    no-container-id two-agents two-producers; do
	hostile manifest-$k 4 manifest-invalid \
	    "manifest\.xml: line [0-9]*: does not match the schema" "" big.dexf
	expect_exit 4 "$DEXF" verify --json --threads 1 $CA h-manifest-$k.dexf
	cp "$OUT" $k.j1 || die "cp $k.j1"
	expect_exit 4 "$DEXF" verify --json --threads 2 $CA h-manifest-$k.dexf
	check "manifest-$k: the same report with 1 and 2 threads" \
	    cmp -s $k.j1 "$OUT"
	expect_json "$OUT" "[p['kind'] for p in $C0['problems']] == ['manifest-invalid'] and $C0['coverage']['items_checked'] == 0"
done
# valid for the schema, refused by the parser only after the last item
# (which a full verify may have checked by then) or after the parse
hostile manifest-late-dup-path 4 manifest-invalid \
    "manifest\.xml: duplicate item path 'big/f0\.txt'" "" big.dexf
for k in late-dup-path other-container; do
	[ $k = other-container ] && "$PYTHON3" "$CRAFT" hostile manifest-$k \
	    big.dexf h-manifest-$k.dexf
	"$DEXF" verify --json --threads 1 $CA h-manifest-$k.dexf >$k.j1
	_rc1=$?
	expect_exit $_rc1 "$DEXF" verify --json --threads 2 $CA \
	    h-manifest-$k.dexf
	check "manifest-$k: the same report with 1 and 2 threads" \
	    cmp -s $k.j1 "$OUT"
done
expect_json "$OUT" "any(p['kind'] == 'record-invalid' and 'seal belongs to container' in p['message'] for p in $C0['problems']) and $C0['coverage']['items_checked'] == 160"
expect_exit 0 "$DEXF" verify --json --threads 1 $CA big.dexf
cp "$OUT" big.j1 || die "cp big.j1"
expect_exit 0 "$DEXF" verify --json --threads 2 $CA big.dexf
check "big.dexf: the same report with 1 and 2 threads" cmp -s big.j1 "$OUT"
expect_json "$OUT" "$C0['coverage']['items_checked'] == 160"

# --- a symlink item 'd' -> outside, then a file item 'd/x' ------------------------------
mkdir -p "$S" && OUTSIDE=$S/outside
# (a file or symlink path must not be a component prefix of another path,
# FORMAT.md 3.5 and 8.7 rule 5)
hostile symlink-escape 4 manifest-invalid "manifest\.xml" "$OUTSIDE" dx.dexf
mkdir -p "$OUTSIDE"
reset_sentinel
mkdir -p "$OUTSIDE"
expect_exit 4 "$DEXF" unpack h-symlink-escape.dexf -C "$TGT" $CA
check "symlink-escape: nothing written through the link" \
    test -z "$(ls -A "$OUTSIDE")"
check "symlink-escape: no link created" test ! -L "$TGT/d"

# --- a symlink already in the target directory --------------------------------------------
for force in "" --force; do
	reset_sentinel
	mkdir -p "$OUTSIDE"
	ln -s "$OUTSIDE" "$TGT/d"
	expect_exit_in "2 4" "$DEXF" unpack dx.dexf -C "$TGT" $force $CA
	expect_grep "d/x" "$ERR"
	check "existing link d ${force:-(no --force)}: nothing written through it" \
	    test -z "$(ls -A "$OUTSIDE")"
	check "existing link d ${force:-(no --force)}: link untouched" \
	    test "$(readlink "$TGT/d")" = "$OUTSIDE"
done
# a symlink at the leaf, pointing to a file outside: never written through
reset_sentinel
echo "outside file" >"$S/victim"
mkdir -p "$TGT/d"
ln -s "$S/victim" "$TGT/d/x"
expect_exit 2 "$DEXF" unpack dx.dexf -C "$TGT" $CA
expect_grep "d/x: exists" "$ERR"
check "leaf link, no --force: victim unchanged" \
    test "$(cat "$S/victim")" = "outside file"
expect_exit 0 "$DEXF" unpack dx.dexf -C "$TGT" --force $CA
check "leaf link, --force: victim unchanged" \
    test "$(cat "$S/victim")" = "outside file"
check "leaf link, --force: the link itself was replaced by the file" \
    sh -c "test ! -L '$TGT/d/x' && cmp -s '$TGT/d/x' d/x"
check "leaf link: no temporary file left" \
    test -z "$(find "$S" -name '*.part')"

finish

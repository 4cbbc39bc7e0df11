#!/bin/sh
# tests/cli/tamper.sh - the tamper matrix: one defect per copy of a good
# container, each must give the right exit code, verdict, problem kind and
# location.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
mkdata data.bin 40000 11
CA="--trust $PKI/ca.pem"
"$DEXF" pack -q -o good.dexf --chunk-size 4K $(signopts ecdsa256) data.bin ||
    die "pack good.dexf"
"$DEXF" pack -q -o good-store.dexf --chunk-size 4K --compression store \
    $(signopts ecdsa256) data.bin || die "pack good-store.dexf"
expect_exit 0 "$DEXF" verify $CA good.dexf
expect_exit 0 "$DEXF" verify $CA good-store.dexf
check "craft.py re-serialises a container byte for byte" sh -c \
    "'$PYTHON3' '$CRAFT' hostile rewrite good.dexf rw.dexf && cmp good.dexf rw.dexf"

C0="j['containers'][0]"
# has_problem KIND ENTRY: JSON expression
has_problem()
{
	printf "any(p['kind'] == '%s' and p['entry'] == '%s' for p in %s['problems'])" \
	    "$1" "$2" "$C0"
}
# verify_json EXIT FILE: run verify --json, check the exit code
verify_json()
{
	expect_exit "$1" "$DEXF" verify --json $CA "$2"
	cp "$OUT" "$2.json"
}
# verify_human EXIT FILE
verify_human()
{
	expect_exit "$1" "$DEXF" verify $CA "$2"
	cp "$OUT" "$2.txt"
}

# --- (a) one byte of evidence chunk k -----------------------------------------
for c in good good-store; do
	for k in 0 5 9; do
		f=$c-chunk$k.dexf
		cp $c.dexf $f
		set -- $("$PYTHON3" "$CRAFT" chunk $c.dexf i1 $k)
		"$PYTHON3" "$CRAFT" flip $f $(($1 + $2 / 2)) || die flip
		len=4096
		[ $k -eq 9 ] && len=$((40000 - 9 * 4096))
		verify_json 1 $f
		expect_json $f.json "$C0['verdict'] == 'tampered' and $C0['exit_code'] == 1"
		expect_json $f.json "any(p['kind'] == 'chunk-mismatch' and p['chunk_first'] == $k and p['chunk_last'] == $k and p['byte_offset'] == $k * 4096 and p['byte_length'] == $len and p['item'] == 'data.bin' and p['entry'] == 'evidence/data.bin' for p in $C0['problems'])"
		expect_json $f.json "[(i['status'], i['bad_chunks']) for i in $C0['items']] == [('mismatch', 1)]"
		verify_human 1 $f
		expect_grep "^TAMPERED: $f: " $f.txt
		expect_grep "item 'data.bin'.*chunk $k \(bytes $((k * 4096))-$((k * 4096 + len - 1))\)" $f.txt
	done
done
# two damaged chunks are both reported
cp good.dexf two.dexf
for k in 2 7; do
	set -- $("$PYTHON3" "$CRAFT" chunk good.dexf i1 $k)
	"$PYTHON3" "$CRAFT" flip two.dexf $(($1 + $2 / 2)) || die flip
done
verify_json 1 two.dexf
expect_json two.dexf.json "sorted(p['chunk_first'] for p in $C0['problems'] if p['kind'] == 'chunk-mismatch') == [2, 7]"

# --- (b) the leaf hash in the chunk index --------------------------------------
cp good.dexf leaf.dexf
"$PYTHON3" "$CRAFT" flip leaf.dexf "$("$PYTHON3" "$CRAFT" leaf good.dexf i1 3)" ||
    die flip
verify_json 1 leaf.dexf
expect_json leaf.dexf.json "$(has_problem index-mismatch META-INF/dexf/index/i1.idx) and $C0['verdict'] == 'tampered'"
verify_human 1 leaf.dexf
expect_grep "META-INF/dexf/index/i1\.idx" leaf.dexf.txt

# --- (c) the manifest (deflated) -------------------------------------------------
off=$("$PYTHON3" "$CRAFT" dataoff good.dexf META-INF/dexf/manifest.xml)
for d in 2 200; do
	cp good.dexf manifest$d.dexf
	"$PYTHON3" "$CRAFT" flip manifest$d.dexf $((off + d)) || die flip
	verify_json 1 manifest$d.dexf
	expect_json manifest$d.dexf.json "any(p['kind'] in ('manifest-mismatch', 'manifest-invalid') and p['entry'] == 'META-INF/dexf/manifest.xml' for p in $C0['problems'])"
	# a manifest that does not match its digest in the seal is tampered
	# content (a digest mismatch), not a broken record chain
	expect_json manifest$d.dexf.json "$C0['verdict'] == 'tampered' and $C0['coverage']['manifest_bound'] is False"
	# verification stops at the manifest (11.3 step 5): the entries it
	# would have referenced are not reported as extra
	expect_json manifest$d.dexf.json "not any(p['kind'] == 'extra-entry' for p in $C0['problems'])"
	verify_human 1 manifest$d.dexf
	expect_grep "META-INF/dexf/manifest\.xml" manifest$d.dexf.txt
done
# a record altered (manifest digest) and properly re-signed by CA A
"$PYTHON3" "$CRAFT" hostile resigned-altered-record good.dexf resigned.dexf ||
    die craft
verify_json 1 resigned.dexf
expect_json resigned.dexf.json "$(has_problem manifest-mismatch META-INF/dexf/manifest.xml) and $C0['seal']['signature_valid'] is True"
expect_json resigned.dexf.json "$C0['verdict'] == 'tampered' and $C0['coverage']['manifest_bound'] is False"

# --- (d) the seal record ------------------------------------------------------------
off=$("$PYTHON3" "$CRAFT" dataoff good.dexf META-INF/dexf/records/000000.xml)
cp good.dexf record.dexf
"$PYTHON3" "$CRAFT" flip record.dexf $((off + 100)) || die flip
verify_json 1 record.dexf
expect_json record.dexf.json "$C0['verdict'] == 'chain-broken' and any(p['kind'] in ('record-invalid', 'crc-mismatch') and p['entry'] == 'META-INF/dexf/records/000000.xml' for p in $C0['problems'])"
# without a valid seal nothing is bound: items are still checked against the
# manifest to locate damage, but the report says the manifest is not bound
expect_json record.dexf.json "$C0['coverage']['manifest_bound'] is False"
verify_human 1 record.dexf
expect_grep "^SEAL BROKEN: record\.dexf: " record.dexf.txt
expect_grep "000000\.xml" record.dexf.txt
# same, with the ZIP CRC-32 made to match: only the signature notices
"$PYTHON3" "$CRAFT" hostile record-flip good.dexf record-crc.dexf || die craft
verify_json 1 record-crc.dexf
expect_json record-crc.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem signature-invalid META-INF/dexf/records/000000.p7s)"

# --- (e) the signature -----------------------------------------------------------------
off=$("$PYTHON3" "$CRAFT" dataoff good.dexf META-INF/dexf/records/000000.p7s)
cp good.dexf sig.dexf
"$PYTHON3" "$CRAFT" flip sig.dexf $((off + 300)) || die flip
verify_json 1 sig.dexf
expect_json sig.dexf.json "$C0['verdict'] == 'chain-broken' and any(p['kind'] in ('signature-invalid', 'crc-mismatch') and p['entry'] == 'META-INF/dexf/records/000000.p7s' for p in $C0['problems'])"
verify_human 1 sig.dexf
expect_grep "000000\.p7s" sig.dexf.txt
"$PYTHON3" "$CRAFT" hostile sig-flip good.dexf sig-crc.dexf || die craft
verify_json 1 sig-crc.dexf
expect_json sig-crc.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem signature-invalid META-INF/dexf/records/000000.p7s)"
# signature stripped: consistent, unsigned, never trusted
"$PYTHON3" "$CRAFT" hostile drop-signature good.dexf nosig.dexf || die craft
# the seal record declares its signature: removing the file breaks the
# seal instead of making the container "unsigned"
verify_json 1 nosig.dexf
expect_json nosig.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem signature-invalid META-INF/dexf/records/000000.p7s) and $C0['seal']['signed'] is True"

# --- (f) the central directory -----------------------------------------------------------
hdr=$("$PYTHON3" "$CRAFT" cdhdr good.dexf evidence/data.bin)
cp good.dexf cdname.dexf
"$PYTHON3" "$CRAFT" flip cdname.dexf $((hdr + 46 + 9)) || die flip  # d -> e
verify_json 4 cdname.dexf
expect_json cdname.dexf.json "$C0['verdict'] == 'unreadable' and any(p['kind'] == 'structure' for p in $C0['problems'])"
verify_human 4 cdname.dexf
expect_grep "entry 'evidence/eata\.bin'.*local header" cdname.dexf.txt
cp good.dexf cdcrc.dexf
"$PYTHON3" "$CRAFT" flip cdcrc.dexf $((hdr + 16)) || die flip
verify_json 4 cdcrc.dexf
expect_json cdcrc.dexf.json "$C0['verdict'] == 'unreadable'"
verify_human 4 cdcrc.dexf
expect_grep "entry 'evidence/data\.bin'.*central directory" cdcrc.dexf.txt

# --- (g) truncation --------------------------------------------------------------------------
size=$(wc -c <good.dexf)
cdoff=$("$PYTHON3" "$CRAFT" cdoff good.dexf)
for len in $((size / 2)) $((size - 1)) $cdoff $((size - 22)) 10 0; do
	head -c $len good.dexf >trunc$len.dexf
	verify_json 4 trunc$len.dexf
	expect_json trunc$len.dexf.json "$C0['verdict'] == 'unreadable' and $C0['problems'][0]['kind'] == 'structure'"
	verify_human 4 trunc$len.dexf
	expect_grep "truncated|end of central directory|too small" trunc$len.dexf.txt
done

# --- (h) an extra entry ---------------------------------------------------------------------
# python zipfile (append mode) rewrites the central directory without the
# ZIP64 end records every dexf container has: not readable as dexf
cp good.dexf pyappend.dexf
"$PYTHON3" -c "import zipfile
with zipfile.ZipFile('pyappend.dexf', 'a') as z:
    z.writestr('evidence/planted.txt', 'planted\n')" || die "zipfile append"
verify_json 4 pyappend.dexf
expect_json pyappend.dexf.json "$C0['verdict'] == 'unreadable'"
verify_human 4 pyappend.dexf
expect_grep "ZIP64 end of central directory" pyappend.dexf.txt
if command -v zip >/dev/null 2>&1; then
	cp good.dexf zipappend.dexf
	echo planted >planted.txt
	zip -q zipappend.dexf planted.txt || die "zip append"
	verify_json 4 zipappend.dexf
fi
# an extra entry in the exact dexf profile: tampered, naming the entry
"$PYTHON3" "$CRAFT" hostile extra-entry good.dexf extra.dexf evidence/planted.txt ||
    die craft
verify_json 1 extra.dexf
expect_json extra.dexf.json "$C0['verdict'] == 'tampered' and $(has_problem extra-entry evidence/planted.txt)"
verify_human 1 extra.dexf
expect_grep "evidence/planted\.txt" extra.dexf.txt
# a missing chunk index
"$PYTHON3" "$CRAFT" hostile drop-entry good.dexf missing.dexf \
    META-INF/dexf/index/i1.idx || die craft
verify_json 1 missing.dexf
expect_json missing.dexf.json "$C0['verdict'] == 'tampered' and any(p['kind'] == 'missing-entry' and 'META-INF/dexf/index/i1.idx' in p['message'] for p in $C0['problems'])"

# --- (i) signature swapped for the rogue key's, same record bytes ---------------------------
"$PYTHON3" "$CRAFT" hostile rogue-signature good.dexf rogue.dexf || die craft
check "only 000000.p7s differs" "$PYTHON3" -c "import zipfile, sys
a, b = zipfile.ZipFile('good.dexf'), zipfile.ZipFile('rogue.dexf')
d = [n for n in a.namelist() if a.read(n) != b.read(n)]
sys.exit(not (a.namelist() == b.namelist() and d == ['META-INF/dexf/records/000000.p7s']))"
verify_json 3 rogue.dexf
expect_json rogue.dexf.json "$C0['verdict'] == 'intact-untrusted' and $C0['seal']['signature_valid'] is True and 'Rogue' in $C0['seal']['signer_subject']"
verify_human 3 rogue.dexf
expect_grep "Test Signer Rogue.*untrusted" rogue.dexf.txt
expect_exit 0 "$DEXF" verify --trust "$PKI/rogue-ca.pem" rogue.dexf

finish

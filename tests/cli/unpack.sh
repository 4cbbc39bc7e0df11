#!/bin/sh
# tests/cli/unpack.sh - dexf unpack: contents, metadata, selection,
# refusals, damaged items.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
CA="--trust $PKI/ca.pem"
mkdir -p src/d1/d2 src/empty || die mkdir
mkdata src/d1/d2/big.bin 20000 21
mkdata src/d1/other.bin 9000 22
echo "small text" >src/top.txt
printf '#!/bin/sh\necho hi\n' >src/run.sh
: >src/zero.bin
chmod 600 src/top.txt
chmod 755 src/run.sh
chmod 640 src/d1/other.bin
ln -s d1/d2/big.bin src/lnk || die symlink
touch -d 2020-05-06T07:08:09Z src/top.txt
touch -d 2021-02-03T04:05:06Z src/d1/d2/big.bin
touch -d 2019-12-31T23:59:58Z src/empty
touch -h -d 2018-01-01T00:00:00Z src/lnk 2>/dev/null
"$DEXF" pack -q -o c.dexf --chunk-size 4K $(signopts ecdsa256) src ||
    die "pack c.dexf"
"$DEXF" pack -q -o unsigned.dexf --no-sign src || die "pack unsigned.dexf"
FILES="src/d1/d2/big.bin src/d1/other.bin src/top.txt src/run.sh src/zero.bin"

# no_part DIR: no temporary files left anywhere under DIR
no_part()
{
	check "no temporary files under $1" \
	    test -z "$(find "$1" -name '*.part' 2>/dev/null)"
}
# nfiles DIR: number of regular files under DIR (0 if absent)
nfiles()
{
	if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi
}

# --- everything --------------------------------------------------------------
expect_exit 0 "$DEXF" unpack c.dexf -C out $CA
expect_grep "^ok src/top\.txt$" "$OUT"
for f in $FILES; do
	expect_same "out/$f" "$f"
	check "$f: mode $(stat -c %a "$f")" \
	    test "$(stat -c %a "out/$f")" = "$(stat -c %a "$f")"
	check "$f: mtime $(stat -c %Y "$f")" \
	    test "$(stat -c %Y "out/$f")" = "$(stat -c %Y "$f")"
done
check "nothing else extracted" test "$(nfiles out)" -eq 5
check "symlink recreated as a symlink" test -L out/src/lnk
check "symlink target kept" test "$(readlink out/src/lnk)" = d1/d2/big.bin
check "symlink mtime restored" \
    test "$(stat -c %Y out/src/lnk)" = "$(stat -c %Y src/lnk)"
check "empty directory recreated" test -d out/src/empty
check "empty directory is empty" test -z "$(ls -A out/src/empty)"
check "directory mtime restored" \
    test "$(stat -c %Y out/src/empty)" = "$(stat -c %Y src/empty)"
no_part out

# --- trust decides the exit code, not what is extracted ------------------------
expect_exit 3 "$DEXF" unpack c.dexf -C out-notrust
expect_grep "not established" "$ERR"
check "extracted without anchors" test "$(nfiles out-notrust)" -eq 5
expect_exit 0 "$DEXF" unpack c.dexf -C out-i --integrity-only
expect_exit 3 "$DEXF" unpack unsigned.dexf -C out-u $CA
expect_exit 0 "$DEXF" unpack unsigned.dexf -C out-u2 -i
expect_same out-u2/src/d1/d2/big.bin src/d1/d2/big.bin

# --- existing files are never overwritten without --force -----------------------
echo "examiner's own notes" >out/src/top.txt
before=$(sha256 out/src/top.txt)
expect_exit 2 "$DEXF" unpack c.dexf -C out $CA
expect_grep "src/top\.txt: exists" "$ERR"
check "existing file kept" test "$(sha256 out/src/top.txt)" = "$before"
no_part out
expect_exit 2 "$DEXF" unpack c.dexf -C out $CA src/top.txt
check "existing file still kept" test "$(sha256 out/src/top.txt)" = "$before"
expect_exit 0 "$DEXF" unpack c.dexf -C out --force $CA
expect_same out/src/top.txt src/top.txt
check "--force restores the mode" test "$(stat -c %a out/src/top.txt)" = 600
no_part out

# --- selecting items ---------------------------------------------------------------
expect_exit 0 "$DEXF" unpack c.dexf -C sel-path $CA src/top.txt
expect_same sel-path/src/top.txt src/top.txt
check "by path: only that item" test "$(nfiles sel-path)" -eq 1
expect_exit 0 "$DEXF" info --json c.dexf
other_id=$("$PYTHON3" -c "import json, sys
print([i['id'] for i in json.load(open(sys.argv[1]))['items'] if i['path'] == 'src/d1/other.bin'][0])" "$OUT")
expect_exit 0 "$DEXF" unpack c.dexf -C sel-id $CA "$other_id"
expect_same sel-id/src/d1/other.bin src/d1/other.bin
check "by id: only that item" test "$(nfiles sel-id)" -eq 1
expect_exit 0 "$DEXF" unpack c.dexf -C sel-dir $CA src/d1
expect_same sel-dir/src/d1/d2/big.bin src/d1/d2/big.bin
expect_same sel-dir/src/d1/other.bin src/d1/other.bin
check "by directory prefix: only items below it" test "$(nfiles sel-dir)" -eq 2
expect_exit 0 "$DEXF" unpack c.dexf -C sel-dir2 $CA src/d1/
check "prefix with a trailing slash" test "$(nfiles sel-dir2)" -eq 2
expect_exit 2 "$DEXF" unpack c.dexf -C sel-pfx $CA src/d
check "a partial component is not a prefix" test "$(nfiles sel-pfx)" -eq 0
expect_exit 2 "$DEXF" unpack c.dexf -C sel-none $CA src/no-such-item
expect_grep "src/no-such-item" "$ERR"
check "unknown item: nothing extracted" test "$(nfiles sel-none)" -eq 0
expect_exit 2 "$DEXF" unpack
expect_exit 2 "$DEXF" unpack --no-such-option c.dexf

# --- a damaged chunk in one item of several ---------------------------------------
"$DEXF" info --json c.dexf >info.json || die "info"
big_id=$("$PYTHON3" -c "import json
print([i['id'] for i in json.load(open('info.json'))['items'] if i['path'] == 'src/d1/d2/big.bin'][0])")
cp c.dexf dmg.dexf
set -- $("$PYTHON3" "$CRAFT" chunk c.dexf "$big_id" 2)
"$PYTHON3" "$CRAFT" flip dmg.dexf $(($1 + $2 / 2)) || die flip
expect_exit 1 "$DEXF" unpack dmg.dexf -C out-dmg $CA
expect_grep "src/d1/d2/big\.bin.*chunk 2" "$ERR"
check "damaged item not extracted" test ! -e out-dmg/src/d1/d2/big.bin
for f in src/d1/other.bin src/top.txt src/run.sh src/zero.bin; do
	expect_same "out-dmg/$f" "$f"
done
check "symlink still created" test -L out-dmg/src/lnk
no_part out-dmg
# --force over an existing good copy: the damaged item must not replace it
mkdir -p out-dmg2/src/d1/d2 && cp src/d1/d2/big.bin out-dmg2/src/d1/d2/
expect_exit 1 "$DEXF" unpack dmg.dexf -C out-dmg2 --force $CA "$big_id"
expect_same out-dmg2/src/d1/d2/big.bin src/d1/d2/big.bin
no_part out-dmg2

# --- a broken seal: nothing at all is extracted -------------------------------------
"$PYTHON3" "$CRAFT" hostile sig-flip c.dexf badsig.dexf || die craft
expect_exit 1 "$DEXF" unpack badsig.dexf -C out-badsig $CA
expect_grep "000000\.p7s" "$ERR"
check "broken signature: nothing extracted" test "$(nfiles out-badsig)" -eq 0
"$PYTHON3" "$CRAFT" hostile resigned-altered-record c.dexf badrec.dexf ||
    die craft
expect_exit 1 "$DEXF" unpack badrec.dexf -C out-badrec $CA
check "broken manifest binding: nothing extracted" \
    test "$(nfiles out-badrec)" -eq 0
head -c 5000 c.dexf >trunc.dexf
expect_exit 4 "$DEXF" unpack trunc.dexf -C out-trunc $CA
check "truncated: nothing extracted" test "$(nfiles out-trunc)" -eq 0

finish

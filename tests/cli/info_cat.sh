#!/bin/sh
# tests/cli/info_cat.sh - dexf info (human and JSON) and dexf cat (whole
# items and byte ranges, checked chunk by chunk).
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
mkdir -p ev/sub || die mkdir
mkdata ev/data.bin 40000 31
mktext ev/sub/log.txt 500
ln -s data.bin ev/link || die symlink
"$DEXF" pack -q -o c.dexf --chunk-size 4K $(signopts ecdsa256) \
    --case 2026-CIRT-0042 --case-name "Harbour Street" \
    --authorization "Warrant 17/2026" --examiner "Jane Doe" \
    --agency "Example Forensic Lab" --agent "technician:John Roe" \
    --item-meta ev/data.bin:exhibit=EX-1 ev || die "pack c.dexf"
"$DEXF" pack -q -o s.dexf --chunk-size 4K --compression store --no-sign \
    ev || die "pack s.dexf"
D=$(sha256 ev/data.bin)
L=$(sha256 ev/sub/log.txt)

# --- info ---------------------------------------------------------------------
expect_exit 0 "$DEXF" info c.dexf
expect_grep "2026-CIRT-0042" "$OUT"
expect_grep "Harbour Street" "$OUT"
expect_grep "Jane Doe" "$OUT"
expect_grep "Example Forensic Lab" "$OUT"
expect_grep "ev/data\.bin" "$OUT"
expect_grep "ev/sub/log\.txt" "$OUT"
expect_grep "ev/link" "$OUT"
expect_grep "sha256 +$D" "$OUT"
expect_grep "sha256 +$L" "$OUT"
expect_grep "EX-1" "$OUT"
expect_grep "Test Signer ECDSA P-256" "$OUT"
expect_exit 0 "$DEXF" info --json c.dexf
expect_json "$OUT" "j['case']['number'] == '2026-CIRT-0042' and j['case']['name'] == 'Harbour Street' and j['case']['authorization'] == 'Warrant 17/2026'"
expect_json "$OUT" "sorted((a['role'], a['name']) for a in j['agents']) == [('examiner', 'Jane Doe'), ('technician', 'John Roe')]"
expect_json "$OUT" "{i['path']: i['digests'].get('sha256') for i in j['items'] if i['kind'] == 'file'} == {'ev/data.bin': '$D', 'ev/sub/log.txt': '$L'}"
expect_json "$OUT" "[i['id'] for i in j['items']] == ['i%d' % (n + 1) for n in range(len(j['items']))]"
expect_json "$OUT" "j['seal']['signed'] is True and j['seal']['signer_subject'].startswith('CN=Test Signer ECDSA P-256')"
data_id=$("$PYTHON3" -c "import json, sys
print([i['id'] for i in json.load(open(sys.argv[1]))['items'] if i['path'] == 'ev/data.bin'][0])" "$OUT")
expect_exit 2 "$DEXF" info
head -c 1000 c.dexf >trunc.dexf
expect_exit 4 "$DEXF" info trunc.dexf
expect_grep "trunc\.dexf" "$ERR"
expect_exit 4 "$DEXF" info ev/data.bin
expect_exit 4 "$DEXF" info no-such.dexf

# --- cat: whole items ----------------------------------------------------------
expect_exit 0 "$DEXF" cat c.dexf ev/data.bin
expect_same "$OUT" ev/data.bin
expect_exit 0 "$DEXF" cat c.dexf "$data_id"
expect_same "$OUT" ev/data.bin
expect_exit 0 "$DEXF" cat c.dexf ev/sub/log.txt
expect_same "$OUT" ev/sub/log.txt
expect_exit 2 "$DEXF" cat c.dexf ev/link
expect_grep "not a file" "$ERR"
expect_exit 2 "$DEXF" cat c.dexf ev/nope
expect_grep "ev/nope" "$ERR"
expect_exit 2 "$DEXF" cat c.dexf
expect_exit 2 "$DEXF" cat c.dexf ev/data.bin --offset abc

# --- cat: ranges (4 KiB chunks, 40000 bytes = 10 chunks) ------------------------
# slice OFF LEN: bytes of the original
slice()
{
	tail -c +$(($1 + 1)) ev/data.bin | head -c "$2" >expected.bin
}
for c in c.dexf s.dexf; do
	for r in 100:200 0:4096 4000:300 4095:2 4095:8194 12288:4096 \
	    36864:3136 39000:1000 39999:1 0:40000; do
		off=${r%%:*}
		len=${r#*:}
		slice "$off" "$len"
		expect_exit 0 "$DEXF" cat $c ev/data.bin --offset "$off" --length "$len"
		expect_same "$OUT" expected.bin
	done
	# from an offset to the end
	expect_exit 0 "$DEXF" cat $c ev/data.bin --offset 30000
	slice 30000 10000
	expect_same "$OUT" expected.bin
	# empty range at the very end
	expect_exit 0 "$DEXF" cat $c ev/data.bin --offset 40000
	check "$c: empty at the end" test ! -s "$OUT"
	# outside the item
	expect_exit 2 "$DEXF" cat $c ev/data.bin --offset 40001
	expect_grep "outside" "$ERR"
	expect_exit 2 "$DEXF" cat $c ev/data.bin --offset 39999 --length 2
	expect_exit 2 "$DEXF" cat $c ev/data.bin --length 40001
done

# --- cat: a damaged chunk (chunk 5 = bytes 20480-24575) ---------------------------
for c in c s; do
	cp $c.dexf $c-dmg.dexf
	set -- $("$PYTHON3" "$CRAFT" chunk $c.dexf "$data_id" 5)
	"$PYTHON3" "$CRAFT" flip $c-dmg.dexf $(($1 + $2 / 2)) || die flip
	expect_exit 1 "$DEXF" cat $c-dmg.dexf ev/data.bin --offset 20490 --length 5
	expect_grep "chunk 5 \(bytes 20480-24575\)" "$ERR"
	check "$c: no byte of the damaged chunk is written" \
	    test ! -s "$OUT"
	expect_exit 1 "$DEXF" cat $c-dmg.dexf ev/data.bin --offset 16000 --length 8192
	expect_grep "chunk 5" "$ERR"
	expect_exit 1 "$DEXF" cat $c-dmg.dexf ev/data.bin
	# ranges that do not touch chunk 5 read fine: only covering chunks
	# are read
	expect_exit 0 "$DEXF" cat $c-dmg.dexf ev/data.bin --offset 0 --length 20480
	slice 0 20480
	expect_same "$OUT" expected.bin
	expect_exit 0 "$DEXF" cat $c-dmg.dexf ev/data.bin --offset 24576
	slice 24576 15424
	expect_same "$OUT" expected.bin
	expect_exit 0 "$DEXF" cat $c-dmg.dexf ev/data.bin --offset 20000 --length 480
	slice 20000 480
	expect_same "$OUT" expected.bin
done

finish

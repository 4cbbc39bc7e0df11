#!/bin/sh
# tests/cli/verify.sh - dexf verify: verdicts, trust anchors, pinning,
# quick mode, several containers, JSON report.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
mkdata data.bin 40000 7
CA="--trust $PKI/ca.pem"
pk()
{
	# pk OUT KEY: pack data.bin with 4 KiB chunks, signed by KEY
	"$DEXF" pack -q -o "$1" --chunk-size 4K $(signopts "$2") data.bin ||
	    die "pack $1 with $2"
}
pk good.dexf ecdsa256
pk rogue.dexf rogue
pk expired.dexf expired
pk cab.dexf cab-signer
"$DEXF" pack -q -o unsigned.dexf --no-sign --chunk-size 4K data.bin ||
    die "pack unsigned"
SIGNER="CN=Test Signer ECDSA P-256"

# --- trusted ---------------------------------------------------------------
expect_exit 0 "$DEXF" verify $CA good.dexf
check "first line states the verdict (trusted)" \
    sh -c "head -n 1 '$OUT' | grep -q '^INTACT, SIGNER TRUSTED: good.dexf'"
expect_grep "chains to trusted anchor CN=dexf Test CA A" "$OUT"
expect_exit 0 "$DEXF" verify --trust "$PKI/ca-b.pem" $CA good.dexf

# --- no anchors: intact but not established (0 with --integrity-only) ------
expect_exit 3 "$DEXF" verify good.dexf
check "first line states the verdict (no anchors)" \
    sh -c "head -n 1 '$OUT' | grep -q '^INTACT, SIGNER NOT ESTABLISHED'"
expect_grep "no trust anchors" "$OUT"
expect_exit 0 "$DEXF" verify --integrity-only good.dexf
expect_grep "$SIGNER" "$OUT"
expect_exit 0 "$DEXF" verify -i --json good.dexf
expect_json "$OUT" "j['containers'][0]['verdict'] == 'intact-untrusted' and j['containers'][0]['exit_code'] == 0 and j['exit_code'] == 0"

# --- wrong CA: names the untrusted signer ------------------------------------
expect_exit 3 "$DEXF" verify --trust "$PKI/ca-b.pem" good.dexf
expect_grep "$SIGNER.*untrusted" "$OUT"
expect_exit 3 "$DEXF" verify --json --trust "$PKI/ca-b.pem" good.dexf
expect_json "$OUT" "j['containers'][0]['seal']['trust'] == 'untrusted' and j['containers'][0]['seal']['signer_subject'].startswith('$SIGNER')"
expect_json "$OUT" "any(p['kind'] == 'untrusted' and p['entry'] == 'META-INF/dexf/records/000000.p7s' for p in j['containers'][0]['problems'])"

# --- pinned signer certificates ----------------------------------------------
expect_exit 0 "$DEXF" verify --signer "$PKI/ecdsa256.pem" good.dexf
expect_grep "pinned" "$OUT"
expect_exit 3 "$DEXF" verify --signer "$PKI/ecdsa384.pem" good.dexf
expect_grep "pinned" "$OUT"
expect_exit 0 "$DEXF" verify --signer "$PKI/ecdsa384.pem" --signer "$PKI/ecdsa256.pem" good.dexf
# a pinned certificate must also be within its validity (FORMAT.md 10.4)
expect_exit 3 "$DEXF" verify --signer "$PKI/expired.pem" expired.dexf

# --- other organisations and rogue signers -----------------------------------
expect_exit 3 "$DEXF" verify $CA rogue.dexf
expect_grep "Rogue" "$OUT"
expect_exit 0 "$DEXF" verify --trust "$PKI/rogue-ca.pem" rogue.dexf
expect_exit 3 "$DEXF" verify $CA cab.dexf
expect_exit 0 "$DEXF" verify --trust "$PKI/ca-b.pem" cab.dexf
expect_exit 0 "$DEXF" verify $CA --trust "$PKI/ca-b.pem" cab.dexf

# --- expired signer ------------------------------------------------------------
expect_exit 3 "$DEXF" verify $CA expired.dexf
expect_grep "expired" "$OUT"
expect_exit 3 "$DEXF" verify --json $CA expired.dexf
expect_json "$OUT" "j['containers'][0]['seal']['trust'] == 'expired' and j['containers'][0]['verdict'] == 'intact-untrusted' and j['containers'][0]['exit_code'] == 3"
expect_exit 0 "$DEXF" verify -i $CA expired.dexf

# --- unsigned --------------------------------------------------------------------
expect_exit 3 "$DEXF" verify $CA unsigned.dexf
check "first line states the verdict (unsigned)" \
    sh -c "head -n 1 '$OUT' | grep -q '^INTACT, UNSIGNED'"
expect_exit 3 "$DEXF" verify --json $CA unsigned.dexf
expect_json "$OUT" "j['containers'][0]['verdict'] == 'intact-unsigned' and j['containers'][0]['seal']['trust'] == 'unsigned' and j['containers'][0]['seal']['signed'] is False"
expect_json "$OUT" "any(p['kind'] == 'unsigned' for p in j['containers'][0]['problems'])"
expect_exit 0 "$DEXF" verify --integrity-only unsigned.dexf

# --- quick mode ------------------------------------------------------------------
expect_exit 0 "$DEXF" verify --quick $CA good.dexf
expect_grep "evidence data not read" "$OUT"
expect_exit 0 "$DEXF" verify --quick --json $CA good.dexf
expect_json "$OUT" "j['containers'][0]['coverage']['quick'] is True and j['containers'][0]['coverage']['chunks_checked'] == 0 and j['containers'][0]['coverage']['bytes_hashed'] == 0"
expect_json "$OUT" "[i['status'] for i in j['containers'][0]['items']] == ['not-checked']"
# quick mode does not read evidence: a damaged chunk goes unseen there,
# and is found by a full verification
cp good.dexf chunk.dexf
set -- $("$PYTHON3" "$CRAFT" chunk good.dexf i1 4)
"$PYTHON3" "$CRAFT" flip chunk.dexf $(($1 + $2 / 2)) || die flip
expect_exit 0 "$DEXF" verify --quick $CA chunk.dexf
expect_exit 1 "$DEXF" verify $CA chunk.dexf
# ...but it does check the chunk index
cp good.dexf leaf.dexf
"$PYTHON3" "$CRAFT" flip leaf.dexf "$("$PYTHON3" "$CRAFT" leaf good.dexf i1 4)" ||
    die flip
expect_exit 1 "$DEXF" verify --quick $CA leaf.dexf

# --- one container per verdict: names, exit codes, first line ------------------
cp good.dexf v-intact-trusted.dexf
cp rogue.dexf v-intact-untrusted.dexf
cp unsigned.dexf v-intact-unsigned.dexf
cp chunk.dexf v-tampered.dexf
"$PYTHON3" "$CRAFT" hostile sig-flip good.dexf v-chain-broken.dexf || die craft
head -c 30000 good.dexf >v-unreadable.dexf
"$PYTHON3" "$CRAFT" hostile reserved-record good.dexf v-unsupported.dexf ||
    die craft
for v in intact-trusted:0:"INTACT, SIGNER TRUSTED" \
    intact-untrusted:3:"INTACT, SIGNER NOT ESTABLISHED" \
    intact-unsigned:3:"INTACT, UNSIGNED" tampered:1:TAMPERED \
    chain-broken:1:"SEAL BROKEN" unreadable:4:UNREADABLE \
    unsupported:4:UNSUPPORTED; do
	name=${v%%:*}
	rest=${v#*:}
	code=${rest%%:*}
	head=${rest#*:}
	expect_exit "$code" "$DEXF" verify $CA v-$name.dexf
	check "$name: first line is '$head: v-$name.dexf: ...'" \
	    sh -c "head -n 1 '$OUT' | grep -q '^$head: v-$name.dexf: '"
	expect_exit "$code" "$DEXF" verify --json $CA v-$name.dexf
	expect_json "$OUT" "j['dexf_verify_report'] == 1 and j['exit_code'] == $code and len(j['containers']) == 1"
	expect_json "$OUT" "all(k in j['containers'][0] for k in ('verdict', 'exit_code', 'seal', 'items', 'problems', 'coverage'))"
	expect_json "$OUT" "j['containers'][0]['verdict'] == '$name' and j['containers'][0]['exit_code'] == $code and j['containers'][0]['file'] == 'v-$name.dexf'"
done

# --- signature algorithms (FORMAT.md 10.2), record re-signed by openssl --------
# accepted: P-384 with SHA-384; RSA PKCS#1 v1.5 with SHA-512
# unsupported: SHA-1.  An ECDSA curve with another SHA-2 digest of at least
# 256 bits is accepted (stock openssl signs P-384 with SHA-256 by default)
# and reported as such.
for spec in ecdsa384:sha384:0 rsapss:sha512:0 ecdsa256:sha1:4 \
    ecdsa384:sha256:0 ecdsa256:sha384:0; do
	k=${spec%%:*}
	rest=${spec#*:}
	md=${rest%%:*}
	code=${rest#*:}
	"$PYTHON3" "$CRAFT" resign good.dexf alg-$k-$md.dexf "$PKI/$k.key" \
	    "$PKI/$k.pem" "$md" || die "resign $k $md"
	expect_exit "$code" "$DEXF" verify --json $CA alg-$k-$md.dexf
	if [ "$k:$md" = ecdsa384:sha256 ] || [ "$k:$md" = ecdsa256:sha384 ]; then
		expect_json "$OUT" "j['containers'][0]['seal']['algorithm'] == 'ecdsa-$md'"
	fi
	if [ "$code" -eq 4 ]; then
		expect_json "$OUT" "j['containers'][0]['verdict'] == 'unsupported' and any(p['kind'] == 'unsupported' and p['entry'] == 'META-INF/dexf/records/000000.p7s' for p in j['containers'][0]['problems'])"
	fi
done

# --- several containers: the worst exit code -----------------------------------
expect_exit 3 "$DEXF" verify $CA good.dexf unsigned.dexf
expect_exit 1 "$DEXF" verify $CA good.dexf v-tampered.dexf unsigned.dexf
expect_exit 1 "$DEXF" verify $CA unsigned.dexf v-chain-broken.dexf good.dexf
expect_exit 4 "$DEXF" verify $CA good.dexf v-unreadable.dexf v-tampered.dexf
check "each container gets its verdict line" \
    sh -c "grep -c '^[A-Z ,]*: v*[a-z-]*\.dexf: ' '$OUT' | grep -qx 3"
expect_exit 4 "$DEXF" verify --json $CA good.dexf v-unreadable.dexf v-tampered.dexf
expect_json "$OUT" "[c['verdict'] for c in j['containers']] == ['intact-trusted', 'unreadable', 'tampered'] and [c['exit_code'] for c in j['containers']] == [0, 4, 1] and j['exit_code'] == 4"
expect_exit 0 "$DEXF" verify -q $CA good.dexf v-intact-trusted.dexf

# --- usage errors ------------------------------------------------------------------
expect_exit 2 "$DEXF" verify
expect_exit 2 "$DEXF" verify --no-such-option good.dexf
# an anchor or pinned certificate that cannot be read is a usage error,
# never a silent "untrusted" (or, with -i, a silent success)
expect_exit 2 "$DEXF" verify --trust no-such-ca.pem good.dexf
expect_grep "no-such-ca\.pem" "$ERR"
expect_exit 2 "$DEXF" verify --signer no-such-cert.pem good.dexf
expect_grep "no-such-cert\.pem" "$ERR"
expect_exit 4 "$DEXF" verify $CA no-such-container.dexf
expect_grep "no-such-container\.dexf" "$OUT"

finish

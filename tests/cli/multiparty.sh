#!/bin/sh
# tests/cli/multiparty.sh - the custody chain across three organizations,
# each with its own test CA, with RFC 3161 time-stamps from a real
# time-stamp authority on loopback (tests/tsa): the examiner seals, CIRT A
# adds a trace-back hop and transfers, CIRT B receives and adds the next
# hop, the court verifies.  Then time-stamp attacks, stock-tool checks and
# a signer certificate that expired after its time-stamp.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tsa/lib.sh"

cd "$T" || die "cd $T"
LAB="--trust $PKI/org-lab-ca.pem"
CA3="$LAB --trust $PKI/org-cirta-ca.pem --trust $PKI/org-cirtb-ca.pem"
TSAT="--tsa-trust $PKI/tsa-ca.pem"
C0="j['containers'][0]"
rec() { printf "%s['records'][%s]" "$C0" "$1"; }
has_problem()
{
	printf "any(p['kind'] == '%s' and p['entry'] == '%s' for p in %s['problems'])" \
	    "$1" "$2" "$C0"
}
R=META-INF/dexf/records

start_tsa || die "cannot start the test time-stamp authority"
mkdata capture.pcap 20000 3
mkdata flows.nfcapd 9000 4

# 1. the examiner seals
"$DEXF" pack -q -o case.dexf --examiner "Jane Examiner" \
    --agency "Regional Forensic Lab" $(signopts org-lab-signer) \
    capture.pcap flows.nfcapd || die "pack"

# 2. CIRT A: a trace-back hop, then the transfer to CIRT B
expect_exit 0 "$DEXF" trace add case.dexf --incident INC-77 \
    --incident-org cirt-a.example --protocol udp \
    --source 203.0.113.9:53 --destination 192.0.2.44:5353 \
    --start 2026-11-20T08:00:00Z --end 2026-11-20T09:00:00Z \
    --result partial-path --point 192.0.2.1 --point-asn 64500 \
    --observed-time 2026-11-20T08:10:00Z --observed-source 203.0.113.9 \
    --spoofed unknown --upstream 198.51.100.1 --upstream-asn 64501 \
    --method logging --confidence high --evidence capture.pcap \
    --contact "CIRT A duty officer" --contact-org "CIRT A" \
    --tsa "$TSA_URL" $(signopts org-cirta-signer) --org "CIRT A" --role cirt
expect_grep '^head: 000001 [0-9a-f]{64}$' "$OUT"
expect_exit 0 "$DEXF" annotate case.dexf --action transferred --to "Bo" \
    --to-org "CIRT B" --to-role cirt --item capture.pcap \
    --authorization "MLA-2026-9" --tsa "$TSA_URL" \
    $(signopts org-cirta-signer) --org "CIRT A" --role cirt

# 3. CIRT B: receives, and adds the next hop upstream (from a JSON file)
expect_exit 0 "$DEXF" annotate case.dexf --action received --item capture.pcap \
    --tsa "$TSA_URL" $(signopts org-cirtb-signer) --org "CIRT B" --role cirt
cat > hop2.json <<'EOF'
{"id": "INC-77", "organization": "cirt-a.example",
 "flow": {"protocol": "udp", "start": "2026-11-20T08:00:00Z",
          "end": "2026-11-20T09:00:00Z",
          "source": {"address": "203.0.113.9", "port": 53},
          "destination": {"address": "192.0.2.44", "port": 5353}},
 "result": "source-identified",
 "hops": [{"point": {"address": "198.51.100.1", "asn": 64501},
           "time": "2026-11-20T08:10:02Z",
           "observed_source": "203.0.113.9", "spoofed": "no",
           "method": "flow-records", "confidence": "medium",
           "evidence": ["flows.nfcapd"],
           "contact": {"name": "CIRT B NOC", "organization": "CIRT B",
                       "role": "provider"}}]}
EOF
expect_exit 0 "$DEXF" trace add case.dexf --from hop2.json --tsa "$TSA_URL" \
    $(signopts org-cirtb-signer) --org "CIRT B" --role cirt
head4=$(sed -n 's/^head: 000004 //p' "$OUT")
[ ${#head4} -eq 64 ] || fail "head of record 4 printed"

# 4. the court: all three organizations' CAs and the TSA's -> trusted
expect_exit 0 "$DEXF" verify --json $CA3 $TSAT --head "$head4" case.dexf
expect_json "$OUT" "$C0['verdict'] == 'intact-trusted' and len($C0['records']) == 5"
expect_json "$OUT" "[r['kind'] for r in $C0['records']] == ['seal', 'traceback', 'custody', 'custody', 'traceback']"
expect_json "$OUT" "all(r['valid'] and r['signature']['trust'] == 'trusted' for r in $C0['records'])"
expect_json "$OUT" "all(r['timestamp']['valid'] and r['timestamp']['trust'] == 'trusted' for r in $C0['records'][1:])"
expect_json "$OUT" "$C0['head'] == {'sequence': 4, 'sha256': '$head4'}"
expect_json "$OUT" "'CIRT B' in $(rec 4)['signature']['subject'] and $(rec 4)['author']['organization'] == 'CIRT B'"

# ... without CIRT B's CA: exit 3, naming CIRT B's records
expect_exit 3 "$DEXF" verify --json $LAB --trust "$PKI/org-cirta-ca.pem" $TSAT case.dexf
expect_json "$OUT" "$C0['verdict'] == 'intact-untrusted'"
expect_json "$OUT" "$(has_problem untrusted $R/000003.p7s) and $(has_problem untrusted $R/000004.p7s)"
expect_json "$OUT" "not any(p['entry'] in ('$R/000001.p7s', '$R/000002.p7s') for p in $C0['problems'])"
expect_json "$OUT" "$(rec 3)['signature']['trust'] == 'untrusted' and $(rec 1)['signature']['trust'] == 'trusted'"
expect_exit 3 "$DEXF" verify $LAB --trust "$PKI/org-cirta-ca.pem" case.dexf
expect_grep "record 000003 \\(custody by Bo CIRT-B\\)" "$OUT"
# ... with only the lab's CA: CIRT A's records are named too
expect_exit 3 "$DEXF" verify --json $LAB case.dexf
expect_json "$OUT" "$(has_problem untrusted $R/000001.p7s) and $(has_problem untrusted $R/000002.p7s)"

# the path, as a court or a CIRT reads it
expect_exit 0 "$DEXF" trace show $CA3 $TSAT case.dexf
expect_grep "hop 1 +192\\.0\\.2\\.1" "$OUT"
expect_grep "hop 2 +198\\.51\\.100\\.1" "$OUT"
expect_exit 0 "$DEXF" trace show --format iodef $CA3 $TSAT case.dexf
cp "$OUT" incident.xml
check "IODEF export validates against the RFC 7970 schema" \
    xmllint --noout --schema "$top_srcdir/tests/iodef/iodef-2.0.xsd" incident.xml
expect_grep 'INC-77' incident.xml
expect_exit 0 "$DEXF" log $CA3 $TSAT case.dexf
expect_grep "^000004 +traceback" "$OUT"
expect_grep "time-stamped" "$OUT"

# 5. stock tools: every signature with openssl cms, every token with
#    openssl ts
cat "$PKI/org-lab-ca.pem" "$PKI/org-cirta-ca.pem" "$PKI/org-cirtb-ca.pem" > cas.pem
for n in 000000 000001 000002 000003 000004; do
	unzip -p case.dexf $R/$n.xml > $n.xml
	unzip -p case.dexf $R/$n.p7s > $n.p7s
	check "openssl cms -verify record $n" openssl cms -verify -binary \
	    -inform DER -in $n.p7s -content $n.xml -CAfile cas.pem \
	    -purpose any -out /dev/null
	[ $n = 000000 ] && continue
	unzip -p case.dexf $R/$n.tst > $n.tst
	check "openssl ts -verify token $n" openssl ts -verify -in $n.tst \
	    -token_in -data $n.p7s -CAfile "$PKI/tsa-ca.pem" \
	    -untrusted "$PKI/tsa.pem"
done

# 6. a time-stamp over different data: record 2 carries record 1's token
"$PYTHON3" - case.dexf swapped.dexf "$top_srcdir/tests/vectors" <<'EOF' ||
import sys
sys.path.insert(0, sys.argv[3])
import dexfzip
ents = dexfzip.read_entries(sys.argv[1])
by = {e[0]: e for e in ents}
R = 'META-INF/dexf/records/'
tok1 = dexfzip.plain(by[R + '000001.tst'])
ents = [dexfzip.entry(e[0], tok1) if e[0] == R + '000002.tst' else e
        for e in ents]
dexfzip.write(sys.argv[2], ents)
EOF
    die "craft swapped.dexf"
expect_exit 1 "$DEXF" verify --json $CA3 $TSAT swapped.dexf
expect_json "$OUT" "$C0['verdict'] == 'chain-broken' and $(has_problem timestamp-invalid $R/000002.tst)"
# ... and record 3, which bound record 2's token, no longer links
expect_json "$OUT" "$(has_problem link-broken $R/000003.xml)"
expect_json "$OUT" "$(rec 2)['timestamp']['valid'] == False"

# 7. a signer certificate that expired after its time-stamp still verifies
#    (the TSA and the signer run at a time inside its validity); without a
#    trusted time-stamp it does not
if have_faketime; then
	past="2020-06-01 12:00:00"
	"$DEXF" pack -q -o old.dexf $(signopts org-lab-signer) capture.pcap ||
	    die "pack old.dexf"
	start_tsa --faketime "$past" || die "cannot start the faketime TSA"
	expect_exit 0 faketime "$past" "$DEXF" annotate old.dexf \
	    --action examined --tsa "$TSA_URL" $(signopts org-lab-past-signer)
	expect_exit 0 "$DEXF" verify --json $LAB $TSAT old.dexf
	# the faketime clocks run on from $past: the token's time is the
	# TSA's a moment after it started
	expect_json "$OUT" "$(rec 1)['timestamp']['time'].startswith('2020-06-01T12:0') and $(rec 1)['signature']['trust'] == 'trusted'"
	expect_exit 3 "$DEXF" verify --json $LAB old.dexf
	expect_json "$OUT" "$(rec 1)['signature']['trust'] == 'expired' and $(has_problem untrusted $R/000001.p7s)"
	# signing today with that certificate is refused outright
	expect_exit 2 "$DEXF" annotate old.dexf --action note \
	    $(signopts org-lab-past-signer)
	expect_grep "expired" "$ERR"
else
	fail "faketime(1) is not installed (Debian package faketime)"
fi

# 8. the authority is down or refuses: exit 5, nothing written
before=$(sha256sum case.dexf)
expect_exit 5 "$DEXF" annotate case.dexf --action note --note x \
    --tsa "$(closed_port_url)" $(signopts org-cirtb-signer)
expect_grep "time-stamp authority" "$ERR"
start_tsa --reject || die "cannot start the rejecting TSA"
expect_exit 5 "$DEXF" annotate case.dexf --action note --note x \
    --tsa "$TSA_URL" $(signopts org-cirtb-signer)
check "a failed time-stamp leaves the container unchanged" \
    test "$before" = "$(sha256sum case.dexf)"

finish

#!/bin/sh
# tests/cli/chain.sh - the record chain end to end (FORMAT.md 2.6, 9, 11.8,
# 11.9): custody, annotation and trace-back records appended by different
# signers, read back by verify, log and trace show and by stock tools; then
# the attacks of 11.9, each crafted on a copy of the good container; then
# the appends that annotate must refuse without touching the input.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
command -v unzip >/dev/null 2>&1 || die "unzip (Info-ZIP) is needed"
command -v openssl >/dev/null 2>&1 || die "openssl is needed"
command -v xmllint >/dev/null 2>&1 || die "xmllint is needed"

C0="j['containers'][0]"
BOTH="--trust $PKI/ca.pem --trust $PKI/ca-b.pem"
R=META-INF/dexf/records
A1=META-INF/dexf/attachments/000001/report.txt
cat "$PKI/ca.pem" "$PKI/ca-b.pem" >both-cas.pem || die "cat CAs"

# has_problem KIND ENTRY: JSON expression
has_problem()
{
	printf "any(p['kind'] == '%s' and p['entry'] == '%s' for p in %s['problems'])" \
	    "$1" "$2" "$C0"
}
# verify_json EXIT FILE [OPTIONS...]: verify --json with both CAs, keep
# the report in FILE.json
verify_json()
{
	_e=$1
	_f=$2
	shift 2
	expect_exit "$_e" "$DEXF" verify --json $BOTH "$@" "$_f"
	cp "$OUT" "$_f.json"
}
# verify_human EXIT FILE [OPTIONS...]
verify_human()
{
	_e=$1
	_f=$2
	shift 2
	expect_exit "$_e" "$DEXF" verify $BOTH "$@" "$_f"
	cp "$OUT" "$_f.txt"
}
fsize()
{
	wc -c <"$1" | tr -d ' '
}
# unchanged FILE BACKUP DESC: FILE still has BACKUP's size and SHA-256
unchanged()
{
	if [ "$(fsize "$1")" = "$(fsize "$2")" ] &&
	    [ "$(sha256 "$1")" = "$(sha256 "$2")" ]; then
		pass "$3: $(basename "$1") unchanged (size and sha256)"
	else
		fail "$3: $(basename "$1") was modified"
	fi
}

# chainx.py: crafts attacks on the record chain with tests/hostile/craft.py
cat >chainx.py <<'EOF'
"""chainx.py IN OUT OP...  (test helper of tests/cli/chain.sh)

  inplace:ENTRY:OLD:NEW   replace the bytes OLD by NEW (same length) in the
                          data of a stored ENTRY, where they are; the CRC-32
                          is fixed in the local header and in every copy of
                          the entry's central header (final and superseded
                          directories), so the generations stay as they are
  rawflip:ENTRY:OLD:NEW   the same without fixing the CRC-32
Any other operations rewrite the container in one generation (craft.py):
  drop:NAME  rename:A:B  swap:A:B  put:NAME:FILE (stored; replaced in place
  or added at the end)  sign:NAME.p7s:KEY (the .xml beside it, signed by
  tests/pki/KEY, CMS detached with signed attributes)
"""
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "hostile"))
import craft  # noqa: E402


def inplace(blob, name, old, new, fixcrc):
    entries, _ = craft.parse(bytes(blob))
    e = craft.find(entries, name)
    if e.method != 0:
        raise SystemExit("chainx: %s is not stored" % name)
    assert len(old) == len(new)
    data = e.data
    if data.count(old) != 1:
        raise SystemExit("chainx: %r occurs %d times in %s"
                         % (old, data.count(old), name))
    pos = e.doff + data.index(old)
    blob[pos:pos + len(old)] = new
    if not fixcrc:
        return blob
    newdata = bytes(blob[e.doff:e.doff + len(data)])
    crc = zlib.crc32(newdata) & 0xffffffff
    struct.pack_into("<I", blob, e.lho + 14, crc)
    nl, xl = struct.unpack_from("<HH", blob, e.cdhdr + 28)
    hdr = bytes(blob[e.cdhdr:e.cdhdr + 46 + nl + xl])
    nhdr = bytearray(hdr)
    struct.pack_into("<I", nhdr, 16, crc)
    n = bytes(blob).count(hdr)
    if n < 1:
        raise SystemExit("chainx: central header of %s not found" % name)
    return bytearray(bytes(blob).replace(hdr, bytes(nhdr)))


def flat(blob, ops):
    entries, _ = craft.parse(bytes(blob))
    for op in ops:
        kind, _, rest = op.partition(":")
        if kind == "drop":
            craft.find(entries, rest)
            entries = [e for e in entries if e.name != rest.encode()]
        elif kind == "rename":
            a, b = rest.split(":")
            craft.find(entries, a).name = b.encode()
        elif kind == "swap":
            a, b = rest.split(":")
            ea, eb = craft.find(entries, a), craft.find(entries, b)
            ea.name, eb.name = eb.name, ea.name
        elif kind == "put":
            name, path = rest.split(":")
            with open(path, "rb") as f:
                data = f.read()
            try:
                craft.find(entries, name).set_content(data, 0)
            except KeyError:
                entries.append(craft.Entry(name, data))
        elif kind == "sign":
            name, key = rest.split(":")
            xml = craft.find(entries, name[:-4] + ".xml").content()
            craft.find(entries, name).set_content(craft.cms_sign(
                xml, craft.pki(key + ".key"), craft.pki(key + ".pem")))
        else:
            raise SystemExit("chainx: unknown operation %r" % op)
    return craft.serialize(entries)[0]


def main(argv):
    src, dst, ops = argv[1], argv[2], argv[3:]
    with open(src, "rb") as f:
        blob = bytearray(f.read())
    if ops and ops[0].split(":")[0] in ("inplace", "rawflip"):
        for op in ops:
            kind, name, old, new = op.split(":")
            blob = inplace(blob, name, old.encode(), new.encode(),
                           kind == "inplace")
    else:
        blob = flat(blob, ops)
    with open(dst, "wb") as f:
        f.write(blob)


main(sys.argv)
EOF
export top_srcdir
chainx()
{
	"$PYTHON3" chainx.py "$@" || die "chainx.py $*"
}

# --- the case: sealed, then three records by three signers ------------------
mkdir case || die mkdir
mkdata case/data.bin 20000 5
printf 'Nov 20 08:57:12 edge-1 flow 198.51.100.23 -> 192.0.2.10\n' \
    >case/log.txt || die log.txt
printf 'handover report\n' >report.txt || die report.txt
"$DEXF" pack -q -o c0.dexf $(signopts ecdsa256) case || die "pack c0.dexf"
expect_exit 0 "$DEXF" verify --json $BOTH c0.dexf
expect_json "$OUT" "$C0['head']['sequence'] == 0 and len($C0['records']) == 1 and $C0['records'][0]['kind'] == 'seal'"
head0=$("$PYTHON3" -c "import json,sys; print(json.load(sys.stdin)['containers'][0]['head']['sha256'])" <"$OUT")

cp c0.dexf c1.dexf
expect_exit 0 "$DEXF" annotate c1.dexf --action transferred --to "Sam Roe" \
    --to-org "National CIRT" --item case/data.bin --attach report.txt \
    --location "Evidence room 2" --authorization "NCIRT-2026-118" \
    --note "handed over on USB drive EX-1" \
    --name "Jane Doe" --org "Regional Forensic Lab" --role examiner \
    $(signopts rsapss)
expect_grep "^c1\.dexf: record 000001 \(custody\) appended" "$OUT"
expect_grep "^head: 000001 [0-9a-f]{64}$" "$OUT"
head1=$(sed -n 's/^head: 000001 //p' "$OUT")

cp c1.dexf c2.dexf
expect_exit 0 "$DEXF" annotate c2.dexf --finding "Dropper script at offset 100" \
    --item case/data.bin --range 100:50 --path "Users/a/x.ps1" \
    --confidence high --tag malware --tag initial-access \
    $(signopts cab-signer)
expect_grep "^head: 000002 [0-9a-f]{64}$" "$OUT"
head2=$(sed -n 's/^head: 000002 //p' "$OUT")

cp c2.dexf c3.dexf
expect_exit 0 "$DEXF" trace add c3.dexf --incident NCIRT-2026-118 \
    --incident-org ncirt.example --result ingress-point --protocol tcp \
    --source 198.51.100.23 --destination 192.0.2.10 \
    --point 192.0.2.1 --point-asn 64500 --router edge-1 \
    --observed-time 2026-11-20T08:57:12Z --observed-source 198.51.100.23 \
    --spoofed no --upstream 203.0.113.1 --upstream-asn 64511 \
    --method flow-records --confidence medium --evidence case/log.txt \
    --contact "NOC on duty" --contact-org "Transit AS64500" \
    --contact-email noc@transit.example $(signopts ecdsa256)
expect_grep "^c3\.dexf: record 000003 \(traceback\) appended" "$OUT"
expect_grep "^head: 000003 [0-9a-f]{64}$" "$OUT"
head3=$(sed -n 's/^head: 000003 //p' "$OUT")
[ -n "$head1" ] && [ -n "$head2" ] && [ -n "$head3" ] || die "no head printed"

# appends never modify a byte: each container begins with the one before,
# and cutting at a superseded directory gives the earlier container
check "c1 begins with c0, byte for byte" cmp -n "$(fsize c0.dexf)" c0.dexf c1.dexf
check "c2 begins with c1, byte for byte" cmp -n "$(fsize c1.dexf)" c1.dexf c2.dexf
check "c3 begins with c2, byte for byte" cmp -n "$(fsize c2.dexf)" c2.dexf c3.dexf

# --- verify: 4 records, all trusted, head = what the last append printed ---
verify_json 0 c3.dexf
expect_json c3.dexf.json "$C0['verdict'] == 'intact-trusted' and $C0['problems'] == [] and j['exit_code'] == 0"
expect_json c3.dexf.json "len($C0['records']) == 4"
expect_json c3.dexf.json "[r['kind'] for r in $C0['records']] == ['seal', 'custody', 'annotation', 'traceback']"
expect_json c3.dexf.json "[r['sequence'] for r in $C0['records']] == [0, 1, 2, 3]"
expect_json c3.dexf.json "[r['entry'] for r in $C0['records']] == ['$R/%06d.xml' % i for i in range(4)]"
expect_json c3.dexf.json "all(r['valid'] is True and r['problem'] is None and r['signature']['valid'] is True and r['signature']['trust'] == 'trusted' and r['timestamp'] is None for r in $C0['records'])"
expect_json c3.dexf.json "$C0['head'] == {'sequence': 3, 'sha256': '$head3'}"
expect_json c3.dexf.json "[r['sha256'] for r in $C0['records']] == ['$head0', '$head1', '$head2', '$head3']"
expect_json c3.dexf.json "$C0['trailing'] is None"
expect_json c3.dexf.json "$C0['records'][1]['author'] == {'role': 'examiner', 'name': 'Jane Doe', 'organization': 'Regional Forensic Lab'}"
expect_json c3.dexf.json "$C0['records'][2]['author']['name'] == 'Test Signer Org B' and 'O=dexf Test Org B' in $C0['records'][2]['signature']['issuer']"
expect_json c3.dexf.json "$C0['records'][1]['signature']['subject'].startswith('CN=Test Signer RSA 3072') and $C0['records'][1]['signature']['algorithm'] == 'rsa-pss-sha256'"
expect_json c3.dexf.json "$C0['records'][3]['signature']['subject'].startswith('CN=Test Signer ECDSA P-256')"
expect_json c3.dexf.json "$C0['coverage']['entries'] == $C0['coverage']['entries_accounted'] == 15"
check "head digest = SHA-256 of 000003.xml" sh -c \
    "[ \"\$(unzip -p c3.dexf $R/000003.xml | sha256sum | cut -d' ' -f1)\" = '$head3' ]"
verify_human 0 c3.dexf
expect_grep "^INTACT, SIGNER TRUSTED: c3\.dexf" c3.dexf.txt
expect_grep "head +000003 $head3" c3.dexf.txt
expect_grep "record 000002 annotation .*Test Signer Org B.*: trusted" c3.dexf.txt
# a receipt given in capitals is the same digest
expect_exit 0 "$DEXF" verify --quick $BOTH --head "$(printf %s "$head3" | tr a-f A-F)" c3.dexf
expect_exit 2 "$DEXF" verify --quick $BOTH --head 1234 c3.dexf

# what the records say
unzip -p c3.dexf $R/000001.xml >r1.xml || die "unzip r1"
unzip -p c3.dexf $R/000002.xml >r2.xml || die "unzip r2"
unzip -p c3.dexf $R/000003.xml >r3.xml || die "unzip r3"
expect_grep '<custody action="transferred">' r1.xml
expect_grep "<previous entry=\"$R/000000.xml\" sha256=\"$head0\" signatureSha256=\"[0-9a-f]{64}\"/>" r1.xml
expect_grep "<item path=\"case/data.bin\" sha256=\"$(sha256 case/data.bin)\"/>" r1.xml
expect_grep "<attachment entry=\"$A1\" size=\"16\" sha256=\"$(sha256 report.txt)\"" r1.xml
# FORMAT.md 9.5: the receiver's role defaults to "custodian"
expect_grep '<receiver role="custodian">' r1.xml
check "the attachment is stored as given" sh -c "unzip -p c3.dexf $A1 | cmp - report.txt"
range_sha=$("$PYTHON3" -c 'import hashlib; print(hashlib.sha256(open("case/data.bin", "rb").read()[100:150]).hexdigest())')
expect_grep "<target item=\"case/data.bin\" offset=\"100\" length=\"50\" path=\"Users/a/x.ps1\" sha256=\"$range_sha\"/>" r2.xml
expect_grep "<previous entry=\"$R/000001.xml\" sha256=\"$head1\" signatureSha256=\"$(unzip -p c3.dexf $R/000001.p7s | sha256sum | cut -d' ' -f1)\"/>" r2.xml
expect_grep "<previous entry=\"$R/000002.xml\" sha256=\"$head2\" signatureSha256=\"$(unzip -p c3.dexf $R/000002.p7s | sha256sum | cut -d' ' -f1)\"/>" r3.xml
expect_grep "<evidence path=\"case/log.txt\" sha256=\"$(sha256 case/log.txt)\"/>" r3.xml

# --- stock tools: unzip reads the final CD; openssl checks every record -----
expect_exit 0 unzip -t c3.dexf
expect_grep "No errors detected" "$OUT"
expect_grep "testing: $R/000003\.p7s +OK" "$OUT"
for n in 000000 000001 000002 000003; do
	unzip -p c3.dexf $R/$n.xml >$n.xml && unzip -p c3.dexf $R/$n.p7s >$n.p7s ||
	    die "unzip $n"
	expect_exit 0 openssl cms -verify -binary -inform DER -in $n.p7s \
	    -content $n.xml -CAfile both-cas.pem -purpose any -out /dev/null
done
# the check can fail: record 2 is signed under CA B, and its bytes matter
expect_exit 4 openssl cms -verify -binary -inform DER -in 000002.p7s \
    -content 000002.xml -CAfile "$PKI/ca.pem" -purpose any -out /dev/null
sed 's/Dropper/Dropped/' 000002.xml >000002-edited.xml
expect_exit 4 openssl cms -verify -binary -inform DER -in 000002.p7s \
    -content 000002-edited.xml -CAfile both-cas.pem -purpose any -out /dev/null

# --- dexf log -------------------------------------------------------------------
expect_exit 0 "$DEXF" log $BOTH c3.dexf
cp "$OUT" log.txt
check "log lists the 4 records in order" sh -c \
    "grep -E '^[0-9]{6} ' log.txt | awk '{print \$1, \$2}' | tr '\n' ' ' | grep -qx '000000 seal 000001 custody 000002 annotation 000003 traceback '"
expect_grep "author +Jane Doe, Regional Forensic Lab as examiner" log.txt
expect_grep "author +Test Signer Org B as custodian" log.txt
expect_grep "^head: $head3$" log.txt
expect_grep "^intact-trusted: c3\.dexf" log.txt
expect_exit 0 "$DEXF" log --json $BOTH c3.dexf
expect_json "$OUT" "[(r['sequence'], r['kind'], r['author']['name']) for r in j['records']] == [(0, 'seal', None), (1, 'custody', 'Jane Doe'), (2, 'annotation', 'Test Signer Org B'), (3, 'traceback', 'Test Signer ECDSA P-256')]"
expect_json "$OUT" "j['head'] == {'sequence': 3, 'sha256': '$head3'} and j['verdict'] == 'intact-trusted' and j['exit_code'] == 0"
# only CA A: the record of CA B is not established
expect_exit 3 "$DEXF" log --trust "$PKI/ca.pem" c3.dexf

# --- dexf trace show -------------------------------------------------------------
expect_exit 0 "$DEXF" trace show $BOTH c3.dexf
cp "$OUT" trace.txt
expect_grep "^incident NCIRT-2026-118 \(ncirt\.example\)" trace.txt
expect_grep "hop 1 +192\.0\.2\.1" trace.txt
expect_grep "asserted by record 000003" trace.txt
expect_exit 0 "$DEXF" trace show --format json $BOTH c3.dexf
expect_json "$OUT" "[i['id'] for i in j['incidents']] == ['NCIRT-2026-118'] and len(j['incidents'][0]['hops']) == 1 and j['incidents'][0]['hops'][0]['point']['address'] == '192.0.2.1' and j['head']['sha256'] == '$head3'"
expect_exit 0 "$DEXF" trace show --format dot $BOTH c3.dexf
expect_grep "^digraph " "$OUT"
expect_grep "192\.0\.2\.1" "$OUT"
expect_exit 0 "$DEXF" trace show --format iodef $BOTH c3.dexf
cp "$OUT" trace.iodef.xml
expect_exit 0 xmllint --noout --schema "$top_srcdir/tests/iodef/iodef-2.0.xsd" trace.iodef.xml
expect_grep "198\.51\.100\.23" trace.iodef.xml

# --- only CA A: the record signed under CA B is untrusted -------------------
expect_exit 3 "$DEXF" verify --json --trust "$PKI/ca.pem" c3.dexf
expect_json "$OUT" "$C0['verdict'] == 'intact-untrusted' and $(has_problem untrusted $R/000002.p7s)"
expect_json "$OUT" "[p['kind'] for p in $C0['problems']] == ['untrusted']"
expect_json "$OUT" "$C0['records'][2]['signature']['trust'] == 'untrusted' and $C0['records'][2]['valid'] is True and $C0['records'][1]['signature']['trust'] == 'trusted'"
expect_json "$OUT" "$C0['head']['sequence'] == 3"
expect_exit 3 "$DEXF" verify --trust "$PKI/ca.pem" c3.dexf
expect_grep "000002\.p7s" "$OUT"

# --- attacks (FORMAT.md 11.9) ----------------------------------------------------
# sanity: rewriting the good container in one generation changes nothing
chainx c3.dexf flat.dexf
verify_json 0 flat.dexf
expect_json flat.dexf.json "$C0['head'] == {'sequence': 3, 'sha256': '$head3'} and $C0['problems'] == []"

# (1) a middle record edited, CRC-32 fixed (generations kept)
chainx c3.dexf edit.dexf "inplace:$R/000002.xml:Dropper:Dropped"
check "edit.dexf differs from c3.dexf" sh -c "! cmp -s c3.dexf edit.dexf"
verify_json 1 edit.dexf
expect_json edit.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem signature-invalid $R/000002.p7s)"
expect_json edit.dexf.json "$(has_problem link-broken $R/000003.xml)"
expect_json edit.dexf.json "$C0['records'][2]['problem'] == 'signature-invalid' and $C0['records'][3]['problem'] == 'link-broken' and $C0['records'][3]['valid'] is False"
expect_json edit.dexf.json "$C0['head']['sequence'] == 1 and $C0['head']['sha256'] == '$head1'"
verify_human 1 edit.dexf
expect_grep "signature-invalid.*000002\.p7s" edit.dexf.txt
expect_grep "link-broken.*000003\.xml" edit.dexf.txt
# the same edit without the CRC fixed: the record is unreadable; its
# .p7s still belongs to the chain (11.8 step 1), it is no extra entry
chainx c3.dexf editcrc.dexf "rawflip:$R/000002.xml:Dropper:Dropped"
verify_json 1 editcrc.dexf
expect_json editcrc.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem record-invalid $R/000002.xml) and $(has_problem link-broken $R/000003.xml)"
expect_json editcrc.dexf.json "not any(p['kind'] == 'extra-entry' for p in $C0['problems'])"

# (2) records 1 and 2 swapped (entries renamed)
chainx c3.dexf swap.dexf "swap:$R/000001.xml:$R/000002.xml" \
    "swap:$R/000001.p7s:$R/000002.p7s"
verify_json 1 swap.dexf
expect_json swap.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem record-invalid $R/000001.xml)"
expect_json swap.dexf.json "$C0['records'][1]['problem'] == 'record-invalid' and $C0['records'][1]['entry'] == '$R/000001.xml'"
expect_json swap.dexf.json "$(has_problem link-broken $R/000003.xml)"
expect_json swap.dexf.json "$C0['head']['sequence'] == 0"

# (3) the newest record dropped: a valid shorter chain, caught by a receipt
chainx c3.dexf drop.dexf "drop:$R/000003.xml" "drop:$R/000003.p7s"
verify_json 0 drop.dexf
expect_json drop.dexf.json "$C0['head'] == {'sequence': 2, 'sha256': '$head2'} and len($C0['records']) == 3 and $C0['problems'] == []"
verify_json 1 drop.dexf --head "$head3"
expect_json drop.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem head-missing $R/000002.xml)"
expect_json drop.dexf.json "[p['kind'] for p in $C0['problems']] == ['head-missing']"
verify_human 1 drop.dexf --head "$head3"
expect_grep "head-missing.*000002\.xml" drop.dexf.txt
# an older receipt is still reached
verify_json 0 drop.dexf --head "$head1"
verify_json 0 c3.dexf --head "$head2"
# the same by cutting the file at the superseded directory of record 3
cp c3.dexf cut.dexf
"$PYTHON3" "$CRAFT" truncate cut.dexf "$(fsize c2.dexf)" || die truncate
expect_same cut.dexf c2.dexf
verify_json 0 cut.dexf
expect_json cut.dexf.json "$C0['head']['sequence'] == 2 and $C0['trailing'] is None"
verify_json 1 cut.dexf --head "$head3"
expect_json cut.dexf.json "$(has_problem head-missing $R/000002.xml)"

# (4) the newest record's signature replaced by the rogue key's, same bytes
chainx c3.dexf rogue3.dexf "sign:$R/000003.p7s:rogue"
verify_json 3 rogue3.dexf
expect_json rogue3.dexf.json "$C0['verdict'] == 'intact-untrusted' and $(has_problem untrusted $R/000003.p7s)"
expect_json rogue3.dexf.json "$C0['records'][3]['signature']['trust'] == 'untrusted' and $C0['records'][3]['signature']['valid'] is True and 'Rogue' in $C0['records'][3]['signature']['subject']"
expect_json rogue3.dexf.json "$C0['head']['sequence'] == 3 and [p['kind'] for p in $C0['problems']] == ['untrusted']"
verify_human 3 rogue3.dexf
expect_grep "000003\.p7s" rogue3.dexf.txt
# ... of a record that is not the newest: the next record's link breaks
chainx c3.dexf rogue2.dexf "sign:$R/000002.p7s:rogue"
verify_json 1 rogue2.dexf
expect_json rogue2.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem untrusted $R/000002.p7s) and $(has_problem link-broken $R/000003.xml)"
# ... or removed
chainx c3.dexf nosig2.dexf "drop:$R/000002.p7s"
verify_json 1 nosig2.dexf
expect_json nosig2.dexf.json "$(has_problem signature-invalid $R/000002.p7s) and $(has_problem link-broken $R/000003.xml)"

# (5) a record replayed from another container
mkdir caseb || die mkdir
mkdata caseb/other.bin 3000 9
"$DEXF" pack -q -o b.dexf $(signopts ecdsa256) caseb || die "pack b.dexf"
"$DEXF" annotate b.dexf --action received $(signopts rsapss) >/dev/null ||
    die "annotate b.dexf"
unzip -p b.dexf $R/000001.xml >b1.xml && unzip -p b.dexf $R/000001.p7s >b1.p7s ||
    die "unzip b"
chainx c0.dexf replay.dexf "put:$R/000001.xml:b1.xml" "put:$R/000001.p7s:b1.p7s"
verify_json 1 replay.dexf
expect_json replay.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem record-invalid $R/000001.xml)"
expect_json replay.dexf.json "any(p['kind'] == 'record-invalid' and 'ontainer' in p['message'] for p in $C0['problems'])"
expect_json replay.dexf.json "$C0['records'][1]['problem'] == 'record-invalid' and $C0['head']['sequence'] == 0"
# ... from another copy of this container (same containerId, a fork)
cp c0.dexf fork.dexf
"$DEXF" annotate fork.dexf --action examined $(signopts rsapss) >/dev/null &&
    "$DEXF" annotate fork.dexf --action copied $(signopts rsapss) >/dev/null ||
    die "annotate fork.dexf"
unzip -p fork.dexf $R/000002.xml >f2.xml && unzip -p fork.dexf $R/000002.p7s >f2.p7s ||
    die "unzip fork"
chainx c3.dexf forked.dexf "put:$R/000002.xml:f2.xml" "put:$R/000002.p7s:f2.p7s"
verify_json 1 forked.dexf
expect_json forked.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem link-broken $R/000002.xml) and $(has_problem link-broken $R/000003.xml)"
expect_json forked.dexf.json "$C0['head']['sequence'] == 1"

# (6) a record inserted between 1 and 2 (the later ones renumbered)
cp c1.dexf ins.dexf
"$DEXF" annotate ins.dexf --finding "inserted" --item case/log.txt \
    --type comment $(signopts rsapss) >/dev/null || die "annotate ins.dexf"
unzip -p ins.dexf $R/000002.xml >i2.xml && unzip -p ins.dexf $R/000002.p7s >i2.p7s ||
    die "unzip ins"
chainx c3.dexf inserted.dexf "rename:$R/000003.xml:$R/000004.xml" \
    "rename:$R/000003.p7s:$R/000004.p7s" "rename:$R/000002.xml:$R/000003.xml" \
    "rename:$R/000002.p7s:$R/000003.p7s" "put:$R/000002.xml:i2.xml" \
    "put:$R/000002.p7s:i2.p7s"
verify_json 1 inserted.dexf
expect_json inserted.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem record-invalid $R/000003.xml)"
expect_json inserted.dexf.json "$C0['records'][2]['valid'] is True and $C0['records'][3]['problem'] == 'record-invalid' and $C0['head']['sequence'] == 2"

# (7) an attachment whose bytes changed (CRC-32 fixed)
chainx c3.dexf att.dexf "inplace:$A1:handover:HANDOVER"
verify_json 1 att.dexf
expect_json att.dexf.json "$C0['verdict'] == 'tampered' and $(has_problem attachment-mismatch $A1)"
expect_json att.dexf.json "[p['kind'] for p in $C0['problems']] == ['attachment-mismatch']"
verify_human 1 att.dexf
expect_grep "$A1" att.dexf.txt
# ... or removed
chainx c3.dexf noatt.dexf "drop:$A1"
verify_json 1 noatt.dexf
expect_json noatt.dexf.json "$(has_problem attachment-mismatch $A1)"

# (8) record 000003 without 000002
chainx c3.dexf missing.dexf "drop:$R/000002.xml" "drop:$R/000002.p7s"
verify_json 1 missing.dexf
expect_json missing.dexf.json "$C0['verdict'] == 'chain-broken' and $(has_problem record-missing $R/000002.xml)"
expect_json missing.dexf.json "$C0['head']['sequence'] == 1"
verify_human 1 missing.dexf
expect_grep "record-missing.*000002\.xml" missing.dexf.txt

# --- annotate refuses, and leaves the input as it was --------------------------
S="$(signopts rsapss)"
for f in edit editcrc swap missing; do
	cp $f.dexf $f.bak
	expect_exit 1 "$DEXF" annotate $f.dexf --action note --note x $S
	expect_grep "$f\.dexf" "$ERR"
	unchanged $f.dexf $f.bak "annotate on $f.dexf"
done
cp edit.dexf edit.bak
expect_exit 1 "$DEXF" trace add edit.dexf --incident I --incident-org o.example \
    --protocol udp --source 192.0.2.5 --destination 192.0.2.6 --point 192.0.2.1 \
    --observed-time 2026-11-20T08:57:12Z --observed-source 192.0.2.5 \
    --method logging --contact NOC $S
unchanged edit.dexf edit.bak "trace add on edit.dexf"

"$DEXF" pack -q --no-sign -o unsigned.dexf case || die "pack unsigned"
cp unsigned.dexf unsigned.bak
expect_exit 2 "$DEXF" annotate unsigned.dexf --action note --note x $S
expect_grep "not signed" "$ERR"
unchanged unsigned.dexf unsigned.bak "annotate on an unsigned container"

cp c3.dexf d.dexf
cp c3.dexf d.bak
expect_exit 2 "$DEXF" annotate d.dexf --finding x $S
expect_grep "needs exactly one --item" "$ERR"
unchanged d.dexf d.bak "--finding without --item"
expect_exit 2 "$DEXF" annotate d.dexf --finding x --item no/such/item $S
expect_grep "no item 'no/such/item'" "$ERR"
unchanged d.dexf d.bak "--finding with an unknown item"
expect_exit 2 "$DEXF" annotate d.dexf --action examined --item no/such/item $S
expect_grep "no item 'no/such/item'" "$ERR"
unchanged d.dexf d.bak "--action with an unknown item"
for r in 19990:11 20000:1 18446744073709551615:2; do
	expect_exit 2 "$DEXF" annotate d.dexf --finding x --item case/data.bin \
	    --range $r $S
	expect_grep "outside item 'case/data\.bin'" "$ERR"
	unchanged d.dexf d.bak "--range $r"
done
expect_exit 2 "$DEXF" annotate d.dexf --finding x --item case/data.bin --range 0:0 $S
unchanged d.dexf d.bak "--range 0:0"
expect_exit 2 "$DEXF" annotate d.dexf --action note --attach no-such-file $S
unchanged d.dexf d.bak "--attach of a missing file"
expect_exit 2 "$DEXF" annotate d.dexf --action note --key "$PKI/rogue.key" \
    --cert "$PKI/ecdsa256.pem"
unchanged d.dexf d.bak "a key that is not the certificate's"
# trailing bytes that are no interrupted append: unreadable (a container
# of one generation, so no earlier end qualifies, FORMAT.md 2.7)
cat c0.dexf >junk.dexf && printf 'garbage' >>junk.dexf || die junk
cp junk.dexf junk.bak
expect_exit 4 "$DEXF" annotate junk.dexf --action note $S
unchanged junk.dexf junk.bak "annotate on a container with trailing garbage"
expect_exit 4 "$DEXF" verify --quick --json $BOTH junk.dexf
expect_json "$OUT" "$C0['verdict'] == 'unreadable' and [p['kind'] for p in $C0['problems']] == ['structure'] and $C0['trailing'] is None"
# ... and on a container of several generations the earlier ends do not
# qualify either: nothing is dropped, nothing is truncated
cat d.dexf >junk2.dexf && printf 'garbage' >>junk2.dexf || die junk2
cp junk2.dexf junk2.bak
expect_exit 4 "$DEXF" verify --quick --json $BOTH junk2.dexf
expect_json "$OUT" "$C0['verdict'] == 'unreadable' and $C0['trailing'] is None"
expect_grep "are not an interrupted append" "$OUT"
expect_exit 4 "$DEXF" annotate junk2.dexf --action note $S
unchanged junk2.dexf junk2.bak "annotate on a multi-generation container with trailing garbage"
# the last range byte is fine, and the record still verifies after all that
expect_exit 0 "$DEXF" annotate d.dexf --finding "last bytes" --item case/data.bin \
    --range 19990:10 $S
expect_exit 0 "$DEXF" verify --json $BOTH d.dexf
expect_json "$OUT" "$C0['head']['sequence'] == 4 and $C0['records'][4]['kind'] == 'annotation' and $C0['records'][4]['valid'] is True"

finish

#!/bin/sh
# tests/tsa/responder.sh - the TEST-ONLY time-stamp authority used by the
# chain tests (tests/tsa/lib.sh, responder.py) answers like a real one:
# its replies verify with the stock `openssl ts`, its failure modes fail
# the way they claim, and it is stopped when the test ends.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/tsa/lib.sh"

cd "$T" || die "cd $T"
command -v openssl >/dev/null 2>&1 || die "openssl not found"

# post URL QUERY OUT: POST a query; OUT gets the body; prints the status
post()
{
	"$PYTHON3" -c 'import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], data=open(sys.argv[2], "rb").read(),
    headers={"Content-Type": "application/timestamp-query"})
try:
    r = urllib.request.urlopen(req, timeout=20)
    code, ctype, body = r.status, r.headers.get("Content-Type"), r.read()
except urllib.error.HTTPError as e:
    code, ctype, body = e.code, e.headers.get("Content-Type"), e.read()
open(sys.argv[3], "wb").write(body)
print(code, ctype)' "$@"
}

printf 'bytes of 000001.p7s\n' > data
openssl ts -query -data data -sha256 -cert -out q.tsq 2>/dev/null ||
    die "openssl ts -query"

start_tsa --log "$T/log" || die "cannot start the test TSA"
ok_pid=$TSA_PID
expect_exit 0 post "$TSA_URL" q.tsq r.tsr
expect_grep '^200 application/timestamp-reply$' "$OUT"
expect_exit 0 openssl ts -reply -in r.tsr -text
expect_grep '^Status: Granted' "$OUT"
expect_grep '^Policy OID: 2\.999\.3161\.1' "$OUT"
expect_grep 'CN=dexf Test Time-Stamp Authority' "$OUT"
expect_exit 0 openssl ts -verify -queryfile q.tsq -in r.tsr \
    -CAfile "$TSA_TRUST" -untrusted "$PKI/tsa.pem"
expect_exit 1 openssl ts -verify -queryfile q.tsq -in r.tsr \
    -CAfile "$PKI/ca.pem" -untrusted "$PKI/tsa.pem"
expect_grep '^200 /tsa$' "$T/log"

start_tsa --fail || die "cannot start the test TSA (--fail)"
expect_exit 0 post "$TSA_URL" q.tsq r500
expect_grep '^500 ' "$OUT"

start_tsa --reject || die "cannot start the test TSA (--reject)"
expect_exit 0 post "$TSA_URL" q.tsq rej.tsr
expect_grep '^200 application/timestamp-reply$' "$OUT"
expect_exit 0 openssl ts -reply -in rej.tsr -text
expect_grep '^Status: Rejected' "$OUT"
expect_grep 'unrecognized or unsupported algorithm identifier' "$OUT"

if have_faketime; then
	start_tsa --faketime "2020-06-01 12:00:00" ||
	    die "cannot start the test TSA (--faketime)"
	expect_exit 0 post "$TSA_URL" q.tsq past.tsr
	expect_exit 0 openssl ts -reply -in past.tsr -text
	expect_grep '^Time stamp: Jun  1 12:0.:.. 2020 GMT' "$OUT"
	# the TSA certificate (valid from 2019) verifies at that time
	expect_exit 0 openssl ts -verify -queryfile q.tsq -in past.tsr \
	    -CAfile "$TSA_TRUST" -untrusted "$PKI/tsa.pem" \
	    -attime 1591012800
else
	pass "# SKIP --faketime: faketime(1) is not installed"
fi

expect_exit_in "1 7" post "$(closed_port_url)" q.tsq refused

# stop_tsa stops them all
stop_tsa
check "responders are gone after stop_tsa" sh -c "! kill -0 $ok_pid 2>/dev/null"
finish

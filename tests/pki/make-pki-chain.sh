#!/bin/sh
# make-pki-chain.sh -- add the TEST-ONLY PKI for record chains and RFC 3161
# time-stamps (dexf format 1.1) to tests/pki, next to make-pki.sh's files.
#
#   *** TEST ONLY. These keys are published in a public source tree. ***
#   *** Never use them, or anything they signed, for real evidence.   ***
#
# Only files that are missing are generated: the committed keys and
# certificates (and the test vectors signed with them) stay as they are.
# make-pki.sh's files are never touched; `past-signer` is issued by its
# ca.pem/ca.key, which must exist.  Like make-pki.sh this needs only POSIX
# sh and the OpenSSL 3.x tool, and issues everything with `openssl ca` (the
# only way to set -startdate/-enddate with OpenSSL 3.0).
#
# Validity: everything ends 2046-01-01 like the rest of tests/pki, but the
# time-stamp and organisation PKI starts 2019-01-01 (not 2026-01-01): a
# test TSA run under faketime stamps 2020, and a chain is judged at the
# token's time, so these CAs must already be valid then.
#
# Usage: tests/pki/make-pki-chain.sh [--check]
#   --check   generate nothing, only run the self-checks
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export LC_ALL=C TZ=UTC

OPENSSL=${OPENSSL:-openssl}
START=20190101000000Z
END=20460101000000Z
OU="TEST ONLY - not for real evidence"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cat > "$tmp/ca.cnf" <<'CNF'
# Throw-away `openssl ca` configuration (TEST ONLY).
[ ca ]
default_ca = CA_default

[ CA_default ]
dir             = .
database        = $ENV::DEXF_PKI_TMP/index.txt
serial          = $ENV::DEXF_PKI_TMP/serial
new_certs_dir   = $ENV::DEXF_PKI_TMP
default_md      = sha256
policy          = policy_any
unique_subject  = no
copy_extensions = none
email_in_dn     = no
preserve        = yes

[ policy_any ]
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied

[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = placeholder

[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# RFC 3161 2.3: the TSA certificate has exactly one extended key usage,
# id-kp-timeStamping, and the extension is critical.
[ v3_tsa ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = critical, timeStamping
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNF
DEXF_PKI_TMP=$tmp
export DEXF_PKI_TMP

made=0

# need NAME ISSUER|self PROFILE SERIAL "SUBJECT" [START END]
#   Generate NAME.key (ECDSA P-256) and NAME.pem unless both exist.
need() {
    name=$1 issuer=$2 profile=$3 serial=$4 subj=$5
    s=${6:-$START} e=${7:-$END}
    if [ -f "$name.key" ] && [ -f "$name.pem" ]; then
        return 0
    fi
    if [ -f "$name.key" ] || [ -f "$name.pem" ]; then
        echo "$name: only one of $name.key and $name.pem exists; remove it" >&2
        exit 1
    fi
    "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -pkeyopt ec_param_enc:named_curve -out "$name.key"
    "$OPENSSL" req -new -config "$tmp/ca.cnf" -key "$name.key" -subj "$subj" \
        -out "$tmp/$name.csr"
    : > "$tmp/index.txt"
    echo "$serial" > "$tmp/serial"
    if [ "$issuer" = self ]; then
        set -- -selfsign -keyfile "$name.key"
    else
        set -- -cert "$issuer.pem" -keyfile "$issuer.key"
    fi
    "$OPENSSL" ca -batch -notext -preserveDN -config "$tmp/ca.cnf" -md sha256 \
        -extensions "$profile" -startdate "$s" -enddate "$e" \
        "$@" -in "$tmp/$name.csr" -out "$name.pem" 2>"$tmp/ca.log" || {
        cat "$tmp/ca.log" >&2; rm -f "$name.key" "$name.pem"; exit 1; }
    chmod 0644 "$name.key" "$name.pem"
    printf 'made %s.pem / %s.key\n' "$name" "$name"
    made=$((made + 1))
}

generate() {
    # --- time-stamp authority ---------------------------------------------
    need tsa-ca self v3_root 1A01 "/O=dexf Test TSA/OU=$OU/CN=dexf Test TSA CA"
    need tsa tsa-ca v3_tsa 1A10 "/O=dexf Test TSA/OU=$OU/CN=dexf Test Time-Stamp Authority"

    # --- three organisations of a multi-party custody chain ----------------
    need org-lab-ca self v3_root 2A01 "/O=Regional Forensic Lab/OU=$OU/CN=Regional Forensic Lab Test CA"
    need org-lab-signer org-lab-ca v3_leaf 2A10 "/O=Regional Forensic Lab/OU=$OU/CN=Jane Examiner"
    need org-cirta-ca self v3_root 2B01 "/O=CIRT A/OU=$OU/CN=CIRT A Test CA"
    need org-cirta-signer org-cirta-ca v3_leaf 2B10 "/O=CIRT A/OU=$OU/CN=Ana CIRT-A"
    need org-cirtb-ca self v3_root 2C01 "/O=CIRT B/OU=$OU/CN=CIRT B Test CA"
    need org-cirtb-signer org-cirtb-ca v3_leaf 2C10 "/O=CIRT B/OU=$OU/CN=Bo CIRT-B"

    # --- signers whose certificate has expired (2020-01-01 .. 2021-01-01) ---
    # past-signer is under CA A, which itself starts 2026-01-01, so its chain
    # can never verify at a 2020 time; org-lab-past-signer is under the lab
    # CA (valid from 2019): trusted when judged at a 2020 time-stamp.
    [ -f ca.pem ] && [ -f ca.key ] || { echo "ca.pem/ca.key missing: run make-pki.sh first" >&2; exit 1; }
    need past-signer ca v3_leaf 0A30 "/O=dexf Test Org A/OU=$OU/CN=Test Signer Past" \
        20200101000000Z 20210101000000Z
    need org-lab-past-signer org-lab-ca v3_leaf 2A11 "/O=Regional Forensic Lab/OU=$OU/CN=Jane Examiner (2020)" \
        20200101000000Z 20210101000000Z
    [ "$made" -eq 0 ] && echo "nothing to generate: all files exist"
    return 0
}

check() {
    fail=0
    ok() { printf 'ok   %s\n' "$*"; }
    bad() { printf 'FAIL %s\n' "$*"; fail=1; }
    attime=$(date -u -d '2020-06-01 12:00:00' +%s 2>/dev/null || echo 1591012800)

    v() { # v CERT CAFILE [extra...]  expect success
        c=$1 ca=$2; shift 2
        if "$OPENSSL" verify -x509_strict -CAfile "$ca" "$@" "$c" >/dev/null 2>&1
        then ok "verify $c against $ca $*"; else bad "verify $c against $ca $*"; fi
    }
    vfail() { # expect failure
        c=$1 ca=$2; shift 2
        if "$OPENSSL" verify -CAfile "$ca" "$@" "$c" >/dev/null 2>&1
        then bad "verify $c against $ca $* unexpectedly succeeded"
        else ok "verify $c against $ca $* fails as expected"; fi
    }
    v tsa.pem tsa-ca.pem -purpose timestampsign
    v tsa.pem tsa-ca.pem -purpose timestampsign -attime "$attime"
    vfail tsa.pem ca.pem
    if "$OPENSSL" x509 -in tsa.pem -noout -ext extendedKeyUsage 2>/dev/null |
        grep -q 'critical' &&
       "$OPENSSL" x509 -in tsa.pem -noout -ext extendedKeyUsage 2>/dev/null |
        grep -qx ' *Time Stamping'
    then ok "tsa.pem has the critical EKU timeStamping only"
    else bad "tsa.pem EKU is not critical timeStamping only"; fi
    for o in lab cirta cirtb; do
        v org-$o-signer.pem org-$o-ca.pem -purpose smimesign
    done
    vfail org-lab-signer.pem org-cirta-ca.pem
    vfail org-cirtb-signer.pem org-lab-ca.pem
    v org-lab-past-signer.pem org-lab-ca.pem -purpose smimesign -attime "$attime"
    if "$OPENSSL" verify -CAfile org-lab-ca.pem org-lab-past-signer.pem 2>&1 |
        grep -q 'error 10 at 0 depth'
    then ok "org-lab-past-signer.pem has expired now"
    else bad "org-lab-past-signer.pem: expected error 10 now"; fi
    if "$OPENSSL" verify -CAfile ca.pem past-signer.pem 2>&1 |
        grep -q 'error 10 at 0 depth'
    then ok "past-signer.pem has expired now"
    else bad "past-signer.pem: expected error 10 now"; fi

    for n in tsa-ca tsa org-lab-ca org-lab-signer org-cirta-ca org-cirta-signer \
        org-cirtb-ca org-cirtb-signer past-signer org-lab-past-signer; do
        a=$("$OPENSSL" pkey -in $n.key -pubout 2>/dev/null | "$OPENSSL" sha256 -r)
        b=$("$OPENSSL" x509 -in $n.pem -noout -pubkey | "$OPENSSL" sha256 -r)
        if [ "$a" = "$b" ]; then ok "key matches $n.pem"; else bad "key mismatch $n"; fi
    done

    # an RFC 3161 round trip with the stock tool, as a third party would
    printf 'dexf test content\n' > "$tmp/content"
    cat > "$tmp/tsa.cnf" <<TSACNF
[ tsa ]
default_tsa = t
[ t ]
serial = $tmp/tsaserial
signer_digest = sha256
default_policy = 2.999.3161.1
digests = sha256
ess_cert_id_alg = sha256
TSACNF
    if "$OPENSSL" ts -query -data "$tmp/content" -sha256 -cert -out "$tmp/q.tsq" 2>"$tmp/ts.log" &&
       "$OPENSSL" ts -reply -config "$tmp/tsa.cnf" -queryfile "$tmp/q.tsq" -signer tsa.pem \
            -inkey tsa.key -chain tsa-ca.pem -token_out -out "$tmp/t.tst" 2>>"$tmp/ts.log" &&
       "$OPENSSL" ts -verify -in "$tmp/t.tst" -token_in -data "$tmp/content" \
            -CAfile tsa-ca.pem -untrusted tsa.pem >/dev/null 2>>"$tmp/ts.log"
    then ok "openssl ts query/reply/verify with tsa.pem"
    else bad "openssl ts round trip"; sed 's/^/     /' "$tmp/ts.log"; fi
    return $fail
}

case ${1:-} in
--check) ;;
"") generate ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
check

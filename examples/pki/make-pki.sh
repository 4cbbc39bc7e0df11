#!/bin/sh
# make-pki.sh -- regenerate the TEST-ONLY example lab PKI in examples/pki/.
#
#   *** TEST ONLY. These private keys are published in a public source  ***
#   *** tree: anyone can sign with them. Never use them, or anything    ***
#   *** signed with them, for real evidence.                            ***
#
# Outputs (committed; this script only regenerates them):
#   lab-ca.pem / lab-ca.key       "Example Forensic Lab Test Root CA",
#                                 ECDSA P-384, 2026-01-01 .. 2046-01-01
#   examiner.pem / examiner.key   "Jane Doe (TEST ONLY)", ECDSA P-256, issued
#                                 by the lab CA, 2026-01-01 .. 2046-01-01,
#                                 unencrypted key
#
# Needs: POSIX sh and the OpenSSL 3.x command-line tool (Debian 12 package
# "openssl"). OpenSSL 3.0's `x509`/`req` cannot set an explicit notBefore,
# so both certificates are issued with `openssl ca -startdate/-enddate` from
# a throw-away CA database in a temporary directory.
#
# Keys are fresh on every run, so output is not byte-reproducible; names,
# serials, dates and extensions are fixed.
#
# Usage: examples/pki/make-pki.sh [--check]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export LC_ALL=C TZ=UTC
OPENSSL=${OPENSSL:-openssl}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
DEXF_PKI_TMP=$tmp
export DEXF_PKI_TMP

cat > "$tmp/ca.cnf" <<'CNF'
# Throw-away `openssl ca` configuration (TEST ONLY).
[ ca ]
default_ca = CA_default
[ CA_default ]
database        = $ENV::DEXF_PKI_TMP/index.txt
serial          = $ENV::DEXF_PKI_TMP/serial
new_certs_dir   = $ENV::DEXF_PKI_TMP
default_md      = sha384
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

[ v3_lab_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_examiner ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = emailProtection
subjectAltName         = email:jane.doe@lab.example.org
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNF

# issue NAME ISSUER|self PROFILE SERIAL SUBJECT
issue() {
    name=$1 issuer=$2 profile=$3 serial=$4 subj=$5
    "$OPENSSL" req -new -config "$tmp/ca.cnf" -key "$name.key" -subj "$subj" \
        -out "$tmp/$name.csr"
    : > "$tmp/index.txt"
    echo "$serial" > "$tmp/serial"
    if [ "$issuer" = self ]; then
        set -- -selfsign -keyfile "$name.key"
    else
        set -- -cert "$issuer.pem" -keyfile "$issuer.key"
    fi
    "$OPENSSL" ca -batch -notext -preserveDN -config "$tmp/ca.cnf" -md sha384 \
        -extensions "$profile" -startdate 20260101000000Z -enddate 20460101000000Z \
        "$@" -in "$tmp/$name.csr" -out "$name.pem" 2>"$tmp/ca.log" || {
        cat "$tmp/ca.log" >&2; exit 1; }
}

generate() {
    rm -f lab-ca.pem lab-ca.key examiner.pem examiner.key
    "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
        -pkeyopt ec_param_enc:named_curve -out lab-ca.key
    issue lab-ca self v3_lab_ca 2026A001 \
        "/O=Example Forensic Lab/OU=TEST ONLY - not for real evidence/CN=Example Forensic Lab Test Root CA"
    "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -pkeyopt ec_param_enc:named_curve -out examiner.key
    issue examiner lab-ca v3_examiner 2026A010 \
        "/O=Example Forensic Lab/CN=Jane Doe (TEST ONLY)"
    chmod 0644 lab-ca.pem lab-ca.key examiner.pem examiner.key
}

check() {
    "$OPENSSL" verify -x509_strict -purpose smimesign -CAfile lab-ca.pem examiner.pem
    printf 'dexf example content\n' > "$tmp/content"
    "$OPENSSL" cms -sign -binary -md sha256 -signer examiner.pem -inkey examiner.key \
        -outform DER -in "$tmp/content" -out "$tmp/sig.p7s"
    "$OPENSSL" cms -verify -binary -inform DER -in "$tmp/sig.p7s" \
        -content "$tmp/content" -CAfile lab-ca.pem -out /dev/null
}

case ${1:-} in
--check) ;;
"") generate ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
check

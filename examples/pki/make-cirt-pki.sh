#!/bin/sh
# make-cirt-pki.sh -- regenerate the TEST-ONLY example CIRT PKI used by the
# demo's custody and trace-back steps (examples/pki/).
#
#   *** TEST ONLY. These private keys are published in a public source  ***
#   *** tree: anyone can sign with them. Never use them, or anything    ***
#   *** signed with them, for real evidence.                            ***
#
# Outputs (committed; this script only regenerates them):
#   cirt-ca.pem / cirt-ca.key       "Example National CIRT Test Root CA",
#                                   ECDSA P-256, valid until 2046
#   cirt-analyst.pem / .key         "Ana Analyst (TEST ONLY)", issued by it
#
# Needs: POSIX sh and the OpenSSL 3.x command-line tool.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export LC_ALL=C TZ=UTC
OPENSSL=${OPENSSL:-openssl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
days=$(( ( $(date -d 2046-01-01 +%s) - $(date +%s) ) / 86400 ))

$OPENSSL ecparam -name prime256v1 -genkey -noout -out cirt-ca.key
$OPENSSL req -new -x509 -key cirt-ca.key -days "$days" -sha256 \
	-subj "/O=Example National CIRT/OU=TEST ONLY - not for real evidence/CN=Example National CIRT Test Root CA" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out cirt-ca.pem
$OPENSSL ecparam -name prime256v1 -genkey -noout -out cirt-analyst.key
$OPENSSL req -new -key cirt-analyst.key \
	-subj "/O=Example National CIRT/OU=TEST ONLY - not for real evidence/CN=Ana Analyst (TEST ONLY)" \
	-out "$tmp/analyst.csr"
printf '%s\n' "basicConstraints=critical,CA:FALSE" \
	"keyUsage=critical,digitalSignature,nonRepudiation" > "$tmp/ext"
$OPENSSL x509 -req -in "$tmp/analyst.csr" -CA cirt-ca.pem -CAkey cirt-ca.key \
	-CAcreateserial -CAserial "$tmp/serial" -days "$days" -sha256 \
	-extfile "$tmp/ext" -out cirt-analyst.pem
echo "make-cirt-pki.sh: wrote cirt-ca.pem, cirt-analyst.pem (TEST ONLY)"

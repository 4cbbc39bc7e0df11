#!/bin/sh
# make-pki.sh -- regenerate the TEST-ONLY PKI used by the dexf test suite.
#
#   *** TEST ONLY. These keys are published in a public source tree. ***
#   *** Never use them, or anything they signed, for real evidence.   ***
#
# Needs: POSIX sh, OpenSSL 3.x command-line tool (`openssl`, Debian 12
# package "openssl"). Written against OpenSSL 3.0, which has no
# -not_before/-not_after for `openssl x509`/`req`, so every certificate
# (including the self-signed roots) is issued with `openssl ca`, which takes
# -startdate/-enddate, from a throw-away CA database in a temporary directory.
#
# Keys are generated fresh on every run (and ECDSA signatures are
# randomised), so the output is NOT byte-reproducible; names, serial numbers,
# validity dates and extensions are fixed. The generated files are committed;
# re-run this only when the PKI must change, then re-run the test suite.
#
# Usage: tests/pki/make-pki.sh [--check]
#   --check   do not regenerate, only run the self-checks on the existing files
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export LC_ALL=C TZ=UTC

OPENSSL=${OPENSSL:-openssl}
START=20260101000000Z
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

[ v3_intermediate ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNF
DEXF_PKI_TMP=$tmp
export DEXF_PKI_TMP

# genkey NAME TYPE   (TYPE: p256 | p384 | rsa3072 | ed25519)
genkey() {
    case $2 in
    p256)    set -- "$1" -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve ;;
    p384)    set -- "$1" -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve ;;
    rsa3072) set -- "$1" -algorithm RSA -pkeyopt rsa_keygen_bits:3072 ;;
    ed25519) set -- "$1" -algorithm ED25519 ;;
    *) echo "genkey: bad type $2" >&2; exit 1 ;;
    esac
    name=$1; shift
    "$OPENSSL" genpkey -quiet "$@" -out "$name.key"
}

# issue NAME ISSUER|self PROFILE SERIAL MD "SUBJECT" [START END]
#   NAME.key must exist; writes NAME.pem.
issue() {
    name=$1 issuer=$2 profile=$3 serial=$4 md=$5 subj=$6
    s=${7:-$START} e=${8:-$END}
    keyarg=$name.key
    [ "$name" = encrypted ] && keyarg="$tmp/encrypted-plain.key"
    "$OPENSSL" req -new -config "$tmp/ca.cnf" -key "$keyarg" -subj "$subj" \
        -out "$tmp/$name.csr"
    : > "$tmp/index.txt"
    echo "$serial" > "$tmp/serial"
    if [ "$issuer" = self ]; then
        set -- -selfsign -keyfile "$keyarg"
    else
        set -- -cert "$issuer.pem" -keyfile "$issuer.key"
    fi
    [ -n "$md" ] && set -- "$@" -md "$md"
    "$OPENSSL" ca -batch -notext -preserveDN -config "$tmp/ca.cnf" \
        -extensions "$profile" -startdate "$s" -enddate "$e" \
        "$@" -in "$tmp/$name.csr" -out "$name.pem" 2>"$tmp/ca.log" || {
        cat "$tmp/ca.log" >&2; exit 1; }
}

generate() {
    rm -f ./*.pem ./*.key encrypted.pass

    # --- trust anchors -------------------------------------------------
    genkey ca p384
    issue ca self v3_root 0A01 sha384 "/O=dexf Test Org A/OU=$OU/CN=dexf Test CA A"
    genkey ca-b rsa3072
    issue ca-b self v3_root 0B01 sha256 "/O=dexf Test Org B/OU=$OU/CN=dexf Test CA B"
    genkey rogue-ca p256
    issue rogue-ca self v3_root 0F01 sha256 "/O=Rogue Test Org/OU=$OU/CN=dexf Rogue Test CA (untrusted)"

    # --- signers under CA A (issuer key P-384 -> sha384) -----------------
    genkey ecdsa256 p256
    issue ecdsa256 ca v3_leaf 0A10 sha384 "/O=dexf Test Org A/OU=$OU/CN=Test Signer ECDSA P-256"
    genkey ecdsa384 p384
    issue ecdsa384 ca v3_leaf 0A11 sha384 "/O=dexf Test Org A/OU=$OU/CN=Test Signer ECDSA P-384"
    genkey rsapss rsa3072
    issue rsapss ca v3_leaf 0A12 sha384 "/O=dexf Test Org A/OU=$OU/CN=Test Signer RSA 3072"
    genkey ed25519 ed25519
    issue ed25519 ca v3_leaf 0A13 sha384 "/O=dexf Test Org A/OU=$OU/CN=Test Signer Ed25519"

    printf '%s\n' test-only-passphrase > encrypted.pass
    genkey "$tmp/encrypted-plain" p256
    ("$OPENSSL" pkey -in "$tmp/encrypted-plain.key" -aes-256-cbc \
        -passout file:encrypted.pass -out encrypted.key)
    issue encrypted ca v3_leaf 0A14 sha384 "/O=dexf Test Org A/OU=$OU/CN=Test Signer Encrypted Key"

    genkey expired p256
    issue expired ca v3_leaf 0A15 sha384 "/O=dexf Test Org A/OU=$OU/CN=Test Signer Expired" \
        20200101000000Z 20210101000000Z

    genkey intermediate p256
    issue intermediate ca v3_intermediate 0A20 sha384 "/O=dexf Test Org A/OU=$OU/CN=dexf Test Intermediate CA A1"
    genkey leaf-via-int p256
    issue leaf-via-int intermediate v3_leaf 0A21 sha256 "/O=dexf Test Org A/OU=$OU/CN=Test Signer via Intermediate"

    # --- other organisation and rogue ------------------------------------
    genkey cab-signer p256
    issue cab-signer ca-b v3_leaf 0B10 sha256 "/O=dexf Test Org B/OU=$OU/CN=Test Signer Org B"
    genkey rogue p256
    issue rogue rogue-ca v3_leaf 0F10 sha256 "/O=Rogue Test Org/OU=$OU/CN=Test Signer Rogue"

    chmod 0644 ./*.pem ./*.key encrypted.pass
}

check() {
    fail=0
    ok() { printf 'ok   %s\n' "$*"; }
    bad() { printf 'FAIL %s\n' "$*"; fail=1; }
    printf 'dexf test content\n' > "$tmp/content"

    v() { # v CERT CAFILE [extra...]  expect success
        c=$1 ca=$2; shift 2
        if "$OPENSSL" verify -x509_strict -purpose smimesign -CAfile "$ca" "$@" "$c" >/dev/null 2>&1
        then ok "verify $c against $ca"; else bad "verify $c against $ca"; fi
    }
    vfail() { # expect failure
        c=$1 ca=$2; shift 2
        if "$OPENSSL" verify -CAfile "$ca" "$@" "$c" >/dev/null 2>&1
        then bad "verify $c against $ca unexpectedly succeeded"; else ok "verify $c against $ca fails as expected"; fi
    }
    for n in ecdsa256 ecdsa384 rsapss ed25519 encrypted; do v $n.pem ca.pem; done
    # expired.pem must fail for exactly one reason: it has expired. (It can
    # never verify: CA A itself is only valid from 2026-01-01.)
    if "$OPENSSL" verify -CAfile ca.pem expired.pem 2>&1 | grep -q 'error 10 at 0 depth'
    then ok "verify expired.pem fails with X509_V_ERR_CERT_HAS_EXPIRED"
    else bad "verify expired.pem: expected error 10 (certificate has expired)"; fi
    v leaf-via-int.pem ca.pem -untrusted intermediate.pem
    vfail leaf-via-int.pem ca.pem
    v cab-signer.pem ca-b.pem
    vfail cab-signer.pem ca.pem
    v rogue.pem rogue-ca.pem
    vfail rogue.pem ca.pem
    vfail rogue.pem ca-b.pem

    # key matches certificate
    for n in ca ca-b rogue-ca ecdsa256 ecdsa384 rsapss ed25519 expired intermediate leaf-via-int cab-signer rogue encrypted; do
        pass=
        [ $n = encrypted ] && pass="-passin file:encrypted.pass"
        # shellcheck disable=SC2086
        a=$("$OPENSSL" pkey -in $n.key $pass -pubout 2>/dev/null | "$OPENSSL" sha256 -r)
        b=$("$OPENSSL" x509 -in $n.pem -noout -pubkey | "$OPENSSL" sha256 -r)
        if [ "$a" = "$b" ]; then ok "key matches $n.pem"; else bad "key mismatch $n"; fi
    done
    if "$OPENSSL" pkey -in encrypted.key -passin pass:wrong -noout >/dev/null 2>&1; then
        bad "encrypted.key opens with a wrong passphrase"
    else ok "encrypted.key needs its passphrase"; fi

    # CMS detached sign + verify, exactly as a third party would
    cms() { # cms LABEL CAFILE sign-args...
        label=$1 ca=$2; shift 2
        rm -f "$tmp/sig.p7s"
        if "$OPENSSL" cms -sign -binary -outform DER -in "$tmp/content" \
                -out "$tmp/sig.p7s" "$@" 2>"$tmp/cms.log" &&
           "$OPENSSL" cms -verify -binary -inform DER -in "$tmp/sig.p7s" \
                -content "$tmp/content" -CAfile "$ca" -out /dev/null 2>>"$tmp/cms.log"
        then ok "cms $label"
        else bad "cms $label"; sed 's/^/     /' "$tmp/cms.log"; fi
    }
    cms "ecdsa256 sha256" ca.pem -md sha256 -signer ecdsa256.pem -inkey ecdsa256.key
    cms "ecdsa384 sha384" ca.pem -md sha384 -signer ecdsa384.pem -inkey ecdsa384.key
    cms "rsapss pkcs1v15 sha256" ca.pem -md sha256 -signer rsapss.pem -inkey rsapss.key
    cms "rsapss pss sha256" ca.pem -md sha256 -signer rsapss.pem -inkey rsapss.key -keyopt rsa_padding_mode:pss
    # Ed25519 in CMS (RFC 8419): OpenSSL 3.0 can neither sign nor verify it
    # (EVP_DigestSignInit/VerifyInit reject the SHA-512 digest name for
    # EdDSA: "eddsa_digest_signverify_init:invalid digest"). Report, do not fail.
    if "$OPENSSL" cms -sign -binary -md sha512 -outform DER -in "$tmp/content" \
            -out "$tmp/sig.p7s" -signer ed25519.pem -inkey ed25519.key 2>/dev/null &&
       "$OPENSSL" cms -verify -binary -inform DER -in "$tmp/sig.p7s" \
            -content "$tmp/content" -CAfile ca.pem -out /dev/null 2>/dev/null
    then ok "cms ed25519 sha512"
    else printf 'skip cms ed25519 sha512: not supported by this openssl (%s)\n' \
        "$("$OPENSSL" version)"; fi
    cms "encrypted sha256" ca.pem -md sha256 -signer encrypted.pem -inkey encrypted.key -passin file:encrypted.pass
    cms "leaf-via-int sha256" ca.pem -md sha256 -signer leaf-via-int.pem -inkey leaf-via-int.key -certfile intermediate.pem
    cms "cab-signer sha256" ca-b.pem -md sha256 -signer cab-signer.pem -inkey cab-signer.key
    cms "rogue sha256 (own CA)" rogue-ca.pem -md sha256 -signer rogue.pem -inkey rogue.key
    return $fail
}

case ${1:-} in
--check) ;;
"") generate ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
check
# generate() removed every *.pem/*.key: add (or check) the chain and TSA PKI
sh "$here/make-pki-chain.sh" ${1:+"$1"}

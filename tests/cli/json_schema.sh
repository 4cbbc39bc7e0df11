#!/bin/sh
# json_schema.sh: every `dexf verify --json` report - over all test vectors,
# in full and quick mode, with and without anchors - validates against
# doc/verify-report.schema.json, and the schema rejects a broken report.
. "${top_srcdir:-.}/tests/lib.sh"

SCHEMA="$top_srcdir/doc/verify-report.schema.json"
V="$top_srcdir/tests/vectors"

"$PYTHON3" -c 'import jsonschema' 2>/dev/null ||
    die "python3-jsonschema is needed (apt-get install python3-jsonschema)"

validate() { # FILE...
	"$PYTHON3" - "$SCHEMA" "$@" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
v = cls(schema)
bad = 0
for f in sys.argv[2:]:
    errs = sorted(v.iter_errors(json.load(open(f))), key=str)
    for e in errs[:3]:
        print("%s: %s at %s" % (f, e.message, list(e.absolute_path)))
    bad += bool(errs)
sys.exit(1 if bad else 0)
PY
}

n=0
for f in "$V"/*.dexf "$V"/*.zip; do
	n=$((n + 1))
	"$DEXF" verify --json --trust "$V/ca.pem" "$f" > "$T/full$n.json"
	"$DEXF" verify --json --quick "$f" > "$T/quick$n.json"
done
"$DEXF" verify --json --signer "$top_srcdir/tests/pki/ecdsa256.pem" \
    "$V/good-signed.dexf" "$V/unsigned.dexf" > "$T/multi.json"
check "reports for $n vectors validate against the schema" \
    validate "$T"/full*.json "$T"/quick*.json "$T/multi.json"
# reports of a narrower scope: one item, one range, a proof file (good and
# tampered)
"$DEXF" verify --json --trust "$V/ca.pem" --item disk.img \
    "$V/good-signed.dexf" > "$T/item.json"
"$DEXF" verify --json --item disk.img --range 4000:5000 \
    "$V/tampered-chunk.dexf" > "$T/range.json"
"$DEXF" verify --json --item disk.img --range 4K: \
    "$V/tampered-index.dexf" > "$T/range2.json"
"$DEXF" verify-proof --json --trust "$V/ca.pem" "$V/proof-good.dexfp" \
    > "$T/proof.json"
"$DEXF" verify-proof --json "$V/proof-tampered-chunk.dexfp" > "$T/proof2.json"
"$DEXF" verify-proof --json "$V/good-signed.dexf" > "$T/proof3.json"
check "item, range and proof reports validate against the schema" \
    validate "$T/item.json" "$T/range.json" "$T/range2.json" \
    "$T/proof.json" "$T/proof2.json" "$T/proof3.json"
expect_json "$T/range2.json" "j['containers'][0]['scope']['kind'] == 'range' and j['containers'][0]['items'][0]['status'] == 'mismatch'"

# the schema is not vacuous: a report with a wrong verdict/exit pair, or an
# unknown key, must fail it
"$PYTHON3" - "$T/full1.json" "$T/bad1.json" "$T/bad2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d['containers'][0]
c['verdict'] = 'no-such-verdict'
json.dump(d, open(sys.argv[2], 'w'))
d = json.load(open(sys.argv[1]))
d['containers'][0]['unexpected_key'] = 1
json.dump(d, open(sys.argv[3], 'w'))
PY
expect_exit 1 validate "$T/bad1.json"
expect_exit 1 validate "$T/bad2.json"
finish

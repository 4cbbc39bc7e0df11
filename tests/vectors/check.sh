#!/bin/sh
# check.sh: every vector in VECTORS.md gets its listed verdict, exit code
# and first problem kind from `dexf verify`, and the example program
# agrees on the verdict.  A vector FILE with a receipt FILE.head must also
# give chain-broken, exit 1, head-missing with `--head $(cat FILE.head)`;
# a vector named *interrupted-append* must report an interrupted-append
# tail (`trailing` not null).  A proof file (*.dexfp) is checked with
# `dexf verify-proof` instead.
set -u
here=$(cd "$(dirname "$0")" && pwd)
DEXF=${DEXF:-$here/../../dexf}
EXAMPLE=${EXAMPLE:-${top_builddir:-$here/../..}/examples/verify_container}
PYTHON3=${PYTHON3:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
rows=$(grep -E '^\| [a-z0-9-]+\.(dexf|dexfp|zip) ' "$here/VECTORS.md")
[ -n "$rows" ] || { echo "no vectors listed"; exit 1; }
echo "$rows" | while IFS='|' read -r _ file verdict code kind _; do
	echo "$file $verdict $code $kind"
done > "$tmp/list"
while read -r file verdict code kind; do
	case $file in
	*.dexfp) cmd=verify-proof ;;
	*) cmd=verify ;;
	esac
	"$DEXF" $cmd --trust "$here/ca.pem" --json "$here/$file" > "$tmp/out.json"
	ec=$?
	got=$("$PYTHON3" - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))['containers'][0]
p = [x['kind'] for x in d['problems'] if x['kind'] not in ('unsigned', 'untrusted')]
print(d['verdict'], d['exit_code'], p[0] if p else '-',
      'trailing' if d.get('trailing') else 'no-trailing')
PY
)
	trailing=${got##* }
	got=${got% *}
	if [ "$got" = "$verdict $code $kind" ] && [ "$ec" = "$code" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $file: expected '$verdict $code $kind', got '$got' (exit $ec)"
	fi
	case $file in
	*interrupted-append*)
		if [ "$trailing" = trailing ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $file: no interrupted-append tail reported (trailing is null)"
		fi ;;
	esac
	if [ -f "$here/$file.head" ]; then
		"$DEXF" verify --trust "$here/ca.pem" --json \
			--head "$(cat "$here/$file.head")" "$here/$file" > "$tmp/head.json"
		hec=$?
		hgot=$("$PYTHON3" - "$tmp/head.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))['containers'][0]
p = [x['kind'] for x in d['problems'] if x['kind'] not in ('unsigned', 'untrusted')]
print(d['verdict'], d['exit_code'], p[0] if p else '-')
PY
)
		if [ "$hgot" = "chain-broken 1 head-missing" ] && [ "$hec" = 1 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $file --head $file.head: expected 'chain-broken 1 head-missing', got '$hgot' (exit $hec)"
		fi
	fi
	if [ "$cmd" = verify ] && { [ -x "$EXAMPLE" ] || [ -f "$EXAMPLE" ]; }; then
		ex=$("$EXAMPLE" "$here/$file" "$here/ca.pem" | sed -n 's/^verdict: //p')
		if [ "$ex" = "$verdict" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $file: examples/verify_container says '$ex'"
		fi
	fi
done < "$tmp/list"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

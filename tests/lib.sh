# tests/lib.sh - sourced by every shell test (tests/cli, tests/interop).
#
# Provides a private temporary directory $T (removed on exit), the tool
# $DEXF, the test PKI $PKI, the helper $CRAFT (tests/hostile/craft.py),
# and assertions that count passes and failures:
#
#   expect_exit CODE CMD...   run CMD; stdout -> $OUT, stderr -> $ERR;
#                             fail (showing both) unless it exits CODE
#   expect_exit_in "C1 C2" CMD...  the same, exit code one of C1 C2
#   expect_grep RE FILE       extended regexp RE occurs in FILE
#   expect_no_grep RE FILE    it does not
#   expect_json FILE PYEXPR   PYEXPR (python, `j` = the parsed JSON) is true
#   expect_same A B           files A and B are byte-identical
#   check DESC CMD...         CMD succeeds (quietly)
#   fail MSG / pass MSG       record a result by hand
#   die MSG                   setup failed: record it and stop the script
#   finish                    print "N passed, M failed"; exit 1 on failure
#
# Runs standalone from the repository root too: sh tests/cli/pack.sh

top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-$top_srcdir}
DEXF=${DEXF:-$top_builddir/dexf}
PYTHON3=${PYTHON3:-python3}
# tests cd into their temporary directory: make the paths absolute
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 99
top_builddir=$(cd "$top_builddir" && pwd) || exit 99
case $DEXF in
/*) ;;
*/*) DEXF=$(pwd)/$DEXF ;;
esac
PKI=$top_srcdir/tests/pki
# Tests that preload a library (faketime, tests/fault/killwrite.c) must not
# trip ASan's check that its runtime comes first (sanitizer builds only).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
CRAFT=$top_srcdir/tests/hostile/craft.py
export PKI LC_ALL=C TZ=UTC

T=$(mktemp -d "${TMPDIR:-/tmp}/dexf-test.XXXXXX") || {
	echo "cannot create a temporary directory" >&2
	exit 99
}
trap 'rm -rf "$T"' EXIT
trap 'rm -rf "$T"; exit 130' INT TERM HUP
OUT=$T/.stdout
ERR=$T/.stderr
_npass=0
_nfail=0
_name=$(basename "$0" .sh)

# timeout(1) guards against hangs in the tool under test (not functions)
if command -v timeout >/dev/null 2>&1; then
	_timeout="timeout -k 5 120"
else
	_timeout=
fi

pass()
{
	_npass=$((_npass + 1))
	printf 'ok %d - %s\n' "$((_npass + _nfail))" "$*"
}

fail()
{
	_nfail=$((_nfail + 1))
	printf 'not ok %d - %s\n' "$((_npass + _nfail))" "$*"
	printf '%s: FAIL: %s\n' "$_name" "$*" >&2
}

die()
{
	fail "setup: $*"
	finish
}

_show()
{
	# _show LABEL FILE: first 40 lines of FILE, indented
	printf '  --- %s (%s bytes):\n' "$1" "$(wc -c <"$2" 2>/dev/null)"
	head -n 40 "$2" 2>/dev/null | sed 's/^/  | /'
}

_runs_in_shell()
{
	case $(command -v "$1" 2>/dev/null) in
	*/*) return 1 ;;
	*) return 0 ;;
	esac
}

# expect_exit CODE CMD...
expect_exit()
{
	_want=$1
	shift
	if _runs_in_shell "$1"; then
		"$@" >"$OUT" 2>"$ERR"
	else
		$_timeout "$@" >"$OUT" 2>"$ERR"
	fi
	_rc=$?
	if [ "$_rc" -eq "$_want" ]; then
		pass "exit $_want: $*"
		return 0
	fi
	fail "expected exit $_want, got $_rc: $*"
	_show stdout "$OUT"
	_show stderr "$ERR"
	return 1
}

# expect_exit_in "CODES" CMD...: the exit code is one of CODES (and so
# never a signal or a crash)
expect_exit_in()
{
	_want=$1
	shift
	if _runs_in_shell "$1"; then
		"$@" >"$OUT" 2>"$ERR"
	else
		$_timeout "$@" >"$OUT" 2>"$ERR"
	fi
	_rc=$?
	for _c in $_want; do
		if [ "$_rc" -eq "$_c" ]; then
			pass "exit $_rc (one of $_want): $*"
			return 0
		fi
	done
	fail "expected exit in {$_want}, got $_rc: $*"
	_show stdout "$OUT"
	_show stderr "$ERR"
	return 1
}

# expect_grep ERE FILE
expect_grep()
{
	if grep -E -q -- "$1" "$2" 2>/dev/null; then
		pass "'$1' in $(basename "$2")"
		return 0
	fi
	fail "'$1' not found in $2"
	_show "$(basename "$2")" "$2"
	return 1
}

# expect_no_grep ERE FILE
expect_no_grep()
{
	if ! grep -E -q -- "$1" "$2" 2>/dev/null; then
		pass "no '$1' in $(basename "$2")"
		return 0
	fi
	fail "'$1' unexpectedly found in $2"
	_show "$(basename "$2")" "$2"
	return 1
}

# expect_json FILE PYEXPR: j is the parsed document
expect_json()
{
	if _msg=$("$PYTHON3" - "$1" "$2" 2>&1 <<'EOF'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        j = json.load(f)
except Exception as e:
    print("not valid JSON: %s" % e)
    sys.exit(1)
try:
    ok = eval(sys.argv[2], {"j": j, "any": any, "all": all, "len": len})
except Exception as e:
    print("%s: %s" % (type(e).__name__, e))
    sys.exit(1)
sys.exit(0 if ok else 1)
EOF
	); then
		pass "json: $2"
		return 0
	fi
	fail "json: $2 ${_msg:+($_msg)}"
	_show "$(basename "$1")" "$1"
	return 1
}

# expect_same A B
expect_same()
{
	if cmp -s -- "$1" "$2"; then
		pass "same bytes: $(basename "$1") $(basename "$2")"
		return 0
	fi
	fail "files differ: $1 $2"
	return 1
}

# check DESC CMD...
check()
{
	_desc=$1
	shift
	if "$@" >"$T/.check" 2>&1; then
		pass "$_desc"
		return 0
	fi
	fail "$_desc: $*"
	_show output "$T/.check"
	return 1
}

# sha256 of a file, hex only
sha256()
{
	sha256sum <"$1" | cut -d' ' -f1
}

finish()
{
	printf '%d passed, %d failed\n' "$_npass" "$_nfail"
	[ "$_nfail" -eq 0 ] || exit 1
	exit 0
}

[ -x "$DEXF" ] || die "DEXF=$DEXF is not executable (build first)"
command -v "$PYTHON3" >/dev/null 2>&1 || die "PYTHON3=$PYTHON3 not found"

# mkdata FILE SIZE [SEED]: SIZE deterministic pseudo-random bytes
mkdata()
{
	"$PYTHON3" -c 'import random, sys
r = random.Random(int(sys.argv[3]))
with open(sys.argv[1], "wb") as f:
    f.write(r.randbytes(int(sys.argv[2])))' \
	    "$1" "$2" "${3:-1}" || die "mkdata $1"
}

# mktext FILE LINES: compressible text
mktext()
{
	"$PYTHON3" -c 'import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write("%06d sshd[%d]: Failed password for root from 192.0.2.%d\n"
                % (i, 1000 + i % 97, i % 250))' "$1" "$2" || die "mktext $1"
}

# sign options for key NAME of the test PKI
signopts()
{
	printf -- '--key %s/%s.key --cert %s/%s.pem' "$PKI" "$1" "$PKI" "$1"
}

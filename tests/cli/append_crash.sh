#!/bin/sh
# tests/cli/append_crash.sh - crash safety of appends (FORMAT.md 2.7, 9.11):
# a file cut at every length of an append, a process killed at every
# write, fsync and ftruncate of an append (tests/fault/killwrite.c), and
# two appenders on one container.
. "${top_srcdir:-.}/tests/lib.sh"

cd "$T" || die "cd $T"
command -v cc >/dev/null 2>&1 || die "cc is needed to build tests/fault/killwrite.c"
command -v flock >/dev/null 2>&1 || die "flock (util-linux) is needed"

C0J="j['containers'][0]"
CA="--trust $PKI/ca.pem"
S1="$(signopts rsapss)"
fsize()
{
	wc -c <"$1" | tr -d ' '
}
# unchanged FILE BACKUP DESC
unchanged()
{
	if [ "$(fsize "$1")" = "$(fsize "$2")" ] &&
	    [ "$(sha256 "$1")" = "$(sha256 "$2")" ]; then
		pass "$3: $(basename "$1") unchanged (size and sha256)"
	else
		fail "$3: $(basename "$1") was modified"
	fi
}

# the real dynamic binary: ./dexf is a libtool wrapper script, whose
# shell would be the first process to see LD_PRELOAD (and costs as much
# as the tool in the loops below)
KDEXF=$DEXF
RUN=env
if [ -x "$top_builddir/.libs/dexf" ] && [ "$DEXF" = "$top_builddir/dexf" ]; then
	KDEXF=$top_builddir/.libs/dexf
	LD_LIBRARY_PATH=$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export LD_LIBRARY_PATH
elif [ -x "$top_builddir/libtool" ]; then
	RUN="$top_builddir/libtool --mode=execute env"
fi

# --- C0: sealed, one record; C1: C0 plus one more (with an attachment) -----
mkdir case || die mkdir
mkdata case/data.bin 30000 3
mktext case/auth.log 50
mktext report.txt 40
"$DEXF" pack -q -o c0.dexf $(signopts ecdsa256) case || die "pack c0.dexf"
"$DEXF" annotate c0.dexf --action received --note "seized" $S1 >/dev/null ||
    die "annotate c0.dexf"
cp c0.dexf c1.dexf
expect_exit 0 "$DEXF" annotate c1.dexf --action examined --tool "sleuthkit/4.12" \
    --item case/auth.log --outcome "no findings" --attach report.txt $S1
s0=$(fsize c0.dexf)
s1=$(fsize c1.dexf)
check "the append added bytes after C0 and kept C0's bytes" \
    sh -c "[ $s1 -gt $s0 ] && cmp -n $s0 c0.dexf c1.dexf"
expect_exit 0 "$DEXF" verify --quick --json $CA c0.dexf
expect_json "$OUT" "$C0J['head']['sequence'] == 1 and $C0J['trailing'] is None"
expect_exit 0 "$DEXF" verify --quick --json $CA c1.dexf
expect_json "$OUT" "$C0J['head']['sequence'] == 2 and $C0J['trailing'] is None"

# --- the file cut at every length between C0 and C1 --------------------------
# every length if there are at most 3000, else the first and last 200 and
# 300 in between (fixed seed); two verifiers at a time
cat >cut.py <<'EOF'
import concurrent.futures, json, os, random, subprocess, sys

dexf, ca, c1, s0 = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(c1, "rb") as f:
    blob = f.read()
s1 = len(blob)
if s1 - s0 + 1 <= 3000:
    lengths = list(range(s0, s1 + 1))
else:
    mid = random.Random(20261123).sample(range(s0 + 200, s1 - 199), 300)
    lengths = sorted(set(range(s0, s0 + 200)) | set(range(s1 - 199, s1 + 1))
                     | set(mid))


def one(n):
    path = "cut-%d.dexf" % n
    with open(path, "wb") as f:
        f.write(blob[:n])
    p = subprocess.run([dexf, "verify", "--quick", "--json", "--trust", ca,
                        path], capture_output=True)
    os.remove(path)
    if p.returncode != 0:
        return "exit %d (want 0): %s" % (p.returncode,
                                         p.stderr.decode(errors="replace")[:200])
    try:
        c = json.loads(p.stdout)["containers"][0]
    except Exception as e:
        return "bad JSON: %s" % e
    want_seq = 2 if n == s1 else 1
    want_tr = None if n in (s0, s1) else {"offset": s0, "bytes": n - s0}
    if c["head"] is None or c["head"]["sequence"] != want_seq:
        return "head %r, want sequence %d" % (c["head"], want_seq)
    if c["trailing"] != want_tr:
        return "trailing %r, want %r" % (c["trailing"], want_tr)
    if c["verdict"] != "intact-trusted" or c["problems"]:
        return "verdict %s, problems %r" % (c["verdict"], c["problems"][:2])
    return None


with concurrent.futures.ThreadPoolExecutor(2) as ex:
    for n, err in zip(lengths, ex.map(one, lengths)):
        if err:
            print("FAIL %d %s" % (n, err))
print("COUNT %d" % len(lengths))
EOF
"$PYTHON3" cut.py "$KDEXF" "$PKI/ca.pem" c1.dexf "$s0" >cut.out 2>&1 ||
    fail "cut.py failed: $(tail -n 3 cut.out)"
ncut=$(sed -n 's/^COUNT //p' cut.out)
nbad=0
while read -r tag n msg; do
	[ "$tag" = FAIL ] || continue
	nbad=$((nbad + 1))
	fail "C1 cut to $n bytes (C0 $s0, C1 $s1): $msg"
done <cut.out
if [ -n "$ncut" ] && [ "$nbad" -eq 0 ]; then
	pass "C1 cut at $ncut lengths in [$s0, $s1]: exit 0, head 1 (2 at full length), trailing = the cut tail"
fi
check "at least 500 lengths were tried" sh -c "[ '${ncut:-0}' -ge 500 ] || [ '${ncut:-0}' -eq $((s1 - s0 + 1)) ]"

# an append to a cut copy removes the tail, then writes a valid record 2
d=$((s1 - s0))
for n in $((s0 + 1)) $((s0 + 4)) $((s0 + d / 2)) $((s1 - 98)) $((s1 - 1)); do
	head -c "$n" c1.dexf >t.dexf || die "head -c"
	expect_exit 0 "$DEXF" annotate t.dexf --action verified --outcome ok $S1
	expect_grep "^head: 000002 [0-9a-f]{64}$" "$OUT"
	expect_exit 0 "$DEXF" verify --json $CA t.dexf
	expect_json "$OUT" "$C0J['head']['sequence'] == 2 and $C0J['trailing'] is None and $C0J['records'][2]['kind'] == 'custody' and $C0J['problems'] == []"
	check "cut at $n: C0's bytes kept by the append" cmp -n "$s0" c0.dexf t.dexf
done

# --- killed at every write ------------------------------------------------------
cc -shared -fPIC -o killwrite.so "$top_srcdir/tests/fault/killwrite.c" -ldl ||
    die "cannot build tests/fault/killwrite.c"
# annotate_k N FILE: annotate FILE, killed at its Nth changing call on
# FILE (N = 0: not killed); the calls are logged to FILE.log
annotate_k()
{
	$RUN LD_PRELOAD="$T/killwrite.so" DEXF_KILL_PATH="$T/$2" \
	    DEXF_KILL_AT="$1" DEXF_KILL_LOG="$T/$2.log" \
	    "$KDEXF" annotate "$2" --action copied --attach report.txt $S1
}
cp c0.dexf k.dexf
rm -f k.dexf.log
expect_exit 0 annotate_k 0 k.dexf
ncalls=$(wc -l <k.dexf.log | tr -d ' ')
# the trailer is the last write (FORMAT.md 9.11 step 8), then one fsync
trailer=$(awk '$2 ~ /write/ { n = $1 } END { print n + 0 }' k.dexf.log)
check "the shim saw the append's calls ($ncalls, trailer at $trailer)" \
    sh -c "[ $ncalls -ge 4 ] && [ $trailer -ge 3 ] && [ $trailer -lt $ncalls ]"
expect_grep "^$ncalls fsync$" k.dexf.log
expect_exit 0 "$DEXF" verify --quick --json $CA k.dexf
expect_json "$OUT" "$C0J['head']['sequence'] == 2"

# kill_loop BASE HEAD0 TORN: for N = 1, 2, ... kill an append to a copy of
# BASE (head HEAD0) at its Nth call, until an append completes; TORN=1: a
# killed write first writes half its bytes (DEXF_KILL_TORN)
kill_loop()
{
	_base=$1
	_h0=$2
	_torn=$3
	_sb=$(fsize "$_base")
	_n=1
	while [ $_n -le 400 ]; do
		cp "$_base" k.dexf
		rm -f k.dexf.log
		$RUN LD_PRELOAD="$T/killwrite.so" DEXF_KILL_PATH="$T/k.dexf" \
		    DEXF_KILL_AT=$_n DEXF_KILL_TORN=$_torn \
		    "$KDEXF" annotate k.dexf --action copied \
		    --attach report.txt $S1 >"$OUT" 2>"$ERR"
		_rc=$?
		if [ $_rc -eq 0 ]; then
			break
		fi
		if [ $_rc -ne 137 ]; then
			fail "$_base: kill at call $_n: annotate exit $_rc, want 137 (SIGKILL)"
			return
		fi
		# the file holds the old container, maybe with a tail; then the
		# next append succeeds, on top of whatever head survived
		"$KDEXF" verify --quick --json $CA k.dexf >k.json 2>"$ERR"
		_rc=$?
		_size=$(fsize k.dexf)
		_same=0
		cmp -s -n "$s0" "$_base" k.dexf && _same=1
		"$KDEXF" annotate k.dexf --action note --note retry $S1 \
		    >"$OUT" 2>"$ERR"
		_rc2=$?
		"$KDEXF" verify --quick --json $CA k.dexf >k2.json 2>>"$ERR"
		_rc3=$?
		"$PYTHON3" - "$_n" "$_h0" "$s0" "$_sb" "$_size" "$_rc" \
		    "$trailer" "$_same" "$_rc2" "$_rc3" >k.res 2>&1 <<'EOF' || :
import json, sys
n, h0, s0, sb, size, rc, tr, same, rc2, rc3 = map(int, sys.argv[1:])


def check():
    if rc != 0:
        return "verify exit %d, want 0" % rc
    if not same:
        return "bytes of the old container changed"
    c = json.load(open("k.json"))["containers"][0]
    seq = c["head"]["sequence"] if c["head"] else None
    if seq not in (h0, h0 + 1):
        return "head %r, want %d or %d" % (seq, h0, h0 + 1)
    if sb == s0 and (seq == h0 + 1) != (n > tr):
        return ("head %d after kill at call %d (trailer written by call %d)"
                % (seq, n, tr))
    if seq == h0 and size > s0 and \
            c["trailing"] != {"offset": s0, "bytes": size - s0}:
        return "trailing %r, want offset %d bytes %d" % (
            c["trailing"], s0, size - s0)
    if seq == h0 and size == s0 and c["trailing"] is not None:
        return "trailing %r, want none" % (c["trailing"],)
    if c["verdict"] != "intact-trusted" or c["problems"]:
        return "verdict %s problems %r" % (c["verdict"], c["problems"][:2])
    if rc2 != 0 or rc3 != 0:
        return "head %d; the next append: exit %d, verify exit %d" % (
            seq, rc2, rc3)
    c2 = json.load(open("k2.json"))["containers"][0]
    if c2["head"]["sequence"] != seq + 1 or c2["trailing"] is not None \
            or c2["problems"]:
        return "head %d; after the next append head %r trailing %r" % (
            seq, c2["head"], c2["trailing"])
    print("ok head %d, next append head %d" % (seq, seq + 1))
    return None


err = check()
if err:
    print("FAIL " + err)
EOF
		case $(cat k.res) in
		"ok "*)
			pass "$_base: killed at call $_n: verify exit 0, $(sed 's/^ok //' k.res)"
			;;
		*)
			fail "$_base: killed at call $_n: $(cat k.res)"
			_show stderr "$ERR"
			;;
		esac
		_n=$((_n + 1))
	done
	if [ $_rc -eq 0 ] && [ $_n -gt 4 ]; then
		pass "$_base (torn=$_torn): the append completed when not killed (after $((_n - 1)) kills)"
		expect_exit 0 "$DEXF" verify --quick --json $CA k.dexf
		expect_json "$OUT" "$C0J['head']['sequence'] == $((_h0 + 1)) and $C0J['trailing'] is None"
	else
		fail "$_base: the append never completed, or was killed only $((_n - 1)) times"
	fi
}
kill_loop c0.dexf 1 0
kill_loop c0.dexf 1 1
# the same on a container that ends in an interrupted append: the kill
# also hits the ftruncate that removes the tail
head -c $((s0 + (s1 - s0) / 2)) c1.dexf >tail.dexf || die "head -c"
kill_loop tail.dexf 1 0
kill_loop tail.dexf 1 1

# --- two appenders -----------------------------------------------------------------
cp c0.dexf lk.dexf
cp c0.dexf lk.bak
flock -x lk.dexf sleep 4 &
holder=$!
i=0
while flock -n lk.dexf true; do
	i=$((i + 1))
	[ $i -lt 100 ] || break
	sleep 0.05
done
check "the lock is held by flock(1)" sh -c "! flock -n lk.dexf true"
expect_exit 5 "$DEXF" annotate lk.dexf --action note --note second $S1
expect_grep "locked" "$ERR"
unchanged lk.dexf lk.bak "annotate while locked"
expect_exit 5 "$DEXF" trace add lk.dexf --incident I-1 --incident-org o.example \
    --protocol udp --source 192.0.2.5 --destination 192.0.2.6 --point 192.0.2.1 \
    --observed-time 2026-11-20T08:57:12Z --observed-source 192.0.2.5 \
    --method logging --contact NOC $S1
expect_grep "locked" "$ERR"
unchanged lk.dexf lk.bak "trace add while locked"
# readers take no lock
expect_exit 0 "$DEXF" verify --quick $CA lk.dexf
wait $holder
expect_exit 0 "$DEXF" annotate lk.dexf --action note --note second $S1
expect_exit 0 "$DEXF" verify --quick --json $CA lk.dexf
expect_json "$OUT" "$C0J['head']['sequence'] == 2 and $C0J['records'][2]['kind'] == 'custody'"

finish

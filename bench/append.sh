#!/bin/sh
# bench/append.sh - the cost of appending a record does not depend on the
# size of the container (FORMAT.md 9.11, issue "append without rewrite").
#
# Packs a small container and a multi-GiB one (--compression store, so the
# container really is that large on disk), then appends signed custody
# records to each and times them side by side with `cp` of the container
# (what a rewrite would at least cost).  Also checks that the bytes before
# the append are unchanged.  Prints a Markdown table.
#
#   bench/append.sh [--size-gib N] [--reps N] [--workdir DIR]
#
# Needs: ./dexf built (make), GNU coreutils, awk, python3.  Uses N GiB of disk
# (twice, for the cp comparison).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
size=4 reps=5 work=/tmp/dexf-bench-append
while [ $# -gt 0 ]; do
	case $1 in
	--size-gib) size=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--workdir) work=$2; shift 2 ;;
	*) echo "usage: bench/append.sh [--size-gib N] [--reps N] [--workdir DIR]" >&2; exit 2 ;;
	esac
done
DEXF=${DEXF:-$here/dexf}
[ -x "$DEXF" ] || DEXF=$here/build/dexf
pki=$here/examples/pki
rm -rf "$work"
mkdir -p "$work"
cd "$work"

now() { python3 -c 'import time; print(time.monotonic())'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "packing: 1 MiB and $size GiB (store)" >&2
head -c 1048576 /dev/urandom > small.bin
truncate -s "${size}G" big.img
# a little non-zero data so the image is not only holes
head -c 16777216 /dev/urandom | dd of=big.img conv=notrunc bs=1M seek=100 status=none
for n in small big; do
	src=small.bin
	[ $n = big ] && src=big.img
	"$DEXF" pack -q --compression store -o $n.dexf \
		--key "$pki/examiner.key" --cert "$pki/examiner.pem" $src >/dev/null
done

row() {
	n=$1
	before=$(stat -c %s $n.dexf)
	pre=$(head -c "$before" $n.dexf | sha256sum | cut -d' ' -f1)
	: > t.$n
	i=0
	while [ $i -lt "$reps" ]; do
		t0=$(now)
		"$DEXF" annotate $n.dexf --action examined --note "rep $i" \
			--key "$pki/examiner.key" --cert "$pki/examiner.pem" >/dev/null
		t1=$(now)
		echo "$t1 $t0" | awk '{ print $1 - $2 }' >> t.$n
		i=$((i + 1))
	done
	after=$(stat -c %s $n.dexf)
	post=$(head -c "$before" $n.dexf | sha256sum | cut -d' ' -f1)
	[ "$pre" = "$post" ] || { echo "append.sh: existing bytes changed!" >&2; exit 1; }
	t0=$(now); cp $n.dexf copy.dexf; sync copy.dexf; t1=$(now); rm -f copy.dexf
	cpt=$(echo "$t1 $t0" | awk '{ print $1 - $2 }')
	med=$(median < t.$n)
	printf '| %s | %s | %s | %.3f s | %.3f s | %.0fx |\n' "$n" "$before" \
	    "$(( (after - before) / reps ))" "$med" "$cpt" \
	    "$(echo "$cpt $med" | awk '{ print $1 / $2 }')"
}
echo "| container | size before (bytes) | bytes added per record | annotate (median of $reps) | cp + sync of the container | cp / annotate |"
echo "|---|---|---|---|---|---|"
row small
row big
"$DEXF" verify --quick --trust "$pki/lab-ca.pem" big.dexf >/dev/null
echo
echo "Both containers verify after the appends; the bytes before each append were unchanged."

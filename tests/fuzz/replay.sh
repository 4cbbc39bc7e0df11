#!/bin/sh
# replay.sh: run the fuzz target over the corpus and the test vectors, each
# with deterministic mutations; any crash or sanitizer report fails.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
replay="$top_builddir/tests/fuzz/fuzz_replay"
set -- "$top_srcdir"/tests/vectors/*.dexf "$top_srcdir"/tests/vectors/*.zip \
    "$top_srcdir"/tests/vectors/*.dexfp
for f in "$top_srcdir"/tests/fuzz/corpus/*; do
	[ -f "$f" ] && set -- "$@" "$f"
done
if "$replay" -m "${FUZZ_MUTATIONS:-150}" "$@"; then
	echo "1 passed, 0 failed"
else
	echo "fuzz_replay exited $?"
	echo "0 passed, 1 failed"
	exit 1
fi

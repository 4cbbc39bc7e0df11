#!/usr/bin/env bash
# dexf benchmark harness: times dexf side by side with peer tools in ONE run.
#
#   bench/run.sh [--size-mib N] [--files N] [--workdir DIR] [--quick]
#                [--reps N] [--cat-reads N] [--seed N]
#
# See bench/README.md. Exit status:
#   0  everything ran, all dexf checks passed
#   1  a dexf command failed, returned an unexpected exit code, or produced
#      wrong data (fail loudly: the failing command and its output are shown)
#   2  usage / setup error, or a peer tool failed
#   3  dexf is not built ($DEXF missing): peer timings were still done and
#      printed
set -euo pipefail
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)

SIZE_MIB=
FILES=
WORKDIR=/tmp/dexf-bench
QUICK=0
REPS=3
CAT_READS=
SEED=0x6465786662656e63

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

need_arg() {
    if [ $# -lt 2 ] || [ -z "$2" ]; then echo "run.sh: $1 needs a value" >&2; exit 2; fi
}
is_uint() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ]; }

while [ $# -gt 0 ]; do
    case $1 in
        --size-mib) need_arg "$@"; SIZE_MIB=$2; shift 2 ;;
        --files) need_arg "$@"; FILES=$2; shift 2 ;;
        --workdir) need_arg "$@"; WORKDIR=$2; shift 2 ;;
        --reps) need_arg "$@"; REPS=$2; shift 2 ;;
        --cat-reads) need_arg "$@"; CAT_READS=$2; shift 2 ;;
        --seed) need_arg "$@"; SEED=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage 2 ;;
    esac
done
if [ "$QUICK" = 1 ]; then
    : "${SIZE_MIB:=256}" "${FILES:=2000}" "${CAT_READS:=50}"
else
    : "${SIZE_MIB:=2048}" "${FILES:=20000}" "${CAT_READS:=200}"
fi
for v in SIZE_MIB FILES REPS CAT_READS; do
    is_uint "${!v}" || { echo "run.sh: $v must be a positive integer (got '${!v}')" >&2; exit 2; }
done
[[ $SEED =~ ^(0x[0-9a-fA-F]+|[0-9]+)$ ]] || { echo "run.sh: bad --seed" >&2; exit 2; }
if [ "$SIZE_MIB" -lt 8 ]; then echo "run.sh: --size-mib must be >= 8" >&2; exit 2; fi

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit "${2:-2}"; }
q() { printf '%q' "$1"; }

# ---------------------------------------------------------------- tools
# command -> Debian package
declare -A PKG_OF=(
    [ewfacquirestream]=ewf-tools [ewfverify]=ewf-tools [pigz]=pigz [zip]=zip
    [/usr/bin/time]=time [cc]=gcc [openssl]=openssl
)
have() { command -v "$1" >/dev/null 2>&1; }

missing_pkgs=()
for c in "${!PKG_OF[@]}"; do
    have "$c" || missing_pkgs+=("${PKG_OF[$c]}")
done
if [ ${#missing_pkgs[@]} -gt 0 ]; then
    mapfile -t missing_pkgs < <(printf '%s\n' "${missing_pkgs[@]}" | sort -u)
    if [ "$(id -u)" = 0 ] && have apt-get; then
        log "installing missing packages: ${missing_pkgs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -q "${missing_pkgs[@]}" >&2; then
            apt-get update -q >&2 || true
            apt-get install -y -q "${missing_pkgs[@]}" >&2 || log "apt-get install failed; continuing without them"
        fi
    else
        log "missing packages (not root, not installing): ${missing_pkgs[*]}"
        log "  install with: apt-get install -y ${missing_pkgs[*]}"
    fi
fi
have /usr/bin/time || die "/usr/bin/time (package 'time') is required"
have cc || die "a C compiler (cc) is required to build gencorpus"
for c in sha256sum tar find xargs dd cmp awk sort du df; do
    have "$c" || die "required tool '$c' not found"
done
HAVE_EWF=0; have ewfacquirestream && have ewfverify && HAVE_EWF=1
HAVE_PIGZ=0; have pigz && HAVE_PIGZ=1
HAVE_ZIP=0; have zip && HAVE_ZIP=1
HAVE_OPENSSL=0; have openssl && HAVE_OPENSSL=1

# ---------------------------------------------------------------- dexf binary
DEXF_ARG=${DEXF:-$REPO/dexf}
DEXF_OK=0
DEXF_BIN=
DEXF_NOTE=
if [ -f "$DEXF_ARG" ] && [ -x "$DEXF_ARG" ]; then
    DEXF_OK=1
    DEXF_BIN=$DEXF_ARG
    DEXF_NOTE="$DEXF_ARG"
    # A libtool wrapper script costs a shell start per invocation (and may
    # relink on first use). Run it once, then use the real binary in .libs/
    # with LD_LIBRARY_PATH pointing at the uninstalled libdexf, unless
    # DEXF_NO_RESOLVE=1.
    if [ "${DEXF_NO_RESOLVE:-0}" != 1 ] && [ "$(head -c 4 "$DEXF_ARG" | od -An -c | tr -d ' ')" != '177ELF' ] \
        && grep -q 'libtool' "$DEXF_ARG" 2>/dev/null; then
        "$DEXF_ARG" --version < /dev/null > /dev/null 2>&1 || true
        d=$(dirname "$DEXF_ARG")
        b=$(basename "$DEXF_ARG")
        cand=
        for c in "$d/.libs/lt-$b" "$d/.libs/$b"; do
            if [ -x "$c" ]; then cand=$c; break; fi
        done
        if [ -n "$cand" ]; then
            libdirs=$(find "$REPO" -path '*/.libs/libdexf.so*' -printf '%h\n' 2>/dev/null | sort -u | paste -sd: -)
            ldp=${LD_LIBRARY_PATH:-}
            if [ -n "$libdirs" ]; then ldp="$libdirs${ldp:+:$ldp}"; fi
            if ! LD_LIBRARY_PATH="$ldp" ldd "$cand" 2>&1 | grep -q 'not found'; then
                if [ -n "$ldp" ]; then export LD_LIBRARY_PATH="$ldp"; fi
                DEXF_BIN=$cand
                DEXF_NOTE="$cand (real binary behind libtool wrapper $DEXF_ARG${libdirs:+; LD_LIBRARY_PATH=$libdirs})"
            fi
        fi
    fi
fi

PKI=$REPO/tests/pki
KEY=${DEXF_KEY:-$PKI/ecdsa256.key}
CERT=${DEXF_CERT:-$PKI/ecdsa256.pem}
CA=${DEXF_CA:-$PKI/ca.pem}
if [ -f "$KEY" ] && [ -f "$CERT" ] && [ -f "$CA" ]; then
    SIGNED=1
    SIGN_Q="--key $(q "$KEY") --cert $(q "$CERT")"
    VERIFY_Q="--trust $(q "$CA")"
    SIGN_NOTE="signed (key $KEY, cert $CERT); verify --trust $CA, expecting exit 0"
else
    SIGNED=0
    SIGN_Q="--no-sign"
    VERIFY_Q="--integrity-only"
    SIGN_NOTE="unsigned (--no-sign; test keys not found); verify --integrity-only, expecting exit 0"
fi

# ---------------------------------------------------------------- work dir
mkdir -p "$WORKDIR"
WORKDIR=$(cd "$WORKDIR" && pwd)
CORPUS=$WORKDIR/corpus
OUT=$WORKDIR/out
RESULTS=$WORKDIR/results.md
RAW=$WORKDIR/raw.tsv
LOGDIR=$WORKDIR/logs
mkdir -p "$CORPUS"
rm -rf "$OUT" "$LOGDIR"
mkdir -p "$OUT" "$LOGDIR"
printf 'id\trep\twall_s\ttime_e_s\tmaxrss_kib\texit\n' > "$RAW"

IMG_NAME=image-${SIZE_MIB}MiB.raw
TREE_NAME=tree-${FILES}
IMG=$CORPUS/$IMG_NAME
TREE=$CORPUS/$TREE_NAME
IMG_BYTES=$((SIZE_MIB * 1024 * 1024))

# Disk space: corpus + the largest set of outputs alive at once (~3x image).
need_kib=$(( (IMG_BYTES * 4) / 1024 + FILES * 64 * 3 ))
avail_kib=$(df -Pk "$WORKDIR" | awk 'NR==2 {print $4}')
[ -f "$IMG" ] && need_kib=$((need_kib - IMG_BYTES / 1024))
if [ "$avail_kib" -lt "$need_kib" ]; then
    die "not enough free space in $WORKDIR: need ~$((need_kib / 1024)) MiB, have $((avail_kib / 1024)) MiB"
fi

# ---------------------------------------------------------------- corpus
GEN=$WORKDIR/gencorpus
cc -O2 -o "$GEN" "$SCRIPT_DIR/gencorpus.c"
GEN_SHA=$(sha256sum "$SCRIPT_DIR/gencorpus.c" | cut -c1-16)

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

img_stamp="gencorpus=$GEN_SHA seed=$SEED image size_mib=$SIZE_MIB"
if stamp_ok "$IMG.stamp" "$img_stamp" && [ -f "$IMG" ] && [ "$(stat -c %s "$IMG")" = "$IMG_BYTES" ]; then
    log "reusing image $IMG"
else
    log "generating $SIZE_MIB MiB image $IMG"
    rm -f "$IMG" "$IMG.stamp"
    "$GEN" -s "$SEED" image "$IMG" "$SIZE_MIB" >&2
    printf '%s' "$img_stamp" > "$IMG.stamp"
fi
tree_stamp="gencorpus=$GEN_SHA seed=$SEED tree count=$FILES"
if stamp_ok "$TREE.stamp" "$tree_stamp" && [ -d "$TREE" ] \
    && [ "$(find "$TREE" -type f | wc -l)" = "$FILES" ]; then
    log "reusing tree $TREE"
else
    log "generating tree of $FILES files in $TREE"
    rm -rf "$TREE" "$TREE.stamp"
    "$GEN" -s "$SEED" tree "$TREE" "$FILES" >&2
    printf '%s' "$tree_stamp" > "$TREE.stamp"
fi
TREE_BYTES=$(find "$TREE" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')

log "warming page cache"
cat "$IMG" > /dev/null
find "$TREE" -type f -print0 | xargs -0 cat > /dev/null

cd "$CORPUS"

# ---------------------------------------------------------------- measurement
# Rows of the result table, in order.
ROW_IDS=()
declare -A R_GROUP R_OP R_TOOL R_SEC R_RSS R_BYTES R_OUT R_VS R_STATUS R_UNIT
PEER_FAILED=0

add_row() { # id group op tool bytes vs
    ROW_IDS+=("$1")
    R_GROUP[$1]=$2; R_OP[$1]=$3; R_TOOL[$1]=$4; R_BYTES[$1]=$5; R_VS[$1]=$6
    R_SEC[$1]=; R_RSS[$1]=; R_OUT[$1]=; R_STATUS[$1]=ok; R_UNIT[$1]=run
}

na_row() { # id group op tool bytes vs reason
    add_row "$1" "$2" "$3" "$4" "$5" "$6"
    R_STATUS[$1]="n/a: $7"
    log "skip $4 ($3): n/a: $7"
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) exit 1; if (NR % 2) printf "%s", a[(NR + 1) / 2]; else printf "%.6f", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# microseconds since epoch, from $EPOCHREALTIME (no fork)
now_us() { local t=${EPOCHREALTIME/./}; printf '%s' "$t"; }

dexf_fail() { # id cmd rc logfile msg
    {
        echo
        echo "=================================================================="
        echo "[bench] DEXF FAILURE in '$1': $5"
        echo "[bench] command: $2"
        echo "[bench] exit status: $3"
        if [ -n "$4" ] && [ -f "$4" ]; then
            echo "[bench] last output lines ($4):"
            tail -n 30 "$4" | sed 's/^/    /'
        fi
        echo "=================================================================="
    } >&2
    exit 1
}

# measure ID KIND GROUP OP TOOL BYTES VS EXPECT OUTPATH PREP CMD
#   KIND: dexf|peer   EXPECT: accepted exit codes ("0" or "0 3")
#   OUTPATH: file/dir whose size is reported (or "")   PREP: untimed, per rep
measure() {
    local id=$1 kind=$2 group=$3 op=$4 tool=$5 bytes=$6 vs=$7 expect=$8 outpath=$9 prep=${10} cmd=${11}
    add_row "$id" "$group" "$op" "$tool" "$bytes" "$vs"
    log "timing $tool: $op ($REPS reps)"
    local i rc t0 t1 tf="$LOGDIR/$id.time" lf walls=() rsss=() line
    # make sure inputs are hot before the first rep (cheap if already cached)
    if [ "$group" = image ]; then cat "$IMG" > /dev/null; fi
    for ((i = 1; i <= REPS; i++)); do
        lf="$LOGDIR/$id.$i.log"
        if [ -n "$prep" ]; then bash -c "$prep" || die "prep for $id failed: $prep"; fi
        sync
        t0=$(now_us)
        if /usr/bin/time -f '%e %M' -o "$tf" bash -c "$cmd" < /dev/null > "$lf" 2>&1; then rc=0; else rc=$?; fi
        t1=$(now_us)
        line=$(tail -n 1 "$tf")
        local wall
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", (b - a) / 1e6}')
        printf '%s\t%d\t%s\t%s\t%s\t%d\n' "$id" "$i" "$wall" "${line% *}" "${line#* }" "$rc" >> "$RAW"
        if [[ " $expect " != *" $rc "* ]]; then
            if [ "$kind" = dexf ]; then
                dexf_fail "$id" "$cmd" "$rc" "$lf" "unexpected exit status (expected: $expect)"
            fi
            log "PEER FAILED: $tool ($op) exited $rc; see $lf"
            tail -n 5 "$lf" | sed 's/^/    /' >&2
            R_STATUS[$id]="FAILED (exit $rc)"
            PEER_FAILED=1
            return 0
        fi
        walls+=("$wall")
        rsss+=("${line#* }")
    done
    R_SEC[$id]=$(printf '%s\n' "${walls[@]}" | median)
    R_RSS[$id]=$(printf '%s\n' "${rsss[@]}" | sort -n | tail -n 1)
    if [ -n "$outpath" ] && [ -e "$outpath" ]; then
        R_OUT[$id]=$(du -sb "$outpath" | cut -f1)
    fi
}

# Per-read latency loop: cat_loop ID KIND OP TOOL VS RSS_CMD READ_FN
# READ_FN OFFSET is called once per offset in OFFSETS (one process per read,
# stdout to /dev/null); RSS_CMD (a string) is run once under /usr/bin/time.
OFFSETS=()
cat_loop() {
    local id=$1 kind=$2 op=$3 tool=$4 vs=$5 rsscmd=$6 fn=$7
    add_row "$id" image "$op" "$tool" 4096 "$vs"
    R_UNIT[$id]="read"
    log "timing $tool: $op ($CAT_READS reads)"
    local tf="$LOGDIR/$id.time" lf="$LOGDIR/$id.log" rc off t0 t1 lat=()
    if /usr/bin/time -f '%e %M' -o "$tf" bash -c "$rsscmd" < /dev/null > /dev/null 2> "$lf"; then rc=0; else rc=$?; fi
    if [ "$rc" != 0 ]; then
        [ "$kind" = dexf ] && dexf_fail "$id" "$rsscmd" "$rc" "$lf" "random read failed"
        R_STATUS[$id]="FAILED (exit $rc)"; PEER_FAILED=1; return 0
    fi
    R_RSS[$id]=$(tail -n 1 "$tf" | awk '{print $2}')
    for off in "${OFFSETS[@]}"; do
        t0=$(now_us)
        if "$fn" "$off" < /dev/null > /dev/null 2> "$lf"; then rc=0; else rc=$?; fi
        t1=$(now_us)
        if [ "$rc" != 0 ]; then
            [ "$kind" = dexf ] && dexf_fail "$id" "$fn $off" "$rc" "$lf" "random read failed"
            R_STATUS[$id]="FAILED (exit $rc)"; PEER_FAILED=1; return 0
        fi
        lat+=("$((t1 - t0))")
    done
    printf '%s\tlatency_us\t%s\n' "$id" "${lat[*]}" >> "$RAW"
    R_SEC[$id]=$(printf '%s\n' "${lat[@]}" | median | awk '{printf "%.6f", $1 / 1e6}')
}

# ---------------------------------------------------------------- image: peers
IMGQ=$(q "$IMG_NAME")
OUTQ=$(q "$OUT")

measure sha256sum peer image "hash image (SHA-256)" "sha256sum" "$IMG_BYTES" "" 0 "" "" \
    "sha256sum $IMGQ"
if [ "$HAVE_OPENSSL" = 1 ]; then
    measure openssl peer image "hash image (SHA-256)" "openssl dgst -sha256" "$IMG_BYTES" "" 0 "" "" \
        "openssl dgst -sha256 $IMGQ"
else
    na_row openssl image "hash image (SHA-256)" "openssl dgst -sha256" "$IMG_BYTES" "" "openssl not installed"
fi

EWF_FORMAT=${EWF_FORMAT:-encase6}
if [ "$HAVE_EWF" = 1 ]; then
    # One segment file: the default segment size is 1.4 GiB; encase6/7 accept
    # much larger ones (other formats max 1.9 GiB). Leave room for
    # incompressible chunks and metadata.
    SEG=$((IMG_BYTES + IMG_BYTES / 16 + 64 * 1024 * 1024))
    measure ewfacquire peer image "acquire image (deflate fast + SHA-256)" "ewfacquirestream" "$IMG_BYTES" "" 0 \
        "$OUT/ewf.E01" "rm -f $OUTQ/ewf.*" \
        "ewfacquirestream -q -f $EWF_FORMAT -c fast -d sha256 -S $SEG -t $OUTQ/ewf -C BENCH-1 -e bench -E 1 -D bench -N bench < $IMGQ"
    EWF_FIRST=$(find "$OUT" -maxdepth 1 -name 'ewf.[Ee]01' | head -n 1)
    if [ -z "${R_SEC[ewfacquire]}" ] || [ -z "$EWF_FIRST" ]; then
        na_row ewfverify image "verify image" "ewfverify" "$IMG_BYTES" "" "ewfacquirestream failed"
    else
        [ -z "${R_OUT[ewfacquire]}" ] && R_OUT[ewfacquire]=$(du -cb "$OUT"/ewf.* | tail -n 1 | cut -f1)
        nseg=$(find "$OUT" -maxdepth 1 -name 'ewf.*' | wc -l)
        [ "$nseg" -gt 1 ] && log "note: ewfacquirestream wrote $nseg segment files"
        measure ewfverify peer image "verify image" "ewfverify" "$IMG_BYTES" "" 0 "" "" \
            "ewfverify -q -d sha256 $(q "$EWF_FIRST")"
    fi
    rm -f "$OUT"/ewf.*
else
    na_row ewfacquire image "acquire image (deflate fast + SHA-256)" "ewfacquirestream" "$IMG_BYTES" "" "ewf-tools not installed"
    na_row ewfverify image "verify image" "ewfverify" "$IMG_BYTES" "" "ewf-tools not installed"
fi

if [ "$HAVE_PIGZ" = 1 ]; then
    measure pigz peer image "compress image" "pigz -1 -p 2" "$IMG_BYTES" "" 0 "$OUT/img.gz" "rm -f $OUTQ/img.gz" \
        "pigz -1 -p 2 -c $IMGQ > $OUTQ/img.gz"
    rm -f "$OUT/img.gz"
else
    na_row pigz image "compress image" "pigz -1 -p 2" "$IMG_BYTES" "" "pigz not installed"
fi
if [ "$HAVE_ZIP" = 1 ]; then
    measure zip peer image "compress image" "zip -1" "$IMG_BYTES" "" 0 "$OUT/img.zip" "rm -f $OUTQ/img.zip" \
        "zip -1 -q $OUTQ/img.zip $IMGQ"
    rm -f "$OUT/img.zip"
else
    na_row zip image "compress image" "zip -1" "$IMG_BYTES" "" "zip not installed"
fi

# Random 4 KiB reads: deterministic offsets (unaligned) + the exact middle.
mapfile -t OFFSETS < <(awk -v n="$CAT_READS" -v max="$((IMG_BYTES - 4096))" -v seed=4242 \
    'BEGIN {srand(seed); print int(max / 2); for (i = 1; i < n; i++) printf "%d\n", int(rand() * max)}')
MID=${OFFSETS[0]}
# shellcheck disable=SC2317  # called indirectly by cat_loop
dd_at() { dd if="$IMG_NAME" bs=4096 count=1 iflag=skip_bytes skip="$1" status=none; }
cat_loop dd_read peer "random 4 KiB read (median per read)" "dd (raw image)" "" \
    "dd if=$IMGQ of=/dev/null bs=4096 count=1 iflag=skip_bytes skip=$MID status=none" dd_at

# ---------------------------------------------------------------- image: dexf
dexf_image_na() {
    local why=$1
    na_row pack_deflate image "pack image (deflate)" "dexf pack" "$IMG_BYTES" "ewfacquire,pigz" "$why"
    na_row pack_store image "pack image (store)" "dexf pack --compression store" "$IMG_BYTES" "openssl" "$why"
    na_row verify_full image "verify image (full)" "dexf verify" "$IMG_BYTES" "ewfverify,sha256sum" "$why"
    na_row verify_quick image "verify image (--quick)" "dexf verify --quick" "$IMG_BYTES" "" "$why"
    na_row cat_read image "random 4 KiB read (median per read)" "dexf cat" 4096 "dd_read" "$why"
    na_row unpack image "unpack image" "dexf unpack" "$IMG_BYTES" "" "$why"
}
dexf_tree_na() {
    local why=$1
    na_row tree_pack tree "pack tree" "dexf pack" "$TREE_BYTES" "tar_pigz" "$why"
    na_row tree_verify tree "verify tree" "dexf verify" "$TREE_BYTES" "find_sha256" "$why"
}

DX=$(q "$DEXF_BIN")
if [ "$DEXF_OK" = 1 ]; then
    measure pack_deflate dexf image "pack image (deflate)" "dexf pack" "$IMG_BYTES" "ewfacquire,pigz" 0 \
        "$OUT/img.dexf" "rm -f $OUTQ/img.dexf" \
        "$DX pack --quiet $SIGN_Q -o $OUTQ/img.dexf $IMGQ"
    measure pack_store dexf image "pack image (store)" "dexf pack --compression store" "$IMG_BYTES" "openssl" 0 \
        "$OUT/img-store.dexf" "rm -f $OUTQ/img-store.dexf" \
        "$DX pack --quiet --compression store $SIGN_Q -o $OUTQ/img-store.dexf $IMGQ"
    rm -f "$OUT/img-store.dexf"
    if [ "$SIGNED" = 0 ]; then
        # Unsigned containers: a plain verify must say "intact, signer not
        # established" (exit 3).
        lf="$LOGDIR/verify_unsigned.log"
        if "$DEXF_BIN" verify "$OUT/img.dexf" > "$lf" 2>&1; then rc=0; else rc=$?; fi
        [ "$rc" = 3 ] || dexf_fail verify_unsigned "$DEXF_BIN verify $OUT/img.dexf" "$rc" "$lf" \
            "plain verify of a fresh unsigned container must exit 3"
    fi
    measure verify_full dexf image "verify image (full)" "dexf verify" "$IMG_BYTES" "ewfverify,sha256sum" 0 "" "" \
        "$DX verify $VERIFY_Q $OUTQ/img.dexf"
    measure verify_quick dexf image "verify image (--quick)" "dexf verify --quick" "$IMG_BYTES" "" 0 "" "" \
        "$DX verify --quick $VERIFY_Q $OUTQ/img.dexf"

    # dexf cat: check correctness on a few offsets against the raw image first.
    CAT_ITEM=${DEXF_ITEM:-$IMG_NAME}
    for off in "${OFFSETS[@]:0:4}"; do
        lf="$LOGDIR/cat_check.log"
        if "$DEXF_BIN" cat "$OUT/img.dexf" "$CAT_ITEM" --offset "$off" --length 4096 > "$OUT/cat.bin" 2> "$lf"; then rc=0; else rc=$?; fi
        [ "$rc" = 0 ] || dexf_fail cat_read "$DEXF_BIN cat $OUT/img.dexf $CAT_ITEM --offset $off --length 4096" "$rc" "$lf" \
            "cat failed (item name assumed '$CAT_ITEM'; override with DEXF_ITEM=...)"
        dd if="$IMG" of="$OUT/raw.bin" bs=4096 count=1 iflag=skip_bytes skip="$off" status=none
        cmp -s "$OUT/cat.bin" "$OUT/raw.bin" || dexf_fail cat_read "$DEXF_BIN cat ... --offset $off --length 4096" 0 "" \
            "cat output differs from the raw image at offset $off"
    done
    rm -f "$OUT/cat.bin" "$OUT/raw.bin"
    # shellcheck disable=SC2317  # called indirectly by cat_loop
    dexf_cat_at() { "$DEXF_BIN" cat "$OUT/img.dexf" "$CAT_ITEM" --offset "$1" --length 4096; }
    cat_loop cat_read dexf "random 4 KiB read (median per read)" "dexf cat" "dd_read" \
        "$DX cat $OUTQ/img.dexf $(q "$CAT_ITEM") --offset $MID --length 4096" \
        dexf_cat_at

    measure unpack dexf image "unpack image" "dexf unpack" "$IMG_BYTES" "" 0 \
        "$OUT/unpack" "rm -rf $OUTQ/unpack && mkdir -p $OUTQ/unpack" \
        "$DX unpack $VERIFY_Q -q $OUTQ/img.dexf -C $OUTQ/unpack"
    # the unpacked image must be byte-identical
    got=$(find "$OUT/unpack" -type f -size "${IMG_BYTES}c" | head -n 1)
    if [ -z "$got" ] || ! cmp -s "$got" "$IMG"; then
        dexf_fail unpack "$DEXF_BIN unpack $OUT/img.dexf -C $OUT/unpack" 0 "" \
            "no file under $OUT/unpack is byte-identical to $IMG"
    fi
    rm -rf "$OUT/unpack"
else
    dexf_image_na "dexf not built"
fi

# ---------------------------------------------------------------- tree
TREEQ=$(q "$TREE_NAME")
if [ "$HAVE_PIGZ" = 1 ]; then
    measure tar_pigz peer tree "archive+compress tree" "tar | pigz -1 -p 2" "$TREE_BYTES" "" 0 \
        "$OUT/t.tgz" "rm -f $OUTQ/t.tgz" \
        "set -o pipefail; tar cf - $TREEQ | pigz -1 -p 2 > $OUTQ/t.tgz"
else
    na_row tar_pigz tree "archive+compress tree" "tar | pigz -1 -p 2" "$TREE_BYTES" "" "pigz not installed"
fi
if [ "$HAVE_ZIP" = 1 ]; then
    measure tree_zip peer tree "archive+compress tree" "zip -1 -r" "$TREE_BYTES" "" 0 \
        "$OUT/t.zip" "rm -f $OUTQ/t.zip" \
        "zip -1 -r -q $OUTQ/t.zip $TREEQ"
else
    na_row tree_zip tree "archive+compress tree" "zip -1 -r" "$TREE_BYTES" "" "zip not installed"
fi
measure find_sha256 peer tree "hash every file (SHA-256)" "find | xargs sha256sum" "$TREE_BYTES" "" 0 "" "" \
    "set -o pipefail; find $TREEQ -type f -print0 | xargs -0 sha256sum > /dev/null"

if [ "$DEXF_OK" = 1 ]; then
    measure tree_pack dexf tree "pack tree" "dexf pack" "$TREE_BYTES" "tar_pigz" 0 \
        "$OUT/t.dexf" "rm -f $OUTQ/t.dexf" \
        "$DX pack --quiet $SIGN_Q -o $OUTQ/t.dexf $TREEQ"
    measure tree_verify dexf tree "verify tree" "dexf verify" "$TREE_BYTES" "find_sha256" 0 "" "" \
        "$DX verify $VERIFY_Q $OUTQ/t.dexf"
    # round trip (untimed): unpacked tree must equal the original
    rm -rf "$OUT/tunpack"; mkdir -p "$OUT/tunpack"
    lf="$LOGDIR/tree_unpack.log"
    if eval "\"\$DEXF_BIN\" unpack $VERIFY_Q -q \"\$OUT/t.dexf\" -C \"\$OUT/tunpack\"" > "$lf" 2>&1; then rc=0; else rc=$?; fi
    [ "$rc" = 0 ] || dexf_fail tree_unpack "$DEXF_BIN unpack $OUT/t.dexf -C $OUT/tunpack" "$rc" "$lf" "unpack of tree failed"
    if [ -d "$OUT/tunpack/$TREE_NAME" ]; then troot=$OUT/tunpack/$TREE_NAME; else troot=$OUT/tunpack; fi
    diff -r -q "$TREE" "$troot" > "$LOGDIR/tree_diff.log" 2>&1 \
        || dexf_fail tree_unpack "diff -r $TREE $troot" 1 "$LOGDIR/tree_diff.log" "unpacked tree differs from the original"
    rm -rf "$OUT/tunpack"
else
    dexf_tree_na "dexf not built"
fi

# ---------------------------------------------------------------- report
fmt_sec() { awk -v s="$1" 'BEGIN {if (s < 0.01) printf "%.5f", s; else if (s < 10) printf "%.3f", s; else printf "%.2f", s}'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN {if (s > 0) printf "%.1f", b / s / 1e6; else print "-"}'; }
mib() { awk -v k="$1" -v d="$2" 'BEGIN {printf "%.1f", k / d}'; }

# ratio string for a dexf row: peer seconds / dexf seconds, >1 = dexf faster
ratio_of() {
    local id=$1 out="" p
    [ -n "${R_VS[$id]}" ] || { printf '%s' "-"; return; }
    IFS=, read -r -a peers <<< "${R_VS[$id]}"
    for p in "${peers[@]}"; do
        local txt
        if [ -n "${R_SEC[$id]}" ] && [ -n "${R_SEC[$p]:-}" ]; then
            txt=$(awk -v a="${R_SEC[$p]}" -v b="${R_SEC[$id]}" 'BEGIN {printf "%.2fx", a / b}')
        else
            txt="n/a"
        fi
        out+="${out:+; }${txt} vs ${R_TOOL[$p]:-$p}"
    done
    printf '%s' "$out"
}

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
[ -n "$cpu_model" ] || cpu_model=$(awk -F': ' '/^(Hardware|cpu model|uarch)/ {print $2; exit}' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
ver() { local v; v=$("$@" 2>&1 | head -n 1) || true; printf '%s' "${v:-unknown}"; }
dexf_ver="not built"
[ "$DEXF_OK" = 1 ] && dexf_ver=$(ver "$DEXF_BIN" --version)

{
    echo "# dexf benchmark results"
    echo
    echo "Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M:%S UTC')."
    echo
    echo "## Machine"
    echo
    echo "- CPU: ${cpu_model:-unknown} ($(nproc) online CPUs)"
    echo "- RAM: $mem_total"
    echo "- Kernel: $(uname -srm)"
    # shellcheck source=/dev/null
    echo "- OS: $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")"
    echo
    echo "## Tools"
    echo
    echo "- dexf: $dexf_ver — $([ "$DEXF_OK" = 1 ] && echo "$DEXF_NOTE" || echo "$DEXF_ARG missing")"
    echo "- sha256sum: $(ver sha256sum --version)"
    [ "$HAVE_OPENSSL" = 1 ] && echo "- openssl: $(ver openssl version)"
    [ "$HAVE_EWF" = 1 ] && echo "- ewf-tools: $(ver ewfacquirestream -V) (format $EWF_FORMAT)"
    [ "$HAVE_PIGZ" = 1 ] && echo "- pigz: $(ver pigz --version)"
    [ "$HAVE_ZIP" = 1 ] && echo "- zip: $(zip -v 2>/dev/null | sed -n 2p | sed 's/^ *//')"
    echo "- tar: $(ver tar --version)"
    echo "- cc (gencorpus): $(ver cc --version)"
    echo
    echo "## Corpus and method"
    echo
    echo "- image: \`$IMG_NAME\`, $SIZE_MIB MiB ($IMG_BYTES bytes), 4 MiB extents of zeros/random/text/log/mixed"
    echo "- tree: \`$TREE_NAME\`, $FILES files, $TREE_BYTES bytes"
    echo "- gencorpus seed $SEED (source sha256 prefix $GEN_SHA)"
    echo "- dexf containers: $SIGN_NOTE"
    echo "- each operation run $REPS times, median wall time reported; inputs in page cache (warmed); \`sync\` before each run"
    echo "- random reads: $CAT_READS reads of 4096 bytes at deterministic pseudo-random offsets, one process per read, median latency"
    echo
    echo "## Results"
    echo
    echo "| Corpus | Operation | Tool | Seconds | MB/s | Peak RSS MiB | Output MiB | Ratio vs peer |"
    echo "|---|---|---|---:|---:|---:|---:|---|"
    for id in "${ROW_IDS[@]}"; do
        if [ -n "${R_SEC[$id]}" ]; then
            sec=$(fmt_sec "${R_SEC[$id]}")
            [ "${R_UNIT[$id]}" = read ] && sec="$sec /read"
            rate=$(mbps "${R_BYTES[$id]}" "${R_SEC[$id]}")
            rss=$(mib "${R_RSS[$id]}" 1024)
            outm=-; [ -n "${R_OUT[$id]}" ] && outm=$(mib "${R_OUT[$id]}" 1048576)
            ratio=$(ratio_of "$id")
            ratio=${ratio//|/\\|}
        else
            sec=${R_STATUS[$id]}; rate=-; rss=-; outm=-; ratio=-
        fi
        echo "| ${R_GROUP[$id]} | ${R_OP[$id]} | ${R_TOOL[$id]//|/\\|} | $sec | $rate | $rss | $outm | $ratio |"
    done
    echo
    echo "MB/s = input bytes (10^6) / median wall seconds; for image rows the input is the raw image size (also for verify/unpack), for tree rows the sum of file sizes."
    echo "Ratio = peer seconds / dexf seconds (above 1 means dexf is faster)."
    echo "Peak RSS: maximum over the runs of GNU time's %M; for pipelines it is the largest single process, not the sum."
    echo "Wall seconds are measured by the harness around \`/usr/bin/time -f '%e %M'\` with microsecond resolution (raw per-run values incl. %e: \`raw.tsv\`)."
} > "$RESULTS"

# Console table
echo
printf '%-40s %-30s %12s %9s %9s %9s  %s\n' "Operation" "Tool" "Seconds" "MB/s" "RSS MiB" "Out MiB" "Ratio vs peer (peer s / dexf s)"
printf '%s\n' "$(printf '%.0s-' {1..150})"
for id in "${ROW_IDS[@]}"; do
    if [ -n "${R_SEC[$id]}" ]; then
        sec=$(fmt_sec "${R_SEC[$id]}")
        [ "${R_UNIT[$id]}" = read ] && sec="$sec/rd"
        outm=-; [ -n "${R_OUT[$id]}" ] && outm=$(mib "${R_OUT[$id]}" 1048576)
        printf '%-40s %-30s %12s %9s %9s %9s  %s\n' "${R_OP[$id]}" "${R_TOOL[$id]}" "$sec" \
            "$(mbps "${R_BYTES[$id]}" "${R_SEC[$id]}")" "$(mib "${R_RSS[$id]}" 1024)" "$outm" "$(ratio_of "$id")"
    else
        printf '%-40s %-30s %12s\n' "${R_OP[$id]}" "${R_TOOL[$id]}" "${R_STATUS[$id]}"
    fi
done
echo
echo "Results (markdown, with machine info): $RESULTS"
echo "Raw per-run numbers: $RAW   Logs: $LOGDIR"

if [ "$DEXF_OK" != 1 ]; then
    echo "dexf not built ($DEXF_ARG missing; set DEXF=/path/to/dexf or run make)" >&2
    exit 3
fi
if [ "$PEER_FAILED" = 1 ]; then
    echo "[bench] some peer tools failed (see FAILED rows)" >&2
    exit 2
fi
exit 0

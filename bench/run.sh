#!/usr/bin/env bash
# dexf benchmark harness: times dexf side by side with peer tools in ONE run.
#
#   bench/run.sh [--size-mib N] [--files N] [--workdir DIR] [--quick]
#                [--reps N] [--cat-reads N] [--seed N] [--tmpfs DIR]
#                [--big | --no-big] [--big-gib N]
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
TMPFS_ROOT=/dev/shm
BIG=
BIG_GIB=

usage() {
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

need_arg() {
    if [ $# -lt 2 ] || [ -z "$2" ]; then echo "run.sh: $1 needs a value" >&2; exit 2; fi
}
is_uint() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ]; }

ARGS_Q=${*@Q}
while [ $# -gt 0 ]; do
    case $1 in
        --size-mib) need_arg "$@"; SIZE_MIB=$2; shift 2 ;;
        --files) need_arg "$@"; FILES=$2; shift 2 ;;
        --workdir) need_arg "$@"; WORKDIR=$2; shift 2 ;;
        --reps) need_arg "$@"; REPS=$2; shift 2 ;;
        --cat-reads) need_arg "$@"; CAT_READS=$2; shift 2 ;;
        --seed) need_arg "$@"; SEED=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --tmpfs) need_arg "$@"; TMPFS_ROOT=$2; shift 2 ;;
        --big) BIG=1; shift ;;
        --no-big) BIG=0; shift ;;
        --big-gib) need_arg "$@"; BIG_GIB=$2; : "${BIG:=1}"; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage 2 ;;
    esac
done
if [ "$QUICK" = 1 ]; then
    : "${SIZE_MIB:=256}" "${FILES:=2000}" "${CAT_READS:=50}" "${BIG:=0}"
else
    : "${SIZE_MIB:=2048}" "${FILES:=20000}" "${CAT_READS:=200}" "${BIG:=1}"
fi
: "${BIG_GIB:=20}"
for v in SIZE_MIB FILES REPS CAT_READS BIG_GIB; do
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
            # the library built with this binary: next to it first, then
            # anywhere in this checkout
            libdirs=$(find "$d" -maxdepth 3 -path '*/.libs/libdexf.so*' -printf '%h\n' 2>/dev/null | sort -u | paste -sd: -)
            [ -n "$libdirs" ] || libdirs=$(find "$REPO" -path '*/.libs/libdexf.so*' -printf '%h\n' 2>/dev/null | sort -u | paste -sd: -)
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
    VERIFY_A=(--trust "$CA")
    SIGN_NOTE="signed (key $KEY, cert $CERT); verify --trust $CA, expecting exit 0"
else
    SIGNED=0
    SIGN_Q="--no-sign"
    VERIFY_Q="--integrity-only"
    VERIFY_A=(--integrity-only)
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

# Outputs that must not outlive the run (tmpfs containers, the big ones).
TMPFS_DIR=
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [ -n "$TMPFS_DIR" ] && [ -d "$TMPFS_DIR" ]; then rm -rf "$TMPFS_DIR"; fi
    rm -rf "$OUT/big.dexf" "$OUT/bigunpack"
}
trap cleanup EXIT

# ---------------------------------------------------------------- tmpfs
# A tmpfs output directory for the rows that compare dexf's CPU pipeline
# with tools that only read (openssl dgst): room for a store container of
# the image (image + 1/16 + 256 MiB), and enough free memory to hold it
# while the image stays in the page cache.
TMPFS_WHY=
tmpfs_setup() {
    local fstype need avail memavail
    if [ ! -d "$TMPFS_ROOT" ]; then TMPFS_WHY="$TMPFS_ROOT does not exist"; return; fi
    fstype=$(stat -f -c %T "$TMPFS_ROOT" 2>/dev/null || echo unknown)
    if [ "$fstype" != tmpfs ] && [ "$fstype" != ramfs ]; then
        TMPFS_WHY="$TMPFS_ROOT is $fstype, not tmpfs"; return
    fi
    need=$(( (IMG_BYTES + IMG_BYTES / 16) / 1024 + 256 * 1024 ))
    avail=$(df -Pk "$TMPFS_ROOT" | awk 'NR==2 {print $4}')
    if [ "$avail" -lt "$need" ]; then
        TMPFS_WHY="$TMPFS_ROOT has $((avail / 1024)) MiB free, needs $((need / 1024)) MiB (store container of the image + margin)"
        return
    fi
    memavail=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
    if [ "$memavail" -lt $((need + IMG_BYTES / 1024)) ]; then
        TMPFS_WHY="MemAvailable $((memavail / 1024)) MiB < $(( (need + IMG_BYTES / 1024) / 1024 )) MiB (container in tmpfs + image in page cache)"
        return
    fi
    TMPFS_DIR=$(mktemp -d "$TMPFS_ROOT/dexf-bench.XXXXXX") || { TMPFS_DIR=; TMPFS_WHY="cannot create a directory in $TMPFS_ROOT"; }
}
tmpfs_setup
if [ -n "$TMPFS_DIR" ]; then log "tmpfs outputs in $TMPFS_DIR"; else log "no tmpfs outputs: $TMPFS_WHY"; fi

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

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "warming page cache"
cat "$IMG" > /dev/null
find "$TREE" -type f -print0 | xargs -0 cat > /dev/null

cd "$CORPUS"

# ---------------------------------------------------------------- measurement
# Rows of the result table, in order.
ROW_IDS=()
declare -A R_GROUP R_OP R_TOOL R_SEC R_RSS R_BYTES R_OUT R_VS R_STATUS R_UNIT R_P90
PEER_FAILED=0

add_row() { # id group op tool bytes vs
    ROW_IDS+=("$1")
    R_GROUP[$1]=$2; R_OP[$1]=$3; R_TOOL[$1]=$4; R_BYTES[$1]=$5; R_VS[$1]=$6
    R_SEC[$1]=; R_RSS[$1]=; R_OUT[$1]=; R_STATUS[$1]=ok; R_UNIT[$1]=run; R_P90[$1]=
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
#   MEASURE_REPS (environment): runs instead of --reps (the big rows run once)
measure() {
    local id=$1 kind=$2 group=$3 op=$4 tool=$5 bytes=$6 vs=$7 expect=$8 outpath=$9 prep=${10} cmd=${11}
    local reps=${MEASURE_REPS:-$REPS}
    add_row "$id" "$group" "$op" "$tool" "$bytes" "$vs"
    log "timing $tool: $op ($reps reps)"
    local i rc t0 t1 tf="$LOGDIR/$id.time" lf walls=() rsss=() line
    # make sure inputs are hot before the first rep (cheap if already cached)
    if [ "$group" = image ]; then cat "$IMG" > /dev/null; fi
    for ((i = 1; i <= reps; i++)); do
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

# Per-read latency loop: cat_loop ID KIND GROUP OP TOOL VS RSS_CMD READ_FN OFFSETS_VAR
# READ_FN OFFSET is called once per offset in the array named OFFSETS_VAR
# (one process per read, stdout to /dev/null); RSS_CMD (a string) is run
# once under /usr/bin/time. Reports the median and the 90th percentile.
OFFSETS=()
cat_loop() {
    local id=$1 kind=$2 group=$3 op=$4 tool=$5 vs=$6 rsscmd=$7 fn=$8
    local -n offs=$9
    add_row "$id" "$group" "$op" "$tool" 4096 "$vs"
    R_UNIT[$id]="read"
    log "timing $tool: $op (${#offs[@]} reads)"
    local tf="$LOGDIR/$id.time" lf="$LOGDIR/$id.log" rc off t0 t1 lat=()
    if /usr/bin/time -f '%e %M' -o "$tf" bash -c "$rsscmd" < /dev/null > /dev/null 2> "$lf"; then rc=0; else rc=$?; fi
    if [ "$rc" != 0 ]; then
        [ "$kind" = dexf ] && dexf_fail "$id" "$rsscmd" "$rc" "$lf" "random read failed"
        R_STATUS[$id]="FAILED (exit $rc)"; PEER_FAILED=1; return 0
    fi
    R_RSS[$id]=$(tail -n 1 "$tf" | awk '{print $2}')
    for off in "${offs[@]}"; do
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
    R_P90[$id]=$(printf '%s\n' "${lat[@]}" | sort -n \
        | awk '{a[NR] = $1} END {i = int(NR * 0.9); if (i < NR * 0.9) i++; if (i < 1) i = 1; printf "%.6f", a[i] / 1e6}')
}

# lat_read_row: row lib_read, random 4 KiB reads of the deflate image
# container through dexf_reader_read() in one process (bench/readlat.c,
# built against the libdexf next to $DEXF_BIN); the open is timed apart.
lat_read_row() {
    local id=lib_read lf="$LOGDIR/lib_read.log" d inc lib
    add_row "$id" image "random 4 KiB read through libdexf, one process (median per read; open timed apart)" \
        "dexf_reader_read()" 4096 "dd_read"
    R_UNIT[$id]="read"
    d=$(dirname "$DEXF_BIN")
    lib=$(find "$d" "$d/.." -maxdepth 2 -name 'libdexf.so' -printf '%h\n' 2>/dev/null | head -n 1)
    inc=$(find "$d" "$d/.." -maxdepth 3 -path '*/include/dexf/version.h' -printf '%h\n' 2>/dev/null | head -n 1)
    if [ -z "$lib" ] || [ -z "$inc" ] || ! cc -O2 -I"$REPO/include" -I"$inc/.." -o "$WORKDIR/readlat" \
        "$SCRIPT_DIR/readlat.c" -L"$lib" -ldexf > "$lf" 2>&1; then
        R_STATUS[$id]="n/a: cannot build bench/readlat.c against the libdexf of $DEXF_BIN"
        return 0
    fi
    log "timing dexf_reader_read(): ${#OFFSETS[@]} random 4 KiB reads in one process"
    if ! LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" /usr/bin/time -f '%e %M' -o "$LOGDIR/lib_read.time" \
        "$WORKDIR/readlat" "$OUT/img.dexf" "$CAT_ITEM" "$CAT_READS" 4096 "$SEED" > "$LOGDIR/lib_read.out" 2>> "$lf"; then
        dexf_fail "$id" "readlat $OUT/img.dexf $CAT_ITEM $CAT_READS 4096 $SEED" 1 "$lf" "library range read failed"
    fi
    R_RSS[$id]=$(tail -n 1 "$LOGDIR/lib_read.time" | awk '{print $2}')
    LIB_OPEN_MS=$(awk '$1 == "open" {print $2}' "$LOGDIR/lib_read.out")
    printf '%s\tlatency_ms\t%s\n' "$id" "$(awk '$1 == "read" {printf "%s ", $3}' "$LOGDIR/lib_read.out")" >> "$RAW"
    R_SEC[$id]=$(awk '$1 == "read" {print $3 / 1000}' "$LOGDIR/lib_read.out" | median)
    R_P90[$id]=$(awk '$1 == "read" {print $3 / 1000}' "$LOGDIR/lib_read.out" | sort -g \
        | awk '{a[NR] = $1} END {i = int(NR * 0.9); if (i < NR * 0.9) i++; if (i < 1) i = 1; printf "%.6f", a[i]}')
}
LIB_OPEN_MS=

# ---------------------------------------------------------------- image: peers
IMGQ=$(q "$IMG_NAME")
OUTQ=$(q "$OUT")
# Untimed, before each run of a row: its input read once, so that it is in
# the page cache (this VM drops files idle for a minute).
WARM_IMG="cat $OUTQ/img.dexf > /dev/null"
WARM_EWF="cat $OUTQ/ewf.* > /dev/null"

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
        measure ewfverify peer image "verify image" "ewfverify" "$IMG_BYTES" "" 0 "" "$WARM_EWF" \
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
cat_loop dd_read peer image "random 4 KiB read (median per read)" "dd (raw image)" "" \
    "dd if=$IMGQ of=/dev/null bs=4096 count=1 iflag=skip_bytes skip=$MID status=none" dd_at OFFSETS

# ---------------------------------------------------------------- image: dexf
# Threads 1 vs 2. The default (--threads 0) is every online CPU: with exactly
# two, the default pack and verify rows are the 2-thread rows (not run twice);
# otherwise --threads 2 rows are added. All write to the work dir, like the
# default pack row.
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
if [ "$NCPU" = 2 ]; then
    J2_PACK=pack_deflate; J2_VERIFY=verify_full; J2_LBL=", default = --threads 2 here"
else
    J2_PACK=pack_j2; J2_VERIFY=verify_j2; J2_LBL=
fi

dexf_image_na() {
    local why=$1
    na_row pack_deflate image "pack image (deflate) → disk incl. fsync$J2_LBL" "dexf pack" "$IMG_BYTES" "ewfacquire,pigz" "$why"
    na_row pack_j1 image "pack image (deflate) → disk incl. fsync, --threads 1" "dexf pack -j 1" "$IMG_BYTES" "" "$why"
    na_row pack_store image "pack image (store) → disk incl. fsync" "dexf pack --compression store" "$IMG_BYTES" "openssl" "$why"
    na_row pack_store_tmpfs image "pack image (store) → tmpfs" "dexf pack --compression store" "$IMG_BYTES" "openssl" "$why"
    na_row verify_full image "verify image (full)$J2_LBL" "dexf verify" "$IMG_BYTES" "ewfverify,sha256sum,openssl" "$why"
    na_row verify_j1 image "verify image (full), --threads 1" "dexf verify -j 1" "$IMG_BYTES" "" "$why"
    na_row verify_quick image "verify image (--quick)" "dexf verify --quick" "$IMG_BYTES" "" "$why"
    na_row verify_range image "verify a 4 KiB range (--range, median per run)" "dexf verify --range" 4096 "" "$why"
    na_row prove image "prove a 4 KiB range (-o PROOF)" "dexf prove" 4096 "" "$why"
    na_row verify_proof image "verify that proof" "dexf verify-proof" 4096 "" "$why"
    na_row cat_read image "random 4 KiB read, deflate container (median per read)" "dexf cat" 4096 "dd_read" "$why"
    na_row lib_read image "random 4 KiB read through libdexf, one process (median per read; open timed apart)" "dexf_reader_read()" 4096 "dd_read" "$why"
    na_row start_floor image "process start: dexf --version (median per run)" "dexf --version" 4096 "" "$why"
    na_row unpack image "unpack image" "dexf unpack" "$IMG_BYTES" "" "$why"
}
dexf_tree_na() {
    local why=$1
    na_row tree_pack tree "pack tree" "dexf pack" "$TREE_BYTES" "tar_pigz" "$why"
    na_row tree_verify tree "verify tree" "dexf verify" "$TREE_BYTES" "find_sha256" "$why"
}

# cat_check CONTAINER ITEM OFFSET RAWCMD: `dexf cat` of 4 KiB at OFFSET must
# equal the 4 KiB RAWCMD writes to stdout (the reference bytes).
cat_check() {
    local c=$1 item=$2 off=$3 raw=$4 lf="$LOGDIR/cat_check.log" rc
    if "$DEXF_BIN" cat "$c" "$item" --offset "$off" --length 4096 > "$OUT/cat.bin" 2> "$lf"; then rc=0; else rc=$?; fi
    [ "$rc" = 0 ] || dexf_fail cat_check "$DEXF_BIN cat $c $item --offset $off --length 4096" "$rc" "$lf" \
        "cat failed (item name assumed '$item'; override with DEXF_ITEM=...)"
    bash -c "$raw" > "$OUT/raw.bin" || die "reference bytes for offset $off: '$raw' failed"
    [ "$(stat -c %s "$OUT/raw.bin")" = 4096 ] || die "reference bytes for offset $off: got $(stat -c %s "$OUT/raw.bin") bytes from '$raw'"
    cmp -s "$OUT/cat.bin" "$OUT/raw.bin" || dexf_fail cat_check "$DEXF_BIN cat $c $item --offset $off --length 4096" 0 "" \
        "cat output differs from the reference bytes at offset $off ($raw)"
    rm -f "$OUT/cat.bin" "$OUT/raw.bin"
}

DX=$(q "$DEXF_BIN")
if [ "$DEXF_OK" = 1 ]; then
    measure pack_deflate dexf image "pack image (deflate) → disk incl. fsync$J2_LBL" "dexf pack" "$IMG_BYTES" \
        "ewfacquire,pigz$([ "$J2_PACK" = pack_deflate ] && echo ,pack_j1)" 0 \
        "$OUT/img.dexf" "rm -f $OUTQ/img.dexf" \
        "$DX pack --quiet $SIGN_Q -o $OUTQ/img.dexf $IMGQ"
    measure pack_j1 dexf image "pack image (deflate) → disk incl. fsync, --threads 1" "dexf pack -j 1" "$IMG_BYTES" "" 0 \
        "$OUT/img-j.dexf" "rm -f $OUTQ/img-j.dexf" \
        "$DX pack --quiet --threads 1 $SIGN_Q -o $OUTQ/img-j.dexf $IMGQ"
    if [ "$J2_PACK" = pack_j2 ]; then
        measure pack_j2 dexf image "pack image (deflate) → disk incl. fsync, --threads 2" "dexf pack -j 2" "$IMG_BYTES" "pack_j1,ewfacquire" 0 \
            "$OUT/img-j.dexf" "rm -f $OUTQ/img-j.dexf" \
            "$DX pack --quiet --threads 2 $SIGN_Q -o $OUTQ/img-j.dexf $IMGQ"
    fi
    rm -f "$OUT/img-j.dexf"
    measure pack_store dexf image "pack image (store) → disk incl. fsync" "dexf pack --compression store" "$IMG_BYTES" "openssl" 0 \
        "$OUT/img-store.dexf" "rm -f $OUTQ/img-store.dexf" \
        "$DX pack --quiet --compression store $SIGN_Q -o $OUTQ/img-store.dexf $IMGQ"
    rm -f "$OUT/img-store.dexf"
    if [ -n "$TMPFS_DIR" ]; then
        # The floor of any tmpfs row: only copying the image into fresh
        # tmpfs pages, no hashing (on a VM whose host backs guest memory
        # lazily, fresh pages can cost more than the copy itself).
        measure dd_tmpfs peer image "copy image → tmpfs, no hashing (floor of the tmpfs row)" "dd bs=1M" "$IMG_BYTES" "" 0 \
            "$TMPFS_DIR/img.copy" "rm -f $(q "$TMPFS_DIR")/img.copy" \
            "dd if=$IMGQ of=$(q "$TMPFS_DIR")/img.copy bs=1M status=none"
        rm -f "$TMPFS_DIR/img.copy"
        measure pack_store_tmpfs dexf image "pack image (store) → tmpfs" "dexf pack --compression store" "$IMG_BYTES" "openssl" 0 \
            "$TMPFS_DIR/img-store.dexf" "rm -f $(q "$TMPFS_DIR")/img-store.dexf" \
            "$DX pack --quiet --compression store $SIGN_Q -o $(q "$TMPFS_DIR")/img-store.dexf $IMGQ"
        rm -f "$TMPFS_DIR/img-store.dexf"
    else
        na_row pack_store_tmpfs image "pack image (store) → tmpfs" "dexf pack --compression store" "$IMG_BYTES" "openssl" "$TMPFS_WHY"
    fi
    if [ "$SIGNED" = 0 ]; then
        # Unsigned containers: a plain verify must say "intact, signer not
        # established" (exit 3).
        lf="$LOGDIR/verify_unsigned.log"
        if "$DEXF_BIN" verify "$OUT/img.dexf" > "$lf" 2>&1; then rc=0; else rc=$?; fi
        [ "$rc" = 3 ] || dexf_fail verify_unsigned "$DEXF_BIN verify $OUT/img.dexf" "$rc" "$lf" \
            "plain verify of a fresh unsigned container must exit 3"
    fi
    measure verify_full dexf image "verify image (full)$J2_LBL" "dexf verify" "$IMG_BYTES" \
        "ewfverify,sha256sum,openssl$([ "$J2_VERIFY" = verify_full ] && echo ,verify_j1)" 0 "" "$WARM_IMG" \
        "$DX verify $VERIFY_Q $OUTQ/img.dexf"
    measure verify_j1 dexf image "verify image (full), --threads 1" "dexf verify -j 1" "$IMG_BYTES" "" 0 "" "$WARM_IMG" \
        "$DX verify --threads 1 $VERIFY_Q $OUTQ/img.dexf"
    if [ "$J2_VERIFY" = verify_j2 ]; then
        measure verify_j2 dexf image "verify image (full), --threads 2" "dexf verify -j 2" "$IMG_BYTES" "verify_j1" 0 "" "$WARM_IMG" \
            "$DX verify --threads 2 $VERIFY_Q $OUTQ/img.dexf"
    fi
    measure verify_quick dexf image "verify image (--quick)" "dexf verify --quick" "$IMG_BYTES" "" 0 "" "$WARM_IMG" \
        "$DX verify --quick $VERIFY_Q $OUTQ/img.dexf"

    # dexf cat: check correctness against the raw image first: random
    # offsets, the first and the last 4 KiB, and a read across the first
    # chunk boundary (1 MiB, the default chunk size).
    CAT_ITEM=${DEXF_ITEM:-$IMG_NAME}
    for off in "${OFFSETS[@]:0:4}" 0 $((IMG_BYTES - 4096)) $((1048576 - 2048)); do
        cat_check "$OUT/img.dexf" "$CAT_ITEM" "$off" \
            "dd if=$IMGQ bs=4096 count=1 iflag=skip_bytes skip=$off status=none"
    done

    # Range verify and proofs (newer commands: N/A when this build lacks them).
    RANGE_WHY=
    if ! vhelp=$("$DEXF_BIN" verify --help 2>&1); then
        RANGE_WHY="'dexf verify --help' failed"
    elif ! grep -q -- '--range' <<< "$vhelp"; then
        RANGE_WHY="'dexf verify --help' does not mention --range (not in this build)"
    fi
    PROVE_WHY=
    if phelp=$("$DEXF_BIN" prove --help 2>&1); then rc=0; else rc=$?; fi
    if [ "$rc" != 0 ]; then
        PROVE_WHY="'dexf prove --help' failed (exit $rc: $(head -n 1 <<< "$phelp"))"
    else
        if vphelp=$("$DEXF_BIN" verify-proof --help 2>&1); then rc=0; else rc=$?; fi
        [ "$rc" = 0 ] || PROVE_WHY="'dexf verify-proof --help' failed (exit $rc: $(head -n 1 <<< "$vphelp"))"
    fi
    RANGE_READS=("${OFFSETS[@]:0:$((CAT_READS < 50 ? CAT_READS : 50))}")
    if [ -z "$RANGE_WHY" ]; then
        # shellcheck disable=SC2317  # called indirectly by cat_loop
        dexf_vrange_at() { "$DEXF_BIN" verify "${VERIFY_A[@]}" "$OUT/img.dexf" --item "$CAT_ITEM" --range "$1:4096"; }
        cat_loop verify_range dexf image "verify a 4 KiB range (--range, median per run)" "dexf verify --range" "" \
            "$DX verify $VERIFY_Q $OUTQ/img.dexf --item $(q "$CAT_ITEM") --range $MID:4096" \
            dexf_vrange_at RANGE_READS
    else
        na_row verify_range image "verify a 4 KiB range (--range, median per run)" "dexf verify --range" 4096 "" "$RANGE_WHY"
    fi
    if [ -z "$PROVE_WHY" ]; then
        # verify-proof's trust option, as its help spells it; without one, a
        # signed proof can only be "intact, signer not established" (3).
        VP_Q=; VP_EXPECT="0 3"
        if [ "$SIGNED" = 1 ]; then
            if grep -q -- '--trust' <<< "$vphelp"; then VP_Q="--trust $(q "$CA")"; VP_EXPECT=0
            elif grep -q -- '--ca' <<< "$vphelp"; then VP_Q="--ca $(q "$CA")"; VP_EXPECT=0
            fi
        elif grep -q -- '--integrity-only' <<< "$vphelp"; then
            VP_Q="--integrity-only"; VP_EXPECT=0
        fi
        PROOF=$OUT/range.proof
        measure prove dexf image "prove a 4 KiB range (-o PROOF)" "dexf prove" 4096 "" 0 \
            "$PROOF" "rm -f $(q "$PROOF")" \
            "$DX prove $OUTQ/img.dexf --item $(q "$CAT_ITEM") --range $MID:4096 -o $(q "$PROOF")"
        measure verify_proof dexf image "verify that proof" "dexf verify-proof" 4096 "" "$VP_EXPECT" "" "" \
            "$DX verify-proof $VP_Q $(q "$PROOF")"
        # A proof with one byte changed (the middle one) must not be accepted.
        psz=$(stat -c %s "$PROOF")
        cp "$PROOF" "$OUT/bad.proof"
        b=$(od -An -tu1 -j $((psz / 2)) -N1 "$PROOF" | tr -d ' ')
        printf '%b' "\\x$(printf '%02x' $((b ^ 1)))" | dd of="$OUT/bad.proof" bs=1 seek=$((psz / 2)) conv=notrunc status=none
        lf="$LOGDIR/verify_proof_tampered.log"
        # shellcheck disable=SC2086  # VP_Q is a pre-quoted option string
        if eval "\"\$DEXF_BIN\" verify-proof $VP_Q \"\$OUT/bad.proof\"" > "$lf" 2>&1; then rc=0; else rc=$?; fi
        if [[ " $VP_EXPECT " == *" $rc "* ]]; then
            dexf_fail verify_proof "$DEXF_BIN verify-proof $VP_Q $OUT/bad.proof" "$rc" "$lf" \
                "a proof with byte $((psz / 2)) of $psz changed was accepted"
        fi
        rm -f "$OUT/bad.proof"
    else
        na_row prove image "prove a 4 KiB range (-o PROOF)" "dexf prove" 4096 "" "$PROVE_WHY"
        na_row verify_proof image "verify that proof" "dexf verify-proof" 4096 "" "$PROVE_WHY"
    fi

    # shellcheck disable=SC2317  # called indirectly by cat_loop
    dexf_cat_at() { "$DEXF_BIN" cat "$OUT/img.dexf" "$CAT_ITEM" --offset "$1" --length 4096; }
    cat_loop cat_read dexf image "random 4 KiB read, deflate container (median per read)" "dexf cat" "dd_read" \
        "$DX cat $OUTQ/img.dexf $(q "$CAT_ITEM") --offset $MID --length 4096" \
        dexf_cat_at OFFSETS

    # The same reads through libdexf in one process (bench/readlat.c): the
    # library's range read without process start and container open.
    lat_read_row
    # what any dexf process costs before it reads a byte (dynamic loading
    # of OpenSSL, libxml2 + ICU, libarchive): the floor under `dexf cat`
    # shellcheck disable=SC2317  # called indirectly by cat_loop
    dexf_version() { "$DEXF_BIN" --version; }
    cat_loop start_floor dexf image "process start: dexf --version (median per run)" "dexf --version" "" \
        "$DX --version" dexf_version OFFSETS

    measure unpack dexf image "unpack image" "dexf unpack" "$IMG_BYTES" "" 0 \
        "$OUT/unpack" "rm -rf $OUTQ/unpack && mkdir -p $OUTQ/unpack && $WARM_IMG" \
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
WARM_TREE="find $TREEQ -type f -exec cat {} + > /dev/null"
if [ "$HAVE_PIGZ" = 1 ]; then
    measure tar_pigz peer tree "archive+compress tree" "tar | pigz -1 -p 2" "$TREE_BYTES" "" 0 \
        "$OUT/t.tgz" "rm -f $OUTQ/t.tgz && $WARM_TREE" \
        "set -o pipefail; tar cf - $TREEQ | pigz -1 -p 2 > $OUTQ/t.tgz"
else
    na_row tar_pigz tree "archive+compress tree" "tar | pigz -1 -p 2" "$TREE_BYTES" "" "pigz not installed"
fi
if [ "$HAVE_ZIP" = 1 ]; then
    measure tree_zip peer tree "archive+compress tree" "zip -1 -r" "$TREE_BYTES" "" 0 \
        "$OUT/t.zip" "rm -f $OUTQ/t.zip && $WARM_TREE" \
        "zip -1 -r -q $OUTQ/t.zip $TREEQ"
else
    na_row tree_zip tree "archive+compress tree" "zip -1 -r" "$TREE_BYTES" "" "zip not installed"
fi
measure find_sha256 peer tree "hash every file (SHA-256)" "find | xargs sha256sum" "$TREE_BYTES" "" 0 "" "$WARM_TREE" \
    "set -o pipefail; find $TREEQ -type f -print0 | xargs -0 sha256sum > /dev/null"

if [ "$DEXF_OK" = 1 ]; then
    measure tree_pack dexf tree "pack tree" "dexf pack" "$TREE_BYTES" "tar_pigz" 0 \
        "$OUT/t.dexf" "rm -f $OUTQ/t.dexf && $WARM_TREE" \
        "$DX pack --quiet $SIGN_Q -o $OUTQ/t.dexf $TREEQ"
    measure tree_verify dexf tree "verify tree" "dexf verify" "$TREE_BYTES" "find_sha256" 0 "" \
        "cat $OUTQ/t.dexf > /dev/null" \
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

# ---------------------------------------------------------------- big
# Memory at BIG_GIB GiB: the input is the same generator's image streamed
# into `dexf pack -` (its first SIZE_MIB MiB are the corpus image), so no
# raw copy is kept on disk. One run each; time includes generating the
# stream (gencorpus, ~3 s of CPU per GiB on the same cores).
BIG_MIB=$((BIG_GIB * 1024))
BIG_BYTES=$((BIG_MIB * 1024 * 1024))
BIG_ITEM=image-${BIG_GIB}GiB.raw
BIG_WHY=
BIG_LBL="${BIG_GIB} GiB"
big_na() {
    local why=$1
    na_row big_pack big "pack $BIG_LBL stream (deflate) → disk incl. fsync" "dexf pack -" "$BIG_BYTES" "" "$why"
    na_row big_verify big "verify $BIG_LBL container (full)" "dexf verify" "$BIG_BYTES" "" "$why"
    na_row big_quick big "verify $BIG_LBL container (--quick)" "dexf verify --quick" "$BIG_BYTES" "" "$why"
    na_row big_cat big "random 4 KiB read, $BIG_LBL container (median per read)" "dexf cat" 4096 "" "$why"
    na_row big_catall big "cat whole $BIG_LBL item → /dev/null" "dexf cat" "$BIG_BYTES" "" "$why"
    na_row big_unpack big "unpack $BIG_LBL container" "dexf unpack" "$BIG_BYTES" "" "$why"
}
if [ "$BIG" != 1 ]; then
    BIG_WHY="not run (--big is off"
    if [ "$QUICK" = 1 ]; then BIG_WHY+=" with --quick"; fi
    BIG_WHY+="; run with --big)"
    log "skip big section: $BIG_WHY"
elif [ "$DEXF_OK" != 1 ]; then
    BIG_WHY="dexf not built"
    big_na "$BIG_WHY"
else
    # worst case the container is as large as the input (all incompressible)
    need_kib=$((BIG_BYTES / 1024 + 2 * 1024 * 1024))
    avail_kib=$(df -Pk "$OUT" | awk 'NR==2 {print $4}')
    if [ "$avail_kib" -lt "$need_kib" ]; then
        BIG_WHY="not enough free space in $OUT for the $BIG_LBL container: need $((need_kib / 1024)) MiB, have $((avail_kib / 1024)) MiB"
        big_na "$BIG_WHY"
    else
        GENQ=$(q "$GEN")
        BIGQ=$(q "$OUT/big.dexf")
        MEASURE_REPS=1 measure big_pack dexf big "pack $BIG_LBL stream (deflate) → disk incl. fsync" "dexf pack -" "$BIG_BYTES" "" 0 \
            "$OUT/big.dexf" "rm -f $BIGQ" \
            "set -o pipefail; $GENQ -s $SEED image /dev/fd/3 $BIG_MIB 3>&1 > /dev/null | $DX pack --quiet $SIGN_Q --name $(q "$BIG_ITEM") -o $BIGQ -"
        MEASURE_REPS=1 measure big_verify dexf big "verify $BIG_LBL container (full)" "dexf verify" "$BIG_BYTES" "" 0 "" "" \
            "$DX verify $VERIFY_Q $BIGQ"
        MEASURE_REPS=$REPS measure big_quick dexf big "verify $BIG_LBL container (--quick)" "dexf verify --quick" "$BIG_BYTES" "" 0 "" "" \
            "$DX verify --quick $VERIFY_Q $BIGQ"
        # Reads must return the generator's bytes: the start, across the 2
        # and 4 GiB marks (32-bit offsets), across a chunk boundary, the end.
        BIG_CHECK=()
        for off in 0 $((2147483648 - 2048)) $((4294967296 - 2048)) $((BIG_BYTES / 2 + 1048576 - 2048)) \
            $((BIG_BYTES - 4096 - 12345)) $((BIG_BYTES - 4096)); do
            if [ "$off" -ge 0 ] && [ $((off + 4096)) -le "$BIG_BYTES" ]; then BIG_CHECK+=("$off"); fi
        done
        for off in "${BIG_CHECK[@]}"; do
            cat_check "$OUT/big.dexf" "$BIG_ITEM" "$off" "$GENQ -s $SEED slice - $BIG_MIB $off 4096"
        done
        mapfile -t BIG_OFFSETS < <(awk -v n=20 -v max="$((BIG_BYTES - 4096))" -v seed=4343 \
            'BEGIN {srand(seed); for (i = 0; i < n; i++) printf "%d\n", int(rand() * max)}')
        # shellcheck disable=SC2317  # called indirectly by cat_loop
        dexf_bigcat_at() { "$DEXF_BIN" cat "$OUT/big.dexf" "$BIG_ITEM" --offset "$1" --length 4096; }
        cat_loop big_cat dexf big "random 4 KiB read, $BIG_LBL container (median per read)" "dexf cat" "" \
            "$DX cat $BIGQ $(q "$BIG_ITEM") --offset ${BIG_OFFSETS[0]} --length 4096" \
            dexf_bigcat_at BIG_OFFSETS
        MEASURE_REPS=1 measure big_catall dexf big "cat whole $BIG_LBL item → /dev/null" "dexf cat" "$BIG_BYTES" "" 0 "" "" \
            "$DX cat $BIGQ $(q "$BIG_ITEM") > /dev/null"
        # unpack writes BIG_GIB GiB (and fsyncs it): only with room to spare
        avail_kib=$(df -Pk "$OUT" | awk 'NR==2 {print $4}')
        need_kib=$((BIG_BYTES / 1024 + 2 * 1024 * 1024))
        if [ "$avail_kib" -lt "$need_kib" ]; then
            na_row big_unpack big "unpack $BIG_LBL container" "dexf unpack" "$BIG_BYTES" "" \
                "not enough free space in $OUT to unpack: need $((need_kib / 1024)) MiB, have $((avail_kib / 1024)) MiB"
        else
            MEASURE_REPS=1 measure big_unpack dexf big "unpack $BIG_LBL container → disk incl. fsync" "dexf unpack" "$BIG_BYTES" "" 0 \
                "$OUT/bigunpack" "rm -rf $(q "$OUT/bigunpack") && mkdir -p $(q "$OUT/bigunpack")" \
                "$DX unpack $VERIFY_Q -q $BIGQ -C $(q "$OUT/bigunpack")"
            got=$(find "$OUT/bigunpack" -type f -size "${BIG_BYTES}c" | head -n 1)
            [ -n "$got" ] || dexf_fail big_unpack "$DEXF_BIN unpack $OUT/big.dexf -C $OUT/bigunpack" 0 "" \
                "no file of $BIG_BYTES bytes under $OUT/bigunpack"
            for off in "${BIG_CHECK[@]}"; do
                cmp -s <(dd if="$got" bs=4096 count=1 iflag=skip_bytes skip="$off" status=none) \
                    <("$GEN" -s "$SEED" slice - "$BIG_MIB" "$off" 4096) \
                    || dexf_fail big_unpack "$DEXF_BIN unpack $OUT/big.dexf -C $OUT/bigunpack" 0 "" \
                        "unpacked $got differs from the generated stream at offset $off"
            done
            rm -rf "$OUT/bigunpack"
        fi
        rm -f "$OUT/big.dexf"
    fi
fi

# ---------------------------------------------------------------- report
fmt_sec() { awk -v s="$1" 'BEGIN {if (s < 0.01) printf "%.5f", s; else if (s < 10) printf "%.3f", s; else printf "%.2f", s}'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN {if (s > 0) printf "%.1f", b / s / 1e6; else print "-"}'; }
mib() { awk -v k="$1" -v d="$2" 'BEGIN {printf "%.1f", k / d}'; }
fmt_size() { awk -v b="$1" 'BEGIN {if (b >= 1048576) printf "%.1f MiB", b / 1048576; else if (b >= 1024) printf "%.1f KiB", b / 1024; else printf "%d B", b}'; }
# seconds column: "0.015 /read (p90 0.017)" for latency rows
sec_col() {
    local id=$1 sep=${2:- } s
    s=$(fmt_sec "${R_SEC[$id]}")
    if [ "${R_UNIT[$id]}" = read ]; then
        s="$s${sep}/read"
        [ -n "${R_P90[$id]:-}" ] && s="$s (p90 $(fmt_sec "${R_P90[$id]}"))"
    fi
    printf '%s' "$s"
}

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

# ---------------------------------------------------------------- targets
# Issue #4's targets, computed from the rows above: measured value, target,
# PASS / MISS (or N/A with the reason when a row is missing).
T_NAME=(); T_MEAS=(); T_GOAL=(); T_RES=()
target() { T_NAME+=("$1"); T_MEAS+=("$2"); T_GOAL+=("$3"); T_RES+=("$4"); }
has() { [ -n "${R_SEC[$1]:-}" ]; }
# why the first of the given rows has no value
why_na() {
    local id
    for id; do
        if ! has "$id"; then
            local st=${R_STATUS[$id]:-not measured}
            printf 'N/A (%s: %s)' "${R_TOOL[$id]:-$id}" "${st#n/a: }"
            return
        fi
    done
}
pf() { if awk "BEGIN {exit !($1)}"; then printf PASS; else printf MISS; fi; }
ratio() { awk -v a="${R_SEC[$1]}" -v b="${R_SEC[$2]}" 'BEGIN {printf "%.2f", a / b}'; }
rate() { mbps "${R_BYTES[$1]}" "${R_SEC[$1]}"; }

# target_faster NAME DEXF PEER MIN [EXTRA]: peer s / dexf s >= MIN
target_faster() {
    local name=$1 d=$2 p=$3 min=$4 extra=${5:-} r
    if has "$d" && has "$p"; then
        r=$(ratio "$p" "$d")
        target "$name" "${r}x (dexf $(fmt_sec "${R_SEC[$d]}") s, $(rate "$d") MB/s; ${R_TOOL[$p]} $(fmt_sec "${R_SEC[$p]}") s, $(rate "$p") MB/s)$extra" \
            "≥ ${min}x" "$(pf "$r >= $min")"
    else
        target "$name" "-" "≥ ${min}x" "$(why_na "$d" "$p")"
    fi
}
# target_rss NAME ID:LABEL...: the largest peak RSS of the rows <= 64 MiB
target_rss() {
    local name=$1 il id lbl max=0 parts="" missing="" ids=()
    shift
    for il; do
        id=${il%%:*}; lbl=${il#*:}; ids+=("$id")
        if has "$id"; then
            parts+="${parts:+, }$lbl $(mib "${R_RSS[$id]}" 1024)"
            [ "${R_RSS[$id]}" -gt "$max" ] && max=${R_RSS[$id]}
        else
            missing+="${missing:+, }$lbl"
        fi
    done
    if [ -z "$parts" ]; then
        target "$name" "-" "≤ 64 MiB" "$(why_na "${ids[@]}")"
        return
    fi
    [ -n "$missing" ] && parts+="; not measured: $missing"
    target "$name" "max $(mib "$max" 1024) MiB ($parts)" "≤ 64 MiB" "$(pf "$max <= 64 * 1024")"
}
# target_time NAME ID MAX_MS
target_time() {
    local name=$1 id=$2 max=$3 ms p90=""
    if has "$id"; then
        ms=$(awk -v s="${R_SEC[$id]}" 'BEGIN {printf "%.1f", s * 1000}')
        [ -n "${R_P90[$id]:-}" ] && p90=" (p90 $(awk -v s="${R_P90[$id]}" 'BEGIN {printf "%.1f", s * 1000}') ms)"
        target "$name" "$ms ms$p90" "≤ $max ms" "$(pf "$ms <= $max")"
    else
        target "$name" "-" "≤ $max ms" "$(why_na "$id")"
    fi
}
# report_speedup NAME J1 J2: no target, the scaling is reported
report_speedup() {
    local name=$1 a=$2 b=$3
    if has "$a" && has "$b"; then
        target "$name" "$(ratio "$a" "$b")x speed-up ($(rate "$a") → $(rate "$b") MB/s)" "report" "reported"
    else
        target "$name" "-" "report" "$(why_na "$a" "$b")"
    fi
}

IMG_LBL="$SIZE_MIB MiB"
[ $((SIZE_MIB % 1024)) = 0 ] && IMG_LBL="$((SIZE_MIB / 1024)) GiB"
target_faster "pack image, default compression, vs ewfacquirestream -c fast -d sha256 (container to disk incl. fsync)" \
    pack_deflate ewfacquire 5
extra=
has pack_store && has openssl && extra="; written to disk incl. fsync: $(ratio openssl pack_store)x"
has dd_tmpfs && has openssl && extra+="; copying the image alone into tmpfs (dd bs=1M, no hashing) took $(fmt_sec "${R_SEC[dd_tmpfs]}") s: $(ratio openssl dd_tmpfs)x"
target_faster "pack image --compression store → tmpfs, vs openssl dgst -sha256" pack_store_tmpfs openssl 0.8 "$extra"
target_faster "full verify of the image vs ewfverify -d sha256" verify_full ewfverify 3
if has verify_full && has openssl; then
    r=$(ratio verify_full openssl)
    target "full verify wall time vs openssl dgst -sha256 over the raw image" \
        "${r}x openssl's time (dexf $(fmt_sec "${R_SEC[verify_full]}") s, openssl $(fmt_sec "${R_SEC[openssl]}") s)" \
        "≤ 1.5x" "$(pf "$r <= 1.5")"
else
    target "full verify wall time vs openssl dgst -sha256 over the raw image" "-" "≤ 1.5x" "$(why_na verify_full openssl)"
fi
target_faster "pack $FILES small files vs tar cf - | pigz -1 (no slower)" tree_pack tar_pigz 1
target_faster "full verify of $FILES small files vs find | xargs sha256sum (no slower)" tree_verify find_sha256 1
target_time "verify --quick, $IMG_LBL container" verify_quick 50
[ "$BIG" = 1 ] && target_time "verify --quick, $BIG_LBL container" big_quick 50
target_time "one random 4 KiB read (dexf cat, one process) from the compressed $IMG_LBL container, median" cat_read 5
target_time "one random 4 KiB read through libdexf (open reader; the open took ${LIB_OPEN_MS:-?} ms) from the compressed $IMG_LBL container, median" lib_read 5
[ "$BIG" = 1 ] && target_time "one random 4 KiB read (dexf cat, one process) from the compressed $BIG_LBL container, median" big_cat 5
target_rss "peak RSS at $IMG_LBL: pack, verify, unpack, cat" pack_deflate:pack pack_store:"pack store" \
    verify_full:verify unpack:unpack cat_read:"cat 4 KiB"
if [ "$BIG" = 1 ]; then
    target_rss "peak RSS at $BIG_LBL: pack, verify, unpack, cat" big_pack:pack big_verify:verify \
        big_unpack:unpack big_cat:"cat 4 KiB" big_catall:"cat whole item"
else
    target "peak RSS at $BIG_LBL: pack, verify, unpack, cat" "-" "≤ 64 MiB" "N/A ($BIG_WHY)"
fi
report_speedup "threads 1 vs 2: pack image (deflate → disk incl. fsync)" pack_j1 "$J2_PACK"
report_speedup "threads 1 vs 2: full verify of the image" verify_j1 "$J2_VERIFY"

N_PASS=0; N_MISS=0; N_NA=0
for r in "${T_RES[@]}"; do
    case $r in PASS) N_PASS=$((N_PASS + 1)) ;; MISS) N_MISS=$((N_MISS + 1)) ;; N/A*) N_NA=$((N_NA + 1)) ;; esac
done
T_SUMMARY="$N_PASS PASS, $N_MISS MISS, $N_NA N/A (of $((N_PASS + N_MISS + N_NA)) targets)"
SMALL_NOTE=
if [ "$SIZE_MIB" -lt 2048 ] || [ "$FILES" -lt 20000 ] || { [ "$BIG" = 1 ] && [ "$BIG_GIB" -lt 20 ]; }; then
    SMALL_NOTE="This run used a $IMG_LBL image and $FILES files"
    if [ "$BIG" = 1 ]; then SMALL_NOTE+=", big section at $BIG_LBL"; fi
    SMALL_NOTE+="; issue #4's targets are for a 2 GiB+ image, ~20,000 files and 20 GiB: these verdicts are indicative only."
fi

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
[ -n "$cpu_model" ] || cpu_model=$(awk -F': ' '/^(Hardware|cpu model|uarch)/ {print $2; exit}' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
ver() { local v; v=$("$@" 2>&1 | head -n 1) || true; printf '%s' "${v:-unknown}"; }
dexf_ver="not built"
[ "$DEXF_OK" = 1 ] && dexf_ver=$(ver "$DEXF_BIN" --version)
CMDLINE="bench/run.sh${ARGS_Q:+ $ARGS_Q}"
[ -n "${DEXF:-}" ] && CMDLINE="DEXF=$(q "$DEXF") $CMDLINE"

{
    echo "# dexf benchmark results"
    echo
    echo "Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M:%S UTC') ($((SECONDS / 60)) min $((SECONDS % 60)) s)."
    echo
    echo "Command: \`$CMDLINE\`"
    echo
    echo "## Machine"
    echo
    echo "- CPU: ${cpu_model:-unknown} ($(nproc) online CPUs)"
    echo "- RAM: $mem_total"
    echo "- Kernel: $(uname -srm)"
    # shellcheck source=/dev/null
    echo "- OS: $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")"
    echo "- load average (1/5/15 min) when timing started: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
    echo "- work dir: \`$WORKDIR\` on $(df -PT "$WORKDIR" | awk 'NR==2 {print $2 " (" $1 ")"}'); tmpfs outputs: $([ -n "$TMPFS_DIR" ] && echo "\`$TMPFS_ROOT\`" || echo "none ($TMPFS_WHY)")"
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
    if [ "$BIG" = 1 ]; then
        echo "- big: the same generator's $BIG_LBL image ($BIG_BYTES bytes) streamed into \`dexf pack -\` (no raw copy on disk; its first $SIZE_MIB MiB are the image above); each big row runs once, \`--quick\` $REPS times; pack time includes generating the stream on the same CPUs"
    else
        echo "- big ($BIG_LBL): $BIG_WHY"
    fi
    echo "- gencorpus seed $SEED (source sha256 prefix $GEN_SHA)"
    echo "- dexf containers: $SIGN_NOTE"
    echo "- each operation run $REPS times, median wall time reported; inputs in page cache: before each run, untimed, its input (the image, the container, the E01 segments or the tree) is read once (this VM drops files idle for a minute from its cache); \`sync\` before each run"
    echo "- random reads: $CAT_READS reads of 4096 bytes at deterministic pseudo-random offsets, one process per read, median and 90th percentile latency; \`verify --range\`: the first ${#RANGE_READS[@]} of those offsets"
    echo "- \"→ disk incl. fsync\": the container is written to the work dir; \`dexf pack\` and \`dexf unpack\` fsync what they write before returning (the peers do not fsync)."
    if [ -n "$TMPFS_DIR" ]; then
        echo "- \"→ tmpfs\": written to \`$TMPFS_ROOT\` (RAM), so the row measures dexf's read-hash-compress-write pipeline and not the disk; the store-pack target against \`openssl dgst\` (which only reads) uses the tmpfs row. The \`dd bs=1M\` row copies the image into tmpfs without hashing: the floor of that row on this machine (fresh tmpfs pages are costly on a VM whose host backs guest memory lazily)."
    else
        echo "- no tmpfs output ($TMPFS_WHY): the store → tmpfs row and its target are N/A."
    fi
    if [ "$J2_PACK" = pack_deflate ]; then
        echo "- threads: the default (\`--threads 0\`, every online CPU) is 2 threads on this machine, so the default pack and verify rows are the 2-thread rows; the \`--threads 1\` rows run the same commands with one thread. Speed-up = seconds with 1 thread / seconds with 2 (the ratio against \`-j 1\`)."
    else
        echo "- threads: \`--threads 1\` and \`--threads 2\` rows run the default commands with 1 and 2 threads (the default, \`--threads 0\`, is $NCPU threads here). Speed-up = seconds with 1 thread / seconds with 2 (the ratio against \`-j 1\`)."
    fi
    echo
    echo "## Targets (issue #4)"
    echo
    [ -n "$SMALL_NOTE" ] && { echo "**$SMALL_NOTE**"; echo; }
    echo "| Target | Measured | Target | Result |"
    echo "|---|---|---|---|"
    for i in "${!T_NAME[@]}"; do
        res=${T_RES[$i]}
        case $res in PASS) res="PASS" ;; MISS) res="**MISS**" ;; esac
        echo "| ${T_NAME[$i]//|/\\|} | ${T_MEAS[$i]//|/\\|} | ${T_GOAL[$i]} | ${res//|/\\|} |"
    done
    echo
    echo "$T_SUMMARY. Ratios are peer seconds / dexf seconds on the same input (above 1: dexf faster), except the verify wall-time target (dexf seconds / openssl seconds)."
    echo
    echo "## Results"
    echo
    echo "| Corpus | Operation | Tool | Seconds | MB/s | Peak RSS MiB | Output | Ratio vs peer |"
    echo "|---|---|---|---:|---:|---:|---:|---|"
    for id in "${ROW_IDS[@]}"; do
        if [ -n "${R_SEC[$id]}" ]; then
            sec=$(sec_col "$id")
            rate=$(mbps "${R_BYTES[$id]}" "${R_SEC[$id]}")
            rss=$(mib "${R_RSS[$id]}" 1024)
            outm=-; [ -n "${R_OUT[$id]}" ] && outm=$(fmt_size "${R_OUT[$id]}")
            ratio=$(ratio_of "$id")
            ratio=${ratio//|/\\|}
        else
            sec=${R_STATUS[$id]}; rate=-; rss=-; outm=-; ratio=-
        fi
        echo "| ${R_GROUP[$id]} | ${R_OP[$id]} | ${R_TOOL[$id]//|/\\|} | $sec | $rate | $rss | $outm | $ratio |"
    done
    echo
    echo "MB/s = input bytes (10^6) / median wall seconds; for image rows the input is the raw image size (also for verify/unpack), for tree rows the sum of file sizes, for big rows the generated image size."
    echo "Ratio = peer seconds / dexf seconds (above 1 means dexf is faster); against \`dexf … -j 1\` it is the speed-up from a second thread."
    echo "Peak RSS: maximum over the runs of GNU time's %M; for pipelines it is the largest single process, not the sum (for the big pack: \`dexf pack\` or the generator)."
    echo "Wall seconds are measured by the harness around \`/usr/bin/time -f '%e %M'\` with microsecond resolution (raw per-run values incl. %e: \`raw.tsv\`)."
} > "$RESULTS"

# Console table
echo
printf '%-58s %-30s %24s %9s %9s %10s  %s\n' "Operation" "Tool" "Seconds" "MB/s" "RSS MiB" "Output" "Ratio vs peer (peer s / dexf s)"
printf '%s\n' "$(printf '%.0s-' {1..170})"
for id in "${ROW_IDS[@]}"; do
    if [ -n "${R_SEC[$id]}" ]; then
        outm=-; [ -n "${R_OUT[$id]}" ] && outm=$(fmt_size "${R_OUT[$id]}")
        printf '%-58s %-30s %24s %9s %9s %10s  %s\n' "${R_OP[$id]//→/->}" "${R_TOOL[$id]}" "$(sec_col "$id" "")" \
            "$(mbps "${R_BYTES[$id]}" "${R_SEC[$id]}")" "$(mib "${R_RSS[$id]}" 1024)" "$outm" "$(ratio_of "$id")"
    else
        printf '%-58s %-30s %s\n' "${R_OP[$id]//→/->}" "${R_TOOL[$id]}" "${R_STATUS[$id]}"
    fi
done
echo
echo "Targets (issue #4): $T_SUMMARY"
[ -n "$SMALL_NOTE" ] && echo "  $SMALL_NOTE"
for i in "${!T_NAME[@]}"; do
    printf '  %-8s %s: %s (target %s)\n' "${T_RES[$i]%% *}" "${T_NAME[$i]}" "${T_MEAS[$i]}" "${T_GOAL[$i]}"
    case ${T_RES[$i]} in N/A*) printf '           %s\n' "${T_RES[$i]}" ;; esac
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

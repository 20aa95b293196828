#!/bin/bash
# Side-by-side speed of one static i386 guest program: native, under
# qemu-i386 (if installed) and under j386 (if ./j386 exists), with a check
# that all three print the same thing and exit with the same status.
#
# Usage: benchmarks/scripts/compare-speed.sh [options] [PROGRAM [ARGS...]]
#   PROGRAM     static i386 ELF (default: tests/guest/bin/glibc/cpubench);
#               relative paths are taken from the current directory
#   ARGS        its arguments (default for cpubench: none = about 1 s natively)
# Options:
#   -n, --runs N        timed runs per runner (default 3); the median is shown
#   --root DIR          guest root directory for j386 (default: a fresh
#                       temporary directory holding only the program)
#   --timeout SECONDS   give up on a run after this long (default: none)
#   --no-qemu, --no-j386  skip a runner
#   -h, --help
#
# Every run starts in a fresh directory that holds a copy of the program as
# NAME, with stdin from /dev/null:
#   native:  ./NAME ARGS             environment exactly HOME=/
#   qemu:    qemu-i386 ./NAME ARGS   PATH=/bin:/usr/bin TERM=dumb LANG=C
#   j386:    ./j386 run --root DIR --argv0 ./NAME DIR/NAME ARGS, from the repository root with
#            the caller's environment (the launcher sets the guest's); DIR is
#            the fresh directory, or the --root one (the program is copied in)
# Exit status: 0 if every runner matched native, 1 otherwise, 2 bad usage.
# Timing uses hyperfine when installed, otherwise bash's `time` builtin. The
# j386 times include JVM start-up. Environment: J386=PATH picks another
# launcher than ./j386 (it is still started from the repository root).
set -u

repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=3
root=""
timeout_s=""
use_qemu=1
use_j386=1
j386=${J386:-./j386}

usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case $1 in
        -n|--runs) runs=$2; shift 2 ;;
        --root) root=$2; shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        --no-qemu) use_qemu=0; shift ;;
        --no-j386) use_j386=0; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; break ;;
        -*) echo "compare-speed: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) break ;;
    esac
done

if [ $# -gt 0 ]; then
    prog=$1; shift
else
    prog=$repo/tests/guest/bin/glibc/cpubench
fi
args=("$@")
case $prog in /*) ;; *) prog=$PWD/$prog ;; esac
if [ ! -f "$prog" ]; then
    echo "compare-speed: no such program: $prog" >&2
    exit 2
fi
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "compare-speed: --runs needs a positive number" >&2
    exit 2
fi
name=$(basename "$prog")

work=$(mktemp -d "${TMPDIR:-/tmp}/compare-speed.XXXXXX")
trap 'rm -rf "$work"' EXIT

have() { command -v "$1" > /dev/null 2>&1; }

tmo=()
if [ -n "$timeout_s" ]; then
    if have timeout; then tmo=(timeout "$timeout_s"); else
        echo "compare-speed: 'timeout' not installed, --timeout ignored" >&2; fi
fi

# A fresh run directory holding the program; prints its path.
fresh_dir() {
    local d
    d=$(mktemp -d "$work/run.XXXXXX")
    cp "$prog" "$d/$name"
    chmod 0755 "$d/$name"
    echo "$d"
}

q() { printf '%q' "$1"; }
ENV="env -i HOME=/ PATH=/bin:/usr/bin TERM=dumb LANG=C"
qemu_bin=$(command -v qemu-i386 || true)

# The shell command of one run of RUNNER in the fresh directory D. The native
# and qemu runs get exactly the environment above; j386 is started with the
# caller's environment (the JVM may need it) and decides the guest's itself.
full_cmd() {
    local r=$1 d=$2 c a
    case $r in
        native) c="cd $(q "$d") && exec $ENV ./$(q "$name")" ;;
        qemu) c="cd $(q "$d") && exec $ENV $(q "$qemu_bin") ./$(q "$name")" ;;
        j386)
            local jr=$d
            if [ -n "$root" ]; then jr=$root; cp "$prog" "$root/$name"; fi
            c="cd $(q "$repo") && exec $(q "$j386") run --root $(q "$jr") --argv0 ./$(q "$name") $(q "$jr/$name")" ;;
    esac
    for a in "${args[@]}"; do c+=" $(q "$a")"; done
    echo "$c"
}

# run_once RUNNER OUTFILE: one run with the output kept; sets $status. The
# outer subshell, whose stderr is discarded, is the one that would report
# "Segmentation fault" and the like.
run_once() {
    local d cmd
    d=$(fresh_dir)
    cmd=$(full_cmd "$1" "$d")
    (
        ( ulimit -c 0; exec "${tmo[@]}" bash -c "$cmd" < /dev/null > "$2" 2> "$2.err" )
        echo $? > "$work/status"
    ) 2> /dev/null
    status=$(cat "$work/status")
    rm -rf "$d"
}

median() {
    sort -g | awk '{ a[NR] = $1 }
        END { if (NR == 0) print "nan";
              else if (NR % 2) printf "%.3f\n", a[(NR + 1) / 2];
              else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# time_runner RUNNER: prints the median wall-clock seconds of $runs runs
time_runner() {
    local r=$1 i d cmd t
    if have hyperfine; then
        d=$(fresh_dir)
        cmd=$(full_cmd "$r" "$d")
        # -i: a program that is meant to fail (status 139, 42...) is still timed
        if ! hyperfine --style none -i --runs "$runs" --export-csv "$work/hf.csv" \
                "ulimit -c 0; ${tmo[*]} bash -c $(q "$cmd") < /dev/null > /dev/null 2>&1" \
                > "$work/hf.log" 2>&1; then
            echo nan
            return
        fi
        # command,mean,stddev,median,user,system,min,max
        awk -F, 'NR == 2 { printf "%.3f\n", $4 }' "$work/hf.csv"
        rm -rf "$d"
        return
    fi
    for ((i = 0; i < runs; i++)); do
        d=$(fresh_dir)
        cmd=$(full_cmd "$r" "$d")
        # stderr is discarded inside the timed group, so that only the time
        # report reaches the capture
        t=$( { TIMEFORMAT=%R
               time { ( ulimit -c 0; "${tmo[@]}" bash -c "$cmd" \
                          < /dev/null > /dev/null 2>&1 ) 2> /dev/null; }; } 2>&1 )
        echo "$t"
        rm -rf "$d"
    done | median
}

runners=(native)
skipped=()
if [ $use_qemu = 1 ]; then
    if [ -n "$qemu_bin" ]; then runners+=(qemu); else skipped+=("qemu-i386: not installed"); fi
fi
if [ $use_j386 = 1 ]; then
    case $j386 in /*) jpath=$j386 ;; *) jpath=$repo/${j386#./} ;; esac
    if [ -x "$jpath" ]; then runners+=(j386); else skipped+=("j386: $jpath not found"); fi
fi

echo "program: $prog$(for a in "${args[@]}"; do printf ' %q' "$a"; done)"
echo "runs per runner: $runs ($(have hyperfine && echo hyperfine || echo 'bash time'), median)"
for s in "${skipped[@]}"; do echo "skipped $s"; done
echo

declare -A secs outcome
ref_out=$work/native.out
ref_status=""
for r in "${runners[@]}"; do
    run_once "$r" "$work/$r.out"
    if [ -n "$timeout_s" ] && [ "$status" = 124 ]; then
        outcome[$r]="TIMEOUT"
        [ $r = native ] && ref_status=$status
    elif [ $r = native ]; then
        ref_status=$status
        outcome[$r]="reference (status $status)"
    elif cmp -s "$work/$r.out" "$ref_out" && [ "$status" = "$ref_status" ]; then
        outcome[$r]="same output"
    else
        outcome[$r]="DIFFERENT (status $status)"
    fi
    secs[$r]=$(time_runner "$r")
done

native_s=${secs[native]}
printf '%-8s %12s %12s  %s\n' runner seconds "x native" output
for r in "${runners[@]}"; do
    s=${secs[$r]}
    ratio=$(awk -v a="$s" -v b="$native_s" 'BEGIN { if (b+0 > 0 && a != "nan") printf "%.2f", a/b; else print "-" }')
    printf '%-8s %12s %12s  %s\n' "$r" "$s" "$ratio" "${outcome[$r]}"
done
for s in "${skipped[@]}"; do
    printf '%-8s %12s %12s  %s\n' "${s%%:*}" - - "skipped"
done

rc=0
for r in "${runners[@]}"; do
    case ${outcome[$r]} in
    TIMEOUT)
        rc=1
        echo "$r: timed out after $timeout_s s" ;;
    DIFFERENT*)
        rc=1
        echo
        echo "--- $r output differs from native:"
        diff "$ref_out" "$work/$r.out" | head -20
        [ -s "$work/$r.out.err" ] && { echo "--- $r stderr:"; head -20 "$work/$r.out.err"; }
        ;;
    esac
done
exit $rc

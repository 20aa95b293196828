#!/bin/bash
# Run one guest program natively under the reference convention and write its
# stdout and exit status:
#
#   run-native.sh BINARY NAME OUT_STDOUT OUT_STATUS
#
# Convention (the Java harness reproduces it inside j386):
#   * a fresh, empty temporary directory is the working directory;
#   * the binary is copied into it as NAME (mode 0755) and started as ./NAME,
#     so argv[0] is "./NAME";
#   * arguments: the lines of args/NAME.args, one argument per line, if that
#     file exists;
#   * environment: exactly HOME=/ PATH=/bin:/usr/bin TERM=dumb LANG=C, in
#     that order (env -i);
#   * stdin is /dev/null; stdout goes to OUT_STDOUT (outside the directory);
#     except with keys/NAME.keys: then the program runs on a pseudo-terminal that
#     types those keys (run-native-tty.py; j386 run --tty), and OUT_STDOUT is
#     what the terminal showed;
#   * the status is the shell's: the exit code, or 128+N if killed by signal N.
set -u
here=$(cd "$(dirname "$0")" && pwd)
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
bin=$(abspath "$1") name=$2 out=$(abspath "$3") statusfile=$(abspath "$4")

args=()
if [ -f "$here/args/$name.args" ]; then
    mapfile -t args < "$here/args/$name.args"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/j386-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$bin" "$tmp/$name"
chmod 0755 "$tmp/$name"
err=$(mktemp "${TMPDIR:-/tmp}/j386-guest-err.XXXXXX")

# A program with a keys file runs on a terminal instead: keys/NAME.keys is typed in (see
# run-native-tty.py); the terminal shows stdout and stderr together.
if [ -f "$here/keys/$name.keys" ]; then
    python3 "$here/run-native-tty.py" "$tmp/$name" "$name" "$here/keys/$name.keys" "$out" "$statusfile"
    rm -f "$err"
    exit 0
fi

# The outer subshell, whose stderr is discarded, is the one that reports
# "Segmentation fault" and the like; the program's own stderr goes to $err.
(
    (
        cd "$tmp" || exit 125
        ulimit -c 0
        exec env -i HOME=/ PATH=/bin:/usr/bin TERM=dumb LANG=C "./$name" "${args[@]}" \
            < /dev/null > "$out" 2> "$err"
    )
    echo $? > "$statusfile"
) 2>/dev/null

if [ -s "$err" ]; then
    echo "warning: $name wrote to stderr:" >&2
    cat "$err" >&2
fi
rm -f "$err"
# everything the program created must be gone again
leftover=$(cd "$tmp" && ls -A | grep -vx "$name")
if [ -n "$leftover" ]; then
    echo "warning: $name left files behind: $leftover" >&2
fi
exit 0

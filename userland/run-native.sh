#!/bin/bash
# Runs one userland test script natively, as the reference for UserlandTest, and writes its
# output and status:
#
#   run-native.sh SCRIPT OUT_OUTPUT OUT_STATUS
#
# Convention (tests/src/test/java/org/j386/tests/userland/UserlandTest.java reproduces it in
# j386 with the root unpacked from the app jar):
#   * a fresh copy of root/ holding exactly the entries of root.index, with their modes, is
#     the root directory (chroot), and / is the working directory; the host's files outside
#     it are out of reach (its only addition is dev/null, which j386 provides itself);
#   * /bin/sh runs with no arguments and the script on stdin (not a terminal);
#   * it is the first process of a new pid namespace (pid 1, the reaper of orphans, as the
#     first task is in j386) and of a new UTS namespace whose hostname is j386;
#   * the environment is exactly HOME=/ PATH=/bin:/usr/bin TERM=dumb LANG=C; umask 022;
#   * stdout and stderr go to the same file, OUT_OUTPUT;
#   * OUT_STATUS holds the status: the exit code, or 128+N after signal N.
# Needs root (chroot, namespaces).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
script=$(abspath "$1") out=$(abspath "$2") statusfile=$(abspath "$3")
if [ "$(id -u)" -ne 0 ]; then echo "run-native.sh: must run as root (chroot, unshare)" >&2; exit 1; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/j386-userland.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
while read -r type mode path; do
    case $type in
        d) mkdir -p "$tmp/$path" ;;
        f) cp "$here/root/$path" "$tmp/$path" ;;
        *) echo "run-native.sh: bad root.index line: $type $mode $path" >&2; exit 1 ;;
    esac
    chmod "$mode" "$tmp/$path"
done < "$here/root.index"
mkdir "$tmp/dev"
mknod -m 666 "$tmp/dev/null" c 1 3

set +e
umask 022
unshare --uts sh -c 'hostname j386 && exec unshare --pid --fork env -i HOME=/ PATH=/bin:/usr/bin TERM=dumb LANG=C "$2" "$1" /bin/sh' \
    unshare-sh "$tmp" "$(command -v chroot)" < "$script" > "$out" 2>&1
echo $? > "$statusfile"

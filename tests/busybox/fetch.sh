#!/usr/bin/env bash
# Fetches Debian's busybox-static for i386 into tests/busybox/cache/busybox (not committed):
# a third-party userland for the kernel model's tests. Needs the Debian archive; exits
# non-zero with a one-line reason when it cannot get it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/cache"
[ -x "$cache/busybox" ] && exit 0
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    if [ "$(id -u)" = 0 ]; then
        dpkg --add-architecture i386 && apt-get -qq update >/dev/null 2>&1 || { echo "fetch.sh: cannot enable the i386 architecture" >&2; exit 1; }
    else
        echo "fetch.sh: dpkg has no i386 architecture (as root: dpkg --add-architecture i386 && apt-get update)" >&2
        exit 1
    fi
fi
apt-get download -qq busybox-static:i386 >/dev/null 2>&1 \
    || { apt-get -qq update >/dev/null 2>&1 && apt-get download -qq busybox-static:i386 >/dev/null 2>&1; } \
    || { echo "fetch.sh: cannot download busybox-static:i386 from the Debian archive" >&2; exit 1; }
dpkg-deb -x busybox-static_*_i386.deb x
cp x/bin/busybox "$cache/busybox.part"
mv "$cache/busybox.part" "$cache/busybox"
echo "fetch.sh: $(ls busybox-static_*_i386.deb) -> $cache/busybox"

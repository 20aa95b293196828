#!/bin/sh
# Installs what rebuilding the guest programs (and the speed comparison) needs
# on a fresh Debian 12 amd64 machine. Run as root. Safe to run again.
# The tests themselves need none of this: binaries and expected outputs are
# committed.
#
# Packages:
#   gcc-i686-linux-gnu  i686 cross gcc with its own i386 glibc (static libc.a);
#                       builds the glibc flavour, and is the compiler the musl
#                       wrapper i386-linux-musl-gcc runs
#   musl-dev:i386       musl's static libc.a and the i386-linux-musl-gcc wrapper
#   qemu-user           qemu-i386, the second opinion in compare-speed.sh
#   make
# gcc-multilib is deliberately not installed: on Debian 12 it conflicts with
# gcc-i686-linux-gnu (installing it removes the cross compiler and musl-dev).
set -eu

PKGS="gcc-i686-linux-gnu musl-dev:i386 qemu-user make"
OPTIONAL="hyperfine strace"

if [ "$(id -u)" -ne 0 ]; then
    echo "install-toolchain.sh: must run as root" >&2
    exit 1
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "install-toolchain.sh: everything is already installed"
    exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
fi
# Some index files may fail to download (a mirror hiccup, an unreachable
# extra repository); keep going with what we have.
apt-get update || echo "install-toolchain.sh: apt-get update partly failed, continuing" >&2

export DEBIAN_FRONTEND=noninteractive
apt-get install -y $PKGS
for p in $OPTIONAL; do
    apt-get install -y "$p" || echo "install-toolchain.sh: optional $p not installed" >&2
done
echo "install-toolchain.sh: done"

#!/bin/bash
# Runs every generated binary natively on this (i386-capable x86) host and records its
# stdout as the reference: expected/GROUP.out.gz.  Never record from j386.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p expected
for b in bin/*.elf; do
    g=$(basename "$b" .elf)
    ./"$b" > "/tmp/cpu-diff-$g.out"
    gzip -9n < "/tmp/cpu-diff-$g.out" > "expected/$g.out.gz"
    rm -f "/tmp/cpu-diff-$g.out"
    echo "recorded $g"
done

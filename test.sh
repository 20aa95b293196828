#!/usr/bin/env bash
# Runs every test of every module (unit, guest-program end-to-end, error paths).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
exec mvn -B install "$@"

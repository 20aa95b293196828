#!/usr/bin/env bash
# Builds j386 (all modules, tests skipped) and runs the main job: the bundled demo guest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v mvn >/dev/null || { echo "build.sh: Maven (mvn) is required: apt-get install maven" >&2; exit 1; }
command -v java >/dev/null || { echo "build.sh: a JDK 17 or newer is required: apt-get install openjdk-17-jdk" >&2; exit 1; }
mvn -q -B -DskipTests install
./j386 run "$@"

#!/usr/bin/env bash
# Builds j386 (all modules, tests skipped) and runs the main job: it boots the project's own
# guest userland (userland/: init, then sh) and has the guest shell run a short script given
# on stdin. With arguments, runs `./j386 run ARGS...` instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
command -v mvn >/dev/null || { echo "build.sh: Maven (mvn) is required: apt-get install maven" >&2; exit 1; }
command -v java >/dev/null || { echo "build.sh: a JDK 17 or newer is required: apt-get install openjdk-17-jdk" >&2; exit 1; }
mvn -q -B -DskipTests install
if [ $# -gt 0 ]; then
    exec ./j386 run "$@"
fi
echo "build.sh: built; booting the guest userland (init, sh) with a script on stdin:"
status=0
./j386 run <<'SCRIPT' || status=$?
echo '$ uname -a'; uname -a
echo '$ echo hello | wc -c'; echo hello | wc -c
echo '$ ls -C /bin'; ls -C /bin
echo '$ sleep 1 & wait $!; echo status $?'; sleep 1 & wait $!; echo status $?
SCRIPT
echo "build.sh: the guest exited with status $status; ./j386 run alone gives an interactive guest shell (exit leaves it)"
exit $status

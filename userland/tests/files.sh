# File tools on a scratch directory: mkdir ls cat cp wc rm, and echo.
cd /tmp
mkdir d d/sub; echo "mkdir: $?"
mkdir -p p/q/r; echo "mkdir -p: $?"
mkdir -p p/q; echo "mkdir -p existing: $?"
mkdir d; echo "mkdir existing: $?"
mkdir nosuch/x; echo "mkdir no parent: $?"
echo hello > d/a; echo "the quick brown fox" > d/sub/b
cp d/a d/c; echo "cp: $?"; cat d/c
cp d/a d/sub; cat d/sub/a
cp d/sub/a d/sub/b d; echo "cp two into a dir: $?"; cat d/b
cp d/a d/c d/nodir; echo "cp two into a non-dir: $?"
cp nosuch x; echo "cp missing: $?"
cp d/a d/a; echo "cp onto itself: $?"
cat d/a d/sub/b
cat nosuch; echo "cat missing: $?"
echo piped | cat - d/a
ls d; echo ---; ls -a d; echo ---; ls -1 d/sub; echo ---; ls d d/sub; echo ---; ls d/a d/sub/b; echo ---
ls -C d
ls p p/q
ls nosuch; echo "ls missing: $?"
wc d/a d/sub/b; wc -l d/a; wc -w d/sub/b; wc -c < d/a; wc -lc d/sub/b; wc < d/sub/b
wc nosuch; echo "wc missing: $?"
rm d/a; echo "rm: $?"; ls d
rm d; echo "rm dir: $?"
rm nosuch; echo "rm missing: $?"
rm -f nosuch; echo "rm -f missing: $?"
rm -r d; echo "rm -r: $?"
rm -rf p nosuch; echo "rm -rf: $?"
ls -a
echo -n "no newline"; echo "|"
echo -e 'tab\there\nnewline\\' backslash
echo -e 'stop\cnot printed'; echo
echo -n; echo a b c; echo -x; echo -- dashes
echo
# bigger data: more than a pipe holds, through several pipes; a reader that leaves early
cat /bin/sh /bin/ls /bin/ps | cat | cat | wc -c
cp /bin/sh /tmp/big; cat /tmp/big /tmp/big >> /tmp/big2; wc -c /tmp/big /tmp/big2; rm /tmp/big /tmp/big2
cat /bin/sh /bin/sh /bin/sh | true; echo "writer into a closed pipe, pipeline status: $?"
ls /bin | wc -l

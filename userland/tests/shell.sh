# The shell: pipelines, $?, && || ! ;, variables, quoting, comments, redirections, cd,
# background jobs and wait, exit status. Fed to /bin/sh on stdin (see ../run-native.sh).
echo "pid $$"
echo one two three | wc -w
echo abc | cat | cat | cat | wc -c
false; echo "false: $?"
true; echo "true: $?"
false && echo never || echo "or after a failed and"
true && echo yes && echo "and chain"
true || echo never; echo "after or: $?"
! false; echo "bang false: $?"
! true; echo "bang true: $?"
false | true; echo "pipeline status is the last command's: $?"
true | false; echo "and this one: $?"
nosuchcommand; echo "not found: $?"
/bin/nosuch; echo "no such path: $?"
/tmp; echo "a directory: $?"
sh -c 'exit 7'; echo "sh -c exit: $?"
sh -c 'echo "args: $0 $1 $2 ($#)"' zero one two
echo visible # a comment
echo not#a#comment
# variables and quoting
X=hello; Y="a  b"
echo $X ${X}world "$Y" $Y '$X' "\$X" \$X a\ b "q\"q" 'it''s' "" empty"" ''x
echo "nested 'single' in double" 'and "double" in single'
echo "${X} and $X." "$X$X"
unset X; echo "unset: [$X]"
Z=shellonly; sh -c 'echo "child sees [$Z]"'
export Z; sh -c 'echo "exported, child sees [$Z]"'
export W=direct; sh -c 'echo "[$W]"'
V=prefix sh -c 'echo "prefix assignment: [$V]"'; echo "after it: [$V]"
A=1 B=2; echo "$A$B"
E="x  y   z"; echo $E "$E"
echo a\
b
echo "multi
line"
echo one &&
echo two ||
echo never
echo one | 
wc -l
# redirections
cd /tmp
echo first > f; echo second >> f; cat f; cat < f | wc -l
echo truncated > f; cat f
ls nosuchfile 2> err; echo "ls status $?"; cat err
ls nosuchfile > out 2>&1; echo "merged:"; cat out
echo to-stderr 1>&2
echo "to fd 3" 3> three >&3; cat three
cat < nosuch; echo "redirect from missing file: $?"
echo x > /nonexistent/dir/file; echo "redirect to bad path: $?"
rm f err out three
# cd
cd /; pwd; cd tmp; pwd; cd ..; pwd; cd -; cd /nonexistent; echo "cd status $?"; cd; pwd
# background jobs
sleep 1 & echo started; wait; echo waited
echo from-background & wait $!; echo "wait pid: $?"
sh -c 'exit 5' & wait $!; echo "background status: $?"
sleep 2 & sleep 1 & wait; echo "waited for both"
wait 12345; echo "wait for a stranger: $?"
# scripts, exec, more redirections
cd /tmp
echo 'echo "script $0 got $# args: $1 $2"; exit 6' > s.sh
sh s.sh a b; echo "script status: $?"
sh nosuch.sh; echo "missing script: $?"
sh -c 'echo "-c with $*"' name x y
exec 3> fd3; echo "through exec'd fd 3" >&3; exec 3>&-; cat fd3
echo "closed fd 3" >&3; echo "write to closed fd: $?"
ls nosuchfile 2>&1 | wc -l
ls nosuchfile 2>/dev/null; echo "quiet: $?"
sh -c 'exec echo "exec replaced the shell"; echo never'
rm s.sh fd3
cd /tmp; cd /; echo "OLDPWD=$OLDPWD PWD=$PWD"
export
echo "syntax errors:"
sh -c 'echo a | | b'; echo "status $?"
sh -c 'echo a ;; echo b'; echo "status $?"
sh -c 'echo "open quote'; echo "status $?"
sh -c 'echo > '; echo "status $?"
exit 3
echo never

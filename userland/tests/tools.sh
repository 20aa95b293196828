# env, uname, hostname, pwd, true, false, sleep, kill.
env
env -i A=1 B=2 env
env -i /bin/env
env FOO=bar sh -c 'echo "env set [$FOO]"'
env nosuch; echo "env missing: $?"
uname; uname -s; uname -sn; uname -x; echo "uname bad option: $?"
hostname
pwd; cd /tmp; pwd; cd /; /bin/pwd
true; echo "true: $?"
false; echo "false: $?"
sleep 0; echo "sleep 0: $?"
sleep 0.5; echo "sleep 0.5: $?"
sleep; echo "sleep without argument: $?"
sleep x; echo "sleep bad argument: $?"
sleep 100 & kill $!; wait $!; echo "TERM: $?"
sleep 100 & kill -9 $!; wait $!; echo "KILL: $?"
sleep 100 & kill -s USR1 $!; wait $!; echo "USR1: $?"
sleep 100 & kill -HUP $!; wait $!; echo "HUP: $?"
sleep 100 & kill -SIGALRM $!; wait $!; echo "ALRM: $?"
sleep 100 & kill -0 $!; echo "signal 0: $?"; kill $!; wait $!; echo "then TERM: $?"
kill 99999; echo "kill no such process: $?"
kill -BOGUS 1; echo "kill bad signal: $?"
kill; echo "kill without pid: $?"
kill -l | wc -l
sh -c 'kill -9 $$; echo never'; echo "self-kill: $?"
sh -c 'sleep 100 & exit 9'; echo "shell left a background job: $?"

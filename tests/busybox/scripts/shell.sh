# The shell itself: pipelines, command substitution, arithmetic, functions, loops, here-documents,
# subshells, redirections, traps and background jobs.
set -u
echo "pipeline: $(echo one two three | tr ' ' '\n' | sort -r | tr '\n' ' ')"
n=$(( (7 * 6) % 10 + 2 ** 3 ))
echo "arithmetic: $n"
square() { echo $(( $1 * $1 )); }
total=0
for i in 1 2 3 4 5; do total=$(( total + $(square $i) )); done
echo "sum of squares: $total"
i=0
while [ $i -lt 3 ]; do i=$((i + 1)); printf 'loop %d\n' "$i"; done
for word in apple banana cherry; do
    case $word in
        a*) echo "$word starts with a" ;;
        *an*) echo "$word has an" ;;
        *) echo "$word is other" ;;
    esac
done
cat <<END
here-document with $n and $(echo substitution)
END
( cd /; exit 3 ); echo "subshell status $?"
false || echo "or after false"
true && echo "and after true"
! false && echo "negation"
{ echo to-stderr >&2; echo to-stdout; } 2>/dev/null
echo "captured: $( { echo err >&2; } 2>&1 )"
exec 3>fd3.txt; echo "via fd 3" >&3; exec 3>&-; cat fd3.txt; rm fd3.txt
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
sleep 0.2 & p1=$!
( sleep 0.1; echo "background subshell done" ) & p2=$!
wait $p2; echo "waited for subshell: $?"
wait $p1; echo "waited for sleep: $?"
sh -c 'exit 7'; echo "child shell status $?"
sh -c 'kill -TERM $$'; echo "killed child status $?"
yes | head -n 3
seq 1 5 | while read x; do printf '%s,' "$x"; done; echo
set -- a "b c" d; echo "args $# second=$2"
unset total; echo "unset: ${total:-empty}"
s="hello world"; echo "${#s} ${s%world} ${s#hello } ${s/o/0}"

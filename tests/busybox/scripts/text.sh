# Text tools over a small generated data set: sort, uniq, sed, awk, grep, cut, tr, head, tail, wc.
awk 'BEGIN { srand(7); for (i = 1; i <= 200; i++) printf "%d %s %d\n", i, substr("alphabetagammadeltaepsilon", 1 + (i * 7) % 20, 4), (i * 37) % 101 }' > data.txt
wc -l data.txt
sort -k3,3n -k1,1n data.txt | head -n 5
sort -k2,2 -u data.txt | cut -d' ' -f2 | tr '\n' ' '; echo
cut -d' ' -f2 data.txt | sort | uniq -c | sort -k1,1nr -k2 | head -n 4
sed -n '10,14p' data.txt
sed 's/a/A/g; s/^\([0-9]*\) /[\1] /' data.txt | tail -n 3
awk '{ s += $3; if ($3 > m) { m = $3; at = $1 } } END { printf "sum %d max %d at %d avg %.3f\n", s, m, at, s / NR }' data.txt
awk -F' ' '$3 % 2 == 0 { even++ } END { print "even", even }' data.txt
grep -c 'gam' data.txt
grep -v -E '^[0-9]*[05] ' data.txt | wc -l
grep -n 'lta' data.txt | head -n 2
tr 'a-z' 'A-Z' < data.txt | head -n 2
printf 'b\na\nc\na\n' | sort | uniq
printf '3\n10\n2\n' | sort -n | tr '\n' ' '; echo
echo "The quick brown fox" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i; print "" }'
head -c 20 data.txt | od -c | head -n 2
md5sum data.txt | cut -c1-32
rm data.txt

# Files: mkdir, find, xargs, tar, cp, mv, rm, cmp, ln, and reading them back.
mkdir -p tree/a/b tree/c
for i in 1 2 3 4 5; do echo "file $i" > tree/a/f$i.txt; done
echo "deep" > tree/a/b/deep.txt
printf '%s\n' x y z > tree/c/list
ln -s ../a/f1.txt tree/c/link
find tree -type f | sort
find tree -name '*.txt' -newer tree/a/f1.txt -o -name list | sort
find tree -type l | sort
find tree -type f -name 'f*' | sort | xargs cat
find tree -type f | sort | xargs -n 2 echo pair:
ls tree/a | xargs -I{} echo "item {}"
tar cf tree.tar tree
tar tf tree.tar | sort
mkdir out && cd out && tar xf ../tree.tar && cd ..
cmp tree/a/b/deep.txt out/tree/a/b/deep.txt && echo "tar round trip equal"
cat out/tree/c/link
tar czf tree.tgz tree && tar tzf tree.tgz | wc -l
cp -r tree copy && mv copy/a/f2.txt copy/moved.txt && ls copy | sort
rm -r copy out tree.tar tree.tgz
rm tree/a/f3.txt && ls tree/a | tr '\n' ' '; echo
[ -e tree/a/f3.txt ] || echo "f3 is gone"
wc -c tree/a/f1.txt tree/c/list | sort
rm -rf tree
ls

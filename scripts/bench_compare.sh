#!/usr/bin/env bash
# Run the quality benchmarks in one checkout (TREE, with its .venv), each output to OUT/<name>.txt:
#   bash scripts/bench_compare.sh TREE OUT   (then diff two OUT folders)
set -u
tree=$1; out=$2; mkdir -p $out; cd $tree
for b in "golden_pages.py" "detik_furniture.py" "quotes.py test" "times.py" "events.py" "events_independent.py" "summary.py" "names.py" "templates.py" "language_id.py" "tokens.py" "html_metadata.py" "record_metadata.py" "linking.py" "corpus.py"; do
  name=$(echo $b | tr ' ' '_')
  ( timeout 900 nice -n 15 .venv/bin/python bench/$b > $out/$name.txt 2>&1; echo "rc=$?" >> $out/$name.txt )
done
echo ALLDONE > $out/done

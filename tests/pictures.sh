#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The pictures mhpsim draws, laid out by a real browser (headless Chromium):
# every label inside its box, and no two labels over each other. Skipped (77)
# without Chromium.
#   tests/pictures.sh MHPSIM OUTDIR
set -eu
mhpsim=$1 out=$2
command -v chromium >/dev/null 2>&1 || { echo "chromium is not installed: skipped"; exit 77; }
mkdir -p "$out"
draw() { name=$1; shift; "$mhpsim" draw "$@" -o "$out/$name.svg"; }
draw map-02 map --step 1 scenarios/teaching/02-adding-memory.yaml
draw map-09 map --step 2 scenarios/teaching/10-virtio-mem.yaml
draw map-2node map scenarios/08-server-two-nodes.yaml
draw map-x86 map scenarios/x86_64/14-virtio-mem-plug-unplug.yaml
draw pgtables-05 pgtables --before 1 --after 5 --linear 0x40000000 2G scenarios/teaching/05-removal-and-teardown.yaml
draw zones-03 zones scenarios/teaching/03-onlining-and-zones.yaml
# One page, every picture inline; its script measures each label as the browser lays it out.
{
  echo '<!DOCTYPE html><html><body>'
  for f in "$out"/*.svg; do echo "<div data-name=\"$(basename "$f")\">"; cat "$f"; echo '</div>'; done
  cat <<'JS'
<script>
const problems = [];
const box = (e) => e.getBBox();
const inside = (a, b) => a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 &&
                         a.y + a.height <= b.y + b.height + 1;
const overlap = (a, b) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 &&
                          b.y < a.y + a.height - 1;
for (const div of document.querySelectorAll('div[data-name]')) {
  const name = div.dataset.name;
  for (const g of div.querySelectorAll('g')) {
    const rect = g.querySelector('rect');
    if (!rect) continue;
    for (const t of g.querySelectorAll('text'))
      if (!inside(box(t), box(rect))) problems.push(name + ': "' + t.textContent + '" leaves its box');
  }
  const texts = [...div.querySelectorAll('text')].filter(t => t.textContent.trim());
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++)
      if (overlap(box(texts[i]), box(texts[j])))
        problems.push(name + ': "' + texts[i].textContent + '" over "' + texts[j].textContent + '"');
}
document.body.setAttribute('data-problems', problems.length);
const pre = document.createElement('pre');
pre.id = 'problems';
pre.textContent = problems.join('\n');
document.body.appendChild(pre);
</script></body></html>
JS
} > "$out/pictures.html"
timeout 120 chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$out/chromium" \
  --virtual-time-budget=5000 --dump-dom "file://$out/pictures.html" 2>/dev/null > "$out/pictures.dom"
n=$(sed -n 's/.*data-problems="\([0-9]*\)".*/\1/p' "$out/pictures.dom")
[ -n "$n" ] || { echo "pictures: the page's script did not run"; exit 1; }
if [ "$n" -ne 0 ]; then
  sed -n '/<pre id="problems">/,/<\/pre>/p' "$out/pictures.dom" | sed 's/<[^>]*>//g' | head -40
  echo "pictures: $n label(s) out of place"
  exit 1
fi
echo "pictures: $(ls "$out"/*.svg | wc -l) pictures, every label inside its box and clear of the others"

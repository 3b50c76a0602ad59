#!/usr/bin/env bash
# Make the real-office-software test fixtures in tests/fixtures/real/.
#
#   scripts/make_real_fixtures.sh
#
# Deletes and recreates tests/fixtures/real/ from the fictional demo texts in
# corpora/demo/ with LibreOffice (headless, driven through UNO by
# scripts/fixtures/lo_build.py), Chromium and wkhtmltopdf (pages written by
# scripts/fixtures/make_html.py), pandoc with XeLaTeX and pandoc's own .docx writer
# (Markdown written by scripts/fixtures/make_markdown.py), ReportLab
# (scripts/fixtures/rl_build.py), then writes the expect.json
# files and README.md (scripts/fixtures/write_expect.py, scripts/fixtures/write_readme.py).
#
# Needs: soffice + /usr/bin/python3 with `import uno` (Debian python3-uno),
# chromium, wkhtmltopdf, pandoc, xelatex (Debian texlive-xetex, lmodern,
# texlive-fonts-recommended), python3-reportlab, pdfinfo/pdffonts/pdftotext
# (poppler-utils; poppler-data for the CJK CMaps of reportlab_material.pdf), the fonts
# "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "DejaVu Serif".
#
# Rerunnable; the text and layout are deterministic.  Bytes are not: the PDFs
# carry creation dates and IDs, the .docx tracked changes carry the time of the
# run, and chromium_zenhei.pdf prints the date and time in its page header
# (the expect.json records what was printed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/tests/fixtures/real"
HELPERS="$ROOT/scripts/fixtures"
# Fixed work directory: chromium_zenhei.pdf prints the page's file:// URL in its footer.
WORK=/tmp/gongwen-fixture
PY=/usr/bin/python3           # Debian's python3, the one with the uno module

S1="$ROOT/corpora/demo/2023_林海燕_党委副书记_对照检查材料.txt"
S2="$ROOT/corpora/demo/2025_枫溪县人民政府_政府工作报告.txt"
S3="$ROOT/corpora/demo/sources/2024_何静_副局长_述职述廉报告.utf8"

export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8

for tool in soffice chromium wkhtmltopdf pandoc xelatex pdfinfo pdffonts pdftotext; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
"$PY" -c 'import uno' || { echo "$PY cannot import uno (apt-get install python3-uno)" >&2; exit 1; }
/usr/bin/python3 -c 'import reportlab' || { echo "/usr/bin/python3 cannot import reportlab (apt-get install python3-reportlab)" >&2; exit 1; }
for f in "$S1" "$S2" "$S3"; do [ -f "$f" ] || { echo "missing source: $f" >&2; exit 1; }; done

SOFFICE_VERSION=$(soffice --version 2>/dev/null | sed '/^$/d' | head -n1)
CHROMIUM_VERSION=$(chromium --version 2>/dev/null | sed '/^$/d' | head -n1)
WKHTMLTOPDF_VERSION=$(wkhtmltopdf --version 2>/dev/null | head -n1)
PANDOC_VERSION=$(pandoc --version | head -n1)
XETEX_VERSION=$(xelatex --version | head -n1)
REPORTLAB_VERSION="ReportLab $("$PY" -c 'import reportlab; print(reportlab.Version)')"

rm -rf "$OUT" "$WORK"
mkdir -p "$OUT" "$WORK/lo"

# log a command line (quoted where needed, paths relative to the repo) for README.md
LOG="$WORK/commands.log"
logcmd() {  # logcmd NAME ARGS...
  local name=$1 out="" a; shift
  for a in "$@"; do
    a=${a//"$ROOT/"/}
    if [[ $a =~ [[:space:]\;\'\"\$\(\)\<\>\|] ]]; then out+=" '${a//\'/\'\\\'\'}'"; else out+=" $a"; fi
  done
  printf '%s\t%s\n' "$name" "${out# }" >>"$LOG"
}
run() { logcmd "$@"; shift; "$@"; }

SOFFICE_PID=
cleanup() {
  if [ -n "$SOFFICE_PID" ] && kill -0 "$SOFFICE_PID" 2>/dev/null; then
    kill "$SOFFICE_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- LibreOffice
echo "== LibreOffice: $SOFFICE_VERSION"
PIPE="gongwen_fixture"
SOFFICE_ARGS=(soffice --headless --invisible --norestore --nologo --nodefault --nolockcheck
  "-env:UserInstallation=file://$WORK/lo-profile"
  "--accept=pipe,name=$PIPE;urp;StarOffice.ComponentContext")
logcmd soffice "${SOFFICE_ARGS[@]}" '&'
"${SOFFICE_ARGS[@]}" >"$WORK/soffice.log" 2>&1 &
SOFFICE_PID=$!
run soffice "$PY" "$HELPERS/lo_build.py" --pipe "$PIPE" --outdir "$WORK/lo" --s1 "$S1" --s2 "$S2"
# lo_build.py asks soffice to terminate; give it a moment, then make sure
for _ in $(seq 1 30); do kill -0 "$SOFFICE_PID" 2>/dev/null || break; sleep 0.5; done
cleanup
wait "$SOFFICE_PID" 2>/dev/null || true
SOFFICE_PID=

cp "$WORK/lo/lo_report.pdf" "$WORK/lo/lo_material.pdf" "$WORK/lo/lo_material.docx" "$OUT/"

# ---------------------------------------------------------------- Chromium
echo "== Chromium: $CHROMIUM_VERSION"
chrome_pdf() {  # chrome_pdf OUT.pdf HTML [extra flags...]
  local out=$1 html=$2; shift 2
  run "$(basename "$out")" chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-extensions --hide-scrollbars \
    --user-data-dir="$WORK/chrome-profile" \
    --print-to-pdf="$out" "$@" "file://$html" >>"$WORK/chromium.log" 2>&1
  [ -s "$out" ] || { echo "chromium did not write $out (see $WORK/chromium.log)" >&2; exit 1; }
}

# 4. S1, Noto Serif CJK SC, no header/footer
run chromium_serif.pdf "$PY" "$HELPERS/make_html.py" --source "$S1" --out "$WORK/对照检查材料.html" \
  --font "Noto Serif CJK SC" --size 16pt --page-margin "37mm 26mm 35mm 28mm"
chrome_pdf "$OUT/chromium_serif.pdf" "$WORK/对照检查材料.html" --no-pdf-header-footer

# 5. S3, WenQuanYi Zen Hei, Chromium's default header/footer (date, title, URL, x/y)
ZENHEI_TITLE="$(head -n1 "$S3")_枫溪县教育局"
run chromium_zenhei.pdf "$PY" "$HELPERS/make_html.py" --source "$S3" --out "$WORK/述职述廉报告.html" \
  --font "WenQuanYi Zen Hei" --size 14pt --title "$ZENHEI_TITLE" \
  --expected "$OUT/chromium_zenhei.source.txt"
chrome_pdf "$OUT/chromium_zenhei.pdf" "$WORK/述职述廉报告.html"

# 6. first 12 paragraphs of S2, two columns, Noto Sans CJK SC, no header/footer
run chromium_twocol.pdf "$PY" "$HELPERS/make_html.py" --source "$S2" --first 12 --columns 2 \
  --out "$WORK/政府工作报告_两栏.html" --font "Noto Sans CJK SC" --size 16pt \
  --page-margin "20mm 18mm" --expected "$OUT/chromium_twocol.source.txt"
chrome_pdf "$OUT/chromium_twocol.pdf" "$WORK/政府工作报告_两栏.html" --no-pdf-header-footer

# ---------------------------------------------------------------- wkhtmltopdf (Qt)
echo "== wkhtmltopdf: $WKHTMLTOPDF_VERSION"
# 7. S1, Noto Sans CJK SC; Debian's Qt is unpatched, so wkhtmltopdf prints no header/footer
run wkhtmltopdf_material.pdf "$PY" "$HELPERS/make_html.py" --source "$S1" --out "$WORK/材料_wk.html" \
  --font "Noto Sans CJK SC" --size 14pt
run wkhtmltopdf_material.pdf wkhtmltopdf -q --page-size A4 --encoding utf-8 \
  -T 30mm -B 30mm -L 25mm -R 25mm "$WORK/材料_wk.html" "$OUT/wkhtmltopdf_material.pdf"

# ---------------------------------------------------------------- pandoc
echo "== $PANDOC_VERSION, $XETEX_VERSION"
# 8. S2 through XeLaTeX: Noto Serif CJK SC embedded as CFF CID fonts, header, footer, a footnote
run xelatex_report.pdf "$PY" "$HELPERS/make_markdown.py" --source "$S2" --out "$WORK/report.md" \
  --expected "$WORK/report.source.txt" --facts "$WORK/xelatex_report.json" \
  --footnote 7 "获得AA信用评级。" "注：信用评级由第三方评级机构出具。"
run xelatex_report.pdf pandoc "$WORK/report.md" -f markdown-smart -o "$OUT/xelatex_report.pdf" \
  --pdf-engine=xelatex -V "mainfont=Noto Serif CJK SC" -V geometry:a4paper -V geometry:margin=25mm \
  -V fontsize=12pt -V linestretch=1.5 -V indent=true -H "$HELPERS/xelatex_header.tex"

# 9. S3 as a .docx by pandoc's own writer: a footnote and a table
run pandoc_report.docx "$PY" "$HELPERS/make_markdown.py" --source "$S3" --out "$WORK/述职.md" \
  --expected "$WORK/述职.source.txt" --facts "$WORK/pandoc_report.json" \
  --footnote 4 "撰写学习心得4篇。" "注：学习心得已在局机关内网公布。" \
  --table 5 "项目|数量;新增学位|2250个;调度会|41次"
run pandoc_report.docx pandoc "$WORK/述职.md" -f markdown-smart -o "$OUT/pandoc_report.docx"

# ---------------------------------------------------------------- ReportLab
echo "== $REPORTLAB_VERSION"
# 10. S1 in the non-embedded CID font STSong-Light (Type 0, CMap UniGB-UCS2-H), header, footer
run reportlab_material.pdf "$PY" "$HELPERS/rl_build.py" --source "$S1" \
  --out "$OUT/reportlab_material.pdf" --header "中共石桥镇委员会" --expected "$WORK/rl.source.txt"

# ---------------------------------------------------------------- expectations
grep -v '^[[:space:]]*$' "$S2" >"$OUT/lo_report.source.txt"
grep -v '^[[:space:]]*$' "$S1" >"$OUT/lo_material.source.txt"
# the pandoc fixtures show their sources whole: the same paragraphs as fixtures made before
cmp "$WORK/report.source.txt" "$OUT/lo_report.source.txt"
cmp "$WORK/述职.source.txt" "$OUT/chromium_zenhei.source.txt"
cmp "$WORK/rl.source.txt" "$OUT/lo_material.source.txt"

"$PY" "$HELPERS/write_expect.py" --outdir "$OUT" --lo-facts "$WORK/lo/lo_build.json" \
  --soffice-version "$SOFFICE_VERSION" --chromium-version "$CHROMIUM_VERSION" \
  --wkhtmltopdf-version "$WKHTMLTOPDF_VERSION" --pandoc-version "$PANDOC_VERSION" \
  --xetex-version "$XETEX_VERSION" --reportlab-version "$REPORTLAB_VERSION" --work "$WORK" \
  --zenhei-title "$ZENHEI_TITLE" --zenhei-url "file://$WORK/述职述廉报告.html"

"$PY" "$HELPERS/write_readme.py" --outdir "$OUT" \
  --soffice-version "$SOFFICE_VERSION" --chromium-version "$CHROMIUM_VERSION" \
  --wkhtmltopdf-version "$WKHTMLTOPDF_VERSION" --pandoc-version "$PANDOC_VERSION" \
  --xetex-version "$XETEX_VERSION" --reportlab-version "$REPORTLAB_VERSION"

echo "== done: $OUT"
ls -l "$OUT"
du -sh "$OUT"

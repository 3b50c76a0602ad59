#!/usr/bin/env bash
# Makes the demo corpus's files in other formats from their UTF-8 sources in corpora/demo/sources,
# with real tools (see corpora/demo/README.md, "Formats"):
#   2025_郑国华_党委书记_述职述廉报告.docx     LibreOffice Writer, .txt import → MS Word 2007 XML
#   2024_孙丽华_副局长_组织生活会对照检查材料.docx   LibreOffice Writer, a Flat ODF whose 一、（一）1.
#                                              are list numbering (scripts/fodt_numbered.py) → MS Word 2007 XML
#   2023_枫溪县委常委会_班子_对照检查材料.docx     pandoc, Markdown whose 1. 2. items are ordered lists → docx
#   2024_何静_副局长_述职述廉报告.pdf          LibreOffice Writer, .txt import → writer_pdf_Export
#   2022_郑国华_党委书记_组织生活会对照检查材料.txt   iconv to GBK
# Needs soffice (libreoffice-writer-nogui), pandoc, python3 and iconv. Rerunnable; output is not
# byte-identical (LibreOffice and pandoc write dates and ids).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../corpora/demo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work"   # a fresh LibreOffice profile
cp sources/2025_郑国华_党委书记_述职述廉报告.utf8 "$work/2025_郑国华_党委书记_述职述廉报告.txt"
cp sources/2024_何静_副局长_述职述廉报告.utf8 "$work/2024_何静_副局长_述职述廉报告.txt"
python3 "$here/fodt_numbered.py" sources/2024_孙丽华_副局长_组织生活会对照检查材料.utf8 \
  > "$work/2024_孙丽华_副局长_组织生活会对照检查材料.fodt"
(cd "$work" && soffice --headless --convert-to 'docx:MS Word 2007 XML' 2025_郑国华_党委书记_述职述廉报告.txt >/dev/null \
  && soffice --headless --convert-to 'docx:MS Word 2007 XML' 2024_孙丽华_副局长_组织生活会对照检查材料.fodt >/dev/null \
  && soffice --headless --convert-to pdf 2024_何静_副局长_述职述廉报告.txt >/dev/null)
cp "$work/2025_郑国华_党委书记_述职述廉报告.docx" "$work/2024_孙丽华_副局长_组织生活会对照检查材料.docx" \
  "$work/2024_何静_副局长_述职述廉报告.pdf" .
# Markdown for pandoc: a paragraph a line; a line opening with 1. (or 1、) is an ordered-list item
# that pandoc numbers itself; Markdown's other special characters are escaped.
python3 - sources/2023_枫溪县委常委会_班子_对照检查材料.utf8 > "$work/banzi.md" <<'PY'
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip():
        continue
    m = re.match(r"^([0-9]+)[.．、](.*)$", line)
    if m:
        print(f"{m.group(1)}. {m.group(2)}\n")
    else:
        print(re.sub(r"([\\`*_{}\[\]<>#+!|~^-])", r"\\\1", line) + "\n")
PY
pandoc -f markdown -t docx -o 2023_枫溪县委常委会_班子_对照检查材料.docx "$work/banzi.md"
iconv -f UTF-8 -t GBK sources/2022_郑国华_党委书记_组织生活会对照检查材料.utf8 > 2022_郑国华_党委书记_组织生活会对照检查材料.txt
soffice --version
pandoc --version | head -1

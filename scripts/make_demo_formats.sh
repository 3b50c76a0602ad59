#!/usr/bin/env bash
# Makes the demo corpus's files in other formats from their UTF-8 sources in corpora/demo/sources,
# with real tools (see corpora/demo/README.md, "Formats"):
#   2025_郑国华_党委书记_述职述廉报告.docx     LibreOffice Writer, .txt import → MS Word 2007 XML
#   2024_何静_副局长_述职述廉报告.pdf          LibreOffice Writer, .txt import → writer_pdf_Export
#   2022_郑国华_党委书记_组织生活会对照检查材料.txt   iconv to GBK
# Needs soffice (libreoffice-writer-nogui) and iconv. Rerunnable; output is not byte-identical
# (LibreOffice writes dates and ids).
set -euo pipefail
cd "$(dirname "$0")/../corpora/demo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work"   # a fresh LibreOffice profile
cp sources/2025_郑国华_党委书记_述职述廉报告.utf8 "$work/2025_郑国华_党委书记_述职述廉报告.txt"
cp sources/2024_何静_副局长_述职述廉报告.utf8 "$work/2024_何静_副局长_述职述廉报告.txt"
(cd "$work" && soffice --headless --convert-to 'docx:MS Word 2007 XML' 2025_郑国华_党委书记_述职述廉报告.txt >/dev/null \
  && soffice --headless --convert-to pdf 2024_何静_副局长_述职述廉报告.txt >/dev/null)
cp "$work/2025_郑国华_党委书记_述职述廉报告.docx" "$work/2024_何静_副局长_述职述廉报告.pdf" .
iconv -f UTF-8 -t GBK sources/2022_郑国华_党委书记_组织生活会对照检查材料.utf8 > 2022_郑国华_党委书记_组织生活会对照检查材料.txt
soffice --version

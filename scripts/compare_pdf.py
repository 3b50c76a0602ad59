#!/usr/bin/env python3
"""Compare text extraction from real PDFs (and .docx) against their expected text.

usage: scripts/compare_pdf.py [--gongwen PATH_TO_BINARY] [--eval PATH_TO_pdf_eval [--crates A,B]]
                              [--json] [--repeat N]
                              tests/fixtures/real/*.pdf [tests/fixtures/real/*.docx]

For every FILE the expectation is read from FILE.expect.json (e.g.
lo_report.pdf.expect.json); its "source" names the expected body text, one
paragraph per line, in the same directory.  A file without an expect.json is
skipped with a warning.

Extractors measured:
  pdftotext          `pdftotext -enc UTF-8 FILE -`          (PDF only)
  pdftotext-layout   `pdftotext -enc UTF-8 -layout FILE -`  (PDF only)
  gongwen            `BIN show FILE --json`, field "text"   (if --gongwen is given)
  crate:NAME         `pdf_eval extract NAME FILE`            (PDF only; if --eval is given:
                     every extractor `pdf_eval list` names, or those --crates names;
                     scripts/pdf_eval, built by hand)

Measures, per file and extractor:
  sim        difflib.SequenceMatcher(None, src, out, autojunk=False).ratio()
             where src/out are the expected text and the output with ALL
             whitespace removed (1.0 = identical character sequence).
             Headers, footers, footnotes and page numbers in the output lower it.
  time       wall-clock seconds of the extractor process (minimum of --repeat runs)
  para_line  source paragraphs whose whitespace-stripped text equals some
             whitespace-stripped line of the output (paragraph kept intact as a line)
  para_sub   source paragraphs whose whitespace-stripped text is a substring of
             the whitespace-stripped output (text kept, line breaks ignored)
  digits     ASCII digits in the output / in the source
  cjk_sp     occurrences of CJK, horizontal whitespace, CJK in the output
             (CJK = ideographs, CJK punctuation, fullwidth forms, and the
             quotes/dashes “ ” ‘ ’ — … used in Chinese text); the source's count in parentheses
  hf_lines   header_footer strings from expect.json that appear, whitespace
             ignored, as a whole line of the output (should be 0)
  extras     footnotes + table cells from expect.json found (whitespace ignored)
             anywhere in the output
  tracked    (files with tracked changes) "ins a/b del c/d": inserted words found
             in the output / all (should be all), deleted words found / all (should be 0)
"""
import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import time

WS = re.compile(r"\s+")
CJK = r"[\u2014\u2018\u2019\u201c\u201d\u2026\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"


def ns(s):
    return WS.sub("", s)


def count_cjk_space(text):
    # counts gaps (runs of spaces), not space characters; U+3000 is a space here
    return len(re.findall(r"%s[ \t\u00a0\u3000]+(?=%s)" % (CJK, CJK), text))


def digits(s):
    return sum(c in "0123456789" for c in s)


def load_expect(path):
    for cand in (path + ".expect.json",
                 os.path.splitext(path)[0] + ".expect.json"):
        if os.path.exists(cand):
            with open(cand, encoding="utf-8") as f:
                exp = json.load(f)
            src_path = os.path.join(os.path.dirname(path), exp["source"])
            with open(src_path, encoding="utf-8") as f:
                paras = [l.rstrip("\n") for l in f if l.strip()]
            return exp, paras
    return None, None


def pdf_pages(path):
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def run_timed(cmd, repeat):
    best, out = None, None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise RuntimeError("%s: no answer in 120 s" % " ".join(cmd))
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                                    p.stderr.decode("utf-8", "replace")[:300]))
        out = p.stdout
        best = dt if best is None else min(best, dt)
    return out, best


def extract(name, binary, path, repeat):
    if name == "pdftotext":
        out, dt = run_timed(["pdftotext", "-enc", "UTF-8", path, "-"], repeat)
        return out.decode("utf-8", "replace"), dt
    if name == "pdftotext-layout":
        out, dt = run_timed(["pdftotext", "-enc", "UTF-8", "-layout", path, "-"], repeat)
        return out.decode("utf-8", "replace"), dt
    if name == "gongwen":
        out, dt = run_timed([binary, "show", path, "--json"], repeat)
        return json.loads(out.decode("utf-8"))["text"], dt
    if name.startswith("crate:"):
        out, dt = run_timed([binary, "extract", name[len("crate:"):], path], repeat)
        return out.decode("utf-8", "replace"), dt
    raise ValueError(name)


def measure(text, paras, exp):
    src = "\n".join(paras)
    src_ns, out_ns = ns(src), ns(text)
    sim = difflib.SequenceMatcher(None, src_ns, out_ns, autojunk=False).ratio()
    lines = {ns(l) for l in text.splitlines()}
    lines.discard("")
    para_line = sum(ns(p) in lines for p in paras)
    para_sub = sum(ns(p) in out_ns for p in paras)
    hf = exp.get("header_footer", [])
    hf_hit = [h for h in hf if ns(h) in lines]
    extras = exp.get("footnotes", []) + exp.get("table_cells", [])
    extras_found = [e for e in extras if ns(e) in out_ns]
    r = {
        "sim": round(sim, 4),
        "para_line": para_line,
        "para_sub": para_sub,
        "paras": len(paras),
        "digits": digits(text),
        "digits_src": digits(src),
        "cjk_space": count_cjk_space(text),
        "cjk_space_src": count_cjk_space(src),
        "hf_lines": len(hf_hit),
        "hf_total": len(hf),
        "hf_found": hf_hit,
        "extras": len(extras_found),
        "extras_total": len(extras),
    }
    for k in ("inserted", "deleted"):
        if k in exp:
            r[k + "_present"] = [w for w in exp[k] if ns(w) in out_ns]
            r[k + "_total"] = len(exp[k])
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--gongwen", metavar="PATH_TO_BINARY",
                    help="also measure `PATH show FILE --json`")
    ap.add_argument("--eval", metavar="PATH_TO_pdf_eval",
                    help="also measure the extractors of scripts/pdf_eval (`pdf_eval extract NAME FILE`)")
    ap.add_argument("--crates", help="comma-separated extractor names for --eval (default: all)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--repeat", type=int, default=3,
                    help="run each extractor N times, report the fastest (default 3)")
    ap.add_argument("--dump", metavar="DIR", help="write every extractor's output to DIR")
    a = ap.parse_args()

    crates = []
    if a.eval:
        listed = subprocess.run([a.eval, "list"], capture_output=True, text=True,
                                check=True).stdout.split("\n")
        crates = [l.split("\t")[0] for l in listed if l.strip()]
        if a.crates:
            crates = [c for c in crates if c in a.crates.split(",")]

    results = []
    for path in a.files:
        if path.endswith((".expect.json", ".source.txt", "README.md")):
            continue  # what a glob like fixtures/real/* also matches
        exp, paras = load_expect(path)
        if exp is None:
            print("warning: no expect.json for %s, skipped" % path, file=sys.stderr)
            continue
        is_pdf = path.lower().endswith(".pdf")
        extractors = (["pdftotext", "pdftotext-layout"] if is_pdf else [])
        if a.gongwen:
            extractors.append("gongwen")
        if is_pdf:
            extractors += ["crate:" + c for c in crates]
        entry = {"file": path, "pages": pdf_pages(path) if is_pdf else None,
                 "columns": exp.get("columns", 1), "source": exp["source"],
                 "extractors": {}}
        for name in extractors:
            try:
                binary = a.eval if name.startswith("crate:") else a.gongwen
                text, dt = extract(name, binary, path, a.repeat)
            except (RuntimeError, OSError, ValueError, KeyError) as e:
                entry["extractors"][name] = {"error": str(e)}
                continue
            if a.dump:
                os.makedirs(a.dump, exist_ok=True)
                with open(os.path.join(a.dump, "%s.%s.txt" % (os.path.basename(path), name)),
                          "w", encoding="utf-8") as f:
                    f.write(text)
            m = measure(text, paras, exp)
            m["time"] = round(dt, 4)
            entry["extractors"][name] = m
        results.append(entry)

    if a.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    print_table(results)


def print_table(results):
    hdr = ["file", "pages", "extractor", "sim", "time_s", "para_line", "para_sub",
           "digits", "cjk_sp", "hf_lines", "extras", "tracked"]
    rows = []
    for e in results:
        base = os.path.basename(e["file"])
        if not e["extractors"]:
            rows.append([base, str(e["pages"] or "-"), "-"] + ["-"] * (len(hdr) - 3))
        for name, m in e["extractors"].items():
            if "error" in m:
                rows.append([base, str(e["pages"] or "-"), name, "ERROR: " + m["error"][:60]]
                            + [""] * (len(hdr) - 4))
                continue
            rows.append([
                base, str(e["pages"] or "-"), name, "%.4f" % m["sim"], "%.3f" % m["time"],
                "%d/%d" % (m["para_line"], m["paras"]),
                "%d/%d" % (m["para_sub"], m["paras"]),
                "%d/%d" % (m["digits"], m["digits_src"]),
                "%d (src %d)" % (m["cjk_space"], m["cjk_space_src"]),
                "%d/%d" % (m["hf_lines"], m["hf_total"]),
                "%d/%d" % (m["extras"], m["extras_total"]),
                tracked(m),
            ])
    widths = [max(len(hdr[i]), *(wlen(r[i]) for r in rows)) if rows else len(hdr[i])
              for i in range(len(hdr))]
    print("  ".join(pad(h, w) for h, w in zip(hdr, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(pad(c, w) for c, w in zip(r, widths)))


def tracked(m):
    """ins a/b del c/d: inserted words present / all, deleted words present / all."""
    if "inserted_present" not in m and "deleted_present" not in m:
        return "-"
    return "ins %d/%d del %d/%d" % (len(m.get("inserted_present", [])), m.get("inserted_total", 0),
                                    len(m.get("deleted_present", [])), m.get("deleted_total", 0))


def wlen(s):
    # display width: East Asian wide characters take two columns
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def pad(s, w):
    return s + " " * (w - wlen(s))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Prints bench/run's results as one Markdown table: table.py RESULTS_DIR.

Reads RESULTS_DIR/rows.tsv (workload, size, Alembic id, Retort id, floor id, note),
each id's hyperfine export (ID.json: the median) or GNU time output (ID.time:
seconds and peak KiB), and its peak RSS (ID.rss, KiB), and the machine (machine.txt).
"""
import json
import os
import sys

res = sys.argv[1]


def measured(i):
    """(median seconds, peak RSS KiB) of a measurement id, or (None, None)."""
    if i == "-":
        return None, None
    p = os.path.join(res, i)
    if os.path.exists(p + ".json"):
        with open(p + ".json") as f:
            median = json.load(f)["results"][0]["median"]
        rss = None
        if os.path.exists(p + ".rss"):
            with open(p + ".rss") as f:
                lines = [l for l in f.read().split() if l.isdigit()]
                rss = int(lines[-1]) if lines else None
        return median, rss
    if os.path.exists(p + ".time"):
        with open(p + ".time") as f:
            words = f.read().split()
        return float(words[-2]), int(words[-1])
    return None, None


def t(s):
    if s is None:
        return "–"
    if s >= 1:
        return "%.2f s" % s
    if s >= 0.1:
        return "%.0f ms" % (s * 1000)
    if s >= 0.01:
        return "%.1f ms" % (s * 1000)
    return "%.2f ms" % (s * 1000)


def mib(k):
    return "–" if k is None else "%.0f MiB" % (k / 1024)


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else "%.2fx" % (a / b)


machine = {}
with open(os.path.join(res, "machine.txt")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("=")
        machine[k] = v

print("| workload | size | Alembic | Retort | Alembic ÷ Retort | floor | Retort ÷ floor | RSS Alembic | RSS Retort | note |")
print("|---|---|---|---|---|---|---|---|---|---|")
with open(os.path.join(res, "rows.tsv")) as f:
    for line in f:
        w, size, ai, ri, fi, note = line.rstrip("\n").split("\t")
        a, arss = measured(ai)
        r, rrss = measured(ri)
        fl, _ = measured(fi)
        if ri.startswith("w7.") and ri.endswith(".full") and r is not None:
            note = ("%.0f ms per file (full / N) " % (r / int(size) * 1000)) + note
        print(f"| {w} | {size} | {t(a)} | {t(r)} | {ratio(a, r)} | {t(fl)} | {ratio(r, fl)} | {mib(arss)} | {mib(rrss)} | {note} |")
print()
print(f"Machine: {machine.get('nproc', '?')} cores, {machine.get('cpu', '?')}; load average (1, 5, 15 min) "
      f"{machine.get('load_before', '?')} before, {machine.get('load_after', '?')} after; {machine.get('date', '')}.")
commit = machine.get("retort_commit")
print(f"Retort build: {machine.get('retort_build_type', '?')}{' of commit ' + commit if commit else ''}. {machine.get('versions', '')}. Times: hyperfine medians; "
      "W7: one build, GNU time. RSS: peak resident set of one run (GNU time; for a build, its largest process).")

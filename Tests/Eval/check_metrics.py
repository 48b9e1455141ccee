#!/usr/bin/env python3
"""Checks `qwery eval`'s metrics against ir-measures (pytrec_eval underneath) on a toy run.

    python3 Tests/Eval/check_metrics.py QWERY_BINARY

Writes a small folder of notes and graded queries, runs `qwery eval --details` over it (lexical and
bm25, no model), turns each query's ranked files into a TREC run and compares nDCG@10, R@10 and RR@10
per query with ir-measures'. Prints `N passed, N failed` and exits non-zero on any difference > 1e-6.
"""
import json
import os
import subprocess
import sys
import tempfile

import ir_measures
from ir_measures import nDCG, R, RR

NOTES = {
    "alpha.md": "lantern festival in kyoto with persimmon trees",
    "beta.md": "lantern repair notes: glass, wick, kerosene",
    "gamma.md": "persimmon jam recipe with lemon",
    "delta.md": "kyoto temples and the philosopher's path",
    "epsilon.md": "festival budget for the lantern parade",
    "zeta.md": "unrelated grocery list: milk, eggs, bread",
    "eta.md": "persimmon persimmon persimmon harvest log",
    "theta.md": "train timetable from osaka to kyoto",
}
QUERIES = [
    {"id": "q1", "query": "lantern festival", "relevant": [{"path": "alpha.md", "grade": 2}, {"path": "epsilon.md", "grade": 1}, "beta.md"]},
    {"id": "q2", "query": "persimmon", "relevant": [{"path": "gamma.md", "grade": 3}, "eta.md", {"path": "zeta.md", "grade": 1}]},
    {"id": "q3", "query": "kyoto train", "relevant": ["theta.md", {"path": "delta.md", "grade": 2}]},
    {"id": "q4", "query": "grocery", "relevant": ["alpha.md"]},
]


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="qwery-metrics-")
    folder = os.path.join(work, "notes")
    os.makedirs(folder)
    for name, text in NOTES.items():
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(text + "\n")
    queries = os.path.join(work, "queries.jsonl")
    with open(queries, "w") as handle:
        for query in QUERIES:
            handle.write(json.dumps(query) + "\n")
    details = os.path.join(work, "details.jsonl")
    subprocess.run([binary, "eval", folder, "--queries", queries, "--compare", "lexical,bm25", "--details", details,
                    "--db", os.path.join(work, "index.sqlite"), "--json"], check=True, stdout=subprocess.DEVNULL)
    qrels = []
    for query in QUERIES:
        for target in query["relevant"]:
            path, grade = (target, 1) if isinstance(target, str) else (target["path"], target["grade"])
            qrels.append(ir_measures.Qrel(query["id"], path, grade))
    passed = failed = 0
    with open(details) as handle:
        lines = [json.loads(line) for line in handle]
    for line in lines:
        outcome = line["outcome"]
        run = [ir_measures.ScoredDoc(outcome["id"], entry["path"], 100.0 - rank) for rank, entry in enumerate(outcome["top"])]
        ours = {nDCG @ 10: outcome["file"]["ndcg10"], R @ 10: outcome["file"]["recall10"], RR @ 10: outcome["file"]["mrr10"]}
        theirs = {m.measure: m.value for m in ir_measures.iter_calc(list(ours), [q for q in qrels if q.query_id == outcome["id"]], run)}
        for measure, value in ours.items():
            expected = theirs.get(measure, 0.0)
            if abs(value - expected) <= 1e-6:
                passed += 1
            else:
                failed += 1
                print(f"{line['configuration']} {outcome['id']} {measure}: qwery {value}, ir-measures {expected}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()

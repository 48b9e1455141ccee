#!/usr/bin/env python3
"""The code development set one repository at a time, as public code-search benchmarks run it (each repository its
own index, each query searched in the repository of its first relevant file), micro-averaged over all queries.

    python3 Tests/Eval/per_repository.py --qwery .build/release/qwery [--set heldout] [--compare lexical,lexical+code]
    python3 Tests/Eval/per_repository.py --semble-python /path/to/venv/bin/python    # the reference system too

`qwery eval` runs once per sdist folder of ~/.cache/qwery-eval/SET (fetch_sources.py) with that repository's
queries, their paths made relative to it; indexes are kept under --work. With --semble-python (a Python where
`pip install semble==0.7.0` was run), semble_reference.py measures semble's BM25 mode the same way. Prints one table.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.expanduser("~/.cache/qwery-eval")
CATEGORIES = ["symbol", "behaviour", "architecture"]


def relevant_paths(query):
    return [r["path"] if isinstance(r, dict) else r for r in query["relevant"]]


def split(queries, work):
    """Writes one queries file per repository (paths relative to it); returns {repository: file}."""
    by_repository = collections.defaultdict(list)
    for query in queries:
        repository = relevant_paths(query)[0].split("/")[0]
        local = dict(query)
        local["relevant"] = [r[len(repository) + 1:] for r in relevant_paths(query) if r.startswith(repository + "/")]
        by_repository[repository].append(local)
    files = {}
    for repository, local in sorted(by_repository.items()):
        files[repository] = os.path.join(work, repository + ".jsonl")
        with open(files[repository], "w") as out:
            out.writelines(json.dumps(q) + "\n" for q in local)
    return files


def run_qwery(qwery, compare, files, work, corpus):
    """{configuration: {query id: (category, nDCG@10, R@10, MRR@10)}} from each repository's --details."""
    outcomes = collections.defaultdict(dict)
    for repository, queries in files.items():
        details = os.path.join(work, repository + ".details.jsonl")
        command = [qwery, "eval", os.path.join(corpus, repository), "--queries", queries, "--compare", compare, "--json",
                   "--details", details, "--db", os.path.join(work, repository + ".sqlite")]
        print(f"qwery eval {repository}…", file=sys.stderr, flush=True)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        for line in open(details):
            row = json.loads(line)
            outcome = row["outcome"]
            outcomes[row["configuration"]][outcome["id"]] = (outcome["category"], outcome["file"]["ndcg10"],
                                                             outcome["file"]["recall10"], outcome["file"]["mrr10"])
    return outcomes


def run_semble(python, work, evaluation_set):
    details = os.path.join(work, "semble.details.jsonl")
    subprocess.run([python, os.path.join(HERE, "semble_reference.py"), "--set", evaluation_set, "--per-repository", "--details", details],
                   check=True, stdout=subprocess.DEVNULL)
    return {row["id"]: (row["category"], row["ndcg10"], row["recall10"], row["mrr10"]) for row in map(json.loads, open(details))}


def table(systems):
    print("| system | nDCG@10 | R@10 | MRR@10 | " + " | ".join(CATEGORIES) + " |")
    print("| --- " * (4 + len(CATEGORIES)) + "|")
    for name, outcomes in systems.items():
        rows = list(outcomes.values())
        mean = lambda values: sum(values) / max(len(values), 1)
        figures = [mean([r[k] for r in rows]) for k in (1, 2, 3)]
        categories = [mean([r[1] for r in rows if r[0] == c]) for c in CATEGORIES]
        print(f"| {name} | " + " | ".join(f"{x:.3f}" for x in figures + categories) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="code", help="the evaluation set: code (development) or heldout")
    parser.add_argument("--qwery", help="the qwery executable to measure")
    parser.add_argument("--compare", default="lexical,lexical+code")
    parser.add_argument("--semble-python", help="a Python with semble 0.7.0 installed: measure it as the reference")
    parser.add_argument("--work", help="where indexes and details are kept (default: ~/.cache/qwery-eval/per-repository/SET)")
    arguments = parser.parse_args()
    corpus = os.path.join(CACHE, arguments.set)
    work = arguments.work or os.path.join(CACHE, "per-repository", arguments.set)
    os.makedirs(work, exist_ok=True)
    queries = [json.loads(line) for line in open(os.path.join(HERE, arguments.set, "queries.jsonl")) if line.strip()]
    systems = {}
    if arguments.qwery:
        files = split(queries, work)
        for configuration, outcomes in run_qwery(arguments.qwery, arguments.compare, files, work, corpus).items():
            assert len(outcomes) == len(queries), f"{configuration}: {len(outcomes)} of {len(queries)} queries"
            systems[f"qwery {configuration}"] = outcomes
    if arguments.semble_python:
        systems["semble 0.7.0, BM25 mode"] = run_semble(arguments.semble_python, work, arguments.set)
    table(systems)


if __name__ == "__main__":
    main()

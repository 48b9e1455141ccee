#!/usr/bin/env python3
"""A reference system on the code development set: semble 0.7.0 (MinishLab; `pip install semble==0.7.0`) in its
BM25 mode — BM25 over identifier-split, stemmed chunk text and path words, then its definition, file-name and
file-coherence boosts, test/example/compat penalties and same-file decay — with no embedding model.

semble has no switch for that mode: its index always loads the static model. So this builds the index with
semble's own `create_index_from_path` and a stand-in model, and searches with semble's own `search(…, alpha=0.0)`:
every semantic contribution is multiplied by 0 and semantic-only candidates are dropped by its zero-score step,
which leaves exactly its lexical ranking. Run by per_repository.py (one repository at a time) or alone (one index
over the whole corpus, as `qwery eval` measures the set).
"""
import argparse
import collections
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
from semble.index.create import create_index_from_path
from semble.search import search
from semble.types import ContentType

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.expanduser("~/.cache/qwery-eval")


class StandInModel:
    """In place of the model2vec model: its vectors never count, since alpha is 0."""

    dim = 1

    def encode(self, texts, **_):
        return np.ones((len(texts), 1), dtype=np.float32)


def relevant_paths(query):
    return [r["path"] if isinstance(r, dict) else r for r in query["relevant"]]


def file_metrics(files, relevant, k=10):
    relevant = set(relevant)
    top = files[:k]
    dcg = sum(1 / math.log2(rank + 2) for rank, path in enumerate(top) if path in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    reciprocal = next((1 / (rank + 1) for rank, path in enumerate(top) if path in relevant), 0.0)
    return dcg / ideal, len(relevant & set(top)) / len(relevant), reciprocal


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="code", help="the evaluation set: code (development) or heldout")
    parser.add_argument("--per-repository", action="store_true", help="one index per repository (else one for all)")
    parser.add_argument("--details", required=True, help="JSON lines: each query's figures and top files")
    parser.add_argument("--top-k", type=int, default=50, help="chunks asked for (enough for 10 distinct files)")
    arguments = parser.parse_args()
    corpus = os.path.join(CACHE, arguments.set)
    queries = [json.loads(line) for line in open(os.path.join(HERE, arguments.set, "queries.jsonl")) if line.strip()]
    groups = collections.defaultdict(list)
    for query in queries:
        groups[relevant_paths(query)[0].split("/")[0] if arguments.per_repository else ""].append(query)
    model = StandInModel()
    with open(arguments.details, "w") as out:
        for repository, group in sorted(groups.items()):
            root = os.path.join(corpus, repository) if repository else corpus
            print(f"semble: indexing {root}…", file=sys.stderr, flush=True)
            real = Path(os.path.realpath(root))
            bm25, semantic, chunks, _ = create_index_from_path(real, model=model, content=(ContentType.CODE,), display_root=real)
            prefix = repository + "/" if repository else ""
            for query in group:
                results = search(query["query"], model, semantic, bm25, chunks, arguments.top_k, alpha=0.0, selector=None, rerank=True)
                files = []
                for result in results:
                    path = prefix + result.chunk.file_path
                    if path not in files:
                        files.append(path)
                ndcg, recall, reciprocal = file_metrics(files, relevant_paths(query))
                out.write(json.dumps({"id": query["id"], "category": query["category"], "ndcg10": ndcg, "recall10": recall,
                                      "mrr10": reciprocal, "top": files[:10]}) + "\n")


if __name__ == "__main__":
    main()

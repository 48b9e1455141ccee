#!/usr/bin/env python3
"""Tokenizer throughput: `qwery tokenize` against Hugging Face `tokenizers` (Rust), one thread, whole process.

Both read the same JSON Lines corpus on stdin and write {"ids": [...]} lines; the outputs must be identical.
The corpus is the tokenizer fixture texts (15+ languages, code, emoji, whitespace, long inputs) repeated
to about 20 MB. Load time is measured on an empty input.

Usage: swift build -c release && pip install tokenizers && python3 Tests/Benchmarks/tokenizer_vs_hf.py
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOKENIZER = os.path.join(ROOT, "Tests", "Fixtures", "tokenizer", "qwen3-tokenizer.json")
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "tokenizer", "expected-ids.jsonl")
QWERY = os.path.join(ROOT, ".build", "release", "qwery")

HF_SCRIPT = r'''
import sys, json
from tokenizers import Tokenizer
tokenizer = Tokenizer.from_file(sys.argv[1])
write = sys.stdout.write
for line in sys.stdin:
    if line.strip():
        ids = tokenizer.encode(json.loads(line)["text"], add_special_tokens=False).ids
        write('{"ids": [' + ", ".join(map(str, ids)) + ']}\n')
'''


def make_corpus(path, target_bytes):
    texts = [json.loads(line)["text"] for line in open(FIXTURES, encoding="utf-8")]
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        while size < target_bytes:
            for text in texts:
                out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                size += len(text.encode("utf-8"))
    return size


def timed(command, stdin_path, stdout_path):
    env = dict(os.environ, RAYON_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false", OPENBLAS_NUM_THREADS="1")
    with open(stdin_path, "rb") as stdin, open(stdout_path, "wb") as stdout:
        start = time.perf_counter()
        subprocess.run(command, stdin=stdin, stdout=stdout, check=True, env=env)
        return time.perf_counter() - start


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as scratch:
        corpus = os.path.join(scratch, "corpus.jsonl")
        empty = os.path.join(scratch, "empty.jsonl")
        open(empty, "w").close()
        size = make_corpus(corpus, 20_000_000)
        hf_script = os.path.join(scratch, "hf.py")
        with open(hf_script, "w") as handle:
            handle.write(HF_SCRIPT)
        commands = {
            "qwery tokenize": [QWERY, "tokenize", "--model", TOKENIZER],
            "tokenizers (Rust, via Python)": [sys.executable, hf_script, TOKENIZER],
        }
        outputs = {}
        print("corpus: %.1f MB of text, %d repeats, 1 thread" % (size / 1e6, repeats))
        for name, command in commands.items():
            out = os.path.join(scratch, name.split()[0] + ".out")
            load = min(timed(command, empty, out) for _ in range(repeats))
            runs = [timed(command, corpus, out) for _ in range(repeats)]
            outputs[name] = open(out, "rb").read()
            print("%-32s load %.3f s   run min %.2f s median %.2f s   %.1f MB/s (whole process, median)"
                  % (name, load, min(runs), statistics.median(runs), size / 1e6 / statistics.median(runs)))
        identical = len(set(outputs.values())) == 1
        print("outputs identical:", identical)
        sys.exit(0 if identical else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes expected.json (transformers' fp32 reference) into a full-size Qwen3 model folder.

Used for the random-weight model of the exact Qwen3-Embedding-0.6B shape that `qwery bench` creates:
  .build/release/qwery bench --create-only          # prints the folder
  python3 Tests/Fixtures/models/reference_for_folder.py ~/.cache/qwery/bench/Qwen3-Embedding-0.6B-random
  QWERY_FULL_MODEL=~/.cache/qwery/bench/Qwen3-Embedding-0.6B-random swift test --filter FullSizeModel
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import Qwen3Model

END_OF_TEXT = 151643
TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Meeting notes, 14 March: we agreed to ship the search feature before the offsite.",
    "def fibonacci(n):\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)\n",
    "我们明天去北京旅行，记得带护照。",
    "Instruct: Given a search query, retrieve relevant passages from personal notes\nQuery:chickpea recipe",
    " ".join(["search notes by meaning, live as you type"] * 40),
]


def main():
    folder = sys.argv[1]
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    model = Qwen3Model.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    expected = {"documents": []}
    for text in TEXTS:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        if not ids or ids[-1] != END_OF_TEXT:
            ids.append(END_OF_TEXT)
        with torch.no_grad():
            last = model(input_ids=torch.tensor([ids])).last_hidden_state[0, -1]
        expected["documents"].append({
            "text": text, "ids": ids,
            "embedding": F.normalize(last, dim=0).tolist(),
            "embedding_256": F.normalize(last[:256], dim=0).tolist(),
        })
        print(len(ids), "tokens")
    with open(os.path.join(folder, "expected.json"), "w") as handle:
        json.dump(expected, handle)


if __name__ == "__main__":
    main()

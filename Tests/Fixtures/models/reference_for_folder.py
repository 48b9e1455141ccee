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
from transformers import Qwen3ForCausalLM

END_OF_TEXT = 151643
NO_ID, YES_ID = 2152, 9693
RERANK_PREFIX = ("<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the "
                 "Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n")
RERANK_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
RERANK_INSTRUCTION = "Given a web search query, retrieve relevant passages that answer the query"
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
    # The bench checkpoint ties its output head to the embeddings, so it serves as a reranker too.
    model = Qwen3ForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    expected = {"documents": [], "rerank": []}
    for text in TEXTS:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        if not ids or ids[-1] != END_OF_TEXT:
            ids.append(END_OF_TEXT)
        with torch.no_grad():
            last = model.model(input_ids=torch.tensor([ids])).last_hidden_state[0, -1]
        expected["documents"].append({
            "text": text, "ids": ids,
            "embedding": F.normalize(last, dim=0).tolist(),
            "embedding_256": F.normalize(last[:256], dim=0).tolist(),
        })
        print(len(ids), "tokens")
    prefix = tokenizer.encode(RERANK_PREFIX, add_special_tokens=False).ids
    suffix = tokenizer.encode(RERANK_SUFFIX, add_special_tokens=False).ids
    for query, document in [("how do I search my notes by meaning?", TEXTS[1]), ("fibonacci in python", TEXTS[2]),
                            ("travel to Beijing", TEXTS[3]), ("live search", TEXTS[5])]:
        body = "<Instruct>: %s\n<Query>: %s\n<Document>: %s" % (RERANK_INSTRUCTION, query, document)
        ids = prefix + tokenizer.encode(body, add_special_tokens=False).ids + suffix
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([ids])).logits[0, -1]
        score = torch.nn.functional.log_softmax(torch.stack([logits[NO_ID], logits[YES_ID]]), dim=0).exp()[1].item()
        expected["rerank"].append({"query": query, "document": document, "ids": ids, "score": score})
        print(len(ids), "rerank tokens, score", score)
    with open(os.path.join(folder, "expected.json"), "w") as handle:
        json.dump(expected, handle)


if __name__ == "__main__":
    main()

"""Embedding throughput of transformers (fp32 and bf16) on a model folder, for README Performance.

Usage: python3 Tests/Benchmarks/embed_vs_transformers.py MODEL_FOLDER DOCS.jsonl
Measures only the forward passes (the model already loaded, tokenized inputs ready), in batches of 16 with
padding on the left and last-token pooling as the Qwen3-Embedding model card does; compare with the whole
process `qwery embed --model MODEL_FOLDER < DOCS.jsonl` (load and tokenization included).
"""
import json
import sys
import time

import torch
from transformers import AutoModel, AutoTokenizer


def main() -> None:
    folder, documents_path = sys.argv[1], sys.argv[2]
    texts = [json.loads(line)["text"] for line in open(documents_path, encoding="utf-8")]
    tokenizer = AutoTokenizer.from_pretrained(folder, padding_side="left")
    batches = [tokenizer(texts[start:start + 16], padding=True, return_tensors="pt") for start in range(0, len(texts), 16)]
    tokens = sum(int(batch["attention_mask"].sum()) for batch in batches)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(texts)} texts, {tokens} tokens")
    for dtype in (torch.float32, torch.bfloat16):
        model = AutoModel.from_pretrained(folder, dtype=dtype, attn_implementation="sdpa").eval()
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            with torch.inference_mode():
                for batch in batches:
                    hidden = model(**batch).last_hidden_state[:, -1]
                    torch.nn.functional.normalize(hidden.float(), dim=-1)
            best = min(best, time.perf_counter() - start)
        print(f"transformers {str(dtype).removeprefix('torch.')}: {tokens / best:.0f} tokens/s ({best:.1f} s)")
        del model


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds the tiny random-weight Qwen3 checkpoints and the reference outputs the engine is tested against.

Reference: Hugging Face transformers' Qwen3 (modeling_qwen3.py), fp32, eager attention, one text at a time.
Checkpoints are saved in bf16 and reloaded as fp32, so the weights the reference uses are exactly the stored ones.
Each model keeps the real vocabulary size (151,669) so real token ids work.

  tiny-embedding   Qwen3Model (names without "model."), hidden 16, 4 heads x head_dim 8, 2 kv heads (GQA 2),
                   old-style config (top-level rope_theta), single file
  tiny-causal      Qwen3ForCausalLM ("model." names), hidden 16, 4 heads x head_dim 16, 1 kv head (GQA 4),
                   untied lm_head, rope_parameters; also the reranker fixture
  tiny-sharded     Qwen3ForCausalLM, hidden 8, 2 heads x head_dim 12, 2 kv heads (GQA 1), tied lm_head,
                   3 layers, saved in shards with model.safetensors.index.json

Outputs: Tests/Fixtures/models/<name>/{config.json, *.safetensors, tokenizer.json (link), expected.json}
Usage: pip install torch transformers tokenizers safetensors; python3 Tests/Fixtures/models/make_model_fixtures.py
"""
import json
import os
import random

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import Qwen3Config, Qwen3ForCausalLM, Qwen3Model

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(HERE, "..", "tokenizer", "qwen3-tokenizer.json")
VOCAB_SIZE = 151669
END_OF_TEXT = 151643
NO_ID, YES_ID = 2152, 9693

RERANK_PREFIX = ("<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the "
                 "Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n")
RERANK_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
DEFAULT_RERANK_INSTRUCTION = "Given a web search query, retrieve relevant passages that answer the query"

MODELS = [
    dict(name="tiny-embedding", causal=False, hidden_size=16, num_attention_heads=4, head_dim=8,
         num_key_value_heads=2, intermediate_size=40, num_hidden_layers=2, rope_theta=1000000.0,
         tie_word_embeddings=True, shard=None, old_style_config=True, seed=1),
    dict(name="tiny-causal", causal=True, hidden_size=16, num_attention_heads=4, head_dim=16,
         num_key_value_heads=1, intermediate_size=32, num_hidden_layers=2, rope_theta=10000.0,
         tie_word_embeddings=False, shard=None, old_style_config=False, seed=2),
    dict(name="tiny-sharded", causal=True, hidden_size=8, num_attention_heads=2, head_dim=12,
         num_key_value_heads=2, intermediate_size=24, num_hidden_layers=3, rope_theta=1000000.0,
         tie_word_embeddings=True, shard="1MB", old_style_config=False, seed=3),
]

DOCUMENTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Meeting notes, 14 March: we agreed to ship the search feature before the offsite.",
    "def fibonacci(n):\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)\n",
    "Recipe: soak the chickpeas overnight, then simmer with garlic, cumin and lemon for an hour.",
    "我们明天去北京旅行，记得带护照。",
    "東京の天気は晴れです。",
    "Grüße aus München! Das Oktoberfest beginnt im September.",
    "func embed(_ text: String) -> [Float] { model.forward(tokenizer.encode(text)) }",
    "a",
    "",
    "   leading and trailing spaces   ",
    "Line one\nLine two\r\nLine three\n\n\nafter blank lines",
    "Emoji: 👍🏽 👨‍👩‍👧‍👦 🇯🇵 and a <|im_start|> token inside text",
    "SELECT id, name FROM users WHERE created_at > now() - interval '7 days';",
    "Reading notes on 'Thinking, Fast and Slow': System 1 is fast and intuitive, System 2 slow and deliberate.",
    "The mitochondria is the powerhouse of the cell. ATP synthase turns a proton gradient into chemical energy.",
    "Travel plan: Lisbon (3 nights) → Porto (2 nights) → Madrid by train.",
    "TODO: fix the flaky test in the indexer, add retries to the downloader, write the README.",
    "café naïve coöperate résumé — combining: cafe\u0301",
    "0123456789 3.14159 1,000,000 ١٢٣",
    "Journal: walked along the river at dawn; the fog lifted slowly over the bridges.",
    "import numpy as np\nx = np.linspace(0, 1, 100)\nprint(x.mean())\n",
    "Ideas: a terminal app that searches notes by meaning, live as you type.",
]

QUERIES = [
    ("Given a web search query, retrieve relevant passages that answer the query", "what is the capital of China?"),
    ("Given a search query, retrieve relevant passages from personal notes", "chickpea recipe"),
    ("Given a code search query, retrieve relevant code snippets", "recursive fibonacci"),
    ("Given a search query, retrieve relevant passages from personal notes", "when is the offsite"),
    ("Given a code search query, retrieve relevant code snippets", "sql query for recent users"),
    ("Retrieve semantically similar text", "天气"),
    ("Given a web search query, retrieve relevant passages that answer the query", ""),
    ("", "empty instruction"),
]

RERANK_PAIRS = [
    (DEFAULT_RERANK_INSTRUCTION, "what is the capital of China?", "The capital of China is Beijing."),
    (DEFAULT_RERANK_INSTRUCTION, "what is the capital of China?", "Gravity makes apples fall."),
    ("Given a search query, retrieve relevant passages from personal notes", "chickpea recipe", DOCUMENTS[3]),
    ("Given a code search query, retrieve relevant code snippets", "recursive fibonacci", DOCUMENTS[2]),
    (DEFAULT_RERANK_INSTRUCTION, "东京天气", DOCUMENTS[5]),
    (DEFAULT_RERANK_INSTRUCTION, "", ""),
]


def long_text(seed, words):
    rng = random.Random(seed)
    vocabulary = ("search notes meaning vector index token model query answer river bridge fog engine chunk "
                  "swift python rust embedding rerank terminal 检索 笔记 東京 über naïve 42 3.14 () {} [] -> => \n").split(" ")
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def randomize(model, seed):
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight") or "layernorm" in name:
                parameter.copy_(0.5 + torch.rand(parameter.shape, generator=generator))
            else:
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.15)


def save(spec, directory):
    config = Qwen3Config(
        vocab_size=VOCAB_SIZE, hidden_size=spec["hidden_size"], intermediate_size=spec["intermediate_size"],
        num_hidden_layers=spec["num_hidden_layers"], num_attention_heads=spec["num_attention_heads"],
        num_key_value_heads=spec["num_key_value_heads"], head_dim=spec["head_dim"], max_position_embeddings=40960,
        rms_norm_eps=1e-6, tie_word_embeddings=spec["tie_word_embeddings"],
        rope_parameters={"rope_theta": spec["rope_theta"], "rope_type": "default"},
        bos_token_id=END_OF_TEXT, eos_token_id=END_OF_TEXT,
    )
    torch.manual_seed(spec["seed"])
    model = (Qwen3ForCausalLM if spec["causal"] else Qwen3Model)(config)
    randomize(model, spec["seed"])
    if spec["causal"] and spec["tie_word_embeddings"]:
        model.tie_weights()
    model = model.to(torch.bfloat16)
    kwargs = {"max_shard_size": spec["shard"]} if spec["shard"] else {}
    model.save_pretrained(directory, safe_serialization=True, **kwargs)
    if spec["old_style_config"]:
        path = os.path.join(directory, "config.json")
        with open(path) as handle:
            saved = json.load(handle)
        saved["rope_theta"] = saved.pop("rope_parameters")["rope_theta"]
        saved["rope_scaling"] = None
        saved["torch_dtype"] = saved.pop("dtype", "bfloat16")
        with open(path, "w") as handle:
            json.dump(saved, handle, indent=2)
    link = os.path.join(directory, "tokenizer.json")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.join("..", "..", "tokenizer", "qwen3-tokenizer.json"), link)


def load_reference(spec, directory):
    cls = Qwen3ForCausalLM if spec["causal"] else Qwen3Model
    model = cls.from_pretrained(directory, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    return model


def hidden_states(model, ids, causal):
    with torch.no_grad():
        tensor = torch.tensor([ids], dtype=torch.long)
        if causal:
            output = model.model(input_ids=tensor)
        else:
            output = model(input_ids=tensor)
        return output.last_hidden_state[0]


def embedding_of(model, ids, causal, dimensions=None):
    last = hidden_states(model, ids, causal)[-1]
    if dimensions:
        last = last[:dimensions]
    return F.normalize(last, p=2, dim=0).tolist()


def main():
    tokenizer = Tokenizer.from_file(TOKENIZER)

    def ids_of(text):
        return tokenizer.encode(text, add_special_tokens=False).ids + [END_OF_TEXT]

    documents = DOCUMENTS + [long_text(7, 1200), long_text(8, 1600)]
    for spec in MODELS:
        directory = os.path.join(HERE, spec["name"])
        os.makedirs(directory, exist_ok=True)
        for existing in os.listdir(directory):
            if existing.endswith(".safetensors") or existing.endswith(".json"):
                os.remove(os.path.join(directory, existing))
        save(spec, directory)
        model = load_reference(spec, directory)
        expected = {"model": spec["name"], "documents": [], "queries": [], "mrl": [], "truncated": [], "rerank": []}
        for text in documents:
            ids = ids_of(text)
            expected["documents"].append({"text": text, "ids": ids, "embedding": embedding_of(model, ids, spec["causal"])})
        for instruction, query in QUERIES:
            text = "Instruct: %s\nQuery:%s" % (instruction, query)
            ids = ids_of(text)
            expected["queries"].append({"instruction": instruction, "query": query, "ids": ids,
                                        "embedding": embedding_of(model, ids, spec["causal"])})
        for index in (0, 1, 4, len(documents) - 1):
            for dimensions in (4, spec["hidden_size"] // 2):
                ids = ids_of(documents[index])
                expected["mrl"].append({"document": index, "dimensions": dimensions,
                                        "embedding": embedding_of(model, ids, spec["causal"], dimensions)})
        for index, limit in ((len(documents) - 1, 64), (len(documents) - 2, 100), (1, 8)):
            ids = tokenizer.encode(documents[index], add_special_tokens=False).ids
            kept = ids[:limit - 1] + [END_OF_TEXT]
            expected["truncated"].append({"document": index, "max_tokens": limit, "ids": kept,
                                          "embedding": embedding_of(model, kept, spec["causal"])})
        if spec["causal"]:
            prefix = tokenizer.encode(RERANK_PREFIX, add_special_tokens=False).ids
            suffix = tokenizer.encode(RERANK_SUFFIX, add_special_tokens=False).ids
            pairs = RERANK_PAIRS + [(DEFAULT_RERANK_INSTRUCTION, "search notes", long_text(9, 700))]
            for instruction, query, document in pairs:
                body = "<Instruct>: %s\n<Query>: %s\n<Document>: %s" % (instruction, query, document)
                ids = prefix + tokenizer.encode(body, add_special_tokens=False).ids + suffix
                with torch.no_grad():
                    logits = model(input_ids=torch.tensor([ids])).logits[0, -1]
                pair = torch.stack([logits[NO_ID], logits[YES_ID]])
                score = torch.nn.functional.log_softmax(pair, dim=0).exp()[1].item()
                expected["rerank"].append({"instruction": instruction, "query": query, "document": document,
                                           "ids": ids, "score": score})
        with open(os.path.join(directory, "expected.json"), "w") as handle:
            json.dump(expected, handle, ensure_ascii=False)
        print(spec["name"], "documents", len(expected["documents"]), "queries", len(expected["queries"]),
              "rerank", len(expected["rerank"]), "longest", max(len(d["ids"]) for d in expected["documents"]))


if __name__ == "__main__":
    main()

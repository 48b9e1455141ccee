#!/usr/bin/env python3
"""Builds the outlier family: small random-weight Qwen3 checkpoints with the "massive activations" of real LLMs.

Real checkpoints (Qwen's included) carry a few hidden-state channels 10-1000x larger than the rest, and some MLP
intermediate channels too (LLM.int8(), SmoothQuant, "Massive Activations in Large Language Models"). Per-token int8
breaks exactly there, and the plain random fixtures have none, so these do:

  outlier-x10, outlier-x30, outlier-x100   Qwen3ForCausalLM, hidden 64, 4 heads x head_dim 16, 2 kv heads, MLP 192,
                                            2 layers, tied lm_head (so each serves as embedding model and reranker)
  residual stream: hidden channels 5 and 41 scaled xM in the embedding table, and the rows of o_proj and down_proj
                   that write them (the projections that feed the residual stream) scaled x sqrt(M);
  MLP intermediate: channels 3, 77 and 150 scaled x sqrt(M) in gate_proj and up_proj (silu(gate) * up grows ~M).

Only the embedding rows of tokens the fixture texts use (and "yes"/"no") are random; the rest are zero, which keeps
the checkpoints small in git while real token ids still work.

expected.json has the usual reference (transformers fp32, eager attention) plus "transformers_bf16" and
"transformers_fp16": the worst embedding cosine and rerank |difference| of transformers itself in those dtypes
against its fp32 on the same checkpoint. The engine's faster precisions are held to the bf16 figures.

Usage: pip install torch transformers tokenizers safetensors; python3 Tests/Fixtures/models/make_outlier_fixtures.py
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import Qwen3Config, Qwen3ForCausalLM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_model_fixtures as base  # noqa: E402  (the texts, prompts and helpers of the plain fixtures)

MAGNITUDES = (10, 30, 100)
RESIDUAL_CHANNELS = (5, 41)
MLP_CHANNELS = (3, 77, 150)
SHAPE = dict(hidden_size=64, num_attention_heads=4, head_dim=16, num_key_value_heads=2, intermediate_size=192,
             num_hidden_layers=2, rope_theta=1000000.0)


def build(magnitude, used_ids):
    config = Qwen3Config(
        vocab_size=base.VOCAB_SIZE, hidden_size=SHAPE["hidden_size"], intermediate_size=SHAPE["intermediate_size"],
        num_hidden_layers=SHAPE["num_hidden_layers"], num_attention_heads=SHAPE["num_attention_heads"],
        num_key_value_heads=SHAPE["num_key_value_heads"], head_dim=SHAPE["head_dim"], max_position_embeddings=40960,
        rms_norm_eps=1e-6, tie_word_embeddings=True,
        rope_parameters={"rope_theta": SHAPE["rope_theta"], "rope_type": "default"},
        bos_token_id=base.END_OF_TEXT, eos_token_id=base.END_OF_TEXT,
    )
    torch.manual_seed(100 + magnitude)
    model = Qwen3ForCausalLM(config)
    base.randomize(model, 100 + magnitude)
    root = torch.sqrt(torch.tensor(float(magnitude)))
    with torch.no_grad():
        table = model.model.embed_tokens.weight
        unused = torch.ones(table.shape[0], dtype=torch.bool)
        unused[sorted(used_ids)] = False
        table[unused] = 0
        for channel in RESIDUAL_CHANNELS:
            table[:, channel] *= magnitude
        for layer in model.model.layers:
            for channel in RESIDUAL_CHANNELS:
                layer.self_attn.o_proj.weight[channel, :] *= root
                layer.mlp.down_proj.weight[channel, :] *= root
            for channel in MLP_CHANNELS:
                layer.mlp.gate_proj.weight[channel, :] *= root
                layer.mlp.up_proj.weight[channel, :] *= root
        # The tied head reads the outlier channels too; a small final norm keeps P("yes") away from 0 and 1,
        # where score differences would vanish and the rerank checks would prove nothing.
        model.model.norm.weight.mul_(0.05)
    model.tie_weights()
    return model.to(torch.bfloat16)


def reference_outputs(model, prompts):
    """(embeddings of the texts, rerank scores of the prompts) from `model` in its own dtype, as fp32 lists."""
    embeddings, scores = [], []
    with torch.no_grad():
        for ids in prompts["texts"]:
            last = model.model(input_ids=torch.tensor([ids])).last_hidden_state[0, -1].float()
            embeddings.append(F.normalize(last, p=2, dim=0))
        for ids in prompts["rerank"]:
            logits = model(input_ids=torch.tensor([ids])).logits[0, -1].float()
            pair = torch.stack([logits[base.NO_ID], logits[base.YES_ID]])
            scores.append(torch.log_softmax(pair, dim=0).exp()[1].item())
    return embeddings, scores


def worst_against(reference, other):
    cosine = min(F.cosine_similarity(a, b, dim=0).item() for a, b in zip(reference[0], other[0]))
    rerank = max(abs(a - b) for a, b in zip(reference[1], other[1]))
    return {"worst_cosine": cosine, "worst_rerank": rerank}


def main():
    tokenizer = Tokenizer.from_file(base.TOKENIZER)

    def ids_of(text):
        return tokenizer.encode(text, add_special_tokens=False).ids + [base.END_OF_TEXT]

    documents = base.DOCUMENTS + [base.long_text(7, 600)]
    queries = [("Instruct: %s\nQuery:%s" % pair, pair) for pair in base.QUERIES]
    prefix = tokenizer.encode(base.RERANK_PREFIX, add_special_tokens=False).ids
    suffix = tokenizer.encode(base.RERANK_SUFFIX, add_special_tokens=False).ids
    pairs = base.RERANK_PAIRS + [(base.DEFAULT_RERANK_INSTRUCTION, "search notes", base.long_text(9, 300))]
    rerank_ids = []
    for instruction, query, document in pairs:
        body = "<Instruct>: %s\n<Query>: %s\n<Document>: %s" % (instruction, query, document)
        rerank_ids.append(prefix + tokenizer.encode(body, add_special_tokens=False).ids + suffix)
    prompts = {"texts": [ids_of(text) for text in documents] + [ids_of(text) for text, _ in queries],
               "rerank": rerank_ids}
    used = {token for ids in prompts["texts"] + prompts["rerank"] for token in ids} | {base.NO_ID, base.YES_ID}

    for magnitude in MAGNITUDES:
        name = "outlier-x%d" % magnitude
        directory = os.path.join(base.HERE, name)
        os.makedirs(directory, exist_ok=True)
        for existing in os.listdir(directory):
            if existing.endswith(".safetensors") or existing.endswith(".json"):
                os.remove(os.path.join(directory, existing))
        build(magnitude, used).save_pretrained(directory, safe_serialization=True)
        link = os.path.join(directory, "tokenizer.json")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.join("..", "..", "tokenizer", "qwen3-tokenizer.json"), link)

        measured = {}
        for label, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16), ("fp16", torch.float16)):
            model = Qwen3ForCausalLM.from_pretrained(directory, dtype=dtype, attn_implementation="eager").eval()
            measured[label] = reference_outputs(model, prompts)
        embeddings, scores = measured["fp32"]
        texts = len(documents)
        expected = {
            "model": name, "magnitude": magnitude,
            "documents": [{"text": text, "ids": ids, "embedding": vector.tolist()}
                          for text, ids, vector in zip(documents, prompts["texts"][:texts], embeddings[:texts])],
            "queries": [{"instruction": pair[0], "query": pair[1], "ids": ids, "embedding": vector.tolist()}
                        for (_, pair), ids, vector in zip(queries, prompts["texts"][texts:], embeddings[texts:])],
            "mrl": [], "truncated": [],
            "rerank": [{"instruction": pair[0], "query": pair[1], "document": pair[2], "ids": ids, "score": score}
                       for pair, ids, score in zip(pairs, prompts["rerank"], scores)],
            "transformers_bf16": worst_against(measured["fp32"], measured["bf16"]),
            "transformers_fp16": worst_against(measured["fp32"], measured["fp16"]),
        }
        with open(os.path.join(directory, "expected.json"), "w") as handle:
            json.dump(expected, handle, ensure_ascii=False)
        print(name, "bf16", expected["transformers_bf16"], "fp16", expected["transformers_fp16"],
              "scores", ["%.3f" % s for s in scores])


if __name__ == "__main__":
    main()

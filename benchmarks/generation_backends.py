"""Generation tokens/s of smepo_train's two backends, side by side: the per-token loop
(``generation_backend=transformers``) and transformers' ``generate`` (``generation_backend=generate``).

    python benchmarks/generation_backends.py                       # SmolLM2-135M's shape, random weights
    python benchmarks/generation_backends.py --prompts 8 --new-tokens 256 --threads 4

Both run the same randomly initialised model of a real shape (nothing downloaded), the same prompts
(random token ids of ``--prompt-len``), ``--generations`` samples per prompt at temperature 1, every
completion running its full ``--new-tokens`` (no end token), after one untimed warm-up call each. Prints
one line per backend: completion tokens, seconds, tokens/s, and the ratio.
"""

from __future__ import annotations

import argparse
import time
from types import SimpleNamespace

import torch
from transformers import AutoConfig, AutoModelForCausalLM

from smepo_train.completions import Stops
from smepo_train.generation import GenerateBackend
from smepo_train.rollout import TransformersBackend

#: SmolLM2-135M's shape (a Llama): the smallest real model the README trains
SMOLLM2_135M = {
    "model_type": "llama",
    "hidden_size": 576,
    "intermediate_size": 1536,
    "num_hidden_layers": 30,
    "num_attention_heads": 9,
    "num_key_value_heads": 3,
    "vocab_size": 49152,
    "max_position_embeddings": 8192,
    "tie_word_embeddings": True,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prompts", type=int, default=4)
    ap.add_argument("--generations", type=int, default=4)
    ap.add_argument("--prompt-len", type=int, default=256)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--layers", type=int, default=SMOLLM2_135M["num_hidden_layers"])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = AutoConfig.for_model(**{**SMOLLM2_135M, "num_hidden_layers": args.layers})
    model = AutoModelForCausalLM.from_config(config).to(args.device).eval()
    model.generation_config.eos_token_id = None
    # a tokenizer stand-in: pad 0 and no end token, so every completion runs to --new-tokens
    tok = SimpleNamespace(pad_token_id=0, eos_token_id=None)
    stops = Stops(tok, model)
    stops.ids = [config.vocab_size]  # an id no logit can pick: nothing ends early
    gen = torch.Generator().manual_seed(1)
    prompts = [
        torch.randint(1, config.vocab_size, (args.prompt_len,), generator=gen).tolist()
        for _ in range(args.prompts)
    ]
    kw = dict(num_generations=args.generations, max_new_tokens=args.new_tokens, temperature=1.0, seed=0)
    print(
        f"model: SmolLM2-135M shape, {args.layers} layers, random weights, {args.device}, "
        f"{args.threads} threads; {args.prompts} prompts x {args.generations} of {args.prompt_len} + "
        f"{args.new_tokens} tokens"
    )
    results = {}
    for name, cls in (("loop (transformers)", TransformersBackend), ("generate", GenerateBackend)):
        backend = cls(model, tok, stops=stops)
        backend.generate(prompts[:1], **{**kw, "num_generations": 1, "max_new_tokens": 4})  # warm-up
        start = time.perf_counter()
        out = backend.generate(prompts, **kw)
        seconds = time.perf_counter() - start
        tokens = sum(len(c.ids) for c in out)
        results[name] = tokens / seconds
        print(f"  {name:20s} {tokens:6d} tokens in {seconds:7.2f} s: {tokens / seconds:8.1f} tokens/s")
    loop, hf = results.values()
    print(f"  generate / loop: {hf / loop:.2f}x")


if __name__ == "__main__":
    main()

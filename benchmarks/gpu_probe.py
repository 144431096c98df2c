"""smepo_train at GPU scale, in one command: generation tokens/s, update step time and peak GPU memory for
full fine-tuning and for LoRA, on randomly initialised Qwen2-style models of real shape (0.5B and 1.5B,
vocabulary 151,936). Nothing is downloaded and no tokenizer is needed (prompts and completions are random
token ids); it needs only torch, transformers, peft (for LoRA) and accelerate, plus this repository.

    PYTHONPATH=. python benchmarks/gpu_probe.py --out out/gpu_probe          # on a CUDA machine, < 8 min
    PYTHONPATH=. python benchmarks/gpu_probe.py --tiny --out /tmp/probe       # CPU dry run, seconds

What runs is the trainer's own code: the generation backends (``make_backend``: transformers' ``generate``
with its static cache on CUDA, and smepo's per-token loop), the update's micro-batch plan
(``plan_microbatches`` under ``max_tokens_per_microbatch``), ``pad_batch``, the chunked log-probs
(``micro_logps``), ``policy_loss`` (grpo, dual-clip 3), the precision step (``OptimizerStep``: bf16 autocast,
float32 master weights, clipping), gradient checkpointing and dropout off as the trainer sets them, and
LoRA through ``prepare_weights`` with the KL reference as the policy with adapters disabled. An update step
here is what ``GRPOTrainer.update`` does for one mini-batch: a no-grad pass for the old log-probs (the
release makes 4 updates per rollout, so they are stored), then forward and backward of every micro-batch and
one optimizer step.

Every phase has a place in a time budget (``--budget-s``, default 420 s after the models are built): a
phase whose estimate (from the same phase on the smaller model, scaled by parameter count) does not fit
what is left is skipped and says so. Each phase prints its figures as soon as it ends and rewrites
``OUT/gpu_probe.json``, so a run stopped by a timeout still leaves the figures it got. A phase that runs out
of GPU memory is recorded as such and the probe goes on.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch

from smepo_train.batching import plan_microbatches
from smepo_train.config import GRPOConfig
from smepo_train.generation import make_backend
from smepo_train.lora import reference
from smepo_train.loss import policy_loss
from smepo_train.memory import (
    disable_dropout,
    enable_checkpointing,
    micro_logps,
    num_parameters,
    prepare_weights,
)
from smepo_train.model import pad_batch
from smepo_train.precision import OptimizerStep

_QWEN2 = {
    "model_type": "qwen2",
    "vocab_size": 151_936,
    "max_position_embeddings": 32_768,
    "rope_theta": 1_000_000.0,
    "rms_norm_eps": 1e-6,
    "tie_word_embeddings": True,
    "use_sliding_window": False,
}
#: Qwen2.5-0.5B's and Qwen2.5-1.5B's shapes (their config.json), and a tiny one for the CPU dry run
SHAPES: dict[str, dict[str, Any]] = {
    "0.5B": {
        **_QWEN2,
        "hidden_size": 896,
        "intermediate_size": 4864,
        "num_hidden_layers": 24,
        "num_attention_heads": 14,
        "num_key_value_heads": 2,
    },
    "1.5B": {
        **_QWEN2,
        "hidden_size": 1536,
        "intermediate_size": 8960,
        "num_hidden_layers": 28,
        "num_attention_heads": 12,
        "num_key_value_heads": 2,
    },
    "tiny": {
        **_QWEN2,
        "vocab_size": 512,
        "max_position_embeddings": 256,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
    },
}

#: the lengths and sizes of the GPU run, and of the CPU dry run (--tiny)
GPU_DEFAULTS = {
    "sizes": "0.5B,1.5B",
    "gen_prompts": 8,
    "generations": 8,
    "gen_prompt_len": 1024,
    "gen_new_tokens": 1024,
    "train_rows": 16,
    "prompt_len": "1024,4096",
    "completion_len": "4096,8192",
    "max_tokens_per_microbatch": 32_768,
    "logprob_chunk_size": 1024,
    "budget_s": 420.0,
}
TINY_DEFAULTS = {
    "sizes": "tiny",
    "gen_prompts": 2,
    "generations": 2,
    "gen_prompt_len": 12,
    "gen_new_tokens": 6,
    "train_rows": 4,
    "prompt_len": "8,16",
    "completion_len": "8,24",
    "max_tokens_per_microbatch": 64,
    "logprob_chunk_size": 16,
    "budget_s": 120.0,
}


class Probe:
    """The run's figures, printed as they come and written to ``OUT/gpu_probe.json`` after each phase."""

    def __init__(self, out: Path, budget_s: float, header: dict[str, Any]) -> None:
        self.out = out
        self.out.mkdir(parents=True, exist_ok=True)
        self.budget_s = budget_s
        self.start = time.perf_counter()
        self.record: dict[str, Any] = {**header, "phases": []}
        self.seconds: dict[tuple[str, str], float] = {}  # (size, phase) -> seconds, for estimates

    def left(self) -> float:
        return self.budget_s - (time.perf_counter() - self.start)

    def run(self, size: str, phase: str, estimate_s: float | None, fn: Any) -> dict[str, Any] | None:
        """Run ``fn()`` (returning a dict of figures) unless ``estimate_s`` does not fit the budget left."""
        entry: dict[str, Any] = {"size": size, "phase": phase}
        if estimate_s is not None and estimate_s > self.left():
            entry["skipped"] = f"estimated {estimate_s:.0f} s, {max(self.left(), 0):.0f} s of budget left"
        else:
            t0 = time.perf_counter()
            try:
                entry.update(fn())
            except torch.OutOfMemoryError as e:
                entry["error"] = f"out of GPU memory: {str(e).splitlines()[0]}"
            except Exception as e:  # a probe reports what broke and goes on with the next phase
                entry["error"] = f"{type(e).__name__}: {e}"
            entry["phase_s"] = round(time.perf_counter() - t0, 2)
            self.seconds[(size, phase)] = entry["phase_s"]
            free_memory()
        self.record["phases"].append(entry)
        print(
            f"[{size}] {phase}: "
            + ", ".join(f"{k}={v}" for k, v in entry.items() if k not in ("size", "phase")),
            flush=True,
        )
        self.write()
        return entry

    def estimate(self, size: str, phase: str) -> float | None:
        """Seconds ``phase`` should take on ``size``: its time on a smaller size already probed, scaled by
        the parameter count (None when none was)."""
        for other in self.record["sizes"]:
            if other != size and (other, phase) in self.seconds:
                return self.seconds[(other, phase)] * num_parameters_of(size) / num_parameters_of(other)
        return None

    def write(self) -> None:
        path = self.out / "gpu_probe.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.record, indent=1) + "\n")
        tmp.replace(path)


def free_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)


def peak_gib(device: torch.device) -> float:
    """Peak GPU memory allocated since the last reset; on CPU the process's peak RSS."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        return round(torch.cuda.max_memory_allocated(device) / 2**30, 2)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss_kib * (1 if sys.platform != "darwin" else 1 / 1024) / 2**20, 2)


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def autocast(device: torch.device, dtype: torch.dtype) -> Any:
    """The trainer's autocast: none in float32."""
    import contextlib

    if dtype == torch.float32:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


def build(shape: dict[str, Any], device: torch.device, seed: int) -> Any:
    """A randomly initialised model of ``shape``, float32 weights (the trainer's master weights), made
    on ``device`` directly."""
    from transformers import AutoConfig, AutoModelForCausalLM

    values = dict(shape)
    config = AutoConfig.for_model(values.pop("model_type"), **values, pad_token_id=0, eos_token_id=None)
    torch.manual_seed(seed)
    with device:
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.generation_config.eos_token_id = None
    return model


def random_ids(gen: torch.Generator, vocab: int, length: int) -> list[int]:
    return torch.randint(1, vocab, (length,), generator=gen).tolist()


def lengths(spec: str) -> tuple[int, int]:
    low, _, high = spec.partition(",")
    lo, hi = int(low), int(high or low)
    if not 1 <= lo <= hi:
        raise ValueError(f"a length range is LOW,HIGH with 1 <= LOW <= HIGH, got {spec!r}")
    return lo, hi


def generation(
    model: Any,
    backend_name: str,
    prompts: list[list[int]],
    args: Any,
    device: torch.device,
    dtype: torch.dtype,
    left: Any,
) -> dict[str, Any]:
    """Tokens/s of one backend, as the trainer generates (under its autocast); every completion runs its
    full ``gen_new_tokens`` (no end token). ``generate`` is timed twice (the first call includes the static
    cache's compilation on CUDA), the loop after a short warm-up."""
    tok = SimpleNamespace(pad_token_id=0, eos_token_id=None)
    backend = make_backend(backend_name, model, tok)
    backend.eos_ids = [model.config.vocab_size]  # an id no logit can pick: nothing ends early
    kw = {"num_generations": args.generations, "max_new_tokens": args.gen_new_tokens, "temperature": 1.0}
    out: dict[str, Any] = {"sequences": len(prompts) * args.generations}
    reset_peak(device)
    runs = 2 if backend_name == "generate" else 1
    if backend_name != "generate":
        with autocast(device, dtype):
            backend.generate(prompts[:1], **{**kw, "num_generations": 1, "max_new_tokens": 4}, seed=0)
    for run in range(runs):
        t0 = time.perf_counter()
        with autocast(device, dtype):
            completions = backend.generate(prompts, **kw, seed=run + 1)
        sync(device)
        seconds = time.perf_counter() - t0
        tokens = sum(len(c.ids) for c in completions)
        label = "cold" if runs == 2 and run == 0 else "warm"
        out[f"{label}_tokens_per_s"] = round(tokens / seconds, 1)
        out[f"{label}_s"] = round(seconds, 2)
        out["tokens"] = tokens
        if runs == 2 and run == 0 and seconds * 1.2 > max(left(), 0):
            out["warm"] = "skipped: budget"
            break
    out["peak_gib"] = peak_gib(device)
    return out


def update_step(
    model: Any,
    cfg: GRPOConfig,
    batch: dict[str, Any],
    opt: dict[str, Any],
    device: torch.device,
    dtype: torch.dtype,
    with_reference: bool,
) -> dict[str, Any]:
    """One optimizer update over ``batch`` as ``GRPOTrainer.update`` makes it for a mini-batch."""
    p_lens = [len(p) for p in batch["prompts"]]
    c_lens = [len(c) for c in batch["completions"]]
    plan = plan_microbatches(p_lens, c_lens, cfg.per_device_train_batch_size, cfg.max_tokens_per_microbatch)
    micro = []
    t0 = time.perf_counter()
    for rows in plan:
        ids, attn, mask = pad_batch(
            [batch["prompts"][i] for i in rows], [batch["completions"][i] for i in rows], 0, device
        )
        mb = {"ids": ids, "attn": attn, "mask": mask, "adv": batch["advantages"][rows].to(device)}
        with torch.no_grad(), autocast(device, dtype):
            mb["old"] = micro_logps(model, cfg, mb)[0]
            if with_reference:  # LoRA: the KL reference is the policy with its adapters disabled
                with reference(model):
                    mb["ref"] = micro_logps(model, cfg, mb)[0]
        micro.append(mb)
    sync(device)
    t1 = time.perf_counter()
    num_tokens = sum(c_lens)
    loss = 0.0
    for mb in micro:
        with autocast(device, dtype):
            logps, _ = micro_logps(model, cfg, mb, with_entropy=True)
        parts = policy_loss(
            logps.float(),
            mb["old"].float(),
            mb["adv"],
            mb["mask"],
            loss_type=cfg.loss_type,
            epsilon=cfg.epsilon,
            epsilon_high=cfg.epsilon_high,
            num_sequences=len(c_lens),
            num_tokens=num_tokens,
            max_completion_length=cfg.max_completion_length,
            beta=cfg.beta,
            ref_logps=mb["ref"].float() if "ref" in mb else None,
            clip_ratio_c=cfg.clip_ratio_c,
        )
        opt["step"].backward(parts.loss)
        loss += float(parts.loss.detach())
    norm = opt["step"].step(opt["params"], opt["optimizer"], opt["scheduler"], cfg.max_grad_norm)
    sync(device)
    t2 = time.perf_counter()
    return {
        "micro_batches": len(plan),
        "tokens": sum(p_lens) + num_tokens,
        "padded_tokens": sum(mb["ids"].numel() for mb in micro),
        "no_grad_pass_s": round(t1 - t0, 2),
        "forward_backward_step_s": round(t2 - t1, 2),
        "loss": loss,
        "grad_norm": norm,
    }


def training(
    model: Any, cfg: GRPOConfig, batch: dict[str, Any], device: torch.device, steps: int
) -> dict[str, Any]:
    """``steps`` update steps (the first one warms up); the figures of the last, and the peak memory."""
    dtype = torch.bfloat16 if cfg.dtype == "bf16" else torch.float32
    reset_peak(device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        params, lr=cfg.learning_rate, betas=(cfg.adam_beta1, cfg.adam_beta2), weight_decay=cfg.weight_decay
    )
    opt = {
        "params": params,
        "optimizer": optimizer,
        "scheduler": torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _: 1.0),
        "step": OptimizerStep(dtype, device),
    }
    out: dict[str, Any] = {
        "parameters": num_parameters(model),
        "trainable": sum(p.numel() for p in params),
    }
    for i in range(steps):
        t0 = time.perf_counter()
        figures = update_step(model, cfg, batch, opt, device, dtype, with_reference=cfg.use_peft)
        figures["step_s"] = round(time.perf_counter() - t0, 2)
        if i == 0 and steps > 1:
            out["first_step_s"] = figures["step_s"]
    out.update(figures)
    out["tokens_per_s"] = round(figures["tokens"] / max(figures["step_s"], 1e-9), 1)
    out["peak_gib"] = peak_gib(device)
    optimizer.zero_grad(set_to_none=True)
    del opt, optimizer, params
    return out


def train_config(args: Any, use_peft: bool, dtype: str) -> GRPOConfig:
    """The trainer's config for the update: the release's loss (grpo, dual-clip 3, no KL) and the
    probe's micro-batch budget; with LoRA, TRL's common r 16 / alpha 32 on every linear layer."""
    return GRPOConfig.from_dict(
        {
            "dtype": dtype,
            "loss_type": "grpo",
            "epsilon": 0.2,
            "epsilon_high": 0.28,
            "clip_ratio_c": 3.0,
            "beta": 0.0,
            "learning_rate": 1e-6,
            "weight_decay": 0.1,
            "adam_beta2": 0.999,
            "max_completion_length": lengths(args.completion_len)[1],
            "max_tokens_per_microbatch": args.max_tokens_per_microbatch,
            "logprob_chunk_size": args.logprob_chunk_size,
            "per_device_train_batch_size": args.train_rows,
            "num_generations": 2,
            "use_peft": use_peft,
            "lora_r": 16,
            "lora_alpha": 32,
            "lora_dropout": 0.0,
            "lora_target_modules": ["all-linear"],
        }
    )


def probe_size(probe: Probe, size: str, args: Any, device: torch.device, dtype: torch.dtype) -> None:
    shape = SHAPES[size]
    vocab = shape["vocab_size"]
    prompts = generation_prompts(size, args)
    gen = torch.Generator().manual_seed(1)
    (p_lo, p_hi), (c_lo, c_hi) = lengths(args.prompt_len), lengths(args.completion_len)
    batch = {
        "prompts": [
            random_ids(gen, vocab, int(torch.randint(p_lo, p_hi + 1, (1,), generator=gen)))
            for _ in range(args.train_rows)
        ],
        "completions": [
            random_ids(gen, vocab, int(torch.randint(c_lo, c_hi + 1, (1,), generator=gen)))
            for _ in range(args.train_rows)
        ],
        "advantages": torch.randn(args.train_rows, generator=gen),
    }
    dtype_name = "bf16" if dtype == torch.bfloat16 else "fp32"

    model = fresh_model(size, device)
    full_cfg = train_config(args, use_peft=False, dtype=dtype_name)
    lora_cfg = train_config(args, use_peft=True, dtype=dtype_name)
    probe.run(
        size,
        "generation generate",
        probe.estimate(size, "generation generate"),
        lambda: generation(model, "generate", prompts, args, device, dtype, probe.left),
    )
    enable_checkpointing(model)
    probe.run(
        size,
        "update full fine-tuning",
        probe.estimate(size, "update full fine-tuning"),
        lambda: training(prepare_weights(model, full_cfg, dtype), full_cfg, batch, device, args.train_steps),
    )
    probe.run(
        size,
        "update LoRA",
        probe.estimate(size, "update LoRA"),
        lambda: training(prepare_weights(model, lora_cfg, dtype), lora_cfg, batch, device, args.train_steps),
    )
    model = None  # noqa: F841  (frees the weights before the next model)
    free_memory()


def probe_loop(probe: Probe, size: str, args: Any, device: torch.device, dtype: torch.dtype) -> None:
    """The per-token loop on the same model (rebuilt from the same seed) and prompts as ``generate``."""
    prompts = generation_prompts(size, args)
    model = fresh_model(size, device)
    probe.run(
        size,
        "generation loop",
        probe.estimate(size, "generation loop"),
        lambda: generation(model, "transformers", prompts, args, device, dtype, probe.left),
    )
    model = None  # noqa: F841  (frees the weights before the next model)
    free_memory()


def fresh_model(size: str, device: torch.device) -> Any:
    t0 = time.perf_counter()
    model = build(SHAPES[size], device, seed=0)
    disable_dropout(model)
    params = num_parameters(model)
    print(f"[{size}] built: {params / 1e6:.1f}M parameters in {time.perf_counter() - t0:.1f} s", flush=True)
    return model


def generation_prompts(size: str, args: Any) -> list[list[int]]:
    gen = torch.Generator().manual_seed(0)
    return [random_ids(gen, SHAPES[size]["vocab_size"], args.gen_prompt_len) for _ in range(args.gen_prompts)]


def num_parameters_of(size: str) -> int:
    """Parameters of a shape, counted without building it (embeddings tied)."""
    s = SHAPES[size]
    h, inter, layers = s["hidden_size"], s["intermediate_size"], s["num_hidden_layers"]
    head_dim = h // s["num_attention_heads"]
    kv = s["num_key_value_heads"] * head_dim
    attn = h * h + 2 * h * kv + h * h + h + 2 * kv  # q, k, v (with biases), o
    per_layer = attn + 3 * h * inter + 2 * h
    return s["vocab_size"] * h + layers * per_layer + h


def table(record: dict[str, Any]) -> str:
    """The figures, one line per phase."""
    lines = [f"{'size':5s} {'phase':26s} {'tokens/s':>10s} {'step s':>8s} {'peak GiB':>9s}  notes"]
    for e in record["phases"]:
        rate = e.get("warm_tokens_per_s", e.get("tokens_per_s"))
        note = e.get("skipped") or e.get("error") or ""
        if "cold_tokens_per_s" in e:
            note = note or f"first call {e['cold_tokens_per_s']} tok/s (compilation)"
        if "micro_batches" in e:
            note = note or f"{e['micro_batches']} micro-batches, {e['trainable']:,} trainable"
        lines.append(
            f"{e['size']:5s} {e['phase']:26s} {_fmt(rate):>10s} {_fmt(e.get('step_s')):>8s} "
            f"{_fmt(e.get('peak_gib')):>9s}  {note}"
        )
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:,.1f}" if isinstance(value, float) else str(value)


def parse(argv: list[str] | None) -> Any:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="folder for gpu_probe.json")
    ap.add_argument("--tiny", action="store_true", help="CPU dry run: a tiny shape and short lengths")
    ap.add_argument("--device", default=None, help="default: cuda (cpu with --tiny)")
    ap.add_argument("--sizes", help=f"comma-separated, of {', '.join(SHAPES)}")
    ap.add_argument("--gen-prompts", type=int)
    ap.add_argument("--generations", type=int, help="completions per generation prompt")
    ap.add_argument("--gen-prompt-len", type=int)
    ap.add_argument("--gen-new-tokens", type=int)
    ap.add_argument("--train-rows", type=int, help="completions in the update's mini-batch")
    ap.add_argument("--train-steps", type=int, default=2, help="update steps per phase (the first warms up)")
    ap.add_argument("--prompt-len", help="LOW,HIGH: the update's prompt lengths, drawn uniformly")
    ap.add_argument("--completion-len", help="LOW,HIGH: the update's completion lengths")
    ap.add_argument("--max-tokens-per-microbatch", type=int)
    ap.add_argument("--logprob-chunk-size", type=int)
    ap.add_argument("--budget-s", type=float, help="seconds for all phases (models' building included)")
    args = ap.parse_args(argv)
    for key, value in (TINY_DEFAULTS if args.tiny else GPU_DEFAULTS).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.device = args.device or ("cpu" if args.tiny else "cuda")
    unknown = [s for s in args.sizes.split(",") if s not in SHAPES]
    if unknown:
        ap.error(f"unknown size(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    for spec in (args.prompt_len, args.completion_len):
        try:
            lengths(spec)
        except ValueError as e:
            ap.error(str(e))
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit(
            f"gpu_probe: torch {torch.__version__} sees no CUDA device (use --tiny for a CPU dry run)"
        )
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    import transformers

    header = {
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "dtype": str(dtype).removeprefix("torch."),
        "sizes": args.sizes.split(","),
        "settings": {k: v for k, v in vars(args).items() if k != "out"},
    }
    print(json.dumps(header), flush=True)
    probe = Probe(args.out, args.budget_s, header)
    for size in header["sizes"]:
        probe_size(probe, size, args, device, dtype)
    for size in header["sizes"]:  # the loop last: the slowest on a GPU, and the least needed
        probe_loop(probe, size, args, device, dtype)
    print(table(probe.record), flush=True)
    probe.write()
    return probe.record


if __name__ == "__main__":
    main()

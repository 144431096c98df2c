"""Vanilla vs full vs masked guidance, rerunnable on a CPU in minutes: does guidance help a model learn to
solve without it?

    pip install -e '.[math,train,bench]'
    python benchmarks/ablation.py                    # ~12 min (3 seeds) on a shared 2-core CPU
    python benchmarks/ablation.py --dry-run --out /tmp/ablation   # seconds: the pipeline end to end

The task: "Compute (a + b) * c." with a, b drawn from 1..9 and c from 2..5 (a seeded ``random.Random``;
the train and eval rows are disjoint). Each row's worked trace is written by the script, two steps and a
GSM8K-style answer line::

    3 + 8 = 11
    11 * 4 = 44
    #### 44

and masked by smepo_data's real masker (``mask_text("math", ...)``, the default level), e.g. ``[NUMBER] + 8
= [NUMBER]\\n[NUMBER] * 4 = [NUMBER]\\n#### [NUMBER]``. The reward is smepo_train's ``domain`` reward
(math-verify against the answer).

The model: a 2-layer Llama (hidden 64) with a character-level tokenizer built here (every printable ASCII
character one token, a small ChatML-like template), randomly initialised and then given a short supervised
warm-up (``--sft-steps`` steps of next-token training on the trace, with the prompt shown in each of the
three forms: no guidance, the full trace, the masked trace; a third each), so that the policy starts with
some reward and can read guidance of either kind. Every arm then starts from that same warm model and runs
smepo_train's real ``GRPOTrainer`` with the same seed, data order and budget; only ``guidance`` differs
(``none`` / ``full`` / ``masked``, all ``num_generations`` guided: the release's setting). All of it is
repeated per seed (``--seeds``, default 0 1 2: the rows, the warm-up and the three arms), and the means are
reported. Every ``--eval-every`` steps an arm is evaluated greedily on the held-out rows without guidance
(and with the full and the masked trace: the copy gaps). Written to ``--out`` (default
benchmarks/results/): ``ablation.png`` (the unguided eval reward over steps per arm), ``ablation.md`` (the
table) and ``ablation.json`` (every eval point, per seed and the means). Wall times go to the console
only, so the files depend on the seeds alone.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARMS = ("none", "full", "masked")
SPECIALS = ["<pad>", "<unk>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}{{ '<|' + m['role'] + '|>' + m['content'] + '<|end|>' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)
MODEL = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4}
INTRO = "Here is an example solution:"
#: a, b in 1..OPERAND, c in 2..FACTOR
OPERAND, FACTOR = 9, 5
PROBLEMS = OPERAND * OPERAND * (FACTOR - 1)


# -- the task --------------------------------------------------------------------------------------------


def make_rows(
    count: int, seed: int, exclude: set[tuple[int, int, int]] | None = None
) -> list[dict[str, Any]]:
    """``count`` distinct problems (a, b, c) not in ``exclude``, each with its trace and masked trace."""
    from smepo_data import mask_text

    seen = set(exclude or ())
    if count > PROBLEMS - len(seen):
        raise ValueError(f"{count} rows asked, but only {PROBLEMS - len(seen)} distinct problems are left")
    rng = random.Random(seed)
    rows = []
    while len(rows) < count:
        a, b, c = rng.randint(1, OPERAND), rng.randint(1, OPERAND), rng.randint(2, FACTOR)
        if (a, b, c) in seen:
            continue
        seen.add((a, b, c))
        question = f"Compute ({a} + {b}) * {c}."
        answer = str((a + b) * c)
        trace = f"{a} + {b} = {a + b}\n{a + b} * {c} = {answer}\n#### {answer}"
        masked = mask_text("math", trace, question=question, answer=answer)
        rows.append(
            {
                "id": f"{a}-{b}-{c}",
                "question": question,
                "answer": answer,
                "trace": trace,
                "masked_trace": masked.text,
                "ability": "math",
                "data_source": "synthetic_arithmetic",
                "abc": (a, b, c),
            }
        )
    return rows


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{k: v for k, v in r.items() if k != "abc"} for r in rows]), path)


# -- the model -------------------------------------------------------------------------------------------


def char_tokenizer() -> Any:
    """A character-level fast tokenizer (printable ASCII, the chat specials) with a chat template."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    chars = [c for c in string.printable if c not in "\r\x0b\x0c"]
    vocab = {t: i for i, t in enumerate(SPECIALS + chars)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    tok.decoder = decoders.Fuse()
    tok.add_special_tokens(SPECIALS)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        unk_token="<unk>",
        eos_token="<|end|>",
        clean_up_tokenization_spaces=False,
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def tiny_model(tokenizer: Any, seed: int) -> Any:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        num_key_value_heads=MODEL["num_attention_heads"],
        max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
        tie_word_embeddings=True,
        **MODEL,
    )
    return LlamaForCausalLM(config)


def warm_up(model: Any, tokenizer: Any, rows: list[dict[str, Any]], steps: int, seed: int, log: Any) -> None:
    """Supervised next-token training on the traces, the prompt in each guidance form in turn."""
    import torch

    from smepo_train.prompts import PromptBuilder

    builder = PromptBuilder(tokenizer, guidance_intro=INTRO, max_prompt_length=512)
    examples = []
    for i, row in enumerate(rows):
        mode = ARMS[i % 3]
        trace = {"none": None, "full": row["trace"], "masked": row["masked_trace"]}[mode]
        prompt = builder.build([{"role": "user", "content": row["question"]}], trace, guidance=mode)
        target = tokenizer(row["trace"], add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
        examples.append((prompt.ids, target))
    rng = random.Random(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    model.train()
    for step in range(steps):
        batch = [examples[rng.randrange(len(examples))] for _ in range(32)]
        width = max(len(p) + len(t) for p, t in batch)
        ids = torch.full((len(batch), width), tokenizer.pad_token_id)
        labels = torch.full((len(batch), width), -100)
        attn = torch.zeros((len(batch), width), dtype=torch.long)
        for j, (p, t) in enumerate(batch):
            seq = p + t
            ids[j, : len(seq)] = torch.tensor(seq)
            labels[j, len(p) : len(seq)] = torch.tensor(t)
            attn[j, : len(seq)] = 1
        loss = model(input_ids=ids, attention_mask=attn, labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (step + 1) % 50 == 0 or step + 1 == steps:
            log(f"  warm-up step {step + 1}/{steps}: loss {float(loss.detach()):.3f}")


# -- the arms --------------------------------------------------------------------------------------------


def run_arm(
    arm: str, model: Any, tokenizer: Any, work: Path, seed: int, args: argparse.Namespace
) -> list[dict]:
    """One arm's eval points: step 0 (the warm model) and every ``eval_every`` steps."""
    from smepo_train import GRPOConfig, GRPOTrainer

    n = args.num_generations
    cfg = GRPOConfig.from_dict(
        {
            "train_file": str(work / "train.parquet"),
            "eval_file": str(work / "eval.parquet"),
            "guidance": arm,
            "guidance_intro": INTRO,
            "num_generations": n,
            "per_device_train_batch_size": n * args.prompts_per_step,
            "max_completion_length": 48,  # the longest trace is 30 characters, then the end token
            "max_prompt_length": 256,
            "temperature": 1.0,
            "learning_rate": args.learning_rate,
            "beta": 0.0,
            "loss_type": "dapo",
            "max_steps": args.steps,
            "seed": seed,
            "eval_steps": args.eval_every,
            "eval_max_samples": None,
            "eval_copy_gap": True,
            "output_dir": str(work / arm),
            "save_steps": 0,
            "log_rollouts_steps": 0,
            "generation_progress_s": 0,
            "dtype": "fp32",
            "device": "cpu",
        }
    )
    trainer = GRPOTrainer(cfg, model=model, tokenizer=tokenizer, log=lambda _: None)
    unguided = trainer.eval_run()
    start = unguided.trainer_metrics()
    start.update(trainer.copy_gap(unguided))
    points = [_point(0, start, None)]
    for until in range(args.eval_every, args.steps + 1, args.eval_every):
        window = trainer.train(until_step=until)  # ends on an eval step
        m = window[-1]
        points.append(_point(m["step"], m, sum(w["reward"] for w in window) / len(window)))
        args.log(
            f"  seed {seed} {arm:6s} step {m['step']:3d}: eval reward {m['eval/reward']:.3f} "
            f"(full {m['eval/reward_full']:.3f}, masked {m['eval/reward_masked']:.3f}), "
            f"train reward {points[-1]['train_reward']:.3f}"
        )
    return points


def _point(step: int, m: dict[str, Any], train_reward: float | None) -> dict[str, Any]:
    return {
        "step": step,
        "eval_reward": m["eval/reward"],
        "eval_reward_full": m["eval/reward_full"],
        "eval_reward_masked": m["eval/reward_masked"],
        "train_reward": train_reward,
    }


# -- the report ------------------------------------------------------------------------------------------


def mean_points(runs: list[list[dict]]) -> list[dict]:
    """The seeds' eval points averaged step by step."""
    out = []
    for at in zip(*runs, strict=True):
        point: dict[str, Any] = {"step": at[0]["step"]}
        for key in ("eval_reward", "eval_reward_full", "eval_reward_masked", "train_reward"):
            values = [p[key] for p in at]
            point[key] = None if None in values else sum(values) / len(values)
        out.append(point)
    return out


def table(per_seed: dict[int, dict[str, list[dict]]], args: argparse.Namespace) -> str:
    """The markdown table: per arm (means over the seeds), the unguided eval reward at the start, at the end
    and at its best, each seed's end value, and the end model's reward with the full / masked trace shown."""
    seeds = list(per_seed)
    lines = [
        f"Synthetic (a + b) * c, {args.train_rows} train / {args.eval_rows} held-out rows, seeds "
        f"{', '.join(map(str, seeds))} (means over them), {args.steps} GRPO steps x {args.prompts_per_step} "
        f"prompts x {args.num_generations} completions at lr {args.learning_rate:g} after {args.sft_steps} "
        "warm-up steps. Eval: greedy, on the held-out rows.",
        "",
        "| arm (guidance in training) | unguided eval, start | unguided eval, end | end, per seed "
        "| best mean (step) | train reward, last eval window | end model: eval with full trace "
        "| with masked trace |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for arm in ARMS:
        points = mean_points([per_seed[s][arm] for s in seeds])
        first, last = points[0], points[-1]
        best = max(points, key=lambda p: p["eval_reward"])
        train = "-" if last["train_reward"] is None else f"{last['train_reward']:.3f}"
        ends = " / ".join(f"{per_seed[s][arm][-1]['eval_reward']:.3f}" for s in seeds)
        lines.append(
            f"| {arm} | {first['eval_reward']:.3f} | {last['eval_reward']:.3f} | {ends} | "
            f"{best['eval_reward']:.3f} ({best['step']}) | {train} | {last['eval_reward_full']:.3f} | "
            f"{last['eval_reward_masked']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def plot(per_seed: dict[int, dict[str, list[dict]]], path: Path, title: str) -> None:
    """The mean unguided eval reward per arm over steps (thick), each seed's run (thin)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    for k, arm in enumerate(ARMS):
        color = f"C{k}"
        for runs in per_seed.values():
            points = runs[arm]
            ax.plot([p["step"] for p in points], [p["eval_reward"] for p in points], color=color, alpha=0.25)
        points = mean_points([runs[arm] for runs in per_seed.values()])
        steps = [p["step"] for p in points]
        ax.plot(steps, [p["eval_reward"] for p in points], color=color, marker="o", linewidth=2, label=arm)
    ax.set_xlabel("GRPO step")
    ax.set_ylabel("eval reward without guidance")
    ax.set_title(title, fontsize=10)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(title="guidance in training (mean; thin: seeds)", fontsize=8, title_fontsize=8)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})  # no version string: the same runs give the same file
    plt.close(fig)


# -- main ------------------------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="one run per seed, averaged")
    p.add_argument("--train-rows", type=int, default=256)
    p.add_argument("--eval-rows", type=int, default=64)
    p.add_argument("--sft-steps", type=int, default=500)
    p.add_argument("--steps", type=int, default=80)
    p.add_argument("--eval-every", type=int, default=10)
    p.add_argument("--prompts-per-step", type=int, default=8)
    p.add_argument("--num-generations", type=int, default=8)
    p.add_argument("--learning-rate", type=float, default=2e-4)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--dry-run", action="store_true", help="a few rows and steps: checks the pipeline only")
    args = p.parse_args(argv)
    if args.dry_run:
        args.train_rows, args.eval_rows, args.sft_steps, args.steps, args.eval_every = 12, 3, 2, 2, 1
        args.prompts_per_step, args.num_generations = 2, 2
    if min(args.steps, args.eval_every, args.train_rows, args.eval_rows) < 1 or args.steps % args.eval_every:
        p.error(
            "--steps, --eval-every and the row counts must be >= 1, and --steps a multiple of --eval-every"
        )
    if args.train_rows + args.eval_rows > PROBLEMS:
        p.error(f"there are only {PROBLEMS} distinct problems")
    return args


def main(argv: list[str] | None = None, log: Any = print) -> dict[int, dict[str, list[dict]]]:
    """Every seed's eval points per arm (also written to ``--out``)."""
    import torch

    args = parse(argv)
    args.log = log
    torch.set_num_threads(args.threads)
    tokenizer = char_tokenizer()
    args.out.mkdir(parents=True, exist_ok=True)
    per_seed: dict[int, dict[str, list[dict]]] = {}
    for seed in args.seeds:
        train_rows = make_rows(args.train_rows, seed)
        eval_rows = make_rows(args.eval_rows, seed + 10_000, exclude={r["abc"] for r in train_rows})
        per_seed[seed] = {}
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            write_parquet(train_rows, work / "train.parquet")
            write_parquet(eval_rows, work / "eval.parquet")
            t0 = time.perf_counter()
            warm = tiny_model(tokenizer, seed)
            warm_up(warm, tokenizer, train_rows, args.sft_steps, seed, log)
            log(f"seed {seed} warm-up: {time.perf_counter() - t0:.0f} s")
            for arm in ARMS:
                t0 = time.perf_counter()
                per_seed[seed][arm] = run_arm(arm, copy.deepcopy(warm), tokenizer, work, seed, args)
                log(f"seed {seed} arm {arm}: {time.perf_counter() - t0:.0f} s")
    md = table(per_seed, args)
    (args.out / "ablation.md").write_text(md)
    record = {"seeds": {str(s): runs for s, runs in per_seed.items()}}
    record["mean"] = {arm: mean_points([runs[arm] for runs in per_seed.values()]) for arm in ARMS}
    (args.out / "ablation.json").write_text(json.dumps(record, indent=1) + "\n")
    plot(per_seed, args.out / "ablation.png", "(a + b) * c, 2-layer char model: unguided eval reward")
    log(md)
    return per_seed


if __name__ == "__main__":
    main()

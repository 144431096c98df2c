"""smepo_train vs TRL's GRPOTrainer, side by side on CPU: the same tiny model, data and settings.

    pip install 'smepo[train,bench]'
    python benchmarks/train_vs_trl.py                 # 6 steps each; prints step times and the ratio
    python benchmarks/train_vs_trl.py --steps 10 --completion-length 64 --threads 0

Both train the same randomly initialised Llama (hidden 128, 4 layers, SmolLM2 tokenizer, same seed) on the
bundled masked GSM8K rows without guidance (TRL gets the rows' chat ``prompt`` column), with the same
reward (share of vowels: cheap, so the comparison is about the trainers), 8 completions per prompt,
16 completions per step, temperature 1 / top-p 1 / no top-k, beta 0, loss dapo, AdamW at 1e-5, no
gradient checkpointing (TRL's default turns it on). A random
model never emits its end token, so every completion has the full length in both. Step time: the median
over the steps after the first (warm-up).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKENIZER = ROOT / "tests" / "data" / "smollm2_tokenizer"
DATA = ROOT / "examples" / "data" / "gsm8k_masked_train.parquet"
MODEL = {
    "model_type": "llama",
    "hidden_size": 128,
    "intermediate_size": 256,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 2048,
}


def vowel_share(completion: str, **_: object) -> float:
    return sum(c in "aeiou" for c in completion) / max(1, len(completion))


def trl_reward(prompts: list, completions: list, **_: object) -> list[float]:
    """TRL's reward signature; conversational completions are lists of messages."""
    texts = [c[-1]["content"] if isinstance(c, list) else c for c in completions]
    return [vowel_share(t) for t in texts]


def tiny_model(seed: int, tokenizer):
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    kwargs = dict(MODEL)
    config = AutoConfig.for_model(
        kwargs.pop("model_type"),
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.bos_token_id,
        **kwargs,
    )
    torch.manual_seed(seed)
    return AutoModelForCausalLM.from_config(config)


def run_smepo(args: argparse.Namespace, out: Path) -> list[float]:
    from smepo_train import GRPOConfig, GRPOTrainer

    cfg = GRPOConfig.from_dict(
        {
            "tokenizer_name_or_path": str(TOKENIZER),
            "model_config": MODEL,
            "train_file": str(DATA),
            "guidance": "none",
            "max_prompt_length": 1024,
            "reward_funcs": ["benchmarks.train_vs_trl:vowel_share"],
            "num_generations": 8,
            "per_device_train_batch_size": 16,
            "gradient_accumulation_steps": 1,
            "max_completion_length": args.completion_length,
            "temperature": 1.0,
            "top_p": 1.0,
            "beta": 0.0,
            "loss_type": "dapo",
            "learning_rate": 1e-5,
            "max_steps": args.steps,
            "output_dir": str(out / "smepo"),
            "save_steps": 0,
            "log_rollouts_steps": 0,
            "dtype": "fp32",
            "device": "cpu",
            "seed": args.seed,
        }
    )
    trainer = GRPOTrainer(cfg, log=lambda _: None)
    history = trainer.train()
    return [m["time/step_s"] for m in history]


def run_trl(args: argparse.Namespace, out: Path) -> list[float]:
    import pyarrow.parquet as pq
    from datasets import Dataset
    from transformers import AutoTokenizer, TrainerCallback
    from trl import GRPOConfig, GRPOTrainer

    tokenizer = AutoTokenizer.from_pretrained(str(TOKENIZER))
    rows = pq.read_table(DATA, columns=["prompt"]).to_pylist()
    dataset = Dataset.from_list([{"prompt": r["prompt"]} for r in rows])

    times: list[float] = []

    class StepTimer(TrainerCallback):
        def on_step_begin(self, *_, **__):
            self.start = time.perf_counter()

        def on_step_end(self, *_, **__):
            times.append(time.perf_counter() - self.start)

    config = GRPOConfig(
        output_dir=str(out / "trl"),
        num_generations=8,
        per_device_train_batch_size=16,
        gradient_accumulation_steps=1,
        max_completion_length=args.completion_length,
        temperature=1.0,
        top_p=1.0,
        top_k=0,
        beta=0.0,
        loss_type="dapo",
        learning_rate=1e-5,
        max_steps=args.steps,
        use_cpu=True,
        bf16=False,
        report_to="none",
        save_strategy="no",
        logging_strategy="no",
        gradient_checkpointing=False,  # TRL turns it on by default; smepo_train runs without it here
        seed=args.seed,
        disable_tqdm=True,
    )
    trainer = GRPOTrainer(
        model=tiny_model(args.seed, tokenizer),
        reward_funcs=trl_reward,
        args=config,
        train_dataset=dataset,
        processing_class=tokenizer,
        callbacks=[StepTimer()],
    )
    trainer.train()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--completion-length", type=int, default=32)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (0: torch's default; 1 is steadiest on a shared box)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        smepo = run_smepo(args, Path(tmp))
        trl = run_trl(args, Path(tmp))
    import trl as trl_pkg

    s, t = statistics.median(smepo[1:]), statistics.median(trl[1:])
    threads = torch.get_num_threads()
    print(f"torch {torch.__version__}, trl {trl_pkg.__version__}, {threads} threads, {args.steps} steps")
    print(f"smepo_train  step time {s:.3f} s  (per step: {', '.join(f'{x:.2f}' for x in smepo)})")
    print(f"TRL GRPO     step time {t:.3f} s  (per step: {', '.join(f'{x:.2f}' for x in trl)})")
    print(f"ratio TRL / smepo_train = {t / s:.2f}x  ({'smepo_train faster' if s < t else 'TRL faster'})")


if __name__ == "__main__":
    main()

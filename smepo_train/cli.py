"""``smepo-train CONFIG.yaml [key=value ...]``: train with GRPO from a YAML config plus overrides.

smepo-train examples/train_gsm8k.yaml
smepo-train examples/train_gsm8k.yaml guidance=full prefix_ratio=0.5 output_dir=out/full
smepo-train examples/train_gsm8k.yaml resume_from_checkpoint=latest
smepo-train --print-config examples/smepo_math.yaml model_name_or_path=Qwen/Qwen2.5-7B
"""

from __future__ import annotations

import argparse
import sys

from .config import GRPOConfig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="smepo-train",
        description="GRPO from masked Parquet with guidance none / full / masked. Keys: see "
        "smepo_train.config.GRPOConfig (documented beside each default).",
    )
    parser.add_argument("config", help="YAML file of GRPOConfig keys")
    parser.add_argument("overrides", nargs="*", metavar="key=value", help="override single keys")
    parser.add_argument(
        "--print-config",
        action="store_true",
        help="print every key as the file and overrides resolve it (defaults included) and exit",
    )
    args = parser.parse_args(argv)
    try:
        cfg = GRPOConfig.load(args.config, args.overrides)
        if args.print_config:
            print(cfg.to_yaml(), end="")
            return 0
        # the first output comes before torch, transformers and the model load (a minute on a busy CPU)
        model = cfg.model_name_or_path or "a randomly initialised model"
        print(f"smepo-train: {args.config}: loading {model} and {cfg.train_file} ...", flush=True)
        from .trainer import GRPOTrainer

        GRPOTrainer(cfg).train()
    except (ValueError, OSError, ImportError) as e:  # bad settings, missing files or models, missing extras
        print(f"smepo-train: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

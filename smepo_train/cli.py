"""``smepo-train CONFIG.yaml [key=value ...]``: train with GRPO from a YAML config plus overrides.

smepo-train examples/train_gsm8k.yaml
smepo-train examples/train_gsm8k.yaml guidance=full prefix_ratio=0.5 output_dir=out/full
smepo-train examples/train_gsm8k.yaml resume_from_checkpoint=latest
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
    args = parser.parse_args(argv)
    try:
        cfg = GRPOConfig.load(args.config, args.overrides)
        from .trainer import GRPOTrainer

        GRPOTrainer(cfg).train()
    except (ValueError, OSError, ImportError) as e:  # bad settings, missing files or models, missing extras
        print(f"smepo-train: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

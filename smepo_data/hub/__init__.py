"""Publish masked datasets to the Hugging Face Hub: the folder layout, the dataset card, the upload.

smepo-data publish out/gsm8k out/humaneval --repo-id ORG/NAME --dry-run --folder hub_folder
"""

from .card import dataset_card
from .folder import build_folder
from .layout import HubLayout, Run, load_run
from .sources import SOURCES, Source, source_for

__all__ = ["SOURCES", "HubLayout", "Run", "Source", "build_folder", "dataset_card", "load_run", "source_for"]

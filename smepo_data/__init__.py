"""smepo_data: mask expert traces so they guide RL without giving the answer away.

from smepo_data import mask_text
r = mask_text("math", trace, question=q, answer=a, level="critical")
r.text, r.spans, r.leak
"""

from ._api import mask_example, mask_text
from ._domains import DOMAINS, get_domain
from ._model import Example, MaskResult, Span
from ._render import PLACEHOLDER_STYLES, render

__version__ = "0.1.0"

__all__ = [
    "DOMAINS",
    "PLACEHOLDER_STYLES",
    "Example",
    "MaskResult",
    "Span",
    "get_domain",
    "mask_example",
    "mask_text",
    "render",
]

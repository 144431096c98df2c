"""A value put into a function the trace defines (for the ``system`` attack).

"Therefore, $P(x) = 1 + k(x-1)^2$ for some constant $k$. Setting $x = 11$, we have $181 = 1 +[NUMBER]k$": the
equation after the setting is the definition at 11, written out, so each of its sides is ``P(11)``. A reader
puts 11 into the definition (``1 + 100k``), reads ``k = 9/5`` off ``181 = P(11)`` and evaluates ``P(16)``;
the blank of ``[NUMBER]k`` hid nothing. :func:`with_applications` writes the application into the equation
(``181 = P(11) = 1 +[NUMBER]k``), where the named reading (:func:`._equations.read_named`) applies the
definition; the positions of what the attack then blames are mapped back by :func:`original_span`.

A setting is "Setting / Plugging in / Substituting / Letting / Putting / Taking $x = 11$" with a visible
number, then "(in ...) we have / we get / we find / we obtain / gives / yields" and the equation, in the same
sentence; the function is the one function of that variable the trace defines before it (``P(x) = ...``).
An equation that already applies the function (``q(1) = ...``) is read as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SETTING = re.compile(
    r"(?i)\b(?:setting|plugging\s+in|substituting|letting|putting|taking)\s+\$\s*([a-z])\s*=\s*"
    r"(-?\d+(?:\.\d+)?)\s*\$"
    r",?\s*(?:(?:in(?:to)?|on)\s+[^$.\n]{1,40}?,?\s*)?"
    r"(?:we\s+(?:have|get|find|obtain)|(?:this\s+)?(?:gives|yields))\s*:?\s*"
    r"(\$\$?|\\\[)"
)
#: where a math segment opened by ``$``, ``$$`` or ``\\[`` closes
_CLOSE = {"$": re.compile(r"(?<!\\)\$"), "$$": re.compile(r"\$\$"), "\\[": re.compile(r"\\\]")}
#: a relation other than ``=`` (``\\le``, ``<``, ``\\equiv``): no equation to write the application into
_OTHER_RELATION = re.compile(r"\\(?:[lg]eq?|neq|equiv|approx)(?![A-Za-z])|[<>]")
_LONGEST = 400


@dataclass(frozen=True, slots=True)
class Insert:
    """Text written into the trace at ``at`` (``length`` characters), and the setting's value it stands
    for (``start``, ``end``): what a finding that leans on the insert blames."""

    at: int
    length: int
    start: int
    end: int


def _defined(text: str, end: int, var: str) -> set[str]:
    """The functions of ``var`` that ``text[:end]`` defines (``P(x) =``)."""
    pattern = re.compile(rf"(?<![A-Za-z\\])([A-Za-z])\(\s*{var}\s*\)\s*=(?!=)")
    return {m.group(1) for m in pattern.finditer(text, 0, end) if m.group(1) != var}


def with_applications(text: str) -> tuple[str, list[Insert]]:
    """``text`` with each setting's equation given its application (``181 = P(11) = 1 + [NUMBER]k``), and
    where each was written (in the order of the text)."""
    if "=" not in text:
        return text, []
    pieces: list[str] = []
    inserts: list[Insert] = []
    last, shift = 0, 0
    for m in _SETTING.finditer(text):
        var, value, opener = m.group(1), m.group(2), m.group(3)
        close = _CLOSE[opener].search(text, m.end(), m.end() + _LONGEST)
        if close is None:
            continue
        body = text[m.end() : close.start()]
        functions = _defined(text, m.start(), var)
        if len(functions) != 1 or body.count("=") != 1 or _OTHER_RELATION.search(body):
            continue
        (name,) = functions
        if re.search(rf"(?<![A-Za-z\\]){name}\(", body):
            continue  # the equation applies the function already (q(1) = ...)
        at = m.end() + body.index("=") + 1
        written = f" {name}({value}) ="
        pieces.append(text[last:at] + written)
        inserts.append(Insert(at + shift, len(written), m.start(2), m.end(2)))
        shift += len(written)
        last = at
    if not inserts:
        return text, []
    pieces.append(text[last:])
    return "".join(pieces), inserts


def original_span(start: int, end: int, inserts: list[Insert]) -> tuple[int, int]:
    """Where ``(start, end)`` of the text :func:`with_applications` wrote lies in the original: a span that
    touches an insert is the setting's value (the application rests on it); any other is shifted back."""
    for ins in inserts:
        if start < ins.at + ins.length and ins.at < end:
            return ins.start, ins.end
    back = sum(ins.length for ins in inserts if ins.at + ins.length <= start)
    return start - back, end - back

"""Every module-level regex of smepo_data against adversarial text: long runs of one character (digits,
blanks, brackets, backticks, ...). A pattern whose time grows faster than the text (backtracking over a
run at every start position) shows up here; the per-row CPU budget cannot stop one long C-level match,
so none may be super-linear. Prints every pattern that takes more than --flag seconds on --chars
characters, and the time of the slowest pattern at half and full length (a ratio near 2 is linear).

    python benchmarks/regex_audit.py [--chars 8000] [--flag 0.05] [--only smepo_data.math._listed]
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import time

import smepo_data

RUNS = ["9", " ", "a", "a ", "`", "<", "\n", "$", "9.", "9 ", "\\", "=", "_", "A", "Aa ", "\t", "-", "#",
        "*", ". ", "1,", "'", '"', "x=", "{", "(", "[", "Action: ", "```\n", "\\frac{"]  # fmt: skip


def texts(n: int) -> list[str]:
    out = [unit * (n // len(unit)) for unit in RUNS]
    out += ["\\text{" * 150 + "}" * 150 + "9" * n, "(" * 150 + "a" * n, "Action: " + " " * n]
    out += ["1" + " " * n + "and 2 and 3", "\\boxed{1" + " " * n + "x}"]  # a list's and a unit's blanks
    out += ["a$" + " " * n + "x", "The answer is 7" + " " * n + "\\text{cm}"]  # a formula's, an answer's
    return out


def patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(smepo_data.__path__, "smepo_data."):
        if info.name == "smepo_data.executors.ray":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and value not in found.values():
                found[f"{info.name}.{name}"] = value
    return found


def cost(pattern: re.Pattern[str], text: str) -> float:
    start = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, default=8000)
    ap.add_argument("--flag", type=float, default=0.05)
    ap.add_argument("--only", default="", help="audit the patterns whose name holds this (a module, a name)")
    args = ap.parse_args()
    found = {name: p for name, p in patterns().items() if args.only in name}
    worst = (0.0, "", "")
    for name, pattern in found.items():
        for text in texts(args.chars):
            t = cost(pattern, text)
            worst = max(worst, (t, name, text))
            if t > args.flag:
                print(f"slow: {name} on {text[:12]!r}... {t:.2f} s  /{pattern.pattern[:80]}/")
    t, name, text = worst
    half = cost(found[name], text[: len(text) // 2])
    print(f"{len(found)} patterns x {len(texts(args.chars))} texts of ~{args.chars:,} characters")
    print(
        f"slowest: {name} on {text[:12]!r}...: {half * 1e3:.1f} ms at half length, {t * 1e3:.1f} ms at full"
    )


if __name__ == "__main__":
    main()

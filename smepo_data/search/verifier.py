"""The search verifier: the trainer's reward and the recoverability audit for multi-hop QA traces.

``reward`` asks "does this completion's final answer match the gold answer or an alias?" (SQuAD exact
match). ``attacks`` asks "could a reader get the answer from this masked trace alone?" and tries named
attacks, each a thing a reader does (see :meth:`SearchVerifier.attacks`); ``leak`` is the first finding.
Both read the final answer the same way (:func:`smepo_data.search._trace.final_answer`), so a masked
trace that passes the audit gives the policy no answer the reward would accept. The attacks read the
question, the masked text and the gold answer only, never a masker's spans.
"""

from __future__ import annotations

import re
from typing import Any

from .._leak import Finding
from .._model import Example
from . import _reader as reader
from ._aliases import other_names
from ._trace import STRUCTURE, final_answer, parse_trace
from .answers import MentionFinder, exact_match, find_mentions, normalize_answer, parse_answers, token_f1

#: F1 from which a trace's own final answer counts as agreeing with the gold (formatting differences)
AGREE_F1 = 0.8


class SearchVerifier:
    """Reward and recoverability audit for search QA answers (a plain string or ``{"answers": [...]}``)."""

    def extract_answer(self, completion: str) -> str | None:
        """The completion's final answer: the last ``<answer>...</answer>``, else the last
        ``Finish[...]``, else what follows the last "So the answer is" / "answer is:"."""
        span = final_answer(completion)
        return completion[span[0] : span[1]] if span else None

    def reward(self, completion: str, answer: str, **row: Any) -> float:
        """1.0 when the final answer matches the gold answer or an alias (exact match), else 0.0."""
        answers = parse_answers(answer)
        pred = self.extract_answer(completion)
        return 1.0 if pred is not None and any(exact_match(pred, a) for a in answers) else 0.0

    def partial_reward(self, completion: str, answer: str) -> float:
        """The graded reward: the best token F1 of the final answer against the gold answer and its aliases
        (0.0 without one)."""
        answers = parse_answers(answer)
        pred = self.extract_answer(completion)
        return 0.0 if pred is None else max(token_f1(pred, a) for a in answers)

    def validate(self, example: Example) -> None:
        """Raise :class:`RowError` (``unparsable_answer``) when the gold answer cannot be read."""
        parse_answers(example.answer)

    def wrong_trace(self, example: Example) -> str | None:
        """Why the trace's own final answer disagrees with every gold alias, or ``None`` when it agrees
        (exact match once normalised, token F1 >= 0.8, or the gold's words inside the prediction) or
        the trace states no final answer."""
        answers = parse_answers(example.answer)
        pred = self.extract_answer(example.trace)
        if pred is None or not normalize_answer(pred):
            return None
        for gold in answers:
            if exact_match(pred, gold) or token_f1(pred, gold) >= AGREE_F1 or _contains(pred, gold):
                return None
        return f"the trace's own final answer {pred!r} disagrees with the gold answer {answers[0]!r}" + (
            f" and its {len(answers) - 1} alias(es)" if len(answers) > 1 else ""
        )

    def leak(self, example: Example, masked: str) -> str | None:
        """The first finding of :meth:`attacks` as text (``"attack: detail"``), or ``None``."""
        found = self.attacks(example, masked)
        return str(found[0]) if found else None

    def attacks(self, example: Example, masked: str) -> list[Finding]:
        """Every way a reader recovers the answer from ``masked`` (with the question), in order:

        * ``final_answer``: the trace's final answer matches the gold answer or an alias;
        * ``mention``: an answer or alias is still written somewhere, in any of its forms (digits or
          words, "#1" for "No. 1", a name with a middle name put in, an acronym spelled out); not
          inside a verbatim copy of the question, and not for yes / no answers (see ``yes_no``);
        * ``number``: a number that is part of the answer (the year of "after 685", the 1,800 of "1,800 to
          7,000 ft") is still written somewhere, in a range ("from c. 676 to 685 or 686"), a date or a
          neighbouring sentence; not for comparisons (their options are the ``elimination`` attack's);
        * ``equivalent_form``: an amount answer given in other units or another spelling of its unit
          ("550 to 2,130 m" for "1,800 to 7,000 ft");
        * ``elimination``: the question names its options ("A or B") and the gold is one of them; any
          option still visible (in full or by a word only it has), or a leftover article that only
          one option starts with, tells the hidden one apart;
        * ``yes_no``: for a yes / no answer, the trace's conclusion (its reasoning and answer after the
          last retrieved text) still states it: "so the answer is yes", "Yes, both are ...", "they
          are not the same", "both are American";
        * ``title``: the answer glued inside a longer token ("Spongecola", "WallsAndBridges") that
          whole-word matching misses, or a yes / no answer that is a retrieved title or action target
          by itself;
        * ``alias``: another name of the answer that the (original) trace itself gives, still visible: an
          alias it equates with the answer ("Cambodia (..., or Kampuchea)", "X, also / otherwise known as
          Y", "X, 14th Duke of Hamilton": see ``_aliases``) or a
          fuller name of a person answer ("Frederick Alexander Lindemann" for "Frederick Alexander"),
          in full, in its short form ("Frederick Lindemann") or as the added words right after a
          placeholder ("[ENTITY] Lindemann");
        * ``place_chain``: the question asks for a place ("In what state ...?", "Which country ...?") and
          the original trace writes the answer after the places it contains ("Waldkirch,
          Baden-Württemberg, Germany", "Orange County, California") or with an apposition that names one
          ("Minnesota, a suburb of Minneapolis"): each of those places still visible beside the
          placeholder tells a reader who knows the world the hidden one ("Kandahar, [ENTITY]" for
          Afghanistan); not a place the question names (the question's own knowledge);
        * ``answer_word``: a word only the answer has, alone: a capitalised word of a name of several
          words that the question does not use and that names no kind of thing ("Sooners" of "Oklahoma
          Sooners", "McNatt" of "Jimmy McNatt"; not "University", "River", "County"): "The Sooners play
          in the Big 12" names the hidden team.

        Placeholders, tags and chat markers never match. Each finding's ``start``/``end`` is the text
        of ``masked`` to hide.
        """
        answers = parse_answers(example.answer)
        question = example.question.strip()
        text = reader.blank(reader.PLACEHOLDER, masked)
        copies = [m.span() for m in re.finditer(re.escape(question), masked)] if question else []
        yes_no = normalize_answer(answers[0]) in reader.YES_NO
        found: list[Finding] = []
        span = final_answer(text)
        if span:
            pred = text[span[0] : span[1]]
            gold = next((a for a in answers if exact_match(pred, a)), None)
            if gold is not None:
                found.append(
                    Finding(
                        "final_answer",
                        f"the final answer at {span[0]} ({pred!r}) matches the gold answer {gold!r}",
                        *span,
                    )
                )
        text = reader.blank(
            reader.DOC_MARK, reader.blank(STRUCTURE, text)
        )  # <information> is no "Information"
        outside = _outside(copies)
        finder = MentionFinder(text)
        if not yes_no:
            for gold in answers:
                for start, end in reader.find_answer_mentions(text, [gold], finder):
                    if outside(start, end):
                        context = masked[max(0, start - 30) : end + 30]
                        found.append(
                            Finding(
                                "mention",
                                f"the gold answer {gold!r} is still mentioned at {start}: {context!r}",
                                start,
                                end,
                            )
                        )
            if reader.comparison(question, answers) is None:
                for start, end in reader.find_gold_numbers(text, answers, question, example.trace):
                    if outside(start, end):
                        found.append(
                            Finding(
                                "number",
                                f"a number of the answer {answers[0]!r} is visible at {start}: "
                                f"{masked[max(0, start - 30) : end + 30]!r}",
                                start,
                                end,
                            )
                        )
            for start, end in reader.find_conversions(text, answers):
                if outside(start, end):
                    found.append(
                        Finding(
                            "equivalent_form",
                            f"the answer is given in other units at {start}: {masked[start:end]!r}",
                            start,
                            end,
                        )
                    )
        found += _elimination(question, answers, masked, text, outside, finder)
        if yes_no:
            found += _yes_no(question, answers, masked, copies)
            found += _parallel(question, masked, text, outside)
        found += _title(answers, masked, text, outside, yes_no, finder)
        found += _alias(example, answers, masked, text, outside, finder)
        if not yes_no:
            found += _place_chain(example, answers, masked, outside)
        if not yes_no and reader.comparison(question, answers) is None:  # alone, not in a name found above
            found += [
                f
                for f in _answer_words(question, answers, masked, text, outside)
                if not any(g.start <= f.start and f.end <= g.end for g in found)
            ]
        return _dedup(found)


def _contains(pred: str, gold: str) -> bool:
    """The gold's normalised words appear, in order and whole, in the prediction's."""
    p, g = normalize_answer(pred), normalize_answer(gold)
    return bool(g) and f" {g} " in f" {p} "


def _outside(copies: list[tuple[int, int]]):
    return lambda s, e: not any(a <= s and e <= b for a, b in copies)


def _elimination(question, answers, masked, text, outside, finder) -> list[Finding]:
    comp = reader.comparison(question, answers)
    if comp is None:
        return []
    found = []
    gold = comp.options[comp.gold]
    mentions = reader.find_answer_mentions(text, answers, finder)
    for i, option in enumerate(comp.options):
        for s, e in reader.option_mentions(text, comp, question, i, finder):
            if not outside(s, e):
                continue
            if i == comp.gold:
                if any(a <= s and e <= b for a, b in mentions):
                    continue  # a full mention of the answer: the mention attack's
                what = f"a word only the answer {gold!r} has ({masked[s:e]!r})"
            else:
                what = f"the other option {option!r} ({masked[s:e]!r})"
            found.append(
                Finding(
                    "elimination",
                    f"the question offers {' or '.join(map(repr, comp.options))}; {what} is visible at {s}, "
                    "so a reader tells which one is hidden",
                    s,
                    e,
                )
            )
    kinds = reader.option_kinds(comp, question)
    for i, option in enumerate(comp.options):  # "[ENTITY] (magazine)" for the question's "Shape magazine"
        for s, e in reader.kind_mentions(masked, option, kinds[i]):
            if outside(s, e):
                found.append(
                    Finding(
                        "elimination",
                        f"the question calls only {option!r} {masked[s:e]!r}, which is visible at {s} beside "
                        "a hidden option: a reader tells which one it is",
                        s,
                        e,
                    )
                )
    for s, e in reader.ruled_out(masked, question, comp.options):
        if outside(s, e):
            found.append(
                Finding(
                    "elimination",
                    f"the question offers {' or '.join(map(repr, comp.options))}; the reasoning rules one "
                    f"out at {s} ({masked[s:e]!r}), which names the other",
                    s,
                    e,
                )
            )
    # a comparison by count: a list of the counted things, a group's size in a word
    for s, e in reader.counted(masked, question, [(s.start, s.end) for s in parse_trace(masked)[1]]):
        if outside(s, e):
            found.append(
                Finding(
                    "elimination",
                    f"the question compares counts; {masked[s:e][:80]!r} at {s} can be "
                    "counted, which tells the options apart",
                    s,
                    e,
                )
            )
    # "The [X]" where only one option starts with an article points at that option
    articled = [o for o in comp.options if re.match(r"(?:the|a|an)\s", o, re.I)]
    if len(articled) == 1:
        art = articled[0].split(maxsplit=1)[0]  # its article
        for m in re.finditer(rf"(?<!\w)(?i:{re.escape(art)})[ \t]+(?={reader.PLACEHOLDER.pattern})", masked):
            if outside(*m.span()):
                found.append(
                    Finding(
                        "elimination",
                        f"the question offers {' or '.join(map(repr, comp.options))}; only {articled[0]!r} "
                        f"starts with {art!r}, left before a placeholder at {m.start()}",
                        m.start(),
                        m.start() + len(art),
                    )
                )
    return found


def _yes_no(question, answers, masked, copies) -> list[Finding]:
    gold = normalize_answer(answers[0])
    found = []
    for c in reader.conclusions(masked, question, copies):
        if c.reading == gold:
            sentence = masked[c.sentence[0] : c.sentence[1]]
            found.append(
                Finding(
                    "yes_no",
                    f"the conclusion at {c.start} reads as {gold!r}: {sentence.strip()[:160]!r}",
                    c.start,
                    c.end,
                )
            )
    return found


def _parallel(question, masked, text, outside) -> list[Finding]:
    """For a yes / no question: a name right after a word that says which slot it fills ("the family
    Lygodiaceae", "its genus Quintara"), where the same word stands before a placeholder elsewhere ("(family
    [ENTITY])"): one subject's value is hidden, the other's is visible, and side by side they answer "are
    both ...?" (the same family, or not). The visible name goes too. The word is lower case, of four
    letters or more, right after an opening bracket or an article or possessive ("the", "a", "its",
    "their", ...), no function word, no "-ing" form and not "born" (a birth name or a date); the name's
    words are capitalised words written in lower case after their capital ("EPs" is none), on the word's
    line, no placeholder between, outside a copy of the question and no name the question writes."""
    cues = {
        w for m in _CUE_BEFORE_BLANK.finditer(masked) if (w := m.group(1)) not in _NO_CUES and w[-3:] != "ing"
    }
    if not cues:
        return []
    asked = question.lower()
    found = []
    for m in _CUE_BEFORE_NAME.finditer(masked):
        s, e = m.span(2)
        if m.group(1) not in cues or not outside(s, e) or text[s:e] != masked[s:e]:
            continue  # (a tag, a document's mark: not the trace's words)
        if m.group(2).lower() in asked:
            continue  # a subject the question names ("the genus Lygodium")
        found.append(
            Finding(
                "elimination",
                f"{m.group(1)!r} stands before a placeholder elsewhere and before {m.group(2)!r} at {s}: "
                "one subject's value hidden, the other's visible, a reader compares them",
                s,
                e,
            )
        )
    return found


#: what stands before a word that names a slot: an opening bracket, an article or a possessive
_SLOT_OPENS = r"(?:\(|\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)[ \t]+)"
#: a lower-case word right before a placeholder (a bracket between): the slot the placeholder fills
_CUE_BEFORE_BLANK = re.compile(rf"{_SLOT_OPENS}([a-z]{{4,}})[ \t]+\(?(?={reader.PLACEHOLDER.pattern})")
#: the same before a name: capitalised words on the line, no placeholder among them
_NAME_WORD = r"[A-Z][a-z][\w'\u2019-]*"
_CUE_BEFORE_NAME = re.compile(
    rf"{_SLOT_OPENS}([a-z]{{4,}})[ \t]+\(?({_NAME_WORD}(?:[ \t]+(?:of[ \t]+)?{_NAME_WORD})*)"
)
#: words before a placeholder that say no slot: a placeholder there is any value of the sentence; "born"
#: stands before a date or a birth name alike; an ordinal or a like adjective ("the first [ENTITY] record")
#: is said of any noun
_NO_CUES = frozenset(
    re.findall(
        r"\w+",
        "that this these those with from into onto than then when where which while also were been have "
        "their there they what whom whose about after before over under between during born first second "
        "third last next same other only main former latter original current early late",
    )
)


#: retrieved titles and search targets: ``(Title: "...")``, ``Wikipedia Title: ...``, ``Search[...]`` /
#: ``Lookup[...]`` and ``<search> ... </search>``
_TARGET = re.compile(
    r'\(Title: "([^"\n]*)"\)|^Wikipedia Title:[ \t]*(.+)$|(?:Search|Lookup)\[([^\]\n]*)\]'
    r"|<search>[ \t]*([^<\n]*?)[ \t]*</search>",
    re.M,
)


def _title(answers, masked, text, outside, yes_no, finder) -> list[Finding]:
    found = []
    for s, e in reader.find_glued(text, answers, finder):
        if outside(s, e):
            found.append(
                Finding(
                    "title",
                    f"the gold answer is glued inside {_token(masked, s, e)!r} at {s} (whole-word matching "
                    "misses it, a reader does not)",
                    s,
                    e,
                )
            )
    if yes_no:
        gold = normalize_answer(answers[0])
        for m in _TARGET.finditer(reader.blank(reader.PLACEHOLDER, masked)):
            g = next(i for i in (1, 2, 3, 4) if m.group(i) is not None)
            s, e = m.span(g)
            title = re.sub(r"\s*\([^()]*\)\s*$", "", m.group(g))
            if normalize_answer(title) == gold and outside(s, e):
                hit = find_mentions(masked[s:e], [gold])
                a, b = (s + hit[0][0], s + hit[0][1]) if hit else (s, e)
                found.append(
                    Finding("title", f"a title or search target at {a} is the answer {gold!r} itself", a, b)
                )
    return found


def _alias(example, answers, masked, text, outside, finder) -> list[Finding]:
    """Other names of the answer, read off the original trace (a reader who knows the world knows them),
    still visible in the masked one."""
    names = other_names(example.trace, answers, example.question)
    if not names:
        return []
    found = []
    for s, e in finder.find(names):
        if outside(s, e):
            found.append(
                Finding(
                    "alias",
                    f"another name the trace gives the answer {answers[0]!r} is visible at {s}: "
                    f"{masked[s:e]!r}",
                    s,
                    e,
                )
            )
    for name in names:  # the added words of a fuller name right after a blank: "[ENTITY] Lindemann"
        gold = next((a for a in answers if name.startswith(a + " ")), None)
        if gold is None:
            continue
        tail = name[len(gold) + 1 :]
        for m in re.finditer(rf"{reader.PLACEHOLDER.pattern}[ \t]+({re.escape(tail)})(?!\w)", masked):
            if outside(*m.span(1)):
                found.append(
                    Finding(
                        "alias",
                        f"the rest of the answer's full name {name!r} is visible after a placeholder at "
                        f"{m.start(1)}: {m.group()!r}",
                        *m.span(1),
                    )
                )
    return found


def _place_chain(example: Example, answers: list[str], masked: str, outside) -> list[Finding]:
    """``place_chain`` (see :meth:`SearchVerifier.attacks`): the places the original trace writes before
    the answer in a chain ("Kandahar, Afghanistan") or in an apposition after it (", a suburb of
    Minneapolis"), still visible beside a placeholder in ``masked``."""
    chains = reader.place_chains(example.question, example.trace, answers)
    names = {
        normalize_answer(example.trace[s:e])
        for c in chains
        for s, e, told in (*c.places, *([c.after] if c.after else []))
        if not told
    }
    return [
        Finding(
            "place_chain",
            f"{masked[s:e]!r}, visible at {s} beside a placeholder, is a place inside the answer "
            f"{answers[0]!r}: {masked[max(0, s - 30) : e + 30]!r}",
            s,
            e,
        )
        for s, e in reader.places_beside_blanks(masked, names)
        if outside(s, e)
    ]


def _answer_words(question, answers, masked, text, outside) -> list[Finding]:
    """Words only the answer has (see :meth:`SearchVerifier.attacks`), still visible on their own."""
    return [
        Finding(
            "answer_word",
            f"{text[s:e]!r}, a word only the answer {answers[0]!r} has, is visible at {s}: "
            f"{masked[max(0, s - 30) : e + 30]!r}",
            s,
            e,
        )
        for s, e in reader.find_answer_words(text, question, answers)
        if outside(s, e)
    ]


def _token(text: str, s: int, e: int) -> str:
    while s > 0 and not text[s - 1].isspace():
        s -= 1
    while e < len(text) and not text[e].isspace():
        e += 1
    return text[s:e]


def _dedup(found: list[Finding]) -> list[Finding]:
    """One finding per attack and place (an alias and its form may hit the same words)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in found:
        key = (f.attack, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out

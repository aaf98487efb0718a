"""The words behind a risk result, marked in the sentence they came from, for moderators to read."""

from __future__ import annotations

import re

from markupsafe import Markup, escape


def highlight(sentence: str, terms: tuple[str, ...] | list[str]) -> Markup:
    """The sentence, escaped, with each of the terms (a word or a run of words) wrapped in <mark>.

    A term matches whole words, case aside, with any spacing or punctuation between its words.
    """
    patterns = []
    for term in sorted({t for t in terms if t.strip()}, key=len, reverse=True):
        words = [re.escape(word) for word in re.findall(r"[\w']+", term)]
        if words:
            patterns.append(r"\b" + r"\W+".join(words) + r"\b")
    if not patterns:
        return escape(sentence)
    found = re.compile("|".join(patterns), re.IGNORECASE)
    parts, last = [], 0
    for match in found.finditer(sentence):
        parts.append(escape(sentence[last : match.start()]))
        parts.append(Markup("<mark>%s</mark>") % sentence[match.start() : match.end()])
        last = match.end()
    parts.append(escape(sentence[last:]))
    return Markup("").join(parts)

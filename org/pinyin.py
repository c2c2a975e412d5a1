"""Pinyin initials of a Chinese name (张三丰 → "zsf"), so people are found by what colleagues
type on a keyboard without switching input method."""

import re

from pypinyin import Style, lazy_pinyin

_WORD = re.compile(r"[A-Za-z0-9]+")


def initials(name: str) -> str:
    """Lower-case initials: one letter per Chinese character, one per Latin word."""
    letters = []
    for part in lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default"):
        if len(part) == 1 and part.isalpha():  # a Chinese character's initial
            letters.append(part)
        else:  # a run of other text: the first letter of each word
            letters.extend(word[0] for word in _WORD.findall(part))
    return "".join(letters).lower()[:50]

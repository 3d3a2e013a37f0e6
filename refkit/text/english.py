"""English grammar for the built-in sentences: names, lists, counts, a hint spoken aloud.

Pure functions of text. (When refkit speaks other languages, this is where
the English-only rules are, and what a locale replaces.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


class NameParts(NamedTuple):
    """A person's name as a vCard's N property has it."""

    prefix: str
    given: str
    family: str


def name_parts(name: str) -> NameParts:
    """'Dr. Ana Lopez' -> ('Dr.', 'Ana', 'Lopez'); 'Cher' -> ('', '', 'Cher').

    The family name is the last word; an honorific before the given names is
    the prefix. The same honorifics as :func:`first_name`.
    """
    words = name.split()
    prefix = ""
    if len(words) > 2 and _is_honorific(words[0]):
        prefix, words = words[0], words[1:]
    if len(words) <= 1:
        return NameParts(prefix, "", " ".join(words))
    return NameParts(prefix, " ".join(words[:-1]), words[-1])


def first_name(name: str) -> str:
    """How to greet someone: 'Inês Carvalho' -> 'Inês'; 'Dr. Ana Lopez' -> 'Dr. Lopez'."""
    words = name.split()
    if len(words) > 1 and _is_honorific(words[0]):
        return f"{words[0]} {words[-1]}"
    return words[0]


def _is_honorific(word: str) -> bool:
    return word.rstrip(".").casefold() in HONORIFICS


def lower_first(text: str) -> str:
    """'Adding a shift' -> 'adding a shift', 'A claim' -> 'a claim'.

    'OSHA', 'CFOs' and a possessive name ('Álvaro's clients') stay as written.
    """
    word = text.split(" ", 1)[0]
    possessive = word.endswith(("'s", "\u2019s"))
    if (
        word[:1].isupper()
        and word != "I"
        and not possessive
        and (len(word) == 1 or word[1:].islower())
    ):
        return text[0].lower() + text[1:]
    return text


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'; a comma before the last when an item has its own."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    tangled = any("," in word or f" {conjunction} " in word for word in words)
    comma = "," if tangled else ""
    return f"{', '.join(words[:-1])}{comma} {conjunction} {words[-1]}"


def number_words(count: int) -> str:
    """A count as a person writes it in a sentence: 1 -> 'one', 9 -> 'nine', 12 -> '12'."""
    return _NUMBERS[count] if 0 <= count < len(_NUMBERS) else str(count)


def plural(count: int, singular: str, many: str | None = None) -> str:
    """1, 'introduction' -> 'one introduction'; 3 -> 'three introductions'; 12 -> '12 ...'."""
    return f"{number_words(count)} {singular if count == 1 else (many or singular + 's')}"


def speak_hint(hint: str, name: str) -> str | None:
    """'Tell them we coach first-time HR managers and never try to replace them.'
    -> 'Priya coaches first-time HR managers and never tries to replace them.'

    ``intro_hint`` is advice to the referrer in our voice. Said to the
    prospect it becomes: ``name`` for "we" (with the verb agreeing), "you"
    for the prospect's "they/their/theirs". Returns None when the hint is
    not of that shape or keeps a word in our voice, so nothing half-rewritten
    ever reaches an email.
    """
    text = " ".join(hint.split())
    lead = _HINT_LEAD.match(text)
    if lead:
        text = text[lead.end() :]
    if not re.match(r"we\b", text, re.I):
        return None

    def subject_and_verb(match: re.Match[str]) -> str:
        verb = f"{match.group('adverb')}{_third_person(match.group('verb'))}"
        if match.group("joined"):
            # "..., and that we have run" -> "..., and has run": one subject is enough
            return f"{match.group('comma')} and {verb}"
        return f"{name} {verb}"

    text = _CONTRACTIONS.sub(lambda m: f"we {_CONTRACTED[m.group(1).casefold()]}", text)
    # "we coach ... and never try": the second verb agrees too (before "we" is gone)
    text = _AND_ADVERB_VERB.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{_third_person(m.group(3))}", text
    )
    text = _WE_VERB.sub(subject_and_verb, text)
    text = _PROSPECT_PRONOUN.sub(lambda m: _match_case(m.group(), _TO_YOU[m.group().lower()]), text)
    if _OUR_VOICE.search(text):
        return None
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _third_person(verb: str) -> str:
    """'coach' -> 'coaches', 'try' -> 'tries', 'are' -> 'is', 'can' and 'ran' unchanged."""
    low = verb.casefold()
    if low in _THIRD_PERSON:
        return _match_case(verb, _THIRD_PERSON[low])
    if low in _UNCHANGED or low.endswith("ed") or not low.isalpha():
        return verb
    if re.search(r"(?:s|sh|ch|x|z|o)$", low):
        return verb + "es"
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ies"
    return verb + "s"


def _match_case(original: str, word: str) -> str:
    return word[0].upper() + word[1:] if original[:1].isupper() else word


# intro_hint: "Tell them (that) we ...", "Let them know we ...", "Say we ..."
_HINT_LEAD = re.compile(
    r"(?:(?:tell|remind)\s+(?:them|him|her)|let\s+(?:them|him|her)\s+know|say|mention|explain)"
    r"(?:\s+that)?\s+",
    re.I,
)


_ADVERBS = (
    "also|always|never|often|usually|only|really|just|still|even|simply|rarely|typically|"
    "already|personally|quickly|then|now|genuinely|regularly"
)


_CONTRACTED = {"re": "are", "ve": "have", "ll": "will", "d": "would"}


_CONTRACTIONS = re.compile(r"\bwe[’'](re|ve|ll|d)\b", re.I)


_WE_VERB = re.compile(
    rf"(?P<joined>(?P<comma>,?)\s+and(?:\s+that)?\s+)?\bwe\s+"
    rf"(?P<adverb>(?:(?:{_ADVERBS})\s+)*)(?P<verb>[A-Za-z’'-]+)",
    re.I,
)


_AND_ADVERB_VERB = re.compile(rf"(\band\s+)((?:(?:{_ADVERBS})\s+)+)([a-z]+)\b")


_PROSPECT_PRONOUN = re.compile(r"\b(?:they|their|theirs|themselves)\b", re.I)


_TO_YOU = {"they": "you", "their": "your", "theirs": "yours", "themselves": "yourselves"}


# case matters: "US manufacturers" is not "us"
_OUR_VOICE = re.compile(r"\b(?:[Ww]e|us|[Oo]urs?|[Oo]urselves|I|me|[Mm]y|[Mm]ine)\b")


_THIRD_PERSON = {
    "are": "is",
    "were": "was",
    "have": "has",
    "do": "does",
    "go": "goes",
    "aren't": "isn't",
    "aren’t": "isn’t",
    "haven't": "hasn't",
    "haven’t": "hasn’t",
    "don't": "doesn't",
    "don’t": "doesn’t",
    "weren't": "wasn't",
    "weren’t": "wasn’t",
}


#: modal verbs and common irregular past tenses: the same after "she" as after "we"
_UNCHANGED = frozenset(
    (
        *("can", "could", "will", "would", "shall", "should", "may", "might", "must"),
        *("cannot", "can't", "won't", "wouldn't", "couldn't", "shouldn't"),
        *("can’t", "won’t", "wouldn’t", "couldn’t", "shouldn’t"),
        *("ran", "built", "made", "led", "did", "had", "saw", "took", "gave", "got", "wrote"),
        *("went", "began", "brought", "bought", "sold", "taught", "found", "kept", "held"),
        *("met", "sent", "spent", "won", "grew", "knew", "thought", "told", "became", "came"),
    )
)

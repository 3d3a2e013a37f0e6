"""English grammar helpers: lists, counts, an intro hint spoken to the prospect."""

from __future__ import annotations

from refkit.text.english import first_name, join_words, lower_first, name_parts, speak_hint


def test_word_helpers() -> None:
    assert lower_first("Adding a second shift") == "adding a second shift"
    assert lower_first("A first claim") == "a first claim"
    assert lower_first("OSHA citation") == "OSHA citation"
    assert lower_first("Álvaro's clients") == "Álvaro's clients"  # a name stays
    assert lower_first("CFOs integrating") == "CFOs integrating"
    assert lower_first("HR managers") == "HR managers"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(["x or y", "z"], "or") == "x or y, or z"
    assert join_words(["solo"]) == "solo" and join_words([]) == ""


def test_intro_hint_spoken_to_the_prospect() -> None:
    assert (
        speak_hint(
            "Tell them we are a senior HR leader they can have two days a week, and that we "
            "have run HR inside plants like theirs.",
            "Priya",
        )
        == "Priya is a senior HR leader you can have two days a week, and has run HR inside "
        "plants like yours."
    )
    assert (
        speak_hint(
            "Tell them we coach first-time HR managers and never try to replace them.", "Ana"
        )
        == "Ana coaches first-time HR managers and never tries to replace them."
    )
    assert speak_hint("Let them know we're quick and we fix payroll messes", "Jo") == (
        "Jo is quick and fixes payroll messes."
    )
    assert speak_hint("Say that we built pay bands for 40 plants", "Jo") == (
        "Jo built pay bands for 40 plants."
    )
    # not a hint we can say for the referrer, or one that keeps our voice: nothing
    assert speak_hint("Ask about their second shift.", "Jo") is None
    assert speak_hint("Tell them our team has done this before.", "Jo") is None
    assert speak_hint("Tell them we help us.", "Jo") is None


def test_first_name_and_name_parts_share_the_honorifics() -> None:
    assert first_name("Inês Carvalho") == "Inês"
    assert first_name("Dr. Ana Lopez") == "Dr. Lopez"
    assert first_name("prof Li") == "prof Li"
    assert name_parts("Dr. Ana Lopez") == ("Dr.", "Ana", "Lopez")
    assert name_parts("Ana María Lopez") == ("", "Ana María", "Lopez")
    assert name_parts("Dr. Lopez") == ("", "Dr.", "Lopez")  # too short to be a prefix
    assert name_parts("Cher") == ("", "", "Cher")

"""The closed vocabularies of the content model, without pydantic.

Kept apart from :mod:`refkit.content.models` so the CLI can offer them as
choices without loading pydantic (``refkit --version`` stays fast).
"""

from __future__ import annotations

import typing
from typing import Literal

#: how a partnership works (partner.strategy); templates/_words.html says each in words
Strategy = Literal["referrals", "joint-marketing", "joint-sales-calls", "co-hosted-events"]
STRATEGIES: tuple[str, ...] = typing.get_args(Strategy)
Direction = Literal["received", "given"]
#: where a referral stands, in the order it moves
Status = Literal["introduced", "meeting", "proposal", "won", "lost", "not-a-fit"]
DIRECTIONS: tuple[str, ...] = typing.get_args(Direction)
STATUSES: tuple[str, ...] = typing.get_args(Status)
#: still in play: not won, lost or not a fit
OPEN_STATUSES: tuple[str, ...] = STATUSES[:3]
#: whom a profile describes (profile.kind): people at a company, or a household
ProfileKind = Literal["business", "household"]
PROFILE_KINDS: tuple[str, ...] = typing.get_args(ProfileKind)
#: a touch with a partner that is not a referral (content/activity.yaml's ``kind``)
TouchKind = Literal["check-in", "meeting", "call"]
TOUCH_KINDS: tuple[str, ...] = typing.get_args(TouchKind)

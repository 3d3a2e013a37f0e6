"""Which emails each partner gets, and what they attach.

The paths come from :mod:`refkit.derive.layout`; this module decides which
of them exist for a partner (a proposal only to a prospect, a check-in only
to an active partner, a thank-you only to someone who has sent us someone).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from refkit.content.models import Partner, Referral
from refkit.content.project import Project
from refkit.derive.layout import EMAIL_TEMPLATES, email_draft, partner_output, profile_output

#: emails the partner sends (signed with the partner's name); we send the rest
PARTNER_SENDS = frozenset({"ask-permission", "introduction", "referral-brief"})
#: emails the partner sends to us (the introduction also goes to the prospect)
TO_US = frozenset({"introduction", "referral-brief"})
#: emails written for a top customer (kind: customer) only
CUSTOMERS_ONLY = frozenset({"customer-interview"})


def referral_to_thank(
    referrals: Iterable[Referral], prospect: str | None = None
) -> Referral | None:
    """The introduction a thank-you is about: the latest not yet thanked, a won one first.

    With ``prospect`` (`refkit email thank-you --prospect NAME`), the latest
    introduction of that name, thanked or not. None when there is nothing to
    thank for: a partner whose every introduction has been thanked gets no
    thank-you draft.
    """
    received = [r for r in referrals if r.direction == "received"]
    if prospect:
        wanted = " ".join(prospect.split()).casefold()
        named = [r for r in received if " ".join(r.prospect.split()).casefold() == wanted]
        return named[-1] if named else None
    open_loops = [r for r in received if not r.thanked]
    won = [r for r in open_loops if r.status == "won"]
    chosen = won or open_loops
    return max(chosen, key=lambda r: r.date) if chosen else None


def applies_to(template: str, partner: Partner | None) -> bool:
    """Whether a template is written for this partner.

    Proposals go to prospects only; check-ins to active partners only (a
    prospect has agreed nothing yet, a paused partner has nothing to review).
    """
    if partner is None:
        return True
    if partner.status == "retired":
        return False
    if template == "partner-proposal":
        return partner.status == "prospect"
    if template == "check-in":
        return partner.status == "active"
    if template in CUSTOMERS_ONLY:
        return partner.kind == "customer"
    return True


def partner_templates(project: Project, slug: str) -> tuple[str, ...]:
    """The templates drafted for a partner under ``output/email/SLUG/``.

    Everything :func:`applies_to` allows, except a thank-you when there is
    nothing to thank for (nobody sent yet, or every introduction thanked):
    it would be addressed to a real person and still be full of blanks, or
    thank twice.
    """
    partner = project.partners[slug]
    to_thank = referral_to_thank(project.referrals_with(slug))
    return tuple(
        template
        for template in EMAIL_TEMPLATES
        if applies_to(template, partner) and (template != "thank-you" or to_thank is not None)
    )


class ProfileEmail(NamedTuple):
    """A partner's ask-permission or introduction for one of the profiles they serve."""

    profile: str
    template: str
    #: where the build writes it, relative to output/, without the extension
    #: (add .txt, .html, or .eml when the partner has an email address)
    path: str


def profile_emails(project: Project, slug: str) -> list[ProfileEmail]:
    """Where to find each email a partner sends, for every profile they serve.

    ``email/SLUG/TEMPLATE`` is written for the first served profile. A partner
    serving more than one also gets ``email/SLUG/TEMPLATE--PROFILE`` for each
    (the first included), and those are what this lists; a partner serving
    one profile gets ``email/SLUG/TEMPLATE``. Template names never contain
    "--", so the part after the first "--" is always the profile slug.
    """
    partner = project.partners[slug]
    served = list(project.profiles_for(slug))
    templates = [t for t in EMAIL_TEMPLATES if t in PARTNER_SENDS and applies_to(t, partner)]
    out: list[ProfileEmail] = []
    for profile in served:
        for template in templates:
            variant = profile if len(served) > 1 else None
            out.append(ProfileEmail(profile, template, email_draft(slug, template, variant)))
    return out


def attachments_for(project: Project, template: str, partner: str | None) -> tuple[str, ...]:
    """The one-pagers a criteria-share .eml carries: served profiles', then the partner's."""
    if template != "criteria-share" or partner is None:
        return ()
    served = tuple(profile_output(slug) for slug in project.profiles_for(partner))
    return (*served, partner_output(partner))

"""The content model (``shared/spec/content-model.md``) as pydantic models.

One source of truth: validation and ``refkit schema`` both come from here.
The models do no I/O; cross-references between files live in ``project.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from refkit.content.terms import (
    OPEN_STATUSES,
    Direction,
    ProfileKind,
    Status,
    Strategy,
    TouchKind,
)
from refkit.text.money import DEFAULT_CURRENCY, currency_problem

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_C0 = re.compile(r"[\x00-\x1f\x7f]")
_C0_MARKDOWN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _control(value: str, allowed: re.Pattern[str]) -> str:
    match = allowed.search(value)
    if match:
        raise ValueError(f"contains the control character U+{ord(match.group()):04X}; remove it")
    return value


def _text(value: str) -> str:
    # YAML block scalars (`>`, `|`) are layout, not content: fold them into one line
    value = value.strip()
    value = re.sub(r"[ \t]*\n[ \t]*", " ", value)
    return _control(value, _C0)


#: an RFC 2047 encoded word as CPython's email parser (and mail clients) decode
#: it: any charset, even whitespace inside; it may decode to CR LF + "Bcc: ..."
ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?[^?]*\?=")


def header_problem(value: str) -> str | None:
    """Why ``value`` cannot be written into an email header as it is, or None.

    The one rule for every value that can reach a Subject, From or To (content
    fields, `refkit email --prospect`): one line, no control characters, and
    no encoded word, which a mail client would decode into anything. (NEL and
    the Unicode line separators are whitespace there: the Subject and the
    names in From and To are written with their whitespace collapsed.)
    """
    if "\n" in value or "\r" in value:
        return "must be a single line (it is used in email headers)"
    match = _C0.search(value)
    if match:
        return f"contains the control character U+{ord(match.group()):04X}; remove it"
    if ENCODED_WORD.search(value):
        return "contains an RFC 2047 encoded word (=?...?=); write the text itself"
    return None


def _one_line(value: str) -> str:
    value = value.strip()
    problem = header_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _markdown(value: str) -> str:
    return _control(value.strip("\n"), _C0_MARKDOWN)


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value


def _email(value: str) -> str:
    try:
        validate_email(value, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError as exc:
        # Reserved names (a@b.test, x@example.invalid, x@localhost) are fine in
        # drafts and examples: accept them when the address is otherwise valid.
        local, _, domain = value.rpartition("@")
        if "special-use or reserved" in str(exc) and local:
            try:
                validate_email(
                    f"{local}@{domain}.example",
                    check_deliverability=False,
                    globally_deliverable=False,
                )
            except EmailNotValidError:
                pass
            else:
                return value
        raise ValueError(f"'{value}' is not a valid email address: {exc}") from None
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError(f"'{value}' is not an absolute http(s) URL (like https://example.com/)")
    return value


def _bcp47(value: str) -> str:
    if not _BCP47.match(value):
        raise ValueError(f"'{value}' is not a BCP 47 language tag (like en, en-US, pt-BR)")
    return value


def _currency(value: str) -> str:
    problem = currency_problem(value)
    if problem:
        raise ValueError(problem)
    return value.strip().upper()


def _hex(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"'{value}' is not a hex color (like \"#1f6f5c\"); quote it in YAML")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(
            f"'{value}' is not a slug (lowercase letters, digits and dashes, like 'hr-directors')"
        )
    return value


Text = Annotated[str, Strict(), AfterValidator(_text), AfterValidator(_non_empty)]
"""A plain string; YAML block scalars fold into one line."""
OneLine = Annotated[str, Strict(), AfterValidator(_one_line), AfterValidator(_non_empty)]
"""A string that may reach an email header: one line, no encoded word (see header_problem)."""
Markdown = Annotated[
    str,
    Strict(),
    AfterValidator(_markdown),
    AfterValidator(_non_empty),
    WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"}),
]
Email = Annotated[
    OneLine, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})
]
Url = Annotated[OneLine, AfterValidator(_url), WithJsonSchema({"type": "string", "format": "uri"})]
Slug = Annotated[
    str,
    Strict(),
    AfterValidator(_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern}),
]
PriceTier = Literal["value", "mid-market", "premium"]
Int = Annotated[int, Strict()]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    _blank_is_an_error: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        """An optional field left blank (``serves:``, ``tagline: ""``) takes its default.

        Commenting out every item of a list leaves the key with no value; that
        means "none", not a type error. Required fields still must be filled.
        """
        if not isinstance(data, dict):
            return data
        blank = [
            key
            for key, value in data.items()
            if key in cls.model_fields
            and key not in cls._blank_is_an_error
            and not cls.model_fields[key].is_required()
            and (value is None or (isinstance(value, str) and not value.strip()))
        ]
        return {k: v for k, v in data.items() if k not in blank} if blank else data


class Contact(_Model):
    """The person partners reach."""

    name: OneLine = Field(description="The person partners reach.")
    title: OneLine | None = Field(None, description="Their job title.")
    email: Email = Field(description="Their email address.")
    phone: OneLine | None = Field(
        None, description="Their phone number, as partners should dial it."
    )
    booking_url: Url | None = Field(None, description="A link where a prospect books a first call.")
    photo: OneLine | None = Field(
        None,
        description="Their photo (JPEG, PNG or WebP), a path under content/assets "
        "(e.g. assets/priya.jpg): on the site, the one-pagers and the vCard.",
    )


class Service(_Model):
    """One thing the business offers."""

    name: OneLine = Field(description="The service's name.")
    summary: Markdown = Field(description="One or two sentences on what it is (Markdown).")


class Testimonial(_Model):
    """A short, attributed quote."""

    quote: Text = Field(description="What the client said.")
    who: OneLine = Field(description="Who said it, by role (e.g. 'COO, 140-person manufacturer').")


class Brand(_Model):
    """How the site, PDFs and emails look."""

    # `color: #1d4e5f` unquoted is a YAML comment, i.e. blank: say so, don't ignore it
    _blank_is_an_error: ClassVar[frozenset[str]] = frozenset({"color"})

    color: Annotated[str, Strict(), AfterValidator(_hex)] | None = Field(
        None, description='Primary brand color as a CSS hex color, quoted: "#1f6f5c".'
    )
    logo: OneLine | None = Field(
        None,
        description="SVG or PNG logo of any shape (1:3 to 8:1), a path under content/assets "
        "(e.g. assets/logo.svg); drawn on white, and on the brand colour on a light plate "
        "unless logo_on_dark is set.",
    )
    logo_on_dark: OneLine | None = Field(
        None,
        description="The logo for the brand-coloured band (the one-pagers' header, the "
        "report), e.g. a white version; a path under content/assets, SVG or PNG.",
    )

    @field_validator("color", mode="before")
    @classmethod
    def _color_not_comment(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(
                "is empty: in YAML an unquoted # starts a comment; write it quoted, "
                'like color: "#1f6f5c"'
            )
        return value


class Site(_Model):
    """Site settings."""

    base_url: Url | None = Field(
        None,
        description="Absolute URL the site is deployed at; enables sitemap, canonical links "
        "and QR codes.",
    )
    language: Annotated[str, Strict(), AfterValidator(_bcp47)] = Field(
        "en", description="BCP 47 language tag of pages, PDFs and emails."
    )
    paper: Literal["letter", "a4"] = Field("letter", description="PDF page size.")
    brand: Brand = Field(default_factory=Brand, description="Brand color and logo.")


class Promises(_Model):
    """What we promise partners and prospects: the site, the one-pagers and every email say it."""

    reply_within: OneLine = Field(
        "one business day",
        description="How soon we answer an introduction (after 'We reply within').",
    )
    first_meeting: OneLine = Field(
        "a 20-minute call",
        description="The first step we offer a prospect (e.g. 'a 20-minute call').",
    )


class Business(_Model):
    """content/business.yaml: who we are, what we do and do not do, site settings."""

    name: OneLine = Field(description="Business name.")
    tagline: OneLine | None = Field(None, description="One line under the name.")
    summary: Markdown = Field(description="What we do, 2-4 sentences (Markdown).")
    website: Url | None = Field(None, description="Main website.")
    contact: Contact = Field(description="The person partners reach.")
    services: list[Service] = Field(min_length=1, description="What we offer (at least one).")
    we_do_not_offer: list[Text] = Field(
        default_factory=list,
        description="What we do NOT do, so partners see we will not compete with them.",
    )
    industries: list[Text] = Field(default_factory=list, description="Industries we focus on.")
    service_area: Text | None = Field(None, description="Geography we serve.")
    price_tier: PriceTier | None = Field(
        None, description="Our price tier, so partners of a matching tier can be found."
    )
    how_we_win_business: Markdown | None = Field(
        None, description="How new business reaches us today (Markdown)."
    )
    why_clients_choose_us: list[Text] = Field(
        default_factory=list, description="What our best clients say they value."
    )
    not_a_fit: list[Text] = Field(
        default_factory=list, description="Who we are not for, at business level."
    )
    values: list[Text] = Field(default_factory=list, description="What we stand for.")
    partner_offer: list[Text] = Field(
        default_factory=list,
        description="What a partner gets from us (referrals back, joint events, ...).",
    )
    testimonials: list[Testimonial] = Field(
        default_factory=list, description="Short quotes, attributed by role."
    )
    promises: Promises = Field(
        default_factory=Promises, description="How soon we reply, and the first step we offer."
    )
    currency: Annotated[
        str,
        Strict(),
        AfterValidator(_currency),
        WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$"}),
    ] = Field(
        DEFAULT_CURRENCY,
        description="ISO 4217 code of every ledger value (USD, EUR, GBP...); amounts are "
        "formatted for site.language.",
    )
    site: Site = Field(default_factory=Site, description="Site settings.")


class Employees(_Model):
    """A company size range."""

    min: Annotated[Int, Field(ge=0)] | None = Field(None, description="Fewest employees.")
    max: Annotated[Int, Field(ge=0)] | None = Field(None, description="Most employees.")

    @model_validator(mode="after")
    def _ordered(self) -> Employees:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


class Company(_Model):
    """The kind of company a profile describes."""

    employees: Employees | None = Field(None, description="Company size range, min <= max.")
    revenue: Text | None = Field(None, description="Free text, e.g. '$10M-$100M'.")
    industries: list[Text] = Field(default_factory=list, description="Their industries.")
    locations: list[Text] = Field(default_factory=list, description="Where they are.")


class Profile(_Model):
    """content/profiles/SLUG.yaml: an ideal client profile."""

    title: OneLine = Field(description="e.g. 'HR directors at growing manufacturers'.")
    summary: Markdown = Field(description="Who they are and why we fit (Markdown).")
    contact_role: Text = Field(
        description="Whom a referrer should introduce us to (e.g. 'HR Director or VP People')."
    )
    kind: ProfileKind = Field(
        "business",
        description="Whether the prospect is a company (business) or a household; a household "
        "has no company fields, and no output mentions a company.",
    )
    company: Company = Field(
        default_factory=Company, description="Company size and industry (business profiles only)."
    )
    signals: list[Text] = Field(
        default_factory=list,
        description="Events that make now a good time ('opening a second plant').",
    )
    needs: list[Text] = Field(default_factory=list, description="Problems we solve for them.")
    criteria: list[Text] = Field(
        min_length=1, description="What makes a referral qualified (at least one)."
    )
    disqualifiers: list[Text] = Field(default_factory=list, description="What makes it not a fit.")
    why_us: list[Text] = Field(
        default_factory=list, description="What clients of this profile value in us."
    )
    example: Markdown | None = Field(None, description="An anonymized success story (Markdown).")
    intro_hint: Text | None = Field(
        None, description="What the referrer should tell the prospect about us."
    )
    order: Int | None = Field(None, description="Sort key (then title).")
    image: OneLine | None = Field(
        None,
        description="A picture (JPEG, PNG or WebP) for the profile page and its one-pager, "
        "a path under content/assets.",
    )
    image_alt: OneLine | None = Field(
        None, description="The picture's text alternative (required when `image` is set)."
    )

    @model_validator(mode="after")
    def _image_has_alt(self) -> Profile:
        """An image without its text alternative is an error at the image's line."""
        if self.image is not None and self.image_alt is None:
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "value_error",
                            "needs image_alt: add image_alt with what the picture shows, "
                            "for readers who cannot see it",
                        ),
                        loc=("image",),
                        input=self.image,
                    )
                ],
            )
        return self

    @model_validator(mode="after")
    def _household_has_no_company(self) -> Profile:
        """A household's company fields are an error at each one's line, not silently unused.

        Raised as a ValidationError located at ``company.FIELD`` (a plain
        ValueError here would point at the whole file).
        """
        if self.kind != "household":
            return self
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "value_error",
                    "a household profile has no company: remove company.{field} "
                    "(or set kind: business)",
                    {"field": name},
                ),
                loc=("company", name),
                input=getattr(self.company, name),
            )
            for name in Company.model_fields
            if name in self.company.model_fields_set
        ]
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


_Qualifier = Annotated[bool, Strict()] | None


# The one home of the checklist: its keys are these fields, in this order, and
# each label is the field's description (QUALIFIER_LABELS below reads them).
class Qualifiers(_Model):
    """The partner fit checklist: true, false or null (unknown)."""

    knows_our_customers: _Qualifier = Field(None, description="Knows who our customers are")
    shared_values: _Qualifier = Field(None, description="Shares our values")
    does_what_they_say: _Qualifier = Field(None, description="Does what they say they will")
    we_referred_them: _Qualifier = Field(
        None, description="We have referred them the kind of business they want"
    )
    refers_back: _Qualifier = Field(None, description="Refers business back to us")
    professional: _Qualifier = Field(
        None, description="Professional: we are comfortable letting them serve our clients"
    )
    accessible: _Qualifier = Field(None, description="Easy to reach")
    same_client_type: _Qualifier = Field(None, description="Serves the same type of client")
    price_tier_match: _Qualifier = Field(None, description="Works at a similar price tier")

    def items(self) -> list[tuple[str, bool | None]]:
        """(key, value) for every qualifier, in checklist order."""
        return [(key, getattr(self, key)) for key in type(self).model_fields]


#: the checklist's keys and labels, from :class:`Qualifiers`
QUALIFIER_LABELS: dict[str, str] = {
    key: field.description or key for key, field in Qualifiers.model_fields.items()
}
QUALIFIER_KEYS = tuple(QUALIFIER_LABELS)


class Agreement(_Model):
    """What both sides agreed to."""

    expectations: list[Text] = Field(
        default_factory=list, description="What each side committed to."
    )
    check_in_days: Annotated[Int, Field(gt=0, le=3660)] | None = Field(
        None, description="Cadence of check-ins, in days (at most ten years)."
    )


class Partner(_Model):
    """content/partners/SLUG.yaml: a referral partner or top customer."""

    name: OneLine = Field(description="The person.")
    company: OneLine | None = Field(None, description="Their company.")
    role: OneLine | None = Field(None, description="Their role.")
    kind: Literal["partner", "customer"] = Field(
        "partner", description="A referral partner, or a top customer we ask for referrals."
    )
    email: Email | None = Field(
        None, description="Their email (required to build .eml files for this partner)."
    )
    phone: OneLine | None = Field(None, description="Their phone number.")
    website: Url | None = Field(None, description="Their website.")
    status: Literal["prospect", "active", "paused", "retired"] = Field(
        "active", description="`retired` partners get no outputs."
    )
    since: dt.date | None = Field(None, description="When the partnership started (YYYY-MM-DD).")
    serves: list[Slug] = Field(
        default_factory=list,
        description="Which of our profiles (slugs) this partner can refer; each must exist.",
    )
    offers: list[Text] = Field(
        default_factory=list, description="What the partner sells (so we can refer to them)."
    )
    their_ideal_clients: list[Text] = Field(
        default_factory=list, description="Whom the partner wants from us (reciprocity)."
    )
    price_tier: PriceTier | None = Field(None, description="Their price tier.")
    strategy: list[Strategy] = Field(default_factory=list, description="How we work together.")
    agreement: Agreement = Field(
        default_factory=Agreement, description="Expectations and check-in cadence."
    )
    qualifiers: Qualifiers = Field(
        default_factory=Qualifiers, description="The fit checklist: true, false or null."
    )
    page: Literal["private", "public", "none"] = Field(
        "private",
        description="The partner's landing page: private (unlisted token URL), public, none.",
    )
    share_progress: Annotated[bool, Strict()] = Field(
        False,
        description="Show the partner, on their private page, the counts of introductions "
        "both ways (never names or money).",
    )
    notes: Markdown | None = Field(None, description="Private; never published in any output.")

    @property
    def display_name(self) -> str:
        """``Name, Company`` or just the name."""
        return f"{self.name}, {self.company}" if self.company else self.name


class Referral(_Model):
    """One entry of content/referrals.yaml, the referral ledger."""

    date: dt.date = Field(description="When the referral was made (YYYY-MM-DD).")
    direction: Direction = Field(
        description="received = the partner sent us someone; given = we sent them someone."
    )
    partner: Slug = Field(description="The partner's slug; must exist.")
    prospect: OneLine = Field(description="Who was referred (a name or company).")
    profile: Slug | None = Field(None, description="Which profile it matched (received only).")
    status: Status = Field("introduced", description="Where the referral stands.")
    # finite and below a quadrillion: anything else is a typo, and would overflow sums
    value: Annotated[float, Strict(), Field(ge=0, le=1e15, allow_inf_nan=False)] | None = Field(
        None, description="Deal value, in the business's currency."
    )
    follow_up_due: dt.date | None = Field(
        None, description="When the next step on this referral is due (YYYY-MM-DD)."
    )
    thanked: Annotated[bool, Strict()] = Field(
        False, description="Whether the referrer was thanked (the loop is closed)."
    )
    note: Text | None = Field(None, description="Private; never published.")

    @property
    def is_open(self) -> bool:
        """Still in play: not won, lost or not a fit."""
        return self.status in OPEN_STATUSES


Ledger = TypeAdapter(list[Referral])


class Touch(_Model):
    """One entry of content/activity.yaml: a check-in, meeting or call with a partner.

    Not a referral: it counts nowhere in the scorecard's figures, but the last
    touch of any kind (this, or a referral either way) restarts the partner's
    check-in cadence.
    """

    date: dt.date = Field(description="When it happened (YYYY-MM-DD).")
    partner: Slug = Field(description="The partner's slug; must exist.")
    kind: TouchKind = Field(
        "check-in", description="check-in, meeting or call: how we were in touch."
    )
    note: Text | None = Field(None, description="Private; never published.")


Activity = TypeAdapter(list[Touch])

#: the schema name of each kind of content file, for `refkit schema` and modelines
FILE_MODELS: dict[str, Any] = {
    "business": Business,
    "profile": Profile,
    "partner": Partner,
    "referrals": list[Referral],
    "activity": list[Touch],
}


_ANNOTATIONS = frozenset({"title", "description", "default", "examples"})


def _allows_null(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "null" or any(
        option.get("type") == "null" for option in prop.get("anyOf", ())
    )


def _describe_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Give ``$ref`` properties the description of what they point at (editors show it)."""
    defs = schema.get("$defs", {})

    blank_is_an_error = {m.__name__: m._blank_is_an_error for m in _Model.__subclasses__()}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            required = set(node.get("required", ()))
            title = node.get("title")
            strict = blank_is_an_error.get(title, frozenset()) if isinstance(title, str) else ()
            for name, prop in node.get("properties", {}).items():
                ref = prop.get("$ref", "")
                if ref and "description" not in prop:
                    target = defs.get(ref.rsplit("/", 1)[-1], {})
                    if "description" in target:
                        prop["description"] = target["description"]
                # an optional field left blank means "none" (see _Model): say so
                if name not in required and name not in strict and not _allows_null(prop):
                    options = prop.pop("anyOf", None) or [
                        {k: prop.pop(k) for k in list(prop) if k not in _ANNOTATIONS}
                    ]
                    prop["anyOf"] = [*options, {"type": "null"}]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    return schema


def json_schema(kind: str | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of content file, or of all of them."""
    if kind is not None:
        schema = _describe_refs(TypeAdapter(FILE_MODELS[kind]).json_schema())
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", f"refkit {kind}")
        return schema
    defs: dict[str, Any] = {}
    any_of = []
    for name, model in FILE_MODELS.items():
        one = TypeAdapter(model).json_schema(ref_template="#/$defs/{model}")
        defs.update(one.pop("$defs", {}))
        key = f"{name}_file"
        defs[key] = one
        any_of.append({"$ref": f"#/$defs/{key}"})
    return _describe_refs(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "refkit content",
            "description": "Any refkit content file: business.yaml, profiles/*.yaml, "
            "partners/*.yaml, referrals.yaml or activity.yaml.",
            "anyOf": any_of,
            "$defs": defs,
        }
    )

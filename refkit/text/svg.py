"""SVG logos made safe to publish: no scripts, event handlers, external references or DTDs.

An SVG is a document that can run scripts when opened on its own (the site
links ``assets/logo.*.svg``) and fetch files when drawn (WeasyPrint, a
browser). :func:`clean_svg` keeps the drawing and drops the rest: elements
outside an allowlist of SVG's drawing elements (``<script>``,
``<foreignObject>``, anything not in the SVG namespace), ``on*`` attributes,
``javascript:`` values, and every reference that is not to the file itself
(``#id``) or an embedded raster image, in ``href``, ``xlink:href``, ``src``,
``style`` and ``<style>``. A document type declaration is refused outright
(entity bombs, external entities). A logo with nothing to drop is kept byte
for byte. Pure: bytes in, bytes out; the standard library's expat parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from refkit.errors import ContentError, Problem

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"

#: SVG's drawing, structure, paint-server, filter, text and animation elements
KEPT_ELEMENTS = frozenset(
    {
        "a",
        "animate",
        "animateMotion",
        "animateTransform",
        "circle",
        "clipPath",
        "defs",
        "desc",
        "ellipse",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
        "filter",
        "g",
        "image",
        "line",
        "linearGradient",
        "marker",
        "mask",
        "metadata",
        "mpath",
        "path",
        "pattern",
        "polygon",
        "polyline",
        "radialGradient",
        "rect",
        "set",
        "stop",
        "style",
        "svg",
        "switch",
        "symbol",
        "text",
        "textPath",
        "title",
        "tspan",
        "use",
        "view",
    }
)
_ANIMATIONS = frozenset({"animate", "animateMotion", "animateTransform", "set"})
#: attributes whose value is a URL that is fetched or followed
_URL_ATTRIBUTES = frozenset({"href", "src"})
#: the only xml: attributes kept (xml:base would move every relative reference)
_XML_ATTRIBUTES = frozenset({"space", "lang"})
_RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,", re.IGNORECASE)
_SCRIPT_SCHEME = re.compile(r"(?:java|vb)script:|data:text/", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
#: CSS that could fetch without url() or hide one behind escapes: dropped whole
_CSS_UNSAFE = re.compile(r"\\|image-set\s*\(|expression\s*\(|-moz-binding|behavior\s*:", re.I)
_BLANKS = re.compile(r"[\x00-\x20]+")
_SHOWN = 60


@dataclass(frozen=True)
class CleanSvg:
    """A sanitised SVG, and what was removed from it (for a warning; empty when kept as is)."""

    data: bytes
    removed: tuple[str, ...]


def sanitize_svg(data: bytes, source: str) -> bytes:
    """The SVG ``data`` without scripts, handlers or external references (see :func:`clean_svg`)."""
    return clean_svg(data, source).data


def clean_svg(data: bytes, source: str) -> CleanSvg:
    """Sanitise the SVG ``data`` read from ``source``; ContentError naming it when unusable."""
    instructions = _check_xml(data, source)
    root = ET.fromstring(data)
    namespace, local = _split(root.tag)
    if local != "svg" or namespace not in (SVG_NS, None):
        raise ContentError(Problem(source, f"not an SVG: its root element is <{local}>, not <svg>"))
    cleaner = _Cleaner(bare=namespace is None)
    cleaner.removed.extend(f"<?{target}?>" for target in instructions)
    cleaner.clean(root)
    removed = tuple(dict.fromkeys(cleaner.removed))
    if not removed and not cleaner.changed:
        return CleanSvg(data, ())
    return CleanSvg(_serialise(root), removed)


def _check_xml(data: bytes, source: str) -> list[str]:
    """Parse once with expat: refuse a DTD, report bad XML; the processing instructions."""
    instructions: list[str] = []

    def doctype(*_args: object) -> None:
        raise _DoctypeError

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = lambda target, _data: instructions.append(target)
    try:
        parser.Parse(data, True)
    except _DoctypeError:
        raise ContentError(
            Problem(
                source,
                "the SVG has a <!DOCTYPE> (entities, external files), which refkit "
                "does not read; remove it (export the logo again as plain SVG)",
                parser.CurrentLineNumber,
                parser.CurrentColumnNumber + 1,
            )
        ) from None
    except expat.ExpatError as exc:
        raise ContentError(
            Problem(
                source,
                f"the SVG is not well-formed XML ({expat.ErrorString(exc.code)}); "
                "export the logo again as plain SVG",
                exc.lineno,
                exc.offset + 1,
            )
        ) from None
    return instructions


class _DoctypeError(Exception):
    """Raised from expat's handler at the first DOCTYPE or entity declaration."""


def _split(name: str) -> tuple[str | None, str]:
    """``{ns}local`` -> (ns, local); ``local`` -> (None, local)."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return None, name


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"


class _Cleaner:
    """Walks a parsed SVG in place, noting what it removes."""

    def __init__(self, *, bare: bool) -> None:
        #: the file declares no namespace: its elements are read as SVG's
        self.bare = bare
        self.removed: list[str] = []
        #: dropped something not worth a warning (an editor's metadata)
        self.changed = bare

    def clean(self, element: ET.Element) -> None:
        self.attributes(element)
        if _split(element.tag)[1] == "style":
            element.text = self.css(element.text or "", "<style>")
        for child in list(element):
            why = self.unwanted(child)
            if why is not None:
                _remove(element, child)
                if why:
                    self.removed.append(why)
                else:
                    self.changed = True
                continue
            self.clean(child)

    def unwanted(self, element: ET.Element) -> str | None:
        """Why ``element`` goes ('' for quietly), or None to keep it."""
        if not isinstance(element.tag, str):  # pragma: no cover - the parser drops comments
            return ""
        namespace, local = _split(element.tag)
        if namespace is None and self.bare:
            element.tag = f"{{{SVG_NS}}}{local}"
            namespace = SVG_NS
        if namespace != SVG_NS:
            # an editor's metadata (Inkscape, Illustrator) goes quietly; HTML does not
            return f"<{local}>" if namespace in (XHTML_NS, None) else ""
        if local not in KEPT_ELEMENTS:
            return f"<{local}>"
        if local in _ANIMATIONS:
            target = _split(element.get("attributeName", ""))[1].split(":")[-1].lower()
            if target in _URL_ATTRIBUTES or target.startswith("on"):
                return f"<{local} attributeName={target}>"
        return None

    def attributes(self, element: ET.Element) -> None:
        local_tag = _split(element.tag)[1]
        for name, value in list(element.attrib.items()):
            namespace, local = _split(name)
            why = self.attribute(local_tag, namespace, local, value)
            if why is None:
                if "url(" in value.lower():
                    cleaned = self.css(value, f"{local}=")
                    if cleaned != value:
                        element.set(name, cleaned)
                continue
            del element.attrib[name]
            if why:
                self.removed.append(why)
            else:
                self.changed = True

    def attribute(self, tag: str, namespace: str | None, local: str, value: str) -> str | None:
        """Why an attribute goes ('' for quietly), or None to keep it."""
        if local.lower().startswith("on"):
            return f"{local}="
        if namespace == XML_NS:
            return None if local in _XML_ATTRIBUTES else f"xml:{local}="
        if namespace not in (None, XLINK_NS):
            return ""
        plain = _BLANKS.sub("", value)
        if _SCRIPT_SCHEME.search(plain):
            return f"{local}={_shown(value)}"
        if local in _URL_ATTRIBUTES and not _local_reference(tag, plain):
            return f"{local}={_shown(value)}"
        if namespace == XLINK_NS and local not in _URL_ATTRIBUTES:
            return ""  # xlink:title, xlink:type and kin: no use to a logo
        if local == "style" and _CSS_UNSAFE.search(value):
            return f"style={_shown(value)}"
        return None

    def css(self, text: str, where: str) -> str:
        """CSS without @import and with every non-local url() as ``none``."""
        if _CSS_UNSAFE.search(text):
            self.removed.append(f"{where} {_shown(text)}")
            return ""
        if _CSS_IMPORT.search(text):
            self.removed.append("@import")
            text = _CSS_IMPORT.sub("", text)

        def replace(match: re.Match[str]) -> str:
            if _local_reference("image", _BLANKS.sub("", match.group(2))):
                return match.group(0)
            self.removed.append(f"url({_shown(match.group(2))})")
            return "none"

        return _CSS_URL.sub(replace, text)


def _local_reference(tag: str, url: str) -> bool:
    """A reference into the file itself, or an embedded raster image (for images)."""
    if url.startswith("#"):
        return True
    return tag in ("image", "feImage") and _RASTER_DATA.match(url) is not None


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove ``child``, keeping the text that follows it."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _serialise(root: ET.Element) -> bytes:
    """UTF-8 XML of a cleaned tree: SVG elements, plain, xml: and xlink: attributes."""
    uses_xlink = any(
        _split(name)[0] == XLINK_NS for element in root.iter() for name in element.attrib
    )
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']

    def write(element: ET.Element, top: bool) -> None:
        tag = _split(element.tag)[1]
        parts = [tag]
        if top:
            parts.append(f"xmlns={quoteattr(SVG_NS)}")
            if uses_xlink:
                parts.append(f"xmlns:xlink={quoteattr(XLINK_NS)}")
        for name, value in element.attrib.items():
            namespace, local = _split(name)
            prefix = {XML_NS: "xml:", XLINK_NS: "xlink:"}.get(namespace or "", "")
            parts.append(f"{prefix}{local}={quoteattr(value)}")
        out.append("<" + " ".join(parts))
        if element.text or len(element):
            out.append(">" + escape(element.text or ""))
            for child in element:
                write(child, False)
                out.append(escape(child.tail or ""))
            out.append(f"</{tag}>")
        else:
            out.append("/>")

    write(root, True)
    out.append("\n")
    return "".join(out).encode("utf-8")

"""The text of errors: one clean line, safe for a terminal and a log.

Every error message goes through here: URL passwords are hidden, server
messages cleaned of markup and cut short, control characters escaped. It imports
nothing of the package.
"""

from __future__ import annotations

import json
import re
import typing as ty

if ty.TYPE_CHECKING:
    import requests

#: How much of a server's message or body an error quotes at most.
MAX_QUOTED = 300

_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*):[^\s/@]*@")


def redact_url(text: str) -> str:
    """Hide the password of every URL in ``text`` (``http://u:***@h``)."""
    return _URL_PASSWORD.sub(r"\1:***@", text) if "@" in text else text


#: What a terminal would obey rather than show: C0 and C1 controls (line
#: breaks, ESC sequences), DEL, Unicode line separators and the
#: bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return "\\x%02x" % code if code < 0x100 else "\\u%04x" % code


def safe_text(text: str) -> str:
    """Return ``text`` safe to show in a terminal: control characters,
    line breaks included, are escaped (``\\n``, ``\\x1b``).

    Every value that comes from a server or a user goes through this
    before it is printed, in tables, messages and errors alike.
    """
    if text.isprintable():  # the common case, checked in C
        return text
    return _UNSAFE.sub(_escape, text)


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def truncate(text: str, limit: int = MAX_QUOTED) -> str:
    """Return ``text`` cut to ``limit`` characters, marking any cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clean_message(text: str) -> str:
    """Turn a server message (HTML, ``<br />``, newlines) into one line."""
    import html  # its entity table is only worth loading on an error

    text = _TAG.sub(" ", text)
    return truncate(_SPACE.sub(" ", html.unescape(text)).strip())


def _message_of(body: object) -> str | None:
    """Find the human message in a decoded JSON error body."""
    while isinstance(body, dict):
        for key in ("message", "detail", "explanation"):
            value = body.get(key)
            if isinstance(value, str):
                return value
        if len(body) != 1:
            break
        body = next(iter(body.values()))
    return None


def _html_message(text: str) -> str:
    """Drop an HTML page's head and its repeated status title."""
    body = re.split(r"<body[^>]*>", text, maxsplit=1, flags=re.IGNORECASE)[-1]
    body = re.sub(r"<h1>.*?</h1>", " ", body, flags=re.IGNORECASE | re.DOTALL)
    return clean_message(body)


def server_message(response: requests.Response) -> str:
    """Return the server's error message as one clean line."""
    text = response.text or ""
    if text.lstrip().startswith("{"):
        try:
            found = _message_of(json.loads(text))
        except (ValueError, RecursionError):
            found = None
        if found is not None:
            return clean_message(found)
    if "<" in text:
        return _html_message(text)
    return clean_message(text)


def one_line(error: BaseException) -> str:
    """An error as one line, safe for a terminal: its message with control
    characters escaped, or its class name if it has none."""
    return safe_text(" ".join(str(error).split())) or type(error).__name__

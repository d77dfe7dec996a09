"""Node URLs: checking one a user gives, and mapping the nodes list's
reference URLs to ones that can be reached from here.

Reference URLs (``worker_self_reference_url``) are often internal names (a
headless service, a pod hostname) that do not resolve where the client
runs; a :class:`UrlMap` replaces their prefixes.
"""

from __future__ import annotations

import collections.abc
import logging
from urllib import parse

from glanceclient import exc
from glanceclient._i18n import _

LOG = logging.getLogger(__name__)

#: The most nodes a nodes list is taken to name (the first, in sorted
#: order, once normalized and deduplicated): a hostile or broken list
#: cannot make a command act on, or probe, more.
MAX_NODES = 1000


def normalized(nodes: collections.abc.Iterable[str]) -> list[str]:
    """A nodes list as it is acted on: each URL without surrounding space
    or trailing ``/``, its scheme and host in lower case; duplicates
    dropped (the first kept), at most :data:`MAX_NODES`.

    :param nodes: reference URLs, as a server or a user gives them.
    :returns: the distinct URLs, in the given order.
    """
    seen: dict[str, None] = {}
    for node in nodes:
        url = str(node).strip().rstrip("/")
        try:
            parts = parse.urlsplit(url)
            netloc = parts.netloc
            if parts.hostname:
                start = netloc.rfind("@") + 1
                netloc = netloc[:start] + netloc[start:].lower()
            url = parse.urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))
        except ValueError:
            pass  # used as it is: the call on it will say what is wrong
        seen.setdefault(url, None)
    found = list(seen)
    if len(found) > MAX_NODES:
        LOG.warning(
            "The nodes list names %d nodes; only the first %d are used.", len(found), MAX_NODES
        )
        found = sorted(found)[:MAX_NODES]
    return found


def node_url(text: str) -> str:
    """Check a node URL given by a user and return it without a trailing ``/``.

    A node URL is a root (``http://node_1:60999``): the cache API is reached
    below it.

    :param text: the URL.
    :returns: the URL, without a trailing slash.
    :raises glanceclient.exc.InvalidArgument: not an http(s) URL, or one
        holding a path, a query or a fragment.
    """
    parts = parse.urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise exc.InvalidArgument(
            _("%(url)r is not a node URL: give one like http://node_1:9292.") % {"url": text}
        )
    if parts.path.strip("/") or parts.query or parts.fragment or "?" in text or "#" in text:
        raise exc.InvalidArgument(
            _("%(url)r is not a node URL: it must not hold a path, a query or a fragment.")
            % {"url": text}
        )
    return parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))


class UrlMap:
    """Maps reference URL prefixes to reachable ones.

    Reference URLs are often internal names (a headless service, a pod
    hostname) that do not resolve where the client runs. Each rule replaces
    a prefix of the reference URL; the longest matching prefix wins, and a
    URL no rule matches is used as it is.

    :param rules: ``{prefix: replacement}``, or ``"PREFIX=REPLACEMENT"``
        strings.
    :raises glanceclient.exc.InvalidArgument: a rule that is not
        ``PREFIX=REPLACEMENT``, or whose replacement is no URL.
    """

    def __init__(
        self, rules: collections.abc.Mapping[str, str] | collections.abc.Iterable[str] = ()
    ) -> None:
        pairs = rules.items() if isinstance(rules, collections.abc.Mapping) else map(_rule, rules)
        self.rules: dict[str, str] = {}
        for prefix, replacement in pairs:
            if not prefix or not parse.urlsplit(replacement).scheme:
                raise exc.InvalidArgument(
                    _("%(rule)r is not a URL mapping: use PREFIX=URL.")
                    % {"rule": "%s=%s" % (prefix, replacement)}
                )
            self.rules[prefix] = replacement
        self._longest_first = sorted(self.rules, key=len, reverse=True)

    @classmethod
    def from_config(cls, value: object) -> UrlMap:
        """Build a map from a configuration value.

        :param value: None; a mapping (as ``image_node_url_map`` in
            clouds.yaml); a list of ``PREFIX=URL`` strings; or one string of
            them separated by spaces or commas (as the environment gives).
        :returns: the map (empty for None).
        :raises glanceclient.exc.InvalidArgument: for anything else.
        """
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls(value.replace(",", " ").split())
        if isinstance(value, collections.abc.Mapping):
            return cls({str(k): str(v) for k, v in value.items()})
        if isinstance(value, collections.abc.Iterable):
            return cls([str(v) for v in value])
        raise exc.InvalidArgument(
            _("%(value)r is not a URL mapping: use PREFIX=URL pairs.") % {"value": value}
        )

    def __bool__(self) -> bool:
        return bool(self.rules)

    def __call__(self, url: str) -> str:
        """Return the reachable URL of a reference URL.

        :param url: a node's reference URL.
        :returns: the URL with its longest mapped prefix replaced.
        """
        for prefix in self._longest_first:
            if url.startswith(prefix):
                return self.rules[prefix] + url[len(prefix) :]
        return url

    def __repr__(self) -> str:
        return "UrlMap(%r)" % self.rules


def _rule(text: str) -> tuple[str, str]:
    prefix, sep, replacement = text.partition("=")
    if not sep:
        raise exc.InvalidArgument(
            _("%(rule)r is not a URL mapping: use PREFIX=URL.") % {"rule": text}
        )
    return prefix.strip(), replacement.strip()

"""The inventory: the nodes of a deployment, named once by the operator.

Glance has no route that lists its API nodes, so commands that act on every
node (``--all-nodes``, ``cache-report``, ``cache-orphans``) need to be told
them. The inventory comes from one of (the first given wins):

- ``--os-image-nodes`` (repeatable) in ``glance`` and ``openstack``;
- ``OS_IMAGE_NODES``: URLs separated by commas or white space;
- ``image_nodes`` in the cloud's clouds.yaml entry: a list of URLs, or of
  mappings with ``url`` and an optional ``cache_max_size`` in bytes (Glance
  exposes no cache limit, so a fill level needs the operator to say it);
- the SDK: ``glanceclient.Client("2", ..., image_nodes=[...])``.

Each entry is a node root URL (``http://edge-1.example.com:9292``), as the
nodes list names nodes; the same node given twice counts once.
"""

from __future__ import annotations

import collections.abc
import typing as ty
from urllib import parse

from glanceclient import exc
from glanceclient._i18n import _
from glanceclient.common import urlmap

#: Where an inventory can come from, as error messages name it.
SOURCE_OPTION = "--os-image-nodes"
SOURCE_ENV = "OS_IMAGE_NODES"
SOURCE_CLOUDS = "clouds.yaml image_nodes"
SOURCE_SDK = "image_nodes"

#: The keys of a mapping entry.
URL_KEY = "url"
MAX_SIZE_KEY = "cache_max_size"

HOW_TO_CONFIGURE = _(
    "name the nodes once with image_nodes in clouds.yaml, OS_IMAGE_NODES "
    "(URLs separated by commas or spaces) or --os-image-nodes"
)


class InventoryError(exc.InvalidArgument):
    """An inventory entry is not a node, or a command needs an inventory
    that is not configured: a usage error (``glance`` exits 2)."""


class Node(ty.NamedTuple):
    """One node of the inventory.

    :ivar url: its root URL, without a trailing ``/``.
    :ivar cache_max_size: its cache's size limit in bytes, None when not
        given.
    """

    url: str
    cache_max_size: int | None = None


class Inventory(collections.abc.Sequence[Node]):
    """The nodes of a deployment, in the order given, each once.

    :param nodes: the nodes.
    """

    def __init__(self, nodes: collections.abc.Iterable[Node] = ()) -> None:
        self._nodes = tuple(nodes)

    @classmethod
    def from_config(cls, value: object, source: str = SOURCE_SDK) -> Inventory:
        """Build an inventory from a configuration value.

        :param value: None (no inventory); a string of URLs separated by
            commas or white space; or a list whose items are such strings or
            mappings with ``url`` and an optional ``cache_max_size`` (bytes,
            a positive integer); or an :class:`Inventory`.
        :param source: where the value came from, for error messages.
        :returns: the inventory, each node once (the first entry of a node
            wins).
        :raises InventoryError: an entry that is not a node root URL (http
            or https, without path, query or fragment), a mapping without
            ``url`` or with another key, a bad ``cache_max_size``.
        """
        if value is None:
            return cls()
        if isinstance(value, Inventory):
            return value
        if isinstance(value, str):
            items: list[object] = list(_split(value))
        elif isinstance(value, collections.abc.Iterable) and not isinstance(
            value, (bytes, collections.abc.Mapping)
        ):
            items = list(value)
        else:
            raise InventoryError(
                _("%(source)s must be a list of node URLs, not %(value)s.")
                % {"source": source, "value": exc.truncate(repr(value), 100)}
            )
        found: dict[tuple[str, str, int | None], Node] = {}
        for item in items:
            for node in _entries(item, source):
                found.setdefault(_identity(node.url), node)
        return cls(found.values())

    def __getitem__(self, index: ty.Any) -> ty.Any:
        return self._nodes[index]

    def __len__(self) -> int:
        return len(self._nodes)

    def __repr__(self) -> str:
        return "Inventory(%r)" % (list(self._nodes),)

    @property
    def urls(self) -> list[str]:
        """The nodes' URLs, in order."""
        return [node.url for node in self._nodes]

    def cache_max_size(self, url: str) -> int | None:
        """The cache size limit the inventory gives a node, if any.

        :param url: a node URL (compared as a node: case of the host, a
            trailing ``/`` and a default port do not matter).
        """
        wanted = _identity(url.rstrip("/"))
        for node in self._nodes:
            if _identity(node.url) == wanted:
                return node.cache_max_size
        return None

    def to_list(self) -> list[dict[str, ty.Any]]:
        """The inventory as plain data: ``[{"url", "cache_max_size"}]``."""
        return [node._asdict() for node in self._nodes]

    def require(self, what: str) -> list[str]:
        """The nodes' URLs, for a command that acts on every node.

        :param what: the option or command that needs them.
        :raises InventoryError: the inventory is empty.
        """
        if not self._nodes:
            raise InventoryError(
                _("%(what)s needs the nodes of the deployment: %(how)s.")
                % {"what": what, "how": HOW_TO_CONFIGURE}
            )
        return self.urls


def _split(text: str) -> list[str]:
    return text.replace(",", " ").split()


def _entries(item: object, source: str) -> list[Node]:
    if isinstance(item, str):
        return [Node(_url(url, source)) for url in _split(item)]
    if isinstance(item, collections.abc.Mapping):
        unknown = sorted(str(k) for k in item if k not in (URL_KEY, MAX_SIZE_KEY))
        if unknown or not isinstance(item.get(URL_KEY), str):
            raise InventoryError(
                _("%(source)s: %(entry)s is not a node: give url and optionally cache_max_size.")
                % {"source": source, "entry": exc.truncate(repr(dict(item)), 200)}
            )
        return [Node(_url(item[URL_KEY], source), _max_size(item.get(MAX_SIZE_KEY), source))]
    raise InventoryError(
        _("%(source)s: %(entry)s is not a node URL.")
        % {"source": source, "entry": exc.truncate(repr(item), 200)}
    )


def _url(text: str, source: str) -> str:
    try:
        url = urlmap.node_url(text)
        parse.urlsplit(url).port  # noqa: B018 (raises ValueError for a bad port)
    except exc.InvalidArgument as e:
        raise InventoryError("%s: %s" % (source, e)) from None
    except ValueError:
        raise InventoryError(
            _("%(source)s: %(url)r is not a node URL: its port is not a number from 0 to 65535.")
            % {"source": source, "url": text}
        ) from None
    return url


def _max_size(value: object, source: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InventoryError(
            _("%(source)s: cache_max_size %(value)r is not a size in bytes (a positive integer).")
            % {"source": source, "value": value}
        )
    return value


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _identity(url: str) -> tuple[str, str, int | None]:
    """What makes two node URLs the same node."""
    parts = parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # not from the inventory, which checks ports
        port = None
    return (scheme, (parts.hostname or "").lower(), port)

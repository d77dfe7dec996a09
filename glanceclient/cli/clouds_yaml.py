"""Settings of a clouds.yaml entry, read as the operator wrote them.

openstacksdk's configuration loader rewrites every ``-`` of a key to ``_``,
in nested mappings too: the host names that are the keys of
``image_node_url_map`` (``http://glance-api-0.internal:9292``) would come out
as ``http://glance_api_0.internal:9292`` and never match. The settings
whose keys are data are read here from the loaded file instead.
"""

from __future__ import annotations

import collections.abc
import typing as ty


def setting(cloud: ty.Any, key: str) -> ty.Any:
    """The value of a setting of the cloud; a mapping with its keys as
    written.

    :param cloud: an openstacksdk ``CloudRegion`` (OpenStackClient's puts
        its own options in it, over the file's settings).
    :param key: the setting's name, with underscores.
    :returns: what the configuration holds (None when it holds nothing);
        when that is a mapping, the mapping of the cloud's clouds.yaml (or
        secure.yaml) entry, as loaded from the file.
    """
    config = getattr(cloud, "config", None) or {}
    value = config.get(key)
    if not isinstance(value, collections.abc.Mapping):
        return value
    loader = getattr(cloud, "_openstack_config", None)
    clouds = (getattr(loader, "cloud_config", None) or {}).get("clouds") or {}
    entry = clouds.get(getattr(cloud, "name", None)) or {}
    for spelling in (key, key.replace("_", "-")):
        if isinstance(entry.get(spelling), collections.abc.Mapping):
            return entry[spelling]
    return value


def flag(cloud: ty.Any, key: str) -> bool:
    """A yes/no setting of the cloud (``true``, ``yes``, ``1``, or YAML's
    true), False when it holds nothing.

    :param cloud: as for :func:`setting`.
    :param key: the setting's name, with underscores.
    """
    return str(setting(cloud, key)).strip().lower() in ("true", "yes", "1", "on")

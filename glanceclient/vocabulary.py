"""The Image API's vocabularies, kept once for the SDK and the front ends.

Sort keys, statuses, task keys, cache clear targets and node states. The
controllers re-export upstream's public names (``images.SORT_KEY_VALUES``,
``image_members.MEMBER_STATUS_VALUES``...) from here; the command-line
front ends read them here too, without loading the SDK to build a parser.

This module imports nothing: it is a table, cheap for every caller.
"""

from __future__ import annotations

#: Sort directions of every list call.
SORT_DIR_VALUES = ("asc", "desc")

#: The sort keys upstream's ``image-list`` offers (the server knows more,
#: and checks them).
IMAGE_SORT_KEY_VALUES = (
    "name",
    "status",
    "container_format",
    "disk_format",
    "size",
    "id",
    "created_at",
    "updated_at",
)
#: The sort keys of the task list.
TASK_SORT_KEY_VALUES = ("id", "type", "status")
#: The sort keys of the metadata definition namespace list.
NAMESPACE_SORT_KEY_VALUES = ("created_at", "namespace")

#: The statuses of an image member.
MEMBER_STATUS_VALUES = ("accepted", "rejected", "pending")

#: What ``cache.clear()`` empties, and the header value each sends (None:
#: no header, the server empties both).
CACHE_CLEAR_TARGETS: dict[str, str | None] = {"both": None, "cache": "cache", "queue": "queue"}
#: The header naming a clear target.
CACHE_CLEAR_TARGET_HEADER = "x-image-cache-clear-target"
#: The keys of ``cache.prune()``'s answer.
PRUNE_KEYS = ("total_files_pruned", "total_bytes_pruned")

#: Node states a probe reports.
NODE_OK = "ok"
NODE_DISABLED = "disabled"
NODE_UNREACHABLE = "unreachable"
NODE_ERROR = "error"
NODE_STATES = (NODE_OK, NODE_DISABLED, NODE_UNREACHABLE, NODE_ERROR)
#: Seconds a probe may take before its node counts as unreachable.
PROBE_TIMEOUT = 3.0
#: How many calls run at once by default when acting on several nodes:
#: enough that a few nodes that never answer do not hold up the others of
#: a deployment of 200.
MAX_PARALLEL = 64
#: Seconds a call on one node may take by default in the front ends, apart
#: from the timeout of each request.
NODE_TIMEOUT = 30.0

#: What fixes a TLS failure (``glanceclient.exc.SSLError.fix``): the SDK says
#: what failed, a front end words the fix with its own options.
TLS_FIX_CACERT = "cacert"  # trust the CA that signed it, or skip verification
TLS_FIX_RENEW = "renew"  # the server needs a renewed certificate
TLS_FIX_CLOCK = "clock"  # this machine's clock is wrong
TLS_FIX_HOSTNAME = "hostname"  # a URL whose host name the certificate names
TLS_FIX_CLIENT_CERT = "client-cert"  # give a client certificate and key
TLS_FIX_CLIENT_CERT_ACCEPTED = "client-cert-accepted"  # one the server accepts
TLS_FIX_CACERT_FILE = "cacert-file"  # the CA file given
TLS_FIX_CERT_FILE = "cert-file"  # the client certificate file given
TLS_FIX_KEY_FILE = "key-file"  # the client key file given
TLS_FIX_CERT_AND_KEY = "cert-and-key"  # the certificate and key files given
TLS_FIX_KEY_FOR_CERT = "key-for-cert"  # give the certificate's key
TLS_FIX_PLAIN_HTTP = "plain-http"  # an http:// URL, if it serves plain HTTP
TLS_FIX_DETAILS = "details"  # the details (the chain of errors)

"""URL canonicalisation and article ids: one article, one id, whatever tracking junk its links carry."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from models.records import sha256_hex

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "_ga", "_gl", "_hsenc", "_hsmi",
    "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt_mc", "wt.mc_id", "cmpid", "ncid", "sr_share",
    "spm", "share", "s_cid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs")
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def is_tracking_param(name: str) -> bool:
    """True for query parameters that only track the click, never select content."""
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def is_http_url(location: str) -> bool:
    """True when `location` is an http(s) URL (any case)."""
    return urlsplit(location.strip()).scheme.lower() in DEFAULT_PORTS


def canonical_url(url: str) -> str:
    """The canonical form of `url` used for identity.

    Lower-cases scheme and host, drops default ports, the fragment and tracking parameters (utm_*, fbclid,
    gclid, ...), sorts the remaining query, normalises percent-escapes and strips trailing slashes from
    non-root http(s) paths. A local path becomes an absolute `file://` URI (relative to the working
    directory). Idempotent.
    """
    raw = url.strip()
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if not scheme or (len(scheme) == 1 and raw[1:3] in (":\\", ":/")):  # bare path or a Windows drive
        return Path(raw).expanduser().resolve().as_uri()
    netloc = _canonical_netloc(scheme, parts.netloc)
    path = _ESCAPE.sub(lambda m: m.group(0).upper(), quote(parts.path, safe=_PATH_SAFE))
    if scheme in DEFAULT_PORTS:
        path = path.rstrip("/") or "/"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    query = urlencode(sorted(pairs))
    return urlunsplit((scheme, netloc, path, query, ""))


def _canonical_netloc(scheme: str, netloc: str) -> str:
    userinfo, _, hostport = netloc.rpartition("@")
    try:
        parsed = urlsplit(f"//{hostport}")
        host = (parsed.hostname or "").rstrip(".")
        port = parsed.port
    except ValueError:  # an invalid port: keep what was given, lower-cased
        return netloc.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{userinfo}@{host}" if userinfo else host


def article_id(url: str) -> str:
    """Stable id of the article at `url`: a hash of its canonical URL."""
    return sha256_hex(canonical_url(url), length=16)

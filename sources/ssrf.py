"""SSRF guard: only http(s), and never a private, loopback, link-local, multicast or reserved address.

Every host is resolved (`getaddrinfo`, or an injected resolver in tests) and *all* its addresses must be
public. Legacy IPv4 spellings (`127.1`, `0x7f000001`, `2130706433`, `0177.0.0.1`) and IPv6 forms that embed an
IPv4 address (`::ffff:169.254.169.254`, 6to4, Teredo) are classified by the address they really mean. The
check runs on every redirect hop and again when the connection is opened (`GuardedBackend`), so a DNS answer
that changes between check and connect (rebinding) is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from models.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
ALLOWED_SCHEMES = ("http", "https")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


def ip_literal(host: str) -> IPAddress | None:
    """The address a host name spells literally, including legacy inet_aton forms; None for a DNS name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why an address must not be fetched (`loopback`, `private`, ...), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            inner = address_problem(embedded)
            return f"{inner} (embedded in {ip})" if inner else None
    for attr, label in (("is_unspecified", "unspecified"), ("is_loopback", "loopback"),
                        ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                        ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(ip, attr):
            return label
    if not ip.is_global:
        return "not globally routable"
    return None


class SsrfGuard:
    """Checks URLs and resolved addresses; `allow_private` disables the address check, `allowlist` exempts
    exact host names (e.g. `127.0.0.1` for a test server) while every other host is still checked."""

    def __init__(self, *, allow_private: bool = False, allowlist: Iterable[str] = (),
                 resolver: Resolver | None = None) -> None:
        self.allow_private = allow_private
        self.allowlist = frozenset(h.lower().strip("[]") for h in allowlist)
        self.resolver = resolver or system_resolver

    def check_url(self, url: str) -> None:
        """Raise FetchError (`unsupported_scheme`, `invalid_url`, `dns_error`, `private_address`) if unsafe."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise FetchError(f"{url}: only http and https URLs are fetched, not {scheme or 'a bare path'}",
                             url=url, reason="unsupported_scheme")
        try:
            host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
        except ValueError as exc:
            raise FetchError(f"{url}: invalid URL ({exc})", url=url, reason="invalid_url") from exc
        if not host:
            raise FetchError(f"{url}: no host in URL", url=url, reason="invalid_url")
        self.resolve(host, port, url=url)

    def resolve(self, host: str, port: int, *, url: str | None = None) -> list[str]:
        """The host's addresses, each checked; raises FetchError when any of them is refused."""
        host = host.lower().strip("[]")
        where = url or host
        literal = ip_literal(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"{where}: cannot resolve host {host!r} ({exc})", url=url,
                                 reason="dns_error") from exc
            if not addresses:
                raise FetchError(f"{where}: host {host!r} has no addresses", url=url, reason="dns_error")
        if self.allow_private or host in self.allowlist:
            return addresses
        for address in addresses:
            ip = ip_literal(address)
            problem = "unparseable address" if ip is None else address_problem(ip)
            if problem:
                raise FetchError(
                    f"{where}: refused to fetch {host!r} -> {address} ({problem} address); "
                    "set allow_private_hosts / --allow-private-hosts only for trusted local servers",
                    url=url, reason="private_address")
        return addresses

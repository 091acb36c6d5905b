"""SSRF guard: address classification, legacy IPv4 spellings, resolver answers, allowlist."""

from __future__ import annotations

import ipaddress

import pytest

from models.errors import FetchError
from sources.ssrf import SsrfGuard, address_problem, ip_literal

FAKE_DNS = {
    "public.test": ["93.184.216.34"],
    "public6.test": ["2606:4700:4700::1111"],
    "intranet.test": ["10.1.2.3"],
    "metadata.test": ["169.254.169.254"],
    "mixed.test": ["93.184.216.34", "192.168.1.10"],
    "localhost": ["127.0.0.1", "::1"],
}


def fake_resolver(host: str, port: int) -> list[str]:
    try:
        return FAKE_DNS[host]
    except KeyError:
        raise OSError(f"unknown host {host}") from None


@pytest.mark.parametrize(("host", "address"), [
    ("127.1", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("0x7f.1", "127.0.0.1"),
    ("[::ffff:169.254.169.254]", "::ffff:a9fe:a9fe"),
    ("10.0.0.1", "10.0.0.1"),
    ("example.com", None),
    ("deadbeef.example", None),
])
def test_ip_literal(host: str, address: str | None) -> None:
    literal = ip_literal(host)
    assert (str(literal) if literal else None) == address


@pytest.mark.parametrize(("address", "refused"), [
    ("127.0.0.1", True), ("127.255.0.9", True), ("10.0.0.1", True), ("172.16.5.4", True),
    ("192.168.0.1", True), ("169.254.169.254", True), ("0.0.0.0", True), ("224.0.0.251", True),
    ("240.0.0.1", True), ("255.255.255.255", True), ("100.64.0.1", True), ("::1", True), ("::", True),
    ("fe80::1", True), ("fc00::1", True), ("ff02::1", True), ("::ffff:127.0.0.1", True),
    ("::ffff:169.254.169.254", True), ("2002:a9fe:a9fe::1", True),
    ("93.184.216.34", False), ("8.8.8.8", False), ("2606:4700:4700::1111", False), ("::ffff:8.8.8.8", False),
])
def test_address_classification(address: str, refused: bool) -> None:
    assert (address_problem(ipaddress.ip_address(address)) is not None) is refused


@pytest.mark.parametrize(("url", "reason"), [
    ("http://public.test/a", None),
    ("https://public6.test/a", None),
    ("http://127.1/", "private_address"),
    ("http://0x7f000001/", "private_address"),
    ("http://2130706433:8080/", "private_address"),
    ("http://[::ffff:169.254.169.254]/latest/meta-data", "private_address"),
    ("http://[::1]/", "private_address"),
    ("http://intranet.test/", "private_address"),
    ("http://metadata.test/", "private_address"),
    ("http://mixed.test/", "private_address"),
    ("http://localhost:9/", "private_address"),
    ("http://nowhere.test/", "dns_error"),
    ("ftp://public.test/feed", "unsupported_scheme"),
    ("file:///etc/passwd", "unsupported_scheme"),
    ("gopher://public.test/", "unsupported_scheme"),
    ("http:///nohost", "invalid_url"),
    ("http://public.test:99999/", "invalid_url"),
])
def test_check_url(url: str, reason: str | None) -> None:
    guard = SsrfGuard(resolver=fake_resolver)
    if reason is None:
        guard.check_url(url)
        return
    with pytest.raises(FetchError) as info:
        guard.check_url(url)
    assert info.value.reason == reason
    assert url.split("//")[-1].split("/")[0].split(":")[0].strip("[]") in str(info.value) or reason != \
        "private_address"


def test_allow_private_hosts_allows_everything_resolvable() -> None:
    guard = SsrfGuard(allow_private=True, resolver=fake_resolver)
    for url in ("http://127.0.0.1/", "http://intranet.test/", "http://[::1]/"):
        guard.check_url(url)


def test_allowlist_exempts_exact_hosts_only() -> None:
    guard = SsrfGuard(allowlist=["127.0.0.1"], resolver=fake_resolver)
    guard.check_url("http://127.0.0.1:8000/feed")
    for url in ("http://localhost:8000/", "http://127.1:8000/", "http://10.0.0.1/", "http://metadata.test/"):
        with pytest.raises(FetchError) as info:
            guard.check_url(url)
        assert info.value.reason == "private_address"

"""``imagemonkey serve`` behind a trusted proxy: the app sees ``X-Forwarded-For`` and counts its last address."""
from __future__ import annotations

from pathlib import Path

from site_processes import Http, Site


def test_serve_limits_clients_by_the_proxys_address(tmp_path: Path) -> None:
    site = Site(tmp_path, {"sqlalchemy.url": f"sqlite:///{tmp_path / 'site.sqlite'}",
                           "imagemonkey.data_dir": str(tmp_path / "var"), "imagemonkey.plugins": "",
                           "imagemonkey.trust_forwarded_for": "true", "imagemonkey.rate_limit.clients": "1/hour"})
    try:
        url = site.serve()
        Http(url, "192.0.2.1").new_client()
        Http(url, "192.0.2.2").new_client()  # another client behind the proxy: its own bucket
        Http(url, "192.0.2.1").call("POST", "/api/v1/clients", status=429)
        # what the client wrote before the proxy's address does not choose the bucket
        Http(url, "198.51.100.9, 192.0.2.1").call("POST", "/api/v1/clients", status=429)
    finally:
        site.stop()

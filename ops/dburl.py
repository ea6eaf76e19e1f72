"""Database URLs, including the multi-host form that failover setups hand out.

``pg_autoctl show uri`` gives ``postgres://h1:p1,h2:p2/db?target_session_attrs=read-write``:
libpq tries the hosts in turn and keeps the one that accepts writes, which is how the app
finds the new primary after a failover. dj-database-url does not read that form, so the host
list is taken apart here and handed to psycopg as comma-separated ``host`` and ``port``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url


def parse_database_url(url: str, conn_max_age: int) -> dict[str, Any]:
    parts = urlsplit(url)
    userinfo, _, hostlist = parts.netloc.rpartition("@")
    if "," not in hostlist:
        return dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    hosts: list[str] = []
    ports: list[str] = []
    for item in hostlist.split(","):
        host, port = item, ""
        if item.startswith("["):  # [::1]:5432
            host, _, rest = item[1:].partition("]")
            port = rest.removeprefix(":")
        elif item.count(":") == 1:
            host, port = item.split(":")
        hosts.append(host)
        ports.append(port or "5432")
    single = urlunsplit(
        (
            parts.scheme,
            (userinfo + "@" if userinfo else "") + "localhost",
            parts.path,
            parts.query,
            "",
        )
    )
    config = dict(dj_database_url.parse(single, conn_max_age=conn_max_age))
    config["HOST"] = ",".join(hosts)
    config["PORT"] = ",".join(ports)
    return config

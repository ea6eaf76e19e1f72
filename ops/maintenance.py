"""Nightly care of the databases that no request does."""

from __future__ import annotations

from django.db import connections


def optimize_database(aliases: tuple[str, ...] = ("default", "vault")) -> dict[str, str]:
    """Keep the query planner's statistics fresh. SQLite gathers none by itself: without
    them its planner can pick a poor index for a list once a table has grown (measured in
    docs/benchmarks-petitions.md). ``ANALYZE`` with an analysis limit samples about a
    thousand rows of each index, so it takes well under a second however big the tables
    are. PostgreSQL's autovacuum already does this; nothing to do there. Returns what was
    done per database."""
    done: dict[str, str] = {}
    for alias in aliases:
        if alias not in connections.databases:
            continue
        connection = connections[alias]
        if connection.vendor != "sqlite":
            done[alias] = "autovacuum"
            continue
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        done[alias] = "analyze"
    return done

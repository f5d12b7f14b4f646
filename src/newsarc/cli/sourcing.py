"""``newsarc sources``: the feeds and sitemaps a plain ``newsarc ingest`` runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from newsarc.cli.common import (
    ADDRESS,
    db_option,
    echo_json,
    one_line,
    open_reader,
    reports_errors,
)


@click.group(name="sources")
def sources_group() -> None:
    """Register the feeds and sitemaps that a plain `newsarc ingest` runs.

    \b
    Example:
        newsarc sources add https://example.com/rss.xml
        newsarc sources add https://example.com/news-sitemap.xml --kind sitemap
        newsarc sources list
        newsarc sources remove 2
    """


@sources_group.command(name="add")
@click.argument("urls", metavar="URL...", nargs=-1, required=True, type=ADDRESS)
@click.option(
    "--kind",
    type=click.Choice(["feed", "sitemap", "urls"]),
    default=None,
    help="What URL is: a feed (or a homepage announcing one), a sitemap, or a "
    "local URL-list file  [default: sitemap if the URL says so, else feed]",
)
@db_option
@reports_errors
def sources_add(urls: tuple[str, ...], kind: str | None, db_path: str) -> None:
    """Register feeds, sitemaps or URL-list files; prints each one's id, kind and address.

    Every address is checked before any is registered.

    \b
    Example:
        newsarc sources add https://example.com/sitemap_news.xml --kind sitemap
        newsarc sources add ~/news/links.txt --kind urls
        xargs newsarc sources add < feeds.txt
    """
    from newsarc.store import add_source, get_source, open_db

    addresses = list(dict.fromkeys(_registered_spelling(url, kind) for url in urls))
    db = open_db(db_path)
    try:
        for url in addresses:
            known = get_source(db, url)
            # A known source keeps the kind it was given.
            guess = "sitemap" if "sitemap" in url.lower() else "feed"
            chosen = kind or (known["kind"] if known is not None else guess)
            source_id = add_source(db, url, chosen)
            click.echo(f"{source_id}\t{chosen}\t{url}")
            if known is not None:  # the same line as a new source's, for scripts; a word for people
                change = f", now as a {chosen}" if chosen != known["kind"] else ""
                click.echo(f"{url}: registered already (source {source_id}){change}", err=True)
    finally:
        db.close()


def _registered_spelling(url: str, kind: str | None) -> str:
    """``url`` as ``sources add`` registers it: a URL list by its absolute path, anything
    else in ``source_address``'s one spelling."""
    from newsarc.pathtext import shown
    from newsarc.urls import source_address

    if kind != "urls":
        return source_address(url)
    path = Path(url).expanduser()
    if not path.is_file():
        raise click.BadParameter(f"no such file: {url}", param_hint="URL")
    resolved = str(path.resolve())
    if shown(resolved) != resolved:  # lone surrogates: the archive holds UTF-8 text only
        raise click.BadParameter(
            f"{shown(resolved)}: a file name that is not UTF-8 cannot be registered; rename"
            " the file, or give it with `ingest --urls`",
            param_hint="URL",
        )
    return resolved


@sources_group.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per source.")
@db_option
@reports_errors
def sources_list(as_json: bool, db_path: str) -> None:
    """List registered sources: id, kind, address, last run, its status, items it listed, new.

    The status says since when a source's runs end in an error, and where a source that
    moved for good (a permanent redirect) was registered before.

    \b
    Example:
        newsarc sources list --json | jq .url
    """
    from newsarc.ingest_sourcestate import shown_moment
    from newsarc.store import list_sources

    if not Path(db_path).exists():  # no archive yet: nothing registered (and none created)
        return
    # Read-only, as the other reading commands: a shared or read-only archive lists too.
    rows = list_sources(open_reader(db_path))
    for row in rows:
        if as_json:
            echo_json(row)
            continue
        counts = row.get("counts") or {}
        status = row.get("last_status") or "-"
        if row.get("failing_since") and status.startswith("error"):  # a dead source?
            status = f"{status} (failing since {shown_moment(row['failing_since'])})"
        if row.get("moved_from"):  # where it was registered before it moved for good
            when = f" on {shown_moment(row['moved_at'])}" if row.get("moved_at") else ""
            status = f"{status} (moved from {row['moved_from']}{when})"
        fields = [
            row["id"],
            row["kind"],
            row["url"],
            row.get("last_run_at") or "never",
            status,
            row.get("last_found") or 0,
            f"{counts.get('new', 0)} new in {counts.get('runs', 0)} runs",
        ]
        click.echo("\t".join(one_line(str(f)) for f in fields))


@sources_group.command(name="remove")
@click.argument("ref", type=ADDRESS)
@db_option
@reports_errors
def sources_remove(ref: str, db_path: str) -> None:
    """Unregister a source by id or address (its articles stay archived).

    \b
    Example:
        newsarc sources remove 3
    """
    from newsarc.errors import InputError
    from newsarc.store import get_source, open_db, remove_source

    if not Path(db_path).exists():  # nothing registered, and no archive made to say so
        raise InputError(f"no source with id or URL {ref} (no archive at {db_path})")
    db = open_db(db_path)
    try:
        removed = remove_source(db, _known_spelling(db, ref, get_source))
    finally:
        db.close()
    click.echo(f"removed {removed['id']}\t{removed['kind']}\t{removed['url']}")


def _known_spelling(db: Any, ref: str, get_source: Any) -> str:
    """``ref`` as registered: an id, a URL in any spelling ``sources add`` accepts, or a URL
    list's path relative to here (it is registered by its absolute path)."""
    from newsarc.errors import InputError
    from newsarc.store.lookups import row_id
    from newsarc.urls import source_address

    if row_id(ref) is not None:
        return ref
    candidates = [ref]
    try:
        candidates.append(source_address(ref))
    except InputError:
        candidates.append(str(Path(ref).expanduser().resolve()))
    return next((c for c in candidates if get_source(db, c) is not None), ref)


COMMANDS = [sources_group]

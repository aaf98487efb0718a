"""Full-text search of forum posts: SQLite FTS5 or PostgreSQL text search, chosen by the database.

The index is the table `forum_post_search`, written by database triggers in the same
transaction as the post (see the migration that made it): each post's words, and on a
thread's opening post the thread's title too. The index holds every post; what a person
may find is decided here, at query time, by the same rules as the pages: published posts
in visible threads of categories they can see. Held, hidden and deleted posts are never
returned, to anyone.

Search words are what a person typed: they are reduced to plain words and quoted, so no
input can be a query syntax error, and they are never logged or kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import Select, bindparam, func, literal_column, select, table, text

from react_toolkit.extensions import db, managed_elsewhere
from react_toolkit.forum.models import PUBLISHED, ForumCategory, Post, Thread

INDEX = "forum_post_search"
# The index and (on SQLite) the tables FTS5 keeps beside it are not described by the models.
managed_elsewhere(INDEX)

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Marks around matched words in the database's snippet: characters from Unicode's private use
# area, read back by highlight() below; never shown.
OPEN, CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_MARK = Markup("<mark>{}</mark>")


def terms(query: str | None) -> list[str]:
    """The words of a search, lower case, without punctuation or query syntax; at most MAX_TERMS."""
    words = _WORD.findall((query or "").lower().replace("_", " "))
    unique = list(dict.fromkeys(word[:MAX_TERM_LENGTH] for word in words))
    return unique[:MAX_TERMS]


def highlight(snippet: str) -> Markup:
    """Escape a snippet's text, then wrap each matched word in <mark>: the only markup added."""
    pieces: list[Markup] = []
    marking = False
    for part in re.split(f"([{OPEN}{CLOSE}])", snippet):
        if part == OPEN:
            marking = True
        elif part == CLOSE:
            marking = False
        elif part:
            words = _SPACE.sub(" ", part)
            # Markup.format escapes what it is given; escape() does the same for the words between.
            pieces.append(_MARK.format(words) if marking else escape(words))
    return Markup("").join(pieces).strip()


@dataclass(frozen=True)
class Hit:
    post_id: int
    thread_id: int
    thread_title: str
    category_name: str
    created_at: object
    snippet: Markup


def _searchable(query: Select, visible_categories: Select) -> Select:
    """Published posts in visible threads of the categories this person sees."""
    return (
        query.join(Thread, Thread.id == Post.thread_id)
        .join(ForumCategory, ForumCategory.id == Thread.category_id)
        .where(
            Post.status == PUBLISHED,
            Thread.visible,
            ForumCategory.id.in_(visible_categories),
        )
    )


class _Backend:
    """How one database matches, ranks and cuts snippets."""

    def matching(self, words: list[str]) -> tuple[Select, object]:
        raise NotImplementedError

    def snippets(self, words: list[str], ids: list[int]) -> dict[int, str]:
        raise NotImplementedError


class _SQLite(_Backend):
    index = table(INDEX)
    rowid = literal_column(f"{INDEX}.rowid")

    @staticmethod
    def expression(words: list[str]) -> str:
        # Each word quoted: FTS5 reads a quoted string as plain text, whatever it holds.
        return " ".join('"' + word.replace('"', '""') + '"' for word in words)

    def matching(self, words):
        # bm25: smaller is better; a match in the title counts for more than one in the body.
        # The matches are worked out first, once: joined straight to the posts, SQLite may ask the
        # index again for every post row.
        matches = (
            select(self.rowid.label("post_id"), literal_column(f"bm25({INDEX}, 4.0, 1.0)").label("rank"))
            .select_from(self.index)
            .where(text(f"{INDEX} MATCH :match").bindparams(match=self.expression(words)))
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )
        query = select(Post.id).select_from(matches).join(Post, Post.id == matches.c.post_id)
        return query, matches.c.rank.asc()

    def snippets(self, words, ids):
        rows = db.session.execute(
            select(self.rowid, literal_column(f"snippet({INDEX}, 1, '{OPEN}', '{CLOSE}', '…', 24)"))
            .select_from(self.index)
            .where(text(f"{INDEX} MATCH :match").bindparams(match=self.expression(words)))
            .where(self.rowid.in_(ids))
        )
        return {post_id: snippet for post_id, snippet in rows}


class _PostgreSQL(_Backend):
    index = table(INDEX, literal_column("post_id"), literal_column("document"))

    @staticmethod
    def tsquery(words: list[str]):
        # plainto_tsquery reads plain words and never fails on any input.
        return func.plainto_tsquery(literal_column("'english'"), bindparam("words", " ".join(words)))

    def matching(self, words):
        document = literal_column(f"{INDEX}.document")
        tsquery = self.tsquery(words)
        query = (
            select(Post.id)
            .select_from(self.index)
            .join(Post, Post.id == literal_column(f"{INDEX}.post_id"))
            .where(document.op("@@")(tsquery))
        )
        return query, func.ts_rank_cd(document, tsquery).desc()

    def snippets(self, words, ids):
        options = (
            f'StartSel="{OPEN}", StopSel="{CLOSE}", MaxWords=30, MinWords=12, '
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        # The marks are taken out of the text first, so only the database's marks are read back.
        body = func.translate(Post.body, OPEN + CLOSE, "")
        rows = db.session.execute(
            select(
                Post.id,
                func.ts_headline(
                    literal_column("'english'"), body, self.tsquery(words), bindparam("options", options)
                ),
            ).where(Post.id.in_(ids))
        )
        return {post_id: snippet for post_id, snippet in rows}


def _backend() -> _Backend:
    return _PostgreSQL() if db.engine.dialect.name == "postgresql" else _SQLite()


def search(words: list[str], visible_categories: Select, page: int, size: int) -> tuple[list[Hit], int]:
    """One page of the published posts that hold every word, best first, and how many there are."""
    if not words:
        return [], 0
    backend = _backend()
    matching, order = backend.matching(words)
    found = _searchable(matching, visible_categories)
    total = db.session.scalar(select(func.count()).select_from(found.subquery()))
    if not total:
        return [], 0
    rows = db.session.execute(
        found.add_columns(Post.thread_id, Thread.title, ForumCategory.name, Post.created_at)
        .order_by(order, Post.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    ids = [row[0] for row in rows]
    snippets = backend.snippets(words, ids) if ids else {}
    return [
        Hit(post_id, thread_id, title, category, created_at, highlight(snippets.get(post_id, "")))
        for post_id, thread_id, title, category, created_at in rows
    ], total

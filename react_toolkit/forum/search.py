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
from abc import ABC, abstractmethod
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import Select, bindparam, func, literal_column, select, table, text

from react_toolkit.extensions import db, managed_elsewhere
from react_toolkit.forum.models import PUBLISHED, ForumCategory, Post, Thread

INDEX = "forum_post_search"
# The index and (on SQLite) the tables FTS5 keeps beside it are not described by the models.
managed_elsewhere(INDEX)

MAX_TERMS = 8
# At most this many matching posts, the newest, are ranked for one search (see _Backend).
RANK_WINDOW = 2000
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


class _Backend(ABC):
    """How one database finds, ranks and cuts snippets.

    Ranking reads every match, which for a word in a third of all posts takes longer than a
    person should wait; so the newest RANK_WINDOW matches are ranked, and a search with more
    says so and asks for another word.
    """

    @abstractmethod
    def matches(self, words: list[str]):
        """The newest RANK_WINDOW matching posts, worked out once: post_id and rank (higher is better)."""

    @abstractmethod
    def more_than_window(self, words: list[str]) -> bool:
        """Whether more posts match than RANK_WINDOW."""

    @abstractmethod
    def snippets(self, words: list[str], ids: list[int]) -> dict[int, str]:
        """Each post's snippet, escaped, with the words marked."""


class _SQLite(_Backend):
    index = table(INDEX)
    rowid = literal_column(f"{INDEX}.rowid")

    @staticmethod
    def expression(words: list[str]) -> str:
        # Each word quoted: FTS5 reads a quoted string as plain text, whatever it holds.
        return " ".join('"' + word.replace('"', '""') + '"' for word in words)

    def _match(self, words: list[str]):
        return text(f"{INDEX} MATCH :match").bindparams(match=self.expression(words))

    def matches(self, words):
        # FTS5 walks its matches newest first and stops at the window, so bm25 runs on those only.
        # bm25 is smaller for better matches; a word in the title counts for more than in the body.
        return (
            select(self.rowid.label("post_id"), (-literal_column(f"bm25({INDEX}, 4.0, 1.0)")).label("rank"))
            .select_from(self.index)
            .where(self._match(words))
            .order_by(self.rowid.desc())
            .limit(RANK_WINDOW)
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )

    def more_than_window(self, words):
        first = select(self.rowid).select_from(self.index).where(self._match(words)).limit(RANK_WINDOW + 1)
        return db.session.scalar(select(func.count()).select_from(first.subquery())) > RANK_WINDOW

    def snippets(self, words, ids):
        rows = db.session.execute(
            select(self.rowid, literal_column(f"snippet({INDEX}, 1, '{OPEN}', '{CLOSE}', '…', 24)"))
            .select_from(self.index)
            .where(self._match(words))
            .where(self.rowid.in_(ids))
        )
        return {post_id: snippet for post_id, snippet in rows}


class _PostgreSQL(_Backend):
    index = table(INDEX, literal_column("post_id"), literal_column("document"))
    post_id = literal_column(f"{INDEX}.post_id")
    document = literal_column(f"{INDEX}.document")

    @staticmethod
    def tsquery(words: list[str]):
        # plainto_tsquery reads plain words and never fails on any input.
        return func.plainto_tsquery(literal_column("'english'"), bindparam("words", " ".join(words)))

    def _newest(self, words: list[str], limit: int):
        return (
            select(self.post_id.label("post_id"), self.document.label("document"))
            .select_from(self.index)
            .where(self.document.op("@@")(self.tsquery(words)))
            .order_by(self.post_id.desc())
            .limit(limit)
        )

    def matches(self, words):
        newest = self._newest(words, RANK_WINDOW).cte("newest").prefix_with("MATERIALIZED")
        # Ranked after the window is cut, so ts_rank_cd reads at most RANK_WINDOW documents.
        return (
            select(newest.c.post_id, func.ts_rank_cd(newest.c.document, self.tsquery(words)).label("rank"))
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )

    def more_than_window(self, words):
        first = self._newest(words, RANK_WINDOW + 1).with_only_columns(self.post_id)
        return db.session.scalar(select(func.count()).select_from(first.subquery())) > RANK_WINDOW

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


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # how many of the ranked matches this person may read
    more: bool  # more posts match than were ranked: a word more would narrow it down
    window: int = 0  # how many of the newest matches were ranked


def search(words: list[str], visible_categories: Select, page: int, size: int) -> Results:
    """One page of the published posts that hold every word, best first, and how many there are."""
    if not words:
        return Results([], 0, False)
    backend = _backend()
    matches = backend.matches(words)
    found = _searchable(
        select(Post.id).select_from(matches).join(Post, Post.id == matches.c.post_id), visible_categories
    )
    total = db.session.scalar(select(func.count()).select_from(found.subquery()))
    if not total:
        return Results([], 0, False)
    rows = db.session.execute(
        found.add_columns(Post.thread_id, Thread.title, ForumCategory.name, Post.created_at)
        .order_by(matches.c.rank.desc(), Post.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    ids = [row[0] for row in rows]
    snippets = backend.snippets(words, ids) if ids else {}
    hits = [
        Hit(post_id, thread_id, title, category, created_at, highlight(snippets.get(post_id, "")))
        for post_id, thread_id, title, category, created_at in rows
    ]
    return Results(hits, total, backend.more_than_window(words), RANK_WINDOW)

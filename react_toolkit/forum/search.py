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
from sqlalchemy import Select, bindparam, func, literal_column, select, table, text, true

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

    # Whether each ranked match is looked up on its own (LATERAL): see _readable.
    lateral = False

    @abstractmethod
    def plan_for_these_words(self) -> None:
        """Anything the database needs told before a search, so it plans for the words given."""

    @abstractmethod
    def newest(self, words: list[str], limit: int):
        """The newest `limit` matching posts, worked out once: a CTE with post_id and what rank() reads."""

    @abstractmethod
    def rank(self, newest, words: list[str]):
        """A match's rank among the newest (higher is better)."""

    @abstractmethod
    def snippet(self, words: list[str], post_id):
        """The snippet of the post `post_id` names, with the words marked: a scalar subquery,
        worked out only for the rows of the page."""


class _SQLite(_Backend):
    index = table(INDEX)
    rowid = literal_column(f"{INDEX}.rowid")

    @staticmethod
    def expression(words: list[str]) -> str:
        # Each word quoted: FTS5 reads a quoted string as plain text, whatever it holds.
        return " ".join('"' + word.replace('"', '""') + '"' for word in words)

    def _match(self, words: list[str]):
        return text(f"{INDEX} MATCH :match").bindparams(match=self.expression(words))

    def plan_for_these_words(self):
        # FTS5 answers MATCH the same way whatever the words: there is no plan to choose.
        return None

    def newest(self, words, limit):
        # FTS5 walks its matches newest first and stops at the limit, so bm25 runs on those only.
        # bm25 is smaller for better matches; a word in the title counts for more than in the body.
        return (
            select(self.rowid.label("post_id"), (-literal_column(f"bm25({INDEX}, 4.0, 1.0)")).label("rank"))
            .select_from(self.index)
            .where(self._match(words))
            .order_by(self.rowid.desc())
            .limit(limit)
            .cte("newest")
            .prefix_with("MATERIALIZED")
        )

    def rank(self, newest, words):
        return newest.c.rank

    def snippet(self, words, post_id):
        # snippet() needs the MATCH; FTS5 answers a MATCH with a rowid by looking at that row only.
        return (
            select(literal_column(f"snippet({INDEX}, 1, '{OPEN}', '{CLOSE}', '…', 24)"))
            .select_from(self.index)
            .where(self._match(words))
            .where(self.rowid == post_id)
            .scalar_subquery()
        )


class _PostgreSQL(_Backend):
    index = table(INDEX, literal_column("post_id"), literal_column("document"))
    post_id = literal_column(f"{INDEX}.post_id")
    document = literal_column(f"{INDEX}.document")
    # Left to itself the planner may read every published post into a hash to join about 2,000
    # matches (its costs assume pages come from disk); one index lookup per match is far quicker.
    lateral = True

    @staticmethod
    def tsquery(words: list[str]):
        # plainto_tsquery reads plain words and never fails on any input. In a plan made for the
        # words it is worked out once, as a constant, however often the query names it.
        return func.plainto_tsquery(literal_column("'english'"), bindparam("words", " ".join(words)))

    def plan_for_these_words(self):
        # psycopg prepares a statement it has run five times on a connection, and PostgreSQL then
        # soon keeps one generic plan for every search: planned without the words, it cannot tell
        # a common word from a rare one, and works plainto_tsquery out again for every row it
        # ranks. A plan made for each search's words costs about 2 ms; SET LOCAL ends with the
        # request's transaction.
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def newest(self, words, limit):
        # With statistics the planner walks the posts newest first for a common word and stops at
        # the limit, and reads the GIN index for a rare one.
        return (
            select(self.post_id.label("post_id"), self.document.label("document"))
            .select_from(self.index)
            .where(self.document.op("@@")(self.tsquery(words)))
            .order_by(self.post_id.desc())
            .limit(limit)
            .cte("newest")
            .prefix_with("MATERIALIZED")
        )

    def rank(self, newest, words):
        return func.ts_rank_cd(newest.c.document, self.tsquery(words))

    def snippet(self, words, post_id):
        options = (
            f'StartSel="{OPEN}", StopSel="{CLOSE}", MaxWords=30, MinWords=12, '
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        # The marks are taken out of the text first, so only the database's marks are read back.
        body = func.translate(Post.body, OPEN + CLOSE, "")
        headline = func.ts_headline(
            literal_column("'english'"), body, self.tsquery(words), bindparam("options", options)
        )
        return select(headline).where(Post.id == post_id).scalar_subquery()


def _backend() -> _Backend:
    return _PostgreSQL() if db.engine.dialect.name == "postgresql" else _SQLite()


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # how many of the ranked matches this person may read
    more: bool  # more posts match than were ranked: a word more would narrow it down
    window: int = 0  # how many of the newest matches were ranked


def _readable(ranked, visible_categories: Select, lateral: bool):
    """The ranked matches this person may read, each with what a result shows of its thread."""
    shown = (Post.thread_id, Thread.title, ForumCategory.name.label("category_name"), Post.created_at)
    if not lateral:
        return _searchable(
            select(ranked.c.post_id, ranked.c.rank, *shown)
            .select_from(ranked)
            .join(Post, Post.id == ranked.c.post_id),
            visible_categories,
        )
    post = (
        _searchable(select(*shown).where(Post.id == ranked.c.post_id), visible_categories)
        .limit(1)
        .lateral("post")
    )
    return select(ranked.c.post_id, ranked.c.rank, *post.c).select_from(ranked).join(post, true())


def search(words: list[str], visible_categories: Select, page: int, size: int) -> Results:
    """One page of the published posts that hold every word, best first, and how many there are.

    One statement finds the newest matches (one more than the window, to tell whether there are
    more), ranks the window, keeps what this person may read, counts it, cuts the page and the
    page's snippets. (PostgreSQL is first told to plan for these words.)
    """
    if not words:
        return Results([], 0, False)
    backend = _backend()
    backend.plan_for_these_words()
    newest = backend.newest(words, RANK_WINDOW + 1)
    ranked = (
        select(newest.c.post_id, backend.rank(newest, words).label("rank"))
        .order_by(newest.c.post_id.desc())
        .limit(RANK_WINDOW)
        .cte("ranked")
        .prefix_with("MATERIALIZED")
    )
    readable = _readable(ranked, visible_categories, backend.lateral).subquery("readable")
    more = select(func.count()).select_from(newest).scalar_subquery() > RANK_WINDOW
    shown = (
        select(
            readable.c.post_id,
            readable.c.rank,
            readable.c.thread_id,
            readable.c.title,
            readable.c.category_name,
            readable.c.created_at,
            func.count().over().label("total"),
            more.label("more"),
        )
        .order_by(readable.c.rank.desc(), readable.c.post_id.desc())
        .limit(size)
        .offset((page - 1) * size)
        .subquery("shown")
    )
    rows = db.session.execute(
        select(shown, backend.snippet(words, shown.c.post_id).label("snippet")).order_by(
            shown.c.rank.desc(), shown.c.post_id.desc()
        )
    ).all()
    if not rows:
        # Nothing this person may read, or a page past the last: either way nothing to show.
        return Results([], 0, False)
    hits = [
        Hit(
            row.post_id,
            row.thread_id,
            row.title,
            row.category_name,
            row.created_at,
            highlight(row.snippet or ""),
        )
        for row in rows
    ]
    return Results(hits, rows[0].total, bool(rows[0].more), RANK_WINDOW)

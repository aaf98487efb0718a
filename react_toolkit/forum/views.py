"""The forum for relatives, and the moderation queue, actions and audit log for moderators."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.numbers import ids_from, query_number
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.forum import services
from react_toolkit.forum.forms import (
    ContactForm,
    EditForm,
    FollowForm,
    ModerateForm,
    ReplyForm,
    ReportForm,
    RestrictForm,
    ThanksForm,
    ThreadForm,
)
from react_toolkit.forum.models import DELETED, REPORT_KINDS, Post
from react_toolkit.forum.permissions import can_delete_post, can_edit_post, can_moderate, can_use_forum
from react_toolkit.risk.crisis import team_contact
from react_toolkit.risk.services import check_text
from react_toolkit.timeutil import now

bp = Blueprint("forum", __name__)


def _may_take_part(user) -> bool:
    """A forum member whose posting is not suspended; a moderator always may."""
    if not can_use_forum(user):
        return False
    return services.active_restriction(user, ("suspend",)) is None or can_moderate(user)


def _page() -> int:
    return max(1, query_number("page") or 1)


@bp.get("/forum")
@login_required
@only(_may_take_part)
def list_categories():
    return render_template(
        "forum/list_categories.html",
        categories=services.categories(current_user),
        moderation=services.moderation_status(),
    )


@bp.get("/forum/search")
@login_required
@only(_may_take_part)
def search():
    """Search the posts this person may read. The words stay in the address bar, never in a record."""
    query = (request.args.get("q") or "").strip()
    page = _page()
    results, words = services.search_posts(current_user, query, page) if query else (None, [])
    return render_template(
        "forum/search.html",
        query=query,
        words=words,
        results=results,
        page=page,
        size=current_app.config["FORUM_PAGE_SIZE"],
    )


def _category_or_404(slug: str):
    found = services.category(current_user, slug)
    if found is None:
        abort(404)
    return found


@bp.get("/forum/<slug>")
@login_required
@only(_may_take_part)
def view_category(slug: str):
    cat = _category_or_404(slug)
    page = _page()
    rows, total = services.threads(current_user, cat, page)
    return render_template(
        "forum/view_category.html",
        category=cat,
        rows=rows,
        total=total,
        page=page,
        size=current_app.config["FORUM_PAGE_SIZE"],
    )


def _new_thread_page(cat, form: ThreadForm, status: int = 200, outcome=None):
    return render_template(
        "forum/new_thread.html",
        category=cat,
        form=form,
        outcome=outcome,
        moderation=services.moderation_status(),
        crisis_team=team_contact(current_user),
        preview=g.get("forum_preview"),
    ), status


@bp.route("/forum/<slug>/new", methods=["GET", "POST"])
@login_required
@only(_may_take_part)
def new_thread(slug: str):
    cat = _category_or_404(slug)
    form = ThreadForm()
    if request.method == "POST" and request.form.get("preview"):
        return _preview(form, lambda: _new_thread_page(cat, form, 200), title=True)
    if form.validate_on_submit():
        try:
            item, outcome = services.create_thread(current_user, cat, form.title.data, form.body.data)
        except Refusal as error:
            form[error.field or "body"].errors.append(error.message)
            return _new_thread_page(cat, form, error.status)
        if outcome.status == "blocked":
            form.body.errors.append(outcome.message)
            return _new_thread_page(cat, form, 422, outcome)
        return _after_post(item.id, outcome)
    return _new_thread_page(cat, form, 400 if form.errors else 200)


def _preview(form, page, title: bool = False):
    """Show the words as they will look, and give the form back with them in it; nothing is posted."""
    if not form.validate_on_submit():
        return page()[0], 400
    try:
        services.check_draft(form.title.data if title else None, form.body.data)
    except Refusal as error:
        form[error.field or "body"].errors.append(error.message)
        return page()[0], 400
    g.forum_preview = form.body.data
    return page()


def _after_post(thread_id: int, outcome):
    if outcome.status == "held":
        flash(_("Thank you. Your post is saved.") + " " + services.held_note(outcome.post), "success")
    else:
        flash(_("Your post is on the forum."), "success")
    target = url_for("forum.view_thread", thread_id=thread_id, page="last")
    if outcome.risk.is_risk:
        return redirect(target.replace("page=last", "page=last&help=1") + "#crisis-help")
    return redirect(target + f"#post-{outcome.post.id}")


def _thread_or_404(thread_id: int):
    found = services.thread(current_user, thread_id)
    if found is None:
        abort(404)
    return found


def _thread_page(item, form: ReplyForm | None = None, status: int = 200, outcome=None, last: bool = False):
    size = current_app.config["FORUM_PAGE_SIZE"]
    requested = "last" if last else request.args.get("page", "1")
    _rows, total = services.posts(current_user, item, 1) if requested == "last" else (None, 0)
    page = max(1, -(-total // size)) if requested == "last" else _page()
    # Mark read first: the commit would otherwise expire every post loaded for the page.
    reader = services.mark_read(current_user, item)
    rows, total = services.posts(current_user, item, page)
    return render_template(
        "forum/view_thread.html",
        thread=item,
        posts=rows,
        total=total,
        page=page,
        size=size,
        form=form or ReplyForm(),
        follow=FollowForm(email=reader.email),
        reader=reader,
        outcome=outcome,
        help=request.args.get("help") == "1" or (outcome is not None and outcome.risk.is_risk),
        crisis_team=team_contact(current_user),
        edit_open={p.id: services.edit_window_open(p) for p in rows},
        can_edit_post=can_edit_post,
        can_delete_post=can_delete_post,
        thanks=services.thanks_for(current_user, rows),
        thanks_form=ThanksForm(),
        can_thank=services.can_thank,
        preview=g.get("forum_preview"),
    ), status


@bp.get("/forum/threads/<int:thread_id>")
@login_required
@only(_may_take_part)
def view_thread(thread_id: int):
    return _thread_page(_thread_or_404(thread_id))


@bp.post("/forum/threads/<int:thread_id>/reply")
@login_required
@only(_may_take_part)
def reply_thread(thread_id: int):
    item = _thread_or_404(thread_id)
    form = ReplyForm()
    if request.form.get("preview"):
        return _preview(form, lambda: _thread_page(item, form, 200, last=True))
    if form.validate_on_submit():
        try:
            outcome = services.reply(current_user, item, form.body.data)
        except Refusal as error:
            form.body.errors.append(error.message)
            return _thread_page(item, form, error.status)
        if outcome.status == "blocked":
            form.body.errors.append(outcome.message)
            return _thread_page(item, form, 422, outcome)
        return _after_post(item.id, outcome)
    return _thread_page(item, form, 400)


@bp.get("/forum/threads/<int:thread_id>/unread")
@login_required
@only(_may_take_part)
def first_unread(thread_id: int):
    """To the first post this person has not read, on its page; the last page when nothing is new."""
    item = _thread_or_404(thread_id)
    found = services.first_unread(current_user, item)
    if found is None:
        return redirect(url_for("forum.view_thread", thread_id=item.id, page="last"))
    post_id, page = found
    return redirect(url_for("forum.view_thread", thread_id=item.id, page=page) + f"#post-{post_id}")


@bp.post("/forum/threads/<int:thread_id>/follow")
@login_required
@only(_may_take_part)
def follow_thread(thread_id: int):
    item = _thread_or_404(thread_id)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    following = request.form.get("action") != "unfollow"
    services.follow(current_user, item, following, form.email.data)
    flash(
        _("You are following this thread.") if following else _("You no longer follow this thread."),
        "success",
    )
    return redirect(url_for("forum.view_thread", thread_id=item.id))


def _post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or services.thread(current_user, post.thread_id) is None:
        abort(404)
    if post.status == "held" and post.author_id != current_user.id and not can_moderate(current_user):
        abort(404)
    return post


@bp.get("/forum/posts/<int:post_id>")
@login_required
@only(_may_take_part)
def show_post(post_id: int):
    """A link to one post: its thread, at the page it is on."""
    post = _post_or_404(post_id)
    page = services.page_of(current_user, post)
    return redirect(url_for("forum.view_thread", thread_id=post.thread_id, page=page) + f"#post-{post.id}")


@bp.post("/forum/posts/<int:post_id>/thanks")
@login_required
@only(_may_take_part)
def thank_post(post_id: int):
    """Say thank you for a post, or take it back."""
    post = _post_or_404(post_id)
    if not ThanksForm().validate_on_submit():
        abort(400)
    if not services.can_thank(current_user, post):
        abort(403)
    thanked = request.form.get("action") != "withdraw"
    if services.thank(current_user, post, thanked):
        flash(
            _("You said thank you for this post.") if thanked else _("You took back your thank you."),
            "success",
        )
    page = services.page_of(current_user, post)
    return redirect(url_for("forum.view_thread", thread_id=post.thread_id, page=page) + f"#post-{post.id}")


@bp.route("/forum/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@only(_may_take_part)
def edit_post(post_id: int):
    post = _post_or_404(post_id)
    if not can_edit_post(current_user, post, services.edit_window_open(post)):
        abort(403)
    form = EditForm(data={"body": post.body} if request.method == "GET" else None)
    status, outcome = 200, None
    if form.validate_on_submit():
        try:
            outcome = services.edit_post(current_user, post, form.body.data)
        except Refusal as error:
            form.body.errors.append(error.message)
            status = error.status
        else:
            if outcome.status == "blocked":
                form.body.errors.append(outcome.message)
                status = 422
            else:
                held = outcome.status == "held"
                flash(
                    _("Your changes are saved.") + (" " + services.held_note(post) if held else ""),
                    "success",
                )
                target = url_for("forum.view_thread", thread_id=post.thread_id)
                if outcome.risk.is_risk:
                    return redirect(target + "?help=1#crisis-help")
                return redirect(target + f"#post-{post.id}")
    elif form.errors:
        status = 400
    return render_template(
        "forum/edit_post.html", form=form, post=post, outcome=outcome, crisis_team=team_contact(current_user)
    ), status


@bp.post("/forum/posts/<int:post_id>/delete")
@login_required
@only(_may_take_part)
def delete_post(post_id: int):
    post = _post_or_404(post_id)
    if not can_delete_post(current_user, post):
        abort(403)
    services.delete_post(current_user, post)
    flash(_("Your post has been deleted."), "success")
    return redirect(url_for("forum.view_thread", thread_id=post.thread_id))


@bp.route("/forum/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
@only(_may_take_part)
def report_post(post_id: int):
    post = _post_or_404(post_id)
    if post.status == DELETED:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report(current_user, post, form.kind.data or "", form.note.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(
                _("Thank you. A moderator will look at this post. The author will not know who reported it."),
                "success",
            )
            return redirect(url_for("forum.view_thread", thread_id=post.thread_id) + f"#post-{post.id}")
    return render_template(
        "forum/report_post.html", form=form, post=post, kinds=REPORT_KINDS
    ), 400 if form.errors else 200


# Moderation -----------------------------------------------------------------------------------


def _reason_filter() -> str | None:
    reason = request.args.get("reason") or request.form.get("reason_filter")
    return reason if reason in services.QUEUE_REASONS else None


@bp.get("/moderation")
@login_required
@only(can_moderate)
def moderation_queue():
    reason = _reason_filter()
    items = services.queue(current_user, reason)
    moment = now()
    overdue = {item.id for item in items if services.is_overdue(item, moment)}
    return render_template(
        "moderation/queue.html",
        items=items,
        overdue=overdue,
        reason=reason,
        reports=services.reports_by_post(items),
        kinds=REPORT_KINDS,
        unread=services.unread_counts(),
        moderation=services.moderation_status(),
    )


# Every post read by a person ---------------------------------------------------------------


def _to_read_page(form: ModerateForm | None = None, status: int = 200, post: Post | None = None):
    """The top of the stream, or the post a moderator was acting on when the action was refused."""
    stream = services.to_read()
    post = post or (stream[0] if stream else None)
    return render_template(
        "moderation/to_read.html",
        post=post,
        coming=[later for later in stream if later is not post],
        counts=services.unread_counts(),
        risk=check_text(post.body) if post is not None else None,
        items=services.open_items_for(post) if post is not None else [],
        form=form or ModerateForm(),
        moderation=services.moderation_status(),
    ), status


@bp.get("/moderation/to-read")
@login_required
@only(can_moderate)
def to_read():
    return _to_read_page()


@bp.post("/moderation/to-read/<int:post_id>")
@login_required
@only(can_moderate)
def read_post(post_id: int):
    """ "Reviewed, next", "Hide" or "Escalate" on the post at the top of the "To read" stream."""
    post = db.session.get(Post, post_id) or abort(404)
    form = ModerateForm()
    if not form.validate_on_submit():
        abort(400)
    action = request.form.get("action")
    actions = {
        "reviewed": (lambda user, item, _reason: services.review(user, item), _("Marked as read.")),
        "hide": (services.hide, _("The post is hidden. Its author can see your reason.")),
        "escalate": (services.escalate, _("The author's team has an urgent note in their inbox.")),
    }
    if action not in actions:
        abort(400)
    run, done = actions[action]
    try:
        run(current_user, post, form.reason.data or "")
    except Refusal as error:
        if error.field == "reason":
            form.reason.errors.append(error.message)
            return _to_read_page(form, 400, post)
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("forum.to_read"))


@bp.get("/moderation/to-read/low")
@login_required
@only(can_moderate)
def low_score_posts():
    return render_template(
        "moderation/to_read_low.html",
        posts=services.low_score_unread(),
        counts=services.unread_counts(),
        form=ModerateForm(),
    )


@bp.post("/moderation/to-read/low")
@login_required
@only(can_moderate)
def mark_low_score_read():
    """Mark read the posts that were on the page, and only those."""
    form = ModerateForm()
    if not form.validate_on_submit():
        abort(400)
    ids = ids_from(request.form.getlist("post_id"))
    marked = services.review_many(current_user, ids)
    flash(
        ngettext("%(num)d post marked as read.", "%(num)d posts marked as read.", marked),
        "success",
    )
    return redirect(url_for("forum.low_score_posts"))


@bp.get("/moderation/posts/<int:post_id>")
@login_required
@only(can_moderate)
def moderate_post(post_id: int):
    post = db.session.get(Post, post_id) or abort(404)
    return _moderate_page(post)


def _moderate_page(post: Post, status: int = 200, **forms):
    before, after = services.thread_context(post)
    items = services.open_items_for(post)
    reports = services.reports_for(post)
    categories = [c for c in post.risk_categories.split(",") if c]
    return render_template(
        "moderation/post.html",
        post=post,
        categories=categories,
        reported_risk=any(row.kind == "risk" for row in reports),
        reason_filter=_reason_filter(),
        before=before,
        after=after,
        items=items,
        history=services.author_history(post.author),
        revisions=services.revisions(post),
        reports=reports,
        kinds=REPORT_KINDS,
        form=forms.get("form") or ModerateForm(),
        restrict=forms.get("restrict") or RestrictForm(),
        contact=forms.get("contact") or ContactForm(),
    ), status


def _act(post_id: int, action, done: str):
    """Run one moderator action on a post, with the reason from the form, then say what happened."""
    post = db.session.get(Post, post_id) or abort(404)
    form = ModerateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(current_user, post, form.reason.data or "")
    except Refusal as error:
        if error.field == "reason":
            form.reason.errors.append(error.message)
            return _moderate_page(post, 400, form=form)
        flash(error.message, "error")
        return redirect(url_for("forum.moderate_post", post_id=post.id))
    flash(str(done), "success")
    if request.form.get("then") == "next":
        return _next_in_queue()
    return redirect(url_for("forum.moderate_post", post_id=post.id))


def _next_in_queue():
    """ "Approve and next", "Hide and next": the first item still waiting that nobody else has."""
    reason = _reason_filter()
    item = services.next_in_queue(current_user, reason)
    if item is None:
        flash(_("That was the last item waiting."), "success")
        return redirect(url_for("forum.moderation_queue", reason=reason))
    return redirect(url_for("forum.moderate_post", post_id=item.post_id, reason=reason))


@bp.post("/moderation/queue/<int:item_id>/claim")
@login_required
@only(can_moderate)
def claim_item(item_id: int):
    item = services.queue_item(item_id) or abort(404)
    try:
        services.claim(current_user, item)
    except Refusal as error:
        flash(error.message, "error")
    else:
        flash(_("You are dealing with this item. Other moderators can see that."), "success")
    return redirect(url_for("forum.moderate_post", post_id=item.post_id))


@bp.post("/moderation/posts/<int:post_id>/approve")
@login_required
@only(can_moderate)
def approve_post(post_id: int):
    return _act(post_id, services.approve, _l("The post is published."))


@bp.post("/moderation/posts/<int:post_id>/hide")
@login_required
@only(can_moderate)
def hide_post(post_id: int):
    return _act(post_id, services.hide, _l("The post is hidden. Its author can see your reason."))


@bp.post("/moderation/posts/<int:post_id>/restore")
@login_required
@only(can_moderate)
def restore_post(post_id: int):
    return _act(post_id, services.restore, _l("The post is back on the forum."))


@bp.post("/moderation/posts/<int:post_id>/dismiss")
@login_required
@only(can_moderate)
def dismiss_post(post_id: int):
    return _act(post_id, services.dismiss, _l("Nothing more needs doing with this item."))


@bp.post("/moderation/posts/<int:post_id>/lock")
@login_required
@only(can_moderate)
def lock_thread(post_id: int):
    return _act(post_id, services.toggle_lock, _l("The thread's replies setting has changed."))


@bp.post("/moderation/posts/<int:post_id>/escalate")
@login_required
@only(can_moderate)
def escalate_post(post_id: int):
    return _act(post_id, services.escalate, _l("The author's team has an urgent note in their inbox."))


@bp.post("/moderation/posts/<int:post_id>/contact")
@login_required
@only(can_moderate)
def contact_author(post_id: int):
    post = db.session.get(Post, post_id) or abort(404)
    form = ContactForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.contact_author(current_user, post, form.message.data)
    except Refusal as error:
        form.message.errors.append(error.message)
        return _moderate_page(post, 400, contact=form)
    flash(_("Your message is in the author's messages. They have been emailed to say so."), "success")
    return redirect(url_for("forum.moderate_post", post_id=post.id))


@bp.post("/moderation/posts/<int:post_id>/restrict")
@login_required
@only(can_moderate)
def restrict_author(post_id: int):
    post = db.session.get(Post, post_id) or abort(404)
    form = RestrictForm()
    if not form.validate_on_submit():
        if form.errors.keys() - {"csrf_token"}:  # hours that are not a number: say so beside the field
            return _moderate_page(post, 400, restrict=form)
        abort(400)
    try:
        services.restrict(
            current_user, post.author, form.kind.data or "", form.hours.data or 0, form.reason.data
        )
    except Refusal as error:
        form[error.field].errors.append(error.message)
        return _moderate_page(post, 400, restrict=form)
    flash(_("The restriction is in place."), "success")
    return redirect(url_for("forum.moderate_post", post_id=post.id))


@bp.get("/moderation/log")
@login_required
@only(can_moderate)
def moderation_log():
    return render_template("moderation/log.html", actions=services.audit_log())

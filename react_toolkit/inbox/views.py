"""Relatives' messages to their supporters, and the team inbox where supporters answer them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.numbers import query_number
from react_toolkit.core.refusal import Refusal
from react_toolkit.inbox import services
from react_toolkit.inbox.forms import (
    ActionForm,
    NewConversationForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    SavedReplyForm,
)
from react_toolkit.inbox.models import STATUS_LABELS
from react_toolkit.inbox.permissions import (
    can_see_inbox_figures,
    can_write_to_supporter,
    is_supporter,
    needs_reason,
)
from react_toolkit.organisations.hours import is_open
from react_toolkit.risk.crisis import team_contact
from react_toolkit.timeutil import now

bp = Blueprint("inbox", __name__)


# Relatives -----------------------------------------------------------------------------------


@bp.get("/messages")
@login_required
@only(can_write_to_supporter)
def list_messages():
    return render_template(
        "inbox/list_messages.html", conversations=services.relative_conversations(current_user)
    )


def _new_page(form: NewConversationForm, status: int = 200, risk: bool = False):
    team = services.team_for_relative(current_user)
    open_now = is_open(team, now()) if team else False
    return render_template(
        "inbox/new_message.html",
        form=form,
        team=team,
        open_now=open_now,
        risk=risk,
        crisis_team=team_contact(current_user),
    ), status


@bp.route("/messages/new", methods=["GET", "POST"])
@login_required
@only(can_write_to_supporter)
def new_message():
    form = NewConversationForm()
    if form.validate_on_submit():
        try:
            conversation, sent = services.start_conversation(current_user, form.subject.data, form.body.data)
        except Refusal as error:
            (form[error.field].errors if error.field else form.body.errors).append(error.message)
            return _new_page(form, 400)
        flash(_("Your message has been sent to the supporter team."), "success")
        target = url_for("inbox.view_message", conversation_id=conversation.id)
        return redirect(target + ("?help=1#crisis-help" if sent.risk else ""))
    return _new_page(form, 400 if form.errors else 200)


def _relative_conversation_or_404(conversation_id: int):
    conversation = services.relative_conversation(current_user, conversation_id)
    if conversation is None:
        abort(404)
    return conversation


def _relative_page(conversation, form: ReplyForm | None = None, status: int = 200, risk: bool = False):
    read_before = conversation.relative_read_at
    # Mark read first: the commit would otherwise expire every message loaded for the page.
    services.mark_read_by_relative(current_user, conversation)
    messages = services.messages_for(conversation, include_notes=False)
    return render_template(
        "inbox/view_message.html",
        conversation=conversation,
        messages=messages,
        read_before=read_before,
        form=form or ReplyForm(),
        risk=risk or request.args.get("help") == "1",
        crisis_team=team_contact(current_user),
        open_now=is_open(conversation.team, now()),
    ), status


@bp.get("/messages/<int:conversation_id>")
@login_required
@only(can_write_to_supporter)
def view_message(conversation_id: int):
    return _relative_page(_relative_conversation_or_404(conversation_id))


@bp.post("/messages/<int:conversation_id>/reply")
@login_required
@only(can_write_to_supporter)
def reply_message(conversation_id: int):
    conversation = _relative_conversation_or_404(conversation_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            sent = services.relative_reply(current_user, conversation, form.body.data)
        except Refusal as error:
            form.body.errors.append(error.message)
            return _relative_page(conversation, form, 400)
        flash(_("Your message has been sent."), "success")
        target = url_for("inbox.view_message", conversation_id=conversation.id)
        return redirect(target + ("?help=1#crisis-help" if sent.risk else "#latest"))
    return _relative_page(conversation, form, 400)


# Supporters --------------------------------------------------------------------------------


@bp.get("/inbox")
@login_required
@only(is_supporter)
def team_inbox():
    name = request.args.get("filter", "waiting_for_us")
    if name not in services.FILTERS:
        name = "waiting_for_us"
    conversations, counts = services.team_inbox(current_user, name)
    moment = now()
    holidays = services.holidays_for(conversations, moment)
    overdue = {c.id for c in conversations if services.is_overdue(c, moment, holidays)}
    waited = {c.id: services.waiting_seconds(c, moment, holidays) for c in conversations if c.waiting_since}
    return render_template(
        "inbox/team_inbox.html",
        conversations=conversations,
        counts=counts,
        current=name,
        overdue=overdue,
        waited=waited,
        labels=STATUS_LABELS,
    )


def _staff_conversation_or_404(conversation_id: int):
    if not is_supporter(current_user):
        abort(403)
    conversation = services.staff_conversation(current_user, conversation_id)
    if conversation is None:
        abort(404)
    return conversation


def _staff_page(
    conversation,
    reply: ReplyForm | None = None,
    note: NoteForm | None = None,
    status: int = 200,
    read_only: bool = False,
):
    messages = services.messages_for(conversation, include_notes=True)
    reply = reply or ReplyForm()
    use = query_number("use")
    if not reply.body.data and use:
        saved = services.saved_reply(current_user, use)
        if saved:
            reply.body.data = saved.body
    seen_up_to = max((m.id for m in messages if m.kind != "note"), default=0)
    return render_template(
        "inbox/view_conversation.html",
        conversation=conversation,
        messages=messages,
        reply=reply,
        note=note or NoteForm(),
        seen_up_to=seen_up_to,
        others=services.others_here(current_user, conversation),
        supporters=services.team_supporters(conversation.team_id) if not read_only else [],
        related=services.other_conversations(current_user, conversation) if not read_only else [],
        saved=services.saved_replies(current_user) if not read_only else [],
        overdue=services.is_overdue(conversation),
        waited=services.waiting_seconds(conversation),
        labels=STATUS_LABELS,
        read_only=read_only,
        action=ActionForm(),
    ), status


@bp.get("/inbox/<int:conversation_id>")
@login_required
def view_conversation(conversation_id: int):
    if needs_reason(current_user):
        if services.any_conversation(conversation_id) is None:
            abort(404)
        return render_template("inbox/give_reason.html", form=ReasonForm(), conversation_id=conversation_id)
    conversation = _staff_conversation_or_404(conversation_id)
    services.record_access(current_user, conversation)
    return _staff_page(conversation)


@bp.get("/inbox/<int:conversation_id>/forum-post")
@login_required
def view_forum_post(conversation_id: int):
    """The forum post an escalation is about, to read only: for those who may open the conversation, else 404."""
    conversation = services.staff_conversation(current_user, conversation_id)
    shown = services.escalated_post(conversation) if conversation is not None else None
    if shown is None:
        abort(404)
    services.record_access(current_user, conversation)
    return render_template("inbox/view_forum_post.html", conversation=conversation, shown=shown)


@bp.post("/inbox/<int:conversation_id>/reason")
@login_required
@only(needs_reason)
def open_with_reason(conversation_id: int):
    conversation = services.any_conversation(conversation_id)
    if conversation is None:
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit() or len((form.reason.data or "").strip()) < 10:
        form.reason.errors.append(_("Say why you need to open it, in at least a few words"))
        return render_template("inbox/give_reason.html", form=form, conversation_id=conversation_id), 400
    services.record_access(current_user, conversation, form.reason.data)
    return _staff_page(conversation, read_only=True)


@bp.post("/inbox/<int:conversation_id>/reply")
@login_required
def reply_conversation(conversation_id: int):
    conversation = _staff_conversation_or_404(conversation_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            services.staff_reply(current_user, conversation, form.body.data, form.seen_up_to.data or 0)
        except Refusal as error:
            form.body.errors.append(error.message)
            return _staff_page(conversation, reply=form, status=error.status)
        flash(
            _("Your reply has been sent. The relative has been emailed to say there is a new message."),
            "success",
        )
        return redirect(url_for("inbox.view_conversation", conversation_id=conversation.id) + "#latest")
    return _staff_page(conversation, reply=form, status=400)


@bp.post("/inbox/<int:conversation_id>/note")
@login_required
def add_note(conversation_id: int):
    conversation = _staff_conversation_or_404(conversation_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(current_user, conversation, form.note.data)
        except Refusal as error:
            form.note.errors.append(error.message)
            return _staff_page(conversation, note=form, status=400)
        flash(_("Your note has been added. Only staff can see it."), "success")
        return redirect(url_for("inbox.view_conversation", conversation_id=conversation.id) + "#latest")
    return _staff_page(conversation, note=form, status=400)


@bp.post("/inbox/<int:conversation_id>/assign")
@login_required
def assign_conversation(conversation_id: int):
    conversation = _staff_conversation_or_404(conversation_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    value = form.value.data
    assignee = current_user.id if value == "me" else (int(value) if value and value.isdigit() else None)
    try:
        services.assign(current_user, conversation, assignee)
    except Refusal as error:
        flash(error.message, "error")
    else:
        flash(
            _("The conversation has been assigned.") if assignee else _("Nobody is assigned now."), "success"
        )
    return redirect(url_for("inbox.view_conversation", conversation_id=conversation.id))


@bp.post("/inbox/<int:conversation_id>/status")
@login_required
def change_status(conversation_id: int):
    conversation = _staff_conversation_or_404(conversation_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_status(current_user, conversation, form.value.data)
    except Refusal:
        abort(400)
    flash(_("Status: %(status)s.", status=STATUS_LABELS[conversation.status].lower()), "success")
    return redirect(url_for("inbox.view_conversation", conversation_id=conversation.id))


@bp.post("/inbox/<int:conversation_id>/priority")
@login_required
def change_priority(conversation_id: int):
    conversation = _staff_conversation_or_404(conversation_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_urgent(current_user, conversation, form.value.data == "urgent")
    flash(_("Marked as urgent.") if conversation.urgent else _("No longer marked as urgent."), "success")
    return redirect(url_for("inbox.view_conversation", conversation_id=conversation.id))


# Saved replies --------------------------------------------------------------------------------


@bp.get("/inbox/saved-replies")
@login_required
@only(is_supporter)
def list_saved_replies():
    return render_template(
        "inbox/saved_replies.html", replies=services.saved_replies(current_user), form=SavedReplyForm()
    )


@bp.route("/inbox/saved-replies/new", methods=["POST"])
@bp.route("/inbox/saved-replies/<int:reply_id>/edit", methods=["GET", "POST"])
@login_required
@only(is_supporter)
def edit_saved_reply(reply_id: int | None = None):
    reply = None
    if reply_id is not None:
        reply = services.saved_reply(current_user, reply_id)
        if reply is None:
            abort(404)
    form = SavedReplyForm(obj=reply)
    if form.validate_on_submit():
        try:
            services.save_reply(current_user, reply, form.title.data, form.body.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("The saved reply has been saved."), "success")
            return redirect(url_for("inbox.list_saved_replies"))
    if reply is None:
        return render_template(
            "inbox/saved_replies.html", replies=services.saved_replies(current_user), form=form
        ), 400
    return render_template("inbox/edit_saved_reply.html", form=form, reply=reply), 400 if form.errors else 200


@bp.post("/inbox/saved-replies/<int:reply_id>/delete")
@login_required
@only(is_supporter)
def delete_saved_reply(reply_id: int):
    reply = services.saved_reply(current_user, reply_id)
    if reply is None:
        abort(404)
    services.delete_reply(current_user, reply)
    flash(_("The saved reply has been deleted."), "success")
    return redirect(url_for("inbox.list_saved_replies"))


# Site leads: figures and the access log, never message text -------------------------------------


@bp.get("/inbox/figures")
@login_required
@only(can_see_inbox_figures)
def inbox_figures():
    return render_template("inbox/figures.html", figures=services.team_figures(current_user))


@bp.get("/inbox/access-log")
@login_required
@only(can_see_inbox_figures)
def access_log():
    return render_template("inbox/access_log.html", entries=services.access_log(current_user))

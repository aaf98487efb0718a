"""Who may use each route: the table the authorisation matrix checks every route against.

For each endpoint, each role's outcome, judged by the people of the world (see world.py) asking
about things owned at trust A:

- ALLOWED: everyone with the role, wherever they work.
- SAME_SITE: people with the role at trust A (team A1 or A2); refused at trust B.
- SAME_TEAM: only the person with the role in team A1, which owns the thing.
- OWNER: only the person who owns the thing (relative A's own conversation, note or post).
- DENIED: nobody with the role.

A role left out of an entry is DENIED. An entry keyed "endpoint rule" is for one of an endpoint's
rules only. Allowed means a 2xx or 3xx answer (and, for a form sent with harmless or invalid
data, a refusal by validation: 400, 409, 410 or 422). Denied means 403 or 404, or for someone
signed out a redirect to the sign-in page; a denied form changes nothing in the database.
"""

from __future__ import annotations

from tests.security.world import ROLES, SIGNED_OUT

ALLOWED = "allowed"
SAME_SITE = "same site"
SAME_TEAM = "same team"
OWNER = "owner"
DENIED = "denied"
OUTCOMES = (ALLOWED, SAME_SITE, SAME_TEAM, OWNER, DENIED)

PUBLIC = dict.fromkeys(ROLES, ALLOWED)
SIGNED_IN = {role: ALLOWED for role in ROLES if role != SIGNED_OUT}
MODERATORS = {"moderator": ALLOWED, "admin": ALLOWED}
FORUM_READER = {"relative": SAME_SITE, **MODERATORS}
TEAM_SUPPORTER = {"supporter": SAME_TEAM}
INVITATION = {"clinician": OWNER, "site_lead": SAME_SITE, "admin": ALLOWED}
LOCAL_RESOURCE = {"supporter": SAME_SITE, "site_lead": SAME_SITE, "admin": ALLOWED}
ADMIN = {"admin": ALLOWED}
CONTENT_STATUS = {"content_reviewer": ALLOWED, "supporter": ALLOWED, "site_lead": ALLOWED, "admin": ALLOWED}


def only(*roles: str) -> dict[str, str]:
    return dict.fromkeys(roles, ALLOWED)


STAFF = only("clinician", "supporter", "moderator", "site_lead", "researcher", "admin", "content_reviewer")
ADOPTION_LEAD = {"site_lead": SAME_SITE, "admin": ALLOWED}
TEAM_LOG = {"clinician": SAME_TEAM, "supporter": SAME_TEAM, "site_lead": SAME_SITE, "admin": ALLOWED}
NOMAD_RESPONDENT = dict.fromkeys(("clinician", "supporter", "moderator", "site_lead"), SAME_SITE)


ACCESS: dict[str, dict[str, str]] = {
    # Accounts, sessions and passwords: each person's own account, so every one of them.
    "auth.sign_in": PUBLIC,
    "auth.sign_out": PUBLIC,
    "auth.signed_out": PUBLIC,
    "auth.register": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.reset_password": PUBLIC,  # the link itself is the key
    "auth.account_deleted": PUBLIC,
    "auth.view_account": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.end_other_sessions": SIGNED_IN,
    "auth.keep_alive": SIGNED_IN,
    "auth.download_data": only("relative"),
    "auth.delete_account": only("relative"),
    "auth.erase_relative": ADMIN,
    # Sign-in with the trust's account: 404 for everyone while no provider is set up, as here;
    # tests/trust_sign_in runs them against a real local provider.
    "trust_sign_in.start": {},
    "trust_sign_in.callback": {},
    # The second factor: each person's own, so everyone signed in; a session that still owes it
    # reaches only the check, set-up and help pages (tests/security/test_second_factor_gate.py walks that).
    "second_factor.check": SIGNED_IN,
    "second_factor.check_passkey": SIGNED_IN,
    "second_factor.set_up": SIGNED_IN,
    "second_factor.manage": SIGNED_IN,
    "second_factor.new_recovery_codes": SIGNED_IN,
    "second_factor.new_passkey": SIGNED_IN,
    "second_factor.save_passkey": SIGNED_IN,
    "second_factor.remove_passkey": {"relative": OWNER},  # relative A's passkey
    "second_factor.forget_devices": SIGNED_IN,
    "second_factor.turn_off": only("relative", "clinician"),  # the roles that need not use one
    "second_factor.staff_overview": ADMIN,
    "second_factor.reset_colleague": ADMIN,
    # The language switch: everyone, signed in or not.
    "i18n.choose_language": PUBLIC,
    # Invitations and staff accounts.
    "auth.list_invitations": only("clinician", "supporter", "site_lead", "admin"),
    "auth.new_invitation": only("clinician", "supporter"),
    "auth.view_invitation": INVITATION,
    "auth.withdraw_invitation": INVITATION,
    "auth.resend_invitation": INVITATION,
    "auth.extend_invitation": INVITATION,
    "auth.invitation_handout": INVITATION,
    "auth.list_staff": only("site_lead", "admin"),
    "auth.new_staff": only("site_lead", "admin"),
    # Pages for everyone.
    "core.home": PUBLIC,
    "core.healthz": PUBLIC,
    "core.privacy": PUBLIC,
    "core.terms": PUBLIC,
    "core.accessibility": PUBLIC,
    "risk.crisis": PUBLIC,
    # Help for someone new: the help and about pages and the web app's files are for everyone;
    # "Start here" is a relative's own panel.
    "guide.view_help": PUBLIC,
    "guide.view_about": PUBLIC,
    "guide.manifest": PUBLIC,
    "guide.service_worker": PUBLIC,
    "guide.dismiss_start_here": only("relative"),
    # Dashboard: site leads for their trust, researchers and admins for all.
    # Staff adoption: the learning area for every member of staff; NoMAD waves at each person's own
    # trust; the overview, champions, targets and results for site leads (their trust) and admins.
    "adoption.list_staff_modules": STAFF,
    "adoption.show_staff_module": STAFF,
    "adoption.complete_staff_module": STAFF,
    "adoption.overview": only("site_lead", "admin"),
    "adoption.manage_team": ADOPTION_LEAD,
    "adoption.add_champion": ADOPTION_LEAD,
    "adoption.remove_champion": ADOPTION_LEAD,
    "adoption.save_targets": ADOPTION_LEAD,
    "adoption.team_log": TEAM_LOG,
    "adoption.add_log_entry": TEAM_LOG,
    "adoption.list_waves": only("clinician", "supporter", "moderator", "site_lead", "admin"),
    "adoption.open_wave": only("site_lead", "admin"),
    "adoption.close_wave": ADOPTION_LEAD,
    "adoption.answer_wave": NOMAD_RESPONDENT,
    "adoption.save_answers": NOMAD_RESPONDENT,
    "adoption.nomad_results": only("site_lead", "admin"),
    "dashboard.show": only("site_lead", "researcher", "admin"),
    "dashboard.team_report": {"site_lead": SAME_SITE, "researcher": ALLOWED, "admin": ALLOWED},
    "dashboard.refresh": ADMIN,
    # Forum: relatives (their trust's own categories too), moderators and admins.
    "forum.list_categories": only("relative", "moderator", "admin"),
    "forum.view_category": FORUM_READER,
    "forum.new_thread": FORUM_READER,
    "forum.view_thread": FORUM_READER,
    "forum.reply_thread": FORUM_READER,
    "forum.follow_thread": FORUM_READER,
    "forum.report_post": FORUM_READER,
    "forum.search": only("relative", "moderator", "admin"),
    "forum.first_unread": FORUM_READER,
    "forum.show_post": FORUM_READER,
    "forum.thank_post": FORUM_READER,  # a post by another member of trust A: nobody thanks their own
    "forum.edit_post": {"relative": OWNER, **MODERATORS},
    "forum.delete_post": {"relative": OWNER},
    # Moderation.
    "forum.moderation_queue": MODERATORS,
    "forum.moderation_log": MODERATORS,
    "forum.to_read": MODERATORS,
    "forum.read_post": MODERATORS,
    "forum.low_score_posts": MODERATORS,
    "forum.mark_low_score_read": MODERATORS,
    "forum.moderate_post": MODERATORS,
    "forum.claim_item": MODERATORS,
    "forum.approve_post": MODERATORS,
    "forum.hide_post": MODERATORS,
    "forum.restore_post": MODERATORS,
    "forum.dismiss_post": MODERATORS,
    "forum.lock_thread": MODERATORS,
    "forum.escalate_post": MODERATORS,
    "forum.contact_author": MODERATORS,
    "forum.restrict_author": MODERATORS,
    "risk.list_phrases": MODERATORS,
    "risk.new_phrase": MODERATORS,
    "risk.edit_phrase": MODERATORS,
    "risk.toggle_phrase": MODERATORS,
    # Messages: a relative's own conversations; the team inbox for that team's supporters.
    "inbox.list_messages": only("relative"),
    "inbox.new_message": only("relative"),
    "inbox.view_message": {"relative": OWNER},
    "inbox.reply_message": {"relative": OWNER},
    "inbox.team_inbox": only("supporter"),
    "inbox.view_conversation": {**TEAM_SUPPORTER, "admin": ALLOWED},  # admins: only after giving a reason
    "inbox.open_with_reason": ADMIN,
    "inbox.reply_conversation": TEAM_SUPPORTER,
    "inbox.add_note": TEAM_SUPPORTER,
    "inbox.assign_conversation": TEAM_SUPPORTER,
    "inbox.change_status": TEAM_SUPPORTER,
    "inbox.change_priority": TEAM_SUPPORTER,
    "inbox.view_forum_post": TEAM_SUPPORTER,  # the post an escalation is about: not admins, not moderators
    "inbox.list_saved_replies": only("supporter"),
    "inbox.edit_saved_reply": TEAM_SUPPORTER,
    "inbox.edit_saved_reply /inbox/saved-replies/new": only("supporter"),
    "inbox.delete_saved_reply": TEAM_SUPPORTER,
    "inbox.inbox_figures": only("site_lead", "admin"),
    "inbox.access_log": only("site_lead", "admin"),
    # Modules for everyone signed in; progress, answers and the toolbox for relatives only.
    "modules.list_modules": SIGNED_IN,
    "modules.view_module": SIGNED_IN,
    "modules.view_section": SIGNED_IN,
    "modules.module_end": SIGNED_IN,
    # Clinical content review: reviews are recorded by content reviewers only; the status, each
    # module's reviews and the law register are for them and the staff who keep content current;
    # only an admin marks a law as changed; readers' comments are for the content staff.
    "reviews.content_status": CONTENT_STATUS,
    "reviews.module_reviews": CONTENT_STATUS,
    "reviews.record_review": only("content_reviewer"),
    "reviews.law_register": CONTENT_STATUS,
    "reviews.mark_law_changed": ADMIN,
    "reviews.give_feedback": SIGNED_IN,
    "reviews.list_feedback": only("content_reviewer", "admin"),
    "modules.complete_section": only("relative"),
    "modules.save_answer": only("relative"),
    "modules.view_toolbox": only("relative"),
    "modules.save_section": only("relative"),
    "modules.save_resource": {"relative": SAME_SITE},  # a local resource of trust A
    "modules.add_note": only("relative"),
    "modules.edit_note": {"relative": OWNER},
    "modules.move_item": {"relative": OWNER},
    "modules.remove_item": {"relative": OWNER},
    # The support map: each relative's own, and no staff role at all.
    "network.show_map": only("relative"),
    "network.add_entry": only("relative"),
    "network.edit_entry": {"relative": OWNER},
    "network.move_entry": {"relative": OWNER},
    "network.remove_entry": {"relative": OWNER},
    "network.confirm_map": only("relative"),
    "network.map_history": only("relative"),
    "network.edit_needs": only("relative"),
    "network.save_needs": only("relative"),
    "network.matched_help": only("relative"),
    "network.respond": {"relative": SAME_SITE},  # a local resource of trust A
    "outcomes.check_in": only("relative"),
    "outcomes.save_check_in": only("relative"),
    # The routine questionnaires: each relative's own answers, reached by nobody else by any route.
    "outcomes.list_measures": only("relative"),
    "outcomes.offer_measures": only("relative"),
    "outcomes.choose_offer": only("relative"),
    "outcomes.answer_measure": only("relative"),
    "outcomes.save_measure": only("relative"),
    "outcomes.view_result": only("relative"),
    "outcomes.share_summary": only("relative"),
    "outcomes.send_summary": only("relative"),
    # Notifications: each person chooses for themselves; an unsubscribe link is its own key and
    # needs no sign-in; only administrators see and retry notices that could not be sent.
    "notifications.edit_settings": SIGNED_IN,
    "notifications.confirm_unsubscribe": PUBLIC,
    "notifications.unsubscribe": PUBLIC,
    "notifications.list_failed": ADMIN,
    "notifications.retry_failed": ADMIN,
    "notifications.set_invitation_reminder": INVITATION,
    # Resources: everyone reads; supporters and site leads keep their trust's entries.
    "resources.list_resources": SIGNED_IN,
    "resources.visit_resource": {
        "relative": SAME_SITE,
        "clinician": SAME_SITE,
        "supporter": SAME_SITE,
        "moderator": SAME_SITE,
        "site_lead": SAME_SITE,
        "content_reviewer": SAME_SITE,
        "admin": ALLOWED,
    },
    "resources.manage_resources": only("supporter", "site_lead", "admin"),
    "resources.new_resource": only("supporter", "site_lead", "admin"),
    "resources.edit_resource": LOCAL_RESOURCE,
    "resources.retire_resource": LOCAL_RESOURCE,
    "resources.mark_resource_checked": LOCAL_RESOURCE,
    # Trusts, teams and bank holidays.
    "organisations.list_sites": only("site_lead", "admin"),
    "organisations.new_site": ADMIN,
    "organisations.new_team": {"site_lead": SAME_SITE, "admin": ALLOWED},
    "organisations.edit_team": {"site_lead": SAME_SITE, "admin": ALLOWED},
    "organisations.site_settings": {"site_lead": SAME_SITE, "admin": ALLOWED},
    "organisations.bank_holidays": ADMIN,
    "organisations.remove_bank_holiday": ADMIN,
    # Research exports.
    "research.list_exports": only("researcher", "admin"),
    "research.download_export": only("researcher", "admin"),
}

# Routes that take away or switch something later routes need: they run last, in this order.
LAST = (
    "forum.lock_thread",
    "forum.dismiss_post",
    "forum.delete_post",
    "modules.remove_item",
    "network.remove_entry",
    "inbox.delete_saved_reply",
    "auth.resend_invitation",
    "auth.withdraw_invitation",
    "resources.retire_resource",
    "organisations.remove_bank_holiday",
    "risk.toggle_phrase",
    "second_factor.remove_passkey",
    "auth.sign_out",
)


def expectation(endpoint: str, rule: str) -> dict[str, str] | None:
    """The entry for one rule, or None when the table does not mention it."""
    return ACCESS.get(f"{endpoint} {rule}", ACCESS.get(endpoint))


def outcome(entry: dict[str, str], role: str) -> str:
    return entry.get(role, DENIED)


def first_user(endpoint: str, rule: str) -> str:
    """Who to send a form as: someone signed out for the public ones (but sign-out), else the first role allowed."""
    entry = expectation(endpoint, rule)
    if outcome(entry, SIGNED_OUT) == ALLOWED and endpoint != "auth.sign_out":
        return SIGNED_OUT
    # A route nobody may use here (trust sign-in with no provider set up) is tried signed out.
    return next((role for role in ROLES[1:] if outcome(entry, role) != DENIED), SIGNED_OUT)

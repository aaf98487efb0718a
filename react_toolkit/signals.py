"""Domain events. Services send them; usage/ (and later features) listen.

Every signal is sent with the acting user (or None) as sender context and keyword
arguments holding ids only, never text a person typed.
"""

from blinker import Namespace

_signals = Namespace()

login_succeeded = _signals.signal("auth.login.succeeded")
login_failed = _signals.signal("auth.login.failed")
logged_out = _signals.signal("auth.session.ended")
password_changed = _signals.signal("auth.password.changed")
password_reset_requested = _signals.signal("auth.password_reset.requested")
invitation_sent = _signals.signal("auth.invitation.sent")
invitation_revoked = _signals.signal("auth.invitation.revoked")
invitation_accepted = _signals.signal("auth.invitation.accepted")
# Sent again under a new code (the object is the new invitation), or given more days.
invitation_resent = _signals.signal("auth.invitation.resent")
invitation_extended = _signals.signal("auth.invitation.extended")
registration_completed = _signals.signal("auth.registration.completed")
staff_account_created = _signals.signal("auth.staff_account.created")
# Sent with no sender and no object id: the event must not point back at the person.
account_erased = _signals.signal("auth.account.erased")
# The second factor: which method or reason (object_id), never a secret or a code.
second_factor_added = _signals.signal("second_factor.method.added")
second_factor_removed = _signals.signal("second_factor.method.removed")
second_factor_succeeded = _signals.signal("second_factor.check.succeeded")
second_factor_failed = _signals.signal("second_factor.check.failed")
recovery_codes_renewed = _signals.signal("second_factor.recovery_codes.renewed")
# Sent by the administrator, naming the account whose second factor was reset.
second_factor_reset = _signals.signal("second_factor.account.reset")
caseload_updated = _signals.signal("organisations.caseload.updated")
# A trust's settings changed (the object is the site); features keeping data under a setting listen.
site_settings_changed = _signals.signal("organisations.site.settings_changed")

# The page view (usage.page.viewed, written by the one hook in usage/recorder.py) is the only
# record that a page was shown. These three "read" events are not second page views: each is sent
# with the reading marker it belongs to (section progress, a thread's reader row, a conversation's
# read time), in the same transaction, only for people who have such markers, and also when page
# views are not recorded. The research exports (usage CSV, xAPI) have carried them since the first
# export, so dropping them would change what researchers count.
section_viewed = _signals.signal("modules.section.viewed")
section_completed = _signals.signal("modules.section.completed")
module_completed = _signals.signal("modules.module.completed")
exercise_saved = _signals.signal("modules.exercise.saved")
exercise_deleted = _signals.signal("modules.exercise.deleted")
toolbox_item_added = _signals.signal("modules.toolbox_item.added")
toolbox_item_removed = _signals.signal("modules.toolbox_item.removed")
resource_visited = _signals.signal("resources.resource.visited")
resource_changed = _signals.signal("resources.resource.changed")

inbox_message_sent = _signals.signal("inbox.message.sent")
inbox_conversation_read = _signals.signal("inbox.conversation.read")
inbox_conversation_assigned = _signals.signal("inbox.conversation.assigned")
inbox_conversation_closed = _signals.signal("inbox.conversation.closed")
inbox_auto_replied = _signals.signal("inbox.message.auto_replied")
inbox_note_added = _signals.signal("inbox.note.added")

forum_post_created = _signals.signal("forum.post.created")
forum_post_edited = _signals.signal("forum.post.edited")
forum_post_deleted = _signals.signal("forum.post.deleted")
forum_post_reported = _signals.signal("forum.post.reported")
forum_thread_read = _signals.signal("forum.thread.read")
forum_post_thanked = _signals.signal("forum.post.thanked")
forum_thanks_withdrawn = _signals.signal("forum.thanks.withdrawn")
forum_moderated = _signals.signal("forum.moderation.action")

# Clinical reviews of module content, changes to the law and guidance they rest on, and readers'
# "Was this page helpful?" answers (yes or no as the event's name; a comment never reaches an event).
module_review_recorded = _signals.signal("reviews.review.recorded")
law_change_recorded = _signals.signal("reviews.law_change.recorded")
page_found_helpful = _signals.signal("reviews.feedback.helpful")
page_found_unhelpful = _signals.signal("reviews.feedback.not_helpful")

checkin_completed = _signals.signal("outcomes.checkin.completed")
# The routine questionnaires: which answer set (object_id), never a score or an answer.
measure_completed = _signals.signal("outcomes.measure.completed")
measure_summary_shared = _signals.signal("outcomes.summary.shared")
measure_reminder_sent = _signals.signal("outcomes.reminder.sent")
export_created = _signals.signal("research.export.created")
staff_reminder_sent = _signals.signal("dashboard.staff_reminder.sent")

# The support-network map: that a map was made, changed or looked over, never what it holds.
network_map_created = _signals.signal("network.map.created")
network_map_changed = _signals.signal("network.map.changed")
network_map_reviewed = _signals.signal("network.map.reviewed")
network_needs_saved = _signals.signal("network.needs.saved")
# Matched help, by the suggestion's own id: which directory entry it was is not recorded.
network_suggestion_shown = _signals.signal("network.suggestion.shown")
network_suggestion_saved = _signals.signal("network.suggestion.saved")
network_suggestion_declined = _signals.signal("network.suggestion.declined")
network_suggestion_followed = _signals.signal("network.suggestion.followed")

# A reminder from the notifications feature: object_type "invitation" (an invitation about to end)
# or "user" (the nudge to a relative who has not been back), so figures can see who came back after.
notification_reminder_sent = _signals.signal("notifications.reminder.sent")

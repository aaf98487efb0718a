"""The roles a person can hold. A staff member may hold several."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

RELATIVE = "relative"
CLINICIAN = "clinician"
SUPPORTER = "supporter"
MODERATOR = "moderator"
SITE_LEAD = "site_lead"
RESEARCHER = "researcher"
ADMIN = "admin"
# A clinician who checks module content and records their review (name, registration, what they checked).
CONTENT_REVIEWER = "content_reviewer"

LABELS = {
    RELATIVE: _l("Relative or friend"),
    CLINICIAN: _l("Clinician"),
    SUPPORTER: _l("Supporter"),
    MODERATOR: _l("Moderator"),
    SITE_LEAD: _l("Site lead"),
    RESEARCHER: _l("Researcher"),
    ADMIN: _l("Administrator"),
    CONTENT_REVIEWER: _l("Content reviewer"),
}
ALL = tuple(LABELS)
STAFF = (CLINICIAN, SUPPORTER, MODERATOR, SITE_LEAD, RESEARCHER, ADMIN, CONTENT_REVIEWER)
# Roles a site lead may give to staff at their own site; admins may give any staff role.
SITE_LEAD_MAY_GRANT = (CLINICIAN, SUPPORTER, MODERATOR, SITE_LEAD)
INVITERS = (CLINICIAN, SUPPORTER)

"""The roles a person can hold. A staff member may hold several."""

from __future__ import annotations

RELATIVE = "relative"
CLINICIAN = "clinician"
SUPPORTER = "supporter"
MODERATOR = "moderator"
SITE_LEAD = "site_lead"
RESEARCHER = "researcher"
ADMIN = "admin"

LABELS = {
    RELATIVE: "Relative or friend",
    CLINICIAN: "Clinician",
    SUPPORTER: "Supporter",
    MODERATOR: "Moderator",
    SITE_LEAD: "Site lead",
    RESEARCHER: "Researcher",
    ADMIN: "Administrator",
}
ALL = tuple(LABELS)
STAFF = (CLINICIAN, SUPPORTER, MODERATOR, SITE_LEAD, RESEARCHER, ADMIN)
# Roles a site lead may give to staff at their own site; admins may give any staff role.
SITE_LEAD_MAY_GRANT = (CLINICIAN, SUPPORTER, MODERATOR, SITE_LEAD)
INVITERS = (CLINICIAN, SUPPORTER)

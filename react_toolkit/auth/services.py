"""Use cases for accounts: sign in and out, sessions, passwords, invitations, registration.

Each public function is one action and commits once; usage events ride on the
same commit through signals.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import segno
from flask import current_app, g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits import parse
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload, lazyload

from react_toolkit import signals
from react_toolkit.auth import attempts
from react_toolkit.auth import roles as R
from react_toolkit.auth.forum_names import forum_name_key
from react_toolkit.auth.models import AccountToken, Invitation, User, UserRole, UserSession
from react_toolkit.auth.passwords import hash_password, needs_rehash, verify_password
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db, limiter
from react_toolkit.i18n import language_of
from react_toolkit.notifications import services as notifications
from react_toolkit.organisations.models import Site, Team
from react_toolkit.timeutil import now

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud
CODE_LENGTH = 8
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


class ServiceError(Refusal):
    """Refused by this feature's rules."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _keyed(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


# Sessions ------------------------------------------------------------------


def start_session(user: User) -> str:
    """Create a server-side session for the user; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_token_hash(token)))
    user.session_token = token
    return token


@cache
def _live_session():
    # Built once per process, with the token as a parameter: building it cost as much as running it.
    return (
        select(UserSession)
        .where(UserSession.token_hash == bindparam("token_hash"), UserSession.revoked_at.is_(None))
        .options(
            joinedload(UserSession.user, User.role_rows),
            lazyload(UserSession.user, User.site),
            lazyload(UserSession.user, User.team, Team.hours),
        )
    )


def load_session(token: str) -> User | None:
    """The user behind a session token, if the session is live; ends idle or old sessions."""
    # Every request runs this: one query for the session, the user, their roles and team; the
    # site with its teams and the team's hours load only on the pages that ask for them.
    row = db.session.scalars(_live_session(), {"token_hash": _token_hash(token)}).unique().one_or_none()
    if row is None or not row.user.active:
        return None
    moment = now()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if row.last_seen_at + idle < moment or row.created_at + absolute < moment:
        row.revoked_at = moment
        row.revoked_reason = "idle" if row.last_seen_at + idle < moment else "expired"
        db.session.commit()
        g.session_ended = row.revoked_reason
        return None
    if moment - row.last_seen_at > LAST_SEEN_RESOLUTION:
        row.last_seen_at = moment
        db.session.commit()
    user = row.user
    user.session_token = token
    user.session_second_factor_at = row.second_factor_at
    return user


def pass_second_factor(user: User) -> None:
    """Record that this browser has passed the second factor, under a new session token.

    The token the browser held with only its password ends here, so a token seen before the
    second factor cannot ride on it afterwards. The new session keeps the old one's start, so
    the absolute limit on a session's length is unchanged. The caller commits; the second
    factor's views put the new token in the cookie (`g.session_token_renewed`).
    """
    moment = now()
    old = db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == _token_hash(user.session_token or ""), UserSession.revoked_at.is_(None)
        )
    )
    if old is None:
        return  # no browser to pass it (a command, or set-up done outside a request)
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_at=old.created_at,
            last_seen_at=moment,
            second_factor_at=moment,
        )
    )
    old.revoked_at = moment
    old.revoked_reason = "second_factor_passed"
    user.session_token = token
    user.session_second_factor_at = moment
    g.session_token_renewed = True


def end_every_session(user: User, reason: str) -> int:
    """End every session of the user, this one too; returns how many. The caller commits."""
    return _revoke_sessions(user, reason)


def keep_alive(user: User) -> None:
    """The person asked to stay signed in: restart the idle clock."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(user.session_token or ""))
        .values(last_seen_at=now())
    )
    db.session.commit()


def _revoke_sessions(user: User, reason: str, keep_token: str | None = None) -> int:
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep_token:
        query = query.where(UserSession.token_hash != _token_hash(keep_token))
    result = db.session.execute(query.values(revoked_at=now(), revoked_reason=reason))
    return result.rowcount or 0


def sign_out(user: User) -> None:
    """End this browser's session on the server."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(user.session_token or ""))
        .values(revoked_at=now(), revoked_reason="signed_out")
    )
    signals.logged_out.send(user)
    db.session.commit()


def sign_out_everywhere_else(user: User) -> int:
    """End every other session of this user; returns how many were ended."""
    count = _revoke_sessions(user, "signed_out_elsewhere", keep_token=user.session_token)
    db.session.commit()
    return count


# Sign in -------------------------------------------------------------------


def _address_limit(address: str) -> tuple:
    return parse(current_app.config["LOGIN_LIMIT_ADDRESS"]), "login-address", _keyed(address or "unknown")


TOO_MANY_ATTEMPTS = _l(
    "You have tried to sign in too many times. For your safety, wait 15 minutes "
    "and try again, or reset your password"
)
WRONG_DETAILS = _l("The email address or password is not right. Check them and try again")


def sign_in(email: str, password: str, address: str) -> User:
    """Check the password, within the per-account and per-address limits; start a session."""
    email = normalise_email(email)
    limit, *keys = _address_limit(address)
    strategy = limiter.limiter
    user = db.session.scalar(select(User).where(User.email == email))
    if attempts.is_locked(email) or not strategy.test(limit, *keys):
        signals.login_failed.send(user, object_type="reason", object_id="rate_limited")
        db.session.commit()
        raise ServiceError(TOO_MANY_ATTEMPTS, field="email", status=429)
    usable = user is not None and user.active
    # Checked even when there is no usable account (against a stand-in), so every attempt costs the same.
    right = verify_password(user.password_hash if usable else None, password)
    if not (usable and right):
        attempts.record_failure(email)
        strategy.hit(limit, *keys)
        signals.login_failed.send(user, object_type="reason", object_id="wrong_details")
        db.session.commit()
        raise ServiceError(WRONG_DETAILS, field="email", status=401)
    attempts.clear(email)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now()
    user.first_login_at = user.first_login_at or user.last_login_at
    start_session(user)
    signals.login_succeeded.send(user)
    db.session.commit()
    return user


# Passwords -----------------------------------------------------------------


TOO_MANY_GUESSES = _l(
    "You have typed a wrong password too many times. For your safety, wait 15 minutes and try again"
)


def confirm_password(user: User, password: str, field: str, wrong: str) -> None:
    """Check a signed-in person's password again, before a change that needs it.

    Wrong answers count against the same per-account limit as signing in, so a session left
    open on a shared computer cannot be used to guess the password.
    """
    email = normalise_email(user.email or "")
    if attempts.is_locked(email):
        raise ServiceError(TOO_MANY_GUESSES, field=field, status=429)
    if not verify_password(user.password_hash, password or ""):
        attempts.record_failure(email)
        db.session.commit()
        raise ServiceError(wrong, field=field)


def _end_account_links(user: User) -> None:
    """Every reset or welcome link of this user not yet used stops working (marked used, so kept)."""
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
        .values(used_at=now())
    )


def change_password(user: User, current: str, new: str) -> None:
    """Change the password, end every other session of this user and every link still waiting."""
    confirm_password(user, current, "current_password", _("Your current password is not right"))
    user.password_hash = hash_password(new)
    user.password_changed_at = now()
    _revoke_sessions(user, "password_changed", keep_token=user.session_token)
    _end_account_links(user)
    signals.password_changed.send(user)
    db.session.commit()


def _issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_token_hash(token),
            expires_at=now() + lifetime,
        )
    )
    return token


def _reset_allowed(email: str, address: str) -> bool:
    """Within the limits on reset emails per address asked for and per network address.

    Past them nothing is sent, so nobody can flood a person's inbox; the page answers as usual,
    and the same for an address with an account as for one without.
    """
    config = current_app.config
    limits = [
        (parse(config["RESET_LIMIT_ACCOUNT"]), "reset-account", _keyed(normalise_email(email))),
        (parse(config["RESET_LIMIT_ADDRESS"]), "reset-address", _keyed(address or "unknown")),
    ]
    return all([limiter.limiter.hit(limit, *keys) for limit, *keys in limits])


def request_password_reset(email: str, address: str = "") -> None:
    """Email a one-hour, single-use reset link if the account exists; say nothing either way.

    Both answers do the same work before the page goes: a token made and hashed, a message
    written. The message goes to the outbox and the worker sends it, so the wait tells nothing.
    """
    if not _reset_allowed(email, address):
        return
    # One query whether or not there is an account: its roles (for the event) come in the same one.
    user = (
        db.session.scalars(
            select(User).where(User.email == normalise_email(email)).options(joinedload(User.role_rows))
        )
        .unique()
        .one_or_none()
    )
    config = current_app.config
    minutes = config["PASSWORD_RESET_MINUTES"]
    token = secrets.token_urlsafe(32)
    token_hash = _token_hash(token)
    with language_of(user):
        subject = _("Reset your %(service)s password", service=config["SERVICE_NAME"])
        body = render_template(
            "auth/email/password_reset.txt",
            link=f"{config['BASE_URL']}/password/reset/{token}",
            minutes=minutes,
        )
    if user is None or not user.active:
        # Recorded as asked by nobody, as a sign-in with an unknown address is: one row either way.
        signals.password_reset_requested.send(None)
        db.session.commit()
        return
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose="reset",
            token_hash=token_hash,
            expires_at=now() + timedelta(minutes=minutes),
        )
    )
    notifications.enqueue("account.password_reset", user=user, subject=subject, body=body)
    signals.password_reset_requested.send(user)
    db.session.commit()


def find_account_token(token: str) -> AccountToken | None:
    """A live (unused, unexpired) reset or welcome link, or None."""
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _token_hash(token)))
    if row is None or row.used_at is not None or row.expires_at <= now():
        return None
    return row


def set_password_with_token(token: str, new: str) -> User:
    """Use a reset or welcome link once: set the password, end every session and every other link."""
    row = find_account_token(token)
    if row is None:
        raise ServiceError(_("This link has expired or has already been used. Ask for a new one"), status=410)
    user = row.user
    row.used_at = now()
    user.password_hash = hash_password(new)
    user.password_changed_at = now()
    _revoke_sessions(user, "password_reset")
    _end_account_links(user)
    signals.password_changed.send(user)
    db.session.commit()
    return user


# Invitations ---------------------------------------------------------------


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))
        if db.session.scalar(select(Invitation.id).where(Invitation.code == code)) is None:
            return code


def no_crisis_number_message(team: Team) -> str:
    """Why nobody in this team can invite yet, and who can put it right."""
    leads = [
        user.full_name
        for user in db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == R.SITE_LEAD, User.site_id == team.site_id, User.erased_at.is_(None))
            .order_by(User.full_name)
        )
        if user.full_name
    ]
    message = _(
        "%(team)s has no local crisis number yet, so nobody in it can invite relatives. "
        'Relatives must see their team\'s crisis number on the "Need help now?" page from the day they join.',
        team=team.name,
    )
    if leads:
        return (
            message
            + " "
            + _(
                'Your site lead (%(names)s) or an administrator can add it on the "Teams and caseloads" page.',
                names=", ".join(leads),
            )
        )
    return (
        message
        + " "
        + _('Your trust\'s site lead or an administrator can add it on the "Teams and caseloads" page.')
    )


def records_references(site) -> bool:
    """Whether clinicians at this site may record the trust's own reference on an invitation."""
    return bool(site is not None and site.record_invitation_reference)


def send_invitation_email(invitation: Invitation) -> None:
    """Put the relative's link and code in the outbox (for an invitation sent by email).

    The notice is added to the session, so it is sent only if the caller's commit happens.
    """
    if invitation.method != "email" or not invitation.email:
        return
    config = current_app.config
    notifications.enqueue(
        "invitation",
        email=invitation.email,
        subject=_("You are invited to the %(service)s", service=config["SERVICE_NAME"]),
        body=render_template(
            "auth/email/invitation.txt",
            link=f"{config['BASE_URL']}/register/{invitation.code}",
            code=format_code(invitation.code),
            team=invitation.team,
            days=current_app.config["INVITATION_DAYS"],
        ),
    )


def _check_team_can_invite(team: Team) -> None:
    if not (team.crisis_phone or "").strip():
        raise ServiceError(no_crisis_number_message(team), "team_id", 409)


def create_invitation(
    inviter: User,
    team: Team,
    method: str,
    email: str | None = None,
    *,
    label: str = "",
    reference: str | None = None,
    mobile: str | None = None,
) -> Invitation:
    """Invite a relative to join, by email link or printed code; valid for 14 days, once.

    A code can also go by text to a mobile number, which is kept only for the invitation's
    reminder (the notifications feature keeps it, and erases it with the invitation's other details).

    A team must have set its local crisis number first: relatives are told it is on the
    "Need help now?" page from the moment they join. The label is the team's private note; the
    reference is kept only where the site records references, and dropped otherwise.
    """
    _check_team_can_invite(team)
    days = current_app.config["INVITATION_DAYS"]
    reference = (reference or "").strip() or None
    number = notifications.normalise_mobile(mobile) if (mobile or "").strip() else None
    invitation = Invitation(
        code=_new_code(),
        method=method,
        email=normalise_email(email) if email else None,
        site_id=team.site_id,
        team_id=team.id,
        invited_by_id=inviter.id,
        expires_at=now() + timedelta(days=days),
        label=(label or "").strip(),
        record_reference=reference if records_references(team.site) else None,
    )
    db.session.add(invitation)
    db.session.flush()
    signals.invitation_sent.send(inviter, object_type="invitation", object_id=invitation.id)
    send_invitation_email(invitation)
    if number:
        text_invitation_code(invitation, number)
    db.session.commit()
    return invitation


def text_invitation_code(invitation: Invitation, mobile: str) -> None:
    """Put a text with the code in the outbox, and keep the number for the invitation's reminder.

    The text is fixed words: the service's short name, the code and its last day; the caller commits.
    """
    from react_toolkit.notifications import reminders
    from react_toolkit.timeutil import format_date

    notifications.enqueue(
        "invitation",
        mobile=mobile,
        sms={"code": format_code(invitation.code), "until": format_date(invitation.expires_at)},
    )
    reminders.remember_invitation_mobile(invitation, mobile)


def _still_open(invitation: Invitation, action: str) -> None:
    """Refuse to resend or extend an invitation that was used or withdrawn."""
    status = invitation.status(now())
    if status == "accepted":
        raise ServiceError(_("This invitation has been used. The relative has joined."), status=409)
    if status == "withdrawn":
        if action == "resend":
            message = _(
                "This invitation was withdrawn, so it cannot be sent again. "
                "Create a new invitation if you still want to invite them."
            )
        else:
            message = _(
                "This invitation was withdrawn, so it cannot be extended. "
                "Create a new invitation if you still want to invite them."
            )
        raise ServiceError(message, status=409)


def resend_invitation(actor: User, invitation: Invitation) -> Invitation:
    """Send an invitation again under a new code; the old code stops working.

    A new code means a code that was lost, or read by someone else, cannot be used any more. The
    new invitation keeps the same relative's details, label and reference, the same inviter, and
    names the first invitation of the chain, so the dashboard counts one relative.
    """
    _still_open(invitation, "resend")
    team = invitation.team
    _check_team_can_invite(team)
    moment = now()
    invitation.revoked_at = moment
    again = Invitation(
        code=_new_code(),
        method=invitation.method,
        email=invitation.email,
        site_id=invitation.site_id,
        team_id=invitation.team_id,
        invited_by_id=invitation.invited_by_id,
        expires_at=moment + timedelta(days=current_app.config["INVITATION_DAYS"]),
        label=invitation.label,
        record_reference=invitation.record_reference if records_references(team.site) else None,
        resent_from_id=invitation.chain_id,
    )
    db.session.add(again)
    db.session.flush()
    signals.invitation_resent.send(actor, object_type="invitation", object_id=again.id)
    send_invitation_email(again)
    from react_toolkit.notifications import reminders

    mobile = reminders.invitation_mobile(invitation)
    if mobile:
        text_invitation_code(again, mobile)
    db.session.commit()
    return again


def extend_invitation(actor: User, invitation: Invitation) -> Invitation:
    """Let a waiting (or expired) invitation work for another 14 days from now, under the same code."""
    _still_open(invitation, "extend")
    _check_team_can_invite(invitation.team)
    invitation.expires_at = now() + timedelta(days=current_app.config["INVITATION_DAYS"])
    signals.invitation_extended.send(actor, object_type="invitation", object_id=invitation.id)
    db.session.commit()
    return invitation


def resent_as(invitation: Invitation) -> Invitation | None:
    """The invitation this one was sent again as, if it was: the next of its chain."""
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.resent_from_id == invitation.chain_id, Invitation.id > invitation.id)
        .order_by(Invitation.id)
        .limit(1)
    )


def handout_qr(invitation: Invitation, label: str) -> Markup:
    """The registration link with the code as a QR code, drawn here as inline SVG."""
    link = f"{current_app.config['BASE_URL']}/register/{invitation.code}"
    svg = segno.make(link, error="m").svg_inline(
        scale=4, dark="#212b32", light="#ffffff", title=label, svgclass="react-handout__qr"
    )
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S704 - segno's own markup, our escaped label  # nosec B704


def home_panel(user: User) -> dict | None:
    """Home's summary for someone who invites: invitations waiting, relatives who joined this month."""
    from react_toolkit.auth.permissions import can_invite
    from react_toolkit.auth.queries import joined_this_month, waiting_invitations_of

    if not can_invite(user):
        return None
    waiting_count, waiting = waiting_invitations_of(user)
    joined = joined_this_month(user)
    if not waiting_count and not joined:
        return None
    return {"waiting_count": waiting_count, "waiting": waiting, "joined": joined}


def forget_references_when_turned_off(sender, object_id=None, **_fields) -> None:
    """A trust turned recording references off: the references kept at its sites go too, in the same commit."""
    site = db.session.get(Site, object_id) if object_id is not None else None
    if site is None or site.record_invitation_reference:
        return
    db.session.execute(
        update(Invitation)
        .where(Invitation.site_id == site.id, Invitation.record_reference.is_not(None))
        .values(record_reference=None)
    )


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been used."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = now()
        signals.invitation_revoked.send(actor, object_type="invitation", object_id=invitation.id)
        db.session.commit()


def check_invitation(code: str) -> Invitation:
    """The invitation for a code, or a refusal that says plainly what is wrong."""
    code = normalise_code(code)
    invitation = db.session.scalar(select(Invitation).where(Invitation.code == code)) if code else None
    if invitation is None:
        raise ServiceError(
            _("We cannot find this code. Check it against your invitation and try again"),
            field="code",
        )
    if invitation.accepted_at is not None:
        raise ServiceError(
            _(
                "This code has already been used. Each code works once. If you already have an account, sign in"
            ),
            field="code",
        )
    if invitation.revoked_at is not None or invitation.expires_at <= now():
        days = current_app.config["INVITATION_DAYS"]
        raise ServiceError(
            _(
                "This code has expired. Codes last %(days)s days. Ask the person who invited you for a new one",
                days=days,
            ),
            field="code",
        )
    return invitation


def invited_email(code: str) -> str | None:
    """The address an invitation still waiting was sent to, to fill in the form; None for any other code."""
    try:
        invitation = check_invitation(code)
    except ServiceError:
        return None
    return invitation.email if invitation.method == "email" else None


@dataclass
class Registration:
    email: str
    forum_name: str
    password: str
    research_consent: bool
    code: str = ""
    return_nudge: bool = False


def register_relative(data: Registration, address: str) -> User:
    """Create a relative's account from an invitation (or, where allowed, without one)."""
    limit = parse(current_app.config["REGISTRATION_LIMIT_ADDRESS"])
    keys = ("register-address", _keyed(address or "unknown"))
    if not limiter.limiter.hit(limit, *keys):
        raise ServiceError(
            _("There have been too many attempts to register from this network. Wait an hour and try again"),
            field="code",
            status=429,
        )
    invitation: Invitation | None = None
    if data.code.strip() or not current_app.config["ALLOW_SELF_REGISTRATION"]:
        if not data.code.strip():
            raise ServiceError(_("Enter the code from your invitation"), field="code")
        invitation = check_invitation(data.code)
    email = normalise_email(data.email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ServiceError(
            _(
                "There is already an account with this email address. "
                "Sign in, or reset your password if you have forgotten it"
            ),
            field="email",
        )
    key = forum_name_key(data.forum_name)
    if db.session.scalar(select(User.id).where(User.forum_name_key == key)) is not None:
        raise ServiceError(
            _("Someone else is already using this forum name. Choose another one"),
            field="forum_name",
        )
    moment = now()
    user = User(
        email=email,
        password_hash=hash_password(data.password),
        forum_name=data.forum_name.strip(),
        forum_name_key=key,
        site_id=invitation.site_id if invitation else None,
        team_id=invitation.team_id if invitation else None,
        terms_accepted_at=moment,
        research_consent=data.research_consent,
        research_consent_at=moment if data.research_consent else None,
        password_changed_at=moment,
        last_login_at=moment,
        first_login_at=moment,
    )
    user.role_rows.append(UserRole(role=R.RELATIVE))
    db.session.add(user)
    db.session.flush()
    if invitation is not None:
        invitation.accepted_at = moment
        invitation.accepted_by_id = user.id
        signals.invitation_accepted.send(user, object_type="invitation", object_id=invitation.id)
    signals.registration_completed.send(user)
    if data.return_nudge:
        notifications.choose_nudge(user, True)
    start_session(user)
    signals.login_succeeded.send(user)
    db.session.commit()
    return user


# Staff accounts ------------------------------------------------------------


def create_staff_account(
    actor: User | None,
    *,
    email: str,
    full_name: str,
    roles: list[str],
    site_id: int | None,
    team_id: int | None,
) -> User:
    """A site lead or admin adds a member of staff, who gets an emailed link to set a password."""
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ServiceError(_("There is already an account with this email address"), field="email")
    user = User(email=email, full_name=full_name.strip(), site_id=site_id, team_id=team_id)
    user.role_rows.extend(UserRole(role=role) for role in roles)
    db.session.add(user)
    db.session.flush()
    days = current_app.config["WELCOME_LINK_DAYS"]
    token = _issue_token(user, "welcome", timedelta(days=days))
    signals.staff_account_created.send(actor, object_type="user", object_id=user.id)
    config = current_app.config
    with language_of(user):
        notifications.enqueue(
            "account.welcome",
            user=user,
            subject=_("Your %(service)s account", service=config["SERVICE_NAME"]),
            body=render_template(
                "auth/email/welcome.txt", link=f"{config['BASE_URL']}/password/reset/{token}", days=days
            ),
        )
    db.session.commit()
    return user

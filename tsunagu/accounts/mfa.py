"""The second factor (docs/security.md): a TOTP app, with single-use recovery codes, through
django-otp's devices. The password sign-in is Django's; this module decides who owes a
second factor, marks the session once it is given, and enrols a device.

The session remembers the verified account's id (`VERIFIED`), so a request costs no
query more; `SecondFactorMiddleware` sends a signed-in account that owes it to the
verification (or enrolment) page and nowhere else."""

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagu.accounts.models import CENTRE_ROLES, Role, Staff
from tsunagu.audit.models import Action, record

# Roles that read personal records of the whole municipality (centre staff see
# whereabouts of their teams' people, the chief all of them; the officer reads
# addresses), and `admin`, who configures accounts: they must use a second factor.
REQUIRED_ROLES = frozenset({*CENTRE_ROLES, Role.MUNICIPAL_OFFICER, Role.ADMIN})
RECOVERY_CODES = 10

# Session keys: the id of the account that gave its second factor in this session, and
# of the account that signed in with a password and still owes it (an account that
# enrolled although its role does not require it).
VERIFIED = "tsunagu_second_factor"
PENDING = "tsunagu_second_factor_pending"

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def required_for(user: Staff) -> bool:
    """Whether the account must enrol and give a second factor at each sign-in."""
    return settings.TSUNAGU_MFA == "required" and user.role in REQUIRED_ROLES


def owes_second_factor(user: Staff, session: SessionBase) -> bool:
    if session.get(VERIFIED) == user.pk:
        return False
    return required_for(user) or session.get(PENDING) == user.pk


def has_device(user: Staff) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def signed_in(user: Staff, session: SessionBase) -> None:
    """After the password: the second factor is owed again, whatever the session held."""
    session.pop(VERIFIED, None)
    session.pop(PENDING, None)
    if has_device(user):
        session[PENDING] = user.pk


def mark_verified(user: Staff, session: SessionBase) -> None:
    session[VERIFIED] = user.pk
    session.pop(PENDING, None)


def verify(user: Staff, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts the code (a TOTP code or an unused recovery code), or None.
    django-otp refuses a TOTP code used before and slows down repeated failures."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    device = match_token(user, code)
    return device if isinstance(device, TOTPDevice | StaticDevice) else None


def pending_device(user: Staff) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (a new secret if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG path (no inline style, so the strict CSP allows it)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    # Drop the XML declaration: the SVG goes inline in the page.
    return svg[svg.index("<svg") :]


@transaction.atomic
def confirm_enrolment(user: Staff, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the new device with a code from the app: it replaces any earlier one, and
    new recovery codes replace the old. Returns the recovery codes (shown once), or None
    when the code is wrong."""
    if not device.verify_token("".join(code.split())):
        return None
    had_device = has_device(user)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    record(
        user,
        Action.CHANGE,
        user,
        changes={"second_factor": ["totp" if had_device else "", "totp"], "recovery_codes": RECOVERY_CODES},
        detail="二段階認証を登録" if not had_device else "二段階認証を登録し直し",
    )
    return codes


def new_recovery_codes(user: Staff) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


def remaining_recovery_codes(user: Staff) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset(user: Staff, *, by: Staff | None, reason: str) -> int:
    """Remove the account's devices (a lost phone): it enrols again at its next sign-in."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    record(by, Action.CHANGE, user, changes={"second_factor": ["totp", ""]}, detail=f"二段階認証を解除: {reason}"[:500])
    return removed


def describe(device: Any) -> str:
    return "recovery_code" if isinstance(device, StaticDevice) else "totp"

"""Test helpers for the second factor: give a persona an authenticator app and read
the code it would show now. Used by the request tests and the browser's `log_in`."""

import time
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagu.accounts.models import Staff


def enrolled(user: Staff) -> TOTPDevice:
    """The persona's confirmed TOTP device (made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    """The code the app shows now. The device forgets the last code it accepted, so that a
    test can sign the same persona in twice within one 30-second step."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def code_from_secret(secret_text: str) -> str:
    """The code an app shows now for a secret typed in from the enrolment page."""
    from base64 import b32decode

    key = b32decode("".join(secret_text.split()))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(client: Any, user: Staff, password: str) -> Any:
    """Sign in through the forms: the password, then the code. Returns the last response."""
    from django.urls import reverse

    client.post(reverse("accounts:login"), {"username": user.username, "password": password})
    device = enrolled(user)
    return client.post(reverse("accounts:second_factor"), {"code": code_now(device), "next": "/"})

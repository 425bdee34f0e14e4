"""Signing in as a consultant for the first time in real Chromium: the password, then
the enrolment of an authenticator app (QR code drawn under the strict CSP, the secret as
text), the recovery codes once, and the page asked for at first."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tsunagu.conftest import PASSWORD
from tsunagu.tests.second_factor import code_from_secret

pytestmark = pytest.mark.browser


def test_first_sign_in_enrols_the_second_factor(phone, world):
    phone.goto(phone.base_url + "/people/")
    phone.get_by_label("ユーザー名").fill("consultant")
    phone.get_by_label("パスワード").fill(PASSWORD)
    phone.get_by_role("button", name="ログイン").click()

    expect(phone.get_by_role("heading", name="二段階認証の登録")).to_be_visible()
    qr = phone.locator(".qr-code svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] > 100
    secret = phone.locator(".totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]+", secret)

    phone.get_by_label("確認コード").fill(code_from_secret(secret))
    phone.get_by_role("button", name="登録する").click()
    expect(phone.get_by_role("heading", name="二段階認証を登録しました")).to_be_visible()
    expect(phone.locator(".recovery-codes li")).to_have_count(10)
    assert TOTPDevice.objects.get(user=world.consultant).confirmed

    phone.get_by_role("link", name="保管しました。続ける").click()
    expect(phone).to_have_url(re.compile(r"/people/$"))
    assert phone.csp_errors == []

import pytest

from tsunagu.lib.contact import is_phone, normalise_email, normalise_phone, normalise_url


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０９０ー１２３４ー５６７８", "090-1234-5678"),
        ("090 1234 5678", "090-1234-5678"),
        ("0183‐72‐1234", "0183-72-1234"),
        ("０１８３（７２）１２３４", "0183(72)1234"),
        ("09012345678", "09012345678"),
        (" 0120－000－111 ", "0120-000-111"),
    ],
)
def test_a_phone_number_is_folded_to_half_width_with_hyphens(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "number", ["090-1234-5678", "0183-72-1234", "09012345678", "0120-000-111", "050-1234-5678", "110", "#7119"]
)
def test_japanese_numbers_have_the_shape_of_one(number):
    assert is_phone(normalise_phone(number))


@pytest.mark.parametrize("number", ["abc-defg", "1234-5678", "090-1234", "090-1234-56789", "12-34", "0901234567890"])
def test_what_is_no_japanese_number_is_refused(number):
    assert not is_phone(normalise_phone(number))


def test_a_full_width_email_is_folded_not_refused():
    assert normalise_email("ｔａｒｏ＠ＥＸＡＭＰＬＥ．ｊｐ ") == "taro@example.jp"
    assert normalise_email("Taro.Y@Example.JP") == "Taro.Y@example.jp"  # the local part is the owner's


def test_a_web_address_is_folded():
    assert normalise_url("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／ ") == "https://example.jp/"
    assert normalise_url("www.example.jp") == "https://www.example.jp"

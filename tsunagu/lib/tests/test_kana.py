import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.kana import is_kana, phone_key, search_key, to_katakana

HIRAGANA = st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096), min_size=1, max_size=12)
KATAKANA = st.text(alphabet=st.characters(min_codepoint=0x30A1, max_codepoint=0x30F6), min_size=1, max_size=12)


def test_the_four_spellings_of_yamada_taro_meet():
    keys = {search_key(s) for s in ["ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ たろう", "ヤマダ タロウ", "ヤマダ　タロウ", "ﾔﾏﾀﾞﾀﾛｳ"]}
    assert keys == {"ヤマダタロウ"}
    assert search_key("ﾔﾏﾀﾞ") == search_key("やまだ") == "ヤマダ"


def test_spacing_sound_marks_join_their_kana():
    # NFKC alone would turn the standalone ゛ into a space and a combining mark.
    assert search_key("カ゛ク") == search_key("ガク") == search_key("ｶﾞｸ")
    assert search_key("ハ゜ン") == search_key("パン")


def test_itaiji_and_width_fold():
    assert search_key("髙橋") == search_key("高橋")
    assert search_key("山﨑") == search_key("山崎")
    assert search_key("ＡＢＣ") == search_key("abc")
    assert search_key("渡邉") == search_key("渡辺")


def test_separators_are_ignored():
    assert search_key("山田・太郎") == search_key("山田 太郎") == "山田太郎"


@given(HIRAGANA)
def test_hiragana_and_katakana_give_the_same_key(text):
    katakana = "".join(chr(ord(c) + 0x60) for c in text)
    assert search_key(text) == search_key(katakana)


# Full-width katakana -> its half-width spelling, built from the Unicode tables.
_TO_HALF = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF66, 0xFF9E)}
_TO_HALF.update({"\u3099": "\uff9e", "\u309a": "\uff9f"})


def half_width(text):
    return "".join(_TO_HALF.get(ch, ch) for ch in unicodedata.normalize("NFD", text))


def test_half_width_helper_really_makes_half_width():
    assert half_width("ガクセイ") == "ｶﾞｸｾｲ"


@given(KATAKANA)
def test_half_width_katakana_folds_to_full_width(text):
    assert search_key(half_width(text)) == search_key(text)


@given(st.text(max_size=30))
def test_key_is_idempotent(text):
    once = search_key(text)
    assert search_key(once) == once


@given(st.text(max_size=30))
def test_key_has_no_whitespace_and_no_hiragana(text):
    key = search_key(text)
    assert not any(ch.isspace() for ch in key)
    assert not any(0x3041 <= ord(ch) <= 0x3096 for ch in key)


@given(st.lists(st.sampled_from(["ﾀﾞ", "だ", "ダ", "タ゛"]), min_size=1, max_size=6))
def test_every_spelling_of_da_folds_alike(parts):
    assert search_key("".join(parts)) == "ダ" * len(parts)


def test_to_katakana_keeps_spaces_and_folds_script():
    assert to_katakana("やまだ") == "ヤマダ"
    assert to_katakana("ﾔﾏﾀﾞ") == "ヤマダ"


def test_phone_key_keeps_only_digits_in_any_width():
    assert phone_key("０９０－１２３４－５６７８") == "09012345678"
    assert phone_key("090 1234 5678") == "09012345678"


def test_is_kana():
    assert is_kana("やまだ ﾀﾛｳ")
    assert is_kana("ヴィー")
    assert not is_kana("山田")
    assert not is_kana("yamada")

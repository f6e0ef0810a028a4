"""Shapes found on unseen Persian news (third pass): what the rule files' worked examples cannot say."""

import coopfacts


def test_change_word_before_does_not_cross_into_the_next_clause():
    claims = coopfacts.extract("ارزش پول ۸ فیصد افزایش یافته و حواله‌ها ۱۵ فیصد کاهش داشته است", lang="fa")
    assert [(c.value, c.to_dict()["change"]) for c in claims] == [(8, "increase"), (15, "decrease")]


def test_scale_after_a_decimal_word_scales_the_whole_in_every_language():
    cases = [("deux virgule cinq millions d'habitants", "fr"), ("2 virgule 5 millions d'habitants", "fr"),
             ("۲ ممیز ۵ میلیون نفر", "fa"), ("اثنان فاصلة خمسة مليون نسمة", "ar")]
    for text, lang in cases:
        assert [c.value for c in coopfacts.extract(text, lang=lang)] == [2_500_000], text
    assert [c.value for c in coopfacts.extract("12 virgule 25 pour cent", lang="fr")] == [12.25]


def test_connector_glued_after_zwnj_joins_number_words_and_nothing_else():
    assert [c.value for c in coopfacts.extract("دو هزار‌و‌پانصد نفر", lang="fa")] == [2500]
    assert coopfacts.extract("زیان‌ده بیست‌ودوم", lang="fa") == []

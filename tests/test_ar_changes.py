"""Arabic: which figure a change word marks (the word before a figure, never a ب-noun after it)."""
from __future__ import annotations

import pytest

import coopfacts


@pytest.mark.parametrize("text, span, change", [
    # a level followed by the change that brought it: the level is no change
    ("بلغت نسبة النجاح 83.5 في المئة بزيادة 2.1 نقطة مئوية", "83.5 في المئة", None),
    ("بلغت نسبة النجاح 83.5 في المئة بزيادة 2.1 نقطة مئوية", "2.1 نقطة مئوية", "increase"),
    ("وسجل النمو 3% بانخفاض طفيف عن العام الماضي", "3%", None),
    # the ب-noun before the figure still marks it
    ("ونمت المبيعات بزيادة 15 في المائة", "15 في المائة", "increase"),
    ("وانخفض العجز بتراجع قدره 8%", "8%", "decrease"),
])
def test_change_words_before_the_figure(text, span, change):
    claims = [c for c in coopfacts.extract(text, lang="ar") if c.text == span]
    assert len(claims) == 1, claims
    assert claims[0].to_dict().get("change") == change


def test_the_accusative_after_a_figure_still_marks_it():
    claims = [c for c in coopfacts.extract("وسجل المؤشر 2% ارتفاعا في ختام الجلسة", lang="ar") if c.text == "2%"]
    assert [c.to_dict().get("change") for c in claims] == ["increase"]

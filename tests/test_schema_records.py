"""Every record the tool writes for the samples validates against the shipped JSON Schema."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from coopfacts import extract

jsonschema = pytest.importorskip("jsonschema", reason="pip install jsonschema (in the test extra)")
ROOT = Path(__file__).resolve().parents[1]


def test_sample_records_validate():
    schema = json.loads(resources.files("coopfacts").joinpath("claim.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    n = 0
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    texts.append("de 2019 à 2023, entre 10 et 20 euros, le 29 مرداد")  # ranges
    texts.append("در سال ۱۴۰۱ و در مرداد ۱۴۰۲")  # Jalali year alone, Jalali month
    for t in texts:
        for c in extract(t, "auto", doc="x"):
            errors = sorted(validator.iter_errors(json.loads(json.dumps(c.to_dict()))), key=str)
            assert not errors, (c, [e.message for e in errors])
            n += 1
    assert n > 100

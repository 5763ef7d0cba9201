"""Property-based fuzzing of the shipped valid files (fuzzkit.py): whatever a file becomes, `coop verifier`
ends with 0, 1 (or 2 and a French message), never « Erreur interne » nor a traceback, in under 2 s,
and `coop formater` is idempotent and keeps the data. Deterministic (derandomize, no example database), about
2 minutes of CPU in all; scripts/fuzz.sh runs the long campaign."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzkit
from fuzzkit import FORMATS, MUTATIONS, Seed, check_case, mutate, scratch_copy, shipped_seeds

SEEDS = shipped_seeds()
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scratch_copy(tmp_path_factory.mktemp("fuzz"))


def assert_holds(root: Path, seed: Seed, data: bytes, output_format: str) -> None:
    outcome = check_case(root, seed, data, output_format)
    assert not outcome.problems, (seed.path, data[:300], outcome.problems)


@pytest.mark.parametrize("family", sorted(MUTATIONS))
@FUZZ
@given(
    seed=st.sampled_from(SEEDS),
    rng=st.randoms(use_true_random=False),
    output_format=st.sampled_from(FORMATS),
)
def test_a_mutated_file_never_crashes(fuzz_root, family, seed, rng: random.Random, output_format):
    assert_holds(fuzz_root, seed, mutate(rng, seed, (family,)), output_format)


@FUZZ
@given(
    seed=st.sampled_from(SEEDS),
    text=st.text(st.characters(codec=None), min_size=1, max_size=6),
    where=st.floats(0, 1),
    output_format=st.sampled_from(FORMATS),
)
def test_characters_of_every_unicode_category_never_crash(
    fuzz_root, seed, text, where, output_format
):
    at = round(where * len(seed.data))
    while at < len(seed.data) and (seed.data[at] & 0xC0) == 0x80:
        at += 1
    data = seed.data[:at] + text.encode("utf-8", "surrogatepass") + seed.data[at:]
    assert_holds(fuzz_root, seed, data, output_format)


@FUZZ
@given(
    seed=st.sampled_from(SEEDS),
    value=st.sampled_from(fuzzkit.HOSTILE_SCALARS),
    rng=st.randoms(use_true_random=False),
)
def test_every_hostile_scalar_in_every_place_never_crashes(
    fuzz_root, seed, value, rng: random.Random
):
    lines = seed.data.split(b"\n")
    valued = [
        index for index, line in enumerate(lines) if b": " in line and not line.startswith(b"#")
    ]
    index = rng.choice(valued)
    lines[index] = lines[index].split(b": ", 1)[0] + b": " + value.encode("utf-8")
    assert_holds(fuzz_root, seed, b"\n".join(lines), rng.choice(FORMATS))


def test_the_invariants_catch_a_crash(fuzz_root, monkeypatch):
    """The harness can fail: an exception raised inside validate is reported as a crash."""

    def boom(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr("coopps.checker.validate", boom)
    outcome = check_case(fuzz_root, SEEDS[0], SEEDS[0].data)
    assert outcome.crash and outcome.problems

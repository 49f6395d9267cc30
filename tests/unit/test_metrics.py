"""Tests for the metric functions (nlpbench.metrics): hand-worked values, equality with
scikit-learn / scipy.stats on random inputs, bounds, edge cases and the registry wiring."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import accuracy_score, f1_score, matthews_corrcoef

from nlpbench.metrics import METRICS
from nlpbench.metrics.classification import accuracy, f1, macro_f1, mcc
from nlpbench.metrics.regression import pearson, spearman

ALL_METRICS: dict[str, Callable[..., float]] = {
    "accuracy": accuracy,
    "f1": f1,
    "macro_f1": macro_f1,
    "mcc": mcc,
    "pearson": pearson,
    "spearman": spearman,
}
CLASSIFICATION = [accuracy, f1, macro_f1, mcc]
CORRELATION = [pearson, spearman]

ABS = 1e-9
FAST = settings(max_examples=120, deadline=None)


# --------------------------------------------------------------------------- strategies


@st.composite
def label_pairs(draw: st.DrawFn, max_classes: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Gold and predicted integer labels: same random length 2..200, 2..max_classes classes."""
    n = draw(st.integers(min_value=2, max_value=200))
    k = draw(st.integers(min_value=2, max_value=max_classes))
    labels = st.lists(st.integers(min_value=0, max_value=k - 1), min_size=n, max_size=n)
    return np.array(draw(labels)), np.array(draw(labels))


def binary_pairs() -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    return label_pairs(max_classes=2)


# Real-valued scores, and small integers (as floats) so that ties are frequent.
_reals = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False,
                   allow_subnormal=False)
_tied = st.integers(min_value=-4, max_value=4).map(float)


@st.composite
def score_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_value=2, max_value=200))
    elems = draw(st.sampled_from([_reals, _tied]))
    values = st.lists(elems, min_size=n, max_size=n)
    return np.array(draw(values)), np.array(draw(values))


def _quiet(fn: Callable[..., float], *args: object, **kwargs: object) -> float:
    """Call a reference implementation with its undefined-value warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(fn(*args, **kwargs))


def _same(actual: float, expected: float) -> None:
    if math.isnan(expected):
        assert math.isnan(actual), f"expected NaN, got {actual}"
    else:
        assert actual == pytest.approx(expected, abs=ABS)


# --------------------------------------------------------------------------- hand-worked


def test_accuracy_by_hand() -> None:
    # gold 0 1 1 0 1 / pred 0 1 0 0 0: positions 0, 1, 3 agree -> 3 / 5
    assert accuracy([0, 1, 1, 0, 1], [0, 1, 0, 0, 0]) == pytest.approx(0.6, abs=ABS)
    assert accuracy([2, 2, 2], [2, 2, 2]) == 1.0
    assert accuracy([0, 1], [1, 0]) == 0.0


def test_f1_by_hand() -> None:
    # gold 0 1 1 0 1 / pred 0 1 0 0 0, positive class 1:
    #   TP = 1 (pos 1), FP = 0, FN = 2 (pos 2, 4)
    #   F1 = 2TP / (2TP + FP + FN) = 2 / 4 = 0.5   (P = 1, R = 1/3, 2PR/(P+R) = 0.5)
    assert f1([0, 1, 1, 0, 1], [0, 1, 0, 0, 0]) == pytest.approx(0.5, abs=ABS)
    # gold 1 1 0 0 / pred 1 0 1 0: TP = 1, FP = 1, FN = 1 -> 2 / 4 = 0.5
    assert f1([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.5, abs=ABS)
    # positive class never gold nor predicted: F1 is 0 (sklearn's zero_division=0 value)
    assert f1([0, 0, 0], [0, 0, 0]) == 0.0
    # another positive label: gold a b b / pred a a b with positive "b":
    #   TP = 1, FP = 0, FN = 1 -> 2 / 3
    assert f1(["a", "b", "b"], ["a", "a", "b"], positive="b") == pytest.approx(2 / 3, abs=ABS)


def test_macro_f1_by_hand() -> None:
    # gold 0 0 1 1 2 2 / pred 0 1 1 1 2 0
    #   class 0: TP 1, FP 1 (pos 5), FN 1 (pos 1) -> 2 / 4 = 1/2
    #   class 1: TP 2, FP 1 (pos 1), FN 0        -> 4 / 5
    #   class 2: TP 1, FP 0, FN 1 (pos 5)        -> 2 / 3
    #   mean = (15 + 24 + 20) / 30 / 3 = 59 / 90
    gold, pred = [0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]
    assert macro_f1(gold, pred) == pytest.approx(59 / 90, abs=ABS)
    # A class seen only in predictions counts (F1 = 0): gold 0 0 / pred 0 1
    #   class 0: TP 1, FN 1 -> 2/3; class 1: FP 1 -> 0; mean = 1/3
    assert macro_f1([0, 0], [0, 1]) == pytest.approx(1 / 3, abs=ABS)
    # Explicit label list adds an absent class with F1 0: (1 + 1 + 0) / 3
    assert macro_f1([0, 1], [0, 1], labels=[0, 1, 2]) == pytest.approx(2 / 3, abs=ABS)


def test_mcc_binary_by_hand() -> None:
    # gold 1 1 1 1 0 0 0 0 / pred 1 1 1 0 0 0 0 1
    #                pred 1   pred 0
    #   gold 1       TP = 3   FN = 1
    #   gold 0       FP = 1   TN = 3
    # MCC = (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))
    #     = (9 - 1) / sqrt(4 * 4 * 4 * 4) = 8 / 16 = 0.5
    assert mcc([1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 1]) == pytest.approx(0.5, abs=ABS)
    # Asymmetric table TP 6, FN 2, FP 1, TN 3:
    #   (18 - 2) / sqrt((6+1)(6+2)(3+1)(3+2)) = 16 / sqrt(1120)
    gold = [1] * 8 + [0] * 4
    pred = [1] * 6 + [0] * 2 + [1] * 1 + [0] * 3
    assert mcc(gold, pred) == pytest.approx(16 / math.sqrt(1120), abs=ABS)
    assert mcc([0, 1, 0, 1], [0, 1, 0, 1]) == pytest.approx(1.0, abs=ABS)
    assert mcc([0, 1, 0, 1], [1, 0, 1, 0]) == pytest.approx(-1.0, abs=ABS)


def test_mcc_multiclass_by_hand() -> None:
    # gold 0 0 1 1 2 2 / pred 0 1 1 1 2 0; confusion C[gold][pred]:
    #            p0 p1 p2 | t
    #   g0        1  1  0 | 2
    #   g1        0  2  0 | 2
    #   g2        1  0  1 | 2
    #   p (cols)  2  3  1     c = trace = 4, s = 6
    # Gorodkin: (c*s - t.p) / sqrt((s^2 - p.p)(s^2 - t.t))
    #         = (24 - 12) / sqrt((36 - 14)(36 - 12)) = 12 / sqrt(528)
    assert mcc([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]) == pytest.approx(
        12 / math.sqrt(528), abs=ABS
    )


def test_mcc_constant_predictions_is_zero_like_sklearn() -> None:
    gold, pred = [0, 1, 0, 1, 1], [1, 1, 1, 1, 1]
    assert mcc(gold, pred) == 0.0
    assert _quiet(matthews_corrcoef, gold, pred) == 0.0
    # constant gold too
    assert mcc([2, 2, 2], [0, 1, 2]) == 0.0 == _quiet(matthews_corrcoef, [2, 2, 2], [0, 1, 2])


def test_pearson_by_hand() -> None:
    # x 1 2 3, y 1 3 2: centred x -1 0 1, y -1 1 0; sum xy = 1; |x| = |y| = sqrt 2 -> 1/2
    assert pearson([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5, abs=ABS)
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0, abs=ABS)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0, abs=ABS)
    # two points: exactly +-1, as scipy
    assert pearson([0.1, 0.3], [5.0, 2.0]) == -1.0


def test_pearson_is_scale_invariant_at_extreme_magnitudes() -> None:
    # Tiny values must not underflow to NaN, huge values must not overflow to 0.
    for scale in (1e-300, 1e-150, 1.0, 1e150, 1e200):
        x = np.array([1.0, 2.0, 3.0]) * scale
        assert pearson(x, [1, 3, 2]) == pytest.approx(0.5, abs=ABS)
        assert pearson(x, [1, 2, 3]) == pytest.approx(1.0, abs=ABS)


def test_spearman_by_hand_with_ties() -> None:
    # x 1 2 2 3 -> average ranks 1 2.5 2.5 4; y 1 2 3 4 -> ranks 1 2 3 4 (means 2.5)
    # centred: x -1.5 0 0 1.5, y -1.5 -0.5 0.5 1.5
    # sum xy = 4.5, sum xx = 4.5, sum yy = 5 -> rho = 4.5 / sqrt(22.5) = sqrt(0.9)
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(math.sqrt(0.9), abs=ABS)
    # monotone but non-linear: rho = 1 while r < 1
    x, y = [1, 2, 3, 4], [1, 8, 27, 64]
    assert spearman(x, y) == pytest.approx(1.0, abs=ABS)
    assert pearson(x, y) < 1.0 - 1e-3
    assert spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0, abs=ABS)


# --------------------------------------------------------------------------- vs references


@FAST
@given(label_pairs())
def test_accuracy_equals_sklearn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    gold, pred = pair
    assert accuracy(gold, pred) == pytest.approx(accuracy_score(gold, pred), abs=ABS)


@FAST
@given(binary_pairs())
def test_f1_equals_sklearn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    gold, pred = pair
    expected = _quiet(f1_score, gold, pred, pos_label=1, zero_division=0)
    assert f1(gold, pred) == pytest.approx(expected, abs=ABS)


@FAST
@given(label_pairs())
def test_f1_one_vs_rest_equals_sklearn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    # With more than two classes, f1 is the per-class F1 of the positive label.
    gold, pred = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        per_class = f1_score(gold, pred, labels=[1], average=None, zero_division=0)
    expected = float(per_class[0])
    assert f1(gold, pred) == pytest.approx(expected, abs=ABS)


@FAST
@given(label_pairs())
def test_macro_f1_equals_sklearn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    gold, pred = pair
    expected = _quiet(f1_score, gold, pred, average="macro")
    assert macro_f1(gold, pred) == pytest.approx(expected, abs=ABS)


@FAST
@given(label_pairs())
def test_mcc_equals_sklearn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    gold, pred = pair
    assert mcc(gold, pred) == pytest.approx(_quiet(matthews_corrcoef, gold, pred), abs=ABS)


@FAST
@given(score_pairs())
def test_pearson_equals_scipy(pair: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = pair
    _same(pearson(x, y), _quiet(lambda a, b: stats.pearsonr(a, b).statistic, x, y))


@FAST
@given(score_pairs())
def test_spearman_equals_scipy(pair: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = pair
    _same(spearman(x, y), _quiet(lambda a, b: stats.spearmanr(a, b).statistic, x, y))


def test_spearman_equals_scipy_with_heavy_ties() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        x = rng.integers(0, 3, size=40).astype(float)
        y = rng.integers(0, 3, size=40).astype(float)
        _same(spearman(x, y), _quiet(lambda a, b: stats.spearmanr(a, b).statistic, x, y))


# --------------------------------------------------------------------------- bounds


@FAST
@given(label_pairs())
def test_classification_bounds(pair: tuple[np.ndarray, np.ndarray]) -> None:
    gold, pred = pair
    for fn in (accuracy, f1, macro_f1):
        assert 0.0 <= fn(gold, pred) <= 1.0
    assert -1.0 <= mcc(gold, pred) <= 1.0


@FAST
@given(score_pairs())
def test_correlation_bounds(pair: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = pair
    for fn in CORRELATION:
        value = fn(x, y)
        assert math.isnan(value) or -1.0 <= value <= 1.0
        # symmetric in its arguments
        _same(fn(y, x), value)


# --------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize("fn", list(ALL_METRICS.values()), ids=list(ALL_METRICS))
def test_empty_input_raises(fn: Callable[..., float]) -> None:
    with pytest.raises(ValueError):
        fn([], [])


@pytest.mark.parametrize("fn", list(ALL_METRICS.values()), ids=list(ALL_METRICS))
def test_mismatched_lengths_raise(fn: Callable[..., float]) -> None:
    with pytest.raises(ValueError, match="equal length"):
        fn([0, 1, 1], [0, 1])


@pytest.mark.parametrize("fn", list(ALL_METRICS.values()), ids=list(ALL_METRICS))
def test_two_dimensional_input_raises(fn: Callable[..., float]) -> None:
    with pytest.raises(ValueError):
        fn([[0, 1], [1, 0]], [[0, 1], [1, 0]])


@pytest.mark.parametrize("fn", CORRELATION)
def test_correlation_needs_two_points(fn: Callable[..., float]) -> None:
    with pytest.raises(ValueError):
        fn([1.0], [2.0])


@pytest.mark.parametrize("value", [0.0, 0.1, 1 / 3, 0.7, 1e10 + 0.1])
@pytest.mark.parametrize("n", [2, 3, 7, 10, 101])
def test_pearson_of_constant_array_is_nan(value: float, n: int) -> None:
    # 0.1 * 3 etc.: the float mean differs from the elements, which must not give r = 0.
    const, other = [value] * n, list(range(n))
    assert math.isnan(pearson(const, other))
    assert math.isnan(pearson(other, const))
    assert math.isnan(_quiet(lambda a, b: stats.pearsonr(a, b).statistic, const, other))


def test_spearman_of_constant_array_is_nan() -> None:
    assert math.isnan(spearman([0.3] * 5, [1, 2, 3, 4, 5]))


def test_metrics_return_python_floats() -> None:
    for fn in CLASSIFICATION:
        assert type(fn([0, 1, 1], [0, 1, 0])) is float
    for fn in CORRELATION:
        assert type(fn([0.0, 1.0, 2.0], [0.0, 2.0, 1.0])) is float


# --------------------------------------------------------------------------- registry


def test_registry_resolves_every_metric() -> None:
    # the benchmark metrics registered beside these are covered by tests/unit/test_benchmark_metrics.py
    assert set(ALL_METRICS) <= set(METRICS.names())
    for name, fn in ALL_METRICS.items():
        assert METRICS.load(name) is fn
        assert METRICS.get(name).meta["higher_is_better"] is True

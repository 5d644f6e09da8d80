"""Ratios of two programs measured in the same rounds, and how sure a bar on them is.

This machine's noise moves whole runs by 10–30 % from one minute to the next, while two
programs measured one after the other inside a round see much the same machine. So the benchmarks
compare per round (the ratio of the two measurements of a round), and take the median of those
paired ratios. Its interval comes from order statistics: with n rounds, the k-th smallest and
k-th largest ratios bracket the true median with a probability the binomial distribution gives
whatever the noise's shape, so the interval assumes nothing but independent rounds. A bar is
met when the whole interval lies at or above it, missed when the whole interval lies below it,
and undecided otherwise: more rounds narrow the interval.
"""
import math
import statistics

CONFIDENCE = 0.90


def paired_ratios(ours, reference):
    """Round-by-round ratios: `ours[i] / reference[i]`, both lists in round order."""
    return [a / b for a, b in zip(ours, reference) if b > 0]


def median_interval(values, confidence=CONFIDENCE):
    """(low, high, coverage) bracketing the median of the distribution `values` were drawn from,
    with `coverage` ≥ `confidence`; None when there are too few values (fewer than 5 at 90 %)."""
    n = len(values)
    ordered = sorted(values)
    found = None
    for k in range(1, n // 2 + 1):
        # The chance that fewer than k of n values fall below the median.
        tail = sum(math.comb(n, i) for i in range(k)) / 2 ** n
        if tail > (1 - confidence) / 2:
            break
        found = (ordered[k - 1], ordered[n - k], 1 - 2 * tail)
    return found


def summary(ratios, bar=None, confidence=CONFIDENCE):
    """`median [low–high]` of the paired ratios, and with a `bar`, whether they meet it."""
    median = statistics.median(ratios)
    interval = median_interval(ratios, confidence)
    text = f"{median:.2f}" + (f" [{interval[0]:.2f}–{interval[1]:.2f}]" if interval else " [too few rounds]")
    if bar is None:
        return text
    if interval is None:
        verdict = "UNDECIDED (too few rounds)"
    elif interval[0] >= bar:
        verdict = "MEETS"
    elif interval[1] < bar:
        verdict = "MISSES"
    else:
        verdict = "UNDECIDED"
    return f"{text} {verdict}"

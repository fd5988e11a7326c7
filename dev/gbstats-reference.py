#!/usr/bin/env python3
"""Reference values for campaign_uplift's CUPED and Bayesian fields, computed by GrowthBook's
own statistics engine, gbstats 0.8.0 (CONTRACTS §3, "Added with the experimentation work").

Usage:
    python3 dev/gbstats-reference.py --gbstats PATH/packages/stats \
        --out jobs/src/test/resources/gbstats/uplift-reference.csv

Getting gbstats: clone https://github.com/growthbook/growthbook and check out the stats engine
that declares version 0.8.0 with the current API (packages/stats/pyproject.toml and
packages/stats/gbstats/__init__.py say version = "0.8.0"); the fixture was made from commit
8f1db4456915a8e7b7faf23d5632ca7219d2f469, where packages/stats last changed in 6199daa8b6
(2026-08-18):
    git clone https://github.com/growthbook/growthbook && git -C growthbook checkout 8f1db4456915
    python3 dev/gbstats-reference.py --gbstats growthbook/packages/stats --out ...
The version string has said 0.8.0 since June 2024 (c6b15529, the PyPI upload), but that early
code has another API (EffectBayesianABTest(stat_a, stat_b), result.chance_to_win) and no risk
short-circuit; the script refuses it, and any other version. It needs python3 with numpy and scipy only: when pydantic or pandas is not installed, a
shim stands in for it (see install_shims) — pydantic's dataclass decorator becomes the standard
library's, and pandas (used by gbstats only to build DataFrames, never here) becomes a stub. The
shim changes no computation: every argument handed to gbstats already has the type pydantic would
coerce it to (int counts, float sums), and `--shim always` reproduces the same file byte for byte
where pydantic is installed.

Every expected value comes from gbstats objects (SampleMeanStatistic, ProportionStatistic,
RegressionAdjustedStatistic, compute_theta, create_theta_adjusted_statistics, TwoSidedTTest,
EffectBayesianABTest); the only arithmetic done here is what the contract defines on top of them
(the z = 1.96 interval and the variance reduction). Self-checks at the end compare gbstats' results
with independent closed forms, which also proves the argument order (control first).

The per-user data is simulated with fixed numpy seeds, so the output is deterministic.
"""

import argparse
import csv
import dataclasses
import io
import math
import os
import sys
import types

import numpy as np
from scipy.stats import norm, t as student_t

Z = 1.96  # the contract fixes the CUPED interval's z


# ---------------------------------------------------------------------------------------------
# Importing gbstats without pandas (and without pydantic when it is missing)
# ---------------------------------------------------------------------------------------------

SHIMMED = []


def install_shims(mode):
    """Stand-ins for modules gbstats imports but does not need for these computations."""
    need_pydantic = mode == "always"
    if mode == "auto":
        try:
            import pydantic.dataclasses  # noqa: F401
        except ImportError:
            need_pydantic = True
    if need_pydantic:
        pyd = types.ModuleType("pydantic")
        pyd_dc = types.ModuleType("pydantic.dataclasses")

        def dataclass(_cls=None, **kwargs):
            # pydantic.dataclasses.dataclass validates and coerces field values; the stdlib one
            # stores them as given. Callers here pass values of the declared types already.
            if _cls is None:
                return lambda cls: dataclasses.dataclass(cls, **kwargs)
            return dataclasses.dataclass(_cls, **kwargs)

        pyd_dc.dataclass = dataclass
        pyd.dataclasses = pyd_dc
        sys.modules["pydantic"] = pyd
        sys.modules["pydantic.dataclasses"] = pyd_dc
        SHIMMED.append("pydantic.dataclasses.dataclass -> dataclasses.dataclass")
    need_pandas = mode == "always"
    if mode == "auto":
        try:
            import pandas  # noqa: F401
        except ImportError:
            need_pandas = True
    if need_pandas:
        pd = types.ModuleType("pandas")

        class DataFrame:  # only named in annotations of gbstats.models.results.*.to_df
            def __init__(self, *args, **kwargs):
                raise RuntimeError("pandas is not installed (stub from gbstats-reference.py)")

        pd.DataFrame = DataFrame
        sys.modules["pandas"] = pd
        SHIMMED.append("pandas -> stub module (DataFrame raises)")


def _source(fn):
    import inspect

    return inspect.getsource(fn)


def import_gbstats(path, shim_mode):
    install_shims(shim_mode)
    sys.path.insert(0, os.path.abspath(path))
    import gbstats

    if gbstats.__version__ != "0.8.0":
        sys.exit(f"gbstats-reference: need gbstats 0.8.0, found {gbstats.__version__} in {path}")
    # The submodules directly: gbstats.gbstats (the pandas-based runner) is never imported.
    from gbstats.models import statistics as st
    from gbstats.bayesian import tests as bt
    from gbstats.frequentist import tests as ft

    from gbstats.models import results

    result_type = getattr(results, "BayesianTestResult", None)
    fields = {f.name for f in dataclasses.fields(result_type)} if result_type else set()
    if "chanceToWin" not in fields or "abs(mu / sigma) > 37" not in _source(bt.EffectBayesianABTest.get_risk):
        sys.exit("gbstats-reference: this gbstats 0.8.0 is the 2024 code (no chanceToWin, no risk "
                 "short-circuit); check out growthbook 8f1db4456915 or later with version 0.8.0")

    return gbstats, st, bt, ft


# ---------------------------------------------------------------------------------------------
# Cases: per-user arrays (y = metric during the campaign, x = same metric in the lookback)
# ---------------------------------------------------------------------------------------------

METRICS = ("conversion", "revenue_per_user", "returns_per_user")


def simulate_arm(rng, n, conv_lift=1.0, value_lift=1.0, return_rate=0.06, base_rate=0.08,
                 return_heavy=False):
    """One arm's users, all three metrics, integer cents.

    A user's propensity to buy, spend level and habit of returning are shared between the lookback
    and the campaign window, which correlates x and y. Returns in a window can belong to orders
    from before it (in the campaign window: the lookback's orders), so net revenue can be negative.
    """
    propensity = rng.beta(0.3, 0.3 / base_rate - 0.3, size=n)
    spend = rng.lognormal(mean=0.0, sigma=0.9, size=n)
    returns_habit = rng.gamma(0.5, 2.0, size=n)  # mean 1, a few serial returners

    def window(lift, vlift, rr, earlier_paid):
        p = np.minimum(1.0, propensity * lift)
        bought = rng.random(n) < p
        orders = np.where(bought, 1 + rng.poisson(0.3 * spend), 0)
        # order values: lognormal around 60 yuan, a heavy tail of large baskets
        paid = np.zeros(n, dtype=np.int64)
        for k in range(1, int(orders.max(initial=0)) + 1):
            has = orders >= k
            v = rng.lognormal(mean=np.log(6000.0), sigma=1.1, size=n) * spend * vlift
            paid += np.where(has, np.rint(v).astype(np.int64), 0)
        # returns: some buyers return part of a basket; others return part of what they bought
        # earlier, occasionally a large item
        rate = np.minimum(1.0, rr * returns_habit)
        returner = rng.random(n) < np.where(bought, rate, rate / 3)
        frac = rng.uniform(0.2, 1.0, size=n)
        old_item = np.rint(rng.lognormal(mean=np.log(4000.0), sigma=1.3 if return_heavy else 0.9,
                                         size=n) * spend).astype(np.int64)
        old = np.where(earlier_paid > 0, np.rint(earlier_paid * frac).astype(np.int64), old_item)
        returned = np.where(returner, np.where(bought, np.rint(paid * frac).astype(np.int64), old), 0)
        return bought.astype(np.int64), paid - returned, returned, paid

    x_conv, x_rev, x_ret, x_paid = window(1.0, 1.0, return_rate, np.zeros(n, dtype=np.int64))
    y_conv, y_rev, y_ret, _ = window(conv_lift, value_lift, return_rate, x_paid)
    return {
        "conversion": (y_conv, x_conv),
        "revenue_per_user": (y_rev, x_rev),
        "returns_per_user": (y_ret, x_ret),
    }


def simulated_campaigns():
    """(name, n_t, n_c, seed, treatment kwargs, control kwargs)."""
    return [
        ("tiny_2v3", 2, 3, 101, dict(base_rate=0.5, conv_lift=1.2), dict(base_rate=0.5)),
        ("tiny_5v4", 5, 4, 102, dict(base_rate=0.6, return_rate=0.3), dict(base_rate=0.6, return_rate=0.3)),
        ("tiny_4v5", 4, 5, 103, dict(base_rate=0.7, value_lift=1.5), dict(base_rate=0.7)),
        ("few_hundred_lift", 300, 310, 201, dict(conv_lift=1.3, value_lift=1.1), dict()),
        ("few_hundred_null", 260, 240, 202, dict(), dict()),
        ("thousands_lift", 2400, 2500, 301, dict(conv_lift=1.08, value_lift=1.05), dict()),
        ("thousands_harm", 4800, 5100, 302, dict(conv_lift=0.9, return_rate=0.09), dict()),
        ("thousands_heavy_returns", 3000, 2950, 303,
         dict(return_rate=0.35, return_heavy=True, base_rate=0.05),
         dict(return_rate=0.45, return_heavy=True, base_rate=0.05)),
        ("large_100k", 100_000, 99_600, 401, dict(conv_lift=1.03, value_lift=1.02), dict()),
        ("large_holdout_5pct", 95_000, 5_000, 402, dict(conv_lift=1.05), dict()),
        ("large_100k_null", 99_800, 100_200, 403, dict(), dict()),
    ]


def arr(values):
    return np.array(values, dtype=np.int64)


def edge_cases():
    """Hand-made per-user data: (name, metric, (y_t, x_t), (y_c, x_c), note)."""
    rng = np.random.default_rng(901)
    big_c_y = rng.integers(9_900, 10_100, size=10_000)
    big_t_y = big_c_y + 10_000  # every treated user spends 100 yuan more: d = +1.0, tiny sd
    mid_x = rng.integers(0, 2, size=50)
    strong_c_y = rng.integers(4000, 6000, size=2000)
    strong_t_y = rng.integers(4300, 6300, size=2000)
    cases = [
        ("edge_pre_var0_new_users", "revenue_per_user",
         (arr([0, 5000, 12000, 0, 800, 0, 3000, 0]), arr([0] * 8)),
         (arr([0, 0, 4000, 700, 0, 9000, 0]), arr([0] * 7)),
         "no user had a lookback: pre variance 0 in both arms, theta 0"),
        ("edge_pre_var0_all_converted_before", "conversion",
         (arr([1, 0, 1, 1, 0, 1, 0, 1, 1, 1]), arr([1] * 10)),
         (arr([0, 1, 0, 1, 0, 0, 1, 0, 1]), arr([1] * 9)),
         "everyone converted in the lookback: pre variance 0 in both arms, theta 0"),
        ("edge_post_var0_treatment", "conversion",
         (arr([1] * 20), arr([1, 0] * 10)),
         (arr([1, 0, 1, 1, 0] * 5), arr([0, 1, 1, 0, 0] * 5)),
         "every treated user converted: treatment variance 0"),
        ("edge_control_mean0_conversion", "conversion",
         (arr([0, 0, 1, 0, 1, 0, 0, 0, 0, 1] * 5), arr(mid_x)),
         (arr([0] * 50), arr([1, 0, 0, 0, 0] * 10)),
         "no conversion in control: control mean and variance 0"),
        ("edge_control_mean0_net_revenue", "revenue_per_user",
         (arr([2500, 0, 0, 4100, -900, 0, 7000, 0, 0, 1200]), arr([0, 3000, 0, 0, 1500, 0, 0, 800, 0, 0])),
         (arr([3000, -3000, 0, 1500, 0, -1500, 600, 0, -600, 0]), arr([2000, 0, 0, 0, 900, 0, 0, 0, 400, 0])),
         "control net revenue sums to 0 with non-zero variance: gbstats' zero-baseline error"),
        ("edge_treatment_mean0_net_revenue", "revenue_per_user",
         (arr([2000, -2000, 0, 500, -500, 0, 0, 1000, -1000, 0]), arr([1000, 0, 0, 0, 700, 0, 0, 900, 0, 0])),
         (arr([3000, 0, 0, 1200, -400, 0, 2500, 0, 0, 800]), arr([2500, 0, 0, 600, 0, 0, 1800, 0, 0, 0])),
         "treatment mean 0, variance > 0: gbstats answers, the contract says null"),
        ("edge_negative_control_mean", "revenue_per_user",
         (arr([-1200, 0, 800, -300, 0, 1500, 0, -200, 0, 400, 0, 900]), arr([2000, 0, 1500, 800, 0, 900, 0, 600, 0, 0, 0, 1200])),
         (arr([-2500, 0, -800, 300, 0, -1500, 0, 200, -900, 0, 100]), arr([3000, 0, 1800, 0, 0, 2400, 0, 500, 1100, 0, 0])),
         "returns exceed purchases in control: negative baseline mean"),
        ("edge_negative_both_means", "revenue_per_user",
         (arr([-3000, 0, -500, 200, 0, -1500, 0, -200, -900, 0]), arr([3500, 0, 600, 0, 0, 2000, 0, 300, 1000, 0])),
         (arr([-1000, 0, -400, 100, 0, -600, 0, 0, -300, 0]), arr([1200, 0, 500, 0, 0, 700, 0, 0, 400, 0])),
         "both means negative, treatment more negative: relative lift by |control mean|"),
        ("edge_strong_effect", "revenue_per_user",
         (strong_t_y, strong_t_y + rng.integers(-900, 900, size=2000)),
         (strong_c_y, strong_c_y + rng.integers(-900, 900, size=2000)),
         "|d/sigma| about 16: chance to win rounds to 1.0, the risks are not short-circuited"),
        ("edge_huge_effect", "revenue_per_user",
         (big_t_y, big_c_y - 50), (big_c_y.copy(), big_c_y + 30),
         "treatment doubles revenue with a tiny sd: |d/sigma| > 37, risk short-circuit"),
        ("edge_huge_effect_inverse", "returns_per_user",
         (big_t_y, big_c_y - 50), (big_c_y.copy(), big_c_y + 30),
         "returns double (lower is better): risk short-circuit with the inverse flip"),
        ("edge_n1_treatment", "revenue_per_user",
         (arr([5400]), arr([3000])),
         (arr([0, 2500, 0, 8000, 1200, 0, 0, 4300, 600, 0]), arr([0, 1800, 0, 5000, 0, 0, 900, 2000, 0, 0])),
         "one treated user: treatment variance undefined (gbstats: 0)"),
        ("edge_n1_both", "revenue_per_user",
         (arr([5400]), arr([3000])), (arr([2000]), arr([1000])),
         "one user per arm: theta from the 2-user pool, no variance in either arm"),
        ("edge_equal_arms", "revenue_per_user",
         (arr([0, 2500, 0, 8000, 1200, 0, -300, 4300, 600, 0]), arr([0, 1800, 0, 5000, 0, 0, 900, 2000, 0, 0])),
         (arr([0, 2500, 0, 8000, 1200, 0, -300, 4300, 600, 0]), arr([0, 1800, 0, 5000, 0, 0, 900, 2000, 0, 0])),
         "identical arms: no effect, chance to win exactly 0.5"),
        ("edge_equal_arms_inverse", "returns_per_user",
         (arr([0, 0, 0, 3000, 0, 0, 0, 700, 0, 0, 0, 0]), arr([0, 1200, 0, 0, 0, 0, 0, 0, 0, 500, 0, 0])),
         (arr([0, 0, 0, 3000, 0, 0, 0, 700, 0, 0, 0, 0]), arr([0, 1200, 0, 0, 0, 0, 0, 0, 0, 500, 0, 0])),
         "identical arms of a lower-is-better metric"),
        ("edge_no_returns", "returns_per_user",
         (arr([0] * 30), arr([0] * 29 + [2500])), (arr([0] * 25), arr([0] * 25)),
         "no returns in the window in either arm: everything null but theta 0"),
        ("edge_fewer_returns", "returns_per_user",
         (arr([0] * 36 + [900, 0, 0, 1500]), arr([0] * 35 + [1200, 0, 0, 0, 600])),
         (arr([0] * 30 + [2000, 0, 400, 0, 0, 3100, 0, 0, 0, 700]), arr([0] * 32 + [2200, 0, 0, 0, 0, 1000, 0, 0])),
         "treatment returns less (lower is better): chance to win above 0.5"),
    ]
    return cases


def sums(y, x):
    y = [int(v) for v in y]
    x = [int(v) for v in x]
    return {
        "n": len(y),
        "sum_y": sum(y),
        "sum_y2": sum(v * v for v in y),
        "sum_x": sum(x),
        "sum_x2": sum(v * v for v in x),
        "sum_xy": sum(a * b for a, b in zip(x, y)),
    }


def all_cases():
    out = []
    for name, n_t, n_c, seed, kw_t, kw_c in simulated_campaigns():
        rng = np.random.default_rng(seed)
        arm_t = simulate_arm(rng, n_t, **kw_t)
        arm_c = simulate_arm(rng, n_c, **kw_c)
        for metric in METRICS:
            out.append((name, metric, sums(*arm_t[metric]), sums(*arm_c[metric])))
    for name, metric, t_arm, c_arm, _note in edge_cases():
        out.append((name, metric, sums(*t_arm), sums(*c_arm)))
    return out


# ---------------------------------------------------------------------------------------------
# Expected values, from gbstats objects
# ---------------------------------------------------------------------------------------------

def compute_row(gb, case, metric, t, c):
    _, st, bt, ft = gb
    inverse = metric == "returns_per_user"
    for arm in (t, c):  # exact as doubles, so Java's double arithmetic starts from the same inputs
        for k, v in arm.items():
            assert abs(v) < 2**53, (case, metric, k, v)

    def mean_stat(a, s, s2):
        return st.SampleMeanStatistic(n=int(a["n"]), sum=float(a[s]), sum_squares=float(a[s2]))

    def ra_stat(a):
        return st.RegressionAdjustedStatistic(
            n=int(a["n"]),
            post_statistic=mean_stat(a, "sum_y", "sum_y2"),
            pre_statistic=mean_stat(a, "sum_x", "sum_x2"),
            post_pre_sum_of_products=float(a["sum_xy"]),
            theta=None,
        )

    post_t, post_c = mean_stat(t, "sum_y", "sum_y2"), mean_stat(c, "sum_y", "sum_y2")
    ra_t, ra_c = ra_stat(t), ra_stat(c)
    n_t, n_c = t["n"], c["n"]
    row = {"case": case, "metric": metric, "inverse": inverse}
    for p, a in (("t", t), ("c", c)):
        for k in ("n", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy"):
            row[f"{k}_{p}"] = a[k]
    row["mean_t"], row["mean_c"] = post_t.mean, post_c.mean
    var_t = post_t.variance if n_t >= 2 else None
    var_c = post_c.variance if n_c >= 2 else None
    row["var_t"], row["var_c"] = var_t, var_c

    # CUPED: gbstats takes (control, treatment) = (stat_a, stat_b) everywhere
    theta = st.compute_theta(ra_c, ra_t)
    adj_c, adj_t = st.create_theta_adjusted_statistics(ra_c, ra_t)
    row["cuped_theta"] = theta
    row["pre_mean_t"], row["pre_mean_c"] = ra_t.pre_statistic.mean, ra_c.pre_statistic.mean
    row["mean_adj_t"], row["mean_adj_c"] = adj_t.mean, adj_c.mean
    var_adj_t = adj_t.variance if n_t >= 2 else None
    var_adj_c = adj_c.variance if n_c >= 2 else None
    row["var_adj_t"], row["var_adj_c"] = var_adj_t, var_adj_c
    lift = adj_t.mean - adj_c.mean
    row["cuped_lift_abs"] = lift
    if var_adj_t is not None and var_adj_c is not None:
        se = math.sqrt(var_adj_t / n_t + var_adj_c / n_c)
        row["cuped_ci_low"], row["cuped_ci_high"] = lift - Z * se, lift + Z * se
        unadj = var_t / n_t + var_c / n_c
        row["variance_reduction"] = (
            None if unadj == 0 else 1 - (var_adj_t / n_t + var_adj_c / n_c) / unadj)
    else:
        row["cuped_ci_low"] = row["cuped_ci_high"] = row["variance_reduction"] = None

    ttest = ft.TwoSidedTTest([(ra_c, ra_t)], ft.FrequentistConfig(difference_type="absolute"))
    tres = ttest.compute_result()
    if tres.errorMessage:
        row["gb_ttest_ci_low"] = row["gb_ttest_ci_high"] = None
    else:
        row["gb_ttest_ci_low"], row["gb_ttest_ci_high"] = tres.ci
        # gbstats derives its own theta inside the test: it must be the one reported above
        assert ttest.stat_a.mean == adj_c.mean and ttest.stat_b.mean == adj_t.mean, case
    row["gb_ttest_error"] = tres.errorMessage

    # Bayesian on the unadjusted means
    bres = bt.EffectBayesianABTest(
        [(post_c, post_t)], bt.EffectBayesianConfig(inverse=inverse)).compute_result()
    if bres.errorMessage:
        row["chance_to_win"] = row["risk_control"] = row["risk_treatment"] = None
    else:
        row["chance_to_win"] = bres.chanceToWin
        row["risk_control"], row["risk_treatment"] = bres.risk[0], bres.risk[1]
    row["bayes_error"] = bres.errorMessage
    row["bayes_null_by_contract"] = (
        post_t.mean == 0 or post_c.mean == 0 or post_t.variance <= 0 or post_c.variance <= 0)

    if metric == "conversion":
        pres = bt.EffectBayesianABTest(
            [(st.ProportionStatistic(n=int(n_c), sum=float(c["sum_y"])),
              st.ProportionStatistic(n=int(n_t), sum=float(t["sum_y"])))],
            bt.EffectBayesianConfig(inverse=inverse)).compute_result()
        row["ctw_proportion"] = None if pres.errorMessage else pres.chanceToWin
        row["bayes_error_proportion"] = pres.errorMessage
    else:
        row["ctw_proportion"] = row["bayes_error_proportion"] = None
    return row


COLUMNS = [
    "case", "metric", "inverse",
    "n_t", "sum_y_t", "sum_y2_t", "sum_x_t", "sum_x2_t", "sum_xy_t",
    "n_c", "sum_y_c", "sum_y2_c", "sum_x_c", "sum_x2_c", "sum_xy_c",
    "mean_t", "mean_c", "var_t", "var_c",
    "cuped_theta", "pre_mean_t", "pre_mean_c", "mean_adj_t", "mean_adj_c",
    "var_adj_t", "var_adj_c", "cuped_lift_abs", "cuped_ci_low", "cuped_ci_high",
    "variance_reduction", "gb_ttest_ci_low", "gb_ttest_ci_high", "gb_ttest_error",
    "chance_to_win", "risk_control", "risk_treatment", "bayes_error", "bayes_null_by_contract",
    "ctw_proportion", "bayes_error_proportion",
]


def cell(v):
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        assert math.isfinite(f), v
        return repr(f)
    return str(v)


# ---------------------------------------------------------------------------------------------
# Self-checks against closed forms (independent of gbstats' code paths)
# ---------------------------------------------------------------------------------------------

def close(a, b, rel=1e-9, abs_=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def self_check(rows):
    checked = {"ctw": 0, "risk": 0, "short_circuit": 0, "cuped": 0, "ttest": 0}
    for r in rows:
        n_t, n_c = r["n_t"], r["n_c"]
        m_t, m_c = r["sum_y_t"] / n_t, r["sum_y_c"] / n_c

        def var(s, s2, n):
            return (s2 - s * s / n) / (n - 1)

        # CUPED: pooled theta = Cov(X, Y) / Var(X) over both arms, sample moments with n-1
        n = n_t + n_c
        sy, sx = r["sum_y_t"] + r["sum_y_c"], r["sum_x_t"] + r["sum_x_c"]
        vy = var(sy, r["sum_y2_t"] + r["sum_y2_c"], n)
        vx = var(sx, r["sum_x2_t"] + r["sum_x2_c"], n)
        cxy = (r["sum_xy_t"] + r["sum_xy_c"] - sx * sy / n) / (n - 1)
        theta = 0.0 if vx == 0 or vy == 0 else cxy / vx
        assert close(r["cuped_theta"], theta), (r["case"], r["metric"], r["cuped_theta"], theta)
        for p, nn in (("t", n_t), ("c", n_c)):
            mean_adj = r[f"sum_y_{p}"] / nn - theta * r[f"sum_x_{p}"] / nn
            assert close(r[f"mean_adj_{p}"], mean_adj, abs_=1e-9), (r["case"], p)
            if nn >= 2:
                v = (var(r[f"sum_y_{p}"], r[f"sum_y2_{p}"], nn)
                     + theta**2 * var(r[f"sum_x_{p}"], r[f"sum_x2_{p}"], nn)
                     - 2 * theta * (r[f"sum_xy_{p}"] - r[f"sum_x_{p}"] * r[f"sum_y_{p}"] / nn) / (nn - 1))
                assert close(r[f"var_adj_{p}"], v, rel=1e-7, abs_=1e-6), (r["case"], p, r[f"var_adj_{p}"], v)
        checked["cuped"] += 1

        # gbstats' t-test interval: Welch-Satterthwaite dof, t quantile
        if r["gb_ttest_ci_low"] is not None:
            va, vb = r["var_adj_c"], r["var_adj_t"]
            se2 = va / n_c + vb / n_t
            dof = se2**2 / (vb**2 / (n_t**2 * (n_t - 1)) + va**2 / (n_c**2 * (n_c - 1)))
            hw = student_t.ppf(0.975, dof) * math.sqrt(se2)
            lift = r["mean_adj_t"] - r["mean_adj_c"]
            assert close(r["gb_ttest_ci_low"], lift - hw, abs_=1e-9), r["case"]
            assert close(r["gb_ttest_ci_high"], lift + hw, abs_=1e-9), r["case"]
            checked["ttest"] += 1

        # Bayesian: flat prior, relative effect d = (m_t - m_c)/|m_c|,
        # sigma^2 = v_t/(n_t m_c^2) + m_t^2 v_c/(n_c m_c^4)
        if r["chance_to_win"] is None:
            continue
        v_t = var(r["sum_y_t"], r["sum_y2_t"], n_t)
        v_c = var(r["sum_y_c"], r["sum_y2_c"], n_c)
        d = (m_t - m_c) / abs(m_c)
        sigma = math.sqrt(v_t / (n_t * m_c**2) + m_t**2 * v_c / (n_c * m_c**4))
        ctw = norm.cdf(d / sigma)
        if r["inverse"]:
            ctw = 1 - ctw
        assert close(r["chance_to_win"], ctw, rel=1e-9, abs_=1e-12), (r["case"], r["chance_to_win"], ctw)
        checked["ctw"] += 1
        # expected loss of choosing control = E[max(D, 0)], of treatment = E[max(-D, 0)]
        z = d / sigma
        if abs(z) > 37:
            loss_c, loss_t = max(d, 0.0), max(-d, 0.0)
            checked["short_circuit"] += 1
        else:
            loss_c = d * norm.cdf(z) + sigma * norm.pdf(z)
            loss_t = -d * norm.cdf(-z) + sigma * norm.pdf(z)
        if r["inverse"]:
            loss_c, loss_t = loss_t, loss_c
        assert close(r["risk_control"], loss_c, rel=1e-7, abs_=1e-12), (r["case"], r["risk_control"], loss_c)
        assert close(r["risk_treatment"], loss_t, rel=1e-7, abs_=1e-12), (r["case"], r["risk_treatment"], loss_t)
        checked["risk"] += 1
    return checked


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gbstats", required=True, help="path to growthbook's packages/stats")
    ap.add_argument("--out", required=True, help="CSV to write")
    ap.add_argument("--shim", choices=("auto", "always"), default="auto",
                    help="auto: stand in for pydantic/pandas only when missing (default); "
                         "always: use the stand-ins even when installed (to show they change nothing)")
    args = ap.parse_args()
    gb = import_gbstats(args.gbstats, args.shim)

    rows = [compute_row(gb, *case) for case in all_cases()]
    names = [(r["case"], r["metric"]) for r in rows]
    assert len(set(names)) == len(names)
    checked = self_check(rows)
    # the cases must cover what they are for
    assert any(r["bayes_null_by_contract"] and r["chance_to_win"] is not None for r in rows)
    assert checked["short_circuit"] >= 2
    # gbstats never refuses where the contract asks for a value
    assert all(r["bayes_null_by_contract"] for r in rows if r["bayes_error"]), "contract gap"

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([cell(r[k]) for k in COLUMNS])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    print(f"gbstats {gb[0].__version__} from {args.gbstats}; shims: {SHIMMED or 'none'}",
          file=sys.stderr)
    print(f"{len(rows)} rows -> {args.out}; self-checks passed: {checked}", file=sys.stderr)


if __name__ == "__main__":
    main()

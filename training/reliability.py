"""How well confidences match how often the values are right: the expected calibration error, a
summary of a set of scored leaves and the review threshold."""

from __future__ import annotations

TARGET_PRECISION = 0.99  # the review threshold: lowest confidence at and above which leaves are this right


def ece(p, y, edges=(0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0)) -> float:
    """Expected calibration error over the reliability table's bins."""
    import numpy as np

    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    return float(sum(abs(p[idx == b].mean() - y[idx == b].mean()) * (idx == b).sum() for b in range(len(edges) - 1) if (idx == b).any()) / max(1, len(p)))


def summary(p, y) -> dict[str, float]:
    import numpy as np

    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    eps = 1e-6
    high = p >= 0.95
    return {
        "leaves": int(len(p)),
        "ece": round(ece(p, y), 4),
        "brier": round(float(((p - y) ** 2).mean()), 4),
        "log_loss": round(float(-(y * np.log(np.clip(p, eps, 1)) + (1 - y) * np.log(np.clip(1 - p, eps, 1))).mean()), 4),
        "share_at_0.95": round(float(high.mean()), 4),
        "accuracy_at_0.95": round(float(y[high].mean()), 4) if high.any() else None,
    }


def review_threshold(p, y, precision: float = TARGET_PRECISION, support: float = 0.01) -> float:
    """The lowest confidence t at which the leaves at or above t are ``precision`` right
    (over at least ``support`` of all leaves); 1.0 when no such t exists.

    >>> review_threshold([0.5, 0.8, 0.9, 0.99], [0, 1, 1, 1], precision=0.99, support=0.0)
    0.8
    """
    import numpy as np

    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    order = np.argsort(-p, kind="stable")
    ps, right = p[order], np.cumsum(y[order]) / np.arange(1, len(p) + 1)
    ok = np.nonzero((right >= precision) & (np.arange(1, len(p) + 1) >= support * len(p)))[0]
    # a threshold includes every leaf tied with it: only cut between different confidences
    cuts = [k for k in ok if k + 1 == len(ps) or ps[k + 1] < ps[k]]
    return round(float(ps[max(cuts)]), 4) if cuts else 1.0


#: The review threshold's goal: records with an empty review list are at least this share exactly right.
RECORD_GOAL = 0.98
#: ... over at least this share of the records (a threshold clearing a handful of records proves nothing).
MIN_CLEAR = 0.05


def record_review_threshold(p, doc, exact, goal: float = RECORD_GOAL, support: float = MIN_CLEAR) -> float:
    """The lowest confidence t at which the records whose every leaf is at or above t (an empty
    review list) are ``goal`` exactly right, over at least ``support`` of the records; 1.0 when
    no such t exists. ``doc`` gives each leaf's record (an index into ``exact``).

    >>> record_review_threshold([0.99, 0.97, 0.9, 0.8, 0.85], [0, 0, 1, 2, 3], [True, True, False, True], support=0.0)
    0.85
    """
    import numpy as np

    lowest: dict[int, float] = {}
    for value, d in zip(np.asarray(p, dtype=float), doc):
        lowest[int(d)] = min(lowest.get(int(d), 1.0), float(value))
    if not lowest:
        return 1.0
    records = sorted(lowest, key=lambda d: -lowest[d])
    minima = np.asarray([lowest[d] for d in records])
    share = np.cumsum([bool(exact[d]) for d in records]) / np.arange(1, len(records) + 1)
    ok = [k for k in range(len(records)) if share[k] >= goal and k + 1 >= support * len(records)
          and (k + 1 == len(records) or minima[k + 1] < minima[k])]
    return round(float(minima[max(ok)]), 4) if ok else 1.0


def records_clear(p, doc, exact, threshold: float) -> tuple[int, int, float | None]:
    """(records, records with an empty review list at ``threshold``, the share of those exactly right).

    >>> records_clear([0.99, 0.97, 0.9], [0, 0, 1], [True, False], 0.95)
    (2, 1, 1.0)
    """
    lowest: dict[int, float] = {}
    for value, d in zip(p, doc):
        lowest[int(d)] = min(lowest.get(int(d), 1.0), float(value))
    clear = [d for d, m in lowest.items() if m >= threshold]
    return len(lowest), len(clear), (round(sum(bool(exact[d]) for d in clear) / len(clear), 4) if clear else None)

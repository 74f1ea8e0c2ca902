"""Pain on the VAS 0-10 scale: three kinds, each relieved by the treatments that act on it.

Biological pain (constant, worse at night) grows with the untreated tumour; radicular pain comes
with high-grade compression in patients whose roots are involved; mechanical pain follows a
fracture until the spine is stabilised. Tumour pain (biological + radicular) responds to
tumoricidal treatment by the international consensus classes (Chow et al.): a complete response
removes it, a partial one leaves ``partial_residual`` of it, no response leaves it; it returns at
the episode's pain relapse. Decompression removes radicular pain; stabilisation, cement or a brace
act on mechanical pain.
"""

from __future__ import annotations

from simulator.model.patient import Episode, Patient
from simulator.parameters.schema import Pain, Treatment
from simulator.vocabulary import DAYS_PER_MONTH, TREATMENT, PainResponse

#: Consensus endpoints (Chow 2002/2012): a response is a drop of at least this many VAS points.
RESPONSE_POINTS = 2.0


def untreated_tumour_pain(p: Patient, day: float, pain: Pain, treatment: Treatment) -> tuple[float, float]:
    """(biological, radicular) VAS on ``day`` if nothing had relieved them."""
    if day < p.onset_day:
        return 0.0, 0.0
    biological = min(pain.biological_vas_max,
                     pain.biological_vas_at_onset
                     + pain.biological_vas_per_month * (day - p.onset_day) / DAYS_PER_MONTH)
    if p.bone_agent:
        biological = max(0.0, biological - treatment.bone_agent_vas_drop)
    radicular = pain.radicular_vas if p.radicular and day >= p.escc2_day else 0.0
    return biological, radicular


def _relieving(p: Patient, day: float) -> Episode | None:
    """The latest episode whose tumour-pain relief holds on ``day``."""
    for episode in reversed(p.episodes):
        if episode.relief_day <= day < episode.pain_relapse_day:
            return episode
    return None


def _decompressed(p: Patient, day: float) -> bool:
    """Radicular pain is gone from a decompressing operation until the lesion progresses again."""
    return any(TREATMENT[e.kind].decompresses and e.surgery_day <= day < e.neuro_relapse_day for e in p.episodes)


def _mechanical(p: Patient, day: float, pain: Pain) -> float:
    if day < p.fracture_day:
        return 0.0
    started = [e for e in p.episodes if e.start_day <= day]
    if any(e.stabilised for e in started):
        return 0.0
    return max(0.0, pain.mechanical_vas - sum(e.mechanical_relief for e in started))


def exact_vas(p: Patient, day: float, pain: Pain, treatment: Treatment) -> float:
    """Pain intensity (VAS 0-10) on ``day``, unrounded."""
    if day < p.onset_day:
        return 0.0
    biological, radicular = untreated_tumour_pain(p, day, pain, treatment)
    if _decompressed(p, day):
        radicular = 0.0
    episode = _relieving(p, day)
    if episode is not None:
        biological *= episode.residual
        radicular *= episode.residual
    return min(10.0, biological + radicular + _mechanical(p, day, pain))


def vas_at(p: Patient, day: float, pain: Pain, treatment: Treatment) -> float:
    """Pain intensity (VAS 0-10, one decimal, as reported) on ``day``."""
    return round(exact_vas(p, day, pain, treatment), 1)


def breakpoints(p: Patient, pain: Pain, treatment: Treatment, stop: float) -> list[float]:
    """Days on which the pain formula changes; between two of them the VAS is linear in time."""
    days = {p.onset_day, p.escc2_day, p.fracture_day}
    growth = pain.biological_vas_per_month
    if growth > 0:
        days.add(p.onset_day + (pain.biological_vas_max - pain.biological_vas_at_onset) / growth * DAYS_PER_MONTH)
    for e in p.episodes:
        days.update((e.start_day, e.surgery_day, e.relief_day, e.pain_relapse_day, e.neuro_relapse_day))
    return sorted(d for d in days if p.onset_day <= d < stop)


def band_intervals(p: Patient, stop: float, bands: tuple[tuple[str, float, float], ...], pain: Pain,
                   treatment: Treatment) -> list[tuple[float, float, str]]:
    """``(from, to, band)`` pieces of the VAS from symptom onset to ``stop``, with exact band crossings.

    ``bands`` are ``(name, low, high)`` with ``low <= VAS < high`` (a band with low == high == 0 is no pain).
    The VAS is linear between :func:`breakpoints` (the 10-point cap included), so each crossing of a
    band edge is found exactly by interpolation.
    """
    if p.onset_day >= stop:
        return []

    def band(v: float) -> str:
        for name, low, high in bands:
            if (low == high == v) or (low <= v < high and not low == high):
                return name
        return bands[-1][0]

    cuts = breakpoints(p, pain, treatment, stop) + [stop]
    pieces: list[tuple[float, float, str]] = []
    edges = sorted({edge for _n, low, high in bands for edge in (low, high) if 0.0 < edge <= 10.0})
    for a, b in zip(cuts, cuts[1:], strict=False):  # distinct and increasing: breakpoints are < stop
        va, vb = exact_vas(p, a, pain, treatment), exact_vas(p, (b - 1e-9) if b < float("inf") else a, pain, treatment)
        points = [a]
        if vb != va:
            for edge in edges:
                if min(va, vb) < edge <= max(va, vb):
                    points.append(a + (edge - va) / (vb - va) * (b - a))
        points = sorted(set(points)) + [b]
        for x, y in zip(points, points[1:], strict=False):
            if y > x:
                name = band(exact_vas(p, x + (y - x) / 2.0 if y < float("inf") else x, pain, treatment))
                if pieces and pieces[-1][2] == name and pieces[-1][1] == x:
                    pieces[-1] = (pieces[-1][0], y, name)
                else:
                    pieces.append((x, y, name))
    return pieces


def residual_share(response: str, treatment: Treatment) -> float:
    """Share of tumour pain left while a response of this class lasts."""
    if response == PainResponse.COMPLETE:
        return 0.0
    if response == PainResponse.PARTIAL:
        return treatment.pain_partial_residual
    return 1.0


def draw_response(u: float, complete: float, partial: float) -> str:
    """The consensus response class for uniform ``u`` (complete first, then partial, else none)."""
    if u < complete:
        return PainResponse.COMPLETE
    if u < complete + partial:
        return PainResponse.PARTIAL
    return PainResponse.NONE


def points_lower(before: float, after: float) -> float:
    """VAS points from ``before`` down to ``after`` (negative if pain rose), exact for one-decimal scores.

    Rounded so that a drop of exactly two points between one-decimal scores (e.g. 2.3 -> 0.3, whose
    floating-point difference is 1.9999999999999998) counts as two points.
    """
    return round(before - after, 6)


def consensus_endpoint(before: float, after: float) -> str:
    """The international consensus endpoint of a pain change (Chow 2012).

    Complete, partial, progression or indeterminate; pain must be present before.
    """
    if after == 0.0:
        return "complete"
    drop = points_lower(before, after)
    if drop >= RESPONSE_POINTS:
        return "partial"
    if -drop >= RESPONSE_POINTS:
        return "progression"
    return "indeterminate"

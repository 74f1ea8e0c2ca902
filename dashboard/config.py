"""Dashboard settings: caps on run size, defaults shown in the forms, and where results are cached."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}


class ConfigError(ValueError):
    """A setting that cannot be used (the message names it and what is allowed)."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} = {raw!r}: must be a whole number (unset it for the default {default})") from None


def env_flag(name: str, default: bool = False) -> bool:
    """A boolean environment variable, read with an explicit {"1","true","yes","on"} check."""
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in _TRUE


@dataclass(frozen=True)
class DashboardConfig:
    """What a dashboard user may ask for, and the defaults the forms start at.

    ``max_patients`` caps the cohort per scenario and replication (patients);
    ``max_replications`` caps the replications per run; ``cache_dir`` holds the background-job
    and result caches (a fresh temporary directory when ``None``). A sensitivity analysis runs many
    simulations, so it is also capped in simulations (scenario variants x replications), in
    simulated patient histories (simulations x patients), in sweep values, tornado parameters and
    PSA draws. ``prerun_compare`` starts the default comparison when the page opens.
    ``job_workers`` simulations run at once (each in its own process) and ``max_queued_jobs``
    more may wait in line; any request above ``max_request_bytes`` is refused by the server
    (uploads have their own limits, ``dashboard.data.UPLOAD_MAX_BYTES``).
    """

    max_patients: int = 5000
    max_replications: int = 20
    max_strategies: int = 8
    # The default cohort: 500 patients x 8 replications. Measured with `make verdicts` (every bundled
    # strategy against baseline, seeds 1-4, headline verdicts): 500 x 3 flipped 61% of pairs between seeds,
    # 1,000 x 3 67%, 2,000 x 3 57%, 1,000 x 5 38%, 500 x 8 35% (59% clear verdicts). Replications narrow the
    # t-interval far more than patients do, so 500 x 8 gives the fewest flips for its cost; no size that
    # runs in seconds makes them stop flipping, so the page says when an interval is too wide and offers
    # more replications. The server computes this default comparison as it starts (see README).
    default_patients: int = 500
    default_replications: int = 8
    default_seed: int = 1
    default_scenarios: tuple[str, ...] = ("baseline", "rt-only")
    value_scenarios: tuple[str, ...] = ("baseline", "fast-track-mri")  # the Value view's: the example
    delay_patients: int = 800
    delay_replications: int = 2
    sensitivity_patients: int = 2000
    max_analysis_runs: int = 120
    max_analysis_histories: int = 300_000
    max_sweep_values: int = 20
    max_tornado_parameters: int = 12
    max_psa_draws: int = 64
    prerun_compare: bool = True
    workers: int = 1
    job_workers: int = 2
    max_queued_jobs: int = 50
    max_request_bytes: int = 1_000_000
    cache_dir: Path | None = None
    cache_size_bytes: int = 2 * 1024**3
    poll_ms: int = 400
    debug: bool = field(default=False)

    def __post_init__(self) -> None:
        """Reject settings that would make the forms unusable."""
        if self.max_patients < 10:
            raise ConfigError(f"max_patients (--max-patients, SPINESIM_DASH_MAX_PATIENTS) = {self.max_patients} "
                              "is below the allowed minimum of 10")
        if self.max_replications < 1:
            raise ConfigError(f"max_replications (--max-replications, SPINESIM_DASH_MAX_REPLICATIONS) = "
                              f"{self.max_replications} is below the allowed minimum of 1")
        if not 2 <= self.max_strategies <= 8:
            raise ConfigError("max_strategies must be 2-8 (the colour palette has 8 colours)")
        if self.default_patients > self.max_patients:
            object.__setattr__(self, "default_patients", self.max_patients)
        if self.delay_patients > self.max_patients:
            object.__setattr__(self, "delay_patients", self.max_patients)
        if self.default_replications > self.max_replications:
            object.__setattr__(self, "default_replications", self.max_replications)
        if self.sensitivity_patients > self.max_patients:
            object.__setattr__(self, "sensitivity_patients", self.max_patients)
        if self.job_workers < 1 or self.max_queued_jobs < 1:
            raise ConfigError("job_workers (SPINESIM_DASH_JOBS) and max_queued_jobs must be at least 1")
        if min(self.max_analysis_runs, self.max_sweep_values, self.max_tornado_parameters, self.max_psa_draws) < 2:
            raise ConfigError("the sensitivity caps (runs, sweep values, tornado parameters, draws) must be at least 2")

    def resolved_cache_dir(self) -> Path:
        """The cache directory, created on first use (a new temporary one if none was given)."""
        if self.cache_dir is None:
            object.__setattr__(self, "cache_dir", Path(tempfile.mkdtemp(prefix="spinesim-dash-")))
        assert self.cache_dir is not None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        return self.cache_dir

    @classmethod
    def from_env(cls, **overrides: object) -> DashboardConfig:
        """Defaults, then ``SPINESIM_DASH_*`` environment variables, then keyword overrides."""
        base = cls(
            max_patients=_env_int("SPINESIM_DASH_MAX_PATIENTS", cls.max_patients),
            max_replications=_env_int("SPINESIM_DASH_MAX_REPLICATIONS", cls.max_replications),
            workers=_env_int("SPINESIM_DASH_WORKERS", cls.workers),
            job_workers=_env_int("SPINESIM_DASH_JOBS", cls.job_workers),
            cache_dir=Path(os.environ["SPINESIM_DASH_CACHE"]) if os.environ.get("SPINESIM_DASH_CACHE")
            else None,
            debug=env_flag("SPINESIM_DASH_DEBUG"),
            prerun_compare=env_flag("SPINESIM_DASH_PRERUN", True),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **clean) if clean else base

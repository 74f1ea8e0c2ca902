"""The one way to declare a model parameter: unit, allowed range, plausible range and source.

Every numeric parameter of spinesim is declared with :func:`param`. Defaults are deliberately absent:
they live in ``scenarios/baseline.toml``, so the code never restates a number the scenario owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Group(BaseModel):
    """Base of every parameter group: frozen, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


@dataclass(frozen=True)
class ParamInfo:
    """What the schema says about one parameter (read by ``spinesim show`` and the dashboard)."""

    path: str
    unit: str
    low: float | None
    high: float | None
    plausible: tuple[float, float] | None
    source: str
    description: str
    kind: str  # "float", "int", "bool", "choice", "list" (a list of numbers, each in [low, high])
    choices: tuple[str, ...] = ()


def param(
    unit: str,
    low: float | None,
    high: float | None,
    source: str,
    description: str,
    plausible: tuple[float, float] | None = None,
) -> Any:
    """A required numeric field with its unit, allowed range, plausible range and source.

    ``low``/``high`` bound what a scenario may set (validation); ``plausible`` is the range the
    evidence supports (used by sensitivity analyses); it defaults to the allowed range.
    """
    extra = {
        "unit": unit,
        "source": source,
        "plausible": list(plausible) if plausible else None,
    }
    kwargs: dict[str, Any] = {"description": description, "json_schema_extra": extra}
    if low is not None:
        kwargs["ge"] = low
    if high is not None:
        kwargs["le"] = high
    return Field(..., **kwargs)


def flag(source: str, description: str) -> Any:
    """A required on/off switch (a policy choice), with its source."""
    return Field(..., description=description, json_schema_extra={"unit": "on/off", "source": source})


def choice(source: str, description: str) -> Any:
    """A required categorical setting; its allowed values come from the field's ``Literal`` type."""
    return Field(..., description=description, json_schema_extra={"unit": "category", "source": source})


def values(unit: str, low: float, high: float, source: str, description: str) -> Any:
    """A required, non-empty list of numbers, each within [low, high] (e.g. willingness-to-pay thresholds)."""
    extra = {"unit": unit, "source": source, "plausible": None, "item_low": low, "item_high": high}
    return Field(..., min_length=1, max_length=20, description=description, json_schema_extra=extra)

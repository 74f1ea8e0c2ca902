"""data.py: scenario specs, uploads (same validation as the CLI), keys, caps, the result store."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import data
from dashboard.data import InputError
from dashboard.store import ResultStore, valid_key

DASHBOARD = Path(data.__file__).parent


def test_only_data_py_imports_the_simulator_and_only_its_public_api():
    for path in DASHBOARD.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simulator"):
                assert node.module == "simulator", f"{path}: imports {node.module}"
                assert path.name == "data.py", f"{path} imports the simulator"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("simulator") for a in node.names), f"{path}: use from simulator import"


def test_build_scenario_applies_overrides_and_name():
    s = data.build_scenario({"base": "baseline", "overrides": {"services.mri_scanners": 3}, "name": "x"})
    assert s.name == "x" and s.params.services.mri_scanners == 3


def test_build_scenario_refuses_paths_and_bad_values():
    with pytest.raises(InputError, match="not a bundled scenario"):
        data.build_scenario({"base": "/etc/passwd"})
    with pytest.raises(InputError, match="services.mri_scanners"):
        data.build_scenario({"base": "baseline", "overrides": {"services.mri_scanners": 0}})


def test_upload_goes_through_the_scenario_validation_and_names_the_file():
    bad = 'name = "mine"\nextends = "baseline"\n[services]\nmri_scanners = 99\n'
    with pytest.raises(InputError) as err:
        data.scenario_from_upload(bad, "mine.toml")
    text = str(err.value)
    assert "mine.toml" in text and "services.mri_scanners" in text and "50" in text
    assert "/tmp" not in text and "uploaded.toml" not in text
    good = data.scenario_from_upload('name = "mine"\nextends = "baseline"\n[services]\nmri_scanners = 2\n')
    assert good.name == "mine" and good.params.services.mri_scanners == 2
    assert "/" not in good.source  # not tied to a temporary path


@pytest.mark.parametrize("text,message", [
    ('name = "x"\nextends = "../../etc/x"\n', "may only extend a bundled scenario"),
    ('name = "x"\nextends = "baseline"\n[services\n', "not valid TOML"),
    ('name = "x"\nextends = "baseline"\n[servics]\nmri_scanners = 2\n', "unknown key"),
])
def test_bad_uploads_are_explained(text, message):
    with pytest.raises(InputError, match=message):
        data.scenario_from_upload(text, "f.toml")


def test_toml_download_round_trips_through_upload():
    spec = {"base": "baseline", "overrides": {"pathway.mri_booking_days": 2.0}, "name": "quick-mri"}
    text = data.scenario_toml(spec, "baseline")
    assert 'extends = "baseline"' in text and "mri_booking_days = 2.0" in text
    again = data.scenario_from_upload(text, "quick-mri.toml")
    assert again.digest() == data.build_scenario(spec).digest()


def test_plan_enforces_caps_and_unique_names(backend):
    req = {"kind": "experiment", "scenarios": [{"base": "baseline"}, {"base": "rt-only"}],
           "patients": 100, "replications": 1, "seed": 1}
    key, scenarios = backend.plan(req)
    assert valid_key(key) and [s.name for s in scenarios] == ["baseline", "rt-only"]
    assert backend.plan(dict(req))[0] == key  # stable
    assert backend.plan({**req, "seed": 2})[0] != key
    with pytest.raises(InputError, match="outside 10 to 2000"):
        backend.plan({**req, "patients": 5000})
    with pytest.raises(InputError, match="Replications"):
        backend.plan({**req, "replications": 0})
    with pytest.raises(InputError, match="whole number"):
        backend.plan({**req, "patients": 100.5})
    with pytest.raises(InputError, match="once"):
        backend.plan({**req, "scenarios": [{"base": "baseline"}, {"base": "baseline"}]})


def test_store_refuses_malformed_keys(tmp_path):
    store = ResultStore(tmp_path, 10**8)
    assert store.get("../../etc/passwd") is None and store.get(None) is None
    store.put("a" * 24, {"x": 1})
    assert store.get("a" * 24) == {"x": 1} and ("a" * 24) in store


def test_run_is_cached_and_results_follow_the_api(real):
    backend, key, results = real
    assert key in backend.store
    calls = []
    assert backend.run({"kind": "experiment", "scenarios": [{"base": "baseline"}, {"base": "rt-only"}],
                        "patients": 300, "replications": 2, "seed": 3},
                       progress=lambda d, t: calls.append(d)) == key
    assert calls == []  # served from the cache, nothing simulated
    assert [s.name for s in results.scenarios] == ["baseline", "rt-only"]
    for table, cols in {"patients": ["days_to_ambulation_loss", "ambulation_loss_observed", "treatment"],
                        "states": ["days_since_diagnosis", "alive", "ambulatory", "vas", "frankel"],
                        "resources": ["service", "utilisation", "mean_wait_days"]}.items():
        assert set(cols) <= set(getattr(results, table).columns)


def test_export_files_are_whitelisted_and_readable(real):
    backend, key, results = real
    frame = pd.read_parquet(io.BytesIO(backend.export_file(key, "patients.parquet")))
    assert len(frame) == len(results.patients)
    manifest = json.loads(backend.export_file(key, "manifest.json"))
    assert manifest["seed"] == 3 and "patients.csv" in manifest["files"]
    with pytest.raises(InputError):
        backend.export_file(key, "../manifest.json")


def test_journeys_are_cached(real):
    backend, _, results = real
    diagnosed = results.patients[results.patients["diagnosed"] & (results.patients["replication"] == 0)]
    pid = int(diagnosed["patient_id"].iloc[0])
    first = backend.journeys(results, 0, pid, ["baseline", "rt-only"])
    assert set(first) == {"baseline", "rt-only"}
    assert {"day", "frankel", "vas", "ambulatory"} <= set(first["baseline"]["states"].columns)
    assert backend.journeys(results, 0, pid, ["baseline", "rt-only"]) is first  # cached


def test_every_cap_is_enforced_where_the_work_starts_not_only_by_the_button(backend):
    forged = {"kind": "experiment", "scenarios": [{"base": "baseline"}] * 40, "patients": 100, "replications": 1,
              "seed": 1}
    with pytest.raises(InputError, match="40 strategies: at most 8"):
        backend.plan(forged)
    with pytest.raises(InputError, match="40 strategies"):
        backend.run(forged)  # what a worker calls: the same check
    journey = {"kind": "journey", "scenarios": [{"base": "baseline"}], "patients": 100, "replications": 1,
               "seed": 1, "replication": 0, "patient_id": 5000}
    with pytest.raises(InputError, match="Patient = 5000 is outside 0 to 99"):
        backend.plan(journey)
    with pytest.raises(InputError, match="not an outcome"):
        backend.plan({**forged, "scenarios": [{"base": "baseline"}], "auto": "rm -rf"})


@pytest.mark.parametrize("text,message", [
    ("x" * (data.UPLOAD_MAX_BYTES + 1), "200,001 bytes: a scenario file may be at most 200,000 bytes"),
    ("a = " + "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ("a = " + "[" * 20 + "]" * 20, "nested more than 8 levels"),
    ("\n".join(f"k{i} = 1" for i in range(data.UPLOAD_MAX_KEYS + 1)), "more than 2,000 keys"),
])
def test_uploads_too_big_too_deep_or_too_wide_get_the_upload_message(text, message):
    with pytest.raises(InputError, match=message):
        data.scenario_from_upload(text, "huge.toml")


def test_exported_files_live_in_the_size_limited_cache_not_in_a_growing_folder(tmp_path):
    store = ResultStore(tmp_path, size_limit=5_000_000)
    blob = b"x" * 100_000
    for i in range(100):  # 10 MB written in all
        key = f"{i:024x}"
        got = store.file(key, "a.bin", lambda folder: (folder.mkdir(), (folder / "a.bin").write_bytes(blob)))
        assert got == blob
    assert store.file(f"{99:024x}", "a.bin", lambda folder: pytest.fail("written twice")) == blob
    assert not (tmp_path / "exports").exists() and list((tmp_path / "scratch").iterdir()) == []
    assert store._disk.volume() <= 5_000_000  # diskcache culls to its limit as it goes

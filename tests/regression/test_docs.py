"""The README's data dictionary is generated from the column definitions and must not drift."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_data_dictionary_is_current():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "docs" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "README.md").read_text()
    assert module.render(text) == text, "run `make docs` to regenerate the data dictionary"


def test_every_exported_column_is_documented():
    from simulator import COLUMNS

    text = (ROOT / "README.md").read_text()
    for columns in COLUMNS.values():
        for column in columns:
            assert f"`{column.name}`" in text

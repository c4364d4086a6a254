"""``imagemonkey.plugin`` holds every name of the contract, and docs/plugins.md documents every name it exports."""
from __future__ import annotations

import re
from pathlib import Path

import imagemonkey.plugin as plugin_api

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
CONTRACT = """hookimpl hookspec Base UTCDateTime utcnow isoformat day_of Image ImageLabel Label Contributor
run_migrations_env ApiError bad_request invalid not_found forbidden conflict unauthenticated json_body
require_contributor require_role parse_id can_see visible_clause get_visible_image record_contribution image_json
images_json image_labels_json encode_cursor read_cursor read_limit change_status after_commit Exporter ExportContext
op obj app_request Setting as_int as_float as_bool as_list as_choice get_setting SettingError write PreparedWrite
JobSpec JobContext enqueue_job CliCommand render_fragment task_image_clause PluginError""".split()


def test_every_contract_name_is_exported() -> None:
    missing = [name for name in CONTRACT if name not in plugin_api.__all__ or not hasattr(plugin_api, name)]
    assert missing == []


def test_every_exported_name_is_documented() -> None:
    assert sorted(set(plugin_api.__all__)) == sorted(plugin_api.__all__)  # no name twice
    undocumented = [name for name in plugin_api.__all__ if not re.search(rf"`{re.escape(name)}[`(]", DOCS)]
    assert undocumented == []

"""Start-up does not load OpenCV: building an app with annotate and serving its editor imports no ``cv2``; the
first outline proposal does."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from imagemonkey.testing import TEST_SETTINGS, Databases

SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[2])
from webtest import TestApp
from imagemonkey.app import make_app
from imagemonkey.testing import auth, new_client
from annotate_support import donate

app = TestApp(make_app(json.loads(sys.argv[1])), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
after_build = "cv2" in sys.modules
token = new_client(app)
image = donate(app, token, ["dog"], seed=1)
app.get(f"/annotate/{image['id']}")
after_page = "cv2" in sys.modules
app.post_json("/api/v1/annotate/segment", {"image_id": image["id"], "box": {"x": 10, "y": 10, "width": 80,
              "height": 60}}, headers=auth(token))
print(json.dumps({"after_build": after_build, "after_page": after_page, "after_proposal": "cv2" in sys.modules}))
"""


def test_building_the_app_does_not_import_opencv(tmp_path: Path, test_databases: Databases) -> None:
    url = test_databases.url_for(("annotate",), tmp_path)
    settings = {**TEST_SETTINGS, "imagemonkey.data_dir": str(tmp_path), "imagemonkey.plugins": "annotate",
                "sqlalchemy.url": url}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(settings), str(Path(__file__).parent)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"after_build": False, "after_page": False, "after_proposal": True}

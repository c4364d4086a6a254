"""The one version of ImageMonkey, shared by the server and the browser extension."""
from pathlib import Path

__version__ = (Path(__file__).with_name("VERSION")).read_text().strip()
API_VERSION = "1"

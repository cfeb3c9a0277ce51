"""tests/clients/shared on the path, and its fixtures (relays, anyio backend)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "shared"))

from malgomo_fixtures import anyio_backend, wire_a, wire_b  # noqa: E402, F401

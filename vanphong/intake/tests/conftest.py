"""The intake tests scan with the real clamd that vanphong/conftest.py starts for the whole run (clamd_socket);
`stopped_clamd` starts one more, on its own socket, and stops it, to prove that nothing passes without a verdict."""

import shutil
import tempfile
from pathlib import Path

import pytest

from vanphong.intake import daemon


@pytest.fixture
def stopped_clamd(settings):
    directory = Path(tempfile.mkdtemp(prefix="vp-clamd-stop-"))
    socket_path = daemon.start(directory)
    settings.VANPHONG_CLAMD_SOCKET = str(socket_path)
    daemon.stop(directory)
    assert not daemon.status(directory)
    yield socket_path
    daemon.stop(directory)
    shutil.rmtree(directory, ignore_errors=True)

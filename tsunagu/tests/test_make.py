"""`make test-browser` fails when Chromium is missing, as CI does, rather than passing
having run nothing (issue 14)."""

import os
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_test_browser_fails_without_chromium():
    planned = subprocess.run(
        ["make", "-n", "test-browser"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    command = shlex.split(next(line for line in planned if "-m browser" in line))
    env = {**os.environ, "TSUNAGU_CHROMIUM": "/nowhere/chromium"}
    assignments = [word for word in command if "=" in word and not word.startswith("-")]
    env.update(word.split("=", 1) for word in assignments)
    program = [word for word in command if word not in assignments]
    one_file = [*program, "-p", "no:cacheprovider", "-x", "-q", "tsunagu/tests/test_browser_sign_in.py"]
    done = subprocess.run(one_file, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0, done.stdout
    assert "Chromium not found at /nowhere/chromium" in done.stdout
    assert "makes this a failure" in done.stdout

#!/usr/bin/env python
"""Run the repository's demo project: the project template, rendered into .demo/.

The demo is rendered by `framework-admin startproject`, exactly as a user's
project is, and rendered again whenever the template changes, so the two
never drift apart. Its database survives a re-render.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TEMPLATE = ROOT / "project_template"
DEMO = ROOT / ".demo"
STAMP = DEMO / ".template-digest"
# What a re-render keeps: the data, and .env with any local edits.
KEPT = ("db.sqlite3", ".tasks", ".env")


def template_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(TEMPLATE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(TEMPLATE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_demo() -> None:
    digest = template_digest()
    if STAMP.is_file() and STAMP.read_text() == digest:
        return
    staging = ROOT / ".demo-render"
    shutil.rmtree(staging, ignore_errors=True)
    rendered = subprocess.run(
        [sys.executable, "-m", "framework.management.admin", "startproject", "demo", str(staging)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    if rendered.returncode != 0:
        sys.exit("manage.py: could not render the demo project from project_template/ (see above)")
    for name in KEPT:
        if (DEMO / name).exists():
            (staging / name).unlink(missing_ok=True)  # the fresh .env gives way to the kept one
            shutil.move(DEMO / name, staging / name)
    shutil.rmtree(DEMO, ignore_errors=True)
    staging.rename(DEMO)
    STAMP.write_text(digest)


def main() -> None:
    prepare_demo()
    sys.path.insert(0, str(DEMO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
    from framework.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

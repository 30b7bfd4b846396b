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
KEPT = ("db.sqlite3", ".tasks")


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
    subprocess.run(
        [sys.executable, "-m", "framework.management.admin", "startproject", "demo", str(staging)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for name in KEPT:
        if (DEMO / name).exists():
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

"""A generated Dockerfile, read as Docker reads it and its build stage run here, without a Docker engine.

There is no Docker engine on this machine, so the build stage's own
instructions (ARG, ENV, WORKDIR, COPY from the build context, RUN with its
heredocs) run in a shell, with the image's folders mapped to temporary ones.
What this cannot show: that the base image exists, and anything that needs
root. The pip cache stays on (the Dockerfile turns it off to keep the image
small): it changes what is downloaded, not what is installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_HEREDOC = re.compile(r"<<-?\s*'?\"?(\w+)'?\"?")


@dataclass(frozen=True)
class Instruction:
    name: str
    arguments: str


def instructions(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile: continuation lines joined, heredoc bodies kept with their RUN."""
    lines = text.splitlines()
    result: list[Instruction] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.endswith("\\") and index < len(lines):
            line = line[:-1] + " " + lines[index].strip()
            index += 1
        name, _, arguments = line.strip().partition(" ")
        for delimiter in _HEREDOC.findall(arguments):
            body = []
            while lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            index += 1
            arguments += "\n" + "\n".join(body) + f"\n{delimiter}"
        result.append(Instruction(name.upper(), arguments.strip()))
    return result


def stages(text: str) -> list[list[Instruction]]:
    """The instructions of each stage, from its FROM on; global ARGs before the first FROM go with it."""
    found: list[list[Instruction]] = [[]]
    for instruction in instructions(text):
        if instruction.name == "FROM" and any(i.name == "FROM" for i in found[-1]):
            found.append([])
        found[-1].append(instruction)
    return found


def python_for(version: str) -> str | None:
    """A Python of `version` (e.g. 3.12) on this machine: pyenv's, or one on PATH."""
    pyenv = Path.home() / ".pyenv" / "versions"
    candidates = sorted(pyenv.glob(f"{version}.*/bin/python3")) if pyenv.is_dir() else []
    return str(candidates[-1]) if candidates else shutil.which(f"python{version}")


class BuildFailed(AssertionError):
    pass


def run_build_stage(dockerfile: Path, *, context: Path, root: Path, env: dict[str, str]) -> Path:
    """Run the first stage of `dockerfile` with `context` as the build context; return the image's root.

    The image's absolute paths (/venv, /src, ...) are folders under `root`,
    and `python` is the Python of the Dockerfile's PYTHON_VERSION argument.
    """
    build, *_ = stages(dockerfile.read_text())
    arguments: dict[str, str] = {}
    environment = dict(env)
    workdir = root
    bin_dir = root / ".bin"
    bin_dir.mkdir(parents=True, exist_ok=True)

    def in_image(text: str) -> str:
        # An absolute path of the image is a folder under root.
        return re.sub(r"(?<![\w.~/])/(?=[a-z])", f"{root}/", text)

    def expand(text: str) -> str:
        return re.sub(r"\$\{?(\w+)(?::-[^}]*)?\}?", lambda m: {**environment, **arguments}.get(m[1], ""), text)

    for instruction in build:
        if instruction.name == "ARG":
            name, _, default = instruction.arguments.partition("=")
            arguments[name] = default.strip('"')
        elif instruction.name == "FROM":
            version = expand(instruction.arguments).split(":")[1].split("-")[0]
            python = python_for(version)
            if python is None:
                raise BuildFailed(f"no Python {version} on this machine for {instruction.arguments}")
            (bin_dir / "python").unlink(missing_ok=True)
            (bin_dir / "python").symlink_to(python)
            environment["PATH"] = f"{bin_dir}:{environment.get('PATH', '')}"
        elif instruction.name == "ENV":
            for pair in shlex.split(instruction.arguments):
                name, _, value = pair.partition("=")
                environment[name] = expand(in_image(value))
            environment.pop("PIP_NO_CACHE_DIR", None)
        elif instruction.name == "WORKDIR":
            workdir = Path(in_image(instruction.arguments))
            workdir.mkdir(parents=True, exist_ok=True)
        elif instruction.name == "COPY":
            *sources, destination = shlex.split(instruction.arguments)
            target = workdir / destination if not destination.startswith("/") else Path(in_image(destination))
            for source in sources:
                path = context / source
                if not path.exists():
                    raise BuildFailed(f"COPY {source}: not in the build context")
                if path.is_dir():
                    shutil.copytree(path, target / path.name if not source.endswith("/") else target, dirs_exist_ok=True)
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target / path.name)
        elif instruction.name == "RUN":
            result = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", in_image(instruction.arguments)],
                cwd=workdir,
                env={**environment, **arguments},
                capture_output=True,
                text=True,
                timeout=600,
            )
            if result.returncode != 0:
                raise BuildFailed(f"RUN {instruction.arguments}\nexit {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return root

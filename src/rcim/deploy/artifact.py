"""Building a release: the service's source at one commit, and what each host receives.

The code comes from git (``git archive COMMIT:SOURCE``), never from the working tree, so that
what is deployed is exactly what the gate approved. Each host gets the same code plus its own
rendered ``config.json`` and ``rcim-release.json`` (the command line, port, version, digest).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
from typing import TYPE_CHECKING

import git
import yaml

from rcim.deploy.model import Artifact, HostRelease
from rcim.deploy.targets import service_config
from rcim.errors import InvalidInputError

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.deploy.model import HostState, Target
    from rcim.deploy.targets import Environment

ConfigValue = str | int | float | bool
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def check_version(version: str) -> str:
    """Versions name directories on hosts, so they are restricted to safe characters."""
    if not _VERSION.match(version):
        raise InvalidInputError(
            f"--version: '{version}' is not a valid version "
            "(letters, digits, '.', '_', '+', '-'; at most 64 characters)"
        )
    return version


def parse_overrides(items: list[str]) -> dict[str, ConfigValue]:
    """``--set key=value`` pairs; values are read as YAML scalars (``5`` is a number)."""
    overrides: dict[str, ConfigValue] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not _KEY.match(key.strip()):
            raise InvalidInputError(f"--set: '{item}' is not key=value")
        overrides[key.strip()] = _scalar(raw)
    return overrides


def _scalar(raw: str) -> ConfigValue:
    try:
        value = yaml.safe_load(raw) if raw.strip() else raw
    except yaml.YAMLError:
        return raw
    if isinstance(value, str | int | float | bool):
        return value
    return raw


def resolve_commit(program_root: Path, commit: str | None) -> str:
    """The full SHA of ``commit`` (default: HEAD) in the program repository."""
    try:
        repo = git.Repo(program_root, search_parent_directories=True)
        return repo.commit(commit or "HEAD").hexsha
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise InvalidInputError(f"{program_root}: not a git repository") from None
    except (git.BadName, ValueError):
        what = f"commit '{commit}'" if commit else "HEAD (no commit yet)"
        raise InvalidInputError(f"--commit: {what} is not in {program_root}") from None


def build_artifact(
    environment: Environment, version: str, commit: str, overrides: dict[str, ConfigValue]
) -> Artifact:
    """Archive ``deploy.source`` at ``commit`` into ``.rcim/build/`` (reused when present)."""
    spec = environment.spec
    repo = git.Repo(environment.program_root, search_parent_directories=True)
    source = spec.source.strip("/")
    try:
        tree = repo.commit(commit).tree / source
    except KeyError:
        raise InvalidInputError(
            f"deploy.source: '{source}' does not exist at commit {commit[:12]} "
            f"of {environment.program_root}"
        ) from None
    build_dir = environment.rcim_dir / "build" / environment.service.name
    build_dir.mkdir(parents=True, exist_ok=True)
    tarball = build_dir / f"{tree.hexsha}.tar"
    if not tarball.exists():
        partial = build_dir / f".{tree.hexsha}.{os.getpid()}.tar"
        with partial.open("wb") as stream:
            repo.archive(stream, treeish=f"{commit}:{source}", format="tar")
        os.replace(partial, tarball)
    config = {**service_config(spec), **overrides}
    return Artifact(
        service=environment.service.name,
        version=version,
        commit=commit,
        tarball=str(tarball),
        tree=tree.hexsha,
        config=config,
        command=spec.command,
    )


def host_release(artifact: Artifact, target: Target, env: str, state: HostState) -> HostRelease:
    """What ``target`` receives, named ``<version>-<shortsha>``.

    A host already running the identical release (same digest) needs no upload. When the
    name is taken by the current release with other contents (same version, new settings),
    the new one gets a ``.N`` suffix, because a directory ``current`` points at is never
    replaced in place.
    """
    name = artifact.base_name
    config = {
        **artifact.config,
        "service": artifact.service,
        "env": env,
        "host": target.name,
        "version": artifact.version,
        "commit": artifact.commit,
        "port": target.port,
    }
    config_json = json.dumps(config, sort_keys=True, indent=2) + "\n"
    digest = hashlib.sha256(
        "\0".join((artifact.tree, config_json, artifact.command, target.python)).encode()
    ).hexdigest()
    if state.current == name and state.current_digest == digest:
        return _render(artifact, target, name, digest, state.current_previous, config_json, False)
    if state.current is not None and (state.current == name or name.startswith(".")):
        name = _free_name(name, state)
    return _render(artifact, target, name, digest, state.current, config_json, True)


def _free_name(base: str, state: HostState) -> str:
    taken = {release for release, _ in state.releases} | {state.current or ""}
    for index in range(2, 1000):
        candidate = f"{base}.{index}"
        if candidate not in taken:
            return candidate
    raise InvalidInputError(f"too many releases named {base}.N on one host; prune them")


def _render(
    artifact: Artifact,
    target: Target,
    name: str,
    digest: str,
    previous: str | None,
    config_json: str,
    install: bool,
) -> HostRelease:
    release_dir = f"{target.root}/releases/{name}"
    values = {"port": str(target.port), "config": f"{release_dir}/config.json"}
    values["python"] = target.python
    argv = [_fill(token, values) for token in shlex.split(artifact.command)]
    descriptor = {
        "name": name,
        "service": artifact.service,
        "version": artifact.version,
        "commit": artifact.commit,
        "digest": digest,
        "previous": previous,
        "port": target.port,
        "argv": argv,
    }
    release_json = json.dumps(descriptor, sort_keys=True, indent=2) + "\n"
    return HostRelease(
        target, name, digest, previous, install, config_json, release_json, artifact.tarball
    )


def _fill(token: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        token = token.replace("{" + key + "}", value)
    return token

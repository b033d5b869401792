"""Packaging: the built-in templates are found from a wheel installed elsewhere and from an editable install."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from tests.conftest import ROOT, SAMPLES

import followup
from followup.packs import builtin_root


def test_editable_or_source_install_finds_the_top_level_templates() -> None:
    root = builtin_root()
    assert (root / "pack.yaml").is_file() and (root / "thank-you.txt.j2").is_file()
    if Path(followup.__file__).resolve().is_relative_to(ROOT):  # running from this checkout (pip install -e .)
        assert root == ROOT / "templates"


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_drafts_from_another_folder(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("interview_followup-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", target, str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    # The dependencies come from this environment (no network needed); followup itself only from the wheel.
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (Path(target) / "zz_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = subprocess.run(
        [str(python), "-c", "import followup, followup.packs as p; print(followup.__file__); print(p.builtin_root())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    module_file, templates = probe.stdout.splitlines()
    assert Path(module_file).is_relative_to(Path(target).resolve()) or Path(module_file).is_relative_to(target)
    assert Path(templates).is_relative_to(Path(target).resolve()) or Path(templates).is_relative_to(target)

    drafted = subprocess.run(
        [str(python), "-m", "followup", "draft", "thank-you", str(SAMPLES / "panel-with-referrer.yaml")],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
    )
    assert drafted.returncode == 0, drafted.stderr
    assert drafted.stdout.startswith("Subject: ") and "Dear Marcus," in drafted.stdout

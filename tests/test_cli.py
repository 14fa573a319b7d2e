"""The ``dv`` console script, run as a user runs it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, GeneratedProject

UNREACHABLE_DSN = "postgresql://postgres@127.0.0.1:1/postgres"


def dv_command() -> list[str]:
    """The installed console script next to this interpreter, else the module."""
    script = Path(sys.executable).parent / "dv"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pipelines.cli"]


def dv(*args: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    # A narrow terminal and no colours: what a log file or CI sees.
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "PYTHONHASHSEED": hash_seed}
    env.pop("DV_DSN", None)
    return subprocess.run([*dv_command(), *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)


def assert_user_error(run: subprocess.CompletedProcess[str]) -> None:
    assert run.returncode == 1, f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stderr + run.stdout, run.stderr


def new_project(tmp_path: Path, model: Path, name: str = "project") -> Path:
    root = tmp_path / name
    shutil.copytree(model, root / "model")
    return root


def generated_files(root: Path) -> dict[str, bytes]:
    out = root / "vault_sql"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def basic(tmp_path: Path, generated_project: GeneratedProject) -> Path:
    """The basic fixture model with its vault_sql/ generated (once per session: a copy of it)."""
    root = tmp_path / "project"
    shutil.copytree(generated_project(FIXTURES / "models" / "basic"), root)
    return root


# --- validate -------------------------------------------------------------------------------------


def test_validate_ok(basic: Path) -> None:
    run = dv("--project", str(basic), "validate")
    assert run.returncode == 0, run.stderr
    assert "model OK" in run.stdout


def test_validate_broken_model(tmp_path: Path) -> None:
    root = new_project(tmp_path, FIXTURES / "broken" / "bad_identifier_upper")
    run = dv("--project", str(root), "validate")
    assert_user_error(run)
    # the whole problem on one line, file:line first, even in an 80-column terminal
    assert (
        "model/hubs.yml:5: hub 'customer': business_keys.0.name: 'Customer_Id' is not a safe SQL name: "
        "use lower-case letters, digits and '_', starting with a letter" in run.stderr.splitlines()
    ), run.stderr


def test_validate_without_model_folder(tmp_path: Path) -> None:
    run = dv("--project", str(tmp_path), "validate")
    assert_user_error(run)
    assert "model folder not found" in run.stderr


def test_generate_broken_model_writes_nothing(tmp_path: Path) -> None:
    root = new_project(tmp_path, FIXTURES / "broken" / "unknown_link_hub")
    run = dv("--project", str(root), "generate")
    assert_user_error(run)
    assert "model/links.yml:17:" in run.stderr
    assert not (root / "vault_sql").exists()


# --- generate --check -----------------------------------------------------------------------------


def test_check_passes_when_current(basic: Path) -> None:
    run = dv("--project", str(basic), "generate", "--check")
    assert run.returncode == 0, run.stderr
    assert "up to date" in run.stdout


def test_check_fails_on_an_edited_file(basic: Path) -> None:
    path = basic / "vault_sql" / "hubs" / "customer.load.sql"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    index = max(range(len(lines)), key=lambda i: len(lines[i]))  # the longest line: a diff must not wrap it
    edited_line = lines[index] + "  -- edited by hand"
    lines[index] = edited_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = generated_files(basic)

    run = dv("--project", str(basic), "generate", "--check", "--diff")

    assert_user_error(run)
    err = run.stderr.splitlines()
    assert "--- vault_sql/hubs/customer.load.sql (committed)" in err
    assert "+++ vault_sql/hubs/customer.load.sql (generated)" in err
    assert "-" + edited_line in err, run.stderr
    assert "+" + original.splitlines()[index] in err, run.stderr
    assert "vault_sql/ is stale" in run.stderr
    assert "run 'dv generate'" in run.stderr
    assert generated_files(basic) == before, "--check must write nothing"


def test_check_fails_when_the_model_changed(basic: Path) -> None:
    hubs = basic / "model" / "hubs.yml"
    text = hubs.read_text(encoding="utf-8")
    hubs.write_text(text.replace("A customer, known to", "A customer (edited), known to"), encoding="utf-8")
    run = dv("--project", str(basic), "generate", "--check", "--diff")
    assert_user_error(run)
    assert "+++ vault_sql/hubs/customer.create.sql (generated)" in run.stderr
    assert "A customer (edited), known to" in run.stderr


def test_check_fails_on_missing_and_stray_files(basic: Path) -> None:
    (basic / "vault_sql" / "hubs" / "product.load.sql").unlink()
    left_over = "-- generated from model/hubs.yml by dv generate — do not edit\n"  # by an older model
    (basic / "vault_sql" / "hubs" / "old_hub.load.sql").write_text(left_over, encoding="utf-8")
    run = dv("--project", str(basic), "generate", "--check")
    assert_user_error(run)
    assert "1 missing, 0 changed, 1 not generated any more" in run.stderr
    run = dv("--project", str(basic), "generate")
    assert run.returncode == 0, run.stderr
    assert not (basic / "vault_sql" / "hubs" / "old_hub.load.sql").exists()
    assert dv("--project", str(basic), "generate", "--check").returncode == 0


# --- generate is deterministic ----------------------------------------------------------------------


@pytest.mark.parametrize("model", [REPO / "model", FIXTURES / "models" / "basic"], ids=["repo", "basic"])
def test_generate_is_deterministic(tmp_path: Path, model: Path, generated_project: GeneratedProject) -> None:
    # the first run is the session's (in this process, its own hash seed), the second a dv command with another
    first = generated_project(model)
    second = new_project(tmp_path, model, "second")
    assert dv("--project", str(second), "generate", hash_seed="2").returncode == 0
    files = generated_files(first)
    assert files == generated_files(second), "two runs (different hash seeds) gave different bytes"
    run = dv("--project", str(second), "generate", hash_seed="3")  # a rerun changes nothing
    assert run.returncode == 0 and "up to date" in run.stdout, run.stdout + run.stderr
    assert generated_files(second) == files
    sql = {name: body.decode("utf-8") for name, body in files.items() if name.endswith(".sql")}
    assert sql and "manifest.json" in files
    for name, text in sql.items():
        assert text.startswith("-- generated from ") or name == "meta/create.sql", name
        assert "do not edit" in text.splitlines()[0], name
    assert sql["meta/create.sql"].startswith("-- generated from the built-in metadata schema")


# --- the warehouse commands -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["apply", "load"])
def test_unreachable_warehouse(basic: Path, command: str) -> None:
    run = dv("--project", str(basic), command, "--dsn", UNREACHABLE_DSN)
    assert_user_error(run)
    assert "cannot connect to the warehouse" in run.stderr
    assert "127.0.0.1:1" in run.stderr
    assert "hint: pass --dsn or set DV_DSN" in run.stderr


@pytest.mark.parametrize("command", ["apply", "load"])
def test_warehouse_command_before_generate(tmp_path: Path, command: str) -> None:
    root = new_project(tmp_path, FIXTURES / "models" / "basic")
    run = dv("--project", str(root), command, "--dsn", UNREACHABLE_DSN)
    assert_user_error(run)
    assert "manifest.json not found" in run.stderr
    assert "run 'dv generate'" in run.stderr


def test_error_text_is_not_read_as_markup(tmp_path: Path) -> None:
    """An error naming a path with [/brackets] is printed as it is, not parsed as rich markup."""
    root = tmp_path / "odd[" / "x]"  # shown as .../odd[/x]: a closing tag to rich
    root.mkdir(parents=True)
    run = dv("--project", str(root), "apply", "--dsn", UNREACHABLE_DSN)
    assert_user_error(run)
    assert "odd[/x]" in run.stderr


@pytest.mark.db
def test_apply_and_load(basic: Path, test_dsn: str) -> None:
    from tests.conftest import reset_schemas

    reset_schemas(test_dsn)
    run = dv("--project", str(basic), "apply", "--dsn", test_dsn)
    assert run.returncode == 0, run.stderr
    assert "applied" in run.stdout
    run = dv("--project", str(basic), "load", "--dsn", test_dsn, "--load-dts", "2026-01-01T00:00:00+00:00")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    batch = run.stdout.split("batch ", 1)[1].split(",", 1)[0]
    run = dv("--project", str(basic), "load", "--dsn", test_dsn, "--batch", batch)  # a rerun: nothing to do
    assert run.returncode == 0, run.stderr
    assert "load(s) logged as done for it skipped" in run.stdout and "hub.customer" not in run.stdout
    run = dv("--project", str(basic), "load", "--dsn", test_dsn, "--batch", batch, "--reload")
    assert run.returncode == 0, run.stderr
    assert "hub.customer" in run.stdout and "skipped" not in run.stdout
    run = dv("--project", str(basic), "load", "--dsn", test_dsn, "--batch", "999999")
    assert_user_error(run)
    assert "batch 999999 does not exist" in run.stderr


@pytest.mark.db
@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://postgres:S3cr3t-pw@127.0.0.1:1/jtld_warehouse",
        "postgresql://postgres@127.0.0.1:1/jtld_warehouse?password=S3cr3t-pw",
        "host=127.0.0.1 port=1 dbname=jtld_warehouse user=postgres password=S3cr3t-pw",
        "host=127.0.0.1 password=S3cr3t-pw port=1 dbname",  # libpq cannot read it
    ],
)
def test_a_refused_connection_never_prints_the_password(dsn: str, basic: Path) -> None:
    run = dv("--project", str(basic), "status", "--dsn", dsn)
    assert_user_error(run)
    assert "cannot connect to the warehouse" in run.stderr
    assert "S3cr3t-pw" not in run.stderr + run.stdout


# --- help -------------------------------------------------------------------------------------------

# what `dv --help` and `dv COMMAND --help` must not import: the parser alone answers them (issue 15: start-up)
HEAVY_MODULES = ("psycopg2", "sqlglot", "pydantic", "networkx", "jinja2", "luigi", "generator.manifest_model")


def test_every_command_help_opens_with_its_description() -> None:
    from pipelines.cli import COMMANDS, build_parser

    parser = build_parser()
    summary = parser.format_help()
    for name in COMMANDS:
        sub = next(a for a in parser._actions if a.dest == "command").choices[name]  # type: ignore[index]
        assert sub.description, f"dv {name} --help has no description"
        assert sub.description.rstrip(".").lower() in " ".join(summary.split()).lower(), name
    run = dv("validate", "--help")
    assert run.returncode == 0, run.stderr
    assert "Check model/ and print every problem found." in run.stdout


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["run", "--help"]])
def test_help_imports_only_the_parser(args: list[str]) -> None:
    probe = (
        "import sys\nfrom pipelines.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY_MODULES!r} if m in sys.modules], file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "[]", f"dv {' '.join(args)} imported {run.stderr}"

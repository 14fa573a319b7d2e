"""Shared fixtures. Database tests are marked ``db`` and run on a real PostgreSQL:

1. a testcontainers PostgreSQL when a Docker engine answers;
2. otherwise the server named by ``DV_TEST_DSN``;
3. otherwise the local server at 127.0.0.1:5432.

The test run creates its own database and drops it at the end.

The fast tier reads the repository's model many times: :func:`model_of` and :func:`rendered_of` load and render
a model folder once per test session (also at collection time); the session fixtures ``repo_model`` and
``generated_project`` (a project with ``dv generate``'s output) hand such results to the tests that only read them.
"""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest

from generator.constants import ALL_SCHEMAS
from generator.generate import generate
from generator.model import Model, load_model
from generator.render import render_all
from pipelines.db import connect
from pipelines.project import Project

REPO = Path(__file__).resolve().parent.parent
os.environ["SODA_CORE_TELEMETRY_ENABLED"] = "false"  # Soda Core (data-quality checks): no calls home
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOCAL_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


# --- the models, loaded and rendered once per session (read them; never change them) -------------------------


@functools.cache
def model_of(model_dir: Path) -> Model:
    """The model of a model folder (its project root is the folder's parent), loaded once per session."""
    return load_model(model_dir, model_dir.parent)


@functools.cache
def rendered_of(model_dir: Path) -> Mapping[str, str]:
    """Every file ``render_all`` makes of a model folder (path -> text), rendered once per session; read-only."""
    return MappingProxyType(render_all(model_of(model_dir)))


@pytest.fixture(scope="session")
def repo_model() -> Model:
    """The repository's model (model/), loaded once per session."""
    return model_of(REPO / "model")


GeneratedProject = Callable[[Path], Path]  # the type of the generated_project fixture


@pytest.fixture(scope="session")
def generated_project(tmp_path_factory: pytest.TempPathFactory) -> GeneratedProject:
    """``generated_project(model_dir)``: a project of the session's own with a copy of the model folder and what
    ``dv generate`` writes (vault_sql/, the contracts), generated once per folder and session. Read it, or copy it
    with ``shutil.copytree`` before changing anything."""
    made: dict[Path, Path] = {}

    def get(model_dir: Path) -> Path:
        if model_dir not in made:
            root = tmp_path_factory.mktemp(f"generated_{model_dir.name}") / "project"
            shutil.copytree(model_dir, root / "model")
            generate(root)
            made[model_dir] = root
        return made[model_dir]

    return get


def _docker_postgres() -> Iterator[str] | None:
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:
        return None
    from testcontainers.community.postgres import PostgresContainer

    def run() -> Iterator[str]:
        with PostgresContainer("postgres:16-alpine", driver=None) as pg:
            yield pg.get_connection_url()

    return run()


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[str]:
    """DSN of a maintenance database on the server the tests use."""
    container = _docker_postgres()
    if container is not None:
        yield from container
        return
    yield os.environ.get("DV_TEST_DSN") or LOCAL_DSN


def _with_database(dsn: str, name: str) -> str:
    params = psycopg2.extensions.parse_dsn(dsn)
    params["dbname"] = name
    return psycopg2.extensions.make_dsn(**params)


@pytest.fixture(scope="session")
def test_dsn(server_dsn: str) -> Iterator[str]:
    """A database of this test run's own, dropped at the end."""
    name = f"dv_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_dsn, name)
    finally:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            drop_database(cur, name)
        admin.close()


ROLE_NAMES = ("owner", "loader", "reader", "auditor", "personal_data")  # model/project.yml's defaults


def drop_database(cur: psycopg2.extensions.cursor, name: str) -> None:
    """Drop a test database and the roles dv apply made for it (``<database>_loader`` …: roles are cluster-wide,
    and a test leaves none behind)."""
    cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    for role in ROLE_NAMES:
        cur.execute(f'DROP ROLE IF EXISTS "{name}_{role}"')


def reset_schemas(dsn: str) -> None:
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        for schema in ALL_SCHEMAS:
            cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    conn.close()


@pytest.fixture
def warehouse(test_dsn: str) -> Iterator[psycopg2.extensions.connection]:
    """A connection to the test database with every dv schema dropped first."""
    reset_schemas(test_dsn)
    conn = connect(test_dsn)
    try:
        yield conn
    finally:
        conn.close()


def make_project(tmp_path: Path, model_dir: Path) -> Project:
    """Copy a model folder into a fresh project, generate its SQL, and open it."""
    root = tmp_path / "project"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(model_dir, root / "model")
    generate(root)
    return Project.open(root)


# --- the demo platform with its marts (tests/test_marts_*.py) ----------------------------------------------


@dataclass
class DemoMarts:
    """The demo pipeline run into databases of the test session's own: 3 simulated days of the platform
    (scale 0.005), each a batch through Luigi, the marts refreshed after each (gates of the injected defects
    accepted, as ``make demo`` does)."""

    dsn: str  # the warehouse
    source_dsn: str  # the platform's database (schemas platform, sim)
    landing: Path  # the landing folder: events/, board_a/, board_b/, crm/, defects.json
    run: Any  # pipelines.demo.DemoRun


@pytest.fixture(scope="session")
def demo_marts(server_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoMarts]:
    from pipelines.demo import sample as demo

    name = f"dv_marts_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    dsn = _with_database(server_dsn, name)
    landing = tmp_path_factory.mktemp("demo_landing")
    created: list[str] = [name, f"{name}_source"]
    try:
        result = demo.run(REPO, dsn, landing_dir=landing)
        yield DemoMarts(dsn, result.source_dsn, landing, result)
    finally:
        admin = psycopg2.connect(server_dsn)
        admin.autocommit = True
        with admin.cursor() as cur:
            for db in created:
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
                    " AND pid <> pg_backend_pid()",
                    (db,),
                )
                drop_database(cur, db)
        admin.close()

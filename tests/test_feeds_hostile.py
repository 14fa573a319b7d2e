"""File feeds against hostile files (hostile review, issue 13): a byte-order mark, records nested
thousands deep, entity expansion and external entities in XML, an oversized CSV field, a header naming a
column twice, feed paths leading out of the landing folder. Each is quarantined with a reason (or refused
with a message that quotes nothing outside the landing folder), and the other records and feeds land.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.errors import WarehouseError
from generator.manifest_model import FileFeed
from pipelines.db import connect, transaction
from pipelines.extract.feeds import land_feeds
from pipelines.extract.feeds.feedfiles import plan_files
from pipelines.extract.feeds.parsers import FeedFile, FeedFormatError, board_a_xml, board_b_json, crm_csv, events_jsonl
from pipelines.extract.feeds.records import MAX_DEPTH
from pipelines.project import Project
from pipelines.warehouse import apply, open_batch
from tests.conftest import REPO, make_project, reset_schemas
from tests.test_feeds import BOARD_A_COLUMNS, CRM, bads, breaks, columns, crm_file, event_file, parse, rows

EVENT = '{{"event_id":"{id}","type":"login","user_id":3,"timestamp":"2026-03-02T10:07:00.000Z","payload":{payload}}}\n'
DEEP = 5000  # far deeper than Python's recursion limit


def event(n: int, payload: str = '{"method":"google"}') -> str:
    return EVENT.format(id=f"e{n}", payload=payload)


def test_a_byte_order_mark_before_the_first_event_is_not_part_of_it() -> None:
    records = parse(events_jsonl, "\ufeff" + event(1) + event(2), event_file("login"))
    assert [r[0] for r in rows(records)] == ["e1", "e2"] and not bads(records)


def test_an_event_nested_too_deep_is_quarantined_alone() -> None:
    deep = "[" * DEEP + "]" * DEEP
    records = parse(events_jsonl, event(1) + event(2, deep) + event(3), event_file("login"))
    assert [r[0] for r in rows(records)] == ["e1", "e3"]
    assert [(b.line, b.reason) for b in bads(records)] == [
        (2, f"extract: the line nests {DEEP + 1} levels deep (at most {MAX_DEPTH})")
    ]


def board_a(*jobs: str) -> str:
    return '<?xml version="1.0"?>\n<jobs board="board_a" date="2026-03-03">\n' + "".join(jobs) + "</jobs>\n"


def job(n: int, inner: str = "<title>t</title>") -> str:
    return f'  <job id="A{n}">\n    {inner}\n  </job>\n'


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, DEEP, 100_000])
def test_a_board_a_record_nested_too_deep_is_quarantined_and_the_others_land(depth: int) -> None:
    nested = "<x>" * depth + "</x>" * depth
    records = parse(board_a_xml, board_a(job(1), job(2, nested), job(3)), FeedFile("board_a/d.xml", BOARD_A_COLUMNS))
    assert [r[1] for r in rows(records)] == ["A1", "A3"]
    assert [(b.line, b.reason) for b in bads(records)] == [
        (6, f"extract: the record nests {depth + 1} levels deep (at most {MAX_DEPTH})")
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE jobs [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<jobs board="board_a" date="2026-03-03"><job id="A1"><title>&lol9;</title></job></jobs>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE jobs [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<jobs board="board_a" date="2026-03-03"><job id="A1"><title>&xxe;</title></job></jobs>
"""


@pytest.mark.parametrize(("document", "entity"), [(BILLION_LAUGHS, "lol"), (EXTERNAL, "xxe")])
def test_xml_entities_are_refused_not_expanded_or_read(document: str, entity: str) -> None:
    records = parse(board_a_xml, document, FeedFile("board_a/d.xml", BOARD_A_COLUMNS))
    assert not rows(records)
    (bad,) = bads(records)
    assert bad.reason.startswith(f"extract: the XML document declares the entity '{entity}'")
    assert "entities are not expanded" in bad.reason and breaks(records)
    text = bad.reason + bad.raw + "".join(breaks(records))
    assert "lollol" not in text and "root:" not in text  # nothing expanded, /etc/passwd never read


def test_a_board_b_page_nested_too_deep_is_quarantined_whole() -> None:
    page = '{"board":"board_b","page":1,"pages":1,"items":[{"id":"B1","x":' + "[" * DEEP + "]" * DEEP + "}]}"
    records = parse(board_b_json, page, FeedFile("board_b/d/page-0001.json", columns("posting_id board")))
    assert not rows(records) and breaks(records)
    assert [b.reason for b in bads(records)] == [
        f"extract: the page nests {DEEP + 3} levels deep (at most {MAX_DEPTH})"
    ]


def test_a_crm_field_over_the_size_limit_is_a_quarantined_record() -> None:
    big = CRM.replace("Iron Energy B.V.", "x" * 200_000)
    records = parse(crm_csv, big, crm_file())
    assert "001J00000000017" in [r[0] for r in rows(records)]
    assert bads(records)[0].reason == "extract: a field is longer than 131072 characters (the CSV field-size limit)"
    assert bads(records)[0].line == 2


def test_a_crm_header_naming_a_column_twice_is_refused() -> None:
    twice = CRM.replace("Billing Country", "account id")
    with pytest.raises(FeedFormatError, match="fields 1 and 6 of the header both name column 'account_id'"):
        parse(crm_csv, twice, crm_file())


# -- feed paths -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", ["../../etc/passwd", "crm/../../secret.csv", "/etc/passwd", "C:\\x.csv"])
def test_a_feed_path_out_of_the_landing_folder_is_refused(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "landing").mkdir()
    with pytest.raises(WarehouseError, match="leads out of the landing folder"):
        plan_files(tmp_path / "landing", FileFeed(path=pattern, format="crm_csv", event_type=None))


def test_a_symbolic_link_out_of_the_landing_folder_is_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("the first line of a secret\n")
    (tmp_path / "landing" / "crm").mkdir(parents=True)
    os.symlink(secret, tmp_path / "landing" / "crm" / "accounts_2026-03-02.csv")
    with pytest.raises(WarehouseError) as caught:
        plan_files(tmp_path / "landing", FileFeed(path="crm/*.csv", format="crm_csv", event_type=None))
    assert "crm/accounts_2026-03-02.csv leads out of the landing folder" in str(caught.value)
    assert "secret" not in str(caught.value)


@pytest.fixture(scope="module")
def repo_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_project(tmp_path_factory.mktemp("hostile_feeds"), REPO / "model")


@pytest.fixture
def hostile(repo_project: Project, test_dsn: str, tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    reset_schemas(test_dsn)
    conn = connect(test_dsn)
    try:
        apply(conn, repo_project)
        yield tmp_path / "landing", conn
    finally:
        conn.close()


@pytest.mark.db
def test_a_hostile_file_is_quarantined_or_refused_and_every_other_feed_lands(
    hostile: tuple[Path, Any], repo_project: Project, tmp_path: Path
) -> None:
    landing, conn = hostile
    for folder in ("events", "board_a", "board_b/2026-03-02", "crm"):
        (landing / folder).mkdir(parents=True)
    (landing / "events" / "2026-03-02T10.jsonl").write_text("\ufeff" + event(1) + event(2, "[" * DEEP + "]" * DEEP))
    nested = "<x>" * DEEP + "</x>" * DEEP
    (landing / "board_a" / "2026-03-02.xml").write_text(board_a(job(1), job(2, nested)))
    page = '{"board":"board_b","page":1,"pages":1,"items":' + "[" * DEEP + "]" * DEEP + "}"
    (landing / "board_b" / "2026-03-02" / "page-0001.json").write_text(page)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(secret, landing / "crm" / "accounts_2026-03-02.csv")
    batch_id, _ = open_batch(conn)
    errors: list[tuple[str, str]] = []
    results = {r.source: r for r in land_feeds(conn, repo_project, landing, batch_id, errors)}
    assert [source for source, _ in errors] == ["crm_accounts"]
    assert "leads out of the landing folder" in errors[0][1] and "root:" not in errors[0][1]
    assert results["events_logins"].rows_landed == 1 and results["events_logins"].rows_quarantined == 1
    assert (results["board_a_postings"].rows_landed, results["board_a_postings"].rows_quarantined) == (1, 1)
    assert (results["board_b_postings"].rows_landed, results["board_b_postings"].rows_quarantined) == (0, 1)
    with transaction(conn) as cur:
        cur.execute("SELECT source, reason FROM dv_meta.quarantine WHERE batch_id = %s ORDER BY source", (batch_id,))
        reasons = cur.fetchall()
        cur.execute("SELECT count(*) FROM dv_meta.quarantine WHERE source_row::text LIKE '%%root:x%%'")
        assert cur.fetchone()[0] == 0
    assert [s for s, _ in reasons] == ["board_a_postings", "board_b_postings", "events_logins"]
    assert all("levels deep" in r for _, r in reasons)
    shutil.rmtree(landing)

"""Naming conventions and the hash spec: the one place these are decided.

Changing anything under "hash spec" changes hash keys. That is a new spec
version (``HASH_SPEC_VERSION``) and a rehash, never a silent edit.
"""

from __future__ import annotations

# --- schemas -----------------------------------------------------------------
SCHEMA_STAGING = "staging"
SCHEMA_RAW_VAULT = "raw_vault"
SCHEMA_BUSINESS_VAULT = "business_vault"
SCHEMA_MARTS = "marts"
SCHEMA_META = "dv_meta"
ALL_SCHEMAS = (SCHEMA_STAGING, SCHEMA_RAW_VAULT, SCHEMA_BUSINESS_VAULT, SCHEMA_MARTS, SCHEMA_META)

# --- table and column names ----------------------------------------------------
HUB_PREFIX = "hub_"
LINK_PREFIX = "link_"
SAT_PREFIX = "sat_"
MSAT_PREFIX = "msat_"  # multi-active satellites
RTS_PREFIX = "rts_"  # record-tracking satellites
STS_PREFIX = "sts_"  # status-tracking satellites (deletion detection of full extracts)
REF_PREFIX = "ref_"  # reference tables: code lists with history, keyed by their codes
ESAT_PREFIX = "esat_"  # effectivity satellites: relationship periods of a link per driving key
NHL_PREFIX = "nhl_"  # non-historized links: events and transactions, payload in the link row
STAGE_SUFFIX = "_stage"  # staging.<source>_stage: typed, hashed rows of every batch
HASH_KEY_PREFIX = "hk_"
HASHDIFF_PREFIX = "hd_"  # hashdiff column in a stage table: hd_<satellite>

COL_LOAD_DTS = "load_dts"
COL_LOAD_SEQ = "load_seq"
COL_APPLIED_DTS = "applied_dts"
COL_RECORD_SOURCE = "record_source"
COL_BATCH_ID = "batch_id"
COL_HASHDIFF = "hashdiff"
COL_ROW_NO = "dv_row_no"  # landing order of a source row within its batch
COL_APPLIED_SEQ = "applied_seq"  # satellites of a source with a sequence column: order at equal applied_dts
COL_STATUS = "status"  # status-tracking satellites: STATUS_PRESENT or STATUS_DELETED
STATUS_PRESENT = "present"
STATUS_DELETED = "deleted"
COL_IS_ACTIVE = "is_active"  # effectivity satellites: true = the relationship starts, false = it ends

GHOST_RECORD_SOURCE = "SYSTEM.GHOST"
GHOST_LOAD_DTS = "0001-01-01 00:00:00+00"

# --- hash spec ------------------------------------------------------------------
HASH_SPEC_VERSION = 1
HASH_DELIMITER = "|"
HASH_ESCAPE = "\\"
HASH_NULL_TOKEN = "\\N"  # cannot be produced by an escaped value: escaped backslashes come in pairs
# Characters removed from every value before hashing (C0 controls and DEL).
HASH_CONTROL_CHARS = "[\\x00-\\x1f\\x7f]"
# A business-key part made only of these (after the control characters are gone) counts as empty, i.e. NULL:
# U+0020 and the other Unicode White_Space characters, and the invisible zero-width ones (U+180E, U+200B-U+200D,
# U+2060, U+FEFF). Only the blank test uses them: a key with anything else in it is not trimmed of them.
HASH_KEY_BLANKS = (
    " \u0085\u00a0\u1680\u180e"
    + "".join(chr(c) for c in range(0x2000, 0x200E))  # en quad ... hair space, zero-width space, ZWNJ, ZWJ
    + "\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)
HASH_ALGORITHMS = ("md5", "sha256")
HASH_BYTES = {"md5": 16, "sha256": 32}

IDENTIFIER_MAX_BYTES = 63

"""The hash spec, implemented in Python: the golden reference.

The generated SQL (``generator/dialects``) must give byte-identical results;
``tests/test_hash_golden.py`` proves it on a real PostgreSQL. The spec is
written down in ``docs/hashing.md``; its version is ``HASH_SPEC_VERSION``.

Steps for one value:
1. render as text by type family (dates ISO, numbers without trailing zeros,
   timestamps with microseconds, timestamptz in UTC);
2. remove control characters (U+0000-U+001F, U+007F);
3. business keys only: trim spaces, upper-case ASCII letters (unless the key
   is declared case sensitive), and an empty result counts as NULL, as does a
   part made only of Unicode blanks (``HASH_KEY_BLANKS``: no-break, zero-width, ...);
4. escape: ``\\`` becomes ``\\\\`` and ``|`` becomes ``\\|``;
5. NULL becomes the token ``\\N``.
Parts are joined by ``|``. Hashdiffs strip trailing NULL tokens, so appending
a nullable column does not change the hashdiff of existing rows. A business
key whose parts are all NULL gets the zero key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from generator.constants import HASH_BYTES, HASH_DELIMITER, HASH_KEY_BLANKS, HASH_NULL_TOKEN

_CONTROL = re.compile("[\x00-\x1f\x7f]")
_TRAILING_NULLS = re.compile(r"(\|\\N)+$")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _plain_decimal(value: Decimal) -> str:
    if value == 0:
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def render(value: Any, family: str) -> str | None:
    """Render one value as text, the way the SQL dialect does for ``family``."""
    if value is None:
        return None
    if family == "text":
        return str(value)
    if family == "integer":
        return str(int(value))
    if family == "numeric":
        return _plain_decimal(Decimal(str(value)))
    if family == "float":
        # PostgreSQL casts float8 to numeric with 15 significant digits (DBL_DIG).
        return _plain_decimal(Decimal(format(float(value), ".15g")))
    if family == "boolean":
        return "true" if value else "false"
    if family == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if family == "time":
        return str(value.strftime("%H:%M:%S.%f"))
    # isoformat, not strftime: strftime("%Y") does not zero-pad years below 1000 (0001-01-01)
    if family == "timestamp":
        return str(value.replace(tzinfo=None).isoformat("T", "microseconds"))
    if family == "timestamptz":
        return str(value.astimezone(dt.UTC).replace(tzinfo=None).isoformat("T", "microseconds")) + "Z"
    if family == "uuid":
        return str(value).lower()
    raise ValueError(f"type family {family!r} has no Python rendering in the hash spec")


def standardize(text: str | None, *, business_key: bool, case_sensitive: bool) -> str | None:
    """Steps 2-3: control characters out; for business keys trim, fold case, '' or only blanks -> NULL."""
    if text is None:
        return None
    text = _CONTROL.sub("", text)
    if business_key:
        text = text.strip(" ")
        if not case_sensitive:
            text = text.translate(_ASCII_UPPER)
        if text.strip(HASH_KEY_BLANKS) == "":  # empty, or only blanks of another kind than U+0020
            return None
    return text


def escape(text: str | None) -> str:
    """Steps 4-5: escape the delimiter and escape character; NULL becomes the token."""
    if text is None:
        return HASH_NULL_TOKEN
    return text.replace("\\", "\\\\").replace(HASH_DELIMITER, "\\" + HASH_DELIMITER)


def digest(text: str, algorithm: str) -> bytes:
    if algorithm == "md5":
        return hashlib.md5(text.encode("utf-8")).digest()
    if algorithm == "sha256":
        return hashlib.sha256(text.encode("utf-8")).digest()
    raise ValueError(f"unknown hash algorithm {algorithm!r}")


def zero_key(algorithm: str) -> bytes:
    return bytes(HASH_BYTES[algorithm])


def key_string(parts: Sequence[tuple[Any, str, bool]]) -> str | None:
    """Hash input of a business key: parts are (value, family, case_sensitive).

    ``None`` when every part is NULL (the caller maps that to the zero key).
    """
    cleaned = [standardize(render(v, fam), business_key=True, case_sensitive=cs) for v, fam, cs in parts]
    if all(c is None for c in cleaned):
        return None
    return HASH_DELIMITER.join(escape(c) for c in cleaned)


def hash_key(parts: Sequence[tuple[Any, str, bool]], algorithm: str = "md5") -> bytes:
    text = key_string(parts)
    return zero_key(algorithm) if text is None else digest(text, algorithm)


def hashdiff_string(parts: Sequence[tuple[Any, str]], case_sensitive: bool = True) -> str:
    cleaned = [standardize(render(v, fam), business_key=False, case_sensitive=case_sensitive) for v, fam in parts]
    if not case_sensitive:
        cleaned = [c.translate(_ASCII_UPPER) if c is not None else None for c in cleaned]
    joined = HASH_DELIMITER.join(escape(c) for c in cleaned)
    return _TRAILING_NULLS.sub("", joined)


def hashdiff(parts: Sequence[tuple[Any, str]], algorithm: str = "md5", case_sensitive: bool = True) -> bytes:
    return digest(hashdiff_string(parts, case_sensitive), algorithm)


def group_hashdiff_string(members: Sequence[bytes]) -> str:
    """Hash input of a multi-active group: its members' hashdiffs as lower-case hex, sorted by their
    bytes, joined by ``|`` (so the order the members arrive in does not matter)."""
    return HASH_DELIMITER.join(m.hex() for m in sorted(members))


def group_hashdiff(members: Sequence[bytes], algorithm: str = "md5") -> bytes:
    return digest(group_hashdiff_string(members), algorithm)

"""The names of downloaded files (PDF, Excel): the form's name, the record's short code
and the date, never the person's name — a file name shows in download lists, browser
histories, mail attachments and shared folders, outside every access rule."""

import datetime as dt
import re
import uuid
from urllib.parse import quote


def short_code(code: uuid.UUID) -> str:
    """The first 8 hex digits of a record's code: enough to tell files apart."""
    return code.hex[:8]


def file_names(
    title: str, ascii_title: str, code: uuid.UUID | None, day: dt.date, extension: str, *, as_of: bool = False
) -> tuple[str, str]:
    """(Japanese name, ASCII fallback): 「プラン_1a2b3c4d_20261126.pdf」, "plan_1a2b3c4d_20261126.pdf"."""
    ref = f"_{short_code(code)}" if code else ""
    mark = "時点" if as_of else ""
    return f"{title}{ref}_{day:%Y%m%d}{mark}.{extension}", f"{ascii_title}{ref}_{day:%Y%m%d}.{extension}"


def content_disposition(how: str, name: str, fallback: str) -> str:
    """RFC 6266 / 5987: the UTF-8 name for browsers, a plain ASCII one for the rest."""
    name = re.sub(r'[\x00-\x1f\x7f\\/:*?"<>|]', "_", name)
    return f"{how}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"

"""What kind of file an import was given, from its bytes, and how to make it an ``.xlsx``.

A file's name says little: a team's "log.xls" may be a web page a reporting tool wrote, a
CSV renamed, Excel's "Unicode Text" or "Single File Web Page", a password-protected workbook
or a link Google Drive left on the disk. Each kind the import does not read gets one line
saying what the file is and how to save it as an Excel Workbook (.xlsx).

:func:`container` looks at the first bytes (and, for a compound file, its directory of
streams); :func:`zip_kind` looks at the names inside a zip archive.
"""

from __future__ import annotations

import re
import zipfile
from typing import Final

from complaints_cli.errors import ComplaintsError
from complaints_cli.files.xls_file import Compound, CompoundError, read_compound


class SpreadsheetError(ComplaintsError):
    """The file cannot be read as a workbook; the message says why and what to do."""


_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS: Final = (
    "open it in Excel, choose File > Save As > Excel Workbook (.xlsx), and import that"
)
_PASSWORD: Final = (
    "open it in Excel with its password, choose File > Info > Protect Workbook > Encrypt "
    "with Password, clear the password, save it as an Excel Workbook (.xlsx), and import that"
)


def _text_of(head: bytes) -> str | None:
    """The head of a text file as text, or ``None`` when it is not text."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "replace")
    sample = head[:-4]  # a multi-byte character may be cut at the end
    if sample and b"\x00" in sample:
        # UTF-16 without a byte order mark: every other byte is NUL in Latin text.
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > len(odd) * 0.8:
            return head.decode("utf-16-le", "replace")
        if even.count(0) > len(even) * 0.8:
            return head.decode("utf-16-be", "replace")
        return None
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError:
        pass
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in sample)
    return sample.decode("latin-1") if printable >= len(sample) * 0.95 else None


#: LibreOffice's lock file (``.~lock.NAME#``): the user's name (may be empty), the system
#: user, the host, when (dd.mm.yyyy hh:mm), the profile's URL, ``;``. Compiled on first use
#: (re's cache): only a file under 2 KB is matched.
_LO_LOCK: Final = (
    rb"(?P<name>[^,\r\n]*),(?P<user>[^,\r\n]*),[^,\r\n]*,\d{2}\.\d{2}\.\d{4} \d{2}:\d{2},"
    rb"[^\r\n]*;\s*"
)


def _lock_owner(head: bytes) -> str | None:
    """Who holds the workbook open, when ``head`` is a whole lock file; else ``None``.

    Excel's owner file (``~$NAME.xlsx``, 165 bytes; Word's 162) starts with the length of the
    user's name (at most 53), the name in the Windows code page, then spaces (Excel) or NULs
    (Word) to byte 54, then the name again in UTF-16 (LibreOffice's
    ``svl/source/misc/msodocumentlockfile.cxx`` writes and reads the same layout).
    LibreOffice's own (``.~lock.NAME#``) is one line: name, system user, host, date, profile
    URL (as LibreOffice 7 writes it).
    """
    if len(head) in (162, 165) and 0 < head[0] <= 53:
        name = head[1 : 1 + head[0]]
        pad = head[1 + head[0] : 54]
        if all(b >= 32 for b in name) and pad.strip(b" \x00") == b"":
            return name.decode("cp1252", "replace").strip() or None
    if len(head) < 2048 and (m := re.fullmatch(_LO_LOCK, head)) is not None:
        found = (m["name"] or m["user"]).decode("utf-8", "replace").strip()
        return found or None
    return None


def _wide(head: bytes) -> bool:
    """Whether the text is UTF-16 or UTF-32 (Excel's "Unicode Text")."""
    return head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or (
        b"\x00" in head[:-4]
    )


_MARKUP = re.compile(r"<\s*(!doctype\s+html|html|head|body|meta|table|title|style|div|p\b|!--)")
_HEADER_LINE = re.compile(r"[A-Za-z][A-Za-z0-9-]*:[ \t]")


def _describe_text(text: str, shown: str, wide: bool) -> str:
    """The one-line refusal for a text file, by what its text looks like."""
    start = text.lstrip("\ufeff \t\r\n")
    low = start[:4000].lower()
    if _HEADER_LINE.match(start) and (
        "mime-version:" in low or "content-type: multipart/related" in low
    ):
        return (
            f"{shown} is a single-file web page (MHTML, as Excel's 'Single File Web Page' "
            f"saves), not a workbook: {_SAVE_AS}"
        )
    if low.startswith("<?xml") or low.startswith("<?mso"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in low or "excel.sheet" in low:
            return f"{shown} is an Excel 2003 XML Spreadsheet, not a workbook: {_SAVE_AS}"
        if "opendocument.spreadsheet" in low or "office:document" in low:
            return (
                f"{shown} is a flat OpenDocument spreadsheet (.fods): open it in LibreOffice, "
                "save it as an Excel 2007-365 workbook (.xlsx) or .ods, and import that"
            )
        if "<html" not in low and "<table" not in low:
            return f"{shown} is an XML file, not a workbook: {_SAVE_AS}"
    if _MARKUP.match(low) or low.startswith("<?xml") or "<table" in low or "<html" in low:
        page = "a UTF-16 web page (HTML)" if wide else "a web page (HTML)"
        return (
            f"{shown} is {page}, not a workbook, as reporting tools and Excel's 'Web Page' "
            f"save write under a spreadsheet's name: {_SAVE_AS}"
        )
    if low.startswith("{") and "docs.google.com" in low:
        return (
            f"{shown} is a Google Sheets shortcut (a link Google Drive keeps on the disk), not "
            "the spreadsheet: open it in Google Sheets, choose File > Download > Microsoft "
            "Excel (.xlsx), and import that file"
        )
    if low.startswith(("{", "[")):
        return f"{shown} is a JSON file, not a workbook: import reads .xlsx, .xls and .ods"
    if low.startswith("{\\rtf"):
        return f"{shown} is an RTF document, not a workbook: import reads .xlsx, .xls and .ods"
    if wide:
        return (
            f"{shown} is a UTF-16 text file (as Excel's 'Unicode Text' saves, tab-separated), "
            f"not a workbook: {_SAVE_AS}"
        )
    return f"{shown} is a text file (CSV or tab-separated), not a workbook: {_SAVE_AS}"


def container(data: bytes, shown: str) -> tuple[str, Compound | None]:
    """``("zip", None)`` or ``("ole", compound)`` for a file that may be a workbook; any
    other kind is a :class:`SpreadsheetError` saying what it is and what to do."""
    head = data[:8192]
    if head.startswith(_ZIP_MAGIC):
        return "zip", None
    if head.startswith(_OLE_MAGIC):
        return "ole", _compound(data, shown)
    if head.startswith(b"PK"):
        raise SpreadsheetError(f"{shown} is a damaged or unsupported zip archive, not a workbook")
    if head.startswith(b"%PDF"):
        raise SpreadsheetError(
            f"{shown} is a PDF, not a workbook: import needs the spreadsheet itself (.xlsx, "
            ".xls or .ods), not a printout"
        )
    if head[:2] in (b"\x09\x00", b"\x09\x02", b"\x09\x04") and head[3:4] == b"\x00":
        raise SpreadsheetError(f"{shown} is an Excel 4.0 (or older) worksheet: {_SAVE_AS}")
    locked_by = _lock_owner(head)
    if locked_by is not None:
        raise SpreadsheetError(
            f"{shown} is the lock file an office program keeps beside a workbook while "
            f"{locked_by!r} has it open, not the workbook: import the workbook itself (the "
            "same name without '~$' or '.~lock.')"
        )
    text = _text_of(head)
    if text is not None and text.strip("\ufeff \t\r\n\x00"):
        raise SpreadsheetError(_describe_text(text, shown, _wide(head)))
    raise SpreadsheetError(
        f"{shown} is not a spreadsheet: import reads Excel (.xlsx, .xls) and "
        "OpenDocument (.ods) workbooks"
    )


def _compound(data: bytes, shown: str) -> Compound:
    """A compound file that holds a workbook, or the refusal saying what it holds."""
    try:
        compound = read_compound(data)
    except CompoundError as exc:
        raise SpreadsheetError(f"{shown} is a damaged Office file: {exc}") from None
    names = compound.names()
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise SpreadsheetError(f"{shown} is password-protected (encrypted): {_PASSWORD}")
    if "workbook" in names or "book" in names:
        return compound
    if "worddocument" in names:
        raise SpreadsheetError(f"{shown} is a Word document, not a workbook")
    if "powerpoint document" in names:
        raise SpreadsheetError(f"{shown} is a PowerPoint presentation, not a workbook")
    raise SpreadsheetError(f"{shown} is an Office file with no workbook in it: {_SAVE_AS}")


def zip_kind(zf: zipfile.ZipFile, shown: str) -> str:
    """``"xlsx"`` or ``"ods"`` for a zip archive holding a workbook the import reads; any
    other archive is a :class:`SpreadsheetError` saying what it is."""
    names = set(zf.namelist())
    if "xl/workbook.bin" in names:
        raise SpreadsheetError(f"{shown} is an Excel Binary Workbook (.xlsb): {_SAVE_AS}")
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names or "content.xml" in names:
        mimetype = zf.read("mimetype")[:200] if "mimetype" in names else b""
        manifest = (
            zf.read("META-INF/manifest.xml")[:1_000_000]
            if "META-INF/manifest.xml" in names
            else b""
        )
        if b"encryption-data" in manifest:
            raise SpreadsheetError(
                f"{shown} is a password-protected OpenDocument spreadsheet: open it in "
                "LibreOffice with its password, choose File > Save As, untick 'Save with "
                "password', save it as Excel 2007-365 (.xlsx) or .ods, and import that"
            )
        if b"opendocument.spreadsheet" not in mimetype:
            found = mimetype.decode("ascii", "replace").strip() or "no type"
            raise SpreadsheetError(
                f"{shown} is an OpenDocument file but not a spreadsheet ({found})"
            )
        if "content.xml" not in names:
            raise SpreadsheetError(f"{shown} is damaged: it has no content.xml")
        return "ods"
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names) or "Index.zip" in names:
        raise SpreadsheetError(
            f"{shown} is an Apple Numbers document: in Numbers choose File > Export To > "
            "Excel, and import the .xlsx it makes"
        )
    if "word/document.xml" in names:
        raise SpreadsheetError(f"{shown} is a Word document, not a workbook")
    if "ppt/presentation.xml" in names:
        raise SpreadsheetError(f"{shown} is a PowerPoint presentation, not a workbook")
    if any(n.lower().endswith((".html", ".htm")) for n in names):
        raise SpreadsheetError(
            f"{shown} is a zip of web pages (as Google Sheets' 'Web Page' download makes), not "
            "a workbook: in Google Sheets choose File > Download > Microsoft Excel (.xlsx), "
            "or open the pages in Excel and save as .xlsx"
        )
    raise SpreadsheetError(f"{shown} is a zip archive, not a workbook")


__all__ = ["SpreadsheetError", "container", "zip_kind"]

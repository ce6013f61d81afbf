"""Zip archives: each member a child, with limits against archive bombs.

Checked before anything is unpacked: the number of members, the total unpacked size, the
compression ratio (overall, and per member once it is big enough to matter), encrypted members
and member names that try to climb out of their folder (``../``, absolute paths), which only a
hostile archive has. Sizes are enforced again while unpacking, because a zip's directory can lie
about them. Member names are never used as paths (see ``names.child_path``). Nested archives are
children like any other file and are unpacked by the next call, one level deeper.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from sar.sources.extract.model import Child, Limits, Refused
from sar.sources.extract.names import child_path

_CHUNK = 1024 * 1024
# Small members compress absurdly well (a blank form, a file of spaces); only a big one at a huge ratio is a bomb.
_RATIO_FLOOR_BYTES = 1024 * 1024


def _bomb(detail: str) -> Refused:
    return Refused(
        "archive_bomb",
        f"This zip file was not unpacked because {detail}. Files like this are used to attack systems; "
        "a person needs to check it with whoever sent it.",
    )


def read_zip(path: Path, folder: Path, limits: Limits) -> list[Child]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(
            "corrupt", "This zip file is damaged and cannot be opened. Ask whoever supplied it for a fresh copy."
        ) from exc
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        _check(members, path.stat().st_size, limits)
        children: list[Child] = []
        unpacked = 0
        for index, info in enumerate(members):
            out = child_path(folder, index, info.filename)
            unpacked += _unpack(archive, info, out, limits, unpacked)
            children.append(Child(info.filename, out, "archive member"))
    if not children:
        raise Refused("empty", "This zip file contains no files.")
    return children


def _check(members: list[zipfile.ZipInfo], archive_size: int, limits: Limits) -> None:
    if len(members) > limits.max_children:
        raise Refused(
            "too_many_items",
            f"This zip file holds {len(members)} files, more than the {limits.max_children} the system takes from "
            "one file. Split it into smaller archives and add them again.",
        )
    total = sum(info.file_size for info in members)
    if total > limits.max_unpacked_bytes:
        raise _bomb(
            f"it would unpack to {total // (1024 * 1024)} MB, more than the "
            f"{limits.max_unpacked_bytes // (1024 * 1024)} MB allowed"
        )
    if total > _RATIO_FLOOR_BYTES and total / max(archive_size, 1) > limits.max_compression_ratio:
        raise _bomb(f"it is compressed {total / max(archive_size, 1):.0f} times, far more than real documents are")
    for info in members:
        if info.file_size > _RATIO_FLOOR_BYTES and info.file_size / max(info.compress_size, 1) > (
            limits.max_compression_ratio
        ):
            raise _bomb(f"the file {info.filename!r} inside it is compressed far more than real documents are")
        if _escapes(info.filename):
            raise _bomb(f"the file name {info.filename!r} inside it points outside the archive")
        if info.flag_bits & 0x1:
            raise Refused(
                "encrypted",
                "This zip file is protected by a password, so its files cannot be read. "
                "Ask whoever supplied it for a copy without the password.",
            )


def _escapes(name: str) -> bool:
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return True
    return ".." in PurePosixPath(normal).parts


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: Path, limits: Limits, so_far: int) -> int:
    written = 0
    try:
        with archive.open(info) as source, out.open("wb") as target:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > info.file_size or so_far + written > limits.max_unpacked_bytes:
                    raise _bomb("a file inside it is bigger than the archive says it is")
                target.write(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error) as exc:
        out.unlink(missing_ok=True)
        if isinstance(exc, NotImplementedError):
            raise Refused(
                "unsupported",
                "This zip file uses a compression method the system cannot unpack. "
                "Ask whoever supplied it to save it as an ordinary zip file.",
            ) from exc
        raise Refused(
            "corrupt",
            f"This zip file is damaged: {info.filename!r} inside it cannot be unpacked. Ask for a fresh copy.",
        ) from exc
    return written

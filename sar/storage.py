"""Content-addressed, encrypted file store for originals and generated documents.

Files are named by the SHA-256 of their plaintext, so the same document uploaded twice is stored
once, a stored original can never be changed in place (new content means a new key), and the
key doubles as an integrity check when the file is read back. Content is encrypted at rest with
Fernet (``FILE_ENCRYPTION_KEY``); the database only ever holds keys.

Behind the small :class:`FileStore` protocol so a different backend (object storage) can replace
the local one without touching callers.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.fernet import Fernet, InvalidToken
from flask import Flask, current_app
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024
_CHUNK = 1024 * 1024
_KEY_PATTERN = re.compile(r"[0-9a-f]{64}")


class StorageError(RuntimeError):
    """Base class for file store problems."""


class FileTooLarge(StorageError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The file is {_megabytes(size)} but the most this service stores is {_megabytes(limit)}. "
            "Split it into smaller files and try again."
        )
        self.size = size
        self.limit = limit


class FileMissing(StorageError, KeyError):
    pass


class FileCorrupt(StorageError):
    """The stored bytes do not decrypt, or do not match their key: never hand them out."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class StoredObject:
    key: str  # sha256 of the plaintext, lower-case hex
    size: int  # plaintext bytes


class StoredFileMixin:
    """The columns of a model row that names one stored file (INTERFACES item 2)."""

    file_key: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the plaintext
    file_size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(127), default="application/octet-stream")
    original_name: Mapped[str] = mapped_column(String(255), default="")


class FileStore(Protocol):
    def put(self, content: bytes | BinaryIO | Iterable[bytes]) -> StoredObject: ...

    def open(self, key: str) -> bytes: ...

    def iter_chunks(self, key: str) -> Iterator[bytes]: ...

    def copy_to_path(self, key: str, path: Path) -> None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> bool: ...


def _chunks_of(content: bytes | BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(content, bytes | bytearray | memoryview):
        yield bytes(content)
        return
    if hasattr(content, "read"):
        while chunk := content.read(_CHUNK):
            yield chunk
        return
    yield from content


def _read_limited(content: bytes | BinaryIO | Iterable[bytes], limit: int) -> bytes:
    """Read the whole upload, stopping as soon as it is over the limit rather than at the end."""
    chunks: list[bytes] = []
    total = 0
    for chunk in _chunks_of(content):
        total += len(chunk)
        if total > limit:
            raise FileTooLarge(total, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def check_key(key: str) -> str:
    # Keys reach here from URLs and the database; refuse anything that could be a path.
    if not _KEY_PATTERN.fullmatch(key):
        raise FileMissing(key)
    return key


class LocalEncryptedFileStore:
    """Files under ``root/ab/cd/<sha256>``, each a Fernet token of the plaintext."""

    def __init__(self, root: str | Path, encryption_key: str | bytes, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> None:
        self.root = Path(root)
        self.fernet = Fernet(encryption_key)
        self.max_bytes = max_bytes

    def path_for(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, content: bytes | BinaryIO | Iterable[bytes]) -> StoredObject:
        # Fernet encrypts a whole token at once, so the plaintext is held in memory; the limit is enforced
        # while reading, so an oversized upload is refused before it is all read.
        data = _read_limited(content, self.max_bytes)
        key = hashlib.sha256(data).hexdigest()
        stored = StoredObject(key=key, size=len(data))
        target = self.path_for(key)
        if target.exists():
            return stored  # same content already stored; originals are never rewritten
        target.parent.mkdir(parents=True, exist_ok=True)
        token = self.fernet.encrypt(data)
        # Write beside the target and rename: a crash or a full disk leaves a stray temporary
        # file, never a half-written document under a valid key.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(token)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return stored

    def open(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            token = path.read_bytes()
        except FileNotFoundError as missing:
            raise FileMissing(key) from missing
        try:
            data = self.fernet.decrypt(token)
        except InvalidToken as error:
            raise FileCorrupt(f"stored file {key} cannot be decrypted with the configured key") from error
        if hashlib.sha256(data).hexdigest() != key:
            raise FileCorrupt(f"stored file {key} does not match its checksum")
        return data

    def iter_chunks(self, key: str) -> Iterator[bytes]:
        data = self.open(key)
        for start in range(0, len(data), _CHUNK):
            yield data[start : start + _CHUNK]

    def copy_to_path(self, key: str, path: Path) -> None:
        """Decrypt a stored file to a local path (for tools that read files: LibreOffice, Tesseract)."""
        path.write_bytes(self.open(key))

    def exists(self, key: str) -> bool:
        try:
            return self.path_for(key).is_file()
        except FileMissing:
            return False

    def delete(self, key: str) -> bool:
        """Remove a file (retention expiry); callers must first check no record still refers to it."""
        try:
            self.path_for(key).unlink()
        except (FileNotFoundError, FileMissing):
            return False
        return True

    def keys(self) -> Iterable[str]:
        for path in self.root.glob("??/??/*"):
            if _KEY_PATTERN.fullmatch(path.name):
                yield path.name


def store_from_config(config: dict[str, object]) -> LocalEncryptedFileStore:
    key = config.get("FILE_ENCRYPTION_KEY")
    if not key:
        raise StorageError("FILE_ENCRYPTION_KEY is not set; generate one with `flask --app sar generate-key`")
    return LocalEncryptedFileStore(
        root=str(config["FILE_STORE_PATH"]),
        encryption_key=key if isinstance(key, str | bytes) else str(key),
        max_bytes=int(str(config.get("MAX_STORED_FILE_BYTES") or DEFAULT_MAX_FILE_BYTES)),
    )


def get_store(app: Flask | None = None) -> FileStore:
    """The application's file store, built once per app from its configuration."""
    application = app or current_app
    store = application.extensions.get("sar_file_store")
    if store is None:
        store = store_from_config(application.config)
        application.extensions["sar_file_store"] = store
    return store

"""Content-addressed, encrypted file store for originals and generated documents.

Files are named by the SHA-256 of their plaintext, so the same document uploaded twice is stored
once, a stored original can never be changed in place (new content means a new key), and the
key doubles as an integrity check when the file is read back. The database only ever holds keys.

Everything streams: ``put`` takes bytes, a file object or an iterator of chunks, and ``iter_chunks`` and
``copy_to_path`` give the plaintext back a chunk at a time, so a 2 GB mailbox export never sits in memory.
The size limit is enforced while streaming, so an oversized upload is refused after ``limit`` bytes, not at
the end.

Encryption at rest: Fernet (used until now) authenticates a whole file at once and so cannot stream. Files
are now written in a chunked authenticated format, the STREAM construction of Hoang, Reyhanitabar, Rogaway
and Vizár (also used by age and Tink) over AES-256-GCM from ``cryptography``::

    header = b"SARF" | version 0x01 | chunk size (4 bytes, big-endian) | nonce prefix (7 random bytes)
    chunk i = AES-GCM(key, nonce = prefix | i (4 bytes) | last-chunk flag (1 byte), plaintext, aad = header)

Each chunk carries its own tag, so tampering is caught chunk by chunk; the counter in the nonce stops chunks
being reordered or dropped, and the last-chunk flag stops a file being cut short at a chunk boundary. The AES
key is derived from ``FILE_ENCRYPTION_KEY`` with HKDF-SHA256, so the configured key is unchanged. Files written
in the old Fernet format (a base64 token, which cannot begin with the header's magic bytes) are still read.

Behind the small :class:`FileStore` protocol so a different backend (object storage) can replace
the local one without touching callers.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import struct
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024
CHUNK_SIZE = 64 * 1024
_KEY_PATTERN = re.compile(r"[0-9a-f]{64}")

_MAGIC = b"SARF"
_VERSION = 1
_HEADER = struct.Struct(">4sBI7s")  # magic, version, chunk size, nonce prefix
_TAG = 16
_MAX_CHUNK = 16 * 1024 * 1024  # refuse absurd chunk sizes in a header rather than allocate them


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


Content = bytes | BinaryIO | IO[bytes] | Iterable[bytes]


class FileStore(Protocol):
    def put(self, content: Content) -> StoredObject: ...

    def open(self, key: str) -> bytes: ...

    def iter_chunks(self, key: str) -> Iterator[bytes]: ...

    def copy_to_path(self, key: str, path: Path) -> None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> bool: ...


def iter_content(content: Content, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Bytes, a file object or an iterator of chunks, as an iterator of chunks."""
    if isinstance(content, bytes | bytearray | memoryview):
        data = memoryview(content)
        for start in range(0, len(data), chunk_size):
            yield bytes(data[start : start + chunk_size])
        return
    read = getattr(content, "read", None)
    if read is not None:
        while chunk := read(chunk_size):
            yield chunk
        return
    for chunk in content:
        if chunk:
            yield bytes(chunk)


def check_key(key: str) -> str:
    # Keys reach here from URLs and the database; refuse anything that could be a path.
    if not _KEY_PATTERN.fullmatch(key):
        raise FileMissing(key)
    return key


def _derive_aes_key(encryption_key: str | bytes) -> bytes:
    raw = base64.urlsafe_b64decode(encryption_key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sar file store chunked v1").derive(raw)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class _Encryptor:
    """Encrypts a stream chunk by chunk; holds back one chunk so the last can be flagged as the last."""

    def __init__(self, aead: AESGCM, chunk_size: int) -> None:
        self.aead = aead
        self.header = _HEADER.pack(_MAGIC, _VERSION, chunk_size, secrets.token_bytes(7))
        self.prefix = self.header[-7:]
        self.chunk_size = chunk_size
        self.counter = 0
        self.pending = bytearray()

    def feed(self, data: bytes) -> Iterator[bytes]:
        self.pending += data
        # Strictly more than a chunk: the final chunk is emitted by finish(), flagged, even if it is full.
        while len(self.pending) > self.chunk_size:
            yield self._seal(bytes(self.pending[: self.chunk_size]), last=False)
            del self.pending[: self.chunk_size]

    def finish(self) -> bytes:
        return self._seal(bytes(self.pending), last=True)

    def _seal(self, plain: bytes, *, last: bool) -> bytes:
        if self.counter >= 2**32 - 1:
            raise StorageError("file too large for the storage format")
        sealed = self.aead.encrypt(_nonce(self.prefix, self.counter, last), plain, self.header)
        self.counter += 1
        return sealed


class LocalEncryptedFileStore:
    """Files under ``root/ab/cd/<sha256>``, each in the chunked authenticated format described above."""

    def __init__(
        self,
        root: str | Path,
        encryption_key: str | bytes,
        max_bytes: int = DEFAULT_MAX_FILE_BYTES,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self.root = Path(root)
        self.fernet = Fernet(encryption_key)  # validates the key, and reads files written before chunking
        self.aead = AESGCM(_derive_aes_key(encryption_key))
        self.max_bytes = max_bytes
        self.chunk_size = chunk_size

    def path_for(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    # --- writing -----------------------------------------------------------------------------------------

    def put(self, content: Content) -> StoredObject:
        """Store the content; refuses it as soon as it passes the size limit. Same content, same key."""
        self.root.mkdir(parents=True, exist_ok=True)
        # Written beside the store and renamed once the hash (the name) is known: a crash, a full disk or an
        # oversized upload leaves a stray temporary file at most, never a half-written document under a key.
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                stored = self._write(content, out)
                out.flush()
                os.fsync(out.fileno())
            target = self.path_for(stored.key)
            if target.exists():
                Path(temporary).unlink()
                return stored  # same content already stored; originals are never rewritten
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return stored

    def _write(self, content: Content, out: IO[bytes]) -> StoredObject:
        digest = hashlib.sha256()
        total = 0
        encryptor = _Encryptor(self.aead, self.chunk_size)
        out.write(encryptor.header)
        for chunk in iter_content(content, self.chunk_size):
            total += len(chunk)
            if total > self.max_bytes:
                raise FileTooLarge(total, self.max_bytes)
            digest.update(chunk)
            for sealed in encryptor.feed(chunk):
                out.write(sealed)
        out.write(encryptor.finish())
        return StoredObject(key=digest.hexdigest(), size=total)

    # --- reading -----------------------------------------------------------------------------------------

    def iter_chunks(self, key: str) -> Iterator[bytes]:
        """The plaintext, a chunk at a time. Each chunk is authenticated before it is given out; the checksum
        of the whole is checked after the last, so a consumer must discard what it wrote if this raises."""
        path = self.path_for(key)
        try:
            source = path.open("rb")
        except FileNotFoundError as missing:
            raise FileMissing(key) from missing
        with source:
            digest = hashlib.sha256()
            magic = source.read(len(_MAGIC))
            chunks = self._decrypt_chunks(key, source) if magic == _MAGIC else self._legacy(key, magic + source.read())
            for chunk in chunks:
                digest.update(chunk)
                yield chunk
        if digest.hexdigest() != key:
            raise FileCorrupt(f"stored file {key} does not match its checksum")

    def _decrypt_chunks(self, key: str, source: IO[bytes]) -> Iterator[bytes]:
        rest = source.read(_HEADER.size - len(_MAGIC))
        if len(rest) != _HEADER.size - len(_MAGIC):
            raise FileCorrupt(f"stored file {key} is cut short")
        header = _MAGIC + rest
        _, version, chunk_size, prefix = _HEADER.unpack(header)
        if version != _VERSION or not 0 < chunk_size <= _MAX_CHUNK:
            raise FileCorrupt(f"stored file {key} is in an unknown format")
        block = source.read(chunk_size + _TAG)
        counter = 0
        while True:
            following = source.read(chunk_size + _TAG)
            last = not following
            try:
                yield self.aead.decrypt(_nonce(prefix, counter, last), block, header)
            except InvalidTag as error:
                raise FileCorrupt(
                    f"stored file {key} cannot be decrypted with the configured key, or was altered or cut short"
                ) from error
            if last:
                return
            block, counter = following, counter + 1

    def _legacy(self, key: str, token: bytes) -> Iterator[bytes]:
        """Files written before the store streamed: one Fernet token, small enough to have been held whole."""
        try:
            data = self.fernet.decrypt(token)
        except InvalidToken as error:
            raise FileCorrupt(f"stored file {key} cannot be decrypted with the configured key") from error
        yield from iter_content(data, self.chunk_size)

    def open(self, key: str) -> bytes:
        """The whole plaintext: for small files only (letters, thumbnails); stream anything large."""
        return b"".join(self.iter_chunks(key))

    def copy_to_path(self, key: str, path: Path) -> None:
        """Decrypt to a local file (for LibreOffice, Tesseract...); ``path`` appears only once it is complete."""
        path = Path(path)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".decrypting-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in self.iter_chunks(key):
                    out.write(chunk)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    # --- housekeeping ------------------------------------------------------------------------------------

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


class StoredFileMixin:
    """Columns and methods for a model that owns one stored file (a document, an attachment, a bundle).

    The row keeps what the store does not: the size, the media type (sniffed from the content by the caller,
    never taken from the client) and the name the file arrived with (shown, never used as a path). The key is
    the SHA-256 of the plaintext, so it is also the file's checksum; encryption at rest is the store's concern.
    """

    file_key: Mapped[str] = mapped_column(String(64), index=True)
    file_size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(127))
    original_name: Mapped[str] = mapped_column(String(255))

    def store_file(self, content: Content, *, media_type: str, original_name: str) -> StoredObject:
        stored = get_store().put(content)
        self.file_key = stored.key
        self.file_size = stored.size
        self.media_type = media_type[:127]
        # Only the last path component, whatever the client's operating system: a name, never a path.
        self.original_name = re.split(r"[\\/]", original_name)[-1].strip()[:255] or "file"
        return stored

    def read_file(self) -> bytes:
        return get_store().open(self.file_key)

    def iter_file(self) -> Iterator[bytes]:
        return get_store().iter_chunks(self.file_key)

    def copy_file_to(self, path: Path) -> None:
        get_store().copy_to_path(self.file_key, path)

    def send_file(self, *, as_attachment: bool = True) -> Response:
        """A streamed download with the stored name and type, never the whole file in memory."""
        from flask import Response as FlaskResponse
        from flask import stream_with_context
        from werkzeug.http import dump_options_header

        disposition = dump_options_header("attachment" if as_attachment else "inline", {"filename": self.original_name})
        return FlaskResponse(
            stream_with_context(self.iter_file()),
            mimetype=self.media_type,
            headers={
                "Content-Disposition": disposition,
                "Content-Length": str(self.file_size),
                "X-Content-Type-Options": "nosniff",
            },
        )

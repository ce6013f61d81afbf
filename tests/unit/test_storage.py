"""The encrypted, content-addressed file store: originals stored once, unreadable at rest, never altered."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from sar.storage import (
    FileCorrupt,
    FileMissing,
    FileTooLarge,
    LocalEncryptedFileStore,
    StorageError,
    StoredObject,
    store_from_config,
)

DOCUMENT = b"%PDF-1.7\nCase notes about a child in care: Jamie Example, 12 Acacia Road\n"


@pytest.fixture
def store(tmp_path: Path) -> LocalEncryptedFileStore:
    return LocalEncryptedFileStore(tmp_path / "files", Fernet.generate_key(), max_bytes=1024)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_put_returns_the_sha256_and_size_and_reads_back(store: LocalEncryptedFileStore) -> None:
    stored = store.put(DOCUMENT)

    assert stored == StoredObject(key=hashlib.sha256(DOCUMENT).hexdigest(), size=len(DOCUMENT))
    assert store.exists(stored.key)
    assert store.open(stored.key) == DOCUMENT


def test_put_accepts_a_stream(store: LocalEncryptedFileStore) -> None:
    stored = store.put(io.BytesIO(DOCUMENT))

    assert store.open(stored.key) == DOCUMENT


def test_content_is_encrypted_at_rest(store: LocalEncryptedFileStore) -> None:
    stored = store.put(DOCUMENT)

    [path] = stored_files(store.root)
    assert path.name == stored.key
    assert b"Jamie Example" not in path.read_bytes()


def test_the_same_content_is_stored_once_and_never_rewritten(store: LocalEncryptedFileStore) -> None:
    first = store.put(DOCUMENT)
    [path] = stored_files(store.root)
    written = path.stat().st_mtime_ns

    second = store.put(io.BytesIO(DOCUMENT))

    assert second == first
    assert stored_files(store.root) == [path]
    assert path.stat().st_mtime_ns == written


def test_different_content_gets_a_different_key(store: LocalEncryptedFileStore) -> None:
    assert store.put(DOCUMENT).key != store.put(DOCUMENT + b"redacted").key


@pytest.mark.parametrize("as_stream", [False, True], ids=["bytes", "stream"])
def test_files_over_the_limit_are_refused_with_a_clear_message(store: LocalEncryptedFileStore, as_stream: bool) -> None:
    big = b"x" * 2048
    with pytest.raises(FileTooLarge, match="the most this service stores is 0.0 MB") as refused:
        store.put(io.BytesIO(big) if as_stream else big)

    assert refused.value.limit == 1024
    assert stored_files(store.root) == []


def test_a_file_exactly_at_the_limit_is_accepted(store: LocalEncryptedFileStore) -> None:
    assert store.put(b"y" * 1024).size == 1024


def test_unknown_and_malformed_keys(store: LocalEncryptedFileStore) -> None:
    with pytest.raises(FileMissing):
        store.open("0" * 64)
    with pytest.raises(FileMissing):
        store.open("../../etc/passwd")
    assert not store.exists("../../etc/passwd")
    assert not store.exists("f" * 64)


def test_a_tampered_file_is_never_returned(store: LocalEncryptedFileStore) -> None:
    stored = store.put(DOCUMENT)
    other = store.put(b"another document")
    # Swap the bytes on disk: both decrypt, but the content no longer matches its name.
    store.path_for(stored.key).write_bytes(store.path_for(other.key).read_bytes())

    with pytest.raises(FileCorrupt, match="does not match its checksum"):
        store.open(stored.key)


def test_the_wrong_encryption_key_cannot_read_files(tmp_path: Path) -> None:
    stored = LocalEncryptedFileStore(tmp_path, Fernet.generate_key()).put(DOCUMENT)

    with pytest.raises(FileCorrupt, match="cannot be decrypted"):
        LocalEncryptedFileStore(tmp_path, Fernet.generate_key()).open(stored.key)


def test_a_failed_write_leaves_no_partial_file(store: LocalEncryptedFileStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        store.put(DOCUMENT)

    assert stored_files(store.root) == []
    assert not store.exists(hashlib.sha256(DOCUMENT).hexdigest())


def test_delete(store: LocalEncryptedFileStore) -> None:
    stored = store.put(DOCUMENT)

    assert store.delete(stored.key) is True
    assert not store.exists(stored.key)
    assert store.delete(stored.key) is False


def test_store_from_config_needs_an_encryption_key(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="FILE_ENCRYPTION_KEY is not set"):
        store_from_config({"FILE_STORE_PATH": str(tmp_path), "FILE_ENCRYPTION_KEY": None})

    store = store_from_config(
        {
            "FILE_STORE_PATH": str(tmp_path),
            "FILE_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "MAX_STORED_FILE_BYTES": 10,
        }
    )
    with pytest.raises(FileTooLarge):
        store.put(b"eleven byte")

"""The encrypted, content-addressed file store: originals stored once, unreadable at rest, never altered."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from sar.storage import (
    FileCorrupt,
    FileMissing,
    FileTooLarge,
    LocalEncryptedFileStore,
    StorageError,
    StoredFileMixin,
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


# --- streaming ---------------------------------------------------------------------------------------------


@pytest.fixture
def small_chunks(tmp_path: Path) -> LocalEncryptedFileStore:
    """Chunks of 16 bytes, so short test documents span many chunks."""
    return LocalEncryptedFileStore(tmp_path / "files", Fernet.generate_key(), max_bytes=10_000, chunk_size=16)


@pytest.mark.parametrize("length", [0, 1, 15, 16, 17, 32, 33, 1000])
def test_any_length_round_trips_across_chunk_boundaries(small_chunks: LocalEncryptedFileStore, length: int) -> None:
    content = bytes(range(256)) * 4
    content = content[:length]
    stored = small_chunks.put(iter([content[:7], content[7:]]))

    assert stored == StoredObject(hashlib.sha256(content).hexdigest(), length)
    assert small_chunks.open(stored.key) == content
    assert b"".join(small_chunks.iter_chunks(stored.key)) == content
    assert all(len(chunk) <= 16 for chunk in small_chunks.iter_chunks(stored.key))


def test_put_accepts_an_iterator_of_chunks(store: LocalEncryptedFileStore) -> None:
    stored = store.put(line + b"\n" for line in DOCUMENT.splitlines())

    assert store.open(stored.key) == DOCUMENT


def test_the_size_limit_stops_an_endless_stream(store: LocalEncryptedFileStore) -> None:
    pulled = 0

    def endless() -> Iterator[bytes]:
        nonlocal pulled
        while True:
            pulled += 1
            yield b"z" * 100

    with pytest.raises(FileTooLarge):
        store.put(endless())

    assert pulled == 11  # refused at the first chunk past 1024 bytes, not at the end of the upload
    assert stored_files(store.root) == []


def test_a_large_file_is_stored_and_read_without_holding_it_in_memory(tmp_path: Path) -> None:
    big = LocalEncryptedFileStore(tmp_path / "files", Fernet.generate_key(), max_bytes=64 * 1024 * 1024)
    block = os.urandom(1024 * 1024)
    digest = hashlib.sha256()
    for _ in range(32):
        digest.update(block)

    tracemalloc.start()
    try:
        stored = big.put(block for _ in range(32))
        target = tmp_path / "copy.bin"
        big.copy_to_path(stored.key, target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored == StoredObject(digest.hexdigest(), 32 * 1024 * 1024)
    assert target.stat().st_size == 32 * 1024 * 1024
    assert hashlib.sha256(target.read_bytes()).hexdigest() == stored.key
    assert peak < 8 * 1024 * 1024  # a few chunks, never the 32 MB file


def _chunks_on_disk(store: LocalEncryptedFileStore, key: str) -> tuple[bytes, list[bytes]]:
    raw = store.path_for(key).read_bytes()
    header, body = raw[:16], raw[16:]
    size = 16 + 16  # chunk plaintext + GCM tag
    return header, [body[i : i + size] for i in range(0, len(body), size)]


def test_a_file_cut_short_at_a_chunk_boundary_is_refused(small_chunks: LocalEncryptedFileStore) -> None:
    stored = small_chunks.put(b"0123456789abcdef" * 4 + b"tail")
    header, chunks = _chunks_on_disk(small_chunks, stored.key)
    small_chunks.path_for(stored.key).write_bytes(header + b"".join(chunks[:2]))

    with pytest.raises(FileCorrupt, match="altered or cut short"):
        small_chunks.open(stored.key)


def test_reordered_chunks_are_refused(small_chunks: LocalEncryptedFileStore) -> None:
    stored = small_chunks.put(b"A" * 16 + b"B" * 16 + b"C" * 5)
    header, chunks = _chunks_on_disk(small_chunks, stored.key)
    small_chunks.path_for(stored.key).write_bytes(header + chunks[1] + chunks[0] + chunks[2])

    with pytest.raises(FileCorrupt, match="altered or cut short"):
        small_chunks.open(stored.key)


def test_a_failed_copy_leaves_no_partial_file(small_chunks: LocalEncryptedFileStore, tmp_path: Path) -> None:
    stored = small_chunks.put(b"x" * 100)
    raw = bytearray(small_chunks.path_for(stored.key).read_bytes())
    raw[-1] ^= 1  # the last chunk no longer authenticates: earlier chunks were already decrypted
    small_chunks.path_for(stored.key).write_bytes(bytes(raw))

    with pytest.raises(FileCorrupt):
        small_chunks.copy_to_path(stored.key, tmp_path / "out.pdf")
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".decrypting-*")) == []


def test_files_written_in_the_old_fernet_format_are_still_read(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    store = LocalEncryptedFileStore(tmp_path / "files", key)
    name = hashlib.sha256(DOCUMENT).hexdigest()
    path = store.path_for(name)
    path.parent.mkdir(parents=True)
    path.write_bytes(Fernet(key).encrypt(DOCUMENT))

    assert store.open(name) == DOCUMENT
    store.copy_to_path(name, tmp_path / "old.pdf")
    assert (tmp_path / "old.pdf").read_bytes() == DOCUMENT


def test_the_stored_file_mixin_keeps_the_metadata_on_the_row(app) -> None:  # type: ignore[no-untyped-def]
    class Attachment(StoredFileMixin):
        pass

    with app.test_request_context():
        item = Attachment()
        stored = item.store_file(io.BytesIO(DOCUMENT), media_type="application/pdf", original_name=r"C:\\x\\notes.pdf")
        assert (item.file_key, item.file_size) == (stored.key, len(DOCUMENT))
        assert (item.media_type, item.original_name) == ("application/pdf", "notes.pdf")
        assert item.read_file() == DOCUMENT
        response = item.send_file()
        assert response.headers["Content-Disposition"] == "attachment; filename=notes.pdf"
        assert response.headers["Content-Length"] == str(len(DOCUMENT))
        assert b"".join(response.response) == DOCUMENT  # type: ignore[arg-type]

"""Damaged copies of every format: each gives an Extraction, never an exception, and any refusal is explained."""

from __future__ import annotations

import email.policy
import io
import random
from collections.abc import Callable

import pytest
from source_builders import (
    email_message,
    run_fixture,  # noqa: F401 - provides the "run" fixture
    scan_image,
    shared_dir,
    text_pdf,
    zip_bytes,
)

from sar.sources.extract import Extraction

Run = Callable[..., Extraction]
CODES = {
    "encrypted",
    "corrupt",
    "unsupported",
    "too_large",
    "archive_bomb",
    "too_deep",
    "too_many_items",
    "conversion_failed",
    "timeout",
    "empty",
}


def _png() -> bytes:
    buffer = io.BytesIO()
    scan_image("Damaged scan", size=(600, 400), at=(10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def _tiff() -> bytes:
    buffer = io.BytesIO()
    frame = scan_image("Damaged fax", size=(600, 400), at=(10, 10)).convert("1")
    frame.save(buffer, "TIFF", compression="group4", save_all=True, append_images=[frame])
    return buffer.getvalue()


def _eml() -> bytes:
    message = email_message(attachments=[("a.pdf", text_pdf(["Attached"]), "application/pdf")])
    return bytes(message.as_bytes(policy=email.policy.default))


SOURCES: dict[str, Callable[[], bytes]] = {
    "pdf": lambda: text_pdf(["A letter about Kayla"], pages=2),
    "png": _png,
    "tiff": _tiff,
    "eml": _eml,
    "zip": lambda: zip_bytes([("a.txt", b"note " * 200), ("b.pdf", text_pdf(["x"]))]),
    "msg": lambda: (shared_dir() / "samples" / "test_Blammo.msg").read_bytes(),
    "pst": lambda: (shared_dir() / "samples" / "dist-list.pst").read_bytes(),
}


def damaged(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    copies = [data[: len(data) * k // 5] for k in (1, 2, 3, 4)]
    for _ in range(3):
        flipped = bytearray(data)
        for _ in range(max(1, len(data) // 200)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        copies.append(bytes(flipped))
    return [c for c in copies if c]


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_damaged_files_never_raise_and_every_refusal_is_explained(run: Run, kind: str) -> None:
    for n, data in enumerate(damaged(SOURCES[kind](), seed=len(kind))):
        result = run(data, f"{n}.{kind}")
        assert isinstance(result, Extraction)
        if result.refusal is not None:
            assert result.refusal.code in CODES
            assert len(result.refusal.message) > 20 and result.working_pdf is None
        else:
            assert result.working_pdf is not None or result.kind in ("mailbox", "archive")

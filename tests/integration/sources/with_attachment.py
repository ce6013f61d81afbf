"""Make the stand-in extractor find an attachment inside "email.txt", so children are exercised."""

from __future__ import annotations

from pathlib import Path

from sar.sources import ingest
from sar.sources.extract import Child, Extraction, Limits, extract


def extract_with_attachment(path: Path, *, original_name: str, workdir: Path, limits: Limits) -> Extraction:
    result = extract(path, original_name=original_name, workdir=workdir, limits=limits)
    if original_name == "email.txt":
        child = workdir / "attachment.txt"
        child.write_text("The attachment: a referral form about the family.", encoding="utf-8")
        result.children.append(Child("referral.txt", child, "attachment"))
    return result


def install() -> None:
    ingest.extract = extract_with_attachment  # type: ignore[assignment]

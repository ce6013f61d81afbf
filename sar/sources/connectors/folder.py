"""What the folder connectors share (a file share, an email export): a mounted folder named in the settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

from sar.sources.connectors import ConnectorError
from sar.sources.extract import Limits


class FolderSource:
    def __init__(self, root: Path, limits: Limits | None = None) -> None:
        self.root = root
        self.limits = limits or Limits()

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Self:
        root = str(settings.get("path") or "")
        if not root:
            raise ConnectorError("The connector has no folder (path)")
        return cls(Path(root))

    def files(self) -> Iterator[Path]:
        """Every file under the folder, in name order (links are not followed out of it)."""
        if not self.root.is_dir():
            raise ConnectorError(f"The folder {self.root} cannot be found or is not a folder")
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path

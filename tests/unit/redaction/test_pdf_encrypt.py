"""Password encryption object by object (redaction.pdf.encrypt): the file must open only with the password, read
exactly as the plain file did, carry no plaintext, and anything the reader cannot walk is encrypted by qpdf instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from redaction.pdf import encrypt

PASSWORD = "abcde-fghjk-mnpqr-stuvw"
PAGES = 160  # enough objects (pages, contents, bookmarks) for several batches
SECRET_TEXT = "Gary Pollard visited on"
SECRET_BOOKMARK = "Letter to Kayla Smith"
SECRET_LINK = "https://council.example/kayla-smith"
SECRET_TITLE = "Disclosure for Ayesha Khan"
SECRET_XMP = b"xmp-secret-creator-tool"


def _plain(path: Path) -> None:
    """A file with what a bundle carries: uncompressed page text (so plaintext would show), bookmarks, a link
    annotation (a string in a dictionary in a dictionary), an image, document information and XMP metadata."""
    image = path.with_suffix(".png")
    Image.new("RGB", (40, 30), (200, 30, 60)).save(image)
    made = path.with_suffix(".rl.pdf")
    c = canvas.Canvas(str(made), pageCompression=0)
    c.setTitle(SECRET_TITLE)
    for page in range(PAGES):
        c.drawString(72, 720, f"{SECRET_TEXT} {page} May")
        if page % 10 == 0:
            c.drawImage(str(image), 72, 500, 40, 30)
            c.linkURL(SECRET_LINK, (72, 600, 300, 620))
        c.bookmarkPage(f"p{page}")
        c.addOutlineEntry(f"{SECRET_BOOKMARK} {page}", f"p{page}", level=0)
        c.showPage()
    c.save()
    # XMP metadata in the catalog; saved with a classic cross-reference table, as the library's writer does.
    with pikepdf.open(made) as pdf:
        pdf.Root.Metadata = pdf.make_stream(b"<x:xmpmeta>" + SECRET_XMP + b"</x:xmpmeta>")
        pdf.save(
            path,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            fix_metadata_version=False,
            compress_streams=False,
        )


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("encrypt") / "plain.pdf"
    _plain(path)
    return path


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The file must be encrypted object by object: the whole-file way fails the test."""

    def whole_file(source: Path, dest: Path, password: str) -> None:
        raise AssertionError("the file was encrypted the whole-file way")

    monkeypatch.setattr(encrypt, "encrypt_whole", whole_file)
    yield


def _encrypted(plain: Path, tmp_path: Path, name: str = "released.pdf") -> Path:
    dest = tmp_path / name
    encrypt.encrypt_pdf(plain, dest, PASSWORD)
    return dest


def test_opens_only_with_the_password_in_pikepdf_and_pypdf(plain: Path, tmp_path: Path, streamed: None) -> None:
    released = _encrypted(plain, tmp_path)
    with pikepdf.open(released, password=PASSWORD) as pdf:
        assert len(pdf.pages) == PAGES
        assert (pdf.encryption.R, pdf.encryption.bits) == (6, 256)
        assert pdf.encryption.stream_method.name == pdf.encryption.string_method.name == "aesv3"
        assert pdf.check_pdf_syntax() == []
        assert pdf.get_warnings() == []
    for wrong in ("", "abcde-fghjk-mnpqr-stuvx"):
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(released, password=wrong)
    reader = pypdf.PdfReader(released)
    assert reader.is_encrypted
    assert reader.decrypt("not it") == pypdf.PasswordType.NOT_DECRYPTED
    assert reader.decrypt(PASSWORD) != pypdf.PasswordType.NOT_DECRYPTED
    assert len(reader.pages) == PAGES


def test_reads_exactly_as_the_plain_file(plain: Path, tmp_path: Path, streamed: None) -> None:
    released = _encrypted(plain, tmp_path)
    before, after = pypdf.PdfReader(plain), pypdf.PdfReader(released, password=PASSWORD)
    assert [p.extract_text() for p in after.pages] == [p.extract_text() for p in before.pages]
    assert f"{SECRET_TEXT} 7 May" in after.pages[7].extract_text()
    assert [b.title for b in after.outline] == [b.title for b in before.outline]  # type: ignore[union-attr]
    assert len(after.outline) == PAGES
    with pikepdf.open(plain) as source, pikepdf.open(released, password=PASSWORD) as result:
        left_out = {source.trailer.Info.objgen, source.Root.Metadata.objgen}
        assert _objects(result, skip=set()) == _objects(source, skip=left_out)
        assert [_target(b, result) for b in result.open_outline().root] == [
            _target(b, source) for b in source.open_outline().root
        ]
        links = [a for p in result.pages for a in p.get("/Annots", [])]
        assert [str(a.A.URI) for a in links] == [SECRET_LINK] * (PAGES // 10)


def test_no_plaintext_document_information_or_metadata(plain: Path, tmp_path: Path, streamed: None) -> None:
    raw_plain = plain.read_bytes()
    secrets = [SECRET_TEXT.encode(), SECRET_BOOKMARK.encode(), SECRET_LINK.encode(), SECRET_TITLE.encode(), SECRET_XMP]
    assert all(secret in raw_plain for secret in secrets)  # the test would prove nothing otherwise
    released = _encrypted(plain, tmp_path)
    raw = released.read_bytes()
    assert [secret for secret in secrets if secret in raw] == []
    with pikepdf.open(released, password=PASSWORD) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert not any(SECRET_XMP in o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream))


def test_each_encryption_has_its_own_key(plain: Path, tmp_path: Path, streamed: None) -> None:
    first, second = _encrypted(plain, tmp_path, "one.pdf"), _encrypted(plain, tmp_path, "two.pdf")
    assert first.read_bytes() != second.read_bytes()
    with pikepdf.open(first, password=PASSWORD) as one, pikepdf.open(second, password=PASSWORD) as two:
        assert one.encryption.encryption_key != two.encryption.encryption_key


def test_a_file_with_object_streams_is_encrypted_by_qpdf(plain: Path, tmp_path: Path) -> None:
    compressed = tmp_path / "compressed.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(compressed, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    released = _encrypted(compressed, tmp_path)
    with pikepdf.open(released, password=PASSWORD) as pdf:
        assert len(pdf.pages) == PAGES
        assert (pdf.encryption.R, pdf.encryption.bits) == (6, 256)
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert pdf.check_pdf_syntax() == []
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(released)
    reader = pypdf.PdfReader(released, password=PASSWORD)
    assert f"{SECRET_TEXT} 3 May" in reader.pages[3].extract_text()
    assert SECRET_TEXT.encode() not in released.read_bytes()


def _objects(pdf: pikepdf.Pdf, skip: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Every object as qpdf reads it (strings decrypted, references as references), streams decoded; the catalog,
    the /Encrypt dictionary and what ``skip`` names aside."""
    found = {}
    for obj in pdf.objects:
        if obj.objgen in skip or obj.objgen == (0, 0) or obj.objgen == pdf.Root.objgen:
            continue
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Filter") == "/Standard":
            continue
        if isinstance(obj, pikepdf.Stream):
            dictionary = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
            found[obj.objgen] = dictionary.unparse() + obj.read_bytes()
        else:
            found[obj.objgen] = obj.unparse(resolved=True)
    return found


def _target(bookmark: pikepdf.OutlineItem, pdf: pikepdf.Pdf) -> int:
    """The page a bookmark goes to, by its position in the page tree."""
    page = bookmark.destination[0] if bookmark.destination is not None else bookmark.action.D[0]
    return pikepdf.Page(page).index


@pytest.mark.parametrize("damage", [b")<", b"6<"], ids=["read as null", "read as a lone number"])
def test_a_damaged_object_is_left_to_qpdf_which_repairs_or_refuses_it(tmp_path: Path, damage: bytes) -> None:
    # Object 1's dictionary no longer opens: in a batch qpdf reads it as null or as the number it now starts with.
    page = tmp_path / "page.pdf"
    drawing = canvas.Canvas(str(page), pageCompression=0)
    drawing.drawString(72, 700, SECRET_TEXT)
    drawing.showPage()
    drawing.save()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(page.read_bytes().replace(b"1 0 obj\n<<", b"1 0 obj\n" + damage, 1))
    assert damaged.read_bytes() != page.read_bytes()
    released = tmp_path / "released.pdf"
    try:
        encrypt.encrypt_pdf(damaged, released, PASSWORD)
    except pikepdf.PdfError:
        return  # refused in qpdf's words, and nothing half-written left behind
    with pikepdf.open(released, password=PASSWORD) as pdf:
        assert len(pdf.pages) == 1
    assert SECRET_TEXT.encode() not in released.read_bytes()

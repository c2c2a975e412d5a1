import subprocess
import tempfile
from pathlib import Path


def pdf_text(pdf: bytes) -> str:
    """Text of a PDF as ``pdftotext`` (poppler) extracts it, whitespace squeezed out."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(  # noqa: S603
            ["/usr/bin/pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True, check=True
        ).stdout.decode()
    return "".join(out.split())


def pdf_fonts(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(  # noqa: S603
            ["/usr/bin/pdffonts", f.name], capture_output=True, check=True
        ).stdout.decode()


def stored_file(letter, root) -> Path:
    return Path(root) / letter.pdf_path

import pytest
from django.core import checks

from core import pdf as core_pdf
from letters import checks as letter_checks
from letters import rendering

from .helpers import pdf_text


def test_fetcher_refuses_the_network_and_files_outside_static_and_media(settings, tmp_path):
    fetcher = core_pdf.SafeURLFetcher()
    for url in (
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "file:///etc/passwd",
        f"file://{settings.BASE_DIR}/config/settings/base.py",
        "file://remote-host/share/x.png",
    ):
        with pytest.raises(core_pdf.URLRefused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_fetcher_refuses_a_symlink_out_of_static(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "passwd.svg").symlink_to("/etc/passwd")
    fetcher = core_pdf.SafeURLFetcher(roots=[root.resolve()])
    with pytest.raises(core_pdf.URLRefused):
        fetcher.fetch((root / "passwd.svg").as_uri())


def test_fetcher_serves_the_letter_images_from_static():
    fetcher = core_pdf.SafeURLFetcher()
    response = fetcher.fetch(rendering.static_file_uri("letters/logo.svg"))
    assert b"<svg" in response.read()
    assert response.content_type == "image/svg+xml"


def test_a_template_loading_outside_urls_renders_without_them():
    html = """<html lang="zh-CN"><head>
      <link rel="stylesheet" href="http://example.com/evil.css">
      <style>@import url("file:///etc/passwd");</style></head>
      <body><img src="http://example.com/track.png"><img src="file:///etc/passwd">
      <p style="font-family: 'Noto Serif CJK SC'">正文</p></body></html>"""
    fetcher = core_pdf.SafeURLFetcher()
    pdf = rendering.html_to_pdf(html, fetcher)
    assert "正文" in pdf_text(pdf)
    assert sorted(fetcher.refused) == sorted(
        [
            "http://example.com/evil.css",
            "file:///etc/passwd",
            "http://example.com/track.png",
            "file:///etc/passwd",
        ]
    )
    assert "root:" not in pdf_text(pdf)


def test_system_check_is_quiet_when_harfbuzz_and_the_cjk_font_are_installed():
    assert letter_checks.harfbuzz_subset_available()
    assert letter_checks.cjk_font_available()
    ids = {m.id for m in checks.run_checks(tags=["letters"])}
    assert not ids & {"letters.W001", "letters.W002"}


def test_system_check_warns_without_harfbuzz_subset_or_cjk_font(monkeypatch):
    monkeypatch.setattr(letter_checks, "harfbuzz_subset_available", lambda: False)
    monkeypatch.setattr(letter_checks, "installed_font_families", lambda: frozenset({"DejaVu"}))
    messages = checks.run_checks(tags=["letters"])
    found = {m.id: m for m in messages}
    assert {"letters.W001", "letters.W002"} <= set(found)
    assert found["letters.W001"].level == checks.WARNING
    assert "libharfbuzz-subset0" in found["letters.W001"].msg
    assert "fonts-noto-cjk" in found["letters.W002"].hint

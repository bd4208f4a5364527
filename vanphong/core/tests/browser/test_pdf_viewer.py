"""A person reads Vietnamese PDF files in the page, drawn by pdf.js from our own origin, on a laptop and on a phone,
under the platform's Content-Security-Policy; a file that is not a readable PDF says so instead."""

import io

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path, reverse

from vanphong.core.files import file_response, store
from vanphong.core.models import StoredFile
from vanphong.core.tests.test_files import png_image, vietnamese_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]

# A throwaway page of this test only: every file the test stored, each in a viewer, and the files themselves
# handed out by file_response() as any app's view would after its permission check.
SHOWN: dict[int, str] = {}


@login_not_required
def documents(request):
    files = [{"label": label, "url": reverse("try-file", args=[pk])} for pk, label in SHOWN.items()]
    return HttpResponse(engines["django"].from_string(PAGE).render({"files": files}, request))


@login_not_required
def download(request, pk):
    return file_response(get_object_or_404(StoredFile, pk=pk), filename=SHOWN[pk])


urlpatterns = [
    path("try/documents/", documents),
    path("try/files/<int:pk>/", download, name="try-file"),
    path("", include("vanphong.urls")),
]

PAGE = """{% extends "base.html" %}{% block content %}{% for file in files %}
<h2 class="h6 mt-3">{{ file.label }}</h2>{% include "core/pdf_viewer.html" with src=file.url label=file.label %}
{% endfor %}{% endblock %}"""

PRINTED = """<!doctype html><html lang="vi"><meta charset="utf-8"><body>
<p style="font: 13pt 'Noto Serif', serif; text-align: center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>
<b>Độc lập - Tự do - Hạnh phúc</b></p>
<p style="font: 14pt 'Noto Serif', serif">Kính gửi: Các sở, ban, ngành; Ủy ban nhân dân các xã, phường.</p>
<p style="font: 14pt 'Noto Serif', serif">Thực hiện ý kiến chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh về việc đẩy
mạnh ứng dụng văn phòng điện tử, đề nghị các cơ quan, đơn vị khẩn trương triển khai.</p></body></html>"""

# The share of dark pixels on a drawn page: some text, on white paper.
INK = """canvas => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 384) dark++;
    return dark / (data.length / 4);
}"""

WATCH_THE_POLICY = """window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});"""


def printed_by_chromium(browser) -> bytes:
    """A letter as a word processor exports it: Chromium prints HTML to PDF with the font subset embedded."""
    page = browser.new_page()
    page.set_content(PRINTED)
    pdf = page.pdf(format="A4")
    page.close()
    return pdf


def stored(content: bytes, label: str) -> StoredFile:
    stored_file = store(upload=io.BytesIO(content), filename=label)
    SHOWN[stored_file.pk] = label
    return stored_file


def read_documents(browser, live_server, screenshot, *, width, height, label):
    SHOWN.clear()
    stored(printed_by_chromium(browser), "Công văn đôn đốc.pdf")  # embedded font, as exported by Word
    stored(vietnamese_pdf(), "Giấy mời họp.pdf")  # two pages, standard font not embedded
    stored(png_image(), "Ảnh chụp.png")  # not a PDF: the viewer says it cannot show it

    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    context.add_init_script(WATCH_THE_POLICY)
    page = context.new_page()
    console, failures = [], []
    page.on("console", lambda message: console.append(message.text))
    # pdf.js cancels the download stream once it holds the whole file: Chromium calls that net::ERR_ABORTED.
    page.on(
        "requestfailed",
        lambda request: failures.append(request.url) if request.failure != "net::ERR_ABORTED" else None,
    )
    page.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)

    page.goto(f"{live_server.url}/try/documents/")
    letter, invitation, picture = (page.locator(".pdf-viewer").nth(n) for n in range(3))
    letter.locator("canvas[data-pdf-drawn]").wait_for()
    screenshot(page, f"{label}-1-letter")
    assert letter.locator("canvas").count() == 1
    assert invitation.locator("canvas").count() == 2, "one canvas per page"
    for number, canvas in enumerate([letter.locator("canvas"), *invitation.locator("canvas").all()]):
        canvas.scroll_into_view_if_needed()
        page.wait_for_function("canvas => canvas.dataset.pdfDrawn", arg=canvas.element_handle())
        assert 0.001 < canvas.evaluate(INK) < 0.2, "text on white paper"
        box = canvas.bounding_box()
        assert box["width"] <= width and abs(box["width"] - letter.bounding_box()["width"]) <= 2  # within the border
        screenshot(page, f"{label}-{number + 2}-page")
    picture.scroll_into_view_if_needed()
    assert picture.get_by_role("alert").inner_text() == picture.get_attribute("data-pdf-error")
    assert picture.get_attribute("data-pdf-error")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"

    assert [text for text in console if "Content Security Policy" in text] == []
    assert page.evaluate("window.violations") == []
    assert failures == []
    context.close()


def test_a_person_reads_vietnamese_pdfs_on_a_laptop(browser, live_server, screenshot):
    read_documents(browser, live_server, screenshot, width=1366, height=800, label="laptop")


def test_a_person_reads_vietnamese_pdfs_on_a_phone(browser, live_server, screenshot):
    read_documents(browser, live_server, screenshot, width=375, height=740, label="phone")

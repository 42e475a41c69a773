"""PDF rendering of server-rendered HTML (the profile card's PDF, issue #16), with WeasyPrint.

    from ohmanager import pdf

    if not pdf.pdf_available():
        return pdf.pdf_unavailable_response()
    body = pdf.html_to_pdf(html, base_url=None, files=pdf.storage_files())
    return pdf.pdf_response(body, filename="김하늘.pdf")

Only local resources reach the renderer: images by name through the `files` callback (our
storage), fonts from the system (fontconfig). Every other URL is refused, never fetched.
Where WeasyPrint's system libraries (Pango) are missing the rest of the site works; the PDF
answers 503 `pdf_unavailable` and start-up says so once (ohmanager.apps).
"""

from ohmanager.pdf.availability import announce_if_unavailable, pdf_available
from ohmanager.pdf.images import PDF_JPEG_QUALITY, PDF_PHOTO_MAX_SIDE, downscale_photo
from ohmanager.pdf.render import KOREAN_FONT_STACK, FileSource, html_to_pdf, storage_files
from ohmanager.pdf.responses import PdfUnavailable, pdf_response, pdf_unavailable_response

__all__ = [
    "KOREAN_FONT_STACK",
    "PDF_JPEG_QUALITY",
    "PDF_PHOTO_MAX_SIDE",
    "FileSource",
    "PdfUnavailable",
    "announce_if_unavailable",
    "downscale_photo",
    "html_to_pdf",
    "pdf_available",
    "pdf_response",
    "pdf_unavailable_response",
    "storage_files",
]

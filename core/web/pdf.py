"""HTML to PDF for printing (WeasyPrint), shared by the 一案双查 PDFs and the case documents."""


def _no_fetch(url: str, *args, **kwargs):
    """Nothing outside the document is fetched while rendering (no file://, no
    network): the fonts come from the system, the styles are inline."""
    raise ValueError(f"refusing to fetch {url!r} while printing")


def pdf_from_html(html: str) -> bytes:
    import weasyprint  # heavy (cairo, pango): loaded when a PDF is printed, not with every page

    return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()

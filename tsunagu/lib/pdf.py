"""HTML to PDF for every printed page (the standard forms, the minutes, the programmes'
papers, the register of disclosures): WeasyPrint with the print stylesheet, fetching nothing."""

from pathlib import Path

PRINT_CSS = Path(__file__).with_name("print.css")


def render_pdf(html: str) -> tuple[bytes, int]:
    """An HTML page as PDF bytes, and its number of pages."""
    # Imported here: importing WeasyPrint takes 0.65 s, and most requests never print.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # The templates link to nothing; refuse every URL so no text can make the server fetch one.
    nothing = weasyprint.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, url_fetcher=nothing).render(
        stylesheets=[weasyprint.CSS(filename=PRINT_CSS, font_config=fonts, url_fetcher=nothing)],
        font_config=fonts,
    )
    return document.write_pdf(), len(document.pages)

"""schema.org ClaimReview JSON-LD for the claims of the original report."""

from __future__ import annotations

import json

from explainer.data.bundle import VERDICTS, Data
from explainer.urls import page_url


# --------------------------------------------------------------------------
# ClaimReview JSON-LD
# --------------------------------------------------------------------------
def claim_reviews(d: Data, page: str, site_url: str, site_name: str, reviewed: str) -> list[dict]:
    report = d.claims["report"]
    base = site_url.rstrip("/") + page_url(page, d.use_directory_urls)
    publisher = {"@type": "Organization", "name": str(report.get("publisher"))}
    appearance = {
        "@type": "NewsArticle",
        "headline": str(report.get("title")),
        "datePublished": str(report.get("date")),
        "publisher": publisher,
    }
    out = []
    for claim in d.claims["claims"]:
        verdict = str(claim["verdict"])
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{base}#{claim['id']}",
            "claimReviewed": " ".join(str(claim["claim"]).split()),
            "datePublished": reviewed,
            "author": {"@type": "Organization", "name": site_name, "url": site_url},
            "reviewRating": {
                "@type": "Rating",
                "alternateName": verdict.capitalize(),
                "ratingExplanation": VERDICTS[verdict],
            },
            "itemReviewed": {
                "@type": "Claim",
                "author": publisher,
                "datePublished": str(report.get("date")),
                "appearance": appearance,
            },
        })
    return out


def json_ld_scripts(reviews: list[dict]) -> str:
    """<script type="application/ld+json"> blocks; '<', '>' and '&' are
    escaped so that the data can never close the element early."""
    blocks = []
    for review in reviews:
        text = json.dumps(review, ensure_ascii=False, indent=1)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        blocks.append(f'<script type="application/ld+json">\n{text}\n</script>')
    return "\n".join(blocks)

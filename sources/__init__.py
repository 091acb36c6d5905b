"""Where articles come from: feeds and pages over HTTP or from local files (the only package that touches
the network). Entry points: `open_source(settings)`, `canonical_url`, `article_id`."""

from sources.feeds import FeedFetch, parse_feed
from sources.source import FETCH_SKIP_REASONS, Source, open_source
from sources.urls import article_id, canonical_url

__all__ = ["FETCH_SKIP_REASONS", "FeedFetch", "Source", "article_id", "canonical_url", "open_source", "parse_feed"]

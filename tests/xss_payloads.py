"""XSS payloads tried in every text a user can enter (shared by the HTTP and browser tests)."""

#: Each one runs `alert` if it ever reaches a page unescaped.
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</textarea><script>alert(4)</script>",
    "javascript:alert(5)",
    "<iframe src=javascript:alert(6)>",
)

#: What must never appear raw in an HTML page that showed one of the payloads.
RAW_MARKUP = ("<script>alert", "<img src=x", "<svg onload", "<iframe src=javascript", 'href="javascript:')

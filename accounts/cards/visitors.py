"""Which requests of a card link are a person looking, and which are machines fetching it.

Messengers unfurl a pasted link (a preview card), mail gateways open every link of an incoming
message before the recipient does, search engines crawl whatever leaks. None of those is the
poster opening the card, so none counts as a view (they still get the page, or the preview
would be empty). Matched on the User-Agent, case-insensitively; an empty one is a script, not a
browser. HEAD requests never count either (the view decides that, by method).
"""

import re

# Substrings of the User-Agent of link previewers, mail scanners and crawlers.
PREVIEWER_MARKERS: tuple[str, ...] = (
    # Messengers and social networks unfurling a link
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "slackbot",
    "slack-imgproxy",
    "twitterbot",
    "telegrambot",
    "whatsapp",
    "discordbot",
    "linkedinbot",
    "kakaotalk-scrap",
    "skypeuripreview",
    "line-poker",  # LINE's link preview
    "redditbot",
    "embedly",
    "iframely",
    "bitlybot",
    "vkshare",
    "applebot",
    "mattermost",
    "zoominfobot",
    # Outlook, Teams and Office preview links; Microsoft's and others' mail scanners
    "microsoft office",
    "ms-office",
    "msoffice",
    "bingpreview",
    "proofpoint",
    "mimecast",
    "barracuda",
    "urldefense",
    "safelinks",
    "ironport",
    "forcepoint",
    "trendmicro",
    "symantec",
    # Search engines and generic crawlers
    "yeti/",  # Naver
    "daumoa",  # Daum (Kakao)
    "googlebot",
    "google-inspectiontool",
    "googleother",
    "adsbot-google",
    "bingbot",
    "duckduckbot",
    "yandex",
    "baiduspider",
    "petalbot",
    "semrushbot",
    "ahrefsbot",
    # Libraries and command-line clients: a script, not a person with a browser
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww-perl",
    "headlesschrome",
)
_PREVIEWER = re.compile("|".join(re.escape(marker) for marker in PREVIEWER_MARKERS), re.I)
# Anything else calling itself a bot, a crawler, a spider or a preview ("...bot/1.0", "a bot;"),
# but not a word that merely ends in "bot" (the CUBOT phone's browser is a person).
_GENERIC = re.compile(r"\bbot\b|bot/|bot;|crawler|spider|\bpreview\b|scanner", re.I)


def is_machine(user_agent: str) -> bool:
    """True for a link previewer, mail scanner, crawler or script (no view counted)."""
    user_agent = user_agent.strip()
    if not user_agent:
        return True
    return bool(_PREVIEWER.search(user_agent) or _GENERIC.search(user_agent))

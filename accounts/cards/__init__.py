"""The profile card (issue #16): media links, the card's secret links and their views, and the
card page itself. `selectors.card_data` is the one source of what a card shows (the HTML page
here, the PDF later); `services.card_link_for_application` gives an e-mail application its own
link."""

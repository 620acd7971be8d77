"""A switch of language keeps every translated choice visibly chosen. Streamlit's browser side
finds a keyed radio's chosen option by its label; after the labels changed language it showed
none chosen while the page went on with the old choice (lab.ui.state.translated_choice)."""

from browser_helpers import open_page, wait_idle


def checked(page) -> list[list[bool]]:
    """Each radio group on the page: which of its options the browser shows chosen."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stRadio"]')).map(group =>
        Array.from(group.querySelectorAll('input[type=radio]')).map(option => option.checked))""")


def switch_to(page, language: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=language).click()
    wait_idle(page)
    page.wait_for_timeout(500)


def test_a_chosen_radio_stays_chosen_in_the_other_language_and_back(browser_page, app_url):
    page = browser_page
    open_page(page, app_url, "inside")
    page.get_by_text("Upload a checkpoint (.pt)").click()  # not the first option: the choice must travel
    wait_idle(page)
    page.wait_for_timeout(500)
    assert checked(page) == [[False, True]]
    switch_to(page, "Русский")
    assert page.get_by_text("Загрузить чекпойнт (.pt)").count() == 1
    assert checked(page) == [[False, True]]  # was [[False, False]]: nothing shown chosen
    switch_to(page, "English")
    assert checked(page) == [[False, True]]

    open_page(page, app_url, "predict")  # another page's radios, in a language switched before they existed
    before = checked(page)
    assert before and all(group.count(True) == 1 for group in before)
    switch_to(page, "Русский")
    assert checked(page) == before

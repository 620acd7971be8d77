"""A classroom server as two students and the teacher see it, each in their own browser:
B opening A's URL (or a made-up id, or a forged cookie) gets the sign-in form and nothing
of A's; a refresh and a new tab keep A signed in; the teacher sees both students' runs and
the leaderboard ranks them; no request leaves the server's own address."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from browser_helpers import serve_app, wait_idle
from classroom_helpers import plant_run

from lab.classroom.accounts import Classroom
from lab.classroom.leaderboard import Leaderboard, Settings

CODE, TEACHER = "owl-42", "teach-me-please"


@pytest.fixture(scope="module")
def classroom(_browser, tmp_path_factory, mnist):
    runs = tmp_path_factory.mktemp("classroom-runs")
    env = {"LAB_WORKSPACES": "private", "LAB_CLASS_CODE": CODE, "LAB_TEACHER_PASSWORD": TEACHER,
           "LAB_RUNS_DIR": str(runs)}
    server_env = {**env, "STREAMLIT_CLIENT_TOOLBAR_MODE": "minimal"}  # the shipped config, as students get it
    import os

    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the accounts and runs planted here are the server's
    try:
        room = Classroom(runs)
        anna = room.sign_up(CODE, "Anna", "anna's password")
        boris = room.sign_up(CODE, "Boris", "boris's password")
        a_run = plant_run(room, anna, mnist, steps=60, name="anna-baseline")
        b_run = plant_run(room, boris, mnist, steps=0, name="boris-untrained")
        board = Leaderboard(runs)
        board.save_settings(Settings(dataset="mnist", budget=5000))
        board.enter(anna, a_run.id)
        board.enter(boris, b_run.id)
        with serve_app(tmp_path_factory.mktemp("classroom-server"), **server_env) as url:
            yield {"url": url, "room": room, "anna": anna, "a_run": a_run, "b_run": b_run}
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def new_page(browser, locale="en-US"):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def body(page) -> str:
    return page.locator('[data-testid="stApp"]').inner_text()


def is_sign_in_form(page) -> bool:
    """Wait until the page shows either the sign-in form or a signed-in sidebar; which is it?"""
    form = page.get_by_text("Sign in to CNN Lab", exact=True)
    form.or_(page.get_by_text("Signed in as", exact=False)).first.wait_for()
    wait_idle(page)
    return form.count() == 1


def sign_in(page, name: str, password: str) -> None:
    page.get_by_label("Name").first.fill(name)
    page.get_by_label("Password").first.fill(password)
    page.get_by_role("button", name="Sign in").first.click()
    wait_idle(page)
    page.get_by_text(f"Signed in as {name}").wait_for()


def go(page, path: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(path, exact=True).click()
    wait_idle(page)


def test_students_see_only_their_own_runs_and_the_teacher_sees_all(_browser, classroom, save_screenshot):
    url = classroom["url"]
    server = urlparse(url).netloc

    # --- Anna: every request of her page loads goes to the server and nowhere else
    ctx_a, anna = new_page(_browser)
    requests = []
    anna.on("request", lambda r: requests.append(r.url))
    anna.goto(url)
    wait_idle(anna)
    assert is_sign_in_form(anna)
    anna.get_by_label("Password").first.wait_for()
    save_screenshot(anna, "sign-in")
    sign_in(anna, "Anna", "anna's password")
    anna.locator('[data-testid="stSidebarNav"]').get_by_text("Journal", exact=True).click()
    # while the page runs, students get no second Stop button, no menu, no Deploy (toolbarMode
    # minimal; with "viewer" the running-status Stop button is there, measured by hand)
    seen = []
    for _ in range(15):
        seen.append(anna.locator('[data-testid="stStatusWidget"], [data-testid="stMainMenu"]').count()
                    + anna.get_by_role("button", name="Deploy").count())
        anna.wait_for_timeout(100)
    assert seen == [0] * 15
    anna.get_by_text("anna-baseline", exact=False).filter(visible=True).first.wait_for()  # not the table's hidden cells
    foreign = sorted({u for u in requests if urlparse(u).netloc != server and not u.startswith(("data:", "blob:"))})
    assert requests and foreign == []
    journal_url = anna.url
    assert "ws=" not in journal_url and classroom["anna"].workspace not in journal_url

    anna.reload()  # a refresh keeps her signed in
    wait_idle(anna)
    assert not is_sign_in_form(anna) and "Signed in as Anna" in body(anna)
    tab = ctx_a.new_page()  # so does a new tab on the bare root URL
    tab.goto(url)
    assert not is_sign_in_form(tab) and "Signed in as Anna" in body(tab)

    # --- Boris, in another browser: Anna's URL, made-up ids and a forged cookie open nothing
    ctx_b, boris = new_page(_browser)
    for target in (journal_url, f"{url}/journal?ws=0000000000000000", f"{url}/?ws={classroom['anna'].workspace}"):
        boris.goto(target)
        wait_idle(boris)
        assert is_sign_in_form(boris), target
        assert "anna-baseline" not in body(boris) and "Anna" not in body(boris)
    ctx_b.add_cookies([{"name": "cnnlab_session", "value": "eyJrIjoiYW5uYSJ9.forged.signature", "url": url}])
    boris.goto(url)
    wait_idle(boris)
    assert is_sign_in_form(boris)
    sign_in(boris, "Boris", "boris's password")
    go(boris, "Journal")
    boris.get_by_text("boris-untrained", exact=False).filter(visible=True).first.wait_for()
    assert "anna-baseline" not in body(boris)

    # --- signing out is one click, and the old cookie no longer signs Anna in
    anna.get_by_role("button", name="Sign out").click()
    anna.get_by_text("You are signed out.").wait_for()
    assert is_sign_in_form(anna)
    anna.reload()
    wait_idle(anna)
    assert is_sign_in_form(anna)

    # --- the teacher sees both students' runs, scores the entries, and the board ranks them
    ctx_t, teacher = new_page(_browser)
    teacher.goto(url)
    wait_idle(teacher)
    teacher.get_by_role("tab", name="Teacher").click()
    teacher.get_by_label("Teacher password").fill(TEACHER)
    teacher.get_by_role("button", name="Sign in").locator("visible=true").click()
    wait_idle(teacher)
    teacher.get_by_text("Signed in as the teacher").wait_for()
    go(teacher, "Teacher")
    teacher.set_viewport_size({"width": 1400, "height": 1800})
    grid = teacher.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    for text in ("anna-baseline", "boris-untrained", "Anna", "Boris"):
        grid.get_by_text(text, exact=True).first.wait_for(state="attached")  # the grid fills its cells after it appears
    teacher.get_by_role("button", name="Score the entries on the hidden test split").click()
    wait_idle(teacher)
    teacher.get_by_text("Scored 2 entr(ies).").wait_for()
    save_screenshot(teacher, "teacher")
    go(teacher, "Leaderboard")
    board = teacher.locator('[data-testid="stDataFrame"]').first
    board.get_by_text("Boris", exact=True).first.wait_for(state="attached")
    rows = [r.inner_text() for r in board.locator('[role="row"]').all()]
    ranked = [r for r in rows if "Anna" in r or "Boris" in r]
    assert "Anna" in ranked[0] and "Boris" in ranked[1], rows
    save_screenshot(teacher, "leaderboard")

    # --- both languages: the sign-in form and the Teacher page in Russian
    ctx_r, ru = new_page(_browser, locale="ru-RU")
    ru.goto(url)
    wait_idle(ru)
    ru.get_by_text("Вход в CNN Lab", exact=True).wait_for()
    ru.get_by_label("Пароль").first.wait_for()
    save_screenshot(ru, "sign-in-ru")
    teacher.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    teacher.get_by_role("option", name="Русский").click()
    wait_idle(teacher)
    go(teacher, "Учитель")
    teacher.locator('[data-testid="stDataFrame"]').first.wait_for()
    save_screenshot(teacher, "teacher-ru")
    for ctx in (ctx_a, ctx_b, ctx_t, ctx_r):
        ctx.close()

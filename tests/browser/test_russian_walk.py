"""Every page in Russian, as a person sees it in a real browser: no English sentence anywhere,
Streamlit's own widget words included ("Upload", "1GB per file", "text/plain files are not
allowed", "Choose options", "Press Enter to apply").

The detector reads the text the browser shows (``innerText``: what CSS hides is not there)
and flags any run of two or more Latin words in a row that are not names the Russian pages
keep on purpose (MNIST, PyTorch, Conv2d, ReLU, ...). Code blocks (the model as PyTorch
code, the Normalize line to copy) are code, not sentences, and are skipped. Screenshots:
docs/screenshots/ru-walk-*.png."""

from __future__ import annotations

import re

from browser_helpers import open_page, wait_idle
from test_journal import plant_course_runs

from lab.i18n import translate

# Latin words a Russian page keeps: names of datasets, libraries, layers, optimizers and
# transforms, units, and English terms the Russian texts give in brackets on purpose
# ("Скорость обучения (learning rate)") so a student finds them in PyTorch's documentation.
ALLOWED = {
    "mnist", "fashion", "cifar", "pytorch", "torch", "torchvision", "numpy", "python", "onnx", "cuda", "cpu", "gpu",
    "bf", "relu", "gelu", "elu", "silu", "tanh", "sigmoid", "softmax", "leaky", "adam", "adamw", "sgd", "lr",
    "conv", "linear", "flatten", "dropout", "batchnorm", "maxpool", "avgpool", "pool", "pooling", "residual",
    "learning", "rate", "weight", "decay", "momentum", "label", "smoothing", "stride", "padding", "dilation",
    "kernel", "ceil", "mode", "ceil_mode", "batch", "seed", "epoch", "epochs", "step", "gamma", "steplr", "cosine",
    "mb", "kb", "gb", "png", "jpg", "jpeg", "webp", "bmp", "gif", "zip", "pt", "pth", "ckpt", "csv", "rgb", "exif",
    "normalize", "totensor", "random", "randomcrop", "randomrotation", "randomhorizontalflip", "colorjitter",
    "randomaffine", "gaussianblur", "randomerasing", "randomresizedcrop", "centercrop", "grayscale", "resize",
    "features", "out", "fc", "head", "block", "h", "w", "c", "x", "n", "k", "s", "p", "d",
    "macs", "flops", "val", "test", "train", "baseline", "lab", "cnn", "streamlit", "cleanlab",
    "filters", "rotation", "ok", "id", "none", "auto", "max", "avg", "gap", "api",
    "icon",  # a screen reader's name of an icon button ("add icon"), not shown
}
# code, and icons (a Material icon is a word drawn as a picture: "home", "add")
CODE = '[data-testid="stCode"], pre, code, [data-testid="stIconMaterial"], [translate="no"]'
# Streamlit's own English words: one word each, so the two-word rule alone would miss some
STREAMLIT_WORDS = ("Drag and drop", "per file", "Browse files", "Upload", "files are not allowed", "Choose options",
                   "Choose an option", "Press Enter", "No results", "File must be")
LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'’-]*$")


def english_runs(text: str) -> list[str]:
    """Runs of >= 2 Latin words in a row, none of them an allowed name: English sentences."""
    found, run = [], []
    for token in re.split(r"\s+", text):
        word = token.strip(".,;:!?()[]{}«»\"'“”…—–·/*")
        if LATIN_WORD.match(word) and word.lower() not in ALLOWED:
            run.append(word)
            continue
        if not word and run:  # bare punctuation ("—") between words: the sentence goes on
            continue
        if len(run) >= 2:
            found.append(" ".join(run))
        run = []
    if len(run) >= 2:
        found.append(" ".join(run))
    return found


def test_the_detector_finds_english_and_lets_names_through():
    assert english_runs("Drag and drop file here Limit 200MB per file") == ["Drag and drop file here Limit",
                                                                           "per file"]
    assert english_runs("Модель mnist_cnn: Conv2d, ReLU, MaxPool2d на MNIST (PyTorch)") == []
    assert english_runs("Скорость обучения (learning rate)") == []
    assert english_runs("Последний запуск: baseline (finished)") == []  # one word: the page check finds it
    assert english_runs("Загрузить Press Enter to apply") == ["Press Enter to apply"]


def visible_text(page) -> str:
    """What the browser shows in the page and the sidebar, code blocks left out."""
    return page.evaluate(
        """(code) => {
            const root = document.querySelector('[data-testid="stApp"]');
            const clone = root.cloneNode(true);
            clone.querySelectorAll(code).forEach(e => e.remove());
            document.body.appendChild(clone);
            clone.style.position = 'absolute'; clone.style.left = '-99999px';
            const text = clone.innerText;
            clone.remove();
            return text;
        }""", CODE)


def placeholders(page) -> list[str]:
    """The placeholders a person sees: of empty fields, not of a select box showing its choice."""
    return page.evaluate("""() => [...document.querySelectorAll('input[placeholder], textarea[placeholder]')]
        .filter(e => !e.value && !(e.closest('[data-baseweb="select"]')?.innerText.trim()))
        .map(e => e.placeholder)""")


def english_on(page) -> list[str]:
    text = visible_text(page) + "\n" + "\n".join(placeholders(page))
    # the skip link is shown on keyboard focus: its text is the lab's (CSS), Streamlit's is font-size 0
    text = text.replace("Skip to main content", "")
    words = [w for w in STREAMLIT_WORDS if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]
    return sorted(set(english_runs(text)) | set(words))


def pseudo_text(page, selector: str, which: str) -> list[str]:
    """The CSS ``content`` the lab puts in place of a hidden Streamlit word (``::after``)."""
    return page.evaluate(f"""() => [...document.querySelectorAll('{selector}')]
        .map(e => getComputedStyle(e, '{which}').content)""")


def to_russian(page) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Русский").click()
    wait_idle(page)


def go(page, nav_key: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(translate(nav_key, "ru"), exact=True).click()
    wait_idle(page, timeout=180)


def choose(page, label_key: str, option_key: str) -> None:
    """Pick an option of the radio or select box labelled ``label_key`` (Russian)."""
    box = page.locator('[data-testid="stMain"] [data-testid="stRadio"], [data-testid="stMain"] [data-testid="stSelectbox"]'
                       ).filter(has_text=translate(label_key, "ru")).first
    if box.get_attribute("data-testid") == "stRadio":
        box.get_by_text(translate(option_key, "ru"), exact=True).click()
    else:
        box.click()
        page.get_by_role("option", name=translate(option_key, "ru"), exact=True).click()
    wait_idle(page, timeout=180)


def look(page, name: str, save_screenshot, found: dict) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, name
    page.set_viewport_size({"width": 1400, "height": 2400})
    wait_idle(page)
    english = english_on(page)
    if english:
        found[name] = english
    save_screenshot(page, f"ru-walk-{name}")
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_every_page_in_russian_has_no_english_sentence(browser_page, app_url, app_runs_dir, save_screenshot):
    plant_course_runs(app_runs_dir)  # the journal's table, Prediction's and Inside's models
    page, found = browser_page, {}
    open_page(page, app_url)
    assert len(english_on(page)) > 10  # the control: on the English page the detector finds English
    to_russian(page)
    look(page, "home", save_screenshot, found)
    assert pseudo_text(page, '[data-testid="stSkipToContent"]', "::after") == ['"Перейти к содержимому"']

    go(page, "nav.dataset")
    look(page, "dataset", save_screenshot, found)
    choose(page, "dataset.source", "dataset.source_upload")  # the zip upload box
    assert pseudo_text(page, '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]',
                       "::after") == ['"Выбрать файл"']
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not an archive"}])
    wait_idle(page)
    said = translate("inputs.wrong_kind", "ru", name="notes.txt", what=translate("inputs.kind.archive", "ru"),
                     endings="ZIP")
    assert page.get_by_text(said, exact=True).count() == 1
    look(page, "dataset-upload", save_screenshot, found)
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="MNIST", exact=True).click()
    wait_idle(page, timeout=180)

    go(page, "nav.architecture")
    page.get_by_role("tab", name=translate("architecture.tab_builder", "ru")).click()
    wait_idle(page)
    look(page, "architecture-builder", save_screenshot, found)
    page.get_by_role("tab", name=translate("architecture.tab_calc", "ru")).click()
    wait_idle(page)
    look(page, "architecture-calculator", save_screenshot, found)

    go(page, "nav.augmentation")
    look(page, "augmentation", save_screenshot, found)

    go(page, "nav.training")
    epochs = page.get_by_label(translate("training.epochs", "ru"), exact=True)
    epochs.fill("0")  # typed, not applied yet: the hint under the field is the lab's, in Russian
    assert translate("inputs.press_enter", "ru") in " ".join(
        pseudo_text(page, '[data-testid="InputInstructions"]', "::before"))
    assert "Press Enter" not in visible_text(page)
    epochs.press("Enter")
    wait_idle(page)
    # applied: the hint goes (it stayed over the value when the widget itself refused 0)
    assert set(pseudo_text(page, '[data-testid="stNumberInput"] [data-testid="InputInstructions"]', "::before")
               ) <= {"none"}
    said = translate("inputs.outside", "ru", range=translate("inputs.range", "ru", label=translate("training.epochs", "ru"),
                                                             low=1, high=500), value=0, used=1)
    assert page.get_by_text(said, exact=True).count() == 1
    look(page, "training", save_screenshot, found)
    epochs.fill("5")
    epochs.press("Enter")
    wait_idle(page)

    go(page, "nav.predict")
    choose(page, "predict.model_source", "predict.source.journal")
    look(page, "predict", save_screenshot, found)

    go(page, "nav.inside")
    look(page, "inside", save_screenshot, found)

    go(page, "nav.journal")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    look(page, "journal", save_screenshot, found)

    go(page, "nav.mistakes")
    look(page, "mistakes", save_screenshot, found)

    assert not found, "English on Russian pages:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


def test_the_upload_box_states_one_limit_in_english_too(browser_page, app_url, save_screenshot):
    """The zip box said "1GB per file" (Streamlit's, 512 MB rounded) beside the lab's "Up to
    512 MB ... click Browse files" while its button said "Upload": now one limit, one name."""
    page = browser_page
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Dataset", exact=True).click()
    wait_idle(page, timeout=180)
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=translate("dataset.source_upload", "en"), exact=True).click()
    wait_idle(page)
    text = visible_text(page)
    assert "1GB" not in text and "Browse files" not in text and text.count("per file") == 1
    assert translate("inputs.upload_limit", "en", endings="ZIP", mb="512") in text
    assert pseudo_text(page, '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]',
                       "::after") == ['"Choose a file"']
    save_screenshot(page, "en-upload-limit")
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="MNIST", exact=True).click()
    wait_idle(page, timeout=180)

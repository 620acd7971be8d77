"""What a student sees on the Prediction page: upload a checkpoint and a photo of a digit
written on paper, watch each preprocessing step, read the answer and the bar chart."""

from browser_helpers import open_page, wait_idle
from test_predict_support import paper_digit, trained_checkpoint_path


def test_upload_a_model_and_a_paper_digit(browser_page, app_url, save_screenshot, mnist, tmp_path_factory, tmp_path):
    ckpt = trained_checkpoint_path(mnist, tmp_path_factory)
    photo = tmp_path / "my-seven.png"
    paper_digit(mnist.test_x[0]).save(photo)

    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 1900})  # Streamlit scrolls inside the page: show it all
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Prediction", exact=True).click()
    wait_idle(page)
    page.get_by_text("Upload a checkpoint (.pt)").click()
    wait_idle(page)
    uploads = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploads.first.set_input_files(str(ckpt))
    wait_idle(page)
    page.get_by_text("Dataset MNIST", exact=False).first.wait_for()
    uploads.nth(1).set_input_files(str(photo))
    wait_idle(page)

    answer = page.get_by_text("The model says", exact=False).first
    answer.wait_for()
    assert "7" in answer.inner_text()
    page.wait_for_timeout(800)
    save_screenshot(page, "predict")  # first, so a failing check below still leaves the picture to look at
    for step in ["As uploaded", "Invert", "Crop to ink", "Fit 20×20", "Centre of mass", "Normalised"]:
        assert page.get_by_text(step, exact=False).count() >= 1, step
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(800)  # let the chart finish drawing before the picture is taken
    save_screenshot(page, "predict")

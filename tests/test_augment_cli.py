"""``python -m lab augment``: a PNG of real images, warnings, and one-line errors."""

from __future__ import annotations

from PIL import Image

from lab.cli import main


def test_writes_the_grid_and_prints_the_digit_warning(shared_datasets, tmp_path, capsys):
    out = tmp_path / "grid.png"
    code = main(["augment", "--dataset", "mnist", "--transforms", "T.RandomCrop(28, padding=2), RandomHorizontalFlip()",
                 "--n", "5", "--samples", "3", "--seed", "4", "--scale", "2", "--data-dir", str(shared_datasets),
                 "--out", str(out), "--params"])
    printed = capsys.readouterr().out
    assert code == 0
    img = Image.open(out)
    # 3 rows of 28*2 px and 6 columns (original + 5) with 4 px gaps
    assert img.height == 3 * 56 + 4 * 4 and img.width > 6 * 56
    assert "flipped=" in printed and "top=" in printed
    assert "warning: RandomHorizontalFlip on digits" in printed


def test_same_seed_same_png(shared_datasets, tmp_path):
    args = ["augment", "--dataset", "fashion-mnist", "--transforms", "RandomRotation(20), RandomErasing()",
            "--data-dir", str(shared_datasets), "--seed", "9"]
    assert main(args + ["--out", str(tmp_path / "a.png")]) == 0
    assert main(args + ["--out", str(tmp_path / "b.png")]) == 0
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_unknown_transform_or_bad_argument_is_status_2_and_one_line(shared_datasets, tmp_path, capsys):
    for text, named in [("Spin(3)", "Spin"), ("RandomRotation(degrees=__import__('os'))", "RandomRotation"),
                        ("RandomCrop(64)", "RandomCrop")]:
        code = main(["augment", "--dataset", "mnist", "--transforms", text, "--data-dir", str(shared_datasets),
                     "--out", str(tmp_path / "x.png")])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and named in err
    assert not (tmp_path / "x.png").exists()

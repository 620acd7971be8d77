"""Texts of lab.ui.format: names shown in place of server paths."""

TEXTS = {
    "format.uploaded_archive": {"en": "uploaded archive", "ru": "загруженный архив"},
    "format.origin_full": {"en": "the full dataset files", "ru": "полных файлов датасета"},
    "format.origin_samples": {"en": "the samples bundled with the lab", "ru": "примеров, входящих в лабораторию"},
}

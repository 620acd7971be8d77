"""Texts of lab.ui.format: names shown in place of server paths."""

TEXTS = {
    "format.uploaded_archive": {"en": "uploaded archive", "ru": "загруженный архив"},
    "format.upload_limit": {"en": "Up to {mb} MB per file (drag it onto the box or click Browse files).",
                            "ru": "До {mb} МБ на файл (перетащите его в поле или нажмите Browse files)."},
    "format.origin_full": {"en": "the full dataset files", "ru": "полных файлов датасета"},
    "format.origin_samples": {"en": "the samples bundled with the lab", "ru": "примеров, входящих в лабораторию"},
}

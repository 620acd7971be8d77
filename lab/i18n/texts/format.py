"""Texts of lab.ui.format: names shown in place of server paths."""

TEXTS = {
    "format.uploaded_archive": {"en": "uploaded archive", "ru": "загруженный архив"},
    "format.setting.preset": {"en": "Preset", "ru": "Пресет"},
    "format.setting.blocks": {"en": "Conv blocks", "ru": "Свёрточные блоки"},
    "format.setting.block_field": {"en": "Block {n}: {field}", "ru": "Блок {n}: {field}"},
    "format.run_with_accuracy": {"en": "{run}: validation {acc}", "ru": "{run}: валидация {acc}"},
    "format.origin_full": {"en": "the full dataset files", "ru": "полных файлов датасета"},
    "format.origin_samples": {"en": "the samples bundled with the lab", "ru": "примеров, входящих в лабораторию"},
}

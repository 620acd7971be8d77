"""Texts for refused inputs (issue "Hostile inputs"): engine errors that carry a ``text_key``."""

TEXTS = {
    "safety.folder_checkpoint": {
        "en": "This checkpoint was trained on an image folder, which the lab does not open for an uploaded "
              "or foreign model: pick a test picture yourself (upload one).",
        "ru": "Этот чекпойнт обучен на папке с картинками, а для загруженной или чужой модели лаборатория "
              "такие папки не открывает: выберите тестовую картинку сами (загрузите её).",
    },
}

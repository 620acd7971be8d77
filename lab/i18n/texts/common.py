"""Texts shared by every page: navigation, sidebar, data loading."""

TEXTS = {
    "nav.home": {"en": "Home", "ru": "Главная"},
    "nav.dataset": {"en": "Dataset", "ru": "Датасет"},
    "nav.architecture": {"en": "Architecture", "ru": "Архитектура"},
    "nav.augmentation": {"en": "Augmentation", "ru": "Аугментация"},
    "nav.training": {"en": "Training", "ru": "Обучение"},
    "nav.predict": {"en": "Prediction", "ru": "Предсказание"},
    "nav.journal": {"en": "Journal", "ru": "Журнал"},
    "sidebar.language": {"en": "Language", "ru": "Язык"},
    "sidebar.experiment": {"en": "Current experiment", "ru": "Текущий эксперимент"},
    "sidebar.data": {"en": "Data", "ru": "Данные"},
    "sidebar.model": {"en": "Model", "ru": "Модель"},
    "sidebar.augment": {"en": "Augmentation", "ru": "Аугментация"},
    "sidebar.train": {"en": "Training", "ru": "Обучение"},
    "sidebar.model_summary": {"en": "{preset}: {blocks} conv block(s), head {head}",
                              "ru": "{preset}: свёрточных блоков {blocks}, голова {head}"},
    "sidebar.augment_none": {"en": "none", "ru": "нет"},
    "sidebar.augment_summary": {"en": "{n} transform(s): {names}", "ru": "преобразований {n}: {names}"},
    "sidebar.train_summary": {"en": "{optimizer}, lr {lr}, {epochs} epoch(s), batch {batch}",
                              "ru": "{optimizer}, lr {lr}, эпох {epochs}, батч {batch}"},
    "sidebar.data_summary": {"en": "{dataset}, validation {val}%", "ru": "{dataset}, валидация {val}%"},
    "sidebar.data_classes": {"en": ", {n:plural:class|classes}", "ru": ", {n:plural:класс|класса|классов}"},
    "data.loading": {"en": "Loading {name}…", "ru": "Загружаю {name}…"},
    "data.downloading": {"en": "Downloading {name} (about {mb} MB) into the data folder…",
                         "ru": "Скачиваю {name} (около {mb} МБ) в папку данных…"},
    "data.using_samples": {
        "en": "The full {name} dataset is not available (no internet or no local copy), so the lab uses "
              "its bundled samples: {n} real training images. Results will be lower than on the full set. "
              "To use the full set, connect to the internet once or set LAB_DATA_DIR to a folder that holds it.",
        "ru": "Полный датасет {name} недоступен (нет интернета или локальной копии), поэтому лаборатория "
              "использует встроенные образцы: {n:plural:настоящее обучающее изображение|настоящих обучающих изображения|настоящих обучающих изображений}. Результаты будут ниже, чем "
              "на полном наборе. Чтобы использовать полный набор, один раз подключитесь к интернету или укажите "
              "в LAB_DATA_DIR папку, где он лежит.",
    },
    "error.prefix": {"en": "Problem: {message}", "ru": "Проблема: {message}"},
}

"""Dataset page: what the audit is over when a train cap is set, and its progress."""

TEXTS = {
    "dataset.capped": {
        "en": "Training images capped at {limit} (Training page): the mean/std, duplicates and outliers are "
              "over the {used} images this experiment uses ({train} train + {val} validation); {left} images "
              "of the training file are left out.",
        "ru": "Число обучающих изображений ограничено до {limit} (страница «Обучение»): среднее, ст. откл., "
              "дубликаты и выбросы посчитаны по {used:plural:изображению|изображениям|изображениям} этого эксперимента ({train} обучение + "
              "{val} валидация); {left:plural:изображение обучающего файла не используется|изображения обучающего файла не используются|изображений обучающего файла не используются}.",
    },
    "dataset.over_used": {
        "en": "Over the {used} training and validation images this experiment uses (train cap {limit}).",
        "ru": "По {used:plural:обучающему и валидационному изображению|обучающим и валидационным изображениям|обучающим и валидационным изображениям} этого эксперимента (ограничение {limit}).",
    },
    "dataset.audit_progress": {"en": "Auditing the dataset: {step}", "ru": "Проверяю датасет: {step}"},
    "dataset.audit_step.stats": {"en": "mean and std", "ru": "среднее и ст. откл."},
    "dataset.audit_step.exact": {"en": "exact duplicates", "ru": "точные дубликаты"},
    "dataset.audit_step.near": {"en": "near duplicates", "ru": "почти-дубликаты"},
    "dataset.audit_step.outliers": {"en": "outliers", "ru": "выбросы"},
}

"""Texts of the augmentation page, its warnings (keys returned by lab.augment.warnings_for) and CLI."""

from lab.augment.advice import WARNINGS

TEXTS = {
    "augmentation.baseline_first": {
        "en": "**Your first run is the baseline, without augmentation.** The course trains once without it, then "
              "adds augmentation and compares: only then can you tell what the augmentation did. You may set steps "
              "here now; the Training page then offers \"Train the baseline without augmentation\" first, and "
              "your steps are used from the run after.",
        "ru": "**Первый запуск — бейзлайн, без аугментации.** По курсу сначала обучают без неё, потом добавляют "
              "аугментацию и сравнивают: только так видно, что она дала. Шаги можно задать здесь и сейчас; "
              "страница «Обучение» тогда сначала предложит «Обучить бейзлайн без аугментации», а ваши шаги "
              "войдут в следующий запуск.",
    },
    "augmentation.intro": {
        "en": "Augmentation makes the training set bigger and more varied without changing what the images mean. "
              "The steps below apply to the **training split only**, each image with its own random parameters; "
              "after the last step the lab always converts to float and normalises with the dataset's mean and std, "
              "for training and evaluation alike.",
        "ru": "Аугментация делает обучающую выборку больше и разнообразнее, не меняя смысла изображений. "
              "Шаги ниже применяются **только к обучающей части**, у каждого изображения свои случайные параметры; "
              "после последнего шага лаборатория всегда переводит изображения во float и нормализует их средним и "
              "стандартным отклонением датасета — одинаково при обучении и при оценке.",
    },
    "augmentation.dataset_line": {"en": "Dataset: **{name}**, images {c}×{h}×{w}, {n} training images.",
                                  "ru": "Датасет: **{name}**, изображения {c}×{h}×{w}, обучающих изображений: {n}."},
    "augmentation.steps_header": {"en": "Transforms", "ru": "Преобразования"},
    "augmentation.text_label": {"en": "As text (torchvision.transforms.v2 names, comma-separated)",
                                "ru": "Текстом (имена из torchvision.transforms.v2 через запятую)"},
    "augmentation.text_help": {
        "en": "For example: RandomCrop(28, padding=2), RandomRotation(10). The prefixes T. and v2. are fine. "
              "The text is read, never executed: only known transforms with literal arguments.",
        "ru": "Например: RandomCrop(28, padding=2), RandomRotation(10). Префиксы T. и v2. допустимы. "
              "Текст разбирается, но не выполняется: только известные преобразования с литеральными аргументами.",
    },
    "augmentation.apply_text": {"en": "Apply text", "ru": "Применить текст"},
    "augmentation.none": {"en": "No augmentation: training sees the images as they are.",
                          "ru": "Без аугментации: обучение видит изображения как есть."},
    "augmentation.add_label": {"en": "Add a transform", "ru": "Добавить преобразование"},
    "augmentation.add": {"en": "Add", "ru": "Добавить"},
    "augmentation.clear": {"en": "Remove all", "ru": "Удалить все"},
    "augmentation.remove": {"en": "Remove", "ru": "Удалить"},
    "augmentation.move_up": {"en": "Move up", "ru": "Выше"},
    "augmentation.step_title": {"en": "{i}. {tf}", "ru": "{i}. {tf}"},  # tf: the step as text
    "augmentation.text_only": {"en": "Other arguments ({names}) can be set in the text form.",
                               "ru": "Остальные аргументы ({names}) задаются в текстовой форме."},
    "augmentation.per_image_note": {
        "en": "Runs image by image with torchvision's own transform (seeded from the batch), slower than the "
              "batched steps.",
        "ru": "Выполняется по одному изображению самим преобразованием torchvision (с зерном из батча), "
              "медленнее пакетных шагов.",
    },
    "augmentation.preview_header": {"en": "Preview", "ru": "Предпросмотр"},
    "augmentation.source": {"en": "Sample images", "ru": "Примеры изображений"},
    "augmentation.source_random": {"en": "Random from the training split", "ru": "Случайные из обучающей части"},
    "augmentation.source_class": {"en": "One class", "ru": "Один класс"},
    "augmentation.source_upload": {"en": "My own image", "ru": "Своё изображение"},
    "augmentation.class": {"en": "Class", "ru": "Класс"},
    "augmentation.upload": {"en": "Image file (PNG or JPEG)", "ru": "Файл изображения (PNG или JPEG)"},
    "augmentation.upload_hint": {"en": "Upload an image to see it augmented.",
                                 "ru": "Загрузите изображение, чтобы увидеть его аугментации."},
    "augmentation.bad_image": {"en": "This file is not an image the lab can read: {error}",
                               "ru": "Этот файл не удаётся прочитать как изображение: {error}"},
    "augmentation.samples": {"en": "Originals", "ru": "Оригиналов"},
    "augmentation.versions": {"en": "Augmented versions of each", "ru": "Аугментированных версий каждого"},
    "augmentation.seed": {"en": "Seed", "ru": "Зерно (seed)"},
    "augmentation.reroll": {"en": "Re-roll", "ru": "Перебросить"},
    "augmentation.original": {"en": "original · {label}", "ru": "оригинал · {label}"},
    "augmentation.preview_caption": {
        "en": "Each row: the original, then {n} versions through exactly the function the training loop calls "
              "(seed {seed}). Under each version: the parameters it drew.",
        "ru": "В каждой строке: оригинал, затем {n:plural:версия|версии|версий} через ту же функцию, что вызывает цикл обучения "
              "(зерно {seed}). Под каждой версией — параметры, которые она вытянула.",
    },
    "augmentation.all_params": {"en": "Every drawn parameter", "ru": "Все вытянутые параметры"},
    "augmentation.unchanged": {"en": "unchanged", "ru": "без изменений"},
    "augmentation.model_header": {"en": "What the model sees", "ru": "Что видит модель"},
    "augmentation.model_caption": {
        "en": "One real training batch ({n} images, seed {seed}) after augmentation and normalisation, shown "
              "denormalised. The tensor the model receives: {shape}, float32, min {min:.2f}, max {max:.2f}, "
              "mean {mean:.2f}, std {std:.2f}.",
        "ru": "Один настоящий обучающий батч ({n:plural:изображение|изображения|изображений}, зерно {seed}) после аугментации и нормализации, "
              "показан денормализованным. Тензор, который получает модель: {shape}, float32, min {min:.2f}, "
              "max {max:.2f}, среднее {mean:.2f}, std {std:.2f}.",
    },
    "augmentation.code_header": {"en": "The same in torchvision", "ru": "То же самое в torchvision"},
    "augmentation.code_caption": {
        "en": "Copy into a notebook. In a Dataset, v2 transforms run per image; on a whole batch they would draw "
              "one set of parameters for all images (pytorch/vision#8484), which the lab avoids.",
        "ru": "Скопируйте в ноутбук. В Dataset преобразования v2 выполняются для каждого изображения; на целом "
              "батче они вытянули бы один набор параметров для всех (pytorch/vision#8484) — лаборатория этого "
              "избегает.",
    },
    "augmentation.warnings_header": {"en": "Check before training", "ru": "Проверьте перед обучением"},
    # Warnings: keys returned by lab.augment.warnings_for, with its placeholders
    "augmentation.error": {"en": "Problem: {message}", "ru": "Проблема: {message}"},
}

# Augmentation warnings: the English is lab.augment.advice.WARNINGS, the Russian here.
_WARNINGS_RU = {
    "augmentation.warn.flip_digits": "{name} на цифрах может поменять метку: зеркальные 2 или 5 — уже не цифры, "
                                     "перевёрнутая 6 похожа на 9. Для MNIST отражения лучше не использовать.",
    "augmentation.warn.vflip_objects": "{name}: одежда и объекты CIFAR-10 на тестовых изображениях никогда не бывают "
                                       "вверх ногами — модель учит то, что ей не понадобится.",
    "augmentation.warn.vflip_folder": "{name}: подходит для съёмки сверху (снимки с дрона), неестественно для "
                                      "обычных сцен. Проверьте свои изображения.",
    "augmentation.warn.big_rotation": "{name} до {degrees}° — это много (больше {limit}°): цифры и объекты, "
                                      "повёрнутые так сильно, могут стать похожими на другой класс.",
    "augmentation.warn.color_on_gray": "{name} не действует на полутоновые изображения (насыщенность, оттенок и "
                                       "обесцвечивание требуют цвета).",
    "augmentation.warn.hue_on_gray": "{name}: насыщенность и оттенок ничего не делают с полутоновыми изображениями; "
                                     "действуют только яркость и контраст.",
    "augmentation.warn.invert": "{name} на MNIST превращает белые цифры на чёрном в чёрные на белом, чего в тестовой "
                                "выборке нет.",
    "augmentation.warn.size_changes": "Размер изображений меняется: {before} → {after}. Страница архитектуры "
                                      "учитывает новый размер (первый слой получает изображения {after}).",
    "augmentation.warn.too_many": "Преобразований: {n} (больше {limit}). Меняйте что-то одно за раз, иначе не "
                                  "поймёте, что помогло.",
    "augmentation.warn.strong": "{name} — сильная настройка ({what}): многие изображения могут стать неузнаваемыми. "
                                "Посмотрите предпросмотр.",
}
TEXTS.update({key: {"en": english, "ru": _WARNINGS_RU[key]} for key, english in WARNINGS.items()})

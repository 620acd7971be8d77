"""Texts of the Prediction page. Codes under predict.error.* / predict.note.* mirror
``lab.data.image_io.PROBLEMS`` / ``NOTES``; predict.step.* mirror ``STEP_TITLES``."""

from lab.data.image_io import PROBLEMS

TEXTS = {
    "predict.intro": {
        "en": "Try a model on your own picture: a digit written on paper, a photo of a shoe or a car. "
              "Models only understand pictures prepared the way their training data was, so every "
              "preprocessing step is shown below; switch one off to see what it does to the answer.",
        "ru": "Проверьте модель на своей картинке: цифра на бумаге, фото ботинка или машины. "
              "Модель понимает только картинки, подготовленные так же, как её обучающие данные, поэтому "
              "ниже показан каждый шаг предобработки; выключите шаг и посмотрите, как изменится ответ.",
    },
    # --- the model -------------------------------------------------------------------
    "predict.model_header": {"en": "Model", "ru": "Модель"},
    "predict.model_source": {"en": "Where the model comes from", "ru": "Откуда взять модель"},
    "predict.source.session": {"en": "Trained in this session", "ru": "Обучена в этой сессии"},
    "predict.source.journal": {"en": "A run from the journal", "ru": "Запуск из журнала"},
    "predict.source.upload": {"en": "Upload a checkpoint (.pt)", "ru": "Загрузить чекпойнт (.pt)"},
    "predict.session_model": {"en": "Session model", "ru": "Модель сессии"},
    "predict.run": {"en": "Run", "ru": "Запуск"},
    "predict.upload_model": {"en": "Checkpoint file (.pt, saved by CNN Lab)",
                             "ru": "Файл чекпойнта (.pt, сохранённый CNN Lab)"},
    "predict.upload_model_help": {
        "en": "Read with weights_only=True and checked key by key: nothing in the file is ever run.",
        "ru": "Читается с weights_only=True и проверяется по ключам: ничего из файла не выполняется.",
    },
    "predict.no_model": {
        "en": "No model yet: train one on the Training page, pick a run from the journal, or upload a checkpoint.",
        "ru": "Модели пока нет: обучите её на странице «Обучение», выберите запуск из журнала или загрузите чекпойнт.",
    },
    "predict.no_runs": {"en": "The journal has no run with a saved checkpoint yet.",
                        "ru": "В журнале пока нет запусков с сохранённым чекпойнтом."},
    "predict.model_summary": {
        "en": "Dataset **{dataset}**, {classes} classes, input {shape}; normalisation mean {mean}, std {std}",
        "ru": "Датасет **{dataset}**, классов: {classes}, вход {shape}; нормализация: среднее {mean}, СКО {std}",
    },
    "predict.digit_model": {
        "en": "A digit model: pictures get MNIST's recipe (white on black, 20×20 box, centre of mass).",
        "ru": "Модель для цифр: картинка готовится по рецепту MNIST (белое на чёрном, рамка 20×20, центр масс).",
    },
    # --- the picture -------------------------------------------------------------------
    "predict.image_header": {"en": "Picture", "ru": "Картинка"},
    "predict.image_source": {"en": "Where the picture comes from", "ru": "Откуда взять картинку"},
    "predict.image.upload": {"en": "Upload a file", "ru": "Загрузить файл"},
    "predict.image.camera": {"en": "Camera", "ru": "Камера"},
    "predict.image.dataset": {"en": "A test image from the dataset", "ru": "Тестовое изображение из датасета"},
    "predict.upload_image": {"en": "Picture (PNG, JPEG, WebP, BMP or GIF)",
                             "ru": "Картинка (PNG, JPEG, WebP, BMP или GIF)"},
    "predict.camera": {"en": "Take a photo", "ru": "Сделайте снимок"},
    "predict.test_index": {"en": "Test image number (0–{last})", "ru": "Номер тестового изображения (0–{last})"},
    "predict.open_half": {"en": "On this classroom server {open:count} of the {total:count} test images are open to "
                                "look at; the others are kept hidden for the class leaderboard.",
                          "ru": "На этом сервере класса открыты {open:count} из {total:count} тестовых изображений; "
                                "остальные скрыты для рейтинга класса."},
    "predict.true_label": {"en": "True label: **{label}**", "ru": "Истинная метка: **{label}**"},
    "predict.waiting_image": {"en": "Upload a picture, take a photo or pick a test image to see the prediction.",
                              "ru": "Загрузите картинку, сделайте снимок или выберите тестовое изображение, "
                                    "чтобы увидеть предсказание."},
    # --- switches ---------------------------------------------------------------------------
    "predict.options": {"en": "Preprocessing steps (switch off to compare)",
                        "ru": "Шаги предобработки (выключите, чтобы сравнить)"},
    "predict.opt.exif": {"en": "EXIF orientation", "ru": "Ориентация по EXIF"},
    "predict.opt.invert": {"en": "Invert a light background", "ru": "Инвертировать светлый фон"},
    "predict.opt.contrast": {"en": "Background to black, ink to white", "ru": "Фон в чёрный, штрихи в белый"},
    "predict.opt.crop": {"en": "Crop to the ink", "ru": "Обрезать по штрихам"},
    "predict.opt.center_photo": {"en": "Centre crop", "ru": "Обрезка по центру"},
    "predict.opt.normalize": {"en": "Normalise (mean/std)", "ru": "Нормализовать (среднее/СКО)"},
    # --- steps -----------------------------------------------------------------------------
    "predict.steps_header": {"en": "Preprocessing, step by step", "ru": "Предобработка по шагам"},
    "predict.step.decode": {"en": "As uploaded", "ru": "Как загружено"},
    "predict.step.dataset": {"en": "Test image", "ru": "Тестовое изображение"},
    "predict.step.exif": {"en": "EXIF orientation", "ru": "Ориентация по EXIF"},
    "predict.step.channels": {"en": "Model's channels", "ru": "Каналы модели"},
    "predict.step.invert": {"en": "Invert", "ru": "Инверсия"},
    "predict.step.contrast": {"en": "Contrast", "ru": "Контраст"},
    "predict.step.crop": {"en": "Crop to ink", "ru": "Обрезка по штрихам"},
    "predict.step.fit": {"en": "Fit 20×20", "ru": "В рамку 20×20"},
    "predict.step.center": {"en": "Centre of mass", "ru": "Центр масс"},
    "predict.step.center_crop": {"en": "Centre crop", "ru": "Обрезка по центру"},
    "predict.step.resize": {"en": "Resize", "ru": "Изменение размера"},
    "predict.step.normalize": {"en": "Normalised", "ru": "Нормализация"},
    "predict.detail.decode": {"en": "{width}×{height} {format}, mode {mode}", "ru": "{width}×{height} {format}, режим {mode}"},
    "predict.detail.exif": {"en": "orientation tag {orientation}", "ru": "тег ориентации {orientation}"},
    "predict.detail.channels": {"en": "{channels} channel(s)", "ru": "каналов: {channels}"},
    "predict.detail.invert": {"en": "background level {background}", "ru": "уровень фона {background}"},
    "predict.detail.contrast": {"en": "background {background} → 0, ink {ink} → 255",
                                "ru": "фон {background} → 0, штрихи {ink} → 255"},
    "predict.detail.crop": {"en": "{width}×{height}", "ru": "{width}×{height}"},
    "predict.detail.fit": {"en": "longer side {box} px", "ru": "длинная сторона {box} пикс."},
    "predict.detail.center": {"en": "shifted {top} down, {left} right", "ru": "сдвиг: {top} вниз, {left} вправо"},
    "predict.detail.center_crop": {"en": "{width}×{height}", "ru": "{width}×{height}"},
    "predict.detail.resize": {"en": "{width}×{height}", "ru": "{width}×{height}"},
    "predict.detail.normalize": {"en": "values {min} … {max}", "ru": "значения {min} … {max}"},
    "predict.step_off": {"en": "switched off", "ru": "выключено"},
    "predict.step_not_needed": {"en": "not needed", "ru": "не требуется"},
    # --- result ---------------------------------------------------------------------------
    "predict.result_header": {"en": "Prediction", "ru": "Предсказание"},
    "predict.answer": {"en": "The model says **{label}** ({percent}%)", "ru": "Модель считает: **{label}** ({percent}%)"},
    "predict.chart_class": {"en": "Class", "ru": "Класс"},
    "predict.chart_probability": {"en": "Probability", "ru": "Вероятность"},
    "predict.examples": {"en": "Training images of class {label}", "ru": "Обучающие изображения класса {label}"},
    "predict.examples_missing": {"en": "Training images are not available here ({reason}).",
                                 "ru": "Обучающие изображения здесь недоступны ({reason})."},
    "predict.input": {"en": "The model's input", "ru": "Вход модели"},
    # --- picture problems (lab.data.image_io.PROBLEMS) -----------------------------------
    # --- notes and doubts (lab.data.image_io.NOTES) ---------------------------------------
    "predict.note.frames": {
        "en": "The file holds {frames} pictures (an animation, or a phone's multi-picture JPEG); the first is used.",
        "ru": "В файле несколько изображений ({frames}: анимация или многокадровый JPEG телефона); "
              "используется первое.",
    },
    "predict.note.bits16": {"en": "16-bit image: reduced to 8 bits per channel.",
                            "ru": "16-битное изображение: приведено к 8 битам на канал."},
    "predict.note.cmyk": {"en": "CMYK picture: converted to RGB.", "ru": "Картинка в CMYK: переведена в RGB."},
    "predict.note.alpha_white": {"en": "Transparent areas filled with white (the drawing is dark).",
                                 "ru": "Прозрачные области залиты белым (рисунок тёмный)."},
    "predict.note.alpha_black": {"en": "Transparent areas filled with black (the drawing is light).",
                                 "ru": "Прозрачные области залиты чёрным (рисунок светлый)."},
    "predict.note.palette": {"en": "Palette image: converted to full colour.",
                             "ru": "Палитровое изображение: переведено в полноцветное."},
    "predict.note.reduced": {
        "en": "Large picture ({width}×{height}) reduced to {new_width}×{new_height} before processing.",
        "ru": "Большая картинка ({width}×{height}) уменьшена до {new_width}×{new_height} перед обработкой.",
    },
    "predict.note.no_ink": {"en": "No drawing found: the picture is almost one flat colour.",
                            "ru": "Рисунок не найден: картинка почти одного цвета."},
    "predict.note.low_confidence": {"en": "Low confidence: the best class has only {percent}% probability.",
                                    "ru": "Низкая уверенность: у лучшего класса всего {percent}%."},
    "predict.note.too_bright": {
        "en": "The prepared picture is much brighter than the training images (mean {mean} vs {train_mean} "
              "on 0..1): the prediction may mean little.",
        "ru": "Подготовленная картинка намного светлее обучающих (среднее {mean} против {train_mean} "
              "по шкале 0..1): предсказание может мало что значить.",
    },
    "predict.note.too_dark": {
        "en": "The prepared picture is much darker than the training images (mean {mean} vs {train_mean} "
              "on 0..1): the prediction may mean little.",
        "ru": "Подготовленная картинка намного темнее обучающих (среднее {mean} против {train_mean} "
              "по шкале 0..1): предсказание может мало что значить.",
    },
    "predict.note.flat": {
        "en": "The prepared picture has far less contrast than the training images (std {std} vs {train_std}).",
        "ru": "У подготовленной картинки контраст намного ниже, чем у обучающих (СКО {std} против {train_std}).",
    },
    "predict.note.busy": {
        "en": "The prepared picture has far more contrast than the training images (std {std} vs {train_std}).",
        "ru": "У подготовленной картинки контраст намного выше, чем у обучающих (СКО {std} против {train_std}).",
    },
    "predict.unlike_training": {"en": "This picture looks unlike the training data:",
                                "ru": "Эта картинка не похожа на обучающие данные:"},
}

# Picture errors: the English is the engine's (lab.data.image_io.PROBLEMS, what the CLI prints).
_ERROR_RU = {
    "predict.error.empty": "файл пустой (0 байт): выберите картинку ещё раз",
    "predict.error.not_image": "это не картинка, которую может прочитать лаборатория ({name}): используйте PNG, JPEG, WebP, BMP или GIF",
    "predict.error.truncated": "картинка обрезана (файл недокачан): загрузите её ещё раз или пересохраните",
    "predict.error.broken": "картинку не удалось декодировать ({reason}): пересохраните её в PNG или JPEG",
    "predict.error.too_large": "картинка слишком большая ({megapixels:plural:мегапиксель|мегапикселя|мегапикселей}, допустимо не больше {limit}): она отклонена до декодирования; уменьшите её и загрузите снова",
    "predict.error.mode": "неподдерживаемый цветовой режим {mode}: сохраните картинку как обычный RGB или серый PNG/JPEG",
}
TEXTS.update({key: {"en": english, "ru": _ERROR_RU[key]} for key, english in PROBLEMS.items()})

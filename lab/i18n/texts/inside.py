"""Texts of the Inside-the-model page (and its link from the Prediction page)."""

TEXTS = {
    "nav.inside": {"en": "Inside the model", "ru": "Внутри модели"},
    "inside.intro": {
        "en": "What each layer of your own CNN computes for one picture, and why it gives its answer. "
              "Draw a digit, pick a test image or upload a picture: every view below updates with it.",
        "ru": "Что вычисляет каждый слой вашей собственной CNN на одной картинке и почему она так отвечает. "
              "Нарисуйте цифру, выберите тестовое изображение или загрузите картинку: все виды ниже обновятся.",
    },
    "inside.model_header": {"en": "Model", "ru": "Модель"},
    "inside.image_header": {"en": "Picture", "ru": "Картинка"},
    "inside.model_source": {"en": "Where the model comes from", "ru": "Откуда взять модель"},
    "inside.source.prediction": {"en": "The Prediction page's model", "ru": "Модель со страницы «Предсказание»"},
    "inside.source.session": {"en": "Trained in this session", "ru": "Обучена в этой сессии"},
    "inside.source.journal": {"en": "A run from the journal", "ru": "Запуск из журнала"},
    "inside.source.upload": {"en": "Upload a checkpoint (.pt)", "ru": "Загрузить чекпойнт (.pt)"},
    "inside.session_model": {"en": "Session model", "ru": "Модель сессии"},
    "inside.run": {"en": "Run", "ru": "Запуск"},
    "inside.upload_model": {"en": "Checkpoint file (.pt, saved by CNN Lab)",
                            "ru": "Файл чекпойнта (.pt, сохранённый CNN Lab)"},
    "inside.upload_model_help": {
        "en": "Read with weights_only=True and checked key by key: nothing in the file is ever run.",
        "ru": "Читается с weights_only=True и проверяется по ключам: ничего из файла не выполняется.",
    },
    "inside.no_model": {
        "en": "No model yet: train one on the Training page, pick a run from the journal, or upload a checkpoint.",
        "ru": "Модели пока нет: обучите её на странице «Обучение», выберите запуск из журнала или загрузите чекпойнт.",
    },
    "inside.no_runs": {"en": "The journal has no run with a saved checkpoint yet.",
                       "ru": "В журнале пока нет запусков с сохранённым чекпойнтом."},
    "inside.model_summary": {"en": "Dataset **{dataset}**, {classes} classes, input {shape}, {blocks} conv block(s)",
                             "ru": "Датасет **{dataset}**, классов: {classes}, вход {shape}, свёрточных блоков: {blocks}"},
    "inside.model_summary_ready": {"en": "Dataset **{dataset}**, {classes} classes, input {shape}, torchvision's {arch}",
                                   "ru": "Датасет **{dataset}**, классов: {classes}, вход {shape}, {arch} из torchvision"},
    "inside.image_source": {"en": "What to look at", "ru": "На что смотреть"},
    "inside.input.draw": {"en": "Draw", "ru": "Нарисовать"},
    "inside.input.dataset": {"en": "Test image", "ru": "Тестовое изображение"},
    "inside.input.upload": {"en": "Upload", "ru": "Загрузить"},
    "inside.input.camera": {"en": "Camera", "ru": "Камера"},
    "inside.input.prediction": {"en": "The Prediction page's picture", "ru": "Картинка со страницы «Предсказание»"},
    "inside.draw_hint": {
        "en": "Draw a digit with the mouse (white on black, as in MNIST). Every stroke updates the views; "
            "the bin icon under the canvas clears it. If the canvas does not appear, upload a picture instead.",
        "ru": "Нарисуйте цифру мышью (белым по чёрному, как в MNIST). Каждый штрих обновляет виды; "
              "значок корзины под холстом очищает его. Если холст не появился, загрузите картинку.",
    },
    "inside.draw_empty": {"en": "Nothing drawn yet: draw a digit on the canvas.",
                          "ru": "Пока ничего не нарисовано: нарисуйте цифру на холсте."},
    "inside.upload_image": {"en": "A picture (PNG, JPEG, WebP, BMP, GIF)",
                            "ru": "Картинка (PNG, JPEG, WebP, BMP, GIF)"},
    "inside.camera": {"en": "Take a photo", "ru": "Сделать фото"},
    "inside.waiting_image": {"en": "Waiting for a picture.", "ru": "Жду картинку."},
    "inside.test_index": {"en": "Test image number (0–{last})", "ru": "Номер тестового изображения (0–{last})"},
    "inside.random": {"en": "Random test image", "ru": "Наугад"},  # short: the button has a third of a column
    "inside.true_label": {"en": "True class: **{label}**", "ru": "Истинный класс: **{label}**"},
    "inside.preprocessed": {
        "en": "The picture went through the Prediction page's preprocessing: {steps}.",
        "ru": "Картинка прошла предобработку страницы «Предсказание»: {steps}.",
    },
    "inside.model_input": {"en": "What the model sees ({shape})", "ru": "Что видит модель ({shape})"},
    # --- the answer -----------------------------------------------------------------------------
    "inside.answer_header": {"en": "The answer: softmax over all classes", "ru": "Ответ: softmax по всем классам"},
    "inside.answer": {"en": "The model says **{label}** ({percent}%).", "ru": "Модель говорит: **{label}** ({percent}%)."},
    "inside.answer_help": {
        "en": "The last layer gives one number per class; softmax turns them into probabilities that add up "
              "to 100%. A tall single bar is a confident answer, several mid-sized bars a doubtful one.\n\n"
              "Try: draw a 7 without its bar, or a 1 with a hook: which class gains?",
        "ru": "Последний слой выдаёт по числу на класс; softmax превращает их в вероятности, в сумме 100%. "
              "Один высокий столбец — уверенный ответ, несколько средних — сомнение.\n\n"
              "Попробуйте: нарисуйте 7 без перекладины или 1 с крючком: какой класс растёт?",
    },
    "inside.chart_class": {"en": "class", "ru": "класс"},
    "inside.chart_probability": {"en": "probability", "ru": "вероятность"},
    # --- feature maps -------------------------------------------------------------------------------
    "inside.features_header": {"en": "Feature maps: what each conv block sees",
                               "ru": "Карты признаков: что видит каждый свёрточный блок"},
    "inside.features_help": {
        "en": "Each small square is one channel's output: bright where its filter matched the picture. "
              "Channels are sorted strongest first. Early blocks respond to strokes and edges at full size; "
              "after each pooling the maps halve and each value sees a wider part of the input "
              "(the receptive field).\n\nTry: open the strongest channel of block 1 and draw a stroke in "
              "another direction: does it still light up?",
        "ru": "Каждый квадратик — выход одного канала: ярко там, где его фильтр совпал с картинкой. "
              "Каналы отсортированы от сильного к слабому. Первые блоки реагируют на штрихи и края в полном "
              "размере; после каждого пулинга карты вдвое меньше, а каждое значение видит больший кусок входа "
              "(рецептивное поле).\n\nПопробуйте: откройте самый сильный канал блока 1 и проведите штрих в "
              "другом направлении: он всё ещё светится?",
    },
    "inside.stage.activation": {"en": "after activation", "ru": "после активации"},
    "inside.stage.pool": {"en": "after pooling", "ru": "после пулинга"},
    "inside.stage.block": {"en": "the block's output", "ru": "выход блока"},
    "inside.layer_caption_group": {
        "en": "**{name}**, the end of {group} ({stage}): {shape}, receptive field {rf} input pixels; "
              "strongest channels first",
        "ru": "**{name}**, конец группы {group} ({stage}): {shape}, рецептивное поле {rf} пикселей входа; "
              "сильные каналы первыми",
    },
    "inside.ready_taps": {
        "en": "{arch} is torchvision's network: it is shown at the end of each stage ({names}). The "
              "Architecture page's table lists every row with the same shapes and receptive fields.",
        "ru": "{arch} — сеть из torchvision: она показана в конце каждой стадии ({names}). Таблица на "
              "странице «Архитектура» перечисляет все строки с теми же формами и рецептивными полями.",
    },
    "inside.strongest_of": {
        "en": "The {shown} strongest of {n} channels; any channel opens below.",
        "ru": "Показаны {shown} самых сильных каналов из {n}; любой канал открывается ниже.",
    },
    "inside.layer_caption": {
        "en": "**{name}** ({stage}): {shape}, receptive field {rf} input pixels; strongest channels first",
        "ru": "**{name}** ({stage}): {shape}, рецептивное поле {rf} пикселей входа; сильные каналы первыми",
    },
    "inside.open_layer": {"en": "Open a channel of layer", "ru": "Открыть канал слоя"},
    "inside.open_channel": {"en": "Channel (by strength: 1 = strongest)", "ru": "Канал (по силе: 1 — самый сильный)"},
    "inside.channel_caption": {"en": "{layer}, channel {channel}: mean response {response}",
                               "ru": "{layer}, канал {channel}: средний отклик {response}"},
    "inside.input_caption": {"en": "The model's input", "ru": "Вход модели"},
    # --- filters ------------------------------------------------------------------------------------
    "inside.filters_header": {"en": "Learned filters of the first conv layer",
                              "ru": "Выученные фильтры первого свёрточного слоя"},
    "inside.filters_help": {
        "en": "Each tile is one {k} filter of {layer} (grey = 0, white = positive, black = negative weights); "
              "for RGB models each filter shows its R, G and B parts side by side. Training turns random "
              "noise into stroke and edge detectors.\n\nTry: compare with the filters at initialisation: "
              "which ones changed most?",
        "ru": "Каждая плитка — один фильтр {k} слоя {layer} (серый = 0, белый — положительные, чёрный — "
              "отрицательные веса); у RGB-моделей части R, G и B стоят рядом. Обучение превращает случайный "
              "шум в детекторы штрихов и краёв.\n\nПопробуйте: сравните с фильтрами при инициализации: "
              "какие изменились сильнее всего?",
    },
    "inside.filters_now": {"en": "After training (largest |weight| {top})", "ru": "После обучения (наибольший |вес| {top})"},
    "inside.filters_initial": {"en": "At initialisation (largest |weight| {top})",
                               "ru": "При инициализации (наибольший |вес| {top})"},
    "inside.no_initial": {
        "en": "The filters at initialisation were not stored for this model (runs started before this "
              "feature, or an uploaded checkpoint outside its run folder): only the trained ones are shown.",
        "ru": "Фильтры при инициализации для этой модели не сохранены (запуски до появления этой функции "
              "или чекпойнт без папки запуска): показаны только обученные.",
    },
    # --- why this answer ---------------------------------------------------------------------------
    "inside.why_header": {"en": "Why this answer: Grad-CAM for the top 3 classes",
                          "ru": "Почему такой ответ: Grad-CAM для трёх лучших классов"},
    "inside.gradcam_help": {
        "en": "Bright areas are where the last conv block ({layer}) found evidence for the class: the "
              "gradient of the class score times the feature maps (element-wise Grad-CAM, HiResCAM). "
              "Compare the top class's map with the runner-up's.\n\n"
              "Try: draw a 3 and then close its left side: does the 8's map grow there?",
        "ru": "Яркие области — где последний свёрточный блок ({layer}) нашёл доводы за класс: градиент "
              "оценки класса, умноженный на карты признаков (поэлементный Grad-CAM, HiResCAM). Сравните "
              "карту лучшего класса с картой второго.\n\n"
              "Попробуйте: нарисуйте 3, а потом замкните её слева: растёт ли карта восьмёрки там?",
    },
    "inside.gradcam_caption": {"en": "{rank}. {label}: {percent}%", "ru": "{rank}. {label}: {percent}%"},
    "inside.occlusion_header": {"en": "Occlusion: hide a patch, watch the probability drop",
                                "ru": "Окклюзия: закрыть кусок и смотреть, как падает вероятность"},
    "inside.occlusion_help": {
        "en": "A {patch}×{patch} grey patch (the training mean) slides over the picture in steps of {stride}; "
              "bright where hiding the picture lowers the probability of **{label}** most (largest drop "
              "{drop} points of {base}%). Unlike Grad-CAM it needs no gradients, only {n} more forward passes.\n\n"
              "Try: a larger patch: does the bright area stay where Grad-CAM put it?",
        "ru": "Серый квадрат {patch}×{patch} (среднее обучающих данных) скользит по картинке с шагом {stride}; "
              "ярко там, где закрытие сильнее всего снижает вероятность **{label}** (наибольшее падение "
              "{drop} п. п. из {base}%). В отличие от Grad-CAM градиенты не нужны, только ещё "
              "{n:plural:прямой проход|прямых прохода|прямых проходов}.\n\nПопробуйте: квадрат побольше: остаётся ли яркое место там, где его показал Grad-CAM?",
    },
    "inside.occlusion_patch": {"en": "Patch size (pixels)", "ru": "Размер квадрата (пиксели)"},
    "inside.occlusion_class": {"en": "Probability of", "ru": "Вероятность класса"},
    # --- the Prediction page's link ----------------------------------------------------------------------
    "inside.from_predict": {"en": "Look inside the model for this picture",
                            "ru": "Заглянуть внутрь модели на этой картинке"},
}

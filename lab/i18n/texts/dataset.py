"""Texts of the Dataset page (choice of data and its audit)."""

TEXTS = {
    "dataset.intro": {
        "en": "Look at the data before you train on it: what the images are, how the classes are balanced, "
              "whether test images leak into training, and which constants normalise it.",
        "ru": "Посмотрите на данные, прежде чем обучать на них: что это за изображения, сбалансированы ли классы, "
              "не попадают ли тестовые изображения в обучение и какими константами их нормализовать.",
    },
    "dataset.choose": {"en": "Choose the data", "ru": "Выбор данных"},
    "dataset.source": {"en": "Dataset", "ru": "Датасет"},
    "dataset.source_folder": {"en": "A local image folder", "ru": "Локальная папка с изображениями"},
    "dataset.source_upload": {"en": "Upload a .zip of images", "ru": "Загрузить .zip с изображениями"},
    "dataset.folder_path": {"en": "Folder path", "ru": "Путь к папке"},
    "dataset.folder_help": {
        "en": "A folder with one subfolder per class (or train/ and test/, each with class subfolders).",
        "ru": "Папка, в которой для каждого класса своя подпапка (или train/ и test/ с подпапками классов).",
    },
    "dataset.folder_empty": {"en": "Type the path of an image folder to load it.",
                             "ru": "Введите путь к папке с изображениями, чтобы загрузить её."},
    "dataset.upload": {"en": "Zip archive", "ru": "Zip-архив"},
    "dataset.upload_empty": {"en": "Upload a .zip with one folder per class.",
                             "ru": "Загрузите .zip, в котором для каждого класса своя папка."},
    "dataset.image_size": {"en": "Image size (pixels)", "ru": "Размер изображений (пиксели)"},
    "dataset.color": {"en": "Colour", "ru": "Цвет"},
    "dataset.color_rgb": {"en": "RGB", "ru": "RGB (цветные)"},
    "dataset.color_grayscale": {"en": "Grayscale", "ru": "Оттенки серого"},
    "dataset.val_fraction": {"en": "Validation share of the training images", "ru": "Доля обучающих изображений для валидации"},
    "dataset.val_help": {
        "en": "Held out from training, stratified by class, to choose epochs and settings. The test set stays apart.",
        "ru": "Отделяется от обучения с сохранением долей классов; по ней выбирают эпохи и настройки. "
              "Тестовый набор остаётся в стороне.",
    },
    "dataset.split_seed": {"en": "Split seed", "ru": "Зерно разбиения"},
    # data.classes: train on some classes only (lab.data.subset)
    "dataset.keep_classes": {"en": "Classes to train on", "ru": "Классы для обучения"},
    "dataset.keep_classes_all": {"en": "all classes", "ru": "все классы"},
    "dataset.keep_classes_help": {
        "en": "Keep only these classes, relabelled 0, 1, 2… in the dataset's order: training, validation and "
              "test alike. For example pre-train on five CIFAR-10 classes, then fine-tune on the other five. "
              "Empty: every class. A run on some classes does not count on the leaderboard.",
        "ru": "Оставить только эти классы с новыми метками 0, 1, 2… в порядке датасета — и в обучении, и в "
              "валидации, и в тесте. Например, предобучить на пяти классах CIFAR-10, а дообучить на других пяти. "
              "Пусто — все классы. Запуск на части классов не участвует в рейтинге.",
    },
    "dataset.loaded": {"en": "{name}: {n} training and {m} test images, loaded from {origin}",
                       "ru": "{name}: обучающих изображений {n}, тестовых {m}, загружено из {origin}"},
    "dataset.samples_title": {"en": "Samples per class", "ru": "Примеры по классам"},
    "dataset.reshuffle": {"en": "Reshuffle", "ru": "Перемешать"},
    "dataset.sample_seed": {"en": "Sample seed", "ru": "Зерно выборки примеров"},
    "dataset.more_classes": {"en": "Showing the first {shown} of {total} classes.",
                             "ru": "Показаны первые {shown:plural:класс|класса|классов} из {total}."},
    "dataset.counts_title": {"en": "Class counts per split", "ru": "Число изображений по классам и частям"},
    "dataset.split_train": {"en": "train", "ru": "обучение"},
    "dataset.split_val": {"en": "validation", "ru": "валидация"},
    "dataset.split_test": {"en": "test", "ru": "тест"},
    "dataset.axis_class": {"en": "class", "ru": "класс"},
    "dataset.axis_count": {"en": "images", "ru": "изображений"},
    "dataset.axis_split": {"en": "split", "ru": "часть"},
    "dataset.imbalance": {"en": "Imbalance (max / min in train)", "ru": "Дисбаланс (макс./мин.)"},
    "dataset.imbalance_help": {
        "en": "Above about 3, accuracy hides the small classes: look at per-class scores, "
              "or weight or resample the classes.",
        "ru": "Если больше примерно 3, точность скрывает малые классы: смотрите метрики по классам, "
              "взвешивайте классы или балансируйте выборку.",
    },
    "dataset.imbalance_empty": {"en": "a class has no training images", "ru": "в одном из классов нет обучающих изображений"},
    "dataset.no_test": {
        "en": "This folder has no test/ part: the final score will have to come from data kept apart some other way.",
        "ru": "В этой папке нет части test/: итоговую оценку придётся получать на данных, отложенных иначе.",
    },
    "dataset.properties_title": {"en": "Image properties", "ru": "Свойства изображений"},
    "dataset.channels": {"en": "Channels", "ru": "Каналы"},
    "dataset.size": {"en": "Size (H × W)", "ru": "Размер (В × Ш)"},
    "dataset.dtype": {"en": "Stored as", "ru": "Тип хранения"},
    "dataset.classes": {"en": "Classes", "ru": "Классов"},
    "dataset.original_sizes": {"en": "Original sizes (before resizing to {size}×{size})",
                               "ru": "Исходные размеры (до приведения к {size}×{size})"},
    "dataset.width": {"en": "width", "ru": "ширина"},
    "dataset.height": {"en": "height", "ru": "высота"},
    "dataset.count": {"en": "images", "ru": "изображений"},
    "dataset.original_modes": {"en": "Original colour modes", "ru": "Исходные цветовые режимы"},
    "dataset.mode": {"en": "mode", "ru": "режим"},
    "dataset.skipped_title": {"en": "Files that could not be read ({n})", "ru": "Файлы, которые не удалось прочитать ({n})"},
    "dataset.skipped_none": {"en": "Every file was read.", "ru": "Все файлы прочитаны."},
    "dataset.file": {"en": "file", "ru": "файл"},
    "dataset.reason": {"en": "reason", "ru": "причина"},
    "dataset.norm_title": {"en": "Mean and std per channel (training images)",
                           "ru": "Среднее и стандартное отклонение по каналам (обучающие изображения)"},
    "dataset.norm_help": {
        "en": "Pixels scaled to 0..1. Normalise with these constants (computed on training images only, "
              "so nothing of the test set leaks in); the Training page uses the same values.",
        "ru": "Пиксели в диапазоне 0..1. Нормализуйте с этими константами (они посчитаны только по обучающим "
              "изображениям, так что тестовый набор никуда не просачивается); страница «Обучение» использует те же значения.",
    },
    "dataset.mean": {"en": "mean, channel {c}", "ru": "среднее, канал {c}"},
    "dataset.std": {"en": "std, channel {c}", "ru": "ст. откл., канал {c}"},
    "dataset.dup_title": {"en": "Duplicates and leakage", "ru": "Дубликаты и утечки"},
    "dataset.dup_help": {
        "en": "Exact: identical pixels. Near: the same 8×8 average hash and an RMS pixel difference of at most "
              "{rms}. A test image that is also in train inflates the test score; a pair split between train and "
              "validation inflates the validation score.",
        "ru": "Точные: совпадают все пиксели. Почти точные: одинаковый усреднённый хеш 8×8 и среднеквадратичная "
              "разница пикселей не больше {rms}. Тестовое изображение, которое есть и в обучении, завышает оценку "
              "на тесте; пара, разделённая между обучением и валидацией, завышает оценку на валидации.",
    },
    "dataset.dup_kind": {"en": "kind", "ru": "вид"},
    "dataset.dup_exact": {"en": "exact", "ru": "точные"},
    "dataset.dup_near": {"en": "near", "ru": "почти точные"},
    "dataset.dup_train": {"en": "copies within train", "ru": "копии внутри обучения"},
    "dataset.dup_test": {"en": "copies within test", "ru": "копии внутри теста"},
    "dataset.dup_cross": {"en": "test images also in train", "ru": "тестовые, которые есть в обучении"},
    "dataset.dup_train_val": {"en": "pairs split train / validation", "ru": "пары между обучением и валидацией"},
    "dataset.dup_none": {"en": "No duplicates found.", "ru": "Дубликатов не найдено."},
    "dataset.dup_leak_warning": {
        "en": "{n} test image(s) also appear in the training images: remove them from one side before you trust the test score.",
        "ru": "{n:plural:тестовое изображение есть|тестовых изображения есть|тестовых изображений есть} и среди обучающих: уберите их с одной из сторон, прежде чем доверять оценке на тесте.",
    },
    "dataset.pairs_title": {"en": "Example pairs", "ru": "Примеры пар"},
    "dataset.pair_caption": {"en": "{a} #{i} and {b} #{j}", "ru": "{a} №{i} и {b} №{j}"},
    "dataset.outliers_title": {"en": "Outliers", "ru": "Выбросы"},
    "dataset.outliers_help": {
        "en": "Near-blank: pixel std below {std}. Extreme intensity: mean brightness with a robust z-score beyond "
              "±{z} (median {median} over training images). Check them: wrong files, empty scans, mislabelled images.",
        "ru": "Почти пустые: стандартное отклонение пикселей меньше {std}. Крайняя яркость: средняя яркость с "
              "робастной z-оценкой за пределами ±{z} (медиана {median} по обучающим изображениям). Проверьте их: "
              "это бывают не те файлы, пустые сканы, ошибки разметки.",
    },
    "dataset.blank": {"en": "near-blank", "ru": "почти пустые"},
    "dataset.extreme": {"en": "extreme intensity", "ru": "крайняя яркость"},
    "dataset.outliers_none": {"en": "No outliers found.", "ru": "Выбросов не найдено."},
    "dataset.outlier_caption": {"en": "{split} #{i}", "ru": "{split} №{i}"},
    "dataset.outlier_caption_z": {"en": "{split} #{i}, z={z}", "ru": "{split} №{i}, z={z}"},
}

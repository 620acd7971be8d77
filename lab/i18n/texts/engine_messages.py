"""The engine's error messages (``LabError`` keys): English from the engine's own tables,
Russian here. A key added to an engine table without its Russian fails at import."""

from lab.augment.messages import MESSAGES as _AUGMENT
from lab.model.checkpoint_messages import MESSAGES as _CHECKPOINT
from lab.classroom.messages import MESSAGES as _CLASSROOM
from lab.config.messages import MESSAGES as _CONFIG
from lab.data.messages import MESSAGES as _DATA
from lab.files import MESSAGES as _FILES
from lab.jobs.messages import MESSAGES as _JOBS
from lab.model.messages import MESSAGES as _MODEL
from lab.train.messages import MESSAGES as _TRAIN

_RU = {
    "evaluation.no_test": "в {dataset} нет тестовой выборки (папка изображений без test/)",
    "board.classes": "{run}: его классы не совпадают с классами {dataset}",
    "board.budget": "бюджет — 0 (без ограничения) или положительное число «изображения × эпохи»",
    "board.teacher": "преподаватель в соревновании не участвует",
    "board.dataset": "соревнование идёт на {contest}, а не на {dataset}",
    "classroom.no_student": "нет ученика {name!r}",
    "queue.unreachable": "очередь заданий {url} не отвечает: {error}",
    "classroom.sign_in_first": "сначала войдите: на сервере класса рабочие пространства закрыты от других",
    "augment.syntax": "не удаётся прочитать преобразования: синтаксическая ошибка Python в строке {line}; пишите "
                      "их так: RandomCrop(28, padding=2), RandomRotation(10)",
    "augment.compose": "Compose(...) принимает один список преобразований: Compose([RandomCrop(28, padding=2)])",
    "augment.not_call": "{text} — не вызов преобразования; пишите, например, RandomRotation(10)",
    "augment.lab_does_it": "{name}: это лаборатория делает сама, последним шагом: после ваших преобразований она "
                           "превращает изображения в тензоры float и нормализует их средним и стандартным "
                           "отклонением обучающих изображений. Уберите {name} из списка.",
    "augment.unknown": "неизвестное преобразование {name}; известные: {known}",
    "augment.starred": "{name}: *args и **kwargs не допускаются, запишите каждый аргумент",
    "augment.positional": "{name}: без имени можно указать не больше {n} аргумент(ов) ({names}); остальные "
                          "назовите, например padding=2",
    "augment.twice": "{name}: аргумент {arg} указан дважды",
    "augment.unknown_arg": "{name}: неизвестный аргумент {arg} (допустимы: {allowed})",
    "augment.not_literal": "{name}({param}=...): {text} — не литерал (используйте числа, текст, True/False или "
                           "кортеж чисел)",
    "augment.bad_type": "{name}({param}=...): значения типа {kind} не могут быть аргументами преобразования",
    "augment.needs": "{name}: нужен аргумент {param} (например, {name}({example}))",
    "augment.expand": "{name}: при expand=True у каждого изображения свой размер, а батч так не соберёшь; "
                      "используйте expand=False (углы обрезаются)",
    "augment.rejected": "{name}: torchvision не принимает эти аргументы: {error}",
    "augment.interpolation": "interpolation={value}: выберите одно из {allowed}",
    "augment.policy": "policy={value}: выберите 'imagenet', 'cifar10' или 'svhn'",
    "augment.not_finite": "{path}: {value} — не конечное число",
    "augment.nested": "{path}: вложенные списки не бывают аргументами преобразований",
    "augment.bad_value": "{path}: {value} — не число, не текст, не true/false и не список чисел",
    "augment.crop_too_big": "RandomCrop: размер {th}x{tw} больше изображения с отступами {ph}x{pw}; уменьшите "
                            "размер, добавьте padding или укажите pad_if_needed=True",
    "augment.blur_too_big": "GaussianBlur: kernel_size {kernel} слишком велик для изображений {h}x{w}",
    "augment.policy_channels": "{name} работает с изображениями из 1 или 3 каналов, а у этих {c}",
    "augment.no_class_images": "нет обучающих изображений класса {label}",
    "model.hidden_numbers": "скрытые слои: укажите целые числа через запятую, например 128, 64 (получено {text})",
    "model.hidden_count": "{field}: {n} скрытых слоёв — больше предела {limit}",
    "model.hidden_zero": "{field}: в каждом скрытом слое нужен хотя бы 1 нейрон",
    "model.hidden_units": "{field}: {size} нейронов — больше предела {limit} на слой",
    "model.max_blocks": "в модели не больше {n} свёрточных блоков",
    "model.min_blocks": "модели нужен хотя бы один свёрточный блок",
    "model.too_many_weights": "параметры: у модели {params} весов, больше предела {limit}; возьмите меньше "
                              "фильтров или скрытых нейронов либо ставьте pooling раньше",
    "model.too_much_memory": "память активаций: одному изображению нужно около {mb} МБ выходов слоёв, больше "
                             "предела {limit} МБ; уменьшите размер изображений, число фильтров или ставьте "
                             "pooling (или stride) раньше",
    "model.input_channels": "входные каналы: {c} — больше предела {limit} (1 для оттенков серого, 3 для цвета)",
    "model.input_size": "размер входа: {h}x{w} пикселей — больше предела {limit} пикселей на сторону; возьмите "
                        "размер изображений поменьше",
    "model.classes": "классы: {n} — больше предела {limit}",
    "model.layer_problem": "{where}: {problem}",
    "model.where_block": "блок {block}, {layer}",
    "model.where_head": "голова, {layer}",
    "data.archive_missing": "архив не найден: {path}",
    "data.unknown_dataset": "неизвестный набор данных {name}: выберите один из {known} или укажите путь к папке "
                            "с изображениями",
    "data.unknown_builtin": "неизвестный набор данных {name}: выберите один из {known} или папку",
    "data.folder_missing": "папка не найдена: {path}",
    "data.not_folder": "это не папка: {path} (укажите папку с подпапкой для каждого класса или архив .zip)",
    "data.no_classes": "в {path} нет подпапок классов: положите изображения каждого класса в папку с именем "
                       "класса",
    "data.few_classes": "в {path} папок классов: {n}; классификатору нужно хотя бы 2",
    "data.no_images": "в {path} нет ни одного читаемого изображения",
    "data.no_samples": "нет встроенных образцов для {name} (нет файла {path})",
    "data.skip.type": "это не файл изображения",
    "data.skip.unreadable": "не удаётся прочитать: {reason}",
    "data.skip.empty": "пустой файл",
    "data.skip.not_image": "это не читаемое изображение ({kind})",
    "archive.not_zip": "этот файл — не читаемый zip-архив (повреждён, обрезан или другого формата): "
                       "создайте архив заново и загрузите его",
    "archive.too_many": "в архиве {n} записей, больше предела {limit}: положите в него меньше файлов",
    "archive.too_big": "архив распаковывается в {size}, а должен занимать меньше {limit}: возьмите меньше "
                       "изображений или изображения поменьше",
    "archive.outside": "запись архива {name} указывает за пределы папки; отказано",
    "archive.link": "запись архива {name} — ссылка, а не файл; отказано",
    "archive.lied": "архив распаковывается в больший объём, чем заявляют его записи, не меньше {size}; "
                    "распаковка остановлена на пределе {limit}",
    "archive.toc": "оглавление архива повреждено: создайте архив заново",
    "archive.unpack": "не удаётся распаковать архив: {reason}",
    "archive.unpack_into": "не удаётся распаковать архив в {path}: {reason}",
    "archive.damaged": "архив повреждён (запись не распаковывается): создайте архив заново",
    "files.cannot_read": "{what} {path}: не удаётся прочитать: {reason}",
    "files.is_folder": "{what} {path}: это папка, а не файл",
    "files.not_regular": "{what} {path}: это не обычный файл (устройство или канал): укажите файл на диске",
    "files.too_big": "{what} {path}: размер {size}, больше предела {limit}",
    "files.over_limit": "{what} {path}: больше предела {limit}",
    "files.what.file": "файл",
    "files.what.archive": "архив",
    "files.what.checkpoint": "контрольная точка",
    "files.what.config": "конфигурация",
    "files.what.spec": "описание модели",
    "files.what.picture": "изображение",
    "files.os.ENOENT": "нет такого файла или папки",
    "files.os.EACCES": "нет доступа",
    "files.os.EISDIR": "это папка",
    "files.os.ENOTDIR": "это не папка",
    "files.os.ENOSPC": "на диске нет места",
    "files.os.EROFS": "файловая система только для чтения",
    "checkpoint.missing_key": "это не контрольная точка CNN Lab: нет ключа {name}",
    "checkpoint.wrong_type": "это не контрольная точка CNN Lab: у {name} неверный тип",
    "checkpoint.format": "это не контрольная точка CNN Lab (формат {format})",
    "checkpoint.newer": "эту контрольную точку записала более новая версия CNN Lab (версия формата {version}): "
                        "обновите лабораторию, чтобы её прочитать",
    "checkpoint.config": "конфигурация в контрольной точке: {message}",
    "checkpoint.weights_misfit": "веса контрольной точки не подходят к её архитектуре ({detail})",
    "checkpoint.input_shape": "input_shape в контрольной точке должен состоять из трёх положительных целых чисел "
                              "(C, H, W)",
    "checkpoint.too_many_classes": "классы в контрольной точке: {n} — больше предела {limit}",
    "checkpoint.class_names": "классы в контрольной точке должны быть именами (текстом)",
    "checkpoint.two_classes": "в контрольной точке должно быть хотя бы два класса",
    "checkpoint.normalisation": "нормализация в контрольной точке (mean, std) не соответствует числу каналов "
                                "изображения",
    "checkpoint.too_big": "контрольная точка занимает {mb} МБ, больше предела {limit} МБ",
    "checkpoint.empty": "файл контрольной точки пуст (0 байт): выберите best.pt (или last.pt) одного из запусков CNN Lab",
    "checkpoint.not_torch": "это не контрольная точка CNN Lab: этот файл — {what}; выберите best.pt (или last.pt) одного из запусков CNN Lab",
    "checkpoint.objects": "отказано: в этом файле PyTorch хранятся объекты Python, а не только веса и настройки "
                          "(например, целая модель, сохранённая через torch.save(model)); это не контрольная "
                          "точка CNN Lab, а код из файлов лаборатория никогда не запускает: выберите best.pt (или last.pt) одного из запусков CNN Lab",
    "checkpoint.damaged": "это не контрольная точка CNN Lab: файл PyTorch повреждён или обрезан; выберите best.pt (или last.pt) одного из запусков CNN Lab",
    "checkpoint.not_dict": "это не контрольная точка CNN Lab: в файле {kind}, а не словарь весов и настроек "
                           "лаборатории; выберите best.pt (или last.pt) одного из запусков CNN Lab",
    "checkpoint.missing_weight": "веса контрольной точки не соответствуют её архитектуре (нет {name})",
    "checkpoint.unexpected_weight": "веса контрольной точки не соответствуют её архитектуре (лишний {name})",
    "checkpoint.not_tensor": "вес {name} в контрольной точке — не обычный тензор",
    "checkpoint.shape": "у веса {name} в контрольной точке форма {shape}, а архитектуре нужна {needs}",
    "checkpoint.dtype": "вес {name} в контрольной точке имеет тип {dtype}, а архитектуре нужен {needs}",
    "checkpoint.not_finite": "в весе {name} контрольной точки есть NaN или бесконечности",
    "checkpoint.not_run": "{path} — не папка запуска (нет config.json) и не файл контрольной точки",
    "checkpoint.no_model": "модели {ref} нет: укажите папку запуска, номер запуска из журнала или файл "
                           "контрольной точки .pt",
    "checkpoint.channels": "эта модель принимает изображения с {c} каналами; страница предсказания умеет 1 "
                           "(оттенки серого) или 3 (RGB)",
    "checkpoint.image_misfit": "изображение набора данных формы {shape} не подходит этой модели (каналов: "
                               "{channels}): выберите тестовое изображение из набора данных самой модели",
    "checkpoint.no_test_images": "в наборе данных {dataset} нет тестовых изображений",
    "checkpoint.other_classes": "его классы отличаются от классов модели",
    "checkpoint.kind.png": "картинка PNG",
    "checkpoint.kind.jpeg": "картинка JPEG",
    "checkpoint.kind.gif": "картинка GIF",
    "checkpoint.kind.pdf": "документ PDF",
    "checkpoint.kind.gzip": "архив gzip",
    "checkpoint.kind.zip": "zip-архив, но не файл PyTorch",
    "checkpoint.kind.text": "текстовый файл",
    "checkpoint.kind.other": "не файл PyTorch",
    "config.expected_object": "{path}: ожидался объект, а получено {kind}",
    "config.unknown_field": "неизвестное поле {path} (допустимы: {allowed})",
    "config.invalid": "{path}: {detail}",
    "config.not_one_of": "{path}: {value} — не одно из {allowed}",
    "config.unexpected": "{path}: неожиданное значение {value}",
    "config.expected_list": "{path}: ожидался список, а получено {kind}",
    "config.expected_count": "{path}: ожидалось значений: {n}, а получено {got}",
    "config.expected_null": "{path}: ожидалось null, а получено {kind}",
    "config.expected_bool": "{path}: ожидалось true или false, а получено {kind}",
    "config.expected_int": "{path}: ожидалось целое число, а получено {kind}",
    "config.expected_number": "{path}: ожидалось число, а получено {kind}",
    "config.expected_text": "{path}: ожидался текст, а получено {kind}",
    "config.long_number": "{path}: целое число длиннее {digits} цифр далеко за пределами любого допустимого "
                          "диапазона",
    "config.too_deep": "{path}: вложенность больше {depth} уровней; в конфигурации CNN Lab их не больше "
                       "нескольких",
    "config.too_long": "{path}: {n} символов — больше предела {limit}",
    "config.not_json": "{path}: это не корректный JSON: {reason} (строка {line})",
    "config.number_too_long": "{path}: в нём слишком длинное число ({detail})",
    "config.not_utf8": "конфигурация {path} — не текст в UTF-8: укажите файл JSON",
    "config.at": "{path}: {message}",
    "config.not_transform": "{path}: {name} — не имя преобразования",
    "config.no_dataset": "{path}: укажите набор данных ({known}) или папку",
    "config.value_why": "{path}: {value} {why}",
    "config.why_plain": "{path}: {why}",
    "config.json.value": "ожидалось значение",
    "config.json.name": "ожидалось имя свойства в двойных кавычках",
    "config.json.extra": "лишние данные после конца JSON",
    "config.json.comma": "ожидалась запятая",
    "config.json.colon": "ожидалось двоеточие",
    "config.json.string": "незакрытая строка",
    "config.json.control": "недопустимый управляющий символ",
    "config.json.escape": "недопустимая escape-последовательность",
    "config.kind.big": "число длиннее {digits} цифр",
    "config.kind.null": "null",
    "config.kind.bool": "{value} (true/false)",
    "config.kind.number": "число {value}",
    "config.kind.text": "текст {value}",
    "config.kind.list": "список",
    "config.kind.object": "объект",
    "config.why.outside": "— вне диапазона {low}..{high}",
    "config.why.outside_epochs": "— вне диапазона {low}..{high} эпох",
    "config.why.outside_pixels": "— вне диапазона {low}..{high} пикселей",
    "config.why.gamma": "— вне диапазона 0..1 (на него умножается lr)",
    "config.why.grad_clip": "— должно быть 0 (выключено) или положительная норма градиента",
    "config.why.patience": "— должно быть 0 (выключено) или терпение в эпохах до {limit}",
    "config.why.train_limit": "должно быть 0 (все) или число изображений до {limit}",
    "config.why.pair": "укажите одно число или пару [H, W]",
    "config.why.at_least": "должно быть не меньше {low}",
    "config.why.over_limit": "{value} — больше предела {limit}",
    "config.why.blocks": "в модели от 1 до {limit} свёрточных блоков, а не {n}",
    "train.nothing_to_train": "не на чем обучать: обучающих изображений {train}, проверочных {val}; возьмите "
                              "набор данных с большим числом изображений в каждом классе или увеличьте долю "
                              "проверочной выборки",
    "train.no_checkpoint": "у запуска {run} ещё нет контрольной точки (нет best.pt или last.pt): обучите его "
                           "хотя бы одну эпоху",
    "train.delete_confirm": "чтобы удалить {run}, нужно подтверждение: повторите его номер",
    "train.delete_running": "запуск {run} ещё обучается: сначала остановите его на странице «Обучение»",
    "train.no_cuda": "устройство cuda: на этой машине нет GPU с CUDA (выберите --device cpu или auto)",
    "train.no_mps": "устройство mps: GPU Apple Metal здесь недоступен (выберите --device cpu или auto)",
    "train.unknown_device": "устройство {name}: выберите auto, cpu, cuda или mps",
}

TEXTS = {key: {"en": english, "ru": _RU[key]} for key, english in {**_AUGMENT, **_MODEL, **_DATA, **_FILES, **_CHECKPOINT, **_CONFIG, **_TRAIN, **_CLASSROOM, **_JOBS}.items()}

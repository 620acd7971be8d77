"""The engine's error messages (``LabError`` keys): English from the engine's own tables,
Russian here. A key added to an engine table without its Russian fails at import."""

from lab.augment.messages import MESSAGES as _AUGMENT
from lab.model.checkpoint_messages import MESSAGES as _CHECKPOINT
from lab.classroom.messages import MESSAGES as _CLASSROOM
from lab.cli.messages import MESSAGES as _CLI
from lab.config.messages import MESSAGES as _CONFIG
from lab.data.messages import MESSAGES as _DATA
from lab.errors import MESSAGES as _ERRORS
from lab.export.messages import MESSAGES as _EXPORT
from lab.files import MESSAGES as _FILES
from lab.inspect.messages import MESSAGES as _INSPECT
from lab.jobs.messages import MESSAGES as _JOBS
from lab.model.messages import MESSAGES as _MODEL
from lab.runs.messages import MESSAGES as _RUNS
from lab.train.messages import MESSAGES as _TRAIN
from lab.predict.messages import MESSAGES as _PREDICT

_RU = {
    "evaluation.no_test": "в {dataset} нет тестовой выборки (папка изображений без test/)",
    "board.classes": "{run}: его классы не совпадают с классами {dataset}",
    "board.budget": "бюджет — 0 (без ограничения) или положительное число «изображения × эпохи»",
    "board.teacher": "преподаватель в соревновании не участвует",
    "board.dataset": "соревнование идёт на {contest}, а не на {dataset}",
    "classroom.no_student": "нет ученика {name!r}",
    "queue.unreachable": "очередь заданий {url} не отвечает: {error}",
    "queue.worker_down": "очередь заданий {url} не отвечает ({error}); пробую снова, не чаще чем раз в {cap} с",
    "queue.worker_back": "очередь заданий {url} снова отвечает",
    "files.no_space": "диск заполнен: не удаётся записать {name}, свободно {free} в {folder}; освободите место "
                      "(удалите ненужные запуски) и повторите",
    "classroom.err.name_chars": "{name!r}: в имени допустимы обычные латинские или русские буквы, цифры, пробел, "
                                "«-», «_» и «.» (без широких и стилизованных букв)",
    "classroom.err.name_char": "{name!r}: знак {char!r} в имени недопустим; используйте обычные латинские или "
                               "русские буквы, цифры, пробел, «-», «_» и «.»",
    "classroom.err.name_length": "в имени от {min} до {max:plural:символа|символов|символов}",
    "classroom.err.name_start": "имя начинается с буквы",
    "classroom.err.name_mixed": "используйте в имени либо латинские, либо русские буквы, не вперемешку",
    "classroom.err.password_length": "в пароле от {min} до {max:plural:символа|символов|символов}",
    "classroom.err.no_code": "у этого сервера нет кода класса (LAB_CLASS_CODE): ученики не могут "
                             "зарегистрироваться",
    "classroom.err.code": "неверный код класса: спросите учителя",
    "classroom.err.taken": "имя {name!r} уже занято: выберите другое",
    "classroom.err.wrong": "неверное имя или пароль",
    "classroom.err.no_teacher": "у этого сервера не задан пароль учителя (LAB_TEACHER_PASSWORD)",
    "classroom.err.locked": "слишком много неверных паролей для этого имени из вашей сети: попробуйте "
                            "через {wait} или попросите учителя снять блокировку",
    "classroom.err.locked_device": "слишком много неверных паролей для этого имени из этого браузера: попробуйте "
                                   "через {wait} или попросите учителя снять блокировку",
    "classroom.err.locked_name": "для этого имени слишком много неверных паролей из других браузеров: из браузера, "
                                 "в котором вы с ним ещё не входили, попробуйте через {wait} или попросите "
                                 "учителя снять блокировку",
    "classroom.err.locked_client": "слишком много неверных паролей из вашей сети: попробуйте через {wait} или "
                                   "попросите учителя снять блокировку",
    "classroom.err.code_locked": "слишком много неверных кодов класса из вашей сети: попробуйте через {wait}",
    "classroom.err.code_locked_all": "на этом сервере слишком много неверных кодов класса: попробуйте через "
                                     "{wait} или обратитесь к учителю",
    "classroom.wait.seconds": "{n:plural:секунду|секунды|секунд}",
    "classroom.wait.minutes": "{n:plural:минуту|минуты|минут}",
    "classroom.err.no_identity": "провайдер не сообщил пригодного имени ({identity!r})",
    "classroom.sign_in_first": "сначала войдите: на сервере класса рабочие пространства закрыты от других",
    "augment.syntax": "не удаётся прочитать преобразования: синтаксическая ошибка Python в строке {line}; пишите "
                      "их так: RandomCrop(28, padding=2), RandomRotation(10)",
    "augment.compose": "Compose(...) принимает один список преобразований: Compose([RandomCrop(28, padding=2)])",
    "augment.not_call": "{text} — не вызов преобразования; пишите, например, RandomRotation(10)",
    "augment.lab_does_it": "{name}: это лаборатория делает сама, последним шагом: после ваших преобразований она "
                           "превращает изображения в тензоры float и нормализует их средним и стандартным "
                           "отклонением обучающих изображений. Уберите {name} из списка.",
    "augment.unknown": "неизвестное преобразование {name}{close}; известные: {known}",
    "augment.starred": "{name}: *args и **kwargs не допускаются, запишите каждый аргумент",
    "augment.positional": "{name}: без имени можно указать не больше {n:plural:аргумента|аргументов|аргументов} ({names}); остальные "
                          "назовите, например padding=2",
    "augment.twice": "{name}: аргумент {arg} указан дважды",
    "augment.unknown_arg": "{name}: неизвестный аргумент {arg}{close}; допустимы: {allowed}",
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
    "model.hidden_count": "{field}: {n:plural:скрытый слой|скрытых слоя|скрытых слоёв} — больше предела {limit}",
    "model.hidden_zero": "{field}: в каждом скрытом слое нужен хотя бы 1 нейрон",
    "model.hidden_units": "{field}: {size:plural:нейрон|нейрона|нейронов} — больше предела {limit} на слой",
    "model.max_blocks": "в модели не больше {n:plural:свёрточного блока|свёрточных блоков|свёрточных блоков}",
    "model.min_blocks": "модели нужен хотя бы один свёрточный блок",
    "model.too_many_weights": "параметры: у модели {params:plural:вес|веса|весов}, больше предела {limit:count}; возьмите меньше "
                              "фильтров или скрытых нейронов либо ставьте pooling раньше",
    "model.too_much_memory": "память активаций: одному изображению нужно около {mb:count} МБ выходов слоёв, больше "
                             "предела {limit} МБ; уменьшите размер изображений, число фильтров или ставьте "
                             "pooling (или stride) раньше",
    "model.input_channels": "входные каналы: {c} — больше предела {limit} (1 для оттенков серого, 3 для цвета)",
    "model.input_size": "размер входа: {h}x{w:plural:пиксель|пикселя|пикселей} — больше предела {limit} пикселей на сторону; возьмите "
                        "размер изображений поменьше",
    "model.classes": "классы: {n} — больше предела {limit}",
    "model.layer_problem": "{where}: {problem}",
    "model.where_block": "блок {block}, {layer}",
    "model.where_head": "голова, {layer}",
    "data.archive_missing": "архив не найден: {path}",
    "data.unknown_dataset": "неизвестный набор данных {name}{close}: выберите один из {known} или укажите путь к папке "
                            "с изображениями",
    "data.unknown_builtin": "неизвестный набор данных {name}{close}: выберите один из {known} или папку",
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
    "archive.too_many": "в архиве {n:plural:запись|записи|записей}, больше предела {limit:count}: положите в него меньше файлов",
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
    "checkpoint.too_big": "контрольная точка занимает {mb:count} МБ, больше предела {limit:count} МБ",
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
    "checkpoint.channels": "эта модель принимает изображения с {c:plural:каналом|каналами|каналами}; страница предсказания умеет 1 "
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
    "config.unknown_field": "неизвестное поле {path}{close}; допустимы: {allowed}",
    "config.invalid": "{path}: {detail}",
    "config.not_one_of": "{path}: {value}{close} — не одно из {allowed}",
    "config.unexpected": "{path}: неожиданное значение {value}",
    "config.expected_list": "{path}: ожидался список, а получено {kind}",
    "config.expected_count": "{path}: ожидалось значений: {n}, а получено {got}",
    "config.expected_null": "{path}: ожидалось null, а получено {kind}",
    "config.expected_bool": "{path}: ожидалось true или false, а получено {kind}",
    "config.expected_int": "{path}: ожидалось целое число, а получено {kind}",
    "config.expected_number": "{path}: ожидалось число, а получено {kind}",
    "config.expected_text": "{path}: ожидался текст, а получено {kind}",
    "config.long_number": "{path}: целое число длиннее {digits:plural:цифры|цифр|цифр} далеко за пределами любого допустимого "
                          "диапазона",
    "config.too_deep": "{path}: вложенность больше {depth:plural:уровня|уровней|уровней}; в конфигурации CNN Lab их не больше "
                       "нескольких",
    "config.too_long": "{path}: {n:plural:символ|символа|символов} — больше предела {limit:count}",
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
    "config.kind.big": "число длиннее {digits:plural:цифры|цифр|цифр}",
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
    "config.why.train_limit": "должно быть 0 (все) или число изображений до {limit:count}",
    "config.why.pair": "укажите одно число или пару [H, W]",
    "config.why.at_least": "должно быть не меньше {low}",
    "config.why.over_limit": "{value} — больше предела {limit}",
    "config.why.blocks": "в модели от 1 до {limit:plural:свёрточного блока|свёрточных блоков|свёрточных блоков}, а не {n}",
    "train.nothing_to_train": "не на чем обучать: обучающих изображений {train}, проверочных {val}; возьмите "
                              "набор данных с большим числом изображений в каждом классе или увеличьте долю "
                              "проверочной выборки",
    "train.no_checkpoint": "у запуска {run} ещё нет контрольной точки (нет best.pt или last.pt): обучите его "
                           "хотя бы одну эпоху",
    "train.delete_confirm": "чтобы удалить {run}, нужно подтверждение: повторите его номер",
    "train.delete_running": "запуск {run} ещё обучается: сначала остановите его на странице «Обучение»",
    "train.no_cuda": "устройство cuda: на этой машине нет GPU с CUDA (выберите --device cpu или auto)",
    "train.no_mps": "устройство mps: GPU Apple Metal здесь недоступен (выберите --device cpu или auto)",
    "train.unknown_device": "устройство {name}{close}: выберите auto, cpu, cuda или mps",
    "model.unknown_preset": "неизвестная заготовка {name}{close}: выберите одну из {known}",
    "model.unknown_layer": "неизвестный слой {kind}{close}: выберите один из {known}",
    "model.avgpool_dilation": "dilation: у AvgPool2d нет dilation; поставьте 1",
    "model.input_shape_numbers": "форма входа — три числа C,H,W, а не {shape}",
    "model.input_shape_positive": "форма входа {c},{h},{w}: каналы, высота и ширина должны быть не меньше 1",
    "model.classes_positive": "классов должно быть не меньше 1, а не {n}",
    "queue.unknown_name": "очередь {name}: выберите одну из {known}",
    "queue.bad_url": "очередь {url}: укажите redis://HOST:PORT/DB или не задавайте LAB_QUEUE, чтобы работала "
                     "встроенная очередь",
    "augment.preview_uint8": "для просмотра нужны изображения uint8 (K, C, H, W)",
    "augment.uint8": "аугментации нужны изображения uint8 (N, C, H, W), а получено {dtype} {shape}",
    "classroom.cap_number": "{name}={raw}: ожидалось целое число",
    "classroom.cap_negative": "{name}={raw}: должно быть 0 или больше",
    "classroom.student_not_classroom": "--student: {path} — не папка запусков класса (в ней нет "
                                       "classroom/accounts.json)",
    "classroom.which_student": "{path} — папка запусков класса: укажите --student ИМЯ, чьи это запуски "
                               "(ученики: {students})",
    "classroom.none_yet": "пока никого",
    "classroom.no_student_in": "в {path} нет ученика {name}",
    "classroom.not_their_run": "{ref}: это не запуск ученика {student} (он из другого рабочего пространства)",
    "classroom.the_student": "указанного ученика",
    "train.no_recipe": "для {dataset} нет быстрого рецепта: они есть для {known}",
    "files.cannot_read_path": "не удаётся прочитать {path}: {reason}",
    "files.cannot_write": "не удаётся записать {path}: {reason}",
    "files.cannot_create": "не удаётся создать {path}: {reason}",
    "files.cannot_write_into": "не удаётся записать в {path}: {reason}",
    "runs.no_run": "в {root} нет запуска {run}",
    "runs.not_run_folder": "{ref} — не папка запуска (в ней нет config.json)",
    "runs.unknown_split": "неизвестная выборка {split}: выберите val или test",
    "runs.seeds_count": "--seeds: от 1 до {limit:plural:запуска|запусков|запусков}, а не {n}",
    "runs.seeds_past": "зёрна {first}..{last} выходят за наибольшее зерно {limit}",
    "runs.no_field": "нет поля {path}, которое можно вернуть",
    "runs.top": "--top: от 1 до {limit}, а не {top}",
    "runs.mark_verdict": "отметка — label или model (или none), а не {verdict}",
    "runs.mark_index": "нет изображения {index}: номера в наборе данных начинаются с 0",
    "runs.expect_why_alone": "вместе с причиной укажите и ожидание: better, worse или same (--expect)",
    "runs.expect_direction": "ожидание — better, worse или same, а не {direction}",
    "runs.expect_why_long": "причина — не длиннее {limit:plural:символа|символов|символов} (дано {n})",
    "runs.damage.missing": "нет файла {file}",
    "runs.damage.config": "config.json не загружается: {message}",
    "runs.damage.unreadable": "не удаётся прочитать {file}: {reason}",
    "runs.damage.not_utf8": "в {file} есть байты, которые не являются текстом UTF-8",
    "runs.damage.not_json": "{file} не является JSON (обрезан или исправлен вручную)",
    "runs.damage.not_object": "в {file} лежит {kind} там, где должен быть объект JSON",
    "runs.damage.lines": "{file}: не удаётся прочитать {n:plural:строку|строки|строк}, {n:word:она пропущена|они пропущены|они пропущены}",
    "runs.not_journal_csv": "это не CSV журнала: нет столбца {column}",
    "runs.draft_unreadable": "эксперимент, сохранённый с прошлого визита, нельзя использовать: {message}",
    "runs.draft_broken": "эксперимент, сохранённый с прошлого визита, повреждён (это не сохранённый эксперимент лаборатории)",
    "cli.not_classroom": "{path} — не папка запусков класса (нет classroom/accounts.json)",
    "cli.no_active_run": "в {path} нет запуска {run} в очереди или в обучении",
    "cli.student_busy": "у ученика {name} запуск в очереди или в обучении: сначала остановите его",
    "cli.remove_confirm": "удаление {name} стирает учётную запись и все запуски: добавьте --yes",
    "cli.workers": "--workers {n}: укажите 1 или больше",
    "cli.threads": "--threads {n}: укажите 1 или больше",
    "cli.layer_input": "--input: укажите C,H,W, например 3,32,32 (получено {text})",
    "cli.layer_out_channels": "--out-channels: каналы меняет только conv2d; для пулингов не указывайте его",
    "cli.layer_ceil_mode": "--ceil-mode: ceil_mode есть только у пулингов; для conv2d не указывайте его",
    "cli.layer_too_big": "--{name}: {shown} — больше предела {limit:count}",
    "cli.layer_many_digits": "число из {n:plural:цифры|цифр|цифр}",
    "predict.hidden_test_image": "тестовое изображение {index} входит в ту половину тестовой выборки, которую "
                                 "рейтинг этого класса держит скрытой; открыты {open:count} из {total:count} "
                                 "тестовых изображений",
    "cli.index_outside": "--index {index} вне выборки {split} (0..{last})",
    "cli.audit_no_folder": "папка не найдена: {path} (укажите папку с подпапкой для каждого класса или её .zip)",
    "cli.overfit_submit": "--overfit-batch работает в этом процессе: используйте lab train --overfit-batch",
    "cli.augment_png": "--out {path}: укажите файл .png",
    "cli.mark": "--mark {text}: пишите НОМЕР=label, НОМЕР=model или НОМЕР=none",
    "cli.lr_find_range": "--start {start:g} должно быть меньше --end {end:g}",
    "cli.train_what": "укажите --config ФАЙЛ.json или --dataset ИМЯ (и, если нужно, --preset ИМЯ)",
    "inspect.no_conv": "в этой модели нет свёрточного слоя",
    "inspect.image_shape": "взгляд внутрь принимает одно изображение формы {needs}, а не {shape}",
    "errors.did_you_mean": " (может быть, вы имели в виду {name}?)",
    "inspect.not_lab_model": "эту модель собрал не конструктор CNN Lab по её конфигурации: взгляд внутрь "
                             "находит её слои по плану конфигурации",
    "export.onnx_mismatch": "модель ONNX считает не то же, что PyTorch: наибольшая разница логитов на {n} "
                            "настоящих изображениях — {diff:.2e}, больше {limit:.0e}; файл не записан",
    "export.missing": "для этого нужен {packages}, а здесь он не установлен (pip install {packages})",
    "export.no_checkpoint": "у {run} нет обученных весов (best.pt) для экспорта",
}

TEXTS = {key: {"en": english, "ru": _RU[key]} for key, english in {**_ERRORS, **_AUGMENT, **_MODEL, **_DATA, **_FILES, **_CHECKPOINT, **_CONFIG, **_TRAIN, **_CLASSROOM, **_JOBS, **_RUNS, **_CLI, **_INSPECT, **_PREDICT, **_EXPORT}.items()}

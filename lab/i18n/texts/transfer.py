"""Starting from existing weights (issue 22, item 2): the Training page's "Start from" section and
the engine's messages of ``lab/config/transfer_messages.py`` (English there, Russian here)."""

from lab.config.transfer_messages import MESSAGES as _ENGINE

_RU = {
    "transfer.init_text": "{path}: укажите id запуска, файл .pt, imagenet или ничего (с нуля); {value} — ни то, "
                          "ни другое",
    "classes.too_few": "{path}: оставьте хотя бы 2 класса (или ни одного, чтобы взять все)",
    "classes.repeated": "{path}: класс {name} указан дважды",
    "classes.unknown": "класса {name} нет в {dataset}{close}; его классы: {known}",
    "classes.outside": "номер класса {index} вне диапазона 0..{last} набора {dataset}",
    "transfer.no_run": "--init-from {ref}: в этом журнале нет запуска {ref} (нужен id запуска из журнала, папка "
                       "запуска или файл .pt)",
    "transfer.outside": "--init-from {ref}: здесь можно загрузить только свои запуски и загруженные вами файлы .pt",
    "transfer.no_file": "--init-from {ref}: такого файла .pt нет",
    "transfer.not_state_dict": "в {ref} нет весов: нужен файл .pt со словарём состояния (имя -> тензор) или "
                               "контрольная точка CNN Lab",
    "transfer.unsafe": "{ref} отклонён: в нём объекты Python, а не только тензоры, а лаборатория никогда не "
                       "выполняет код из файла (сохраняйте model.state_dict(), а не модель)",
    "transfer.damaged": "{ref} — не файл PyTorch, который лаборатория может прочитать (повреждён, обрезан или "
                        "в другом формате)",
    "transfer.too_big": "{ref} занимает {mb:count} МБ, больше предела {limit:count} МБ",
    "transfer.nothing_matches": "ничто из {ref} не подходит этой модели: нет ни одного веса с тем же именем и "
                                "формой (он обучен для другой архитектуры)",
    "transfer.imagenet_lab": "веса ImageNet есть только у готовых архитектур torchvision; {preset} — собственная "
                             "архитектура лаборатории (начните с одного из своих запусков)",
    "transfer.imagenet_offline": "веса ImageNet не удалось скачать (нет интернета или сервер не ответил): начните "
                                 "с одного из своих запусков или файла .pt",
    "transfer.too_many_frozen": "заморозка {n}: у этой модели {groups:plural:группа|группы|групп} ({names}), "
                                "обучаемыми оставьте от 1 до {most}",
    "transfer.bad_upload_name": "{name}: загружаемый файл весов — файл .pt с простым именем",
    "transfer.report.loaded": "начальные веса — {source}: загружено {loaded} из {total} тензоров весов "
                              "({params:count} параметров)",
    "transfer.report.new_classes": "голова новая: {source} — {old:plural:класс|класса|классов}, у этого запуска "
                                   "{new}",
    "transfer.report.other_classes": "выходной слой головы новый: {source} обучен на других классах",
    "transfer.report.new_shape": "новых тензоров из-за другой формы: {n} (первый: {name})",
    "transfer.report.new_missing": "новых тензоров, которых нет в источнике ({source}): {n} (первый: {name})",
    "transfer.report.frozen": "заморожено: {groups} ({params:count} параметров); обучается: {trained}",
    "transfer.report.not_frozen": "ничего не заморожено: обучаются все слои",
    "transfer.report.scratch": "с нуля: все веса начинаются случайными",
}

_UI = {
    "transfer.title": ("Start from", "Начать с"),
    "transfer.source": ("Weights to start from", "Начальные веса"),
    "transfer.source.scratch": ("From scratch (random weights)", "С нуля (случайные веса)"),
    "transfer.source.run": ("One of my runs", "Один из моих запусков"),
    "transfer.source.upload": ("An uploaded .pt file", "Загруженный файл .pt"),
    "transfer.source.imagenet": ("ImageNet weights (torchvision)", "Веса ImageNet (torchvision)"),
    "transfer.pick_run": ("Run", "Запуск"),
    "transfer.no_runs": ("Your journal has no trained run yet: train one first.",
                         "В журнале ещё нет обученного запуска: сначала обучите один."),
    "transfer.pick_upload": ("Uploaded file", "Загруженный файл"),
    "transfer.upload": ("Upload a .pt file (a state dict or a CNN Lab checkpoint)",
                        "Загрузите файл .pt (словарь состояния или контрольную точку CNN Lab)"),
    "transfer.uploaded": ("Kept in your journal as {name}.", "Сохранён в журнале как {name}."),
    "transfer.imagenet_ready_only": ("ImageNet weights exist for the ready architectures only (Architecture page).",
                                     "Веса ImageNet есть только у готовых архитектур (страница «Архитектура»)."),
    "transfer.freeze": ("What trains", "Что обучается"),
    "transfer.freeze.none": ("Everything (fine-tune all layers)", "Всё (дообучать все слои)"),
    "transfer.freeze.features": ("The head only (features frozen)", "Только голова (признаки заморожены)"),
    "transfer.freeze.last": ("The last N groups", "Последние N групп"),
    "transfer.freeze_n": ("Groups that train (counted from the head)", "Сколько групп обучается (считая от головы)"),
    "transfer.lr_factor": ("Learning rate of loaded layers (× lr)", "Скорость обучения загруженных слоёв (× lr)"),
    "transfer.lr_factor_help": ("1: the same as the new layers; 0.1: ten times slower, so the pretrained features "
                                "move less.", "1 — как у новых слоёв; 0,1 — в десять раз медленнее, чтобы "
                                "предобученные признаки менялись меньше."),
    "transfer.will": ("**Train will:**", "**При обучении:**"),
    "transfer.cannot": ("These weights cannot be used: {message}", "Эти веса использовать нельзя: {message}"),
    "transfer.record": ("Started from", "Старт"),  # not "Начальные веса": the record's first line starts so
    "transfer.source_run": ("run {id}", "запуск {id}"),
    "transfer.col.frozen": ("Frozen", "Заморожен"),
    "transfer.why_pretrained": (
        "A network trained before already detects edges, textures and parts of objects in its first layers. "
        "Starting from it, a new task with few images needs to learn far less: the layers that match are loaded, "
        "and only the head (one output per class) is new when the classes differ.",
        "Обученная ранее сеть уже находит в первых слоях края, текстуры и части объектов. Начав с неё, новой "
        "задаче с малым числом изображений нужно выучить гораздо меньше: совпадающие слои загружаются, а новой "
        "будет только голова (по выходу на класс), если классы другие."),
    "transfer.when_freeze": (
        "Freeze the features when you have few images and the new task looks like the old one: only the head "
        "learns, fast and without overfitting. With more images, or a different kind of picture, let the last "
        "groups (or everything, at a lower learning rate) train too.",
        "Замораживайте признаки, когда изображений мало и новая задача похожа на старую: учится только голова, "
        "быстро и без переобучения. Если изображений больше или картинки другого рода, дайте обучаться и "
        "последним группам (или всему, с меньшей скоростью обучения)."),
    "format.setting.init_from": ("Initialised from", "Начальные веса"),
    "format.setting.classes": ("Classes kept", "Оставленные классы"),
}

TEXTS = {key: {"en": english, "ru": _RU[key]} for key, english in _ENGINE.items()}
TEXTS.update({key: {"en": en, "ru": ru} for key, (en, ru) in _UI.items()})

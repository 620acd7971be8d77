"""Texts for ready architectures (torchvision's networks modified for small images) on the
Architecture page. The reasons' English is the engine's own table (``lab.model.ready.REASONS``);
the Russian is here under the same placeholders."""

from lab.model.ready import REASONS

_REASONS_RU = {
    "ready.reason.resnet_stem": "Стем ResNet сделан для фотографий 224x224: свёртка 7x7 с шагом 2 и max-pool с шагом 2 "
                                "уменьшают {size} до {stem} ещё до первого блока, и layer4 увидел бы {end}. Свёртка "
                                "3x3 с шагом 1 сохраняет {size}, и layer4 видит {end_small}.",
    "ready.reason.resnet_pool": "Max-pool стема — второе уменьшение вдвое: убран (nn.Identity сохраняет имена слоёв, "
                                "и веса по-прежнему загружаются по имени).",
    "ready.reason.mobilenet_stem": "MobileNetV3 уменьшает вход вдвое 5 раз (224 -> 7): при {size} последние блоки "
                                   "увидели бы {end}. Шаг 1 в первой свёртке оставляет 4 уменьшения ({end_small}); "
                                   "ядро 3x3, а значит и форма его весов, остаётся.",
    "ready.reason.vgg_pool": "VGG уменьшает вход вдвое пятью max-pool (224 -> 7): при {size} пятый пулинг оставляет "
                             "{end}. Без него признаки заканчиваются на {end_small}.",
    "ready.reason.channels": "Входные каналы: у этих изображений {c}, у фотографий ImageNet 3.",
    "ready.reason.vgg_avgpool": "AdaptiveAvgPool2d((7, 7)) был для карт 7x7 от фотографий 224x224; на карте {map} он "
                                "лишь копирует значения (25 088 признаков). Усреднение до 1x1 даёт 512.",
    "ready.reason.vgg_classifier": "Linear шириной 4096 держат 119 млн весов (от 25 088 признаков к 1 000 классов); "
                                   "слоям шириной 512 хватает 512 признаков и {n} классов.",
    "ready.reason.head": "Голова-классификатор: здесь {n:plural:класс|класса|классов}, в ImageNet 1 000.",
    "ready.reason.mobilenet_bn": "MobileNetV3 из torchvision сдвигает статистики BatchNorm на 1 % за шаг (momentum "
                                 "0.01) — это для сотен тысяч шагов на ImageNet; запуск в несколько сотен шагов "
                                 "тогда проверяется на почти начальных статистиках: на валидации уровень угадывания "
                                 "(10 %), хотя на обучении уже 53 %. Значение PyTorch по умолчанию 0.1 успевает за "
                                 "данными.",
}

TEXTS = {key: {"en": en, "ru": _REASONS_RU[key]} for key, en in REASONS.items()}
TEXTS.update({
    "architecture.ready.preset_label": {"en": "{name} (torchvision, modified for small images)",
                                        "ru": "{name} (torchvision, изменённая для маленьких изображений)"},
    "architecture.ready.no_editor": {
        "en": "{arch} is a ready architecture: its layers are torchvision's, so the block editor does not apply. "
              "Choose the stem below; to edit blocks, load one of the lab's own presets.",
        "ru": "{arch} — готовая архитектура: её слои из torchvision, поэтому редактор блоков к ней не относится. "
              "Выберите стем ниже; чтобы править блоки, загрузите один из собственных пресетов лаборатории.",
    },
    "architecture.ready.why_stem": {
        "en": "**Why the stem changes.** ImageNet networks start by shrinking 224x224 photos fast (a stride-2 conv, "
              "a pooling): cheap there, and 7x7 is left at the end. A 28x28 or 32x32 image shrunk the same way is "
              "1x1 before the deep layers: nothing is left to see where. The small-image stem keeps the resolution "
              "at the start, as CIFAR ResNets do.",
        "ru": "**Зачем менять стем.** Сети для ImageNet сразу быстро уменьшают фото 224x224 (свёртка с шагом 2, "
              "пулинг): там это дёшево, и в конце остаётся 7x7. Изображение 28x28 или 32x32, уменьшенное так же, "
              "становится 1x1 ещё до глубоких слоёв: не остаётся, где что находится. Стем для маленьких изображений "
              "сохраняет разрешение в начале, как в ResNet для CIFAR.",
    },
    "architecture.ready.stem": {"en": "Stem", "ru": "Стем"},
    "format.setting.arch": {"en": "Ready architecture (torchvision)", "ru": "Готовая архитектура (torchvision)"},
    "sidebar.ready_summary": {"en": "{arch} (torchvision), stem {stem}", "ru": "{arch} (torchvision), стем {stem}"},
    "architecture.ready.stem_small": {"en": "for small images (keeps the size)",
                                      "ru": "для маленьких изображений (сохраняет размер)"},
    "architecture.ready.stem_original": {"en": "torchvision's (made for 224x224)",
                                         "ru": "как в torchvision (для 224x224)"},
    "architecture.ready.modifications_title": {"en": "What changes in torchvision's network, and why",
                                               "ru": "Что меняется в сети из torchvision и почему"},
    "architecture.ready.modified": {"en": "`{layer}`: `{before}` → `{after}`", "ru": "`{layer}`: `{before}` → `{after}`"},
    "architecture.ready.compare_title": {"en": "Each layer's output: torchvision's stem beside the small-image stem",
                                         "ru": "Выход каждого слоя: стем из torchvision рядом со стемом для "
                                               "маленьких изображений"},
    "architecture.ready.col_original": {"en": "torchvision's stem", "ru": "стем torchvision"},
    "architecture.ready.col_small": {"en": "small-image stem", "ru": "стем для маленьких"},
})

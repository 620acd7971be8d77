"""The engine's error messages (``LabError`` keys): English from the engine's own tables,
Russian here. A key added to an engine table without its Russian fails at import."""

from lab.augment.messages import MESSAGES as _AUGMENT
from lab.model.messages import MESSAGES as _MODEL

_RU = {
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
    "model.layer_problem": "{where}: {problem}",
    "model.where_block": "блок {block}, {layer}",
    "model.where_head": "голова, {layer}",
}

TEXTS = {key: {"en": english, "ru": _RU[key]} for key, english in {**_AUGMENT, **_MODEL}.items()}

"""Texts of the Architecture page: the conv-formula calculator and the architecture builder.

Problems and hints come from ``lab.model`` as codes with values; their English is the
engine's own template (one source), the Russian is here under the same placeholders.
"""

from lab.model.messages import BUILD_PROBLEMS, HINTS
from lab.model.shapes import PROBLEMS

_CALC_RU = {
    "not_positive": "{param}: должно быть не меньше {low}, а не {value}",
    "not_number": "{param}: введите одно целое число или пару H,W, например 3,5 (сейчас {value!r})",
    "too_small": "выход по {axis} был бы {out} (< 1): окно {effective} (ядро {kernel}, dilation {dilation}) "
                 "больше входа {size} с паддингом с обеих сторон (2 × {padding}); уменьшите ядро или dilation, добавьте паддинг "
                 "или меньше уменьшайте изображение до этого слоя",
    "padding_too_big": "паддинг {padding} по {axis} больше половины ядра (для ядра {kernel} не больше {limit}): "
                       "уменьшите padding до {limit}",
    "channels": "входных и выходных каналов должно быть не меньше 1",
}
_BUILD_RU = {
    "conv_too_small": "ядро {kernel} (dilation {dilation}) не помещается в изображение {size} на этом месте: "
                      "добавьте паддинг ({same} сохраняет размер), возьмите ядро меньше или уберите пулинг "
                      "в одном из предыдущих блоков",
    "pool_too_small": "пулингу {pool}x{pool} нужно хотя бы {pool:plural:пиксель|пикселя|пикселей}, а изображение здесь {size}: поставьте "
                      "в этом блоке pool = none или pool_size не больше {max_pool}, либо сохраните размер раньше "
                      "(паддинг, меньше пулингов)",
    "pool_no_room": "изображение здесь уже {size}: уменьшать нечего; поставьте в этом блоке pool = none или "
                    "сохраните размер раньше (паддинг, меньше пулингов)",
    "conv_padding": "паддинг {padding} больше половины ядра {kernel}: поставьте padding не больше {limit}",
    "residual_convs": "для residual в блоке нужно хотя бы 2 свёртки: поставьте convs = 2 или выключите residual",
    "ready_too_small": "{layer} получает изображение {size} и не может уменьшить его дальше: выберите стем для "
                       "маленьких изображений (stem: small) или возьмите изображения крупнее",
    "residual_shape": "свёртки меняют размер {before} -> {after}, поэтому вход блока нельзя прибавить: поставьте "
                      "padding {same} (сохраняет размер) или выключите residual",
}
_HINTS_RU = {
    "kernel_big": "блок {block}: ядро {value} велико; стопка свёрток 3x3 видит так же далеко при меньшем числе "
                  "параметров",
    "padding_big": "блок {block}: паддинг {value} больше 2; обычно padding = kernel // 2 (1 для 3x3)",
    "stride_big": "блок {block}: stride {value} пропускает пиксели; больше 2 выбрасывает информацию",
    "filters_jump": "блок {block}: фильтров было {before}, стало {value}; менять их больше чем примерно в 3 раза "
                    "за блок непривычно",
    "many_blocks": "блоков {value}: больше 7 свёрточных блоков — глубоко для маленьких изображений; обучение "
                   "медленнее и менее устойчиво",
    "hidden_huge": "в скрытом слое {layer} — {value:plural:нейрон|нейрона|нейронов} ({params} млн весов только в нём): «Размеры скрытых "
                   "Linear» — это выходы слоёв, а не in_features (in_features = {features} лаборатория считает "
                   "сама); обычно скрытые слои — 64..512 нейронов",
    "many_pools": "пулингов {value}, а вход в {size:plural:пиксель|пикселя|пикселей} можно уменьшить вдвое лишь {max:plural:раз|раза|раз}, пока он не "
                  "станет 1 пикселем",
}

TEXTS = {
    "architecture.tab_calc": {"en": "Layer calculator", "ru": "Калькулятор слоя"},
    "architecture.tab_builder": {"en": "Architecture builder", "ru": "Конструктор архитектуры"},
    # calculator
    "architecture.calc_intro": {
        "en": "Output size of one layer for input (C, H, W). Kernel, stride, padding and dilation take one "
              "number or an H,W pair such as 3,5.",
        "ru": "Размер выхода одного слоя для входа (C, H, W). Ядро, stride, padding и dilation — одно число "
              "или пара H,W, например 3,5.",
    },
    "architecture.layer_kind": {"en": "Layer", "ru": "Слой"},
    "architecture.input_c": {"en": "Channels C", "ru": "Каналы C"},
    "architecture.input_h": {"en": "Height H", "ru": "Высота H"},
    "architecture.input_w": {"en": "Width W", "ru": "Ширина W"},
    "architecture.kernel": {"en": "Kernel", "ru": "Ядро (kernel)"},
    "architecture.stride": {"en": "Stride", "ru": "Шаг (stride)"},
    "architecture.stride_help": {"en": "Empty: 1 for Conv2d, the kernel for pools (PyTorch's defaults).",
                                 "ru": "Пусто: 1 для Conv2d, размер ядра для пулингов (как в PyTorch)."},
    "architecture.padding": {"en": "Padding", "ru": "Паддинг (padding)"},
    "architecture.dilation": {"en": "Dilation", "ru": "Разрежение (dilation)"},
    "architecture.pair_help": {"en": "One number, or H,W such as 3,5 (3x5 and 3×5 are read the same).",
                               "ru": "Одно число или H,W, например 3,5 (3x5 и 3×5 читаются так же)."},
    "architecture.read_as": {"en": "{name}: read as {h} × {w}", "ru": "{name}: прочитано как {h} × {w}"},
    "architecture.out_channels": {"en": "Out channels", "ru": "Выходные каналы"},
    "architecture.ceil_mode": {"en": "ceil_mode (round up)", "ru": "ceil_mode (округлять вверх)"},
    "architecture.ceil_help": {
        "en": "Keep a last, partial window. PyTorch drops it when it would start in the right-hand padding: "
              "the last window must start inside the input or the left padding.",
        "ru": "Оставить последнее неполное окно. PyTorch отбрасывает его, если оно начиналось бы в правом "
              "паддинге: последнее окно должно начинаться внутри входа или левого паддинга.",
    },
    "architecture.output": {"en": "Output (C × H × W)", "ru": "Выход (C × H × W)"},
    "architecture.formula": {"en": "The formula, with your numbers", "ru": "Формула с вашими числами"},
    "architecture.wrong_copy": {
        "en": "Not {wrong}: that is the widespread wrong copy with “− 1” instead of “+ 1” and no floor. "
              "For H = {size} and a kernel of {kernel} the right answer is {right}.",
        "ru": "Не {wrong}: так считает распространённая неверная формула с «− 1» вместо «+ 1» и без округления "
              "вниз. Для H = {size} и ядра {kernel} правильный ответ — {right}.",
    },
    "architecture.dropped": {
        "en": "The floor drops {rows} bottom row(s) and {cols} right-hand column(s) of the input: no window "
              "covers them.",
        "ru": "Округление вниз отбрасывает {rows:plural:нижнюю строку|нижние строки|нижних строк} и {cols:plural:правый столбец|правых столбца|правых столбцов} входа: их не "
              "покрывает ни одно окно.",
    },
    "architecture.nothing_dropped": {"en": "Every input row and column is covered by some window.",
                                     "ru": "Каждая строка и столбец входа попадает хотя бы в одно окно."},
    # builder
    "architecture.input_from": {
        "en": "Input {shape} from {dataset}{crop}; {classes} classes, so the last Linear has {classes} outputs.",
        "ru": "Вход {shape} из {dataset}{crop}; классов {classes}, поэтому у последнего Linear {classes:plural:выход|выхода|выходов}.",
    },
    "architecture.after_augment": {"en": " after the augmentation's crop", "ru": " после кропа аугментации"},
    "architecture.augment_problem": {"en": "The augmentation cannot be applied ({message}); using the dataset's "
                                           "own size.",
                                     "ru": "Аугментацию нельзя применить ({message}); используется исходный "
                                           "размер датасета."},
    "architecture.preset": {"en": "Start from a preset", "ru": "Начать с пресета"},
    "architecture.recommended": {"en": "{name} (recommended for {dataset})", "ru": "{name} (рекомендуется для {dataset})"},
    "architecture.use_preset": {"en": "Load preset", "ru": "Загрузить пресет"},
    "architecture.preset_help": {
        "en": "baseline: the course's one-block start. lenet5: LeCun's 1998 net. mnist_cnn, fashion_cnn, "
              "cifar_cnn: recommended 3-4 block CNNs. cifar_fast: a small residual net for fast CIFAR-10 on a CPU.",
        "ru": "baseline — одноблочный старт курса. lenet5 — сеть ЛеКуна 1998 года. mnist_cnn, fashion_cnn, "
              "cifar_cnn — рекомендуемые CNN из 3-4 блоков. cifar_fast — маленькая residual-сеть для быстрого "
              "обучения на CIFAR-10 на CPU.",
    },
    "architecture.started_from": {"en": "Started from preset **{name}**; edit anything below.",
                                  "ru": "Начато с пресета **{name}**; меняйте что угодно ниже."},
    "architecture.block_title": {"en": "Block {n}: {filters} filters {kernel}, {pool}",
                                 "ru": "Блок {n}: фильтров {filters}, ядро {kernel}, {pool}"},
    "architecture.block_broken": {"en": "(needs a fix)", "ru": "(нужно исправить)"},
    "architecture.pool_label.none": {"en": "no pooling", "ru": "без пулинга"},
    "architecture.pool_label.max": {"en": "max pool {size}", "ru": "max pool {size}"},
    "architecture.pool_label.avg": {"en": "avg pool {size}", "ru": "avg pool {size}"},
    "architecture.filters": {"en": "Filters", "ru": "Фильтры"},
    "architecture.convs": {"en": "Convs in block", "ru": "Свёрток в блоке"},
    "architecture.batchnorm": {"en": "BatchNorm", "ru": "BatchNorm"},
    "architecture.activation": {"en": "Activation", "ru": "Активация"},
    "architecture.residual": {"en": "Residual (skip connection)", "ru": "Residual (обходная связь)"},
    "architecture.residual_help": {
        "en": "Adds the block's input to its convs' output (a 1×1 conv matches channels or stride). Needs 2+ "
              "convs and size-keeping padding.",
        "ru": "Прибавляет вход блока к выходу его свёрток (свёртка 1×1 подгоняет каналы или stride). Нужно 2+ "
              "свёртки и паддинг, сохраняющий размер.",
    },
    "architecture.pool": {"en": "Pooling", "ru": "Пулинг"},
    "architecture.pool_size": {"en": "Pool size", "ru": "Размер пулинга"},
    "architecture.dropout": {"en": "Dropout2d", "ru": "Dropout2d"},
    "architecture.remove_block": {"en": "Remove block {n}", "ru": "Удалить блок {n}"},
    "architecture.add_block": {"en": "Add block", "ru": "Добавить блок"},
    "architecture.head_title": {"en": "Head (classifier)", "ru": "Голова (классификатор)"},
    "architecture.head": {"en": "From feature maps to a vector", "ru": "От карт признаков к вектору"},
    "architecture.head.flatten": {"en": "Flatten (every pixel of every channel)",
                                  "ru": "Flatten (каждый пиксель каждого канала)"},
    "architecture.head.gap": {"en": "Global average pooling (one number per channel)",
                              "ru": "Глобальный average pooling (одно число на канал)"},
    "architecture.hidden": {"en": "Hidden Linear sizes", "ru": "Размеры скрытых Linear"},
    "architecture.hidden_help": {"en": "Comma-separated, e.g. 128, 64; empty: straight to the output layer.",
                                 "ru": "Через запятую, например 128, 64; пусто — сразу выходной слой."},
    "architecture.head_dropout": {"en": "Dropout before each Linear", "ru": "Dropout перед каждым Linear"},
    "architecture.head_activation": {"en": "Activation between Linears", "ru": "Активация между Linear"},
    "architecture.trace_title": {"en": "Layer by layer", "ru": "Слой за слоем"},
    "architecture.col.layer": {"en": "Layer", "ru": "Слой"},
    "architecture.col.torch": {"en": "PyTorch", "ru": "PyTorch"},
    "architecture.col.output": {"en": "Output", "ru": "Выход"},
    "architecture.col.params": {"en": "Parameters", "ru": "Параметры"},
    "architecture.col.macs": {"en": "Multiply-adds", "ru": "Умножений-сложений"},
    "architecture.col.rf": {"en": "Receptive field", "ru": "Рецептивное поле"},
    "architecture.col.problem": {"en": "Problem and fix", "ru": "Проблема и решение"},
    "architecture.metric_params": {"en": "Parameters", "ru": "Параметры"},
    "architecture.metric_size": {"en": "Size (float32)", "ru": "Размер (float32)"},
    "architecture.size_value": {"en": "{mb} MB", "ru": "{mb} МБ"},
    "architecture.macs_value": {"en": "{m} M", "ru": "{m} млн"},
    "architecture.metric_macs": {"en": "Multiply-adds / image", "ru": "Умнож.-слож. / изобр."},
    "architecture.metric_features": {"en": "First Linear in_features", "ru": "in_features первого Linear"},
    "architecture.macs_note": {
        "en": "Multiply-adds count convolutions and Linear layers per image; the receptive field is how many "
              "input pixels one output value sees.",
        "ru": "Умножения-сложения считаются для свёрток и Linear на одно изображение; рецептивное поле — "
              "сколько пикселей входа видит одно выходное значение.",
    },
    "architecture.broken": {"en": "This architecture cannot run: {message}",
                            "ru": "Эта архитектура не запустится: {message}"},
    "architecture.where": {"en": "block {block}, {layer}", "ru": "блок {block}, {layer}"},
    "architecture.code_title": {"en": "The model as PyTorch code", "ru": "Модель как код PyTorch"},
    "architecture.code_broken": {"en": "Fix the marked layer to see the code.",
                                 "ru": "Исправьте отмеченный слой, чтобы увидеть код."},
    "architecture.baseline_first": {"en": "{name} (the course's first step)", "ru": "{name} (первый шаг курса)"},
    "architecture.baseline_first_note": {
        "en": "No baseline run in your journal yet: the course starts with its one-block baseline, so the preset "
              "list starts there too. Train it first; every bigger model is then compared with it.",
        "ru": "В журнале ещё нет бейзлайна: курс начинается с одноблочного бейзлайна, поэтому список пресетов тоже "
              "начинается с него. Обучите его первым: с ним потом сравнивается любая модель побольше.",
    },
    "architecture.bad_value": {"en": "Kept the previous value: {message}",
                               "ru": "Оставлено прежнее значение: {message}"},
}

for _code, _en in PROBLEMS.items():
    TEXTS[f"architecture.calc_problem.{_code}"] = {"en": _en, "ru": _CALC_RU[_code]}
for _code, _en in BUILD_PROBLEMS.items():
    TEXTS[f"architecture.problem.{_code}"] = {"en": _en, "ru": _BUILD_RU[_code]}
for _code, _en in HINTS.items():
    TEXTS[f"architecture.hint.{_code}"] = {"en": _en, "ru": _HINTS_RU[_code]}

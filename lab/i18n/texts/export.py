"""Texts of the exports: the notebook's markdown (lab/export/notebook.py) and the Journal
page's notebook and ONNX buttons (pages/journal.py)."""

TEXTS = {
    "export.nb.title": {
        "en": "# CNN Lab run {run}{name}\n\nThis notebook retrains the lab's run with torch and torchvision only, in "
              "the course's five stages: task, data, architecture, training, evaluation. Run all cells top to "
              "bottom; the first code cell holds the parameters (`data_dir`, `epochs`, `limit`).",
        "ru": "# Запуск CNN Lab {run}{name}\n\nЭтот блокнот заново обучает запуск лаборатории только средствами "
              "torch и torchvision, по пяти этапам курса: задача, данные, архитектура, обучение, оценка. "
              "Выполните все ячейки сверху вниз; первая ячейка кода содержит параметры (`data_dir`, `epochs`, "
              "`limit`).",
    },
    "export.nb.h_task": {"en": "## 1. Task", "ru": "## 1. Задача"},
    "export.nb.task": {
        "en": "Classify {dataset} images into {classes} classes: {names}.",
        "ru": "Классифицировать изображения {dataset} по {classes} классам: {names}.",
    },
    "export.nb.result": {
        "en": "In the lab this run reached a best validation accuracy of {accuracy} in {epochs:plural:epoch|epochs}.",
        "ru": "В лаборатории этот запуск достиг лучшей валидационной точности {accuracy} за "
              "{epochs:plural:эпоху|эпохи|эпох}.",
    },
    "export.nb.parent": {
        "en": "It started from run {parent}; what changed (one thing at a time, to see its effect): {changes}.",
        "ru": "Он начат от запуска {parent}; что изменилось (по одному за раз, чтобы видеть эффект): {changes}.",
    },
    "export.nb.no_parent": {
        "en": "It is the first run of its line: nothing to compare it with yet.",
        "ru": "Это первый запуск в своей цепочке: сравнивать пока не с чем.",
    },
    "export.nb.no_change": {"en": "nothing", "ru": "ничего"},
    "export.nb.parameters": {
        "en": "The parameters: where the data lives, how many epochs, how many training images (0 = all). "
              "Keep `look_at_test = False` until the model is chosen.",
        "ru": "Параметры: где лежат данные, сколько эпох, сколько обучающих изображений (0 — все). "
              "Оставьте `look_at_test = False`, пока модель не выбрана.",
    },
    "export.nb.settings": {
        "en": "The run's settings, exactly as in its `config.json`.",
        "ru": "Настройки запуска, точно как в его `config.json`.",
    },
    "export.nb.h_data": {"en": "## 2. Data", "ru": "## 2. Данные"},
    "export.nb.data": {
        "en": "{val} of the training images are held out for validation (stratified, seed {seed}): models are "
              "compared on them, never on the test set. {limit}\n\nThe audit's channel mean {mean} and std {std} "
              "of the training pixels (0..1) normalise every image, so each channel enters the network centred "
              "near 0 with spread near 1.\n\nAugmentation (training images only, new random draws every epoch): "
              "{augment}.",
        "ru": "{val} обучающих изображений отложены для валидации (стратифицированно, seed {seed}): модели "
              "сравнивают на них, никогда на тестовой выборке. {limit}\n\nСреднее {mean} и стандартное "
              "отклонение {std} каналов обучающих пикселей (0..1) из аудита нормализуют каждое изображение: "
              "каждый канал входит в сеть с центром около 0 и разбросом около 1.\n\nАугментация (только "
              "обучающие изображения, новые случайные значения каждую эпоху): {augment}.",
    },
    "export.nb.limit": {
        "en": "The lab trained on {n} of them.",
        "ru": "Лаборатория обучалась на {n} из них.",
    },
    "export.nb.no_augment": {"en": "none", "ru": "нет"},
    "export.nb.computed": {"en": "computed at the start", "ru": "вычисляются в начале"},
    "export.nb.h_architecture": {"en": "## 3. Architecture", "ru": "## 3. Архитектура"},
    "export.nb.architecture": {
        "en": "What each layer outputs for one {shape} image: {params} parameters, {macs} multiply-adds.",
        "ru": "Что выдаёт каждый слой для одного изображения {shape}: {params} параметров, {macs} умножений "
              "со сложением.",
    },
    "export.nb.table_head": {"en": "| layer | output | parameters |", "ru": "| слой | выход | параметры |"},
    "export.nb.h_training": {"en": "## 4. Training", "ru": "## 4. Обучение"},
    "export.nb.training": {
        "en": "Optimizer {optimizer}, learning rate {lr}, batch {batch}, {epochs:plural:epoch|epochs} in the lab, schedule "
              "{schedule}, weight decay {decay}, label smoothing {smoothing}, gradient clipping {clip}, early "
              "stopping {stopping}, seed {seed}. After each epoch the validation loss decides which weights "
              "are best; the curves below show whether it still learns or starts to overfit.",
        "ru": "Оптимизатор {optimizer}, скорость обучения {lr}, батч {batch}, {epochs:plural:эпоха|эпохи|эпох} в лаборатории, "
              "расписание {schedule}, weight decay {decay}, сглаживание меток {smoothing}, ограничение "
              "градиента {clip}, ранняя остановка {stopping}, seed {seed}. После каждой эпохи валидационная "
              "потеря решает, какие веса лучшие; кривые ниже показывают, учится ли сеть ещё или начинает "
              "переобучаться.",
    },
    "export.nb.h_evaluation": {"en": "## 5. Evaluation", "ru": "## 5. Оценка"},
    "export.nb.evaluation": {
        "en": "The validation accuracy and the confusion matrix (rows: true class, columns: predicted): which "
              "classes the model mixes up.",
        "ru": "Валидационная точность и матрица ошибок (строки — истинный класс, столбцы — предсказанный): "
              "какие классы модель путает.",
    },
    "export.nb.end": {
        "en": "### The end: the test set\n\nLooked at once, last, after every choice was made on validation: "
              "a test score used to choose between models stops measuring new images.",
        "ru": "### Конец: тестовая выборка\n\nСмотрим один раз, в самом конце, когда все решения приняты по "
              "валидации: тестовая оценка, по которой выбирают модель, перестаёт измерять новые изображения.",
    },
    "journal.download_notebook": {"en": "Notebook (.ipynb)", "ru": "Блокнот (.ipynb)"},
    "journal.notebook_help": {
        "en": "{file}: the run in the course's five stages, in this language; it runs top to bottom in Jupyter "
              "with torch and torchvision only.",
        "ru": "{file}: запуск по пяти этапам курса, на этом языке; выполняется в Jupyter сверху вниз, только "
              "torch и torchvision.",
    },
    "journal.download_onnx": {"en": "ONNX model", "ru": "Модель ONNX"},
    "journal.onnx_prepare": {"en": "Prepare ONNX", "ru": "Подготовить ONNX"},
    "journal.onnx_help": {
        "en": "For an onboard computer: [0, 1] pixels in, logits out, the normalisation inside; checked against "
              "PyTorch in onnxruntime before it is offered.",
        "ru": "Для бортового компьютера: на входе пиксели [0, 1], на выходе логиты, нормализация внутри; "
              "перед выдачей сверяется с PyTorch в onnxruntime.",
    },
    "journal.onnx_checked": {
        "en": "onnxruntime and PyTorch agree on {n} real images: largest logit difference {diff}.",
        "ru": "onnxruntime и PyTorch согласны на {n} настоящих изображениях: наибольшая разница логитов {diff}.",
    },
    "journal.onnx_figures": {
        "en": "{size} KB, {params} parameters, {macs} M multiply-adds per image. On this machine ({cpu}, one "
              "thread): onnxruntime {ort_ms} ms per image, {ort_rate} images/s; PyTorch {pt_ms} ms, {pt_rate} "
              "images/s.",
        "ru": "{size} КБ, {params} параметров, {macs} млн умножений со сложением на изображение. На этой машине "
              "({cpu}, один поток): onnxruntime {ort_ms} мс на изображение, {ort_rate} изобр./с; PyTorch "
              "{pt_ms} мс, {pt_rate} изобр./с.",
    },
    "journal.onnx_meaning": {
        "en": "What it means for a drone: latency per image bounds the frames per second the classifier keeps "
              "up with on one core; a board such as a Raspberry Pi is several times slower than this machine, "
              "so measure there before relying on the figure.",
        "ru": "Что это значит для дрона: задержка на изображение ограничивает, сколько кадров в секунду "
              "классификатор успевает обработать на одном ядре; бортовой компьютер вроде Raspberry Pi в "
              "несколько раз медленнее этой машины, поэтому перед расчётом измерьте там.",
    },
    "journal.export_missing": {
        "en": "{what} needs {packages}, not installed on this server (pip install {packages}).",
        "ru": "Для «{what}» нужен {packages}, а на этом сервере он не установлен (pip install {packages}).",
    },
    "journal.onnx_int8": {"en": "int8 too (quantised)", "ru": "и int8 (квантованная)"},
    "journal.onnx_working": {
        "en": "Exporting, checking in onnxruntime and measuring on this machine…",
        "ru": "Экспорт, проверка в onnxruntime и замеры на этой машине…",
    },
    "journal.download_onnx_int8": {"en": "ONNX model, int8", "ru": "Модель ONNX, int8"},
    "journal.onnx_int8_figures": {
        "en": "int8: {size} KB, {ms} ms per image, {rate} images/s; validation accuracy {before} → {after} "
              "({change} points on {n} images).",
        "ru": "int8: {size} КБ, {ms} мс на изображение, {rate} изобр./с; валидационная точность {before} → "
              "{after} ({change} п. п. на {n} изображениях).",
    },
}

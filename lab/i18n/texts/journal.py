"""Texts of the Journal page (pages/journal.py)."""

TEXTS = {
    "journal.title": {"en": "Experiment journal", "ru": "Журнал экспериментов"},
    "journal.intro": {
        "en": "Every run of this workspace. Change one thing at a time: each run shows what changed since "
              "the run it started from, and what that did to the validation scores.",
        "ru": "Все запуски этого рабочего пространства. Меняйте что-то одно за раз: у каждого запуска видно, "
              "что изменилось по сравнению с запуском, от которого он начат, и как это повлияло на "
              "валидационные метрики.",
    },
    "journal.empty": {
        "en": "No runs yet. Train a model on the Training page: every run is recorded here with its settings, "
              "curves and weights.",
        "ru": "Запусков пока нет. Обучите модель на странице «Обучение»: каждый запуск попадает сюда вместе "
              "с настройками, кривыми и весами.",
    },
    "journal.table_hint": {
        "en": "Select rows (the boxes on the left) to compare runs or to act on one.",
        "ru": "Отметьте строки (флажки слева), чтобы сравнить запуски или поработать с одним из них.",
    },
    "journal.csv": {"en": "Download the table (CSV)", "ru": "Скачать таблицу (CSV)"},
    # table columns
    "journal.compare_placeholder": {"en": "Choose runs", "ru": "Выберите запуски"},
    "journal.col.created": {"en": "When", "ru": "Когда"},
    "journal.col.name": {"en": "Name", "ru": "Название"},
    "journal.col.status": {"en": "Status", "ru": "Статус"},
    "journal.col.dataset": {"en": "Dataset", "ru": "Датасет"},
    "journal.col.blocks": {"en": "Blocks", "ru": "Блоков"},
    "journal.col.params": {"en": "Parameters", "ru": "Параметров"},
    "journal.col.optimizer": {"en": "Optimizer", "ru": "Оптимизатор"},
    "journal.col.lr": {"en": "LR", "ru": "LR"},
    "journal.col.batch_size": {"en": "Batch", "ru": "Батч"},
    "journal.col.augment": {"en": "Augmentation", "ru": "Аугментация"},
    "journal.col.best_val_accuracy": {"en": "Best val acc, %", "ru": "Лучшая вал. точность, %"},
    "journal.col.best_val_loss": {"en": "Best val loss", "ru": "Лучший вал. loss"},
    "journal.col.test_accuracy": {"en": "Test acc, %", "ru": "Точность на тесте, %"},
    "journal.col.epochs": {"en": "Epochs", "ru": "Эпох"},
    "journal.col.seconds": {"en": "Seconds", "ru": "Секунд"},
    "journal.col.changes": {"en": "Changes", "ru": "Изменений"},
    "journal.col.changed": {"en": "What changed", "ru": "Что изменилось"},
    "journal.col.d_val_accuracy": {"en": "Δ val acc, pts", "ru": "Δ вал. точности, п.п."},
    "journal.col.note": {"en": "Note", "ru": "Заметка"},
    "journal.col.id": {"en": "Run", "ru": "Запуск"},
    # statuses
    "journal.status.running": {"en": "running", "ru": "идёт"},
    "journal.status.finished": {"en": "finished", "ru": "завершён"},
    "journal.status.stopped": {"en": "stopped", "ru": "остановлен"},
    "journal.status.diverged": {"en": "diverged", "ru": "разошёлся"},
    "journal.status.failed": {"en": "failed", "ru": "ошибка"},
    "journal.status.queued": {"en": "queued", "ru": "в очереди"},
    "journal.numerics_differ": {"en": "This run was computed differently from the one it is compared with "
                                       "({fields}): its numbers may differ because of that, not only because of "
                                       "the config.",
                                "ru": "Этот запуск посчитан иначе, чем тот, с которым он сравнивается ({fields}): "
                                      "его числа могут отличаться из-за этого, а не только из-за конфигурации."},
    "journal.status.damaged": {"en": "damaged", "ru": "повреждён"},
    "journal.col.damage": {"en": "What is damaged", "ru": "Что повреждено"},
    "journal.damaged": {"en": "This run's folder is damaged; the lab shows what it can still read and changes "
                                "nothing in it: {problems}",
                        "ru": "Папка этого запуска повреждена; лаборатория показывает то, что ещё может прочитать, "
                              "и ничего в ней не меняет: {problems}"},
    "journal.damaged_some": {"en": "{n:plural:run is|runs are} damaged (marked in the table); the others are "
                                   "unaffected.",
                             "ru": "{n:plural:запуск повреждён|запуска повреждены|запусков повреждены} (отмечены в "
                                   "таблице); остальные не затронуты."},
    "journal.live": {"en": "A run is training: this table follows it by itself.",
                     "ru": "Идёт обучение: таблица обновляется сама."},
    # one run
    "journal.run_pick": {"en": "Run", "ru": "Запуск"},
    "journal.run_header": {"en": "Run {run}", "ru": "Запуск {run}"},
    "journal.base_parent": {"en": "Compared with the run it was started from: {base}.",
                            "ru": "Сравнение с запуском, от которого он начат: {base}."},
    "journal.base_previous": {"en": "Compared with the run before it: {base}.",
                              "ru": "Сравнение с предыдущим запуском: {base}."},
    "journal.base_none": {"en": "The first run of the journal: nothing to compare it with.",
                          "ru": "Первый запуск в журнале: сравнивать не с чем."},
    "journal.same_config": {"en": "Same settings as {base}: only chance differs (a rerun).",
                            "ru": "Те же настройки, что у {base}: отличается только случайность (повтор)."},
    "journal.warning_many": {
        "en": "{n} settings changed at once. The effect below cannot be pinned on any one of them: "
              "change one thing at a time.",
        "ru": "Изменено сразу {n:plural:настройка|настройки|настроек}. Эффект ниже нельзя приписать какой-то одной из них: "
              "меняйте что-то одно за раз.",
    },
    "journal.field": {"en": "Setting", "ru": "Настройка"},
    "journal.before": {"en": "Before", "ru": "Было"},
    "journal.after": {"en": "After", "ru": "Стало"},
    "journal.effect_acc": {"en": "Best val accuracy", "ru": "Лучшая вал. точность"},
    "journal.effect_loss": {"en": "Best val loss", "ru": "Лучший вал. loss"},
    "journal.effect_test": {"en": "Test accuracy", "ru": "Точность на тесте"},
    "journal.pts": {"en": "{d} pts", "ru": "{d} п.п."},
    # actions
    "journal.note": {"en": "Note: what I changed and why", "ru": "Заметка: что я изменил и зачем"},
    "journal.note_save": {"en": "Save note", "ru": "Сохранить заметку"},
    "journal.note_saved": {"en": "Note saved.", "ru": "Заметка сохранена."},
    "journal.use_config": {"en": "Start a new experiment from this run", "ru": "Новый эксперимент из этого запуска"},
    "journal.used_config": {
        "en": "The current experiment has exactly run {run}'s settings, on every page. Change one thing and train.",
        "ru": "Текущий эксперимент на всех страницах в точности повторяет настройки запуска {run}. Измените "
              "что-то одно и обучайте.",
    },
    "journal.download_ckpt": {"en": "Download the checkpoint (best.pt)", "ru": "Скачать чекпойнт (best.pt)"},
    "journal.no_ckpt": {"en": "This run has no checkpoint (it ended before its first epoch).",
                        "ru": "У этого запуска нет чекпойнта (он закончился до первой эпохи)."},
    "journal.download_script": {"en": "Export as a Python script", "ru": "Экспортировать как скрипт Python"},
    "journal.script_help": {
        "en": "One file using only torch and torchvision: the model, the transforms, the training loop. "
              "Run it with: python {file} --data-dir DATA",
        "ru": "Один файл, только torch и torchvision: модель, преобразования, цикл обучения. "
              "Запуск: python {file} --data-dir DATA",
    },
    "journal.script_same": {
        "en": "Same seed, same numbers: on this machine it reaches this run's weights to the last digit.",
        "ru": "Тот же seed — те же числа: на этой машине скрипт получает веса этого запуска до последнего знака.",
    },
    "journal.script_folder": {
        "en": "For an image folder, as long as it holds only upright JPEG and PNG files in RGB or grey: the lab "
              "decodes other files (transparency, palettes, BMP, an EXIF rotation) with Pillow.",
        "ru": "Для папки с изображениями — пока в ней только JPEG и PNG в RGB или оттенках серого без поворота EXIF: "
              "остальные файлы (прозрачность, палитры, BMP, поворот EXIF) лаборатория декодирует через Pillow.",
    },
    "journal.script_differs": {
        "en": "Its numbers differ from this run's by run-to-run noise: the lab draws the random augmentation per "
              "batch, the script per image with torchvision.",
        "ru": "Его числа отличаются от чисел запуска на величину случайного разброса: лаборатория выбирает "
              "случайные аугментации на весь батч, скрипт — для каждого изображения через torchvision.",
    },
    "journal.delete": {"en": "Delete this run", "ru": "Удалить этот запуск"},
    "journal.delete_confirm": {"en": "Yes, delete run {run} with its weights: this cannot be undone",
                               "ru": "Да, удалить запуск {run} вместе с весами: отменить нельзя"},
    "journal.delete_really": {"en": "Delete for good", "ru": "Удалить окончательно"},
    "journal.delete_running": {"en": "This run is still training: stop it on the Training page before deleting it.",
                               "ru": "Этот запуск ещё обучается: остановите его на странице «Обучение», "
                                     "прежде чем удалять."},
    "journal.deleted": {"en": "Run {run} deleted.", "ru": "Запуск {run} удалён."},
    # comparing
    "journal.compare": {"en": "Compare runs", "ru": "Сравнение запусков"},
    "journal.compare_pick": {"en": "Runs to compare (two or more)", "ru": "Запуски для сравнения (два или больше)"},
    "journal.compare_hint": {"en": "Pick two or more runs to overlay their curves and see how their settings differ.",
                             "ru": "Выберите два запуска или больше, чтобы наложить их кривые и увидеть, "
                                   "чем отличаются настройки."},
    "journal.no_curves": {"en": "These runs have no finished epochs yet.",
                          "ru": "У этих запусков пока нет завершённых эпох."},
    "journal.config_diff": {"en": "Settings that differ", "ru": "Различающиеся настройки"},
    "journal.config_same": {"en": "These runs have the same settings.", "ru": "У этих запусков одинаковые настройки."},
    "journal.curves_caption": {"en": "Dashed: training; solid: validation. One colour per run.",
                               "ru": "Пунктир: обучение; сплошная: валидация. Один цвет на запуск."},
    # charts
    "journal.chart.loss": {"en": "Loss", "ru": "Loss (функция потерь)"},
    "journal.chart.accuracy": {"en": "Accuracy", "ru": "Точность"},
    "journal.chart.epoch": {"en": "Epoch", "ru": "Эпоха"},
    "journal.chart.run": {"en": "Run", "ru": "Запуск"},
    "journal.chart.split": {"en": "Split", "ru": "Выборка"},
    "journal.chart.train": {"en": "training", "ru": "обучение"},
    "journal.chart.val": {"en": "validation", "ru": "валидация"},
}

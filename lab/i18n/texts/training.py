"""Texts of the Training page ("training.*") and the engine's notes and advice ("train.*",
the keys of ``lab.train.advice``; their numbers come from each event's ``values``)."""

from lab.train.advice import ENGLISH

TEXTS = {
    # --- the page ------------------------------------------------------------------
    "training.intro": {
        "en": "Train the current experiment: the dataset, architecture and augmentation chosen on the other "
              "pages, with the hyperparameters below. Change one thing at a time and compare runs in the journal.",
        "ru": "Обучите текущий эксперимент: датасет, архитектуру и аугментацию, выбранные на других страницах, "
              "с гиперпараметрами ниже. Меняйте что-то одно за раз и сравнивайте запуски в журнале.",
    },
    "training.hyper": {"en": "Hyperparameters", "ru": "Гиперпараметры"},
    "training.optimizer": {"en": "Optimizer", "ru": "Оптимизатор"},
    "training.lr": {"en": "Learning rate", "ru": "Скорость обучения (learning rate)"},
    "training.epochs": {"en": "Epochs", "ru": "Эпохи"},
    "training.batch_size": {"en": "Batch size", "ru": "Размер батча"},
    "training.schedule": {"en": "Learning-rate schedule", "ru": "Расписание скорости обучения"},
    "training.schedule.none": {"en": "constant", "ru": "постоянная"},
    "training.schedule.step": {"en": "step (×γ every few epochs)", "ru": "ступенчатое (×γ каждые несколько эпох)"},
    "training.schedule.cosine": {"en": "cosine", "ru": "косинусное"},
    "training.schedule.onecycle": {"en": "one-cycle", "ru": "one-cycle"},
    "training.step_epochs": {"en": "Step every (epochs)", "ru": "Шаг каждые (эпох)"},
    "training.step_gamma": {"en": "Step factor γ", "ru": "Множитель шага γ"},
    "training.weight_decay": {"en": "Weight decay", "ru": "Затухание весов (weight decay)"},
    "training.momentum": {"en": "Momentum (SGD)", "ru": "Момент (SGD)"},
    "training.label_smoothing": {"en": "Label smoothing", "ru": "Сглаживание меток"},
    "training.grad_clip": {"en": "Gradient clipping (max norm, 0 = off)",
                           "ru": "Ограничение градиента (макс. норма, 0 = выкл.)"},
    "training.early_stopping": {"en": "Early stopping patience (epochs, 0 = off)",
                                "ru": "Терпение ранней остановки (эпох, 0 = выкл.)"},
    "training.seed": {"en": "Seed", "ru": "Зерно случайности (seed)"},
    "training.device": {"en": "Device", "ru": "Устройство"},
    "training.mixed_precision": {"en": "Mixed precision (bf16)", "ru": "Смеш. точность (bf16)"},
    "training.train_baseline": {"en": "Train the baseline without augmentation",
                                "ru": "Обучить бейзлайн без аугментации"},
    "training.train_unaugmented": {"en": "Train once without augmentation", "ru": "Обучить один раз без аугментации"},
    "training.train_baseline_help": {
        "en": "Trains these settings now, leaving out the {n:plural:augmentation step|augmentation steps}. Your "
              "augmentation stays set: the next Train adds it, and the journal shows what it changed.",
        "ru": "Обучает эти настройки сейчас, без {n:plural:шага|шагов|шагов} аугментации. Ваша аугментация "
              "остаётся: следующий запуск добавит её, и журнал покажет, что она изменила.",
    },
    "training.mixed_precision_off_cpu": {
        "en": "Off on this machine: its CPU has no native bf16 (AVX512-BF16 or AMX), where bf16 would be emulated "
              "and slower, so runs train in float32.",
        "ru": "На этой машине выключено: у процессора нет нативного bf16 (AVX512-BF16 или AMX), bf16 эмулировался бы "
              "и работал медленнее, поэтому обучение идёт во float32.",
    },
    "training.mixed_precision_off_device": {
        "en": "Off on this device: bf16 is not native here, so runs train in float32.",
        "ru": "На этом устройстве выключено: bf16 здесь не нативный, поэтому обучение идёт во float32.",
    },
    "training.mixed_precision_help": {
        "en": "Convolutions and linear layers compute in bfloat16 (float16 on older GPUs): on a CUDA GPU, or on a "
              "CPU with native bf16 (AVX512-BF16, AMX). On by default: there it trains 1.2-1.8x faster at the same "
              "accuracy. Elsewhere bf16 would be emulated and slower, so the box is greyed out and the run stays "
              "in float32.",
        "ru": "Свёртки и линейные слои считаются в bfloat16 (в float16 на старых GPU): на GPU с CUDA или на "
              "процессоре с нативным bf16 (AVX512-BF16, AMX). Включено по умолчанию: там обучение в 1,2-1,8 раза "
              "быстрее при той же точности. В остальных случаях bf16 эмулируется и медленнее, поэтому флажок "
              "недоступен и запуск идёт во float32.",
    },
    "training.fast_recipe": {"en": "Fast recipe ({target} in the fewest seconds)",
                             "ru": "Быстрый рецепт ({target} за минимум секунд)"},
    "training.fast_recipe_help": {
        "en": "Replaces the experiment with the recipe tuned for this dataset on a small CPU: model {model}, "
              "augmentation {augment}, validation share {val}, {settings}. Your current settings stay in the "
              "journal's runs; the next run's changes are listed above.",
        "ru": "Заменяет эксперимент рецептом, настроенным для этого датасета на слабом процессоре: модель {model}, "
              "аугментация {augment}, доля валидации {val}, {settings}. Ваши прежние настройки остаются в запусках "
              "журнала; изменения следующего запуска показаны выше.",
    },
    "training.train_limit": {"en": "Training images (0 = all)", "ru": "Обучающих изображений (0 = все)"},
    "training.train_limit_help": {
        "en": "Use a stratified subset of the training split for a quick run. The validation split is never cut.",
        "ru": "Взять стратифицированную часть обучающей выборки для быстрого запуска. Валидация не урезается.",
    },
    "training.report_every": {"en": "Validation report every (epochs)", "ru": "Отчёт по валидации каждые (эпох)"},
    "training.run_name": {"en": "Run name (optional)", "ru": "Название запуска (необязательно)"},
    "training.train": {"en": "Train", "ru": "Обучить"},
    "training.stop": {"en": "Stop", "ru": "Остановить"},
    "training.overfit": {"en": "Overfit one batch", "ru": "Переобучить один батч"},
    "training.overfit_help": {
        "en": "The course's first sanity check: a model and a training loop that work can memorise one batch.",
        "ru": "Первая проверка курса: рабочая модель и цикл обучения способны запомнить один батч.",
    },
    "training.setup": {"en": "This run trains", "ru": "Этот запуск обучает"},
    "training.setup_line": {
        "en": "**{dataset}** ({train:count} training / {val:count} validation images, {classes} classes) · model "
              "**{model}** · augmentation: {augment}",
        "ru": "**{dataset}** ({train:count} обучающих / {val:plural:валидационное изображение|валидационных "
              "изображения|валидационных изображений}, классов: {classes}) · "
              "модель **{model}** · аугментация: {augment}",
    },
    "training.changes": {"en": "What changed since the last run ({run})", "ru": "Что изменилось с прошлого запуска ({run})"},
    "training.changes_none": {"en": "Nothing changed since run {run}: the same seed will repeat its result.",
                              "ru": "С запуска {run} ничего не изменилось: с тем же seed результат повторится."},
    "training.changes_first": {"en": "First run of this session: nothing to compare with yet.",
                               "ru": "Первый запуск в этой сессии: сравнивать пока не с чем."},
    "training.changes_many": {
        "en": "{n} settings changed: the course advises changing one thing at a time, or the comparison cannot "
              "say which change did what.",
        "ru": "Изменено настроек: {n}. Курс советует менять что-то одно за раз, иначе сравнение не покажет, "
              "какое изменение к чему привело.",
    },
    "training.changes_run": {"en": "What run {run} changed against its parent ({parent})",
                             "ru": "Что запуск {run} изменил по сравнению с родительским ({parent})"},
    "training.changes_many_run": {
        "en": "This run changed {n} settings at once: whatever it gains or loses cannot be pinned on one of them. "
              "Next time, change one thing at a time.",
        "ru": "Этот запуск изменил сразу {n:plural:настройку|настройки|настроек}: выигрыш или проигрыш не удастся приписать какой-то одной. "
              "В следующий раз меняйте что-то одно за раз.",
    },
    "training.changes_one": {"en": "One change: the comparison with the parent run will say what it does.",
                             "ru": "Одно изменение: сравнение с родительским запуском покажет, к чему оно ведёт."},
    "training.changes_restore_help": {
        "en": "Keep the change you want to test and put the others back to the parent run's values:",
        "ru": "Оставьте изменение, которое хотите проверить, а остальные верните к значениям родительского запуска:",
    },
    "training.changes_restore": {"en": "Undo {field} (back to {value})", "ru": "Отменить {field} (вернуть {value})"},
    "training.breaks_off": {"en": "Break it on purpose", "ru": "Сломать нарочно"},
    "training.breaks": {"en": "Break it on purpose: {n} switch(es) on", "ru": "Сломать нарочно: включено {n}"},
    "training.breaks_intro": {
        "en": "Each switch plants a classic bug so that you see which of the course's checks catches it. They are "
              "settings like any other: the journal keeps them. Turn them off again for real experiments.",
        "ru": "Каждый переключатель вносит классическую ошибку, чтобы вы увидели, какая из проверок курса её "
              "поймает. Это такие же настройки, как остальные: журнал их сохраняет. Для настоящих экспериментов "
              "выключите их.",
    },
    "training.break.softmax_output": {"en": "Softmax after the last layer", "ru": "Softmax после последнего слоя"},
    "training.break.softmax_output_help": {
        "en": "The model outputs probabilities instead of logits; CrossEntropyLoss applies log-softmax again.",
        "ru": "Модель выдаёт вероятности вместо логитов; CrossEntropyLoss ещё раз применяет log-softmax.",
    },
    "training.break.no_normalization": {"en": "No normalisation", "ru": "Без нормализации"},
    "training.break.no_normalization_help": {
        "en": "Raw pixel values 0..255 reach the model instead of (x / 255 - mean) / std.",
        "ru": "В модель идут «сырые» значения пикселей 0..255 вместо (x / 255 - mean) / std.",
    },
    "training.break.shuffle_labels": {"en": "Shuffled labels", "ru": "Перемешанные метки"},
    "training.break.shuffle_labels_help": {
        "en": "The training labels are shuffled among the images; validation keeps the true labels.",
        "ru": "Метки обучающих изображений перемешаны; у валидации метки настоящие.",
    },
    "training.break.lr_x100": {"en": "Learning rate ×100", "ru": "Скорость обучения ×100"},
    "training.break.lr_x100_help": {
        "en": "The optimizer gets 100 times the learning rate set above.",
        "ru": "Оптимизатор получает скорость обучения в 100 раз больше указанной выше.",
    },
    "training.change_field": {"en": "Setting", "ru": "Настройка"},
    "training.change_before": {"en": "Before", "ru": "Было"},
    "training.change_after": {"en": "Now", "ru": "Стало"},
    # caps and queue
    "training.capped_epochs": {"en": "This server allows at most {cap} epochs per run: training {cap} instead of {asked}.",
                               "ru": "На этом сервере не больше {cap:plural:эпохи|эпох|эпох} за запуск: обучаю {cap} вместо {asked}."},
    "training.capped_train_size": {
        "en": "This server trains on at most {cap} images per run: using a stratified {cap} instead of {asked}.",
        "ru": "На этом сервере не больше {cap:plural:обучающего изображения|обучающих изображений|обучающих изображений} за запуск: беру стратифицированные {cap} "
              "вместо {asked}.",
    },
    "training.quota_runs": {
        "en": "Your workspace already holds {n} runs, the most this server keeps ({cap}). Delete old runs on the "
            "Journal page, then train again.",
        "ru": "В вашем рабочем пространстве уже {n:plural:запуск|запуска|запусков} — это предел сервера ({cap}). Удалите старые запуски "
              "на странице «Журнал» и запустите обучение снова.",
    },
    "training.already_running": {"en": "A run of yours is still going: stop it or wait for it to end.",
                                 "ru": "Ваш запуск ещё идёт: остановите его или дождитесь окончания."},
    "training.server_load": {"en": "Training workers: {running} of {cap} busy, {queued} run(s) waiting.",
                             "ru": "Обработчики обучения: заняты {running} из {cap}, в очереди запусков: {queued}."},
    "training.no_workers": {"en": "No training worker is running right now: the run waits until one starts "
                                  "(on a classroom server, tell the teacher).",
                            "ru": "Сейчас не работает ни один обработчик обучения: запуск подождёт, пока он не "
                                  "появится (на сервере класса сообщите преподавателю)."},
    "training.failed_lost": {"en": "the worker training it was lost (stopped or out of memory) after {epochs} "
                                   "finished epoch(s); they are kept in the journal.",
                             "ru": "обработчик, обучавший модель, пропал (остановлен или кончилась память) после "
                                   "{epochs:plural:завершённой эпохи|завершённых эпох|завершённых эпох}; они сохранены в журнале."},
    "training.failed_unknown": {"en": "the run ended without saying why.",
                                "ru": "запуск завершился, не сообщив причину."},
    "training.status_short.failed": {"en": "Failed", "ru": "Ошибка"},
    "training.cannot_train": {"en": "This architecture cannot train on these images: {reason}",
                              "ru": "Эта архитектура не может обучаться на этих изображениях: {reason}"},
    "training.fix_architecture": {"en": "Fix it on the Architecture page", "ru": "Исправить на странице «Архитектура»"},
    # progress
    "training.status.queued": {"en": "Waiting in the queue: position {position}. It starts when a slot frees up.",
                               "ru": "Ожидание в очереди: место {position}. Обучение начнётся, когда освободится место."},
    "training.status.running": {"en": "Training", "ru": "Идёт обучение"},
    "training.status.finished": {"en": "Finished", "ru": "Готово"},
    "training.status.stopped": {"en": "Stopped", "ru": "Остановлено"},
    "training.status.diverged": {"en": "Diverged", "ru": "Обучение разошлось"},
    "training.status.failed": {"en": "Failed: {error}", "ru": "Ошибка: {error}"},
    "training.progress": {"en": "{status} · epoch {epoch} of {total} · elapsed {elapsed} · ETA {eta}",
                          "ru": "{status} · эпоха {epoch} из {total} · прошло {elapsed} · осталось {eta}"},
    "training.starting": {"en": "Preparing the run (loading data, building the model)…",
                          "ru": "Готовлю запуск (загружаю данные, строю модель)…"},
    "training.run_id": {"en": "Run {run}", "ru": "Запуск {run}"},
    "training.check": {"en": "Initial-loss check", "ru": "Проверка начальной потери"},
    "training.chart.loss": {"en": "Loss", "ru": "Потеря (loss)"},
    "training.chart.accuracy": {"en": "Accuracy", "ru": "Точность (accuracy)"},
    "training.series.train": {"en": "train, epoch mean", "ru": "обучение, среднее за эпоху"},
    "training.series.val": {"en": "validation, end of epoch", "ru": "валидация, конец эпохи"},
    "training.series.batch": {"en": "train, every few batches", "ru": "обучение, каждые несколько батчей"},
    "training.axis.epoch": {"en": "epoch", "ru": "эпоха"},
    "training.overfit_marker": {"en": "overfitting", "ru": "переобучение"},
    "training.remedies": {"en": "Remedies", "ru": "Что поможет"},
    "training.metric.train_acc": {"en": "Train accuracy", "ru": "Точность на обучении"},
    "training.metric.val_acc": {"en": "Validation accuracy", "ru": "Точность на валидации"},
    "training.metric.val_loss": {"en": "Validation loss", "ru": "Потеря на валидации"},
    "training.metric.speed": {"en": "Images per second", "ru": "Изображений в секунду"},
    "training.speed": {
        "en": "Speed: {images} images/s · {macs} multiply-adds/s = **{fraction}** of this machine's peak for this "
              "model's convolutions and linear layers ({peak}/s, {dtype}{native}). One training image costs "
              "{per_image} multiply-adds; the rest of the time goes to activations, pooling, the optimizer and data.",
        "ru": "Скорость: {images} изображений/с · {macs} умножений-сложений/с = **{fraction}** от пика этой машины "
              "для свёрток и линейных слоёв этой модели ({peak}/с, {dtype}{native}). Одно обучающее изображение "
              "стоит {per_image} умножений-сложений; остальное время уходит на активации, пулинг, оптимизатор "
              "и данные.",
    },
    # the loop's share (lab.train.speed: loop_fraction): a slow model or a slow loop?
    "training.speed_loop": {
        "en": "All its layers alone (pooling, activations and normalisation included), one after another, "
              "would train {alone} images/s here: the training loop reaches **{fraction}** of that; the rest "
              "is the batch, the loss, the optimizer and the bookkeeping between layers.",
        "ru": "Все её слои по отдельности (вместе с пулингом, активациями и нормализацией), один за другим, "
              "обучали бы здесь {alone} изображений/с: цикл обучения достигает **{fraction}** от этого; "
              "остальное — батч, функция потерь, оптимизатор и учёт между слоями.",
    },
    "training.speed_pending": {
        "en": "One training image costs {per_image} multiply-adds; this machine's peak for this model's "
              "convolutions and linear layers is {peak}/s ({dtype}{native}). The achieved share appears after the "
              "first epoch.",
        "ru": "Одно обучающее изображение стоит {per_image} умножений-сложений; пик этой машины для свёрток и "
              "линейных слоёв этой модели: {peak}/с ({dtype}{native}). Достигнутая доля появится после первой "
              "эпохи.",
    },
    "training.speed_native": {"en": ", native bf16: {hw}", "ru": ", нативный bf16: {hw}"},
    "training.speed_no_native": {"en": ", no native bf16 here", "ru": ", нативного bf16 здесь нет"},
    "training.speed_cpu": {"en": ", {threads:plural:thread|threads}, CPU: {units}",
                           "ru": ", {threads:plural:поток|потока|потоков}, процессор: {units}"},
    # overfit one batch
    "training.overfit_running": {"en": "Overfitting one batch: step {step}, loss {loss:.3f}, accuracy {accuracy:.0%}",
                                 "ru": "Переобучаю один батч: шаг {step}, потеря {loss:.3f}, точность {accuracy:.0%}"},
    "training.overfit_result": {"en": "Overfit one batch", "ru": "Переобучение одного батча"},
    # reports
    "training.report": {"en": "Validation report after epoch {epoch}", "ru": "Отчёт по валидации после эпохи {epoch}"},
    "training.report_final": {"en": "Validation report at the end (epoch {epoch}, {n} images, accuracy {acc})",
                              "ru": "Итоговый отчёт по валидации (эпоха {epoch}, изображений {n}, точность {acc})"},
    "training.report_partial": {"en": "Scored on {n} validation images.", "ru": "Оценено на {n:plural:валидационном изображении|валидационных изображениях|валидационных изображениях}."},
    "training.grid": {"en": "Validation images: true and predicted label", "ru": "Валидационные изображения: "
                      "истинная и предсказанная метка"},
    "training.caption": {"en": "true {true} · pred {pred} ({conf})", "ru": "истина {true} · прогноз {pred} ({conf})"},
    "training.confusion": {"en": "Confusion matrix", "ru": "Матрица ошибок"},
    "training.axis.true": {"en": "true class", "ru": "истинный класс"},
    "training.axis.predicted": {"en": "predicted class", "ru": "предсказанный класс"},
    "training.axis.count": {"en": "images", "ru": "изображений"},
    "training.per_class": {"en": "Accuracy per class", "ru": "Точность по классам"},
    "training.axis.class": {"en": "class", "ru": "класс"},
    "training.axis.accuracy": {"en": "accuracy", "ru": "точность"},
    "training.mistakes": {"en": "Most confident mistakes", "ru": "Самые уверенные ошибки"},
    "training.mistakes_help": {
        "en": "Images the model got wrong with the highest confidence, with their index in the dataset. Most "
              "are the model's errors; a few may carry a wrong label. The Mistakes page ranks the images whose "
              "label the model doubts most, for you to judge.",
        "ru": "Изображения, на которых модель ошиблась с наибольшей уверенностью, с их номером в датасете. "
              "Чаще всего это ошибки модели, но у некоторых может быть неверная метка. Страница «Ошибки» "
              "упорядочивает изображения, в метке которых модель сомневается сильнее всего, — решать вам.",
    },
    "training.no_mistakes": {"en": "No mistakes on these images.", "ru": "На этих изображениях ошибок нет."},
    # trained models
    "training.models": {"en": "Trained models (this session)", "ru": "Обученные модели (эта сессия)"},
    "training.models_none": {"en": "No trained model yet: press Train.", "ru": "Обученных моделей пока нет: нажмите «Обучить»."},
    "training.active": {"en": "Active model (used for prediction)", "ru": "Активная модель (для предсказаний)"},
    "training.model_label": {"en": "{name} · validation accuracy {acc}", "ru": "{name} · точность на валидации {acc}"},
    "training.rename": {"en": "Name", "ru": "Название"},
    "training.download": {"en": "Download checkpoint", "ru": "Скачать чекпойнт"},
    "training.download_missing": {"en": "The checkpoint file of this run is gone (the workspace expired?).",
                                  "ru": "Файла чекпойнта этого запуска больше нет (рабочее пространство удалено?)."},

    # --- the engine's notes and advice (keys of lab.train.advice) --------------------
}

# The engine's notes and advice: the English is lab.train.advice.ENGLISH (the CLI's), the Russian here.
_ADVICE_RU = {
    "train.check.ok": "Начальная потеря {loss:.3f} близка к ln({classes}) = {expected:.3f}, а точность "
                      "{accuracy:.1%} — к 1/{classes}: модель стартует с разумного предположения.",
    "train.check.loss_high": "Начальная потеря {loss:.3f} намного выше ln({classes}) = {expected:.3f}: модель с "
                             "самого начала уверенно ошибается. Проверьте инициализацию весов и нормализацию входов.",
    "train.check.loss_low": "Начальная потеря {loss:.3f} намного ниже ln({classes}) = {expected:.3f} ещё до "
                            "обучения: проверьте, не просачиваются ли метки во входные данные.",
    "train.check.accuracy_high": "Начальная точность {accuracy:.1%} намного выше случайной (1/{classes}) ещё до "
                                 "обучения: проверьте утечку меток или повторно использованные веса.",
    "train.check.inputs_unnormalised": "У входов модели среднее {input_mean:.2f} и стандартное отклонение "
                                       "{input_std:.2f}, а не около 0 и 1: они не нормализованы. Нормализуйте "
                                       "статистикой обучающих изображений: (x / 255 - mean) / std.",
    "train.check.softmax_output": "Выходы модели уже дают в сумме 1, как вероятности: уберите softmax после "
                                  "последнего слоя. CrossEntropyLoss сам применяет log-softmax.",
    "train.check.activation_output": "Выходы модели никогда не бывают отрицательными: после последнего слоя Linear "
                                     "стоит активация (ReLU, sigmoid…). Уберите её: последний слой должен выдавать "
                                     "«сырые» оценки (логиты).",
    "train.overfit.reached": "Достигнута точность 100% на одном батче из "
                             "{batch:plural:изображения|изображений|изображений} за {steps:plural:шаг|шага|шагов}: "
                             "модель и цикл обучения способны учиться.",
    "train.overfit.failed": "Всего {accuracy:.1%} точности на одном батче из "
                            "{batch:plural:изображения|изображений|изображений} после "
                            "{steps:plural:шага|шагов|шагов}.",
    "train.advice.bigger_model": "Попробуйте модель побольше (больше фильтров или блоков) или более высокую скорость "
                                 "обучения.",
    "train.advice.bug_hunt": "Если модель побольше не помогает, ищите ошибку: соответствуют ли метки изображениям, "
                             "верна ли нормализация, нет ли активации после последнего слоя.",
    "train.diverged.nan": "На шаге {step} потеря стала NaN или бесконечной: обучение разошлось.",
    "train.diverged.exploded": "На шаге {step} потеря достигла {loss:.3g} — более чем в {factor:g} раз больше "
                               "начальной {initial:.3f}: обучение разошлось.",
    "train.advice.lower_lr": "Уменьшите скорость обучения (попробуйте в 10 раз меньше) или включите ограничение "
                             "градиента.",
    "train.overfitting.started": "Переобучение с эпохи {epoch}: потеря на валидации по-настоящему не улучшалась с "
                                 "эпохи {best_epoch} (её тренд за последние эпохи ровный или растёт), хотя потеря на "
                                 "обучении всё падает, а точность на обучении на {gap:.1f} п. п. выше, чем на "
                                 "валидации.",
    "train.advice.more_data": "Возьмите больше обучающих данных или усильте аугментацию.",
    "train.advice.regularize": "Добавьте в модель BatchNorm или Dropout.",
    "train.advice.weight_decay": "Добавьте затухание весов (например, AdamW с 1e-4..1e-2).",
    "train.advice.early_stopping": "Включите раннюю остановку, чтобы сохранить веса лучшей эпохи.",
    "train.chance.val": "После {epoch:plural:эпохи|эпох|эпох} точность на валидации {accuracy:.1%} — всё ещё на "
                        "уровне случайного угадывания (1/{classes} = {chance:.1%}), хотя на обучении она "
                        "{train_accuracy:.1%}: ничего из выученного не переносится на новые изображения.",
    "train.advice.check_labels": "Проверьте, что метки соответствуют изображениям (посмотрите на несколько с их "
                                 "метками), затем скорость обучения и нормализацию входов.",
    "train.early_stopped": "Ранняя остановка на эпохе {epoch}: потеря на валидации не улучшалась "
                           "{patience:plural:эпоху|эпохи|эпох}; восстановлены веса эпохи {best_epoch}.",
    "train.stopped": "Остановлено по запросу после шага {step}.",
}
TEXTS.update({key: {"en": english, "ru": _ADVICE_RU[key]} for key, english in ENGLISH.items()})

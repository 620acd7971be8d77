"""The course's rules (``lab.train.rules``): shown on the Training page, printed by ``lab train``."""

TEXTS = {
    "rules.header": {"en": "The course's rules", "ru": "Правила курса"},
    "rules.broken.softmax_output": {
        "en": "Broken on purpose: a softmax after the last layer. Watch the initial-loss check: it should say the "
              "outputs already sum to 1.",
        "ru": "Сломано нарочно: softmax после последнего слоя. Следите за проверкой начальной потери: она должна "
              "сказать, что выходы уже дают в сумме 1.",
    },
    "rules.broken.no_normalization": {
        "en": "Broken on purpose: no normalisation, raw 0..255 pixels reach the model. Watch the initial-loss check: "
              "it should name the input statistics and a loss far above ln N.",
        "ru": "Сломано нарочно: без нормализации, в модель идут «сырые» пиксели 0..255. Следите за проверкой "
              "начальной потери: она должна указать на статистику входов и потерю намного выше ln N.",
    },
    "rules.broken.shuffle_labels": {
        "en": "Broken on purpose: the training labels are shuffled. Watch the validation accuracy: it should stay "
              "at chance, and the lab should say so after two epochs.",
        "ru": "Сломано нарочно: метки обучающих изображений перемешаны. Следите за точностью на валидации: она "
              "должна остаться на уровне случайного угадывания, и через две эпохи лаборатория об этом скажет.",
    },
    "rules.broken.lr_x100": {
        "en": "Broken on purpose: the learning rate is multiplied by 100. Watch the loss: the divergence check "
              "should stop the run.",
        "ru": "Сломано нарочно: скорость обучения умножена на 100. Следите за потерей: проверка на расхождение "
              "должна остановить запуск.",
    },
    "rules.weight_decay_first": {
        "en": "Weight decay {wd} on a first run: the course starts with weight decay 0 and adds regularisation "
              "only once the curves show overfitting. Set weight decay to 0 for this run.",
        "ru": "Затухание весов {wd} в первом запуске: курс начинает с weight decay 0 и добавляет регуляризацию, "
              "только когда кривые покажут переобучение. Поставьте для этого запуска weight decay 0.",
    },
    "rules.adam_weight_decay": {
        "en": "Adam with weight decay {wd}: in Adam the decay is scaled by the gradient statistics and works "
              "poorly. Choose the optimizer AdamW, which decays the weights directly.",
        "ru": "Adam с затуханием весов {wd}: в Adam затухание масштабируется статистикой градиентов и работает "
              "плохо. Выберите оптимизатор AdamW — он уменьшает веса напрямую.",
    },
    "rules.adam_lr": {
        "en": "Learning rate {lr} for Adam is far outside {low}..{high}, the range where Adam trains well "
              "(1e-3 and 3e-4 are the usual starts). Expect divergence above it and no progress below it.",
        "ru": "Скорость обучения {lr} для Adam далеко за пределами {low}..{high} — диапазона, где Adam хорошо "
              "обучается (обычно начинают с 1e-3 или 3e-4). Выше он расходится, ниже почти не учится.",
    },
    "rules.no_baseline": {
        "en": "No baseline run yet: train the course baseline first (Architecture page, preset \"baseline\", no "
              "augmentation), so that {preset} has something to beat.",
        "ru": "Бейзлайна ещё нет: сначала обучите бейзлайн курса (страница «Архитектура», пресет «baseline», без "
              "аугментации), чтобы {preset} было с чем сравнить.",
    },
    "rules.augment_before_baseline": {
        "en": "{n} augmentation step(s) before any baseline run: train once without augmentation first, so that "
              "you can tell what the augmentation does.",
        "ru": "Шагов аугментации: {n}, а бейзлайна без аугментации ещё нет: сначала обучите модель без неё, "
              "чтобы было видно, что даёт аугментация.",
    },
    "rules.no_overfit_batch": {
        "en": "No \"Overfit one batch\" yet: run it before the first full run (the Training page's button, or "
              "lab train --overfit-batch). A model and a training loop that "
              "work reach 100% on one batch in a few dozen steps; if they cannot, a full run will not help.",
        "ru": "«Переобучить один батч» ещё не запускали: запустите перед первым полным запуском (кнопка на "
              "странице «Обучение» или lab train --overfit-batch). Рабочие модель и "
              "цикл обучения доходят до 100% на одном батче за несколько десятков шагов; если нет, полный "
              "запуск не поможет.",
    },
    "rules.overfit_failed": {
        "en": "\"Overfit one batch\" has not reached 100% yet: find out why (a bigger model, a higher learning "
              "rate, a bug) before spending a full run.",
        "ru": "«Переобучить один батч» ещё не дошло до 100%: выясните почему (модель побольше, скорость обучения "
              "выше, ошибка в коде), прежде чем тратить время на полный запуск.",
    },
}

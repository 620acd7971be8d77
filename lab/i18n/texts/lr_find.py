"""The Training page's "Find a learning rate" section (``lab.ui.training.lr_find``)."""

TEXTS = {
    "lr_find.title": {"en": "Find a learning rate", "ru": "Подобрать скорость обучения"},
    "lr_find.intro": {
        "en": "The range test trains this experiment's model for a few hundred batches while the learning rate "
              "grows from 1e-7 to 10, and watches the training loss: where it falls fastest, the model learns; "
              "where it shoots up, the rate is too high. The suggestion is a starting point, not the answer: the "
              "test is short and its rate never stays put, so try it (and a neighbour) in a real run. Nothing "
              "enters the Journal and the model starts from the same weights.",
        "ru": "Тест диапазона обучает модель этого эксперимента несколько сотен батчей, пока скорость обучения "
              "растёт от 1e-7 до 10, и следит за потерей на обучении: где она падает быстрее всего, модель учится; "
              "где резко растёт — скорость слишком велика. Предложенное значение — отправная точка, а не ответ: "
              "тест короткий и скорость в нём всё время меняется, так что проверьте её (и соседнюю) в настоящем "
              "запуске. В Журнал ничего не попадает, модель начнёт с тех же весов."},
    "lr_find.run": {"en": "Run the range test", "ru": "Запустить тест диапазона"},
    "lr_find.stop": {"en": "Stop the range test", "ru": "Остановить тест диапазона"},
    "lr_find.run_help": {"en": "Queued like a run and done by a worker: about as long as a few hundred training "
                               "steps. Stops early once the loss explodes.",
                         "ru": "Ставится в очередь, как запуск, и выполняется обработчиком: примерно столько, "
                               "сколько несколько сотен шагов обучения. Останавливается раньше, как только потеря "
                               "взрывается."},
    "lr_find.running": {"en": "Step {step} of at most {steps}: learning rate {lr}, loss {loss:.3f}",
                        "ru": "Шаг {step} из не более чем {steps}: скорость обучения {lr}, потеря {loss:.3f}"},
    "lr_find.axis_lr": {"en": "learning rate (log scale)", "ru": "скорость обучения (логарифмическая шкала)"},
    "lr_find.axis_loss": {"en": "training loss (smoothed)", "ru": "потеря на обучении (сглаженная)"},
    "lr_find.marker": {"en": "suggested {lr} ({rule})", "ru": "предложено {lr} ({rule})"},
    "lr_find.rule.valley": {"en": "valley", "ru": "долина"},
    "lr_find.rule.steepest": {"en": "steepest descent", "ru": "наибольший спад"},
    "lr_find.rule_help.valley": {
        "en": "The valley rule takes the longest stretch where the loss keeps falling and picks a point a little "
              "past its first third (fastai's default).",
        "ru": "Правило долины берёт самый длинный участок, где потеря всё время падает, и выбирает точку чуть "
              "дальше его первой трети (так по умолчанию делает fastai)."},
    "lr_find.rule_help.steepest": {
        "en": "The steepest-descent rule picks the rate where the loss falls fastest per decade.",
        "ru": "Правило наибольшего спада выбирает скорость, на которой потеря падает быстрее всего за порядок."},
    "lr_find.suggested": {"en": "Suggested learning rate: **{lr}** (rule: {rule}).",
                          "ru": "Предложенная скорость обучения: **{lr}** (правило: {rule})."},
    "lr_find.other_rule": {"en": "The other rule, {rule}, gives {lr}.",
                           "ru": "Другое правило, {rule}, даёт {lr}."},
    "lr_find.use": {"en": "Use {lr} as the learning rate", "ru": "Взять {lr} как скорость обучения"},
    "lr_find.use_help": {"en": "Puts it into the form above (now {current}); Train then uses it.",
                         "ru": "Подставляет значение в форму выше (сейчас {current}); его возьмёт «Обучить»."},
    "lr_find.in_form": {"en": "The form's learning rate is {lr}: the suggestion.",
                        "ru": "В форме скорость обучения {lr} — предложенное значение."},
    "lr_find.no_suggestion": {"en": "No suggestion: the loss exploded before it fell. Check the model with "
                                    "\"Overfit one batch\".",
                              "ru": "Предложения нет: потеря взорвалась раньше, чем начала падать. Проверьте "
                                    "модель кнопкой «Переобучить один батч»."},
    "lr_find.stopped.exploded": {"en": "Stopped after {steps:plural:step|steps}: the smoothed loss went above 4x its lowest.",
                                 "ru": "Остановлен после {steps:plural:шага|шагов|шагов}: сглаженная потеря превысила "
                                       "свой минимум в 4 раза."},
    "lr_find.stopped.end": {"en": "All {steps:plural:step|steps} ran without the loss exploding.",
                            "ru": "Пройдено шагов: {steps:count}; потеря не взорвалась."},
    "lr_find.stopped.stopped": {"en": "Stopped after {steps:plural:step|steps}.",
                                "ru": "Остановлен после {steps:plural:шага|шагов|шагов}."},
}

"""Texts for the test set kept for the end, seeds and predictions (Journal and Training pages)."""

TEXTS = {
    # Training page: the live metrics
    "evaluation.metric.best_val_acc": {"en": "Best val accuracy", "ru": "Лучшая вал. точность"},
    "evaluation.metric.best_val_acc_help": {
        "en": "Runs are compared on validation. The test set waits for the end: evaluate on it in the Journal.",
        "ru": "Запуски сравнивают по валидации. Тестовая выборка ждёт конца: оценить на ней можно в журнале.",
    },
    # Journal: evaluate on test
    "evaluation.evaluate_test": {"en": "Evaluate on test", "ru": "Оценить на тесте"},
    "evaluation.evaluate_help": {
        "en": "Reveals this run's accuracy on the test set. Choose runs on validation; look at the test set "
              "only at the end: every model looked at is counted.",
        "ru": "Показывает точность этого запуска на тестовой выборке. Выбирайте запуски по валидации, а на тест "
              "смотрите только в конце: каждая просмотренная модель учитывается.",
    },
    "evaluation.looks": {
        "en": "The test set has been looked at for {n} model(s) in this workspace.",
        "ru": "Тестовую выборку уже смотрели для моделей этого рабочего пространства: {n}.",
    },
    "evaluation.looks_many": {
        "en": "{n} models looked at on test: choosing among them by their test score turns the test set into "
              "a second validation set, and its score stops being an honest estimate.",
        "ru": "На тесте посмотрено моделей: {n}. Если выбирать среди них по тесту, тест становится второй "
              "валидацией, и его оценка перестаёт быть честной.",
    },
    "evaluation.result": {
        "en": "Test accuracy {acc} over {n} images (loss {loss}).",
        "ru": "Точность на тесте {acc} на {n:plural:изображении|изображениях|изображениях} (loss {loss}).",
    },
    "evaluation.public_half": {
        "en": "Classroom: scored on the public half of the test set; the leaderboard keeps the other half hidden.",
        "ru": "Класс: оценка на открытой половине тестовой выборки; вторую половину держит в тайне таблица лидеров.",
    },
    "evaluation.not_evaluated": {"en": "not evaluated yet", "ru": "ещё не оценена"},
    # Journal table columns
    "journal.col.val_rank": {"en": "Rank (val)", "ru": "Место (вал.)"},
    "journal.col.seeds": {"en": "Val acc over seeds, %", "ru": "Вал. точность по сидам, %"},
    "journal.col.seeds_help": {
        "en": "Mean ± standard deviation of the best validation accuracy over the runs repeated with seeds.",
        "ru": "Среднее ± стандартное отклонение лучшей валидационной точности по запускам с разными сидами.",
    },
    "journal.col.expectation": {"en": "Expected → got", "ru": "Ожидали → вышло"},
    "journal.col.test_help": {
        "en": "Blank until you evaluate the run on test (at the end). The table ranks by validation.",
        "ru": "Пусто, пока вы не оцените запуск на тесте (в конце). Таблица ранжирует по валидации.",
    },
    "journal.ranked": {
        "en": "Ranked by best validation accuracy: choose on validation, keep the test set for the end.",
        "ru": "Упорядочено по лучшей валидационной точности: выбирайте по валидации, тест оставьте на конец.",
    },
    # seeds
    "seeds.group": {
        "en": "Repeated with {n} seeds: best val accuracy {mean} ± {std} %.",
        "ru": "Повторено с {n:plural:сидом|сидами|сидами}: лучшая вал. точность {mean} ± {std} %.",
    },
    "seeds.real": {
        "en": "The change in validation accuracy ({d} pts) is larger than the seed-to-seed spread ({spread} pts): "
              "it is likely real.",
        "ru": "Изменение валидационной точности ({d} п.п.) больше разброса между сидами ({spread} п.п.): "
              "скорее всего, оно настоящее.",
    },
    "seeds.noise": {
        "en": "The change in validation accuracy ({d} pts) is within the seed-to-seed spread ({spread} pts): "
              "it may be chance alone.",
        "ru": "Изменение валидационной точности ({d} п.п.) не выходит за разброс между сидами ({spread} п.п.): "
              "это может быть просто случайность.",
    },
    "seeds.unknown": {
        "en": "Is the difference real? Neither run was repeated with seeds: repeat one with 3 seeds to see "
              "how much chance alone moves the result.",
        "ru": "Реальна ли разница? Ни один из запусков не повторяли с разными сидами: повторите один с 3 сидами, "
              "чтобы увидеть, насколько результат гуляет от одной случайности.",
    },
    "seeds.repeat": {"en": "Repeat with 3 seeds", "ru": "Повторить с 3 сидами"},
    "seeds.repeat_help": {
        "en": "Trains this experiment three times, with seeds seed, seed+1 and seed+2. The journal shows the "
              "mean ± standard deviation, and says whether a change beats the seed-to-seed spread.",
        "ru": "Обучает этот эксперимент трижды, с сидами seed, seed+1 и seed+2. Журнал покажет среднее ± "
              "стандартное отклонение и скажет, больше ли эффект изменения, чем разброс между сидами.",
    },
    # predict before you run
    "expect.title": {"en": "Predict before you run (optional)", "ru": "Предскажите до запуска (необязательно)"},
    "expect.direction": {"en": "Validation accuracy will get…", "ru": "Валидационная точность станет…"},
    "expect.none": {"en": "no prediction", "ru": "без прогноза"},
    "expect.better": {"en": "better", "ru": "лучше"},
    "expect.worse": {"en": "worse", "ru": "хуже"},
    "expect.same": {"en": "the same", "ru": "такой же"},
    "expect.why": {"en": "Why do you expect that?", "ru": "Почему вы этого ожидаете?"},
    "expect.why_placeholder": {"en": "e.g. a smaller learning rate should make the curves smoother",
                               "ru": "например: меньший learning rate должен сгладить кривые"},
    "expect.shown": {"en": "Expected: {expected}. Got: {got}.", "ru": "Ожидали: {expected}. Вышло: {got}."},
    "expect.shown_why": {"en": "Why: {why}", "ru": "Почему: {why}"},
    "expect.pending": {"en": "not known yet", "ru": "пока неизвестно"},
    "expect.right": {"en": "The prediction was right.", "ru": "Прогноз оправдался."},
    "expect.wrong": {"en": "The prediction was wrong: worth a line in the note on why.",
                     "ru": "Прогноз не оправдался: стоит записать в заметку, почему."},
}

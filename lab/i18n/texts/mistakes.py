"""Texts of the Mistakes page (pages/mistakes.py): confident mistakes and suspected label errors."""

TEXTS = {
    "nav.mistakes": {"en": "Mistakes", "ru": "Ошибки"},
    "mistakes.intro": {
        "en": "Where a trained model goes wrong, image by image. Its most confident mistakes are mostly the "
              "model's errors, but a dataset has wrong labels too: the second tab ranks the images whose label "
              "the model's predictions doubt most (confident learning), for you to judge.",
        "ru": "Где обученная модель ошибается — изображение за изображением. Самые уверенные ошибки чаще всего "
              "ошибки модели, но и в датасете бывают неверные метки: вторая вкладка упорядочивает изображения, "
              "в метке которых предсказания модели сомневаются сильнее всего (confident learning), — решать вам.",
    },
    "mistakes.no_runs": {
        "en": "No run with a trained model yet. Train one on the Training page, then come back.",
        "ru": "Пока нет запуска с обученной моделью. Обучите модель на странице «Обучение» и возвращайтесь.",
    },
    "mistakes.run": {"en": "Run", "ru": "Запуск"},
    "mistakes.split": {"en": "Images", "ru": "Изображения"},
    "mistakes.split.val": {"en": "validation split", "ru": "валидационная выборка"},
    "mistakes.split.test": {"en": "test split (at the end)", "ru": "тестовая выборка (в конце)"},
    "mistakes.test_warning": {
        "en": "Looking at the test set's mistakes reveals this model's test score and counts as a look at the "
              "test set ({n} so far in this workspace). Work on validation until your final model.",
        "ru": "Ошибки на тестовой выборке раскрывают результат модели на тесте, и это считается просмотром "
              "теста (в этом рабочем пространстве уже: {n}). Работайте с валидацией до финальной модели.",
    },
    "mistakes.score_test": {"en": "Score this model on test", "ru": "Оценить эту модель на тесте"},
    "mistakes.accuracy": {"en": "Accuracy on these images", "ru": "Точность на этих изображениях"},
    "mistakes.images": {"en": "Images scored", "ru": "Оценено изображений"},
    "mistakes.tab.mistakes": {"en": "Most confident mistakes", "ru": "Самые уверенные ошибки"},
    "mistakes.tab.labels": {"en": "Suspected label errors", "ru": "Подозрение на ошибку в метке"},
    "mistakes.mistakes_help": {
        "en": "Wrong predictions made with the highest confidence. # is the image's index in the dataset "
              "({part} part).",
        "ru": "Неверные предсказания, сделанные с наибольшей уверенностью. # — номер изображения в датасете "
              "(часть {part}).",
    },
    "mistakes.none": {"en": "No mistakes on these images.", "ru": "На этих изображениях ошибок нет."},
    "mistakes.caption": {"en": "#{index} · label {true} · model {pred} ({conf})",
                         "ru": "#{index} · метка {true} · модель {pred} ({conf})"},
    "mistakes.labels_help": {
        "en": "Ranked by how strongly the model's out-of-sample predictions disagree with the label (the lower "
              "the model's probability for the given label, the higher). Flagged: confident learning (cleanlab) "
              "counts it a likely label issue. Look at each and decide: is the label wrong, or the model?",
        "ru": "Упорядочено по тому, насколько предсказания модели на невиданных ею изображениях расходятся с "
              "меткой (чем ниже вероятность, которую модель даёт указанной метке, тем выше в списке). «Отмечено»: "
              "confident learning (cleanlab) считает метку вероятно ошибочной. Посмотрите на каждое и решите: "
              "ошибается метка или модель?",
    },
    "mistakes.top": {"en": "How many to show", "ru": "Сколько показать"},
    "mistakes.item": {
        "en": "**#{index}**: labelled **{true}**; the model says **{pred}** ({conf}), gives the label {p_label}.",
        "ru": "**#{index}**: метка **{true}**; модель говорит **{pred}** ({conf}), метке даёт {p_label}.",
    },
    "mistakes.flagged": {"en": "Flagged by confident learning as a likely label issue.",
                         "ru": "Confident learning отмечает это как вероятную ошибку в метке."},
    "mistakes.mark_label": {"en": "Label is wrong", "ru": "Метка неверна"},
    "mistakes.mark_model": {"en": "Model is wrong", "ru": "Ошибается модель"},
    "mistakes.mark_clear": {"en": "Undecided", "ru": "Не решено"},
    "mistakes.marked.label": {"en": "You marked: the label is wrong.", "ru": "Ваша отметка: метка неверна."},
    "mistakes.marked.model": {"en": "You marked: the model is wrong.", "ru": "Ваша отметка: ошибается модель."},
    "mistakes.marks_summary": {
        "en": "Your marks on this dataset part: {label} wrong label(s), {model} model error(s). They are kept "
              "in your workspace.",
        "ru": "Ваши отметки в этой части датасета: неверных меток — {label}, ошибок модели — {model}. Они "
              "хранятся в вашем рабочем пространстве.",
    },
    "mistakes.part.train": {"en": "training", "ru": "обучающая"},
    "mistakes.part.test": {"en": "test", "ru": "тестовая"},
}

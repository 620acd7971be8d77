"""Texts of the Home page: the stages of training a model and the course's advice."""

TEXTS = {
    "home.intro": {
        "en": "A lab for training small convolutional image classifiers the disciplined way: start with a minimal "
              "baseline, change one thing at a time, record every experiment, read the curves.",
        "ru": "Лаборатория для обучения небольших свёрточных классификаторов изображений с дисциплиной: начните с "
              "минимального бейзлайна, меняйте одну вещь за раз, записывайте каждый эксперимент, читайте кривые.",
    },
    "home.stages": {"en": "The stages of training a model", "ru": "Этапы обучения модели"},
    "home.task": {"en": "1. Task", "ru": "1. Задача"},
    "home.task_text": {
        "en": "Say what is classified and how success is measured before writing code. Start with a minimal "
              "baseline that works end to end, then improve it one change at a time, and record every experiment "
              "with its config.",
        "ru": "Сформулируйте, что классифицируется и как измеряется успех, до того как писать код. Начните с "
              "минимального бейзлайна, который работает от начала до конца, затем улучшайте его по одному изменению "
              "за раз и записывайте каждый эксперимент вместе с конфигурацией.",
    },
    "home.data": {"en": "2. Data", "ru": "2. Данные"},
    "home.data_text": {
        "en": "Look at the images. Check class balance, duplicates and leakage between train and test, outliers. "
              "Normalise with the mean and std of the training images. Augmentation: 3–5 mild transforms that keep "
              "the label true.",
        "ru": "Посмотрите на изображения. Проверьте баланс классов, дубликаты и утечки между обучением и тестом, "
              "выбросы. Нормализуйте средним и стандартным отклонением обучающих изображений. Аугментация: 3–5 "
              "мягких преобразований, которые не меняют правильный ответ.",
    },
    "home.architecture": {"en": "3. Architecture", "ru": "3. Архитектура"},
    "home.architecture_text": {
        "en": "Start small: two or three conv blocks and a linear head. Shapes must match from layer to layer; "
              "trace them before training. Grow the model only when it cannot fit the training data.",
        "ru": "Начните с малого: два-три свёрточных блока и линейная голова. Размеры должны сходиться от слоя к слою; "
              "проверьте их до обучения. Увеличивайте модель, только если она не может выучить обучающие данные.",
    },
    "home.training": {"en": "4. Training", "ru": "4. Обучение"},
    "home.training_text": {
        "en": "Adam with lr 1e-3 is a safe start. The first loss should be about ln(N) for N classes (2.30 for "
              "10). Overfit one batch first: if the model cannot, there is a bug. Read the train and validation "
              "curves: a widening gap means overfitting.",
        "ru": "Adam с lr 1e-3 — надёжное начало. Начальная функция потерь должна быть около ln(N) для N классов "
              "(2,30 для 10). Сначала переобучите модель на одном батче: если она не может, где-то ошибка. Читайте "
              "кривые обучения и валидации: растущий разрыв означает переобучение.",
    },
    "home.evaluation": {"en": "5. Evaluation", "ru": "5. Оценка"},
    "home.evaluation_text": {
        "en": "Choose epochs and settings on the validation split; touch the test set once, at the end: "
              "**Evaluate on test** is on the Journal, beside each run. Read the confusion matrix to see which "
              "classes are confused, not only the accuracy; Prediction tries the model on your own pictures.",
        "ru": "Эпохи и настройки выбирайте по валидации; к тестовому набору обращайтесь один раз, в конце: "
              "кнопка **Оценить на тесте** — в Журнале, у каждого запуска. Смотрите матрицу ошибок, чтобы понять, "
              "какие классы путаются, а не только точность; на странице «Предсказание» модель можно проверить "
              "на своих картинках.",
    },
    "home.status": {"en": "Where your experiment stands", "ru": "Состояние вашего эксперимента"},
    "home.status_data": {"en": "Data: {dataset}, validation {val}%, split seed {seed}",
                         "ru": "Данные: {dataset}, валидация {val}%, seed разбиения {seed}"},
    "home.status_model": {"en": "Model: {preset}, {blocks} conv block(s), head {head}",
                          "ru": "Модель: {preset}, свёрточных блоков {blocks}, голова {head}"},
    "home.status_augment": {"en": "Augmentation: {n} transform(s)", "ru": "Аугментация: преобразований {n}"},
    "home.status_runs": {"en": "Runs recorded in your journal: {n}", "ru": "Запусков в вашем журнале: {n}"},
    "home.status_last": {"en": "Latest run: {name} ({status})", "ru": "Последний запуск: {name} ({status})"},
    "home.status_models": {"en": "Models trained in this session: {n}", "ru": "Моделей обучено в этой сессии: {n}"},
    "home.course": {"en": "The course's steps: your progress", "ru": "Шаги курса: ваш прогресс"},
    "home.step.overfit_batch": {"en": "Overfit one batch: the model and the loop can learn",
                                "ru": "Переобучить один батч: модель и цикл обучения способны учиться"},
    "home.step.baseline": {"en": "Train the course baseline (one conv block, no augmentation)",
                           "ru": "Обучить бейзлайн курса (один свёрточный блок, без аугментации)"},
    "home.step.initial_loss": {"en": "A run whose initial loss was near ln N",
                               "ru": "Запуск, у которого начальная потеря была около ln N"},
    "home.step.one_change": {"en": "Improve one change at a time (runs with one change: {n})",
                             "ru": "Улучшать по одному изменению за раз (запусков с одним изменением: {n})"},
    "home.step.augment": {"en": "Augmentation, once a baseline exists", "ru": "Аугментация — когда бейзлайн уже есть"},
    "home.next.overfit_batch": {
        "en": "Next: on the Training page, press \"Overfit one batch\" with the baseline model. It should reach 100% "
              "in a few dozen steps.",
        "ru": "Дальше: на странице «Обучение» нажмите «Переобучить один батч» с моделью-бейзлайном. Она должна "
              "дойти до 100% за несколько десятков шагов.",
    },
    "home.next.baseline": {
        "en": "Next: train the course baseline (preset \"baseline\", no augmentation) for a few epochs: every later "
              "run is compared with it.",
        "ru": "Дальше: обучите бейзлайн курса (пресет «baseline», без аугментации) несколько эпох: с ним будут "
              "сравниваться все следующие запуски.",
    },
    "home.next.initial_loss": {
        "en": "Next: find out why the initial-loss check failed (the Training page says what it saw) and train "
              "again.",
        "ru": "Дальше: выясните, почему не прошла проверка начальной потери (страница «Обучение» пишет, что она "
              "увидела), и обучите снова.",
    },
    "home.next.one_change": {
        "en": "Next: change one thing (the learning rate, a block, the epochs) and train again; the Training page "
              "shows the change against the parent run.",
        "ru": "Дальше: измените что-то одно (скорость обучения, блок, число эпох) и обучите снова; страница "
              "«Обучение» покажет изменение относительно родительского запуска.",
    },
    "home.next.augment": {
        "en": "Next: add mild augmentation on the Augmentation page and see what it does against the baseline.",
        "ru": "Дальше: добавьте мягкую аугментацию на странице «Аугментация» и посмотрите, что она даёт по "
              "сравнению с бейзлайном.",
    },
    "home.steps_done": {
        "en": "You have been through the course's steps. Compare your runs in the Journal and keep the test set for "
              "the end.",
        "ru": "Вы прошли шаги курса. Сравнивайте запуски в «Журнале» и оставьте тестовый набор на конец.",
    },
}

"""Journal: the final validation accuracy and the words for a run without a best epoch."""

TEXTS = {
    "journal.col.final_val_accuracy": {"en": "Final val acc, %", "ru": "Итог. вал. точность, %"},
    "journal.col.final_val_accuracy_help": {
        "en": "Validation accuracy of the weights the run ended with.",
        "ru": "Точность на валидации весов, с которыми обучение закончилось.",
    },
    "journal.effect_final": {"en": "Final val accuracy", "ru": "Итоговая вал. точность"},
    "journal.no_best_epoch": {
        "en": "Stopped before its first epoch ended: there is no best epoch. The validation accuracy "
              "is of the weights it stopped with.",
        "ru": "Остановлено до конца первой эпохи: лучшей эпохи нет. Точность на валидации — у весов, "
              "с которыми обучение остановилось.",
    },
    "journal.augment_none": {"en": "none", "ru": "нет"},
}

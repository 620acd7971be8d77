"""The experiment kept between visits (``lab.ui.draft``): the sidebar's notice and its button."""

TEXTS = {
    "draft.restored": {"en": "Restored your experiment from {time}: the settings of every page and your latest "
                             "runs are as you left them.",
                       "ru": "Ваш эксперимент восстановлен по состоянию на {time}: настройки всех страниц и "
                             "последние запуски — как вы их оставили."},
    "draft.start_fresh": {"en": "Start fresh", "ru": "Начать заново"},
    "draft.start_fresh_help": {"en": "Every page back to its defaults. Your runs stay in the Journal.",
                               "ru": "Все страницы вернутся к настройкам по умолчанию. Ваши запуски останутся в "
                                     "Журнале."},
    "draft.unreadable": {"en": "Your experiment from the last visit could not be restored, so the pages start "
                               "from the defaults: {reason}",
                         "ru": "Эксперимент с прошлого визита не удалось восстановить, поэтому страницы начинают "
                               "с настроек по умолчанию: {reason}"},
    "draft.not_saved": {"en": "Your experiment could not be saved for the next visit: {reason}",
                        "ru": "Не удалось сохранить эксперимент до следующего визита: {reason}"},
}

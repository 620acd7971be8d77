"""Texts of lab.ui.inputs: upload boxes and number fields, and the words put in place of
Streamlit's English-only widget words."""

TEXTS = {
    "inputs.upload_button": {"en": "Choose a file", "ru": "Выбрать файл"},
    "inputs.press_enter": {"en": "Press Enter to apply", "ru": "Enter — применить"},
    "inputs.press_enter_form": {"en": "Press Enter to submit", "ru": "Enter — отправить"},
    "inputs.press_ctrl_enter": {"en": "Press Ctrl+Enter to apply", "ru": "Ctrl+Enter — применить"},
    "inputs.skip_to_content": {"en": "Skip to main content", "ru": "Перейти к содержимому"},
    "inputs.no_results": {"en": "No results", "ru": "Ничего не найдено"},
    "inputs.upload_limit": {"en": "{endings}; up to {mb} MB per file. Drag the file onto the box or press Choose a file.",
                            "ru": "{endings}; до {mb} МБ на файл. Перетащите файл в поле или нажмите «Выбрать файл»."},
    "inputs.kind.picture": {"en": "a picture", "ru": "картинка"},
    "inputs.kind.checkpoint": {"en": "a model file", "ru": "файл модели"},
    "inputs.kind.archive": {"en": "a zip archive", "ru": "zip-архив"},
    "inputs.wrong_kind": {"en": "{name} is not taken here: this box takes {what} ({endings}).",
                          "ru": "{name} здесь не принимается: нужен {what} ({endings})."},
    "inputs.too_big": {"en": "{name} is {mb} MB; this box takes up to {limit} MB per file.",
                       "ru": "{name} весит {mb} МБ; сюда можно до {limit} МБ на файл."},
    "inputs.range": {"en": "{label} goes from {low} to {high}", "ru": "«{label}»: от {low} до {high}"},
    "inputs.range_open": {"en": "{label} is {low} or more", "ru": "«{label}»: от {low} и больше"},
    "inputs.outside": {"en": "{range}: {value} is not taken, the experiment uses {used}.",
                       "ru": "{range}; {value} не подходит, в эксперименте будет {used}."},
}

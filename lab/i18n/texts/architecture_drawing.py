"""Texts of the Architecture page's drawing of the network."""

TEXTS = {
    "architecture_drawing.title": {"en": "The network, layer by layer", "ru": "Сеть слой за слоем"},
    "architecture_drawing.in_features": {"en": "in_features of the first Linear",
                                         "ru": "in_features первого Linear"},
    "architecture_drawing.caption": {
        "en": "Each box is a layer's output: its height follows H × W and its thickness the channels; bars are "
              "the head's vectors. A red box cannot work here (see the table), grey dashed ones come after it.",
        "ru": "Каждый блок — выход слоя: высота следует за H × W, толщина — за числом каналов; столбики — "
              "векторы головы. Красный блок здесь не работает (см. таблицу), серые пунктирные идут после него.",
    },
}

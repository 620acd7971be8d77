"""Prediction: captions that say what a step does with this model's own sizes."""

TEXTS = {
    "predict.step.fit_box": {"en": "Fit {box}×{box}", "ru": "В рамку {box}×{box}"},
    "predict.detail.fit_box": {
        "en": "longer side {box} px: MNIST's 20/28 of the model's {side} px",
        "ru": "длинная сторона {box} пикс.: как в MNIST, 20/28 от {side} пикс. модели",
    },
    "predict.opt.center_digits_box": {"en": "{box}×{box} box + centre of mass",
                                      "ru": "Рамка {box}×{box} + центр масс"},
    "predict.step.eval_crop": {"en": "Centre crop", "ru": "Обрезка по центру"},
    "predict.detail.eval_crop": {
        "en": "{width}×{height} from the middle of {from_width}×{from_height}, as validation does",
        "ru": "{width}×{height} из середины {from_width}×{from_height}, как на валидации",
    },
    "predict.detail.resize_from": {
        "en": "{from_width}×{from_height} stretched to {width}×{height}, as validation does",
        "ru": "{from_width}×{from_height} растянуто до {width}×{height}, как на валидации",
    },
    "predict.detail.photo_resize": {"en": "to {width}×{height}, the model's size",
                                    "ru": "до {width}×{height}, размера модели"},
}

"""CNN Lab's engine: data, configs, models, augmentation, training. No Streamlit here
(except in ``lab.ui``), so everything a page can do, ``python -m lab`` can do headless."""

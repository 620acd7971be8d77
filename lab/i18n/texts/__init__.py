"""One module per page or area; see ``lab.ui.i18n``."""

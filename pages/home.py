import streamlit as st

from lab.ui.i18n import t

st.title(t("nav.home"))
st.info(t("placeholder.coming"))

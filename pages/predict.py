import streamlit as st

from lab.ui.i18n import t

st.title(t("nav.predict"))
st.info(t("placeholder.coming"))

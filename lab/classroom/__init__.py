"""The classroom: accounts and sign-in tokens, private workspaces, per-student caps, the
teacher's overview and the leaderboard. No Streamlit here."""

"""The Streamlit pages: they call workbench functions and render what those return."""

"""The review editor: Markdown editor widget, highlighter, find bar, formatting, editor view."""


//! Fonts and shaping: the bundled faces, rustybuzz shaping, glyph coverage.

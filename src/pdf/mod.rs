//! PDF output: positioned pages to bytes with printpdf, fonts embedded and subset.

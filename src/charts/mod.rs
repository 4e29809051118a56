//! Charts: figures drawn by plotters into page items.

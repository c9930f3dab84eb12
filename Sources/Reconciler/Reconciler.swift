// Reconciler module: see ../../docs and ../shared/DESIGN.md

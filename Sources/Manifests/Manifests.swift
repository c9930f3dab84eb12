// Manifests module: see ../../docs and ../shared/DESIGN.md

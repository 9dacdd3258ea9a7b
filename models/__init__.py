"""The shipped trained pipeline (form4-ner/), installed as the package form4_models."""

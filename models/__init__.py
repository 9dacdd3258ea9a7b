"""The shipped trained pipeline (form4-ner/), installed as the package form4.models."""

"""Added by bench/run.py to the generated project: what the benchmark needs beyond the template."""

# The two commands of the README:
#   make example   set up (.venv, CPU PyTorch) and build examples/ghouta_ar.txt into examples/out/
#   make test      set up and run the tests
VENV := .venv
PY := $(VENV)/bin/python
PIP_FLAGS ?=

.PHONY: example test setup clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -c constraints.txt -e '.[test]'
	touch $@

example: setup
	$(VENV)/bin/kg build examples/ghouta_ar.txt -o examples/out

test: setup
	$(PY) -m pytest

clean:
	rm -rf $(VENV) examples/out/.*.part

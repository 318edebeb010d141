"""The public namespace: one table, ``dir()`` is ``__all__``, public paths everywhere."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pickle
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import smtpreply

EAGER = {"InvalidReply", "__version__"}


def test_all_is_sorted_and_is_the_namespace() -> None:
    assert smtpreply.__all__ == sorted(smtpreply.__all__)
    assert dir(smtpreply) == smtpreply.__all__
    assert set(smtpreply.__all__) == EAGER | set(smtpreply._LAZY)


@pytest.mark.parametrize("module", sorted(smtpreply._LAZY_MODULES))
def test_the_lazy_table_is_each_modules_own_all(module: str) -> None:
    names = importlib.import_module(module).__all__
    assert sorted(names) == sorted(smtpreply._LAZY_MODULES[module])


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'smtpreply' has no attribute 'nope'"):
        smtpreply.nope  # noqa: B018


def _run(script: str) -> list[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()


def test_import_loads_each_module_on_first_use() -> None:
    script = (
        "import sys, smtpreply\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.startswith('smtpreply.'))\n"
        "print(loaded())\n"
        "smtpreply.parse\n"
        "print('smtpreply._classify' in sys.modules, 'smtpreply._reply' in sys.modules)\n"
        "smtpreply.classify\n"
        "print('smtpreply._classify' in sys.modules, 'smtpreply._explain' in sys.modules)\n"
    )
    assert _run(script) == [
        "['smtpreply._errors', 'smtpreply._public', 'smtpreply._version']",
        "False True",
        "True False",
    ]


def test_private_modules_are_reached_as_attributes() -> None:
    script = (
        "import smtpreply\nprint(smtpreply._data.REGISTRY_VERSION == smtpreply.REGISTRY_VERSION)\n"
    )
    assert _run(script) == ["True"]
    with pytest.raises(AttributeError):
        smtpreply._nope  # noqa: B018


def test_public_paths_from_creation() -> None:
    # Without ever touching the lazy namespace, a verdict reports the public path.
    script = (
        "from smtpreply._classify import classify\n"
        "import pickle\n"
        "verdict = classify('550 5.1.1 unknown')\n"
        "print(type(verdict).__module__, type(verdict.reason).__module__)\n"
        "print(b'smtpreply._' in pickle.dumps(verdict))\n"
    )
    assert _run(script) == ["smtpreply smtpreply", "False"]
    verdict = smtpreply.classify("550 5.1.1 unknown")
    assert pickle.loads(pickle.dumps(verdict)) == verdict


def _source_docstrings(module_name: str) -> dict[str, tuple[str, int]]:
    """The docstrings of a module's source file, by qualified name, with their lines.

    The compiled build (mypyc) drops the docstrings of what it compiles; the source
    files ship beside the compiled modules, and their docstrings are read there.
    """
    import ast

    path = PACKAGE / (module_name.rsplit(".", 1)[1] + ".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, int]] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                docstring = ast.get_docstring(child)
                if docstring:
                    found[prefix + child.name] = (docstring, child.lineno)
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return found


def _compiled(module: object) -> bool:
    return not str(getattr(module, "__file__", "")).endswith(".py")


def test_every_export_is_documented_and_public() -> None:
    for name in smtpreply.__all__:
        value = getattr(smtpreply, name)
        if isinstance(value, (str, int, tuple)):
            continue  # constants: documented by #: comments and in the docs
        module = importlib.import_module(smtpreply._LAZY.get(name, "smtpreply"))
        if _compiled(module):
            assert name in _source_docstrings(module.__name__), name
        else:
            assert inspect.getdoc(value), name
        assert value.__module__ == "smtpreply", name


PACKAGE = Path(smtpreply.__file__).parent


class _PackageFinder(doctest.DocTestFinder):
    """Find the doctests of everything smtpreply defines, whatever its ``__module__`` says."""

    def _from_module(self, module: object, obj: object) -> bool:
        function = getattr(obj, "__func__", obj)
        code = getattr(function, "__code__", None)
        if code is not None:
            return Path(code.co_filename).parent == PACKAGE
        return str(getattr(obj, "__module__", None)).startswith("smtpreply")


MODULES = [
    info.name
    for info in pkgutil.iter_modules(smtpreply.__path__, "smtpreply.")
    if info.name != "smtpreply.__main__"
]


def _doctests() -> list[doctest.DocTest]:
    for name in smtpreply.__all__:  # load the lazy modules, so every public name is seen
        getattr(smtpreply, name)
    globs = {"smtpreply": smtpreply, **{n: getattr(smtpreply, n) for n in smtpreply.__all__}}
    finder = _PackageFinder(exclude_empty=True)
    found: dict[str | None, doctest.DocTest] = {}
    parser = doctest.DocTestParser()
    for name in ["smtpreply", *MODULES]:
        module = importlib.import_module(name)
        module_globs = {**globs, **vars(module)}
        if _compiled(module):  # the compiled build: the examples are read from the source
            source = str(PACKAGE / (name.rsplit(".", 1)[1] + ".py"))
            for qualname, (docstring, line) in _source_docstrings(name).items():
                test = parser.get_doctest(
                    docstring, dict(module_globs), f"{name}.{qualname}", source, line
                )
                if test.examples:
                    found.setdefault(test.docstring, test)
            continue
        for test in finder.find(module, name, globs=module_globs):
            if test.examples:  # the same docstring found through two modules runs once
                found.setdefault(test.docstring, test)
    return sorted(found.values(), key=lambda test: test.name)


DOCTESTS = _doctests()


@pytest.mark.parametrize("test", DOCTESTS, ids=[test.name for test in DOCTESTS])
def test_docstring_examples(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0, test.name


def test_the_docstring_examples_are_all_found() -> None:
    names = {test.name.split(".", 1)[1] for test in DOCTESTS if "." in test.name}
    # Methods, private helpers and lazily loaded names are all reached.
    for expected in ("EnhancedStatus.parse", "Verdict", "PhraseMatcher", "classify", "explain"):
        assert any(name.endswith(expected) for name in names), expected
    assert sum(len(test.examples) for test in DOCTESTS) >= 60

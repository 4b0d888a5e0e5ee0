"""The package tree reads as the pipeline: imports run one way down the stages, no module uses
another module's private names."""
import ast
import re

from conftest import ROOT

PKG = ROOT / "src" / "newsbrief"
# Stage order (docs/ARCHITECTURE.md); build/ and dev/ drive the stages and may import any.
STAGES = ["", "ingest", "extract", "link", "evidence", "review", "briefing", "export", "build", "dev"]


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[1] in STAGES else ""   # a stage package's __init__ too


def _modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        yield ".".join(p for p in rel.parts if p != "__init__"), path


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "newsbrief":
                yield from (f"newsbrief.{a.name}" for a in node.names)
            elif node.module.startswith("newsbrief."):
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("newsbrief."))


def test_imports_run_down_the_stages():
    wrong = []
    for module, path in _modules():
        own = STAGES.index(_stage(module))
        for target in _imports(path):
            if STAGES.index(_stage(target)) > own:
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_module_uses_another_modules_private_names():
    wrong = []
    for module, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsbrief"):
                aliases |= {a.asname or a.name for a in node.names}
                wrong += [f"{module} imports {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_")]
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and re.match(r"_[a-z]", node.attr)):
                wrong.append(f"{module} uses {node.value.id}.{node.attr}")
    assert not wrong, wrong


def test_every_stage_folder_is_a_package_with_a_docstring():
    for stage in STAGES[1:]:
        init = PKG / stage / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text())), stage

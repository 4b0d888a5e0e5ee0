"""The catalog of tables (newsbrief.schemas.CATALOG) is complete, true to the code, and rendered."""
import ast
import importlib
import re

from conftest import ROOT
from newsbrief.dev import catalog
from newsbrief.schemas import CATALOG, SCHEMAS

PKG = ROOT / "src" / "newsbrief"
_LOAD = re.compile(r"""knowledge\.load\(["'](\w+)["']\)""")


def _module_file(module: str):
    path = PKG.joinpath(*module.split(".")[1:])
    return path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"


def _newsbrief_imports(path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsbrief"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if _module_file(full).exists() else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("newsbrief.")}
    return out


def _loads(module: str, transitive: bool, seen=None) -> set[str]:
    seen = set() if seen is None else seen
    if module in seen:
        return set()
    seen.add(module)
    path = _module_file(module)
    names = set(_LOAD.findall(path.read_text(encoding="utf-8")))
    if transitive:
        for dep in _newsbrief_imports(path):
            names |= _loads(dep, True, seen)
    return names


def test_the_page_is_current():
    page = catalog.DOC.read_text(encoding="utf-8")
    assert catalog.updated_page(page) == page, "docs/ARCHITECTURE.md: run python -m newsbrief.dev.catalog"


def test_every_table_has_a_schema_and_an_entry():
    assert list(CATALOG) and set(CATALOG) == set(SCHEMAS)


def test_producers_exist():
    for name, info in CATALOG.items():
        for dotted in info.produced_by:
            module, func = dotted.rsplit(".", 1)
            assert callable(getattr(importlib.import_module(module), func, None)), (name, dotted)


def test_knowledge_files_are_the_ones_the_producers_load():
    for name, info in CATALOG.items():
        modules = {p.rsplit(".", 1)[0] for p in info.produced_by}
        direct = set().union(*(_loads(m, False) for m in modules))
        reachable = set().union(*(_loads(m, True) for m in modules))
        for k in info.knowledge:
            assert (ROOT / "data" / "knowledge" / f"{k}.yml").exists(), (name, k)
        assert direct <= set(info.knowledge), f"{name}: producers load {sorted(direct)}"
        assert set(info.knowledge) <= reachable, f"{name}: producers never load {sorted(set(info.knowledge) - reachable)}"


def test_every_knowledge_file_is_read_somewhere():
    declared = {k for info in CATALOG.values() for k in info.knowledge}
    briefing = set().union(*(_LOAD.findall(p.read_text(encoding="utf-8"))
                             for p in (PKG / "briefing").rglob("*.py")))
    files = {p.stem for p in (ROOT / "data" / "knowledge").glob("*.yml")}
    assert files <= declared | briefing, sorted(files - declared - briefing)


def test_read_by_is_what_the_sections_read():
    readers: dict[str, set] = {}
    for module, tables in catalog.section_reads().items():
        for table in tables:
            readers.setdefault(table, set()).add(module)
    for name, info in CATALOG.items():
        assert set(info.read_by) == readers.get(name, set()), name


def test_tables_read_finds_the_access_forms():
    src = 'S.table(run, "figures"); _first_by_span(run, "claims"); S.articles(run); x(run, "nope")'
    assert catalog.tables_read(src) == {"figures", "claims", "articles"}

"""The analyst's decision file: load and check it, write it back in a stable order.

The file (default `data/review/<company slug>.yml`, `make REVIEW=...` for another) is YAML::

    # comments at the top are kept when the notebook API rewrites the file
    decisions:
      - set_aside: dis-1a2b3c4d
        reason: "two different funding rounds"
      - relabel: clm-0f3e2a11
        label: estimate
        reason: "SemiAnalysis's estimate, not the company's figure"
      - note: costs
        text: "Training-cost figures cover the final run only."

Each decision is one mapping whose first key is its kind (the value is what it applies to) plus
the fields of that kind (`KINDS`); every kind but `note` needs a `reason`. A malformed file gives
one `DecisionError` line naming the file, the line and the fix; nothing is half-applied.

`make` checks the file and copies it into the build with `python -m newsbrief.review.check`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from newsbrief import atomic, knowledge, paths

# kind -> (what the kind's own value names, optional fields (at least one needed when any), reason needed)
KINDS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "set_aside": ("a claim, figure, disagreement or statement id", (), True),
    "confirm": ("a claim, figure, disagreement or statement id", (), True),
    "relabel": ("a claim, statement or figure id", ("label", "stance", "is_doubt", "measure", "subject"), True),
    "pin": ("a key judgment's id (claim or sentence id)", (), True),
    "drop": ("a key judgment's id (claim or sentence id)", (), True),
    "merge_names": ("an entity name", ("into",), True),
    "correct_article": ("an article_id", ("outlet", "title", "published"), True),
    "note": ("a section key", ("text",), False),
}
ORDER = list(KINDS)
NO_DECISIONS = "# no decision file\n"    # the snapshot when the analyst has none


class DecisionError(ValueError):
    """A malformed decision file: the message is one line (file, line, problem, fix)."""


@dataclass(frozen=True)
class Decision:
    kind: str
    target: str
    reason: str = ""
    fields: tuple[tuple[str, object], ...] = ()
    line: int = 0                                     # 1-based line in the file (0 = made in code)

    def get(self, name: str, default=None):
        return dict(self.fields).get(name, default)

    @property
    def name(self) -> str:
        """How build output and data notes name the decision: `set_aside dis-1a2b3c4d`."""
        return f"{self.kind} {self.target}"

    def to_yaml_dict(self) -> dict:
        out: dict = {self.kind: self.target}
        out.update(self.fields)
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class DecisionFile:
    path: Path
    decisions: list[Decision] = field(default_factory=list)
    header: str = ""                                 # the comment lines before the first key


def default_path(company: str) -> Path:
    """data/review/<company slug>.yml."""
    return paths.DATA_DIR / "review" / f"{paths.slugify(company, 'company')}.yml"


def _named(path) -> str:
    """The file as an error names it: relative to the working folder (make's: the project)
    when inside it."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _fail(path, line: int, problem: str, fix: str):
    where = f"{_named(path)}:{line}" if line else _named(path)
    raise DecisionError(f"{where}: {problem}; {fix}")


def _scalar(path, node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
        _fail(path, node.start_mark.line + 1, f"{what} must be a single value",
              f"write it as `{what}: <value>` on one line")
    return str(node.value).strip()


def _decision(path, node) -> Decision:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode) or not node.value:
        _fail(path, line, "a decision must be a mapping like `- set_aside: <id>` with a `reason:`",
              f"start each decision with one of: {', '.join(ORDER)}")
    keys = [_scalar(path, k, "a key") for k, _v in node.value]
    kind = keys[0]
    if kind not in KINDS:
        _fail(path, line, f"unknown decision kind {kind!r}", f"use one of: {', '.join(ORDER)}")
    what, optional, needs_reason = KINDS[kind]
    target = _scalar(path, node.value[0][1], kind)
    if not target:
        _fail(path, line, f"{kind} names nothing", f"write `{kind}: <{what}>`")
    values: dict[str, str] = {}
    for (knode, vnode), key in zip(node.value[1:], keys[1:]):
        if key != "reason" and key not in optional:
            allowed = ", ".join(optional + ("reason",))
            _fail(path, knode.start_mark.line + 1, f"{kind} has no field {key!r}", f"use: {allowed}")
        if key in values:
            _fail(path, knode.start_mark.line + 1, f"{key!r} given twice", "keep one")
        values[key] = _scalar(path, vnode, key)
    reason = values.pop("reason", "")
    if needs_reason and not reason:
        _fail(path, line, f"{kind} {target} has no reason", "add `reason: <why>` to the decision")
    if optional and not values:
        _fail(path, line, f"{kind} {target} changes nothing", f"give at least one of: {', '.join(optional)}")
    if kind == "merge_names" and "into" not in values:
        _fail(path, line, f"merge_names {target} does not say into which name", "add `into: <name>`")
    if kind == "note" and "text" not in values:
        _fail(path, line, f"note for {target} has no text", "add `text: <the note>`")
    if kind == "relabel":
        _check_relabel(path, line, target, values)
    fields = tuple((k, _typed_field(path, line, kind, k, v)) for k, v in sorted(values.items()))
    return Decision(kind, target, reason, fields, line)


# which labels an item of each id kind has, and the values each may take (None: any text)
RELABEL_FIELDS = {"clm": ("claim", ("label",)), "stm": ("statement", ("stance", "is_doubt")),
                  "fig": ("figure", ("measure", "subject"))}


def _allowed_values(key: str) -> frozenset | None:
    from newsbrief import schemas    # pandas: only for a relabel (make checks the file each run)

    if key == "label":
        return schemas.CLAIM_LABELS
    if key == "stance":
        return schemas.STANCES
    if key == "measure":
        return frozenset((knowledge.load("measures") or {}).get("measures") or {})
    return None


def _check_relabel(path, line: int, target: str, values: dict[str, str]) -> None:
    prefix = target.split("-", 1)[0]
    if prefix not in RELABEL_FIELDS:
        _fail(path, line, f"relabel {target}: only claim (clm-), statement (stm-) and figure (fig-) "
              "ids have labels", "use the id of a claim, statement or figure")
    name, allowed_fields = RELABEL_FIELDS[prefix]
    for key, value in values.items():
        if key not in allowed_fields:
            _fail(path, line, f"relabel {target}: a {name} has no {key!r}", f"use: {', '.join(allowed_fields)}")
        allowed = _allowed_values(key)
        if allowed is not None and value not in allowed:
            _fail(path, line, f"relabel {target}: {key} {value!r} is not known",
                  f"use one of: {', '.join(sorted(allowed))}")


def _typed_field(path, line: int, kind: str, key: str, value: str):
    if key == "is_doubt":
        low = value.lower()
        if low not in ("true", "false", "yes", "no"):
            _fail(path, line, f"{kind}: is_doubt must be true or false, not {value!r}", "write `is_doubt: true` or `false`")
        return low in ("true", "yes")
    if key == "published":
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            _fail(path, line, f"{kind}: published {value!r} is not a date", "write it as YYYY-MM-DD")
    return value


def parse(text: str, path: Path) -> DecisionFile:
    """The decisions in `text` (the content of `path`); raises DecisionError (one line)."""
    header = "".join(line + "\n" for line in _leading_comments(text))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        _fail(path, mark.line + 1 if mark else 0, f"not valid YAML ({exc.problem or exc.context})",
              "check the indentation and quote values that contain ': ' or start with a symbol")
    except yaml.YAMLError as exc:
        _fail(path, 0, f"not valid YAML ({exc})", "check the file's syntax")
    if root is None:
        return DecisionFile(path, [], header)
    if not isinstance(root, yaml.MappingNode) or [k.value for k, _ in root.value] != ["decisions"]:
        _fail(path, root.start_mark.line + 1, "the file must hold one key, `decisions:`, with a list",
              "start the file with `decisions:` and list each decision under it with `- `")
    items = root.value[0][1]
    if isinstance(items, yaml.ScalarNode) and items.tag.endswith(":null"):
        return DecisionFile(path, [], header)
    if not isinstance(items, yaml.SequenceNode):
        _fail(path, items.start_mark.line + 1, "`decisions:` must be a list", "put `- ` before each decision")
    return DecisionFile(path, [_decision(path, node) for node in items.value], header)


def _leading_comments(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        out.append(line)
    return out


def load(path: str | Path) -> DecisionFile:
    """The decision file at `path`; no file = no decisions."""
    path = Path(path)
    if not path.exists():
        return DecisionFile(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(path, 0, f"cannot be read ({type(exc).__name__})", "save it as UTF-8 text")
    return parse(text, path)


def _sort_key(d: Decision) -> tuple:
    return ORDER.index(d.kind), d.target, d.fields


def render(decision_file: DecisionFile) -> str:
    """The file's text: header comments, then the decisions in a stable order (kind, target)."""
    body = [d.to_yaml_dict() for d in sorted(decision_file.decisions, key=_sort_key)]
    text = yaml.safe_dump({"decisions": body}, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)
    return decision_file.header + text


def save(decision_file: DecisionFile) -> Path:
    """Write the file atomically; it is parsed back first, so what is written loads."""
    text = render(decision_file)
    parse(text, decision_file.path)
    return atomic.write_text(decision_file.path, text)


def snapshot(source: Path, target: Path, articles_dir: Path | None = None) -> bool:
    """Check `source` and copy it to `target` when the content differs; True if written.
    The decision file may not live inside the (read-only) articles folder."""
    if articles_dir is not None and source.resolve().is_relative_to(articles_dir.resolve()):
        raise DecisionError(f"{_named(source)}: the decision file is inside ARTICLES, which is never "
                            f"written to; keep it beside the project data, e.g. {_named(default_path('x').parent)}/")
    text = source.read_text(encoding="utf-8") if source.exists() else NO_DECISIONS
    if not (target.exists() and target.read_text(encoding="utf-8") == text):
        load(source)    # raises DecisionError: the build stops before any work (an unchanged
        #                 copy was checked when it was made: a no-op make stays cheap)
    atomic.write_if_changed(source_path_file(target), str(source.resolve()) + "\n")
    return atomic.write_if_changed(target, text)


def source_path_file(snapshot_path: Path) -> Path:
    """Beside the snapshot: which decision file it copies (where the notebook API writes)."""
    return snapshot_path.with_suffix(".source")

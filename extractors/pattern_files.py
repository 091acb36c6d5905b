"""Load and validate the JSONL pattern files in `extractors/patterns/`.

Three kinds of line, each with a unique `id` and a `label`:
- token patterns (`pattern`: a phrase or a spaCy token pattern list) go to `gs_phrase_rules` / `gs_token_rules`;
- regex patterns (`kind: "regex"`, `regex` with `{MACRO}` references to `macros.json`) go to `gs_regex`;
- lexicons (`kind: "lexicon"`, `words`) are word lists the assembly step consults.
Other keys are metadata read by the assembly step (facility `type`, `status`, place `level`, org `role`).

Regex patterns may say where they can match, so that they are not searched over the whole text:
`anchor_words` (all found in one Aho-Corasick pass; the pattern is tried with `match` at each hit, or searched
in `anchor_window` = [chars before, chars after] around it; `anchor_whole_words` for whole words only), an
`anchor` regex that finds a superset of the places a match can start (fast to scan: no look-behind first; the
pattern is tried with `match` there), or `after`/`before` another regex pattern's matches (the pattern reads
the context right after/before them). An `exclude` regex drops every match whose whole text it matches (units and
sentence-initial function words for the catch-all name pattern), so neither dependents nor the assembly see it;
`require_words` (a lexicon id) keeps only matches with at least one word (split at spaces and hyphens) from it.
A `prefilter` regex must match inside every match of the pattern (a cheap necessary condition, e.g. "a dash and a
number" for capacity ranges): a window (or, for a pattern without `anchor_window`, the whole text) in which it
finds nothing is not searched. It may be a list of regexes, one of which matches inside every match: `re` scans
fast (in C, as a string search) only for a regex that starts with a literal, so "-, – or 'to' before a digit" is
far cheaper as three such regexes than as one alternation or one that starts with a digit.
A windowed pattern of the form `(?:LEAD\\s+)?CORE` (an optional leading word, as "about" before a number) may give
its two parts, `lead` (LEAD with its look-behind) and `core` (CORE rewritten to start with a character class, fast
to scan): the ruler scans for `core` and tries the whole pattern at the leftmost `lead` before each core match.
No position inside a lead may start a core match; a test checks that each such pattern finds what its `regex`
finds.
Some macros make a part atomic (`CAPWORD_REST_ATOMIC`, `NAME_REST_ATOMIC`, `NAME_ATOMIC`: `(?>...)`) or its repeats
possessive (`NUM`, `NUM_REST`), so that a failing attempt does not try again with each shorter word or number:
use them only where what follows can never start with a character the part could give back (a test compares each
such pattern with its plain form).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import ConfigError
from models.records import FACILITY_TYPES, STATUSES

PATTERN_DIR = Path(__file__).resolve().parent / "patterns"

#: Labels a pattern may carry, by kind.
TOKEN_LABELS = frozenset({"ANAPHOR", "STATUS"})
REGEX_LABELS = frozenset({"CAPACITY", "PLACE", "ORG", "NAME", "FACILITY", "ANAPHOR"})
LEXICON_LABELS = frozenset({"ORG_HEAD", "ORG_GOV", "ORG_NEWS"})


@dataclass(frozen=True)
class PatternSet:
    """Every pattern line, split by kind, plus the macro table and a content hash."""

    token_patterns: list[dict[str, Any]]
    regex_patterns: list[tuple[str, str, re.Pattern[str], dict[str, Any]]]
    lexicons: dict[str, frozenset[str]]
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: str = ""


def _expand(regex: str, macros: dict[str, str], where: str) -> str:
    for _ in range(5):
        new = re.sub(r"\{([A-Z_]+)\}", lambda m: macros[m.group(1)] if m.group(1) in macros else m.group(0), regex)
        if new == regex:
            break
        regex = new
    leftover = re.findall(r"\{([A-Z_]+)\}", regex)
    if leftover:
        raise ConfigError(f"{where}: unknown macro(s) {sorted(set(leftover))}; define them in macros.json")
    return regex


def validate_line(obj: Any, where: str) -> None:
    """Raise ConfigError naming `where` when a pattern line is malformed."""
    if not isinstance(obj, dict):
        raise ConfigError(f"{where}: a pattern line must be a JSON object")
    pid, label = obj.get("id"), obj.get("label")
    if not isinstance(pid, str) or not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", pid):
        raise ConfigError(f"{where}: 'id' must be a dotted lowercase string like 'fac.solar.plant', got {pid!r}")
    kind = obj.get("kind", "tokens")
    if kind == "tokens":
        if label not in TOKEN_LABELS:
            raise ConfigError(f"{where}: unknown token label {label!r} (known: {sorted(TOKEN_LABELS)})")
        pattern = obj.get("pattern")
        is_phrase = isinstance(pattern, str) and pattern.strip() != ""
        is_tokens = isinstance(pattern, list) and bool(pattern) and all(isinstance(t, dict) for t in pattern)
        if not (is_phrase or is_tokens):
            raise ConfigError(f"{where}: 'pattern' must be a phrase string or a non-empty list of token dicts")
    elif kind == "regex":
        if label not in REGEX_LABELS:
            raise ConfigError(f"{where}: unknown regex label {label!r} (known: {sorted(REGEX_LABELS)})")
        if not isinstance(obj.get("regex"), str):
            raise ConfigError(f"{where}: 'regex' must be a string")
    elif kind == "lexicon":
        if label not in LEXICON_LABELS:
            raise ConfigError(f"{where}: unknown lexicon label {label!r} (known: {sorted(LEXICON_LABELS)})")
        words = obj.get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ConfigError(f"{where}: 'words' must be a list of non-empty strings")
    else:
        raise ConfigError(f"{where}: unknown kind {kind!r} (tokens, regex, lexicon)")
    if label == "FACILITY" and obj.get("type") not in FACILITY_TYPES:
        raise ConfigError(f"{where}: FACILITY pattern needs a 'type' in {FACILITY_TYPES}")
    if label == "STATUS" and obj.get("status") not in STATUSES:
        raise ConfigError(f"{where}: STATUS pattern needs a 'status' in {STATUSES}")


def _compile_prefilter(value: Any, macros: dict[str, str], where: str) -> tuple[re.Pattern[str], ...]:
    """A pattern's `prefilter` (a regex or a non-empty list of them), compiled: a tuple of one or more regexes."""
    alternatives = [value] if isinstance(value, str) else value
    if not isinstance(alternatives, list) or not alternatives or not all(isinstance(a, str) for a in alternatives):
        raise ConfigError(f"{where}: 'prefilter' must be a regex string or a non-empty list of them")
    try:
        return tuple(re.compile(_expand(a, macros, where)) for a in alternatives)
    except re.error as exc:
        raise ConfigError(f"{where}: prefilter regex does not compile ({exc})") from exc


def load_pattern_set(directory: Path = PATTERN_DIR) -> PatternSet:
    """Read, validate and compile every `*.jsonl` file under `directory`."""
    macros_path = directory / "macros.json"
    try:
        macros: dict[str, str] = json.loads(macros_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{macros_path}: cannot read regex macros ({exc})") from exc
    digest = hashlib.sha256(macros_path.read_bytes())
    tokens: list[dict[str, Any]] = []
    regexes: list[tuple[str, str, re.Pattern[str], dict[str, Any]]] = []
    lexicons: dict[str, frozenset[str]] = {}
    meta: dict[str, dict[str, Any]] = {}
    pending: list[tuple[str, str, str]] = []
    requiring: list[tuple[str, str, dict[str, Any]]] = []
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise ConfigError(f"{directory}: no *.jsonl pattern files")
    for path in files:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        for lineno, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{where}: invalid JSON ({exc.msg})") from exc
            validate_line(obj, where)
            pid = obj["id"]
            if pid in meta:
                raise ConfigError(f"{where}: duplicate pattern id {pid!r}")
            extra = {k: v for k, v in obj.items() if k not in {"id", "label", "pattern", "regex", "kind", "words"}}
            for dep in ("after", "before"):
                if dep in obj:
                    pending.append((where, dep, obj[dep]))
            meta[pid] = {"label": obj["label"], **extra}
            extra = dict(extra)
            kind = obj.get("kind", "tokens")
            if kind == "tokens":
                tokens.append({"label": obj["label"], "pattern": obj["pattern"], "id": pid})
            elif kind == "regex":
                try:
                    compiled = re.compile(_expand(obj["regex"], macros, where))
                except re.error as exc:
                    raise ConfigError(f"{where}: regex does not compile ({exc})") from exc
                if "prefilter" in obj:
                    extra["prefilter"] = _compile_prefilter(obj["prefilter"], macros, where)
                for key in ("anchor", "exclude", "core", "lead"):
                    if key in obj and not isinstance(obj[key], str):
                        raise ConfigError(f"{where}: {key!r} must be a regex string")
                    if isinstance(obj.get(key), str):
                        try:
                            extra[key] = re.compile(_expand(obj[key], macros, where))
                        except re.error as exc:
                            raise ConfigError(f"{where}: {key} regex does not compile ({exc})") from exc
                if "anchor_words" in obj:
                    words = obj["anchor_words"]
                    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
                        raise ConfigError(f"{where}: 'anchor_words' must be a non-empty list of strings")
                    window = obj.get("anchor_window")
                    if window is not None and not (isinstance(window, list) and len(window) == 2
                                                   and all(isinstance(x, int) and x >= 0 for x in window)):
                        raise ConfigError(f"{where}: 'anchor_window' must be [chars_before, chars_after]")
                    extra["anchor_words"] = tuple(words)
                    extra["anchor_window"] = tuple(window) if window else None
                if ("core" in obj) != ("lead" in obj):
                    raise ConfigError(f"{where}: 'core' and 'lead' go together (the pattern is (?:lead\\s+)?core)")
                if "core" in obj:
                    if obj.get("anchor_window") is None:
                        raise ConfigError(f"{where}: 'core'/'lead' only apply to a pattern with 'anchor_window'")
                    try:  # the ruler looks for a lead that ends, with the whitespace after it, at a core match
                        re.compile(f"(?:{extra['lead'].pattern})\\s+\\Z")
                    except re.error as exc:
                        raise ConfigError(f"{where}: lead regex cannot be followed by whitespace ({exc})") from exc
                if "require_words" in obj:
                    if not isinstance(obj["require_words"], str):
                        raise ConfigError(f"{where}: 'require_words' must be a lexicon id (a string)")
                    requiring.append((where, obj["require_words"], extra))
                dependent_of = obj.get("after") or obj.get("before")
                unused = sorted(k for k in ("anchor", "anchor_words", "core", "exclude", "lead", "prefilter",
                                            "require_words") if k in obj)
                if dependent_of and unused:
                    raise ConfigError(f"{where}: {', '.join(map(repr, unused))} cannot apply to a pattern read "
                                      f"after/before {dependent_of!r} (it matches where that pattern matched)")
                regexes.append((pid, obj["label"], compiled, extra))
            else:
                lexicons[pid] = frozenset(obj["words"])
    for where, dep, base in pending:
        if base not in {p[0] for p in regexes}:
            raise ConfigError(f"{where}: '{dep}' names {base!r}, which is not a regex pattern id")
    for where, lexicon_id, extra in requiring:
        if lexicon_id not in lexicons:
            raise ConfigError(f"{where}: 'require_words' names {lexicon_id!r}, which is not a lexicon id")
        extra["require_words"] = lexicons[lexicon_id]
    return PatternSet(tokens, regexes, lexicons, meta, digest.hexdigest()[:12])


@functools.lru_cache(maxsize=1)
def default_pattern_set() -> PatternSet:
    """The packaged pattern set (loaded once per process)."""
    return load_pattern_set()

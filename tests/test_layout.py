"""The house rules, checked on the source: no import circle, one ffmpeg boundary, one signal owner."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "podcast"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _resolve(module: str, node: ast.ImportFrom, modules: dict[str, Path], is_package: bool) -> list[str]:
    """The modules of ours that `from X import a, b` loads (a name may itself be a submodule)."""
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    found = []
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        if sub in modules:
            found.append(sub)
        elif target in modules:
            found.append(target)
    return found


def import_graph() -> dict[str, set[str]]:
    """Every import of ours in every module, at any depth: top level, in functions, under TYPE_CHECKING."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                graph[name].update(_resolve(name, node, modules, path.name == "__init__.py"))
            elif isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names if alias.name in modules)
        graph[name].discard(name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "podcast.text.html" in graph["podcast.text.article"]  # imported inside read/parse
    assert "podcast.types" in graph["podcast.text.script"]


def test_no_import_cycle_in_the_package():
    assert cycles(import_graph()) == []


def test_the_value_types_import_nothing_of_ours():
    assert import_graph()["podcast.types"] == set()


def test_the_stages_only_import_downstream():
    """Data flows text -> voice -> sound -> episode -> show -> publish; no stage imports a later one's package."""
    order = ["text", "voice", "sound", "episode", "show", "publish"]
    graph = import_graph()
    for module, targets in graph.items():
        parts = module.split(".")
        if len(parts) < 3 or parts[1] not in order:
            continue
        for target in targets:
            target_stage = target.split(".")[1] if target.count(".") >= 1 else ""
            if target_stage in order and target_stage != parts[1]:
                # voice decodes clips through sound's ffmpeg boundary: the one sideways use allowed
                allowed = parts[1] == "voice" and target.startswith("podcast.sound.clip")
                assert allowed or order.index(target_stage) < order.index(parts[1]), (module, target)


def test_only_the_entry_points_import_the_publish_stage():
    """Publishing to a host is the caller's choice: no other module pulls it (nor boto3, paramiko) in."""
    for module, targets in import_graph().items():
        if module.startswith("podcast.publish") or module in ("podcast", "podcast.cli"):
            continue
        assert not any(target.startswith("podcast.publish") for target in targets), module


def _calls(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                names.append(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Name):
                names.append(func.id)
    return names


def test_processes_are_started_in_the_ffmpeg_module_only():
    spawners = {
        "subprocess.run",
        "subprocess.Popen",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "os.system",
        "os.popen",
        "os.spawnv",
        "os.execv",
        "os.fork",
    }
    starters = {_module_name(path) for path in PACKAGE.rglob("*.py") if spawners & set(_calls(path))}
    assert starters == {"podcast.sound.ffmpeg"}


def test_pydub_never_runs_ffmpeg_nor_is_repointed():
    """pydub shapes PCM clips; it never decodes files (that spawns ffmpeg) and its globals are the host's."""
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text("utf-8")
        for forbidden in ("from_file(", ".export(", "AudioSegment.converter", "AudioSegment.ffmpeg"):
            assert forbidden not in text, (path, forbidden)


def test_signal_handlers_only_in_the_cli_and_no_exec():
    for path in PACKAGE.rglob("*.py"):
        calls = set(_calls(path))
        # __main__.py is the process's entry: it holds the stop signals while cli.py is loading.
        if path.name != "cli.py" and path != PACKAGE / "__main__.py":
            assert "signal.signal" not in calls, path
        assert not {"exec", "eval"} & calls, path
        assert "os._exit" not in calls, path


def test_benchmarks_import_against_todays_package():
    """A benchmark that no longer imports is a figure nobody can reproduce: load each (not run it)."""
    import runpy

    for script in sorted((PACKAGE.parent / "benchmarks").glob("*.py")):
        runpy.run_path(str(script), run_name="benchmark_import_check")


# --- the tests' own layout ----------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
REPO_CHECKS = {"test_layout.py", "test_docs.py"}
"""Top-level test files that check the repository (source layout, documentation), not one module."""
NOT_CODE = {"data", "__pycache__"}


def _test_tree() -> tuple[list[Path], list[Path]]:
    """(test modules, other Python files) under tests/, data folders aside."""
    tests, others = [], []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS)
        if NOT_CODE & set(relative.parts[:-1]):
            continue
        (tests if path.name.startswith("test_") else others).append(relative)
    return tests, others


def _mirrors(parts: tuple[str, ...]) -> bool:
    """tests/a/b/ mirrors podcast/a/b/ (a package), or podcast/a/b.py (a module whose tests fill a folder)."""
    return (PACKAGE.joinpath(*parts) / "__init__.py").is_file() or PACKAGE.joinpath(*parts).with_suffix(".py").is_file()


def _named_for_a_module(name: str, package: Path) -> bool:
    """test_<module>.py or test_<module>_<topic>.py, for a module or subpackage of `package`."""
    stem = name.removeprefix("test_").removesuffix(".py")
    words = stem.split("_")
    candidates = ["_".join(words[:n]) for n in range(1, len(words) + 1)]
    return any((package / f"{c}.py").is_file() or (package / c / "__init__.py").is_file() for c in candidates)


def layout_problems(tests: list[Path], others: list[Path]) -> list[str]:
    problems = []
    for path in tests:
        folder = path.parts[:-1]
        if any("round" in part.lower() for part in path.parts):
            problems.append(f"{path}: 'round' in a name (name a test for what it tests)")
        if not folder:
            if path.name not in REPO_CHECKS and not _named_for_a_module(path.name, PACKAGE):
                problems.append(f"{path}: at tests/ top level but named for no top-level module of podcast/")
        elif folder == ("robustness",):
            pass  # attacks across packages, named for what they attack (tests/robustness/README.md)
        elif not _mirrors(folder):
            problems.append(f"{path}: tests/{'/'.join(folder)}/ mirrors no package or module of podcast/")
        elif (PACKAGE.joinpath(*folder) / "__init__.py").is_file() and not _named_for_a_module(
            path.name, PACKAGE.joinpath(*folder)
        ):
            problems.append(f"{path}: named for no module of podcast/{'/'.join(folder)}/")
    for path in others:
        if path.name in ("conftest.py", "__init__.py"):
            continue
        if path.parts[0] != "support":
            problems.append(f"{path}: a helper module outside tests/support/")
    return problems


def test_the_layout_check_finds_each_kind_of_misplaced_file():
    found = layout_problems(
        [
            Path("test_cli.py"),
            Path("voice/test_gtts.py"),
            Path("text/french/test_numbers.py"),
            Path("robustness/test_cli_inputs.py"),
            Path("test_round2.py"),
            Path("robustness/test_hostile_round2.py"),
            Path("test_mix.py"),
            Path("upload/test_s3.py"),
            Path("voice/test_mix.py"),
        ],
        [Path("conftest.py"), Path("support/audio.py"), Path("voice/audio.py")],
    )
    assert [line.split(":")[0] for line in found] == [
        "test_round2.py",
        "test_round2.py",
        "robustness/test_hostile_round2.py",
        "test_mix.py",
        "upload/test_s3.py",
        "voice/test_mix.py",
        "voice/audio.py",
    ]


def test_tests_mirror_the_package_and_helpers_live_in_support():
    """tests/voice/test_gtts.py tests podcast/voice/gtts.py; no 'round' in a name; helpers in tests/support/."""
    tests, others = _test_tree()
    assert layout_problems(tests, others) == []
    folders = sorted({path.parent for path in [*tests, *others]})
    assert [f for f in folders if not (TESTS / f / "__init__.py").is_file()] == []  # imported as tests.X

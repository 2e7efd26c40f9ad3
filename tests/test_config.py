from __future__ import annotations

from pathlib import Path

import pytest

from leaktrail.config import (
    CONFIG_NAME,
    Config,
    ConfigError,
    find_config,
    load_config,
    normalize_go_version,
    parse_selectors,
)
from leaktrail.model import Severity

KNOWN = [f"GL{n:03d}" for n in range(1, 24)]


def write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, KNOWN)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(CONFIG_NAME)  # relative to cwd, like finding paths
    return message


@pytest.fixture(autouse=True)
def _cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


# -- discovery -------------------------------------------------------------------------------------


def test_find_config_walks_up(tmp_path: Path) -> None:
    top = write(tmp_path, "")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == top
    nearer = write(tmp_path / "a", "")
    assert find_config(deep) == nearer
    assert find_config(tmp_path / "a") == nearer
    assert find_config(tmp_path) == top


def test_find_config_from_a_file_starts_at_its_directory(tmp_path: Path) -> None:
    cfg = write(tmp_path / "pkg", "")
    source = tmp_path / "pkg" / "main.go"
    source.write_text("package main\n")
    assert find_config(source) == cfg


def test_find_config_relative_start(tmp_path: Path) -> None:
    cfg = write(tmp_path, "")
    (tmp_path / "x").mkdir()
    assert find_config(Path("x")) == cfg


def test_find_config_none_up_to_filesystem_root(tmp_path: Path) -> None:
    # Nothing in tmp_path or above (unless the machine has one in a parent, which would be odd).
    parents_have_one = any((p / CONFIG_NAME).is_file() for p in tmp_path.parents)
    if parents_have_one:
        pytest.skip("a parent of the temp dir has a .leaktrail.toml")
    assert find_config(tmp_path) is None


def test_a_directory_named_like_the_config_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / "sub" / CONFIG_NAME).mkdir(parents=True)
    top = write(tmp_path, "")
    assert find_config(tmp_path / "sub") == top


# -- loading ---------------------------------------------------------------------------------------


def test_none_gives_defaults() -> None:
    config = load_config(None, KNOWN)
    assert config == Config()
    assert all(config.rule_enabled(code) for code in KNOWN)
    assert config.severity_for("GL001", Severity.ERROR) is Severity.ERROR


def test_full_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
select = ["gl00", "GL02"]
ignore = ["GL011"]
exclude = ["gen/**", "**/*_mock.go"]
go-version = "go1.21.6"
tests = true

[severity]
GL012 = "warning"
gl013 = "Info"
""",
    )
    config = load_config(path, KNOWN)
    assert config.path == path.absolute()
    assert config.select == ("GL00", "GL02")
    assert config.ignore == ("GL011",)
    assert config.exclude == ("gen/**", "**/*_mock.go")
    assert config.go_version == "1.21"
    assert config.tests is True
    assert dict(config.severity) == {"GL012": Severity.WARNING, "GL013": Severity.INFO}


def test_leaktrail_table_and_go_version_alias(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[leaktrail]
ignore = ["GL02"]
go_version = "1.22"

[leaktrail.severity]
GL001 = "warning"
""",
    )
    config = load_config(path, KNOWN)
    assert config.ignore == ("GL02",)
    assert config.go_version == "1.22"
    assert config.severity_for("GL001", Severity.ERROR) is Severity.WARNING


def test_empty_file_is_defaults_with_path(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n")
    config = load_config(path, KNOWN)
    assert config.path == path.absolute()
    assert config.select is None and config.exclude == ()


def test_config_is_hashable_and_comparable(tmp_path: Path) -> None:
    text = 'ignore = ["GL001"]\n[severity]\nGL002 = "info"\n'
    a = load_config(write(tmp_path / "a", text), KNOWN)
    b = load_config(write(tmp_path / "a", text), KNOWN)
    assert a == b and hash(a) == hash(b)
    assert a != a.merged(severity={"GL002": "error"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('select = ["GL001"]\nignore = ["GL999"]\n', ".leaktrail.toml:2: unknown rule 'GL999' in ignore"),
        ('select = [\n  "GL001",\n  "GL9",\n]\n', ".leaktrail.toml:3: unknown rule 'GL9' in select"),
        ('select = ["XYZ"]\n', ".leaktrail.toml:1: unknown rule 'XYZ' in select"),
        ('select = "GL001"\n', ".leaktrail.toml:1: 'select' must be an array of strings, not a string"),
        (
            "ignore = [1]\n",
            ".leaktrail.toml:1: 'ignore' must be an array of strings, not an array with non-strings",
        ),
        ('exlude = ["x"]\n', ".leaktrail.toml:1: unknown key 'exlude' (did you mean 'exclude'?)"),
        ("tests = 1\n", ".leaktrail.toml:1: 'tests' must be true or false, not an integer"),
        (
            "\ngo-version = 1.20\n",
            ".leaktrail.toml:2: 'go-version' must be a string like \"1.22\", not a float",
        ),
        ('go-version = "1.x"\n', ".leaktrail.toml:1: bad Go version '1.x' (expected e.g. \"1.22\")"),
        (
            'severity = "error"\n',
            ".leaktrail.toml:1: 'severity' must be a table like {GL012 = \"warning\"}, not a string",
        ),
        (
            '[severity]\nGL012 = "fatal"\n',
            '.leaktrail.toml:2: bad severity \'fatal\' for GL012 (expected "error", "warning" or "info")',
        ),
        (
            "[severity]\nGL012 = 3\n",
            '.leaktrail.toml:2: bad severity an integer for GL012 (expected "error", "warning" or "info")',
        ),
        ('[severity]\nGL999 = "info"\n', ".leaktrail.toml:2: unknown rule 'GL999' in severity"),
        (
            'exclude = ["!keep.go"]\n',
            ".leaktrail.toml:1: bad exclude pattern '!keep.go': negated patterns are not supported",
        ),
        ("leaktrail = 3\n", ".leaktrail.toml:1: 'leaktrail' must be a table, not an integer"),
        (
            'tests = true\n[leaktrail]\nselect = ["GL"]\n',
            ".leaktrail.toml:1: 'tests' is outside the [leaktrail] table; put every setting in one place",
        ),
        (
            'go-version = "1.21"\ngo_version = "1.22"\n',
            ".leaktrail.toml:2: 'go_version' given twice (as go-version and go_version)",
        ),
    ],
)
def test_errors_name_file_line_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    assert load_error(tmp_path, text) == expected


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    message = load_error(tmp_path, 'select = ["GL001"]\nignore = \n')
    assert message.startswith(".leaktrail.toml:2:")
    assert "invalid TOML" in message
    assert "(at line" not in message  # position moved to the front, not repeated


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^nope\.toml: cannot read config file: No such file"):
        load_config(Path("nope.toml"), KNOWN)
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(ConfigError, match=r"^dir\.toml: cannot read config file: "):
        load_config(tmp_path / "dir.toml", KNOWN)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ConfigError) as info:
        load_config(path, KNOWN)
    assert str(info.value) == ".leaktrail.toml: cannot read config file: Permission denied"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_bytes(b'select = ["\xff"]\n')
    with pytest.raises(ConfigError, match=r"^\.leaktrail\.toml: config file is not valid UTF-8$"):
        load_config(path, KNOWN)


def test_path_outside_cwd_is_shown_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "proj", "bogus = 1\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ConfigError) as info:
        load_config(path, KNOWN)
    assert str(info.value) == f"{path}:1: unknown key 'bogus'"


# -- go version ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("1.22", "1.22"), ("1.22.3", "1.22"), ("go1.22", "1.22"), ("1.23rc1", "1.23"), (" 1.9 ", "1.9")],
)
def test_normalize_go_version(raw: str, normal: str) -> None:
    assert normalize_go_version(raw) == normal


@pytest.mark.parametrize("raw", ["1", "go", "1.x", "v1.22", "1.22.3.4", ""])
def test_normalize_go_version_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="bad Go version"):
        normalize_go_version(raw)


# -- select / ignore -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("select", "ignore", "enabled"),
    [
        (None, (), KNOWN),
        (("ALL",), ("GL01",), [c for c in KNOWN if not c.startswith("GL01")]),
        (("GL002",), ("GL",), ["GL002"]),  # a more specific select beats a broad ignore
        (("GL00",), ("GL002",), [f"GL00{n}" for n in range(1, 10) if n != 2]),  # more specific ignore wins
        (("GL001",), ("GL001",), []),  # tie: ignore wins
        (("GL",), ("ALL",), KNOWN),  # "GL" is more specific than ALL
        (("GL01", "GL001"), ("GL0",), ["GL001", *[f"GL01{n}" for n in range(10)]]),
        ((), (), []),  # an explicit empty select runs nothing
    ],
)
def test_rule_enabled_precedence(
    select: tuple[str, ...] | None, ignore: tuple[str, ...], enabled: list[str]
) -> None:
    config = Config(select=select, ignore=ignore)
    assert [c for c in KNOWN if config.rule_enabled(c)] == enabled


def test_severity_for_most_specific_wins() -> None:
    config = Config().merged(severity={"ALL": "info", "GL01": "warning", "GL012": "error"})
    assert config.severity_for("GL001", Severity.ERROR) is Severity.INFO
    assert config.severity_for("GL013", Severity.ERROR) is Severity.WARNING
    assert config.severity_for("GL012", Severity.INFO) is Severity.ERROR
    assert Config().severity_for("GL012", Severity.INFO) is Severity.INFO


def test_parse_selectors_for_flags() -> None:
    assert parse_selectors(["gl001", " GL01", "all"], KNOWN) == ("GL001", "GL01", "ALL")
    with pytest.raises(ConfigError, match=r"^unknown rule 'GL9'$"):
        parse_selectors(["GL9"], KNOWN)


# -- merged ----------------------------------------------------------------------------------------


def test_merged_cli_overrides_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'select = ["GL0"]\nignore = ["GL001"]\ntests = false\ngo-version = "1.21"\n'
        '[severity]\nGL012 = "warning"\nGL013 = "warning"\n',
    )
    config = load_config(path, KNOWN).merged(
        select=None,
        ignore=["gl002"],
        tests=True,
        go_version="go1.23.1",
        severity={"GL013": "info"},
        exclude=None,
    )
    assert config.select == ("GL0",)  # None: flag not given
    assert config.ignore == ("GL002",)
    assert config.tests is True
    assert config.go_version == "1.23"
    assert dict(config.severity) == {"GL012": Severity.WARNING, "GL013": Severity.INFO}
    assert config.path == path.absolute()


def test_merged_rejects_bad_values() -> None:
    with pytest.raises(ConfigError, match="bad Go version"):
        Config().merged(go_version="latest")
    with pytest.raises(TypeError):
        Config().merged(colour=True)


# -- exclude ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "excluded", "kept"),
    [
        ("gen/**", ["gen/a.go", "gen/x/y/b.go"], ["a/gen/c.go", "generated.go", "gen.go"]),
        ("**/*_mock.go", ["a_mock.go", "x/y/a_mock.go"], ["a_mock.go.txt", "mock.go", "x/amock.go"]),
        ("legacy/", ["legacy/a.go", "x/legacy/b.go"], ["legacy.go", "x/legacyx/b.go"]),
        ("/tools", ["tools/a.go"], ["x/tools/a.go"]),
        ("vendor", ["vendor/a.go", "x/vendor/b.go", "vendor"], ["vendors/a.go"]),
        ("*.pb.go", ["a.pb.go", "x/y/a.pb.go"], ["a.pb.gox", "apb.go"]),
        ("internal/*/gen.go", ["internal/a/gen.go"], ["internal/a/b/gen.go", "x/internal/a/gen.go"]),
        ("a/**/z.go", ["a/z.go", "a/b/z.go", "a/b/c/z.go"], ["b/a/z.go"]),
        ("file?.go", ["file1.go"], ["file10.go", "file/.go"]),
        ("[ab]_test.go", ["a_test.go", "x/b_test.go"], ["c_test.go"]),
        ("[!ab]_test.go", ["c_test.go"], ["a_test.go"]),
        ("./gen/", ["gen/a.go"], ["x/gen/a.go"]),
    ],
)
def test_exclude_globs(tmp_path: Path, pattern: str, excluded: list[str], kept: list[str]) -> None:
    config = Config(path=tmp_path / CONFIG_NAME, exclude=(pattern,))
    for rel in excluded:
        assert config.is_excluded(tmp_path / rel), f"{pattern!r} should exclude {rel}"
    for rel in kept:
        assert not config.is_excluded(tmp_path / rel), f"{pattern!r} should keep {rel}"


def test_exclude_is_relative_to_the_config_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "proj", 'exclude = ["gen/**", "/root.go"]\n')
    config = load_config(path, KNOWN)
    monkeypatch.chdir(tmp_path / "proj" / "..")
    assert config.is_excluded(tmp_path / "proj" / "gen" / "a.go")
    assert config.is_excluded(tmp_path / "proj" / "root.go")
    assert not config.is_excluded(tmp_path / "gen" / "a.go")  # outside the config dir
    assert not config.is_excluded(tmp_path / "proj")
    assert not config.is_excluded(tmp_path / "proj" / "sub" / "root.go")


def test_dir_only_pattern_matches_directories_not_files(tmp_path: Path) -> None:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "odd").write_text("")
    config = Config(path=tmp_path / CONFIG_NAME, exclude=("legacy/", "odd/"))
    assert config.is_excluded(tmp_path / "legacy")  # the directory itself (prune while walking)
    assert not config.is_excluded(tmp_path / "odd")  # a file named like a dir-only pattern


def test_exclude_with_relative_input_and_dotdot(tmp_path: Path) -> None:
    config = Config(path=tmp_path / CONFIG_NAME, exclude=("gen/**",))
    assert config.is_excluded(Path("gen/a.go"))  # cwd is tmp_path
    assert config.is_excluded(tmp_path / "x" / ".." / "gen" / "a.go")


def test_no_config_file_means_patterns_relative_to_cwd(tmp_path: Path) -> None:
    config = Config().merged(exclude=["gen/"])
    assert config.is_excluded(tmp_path / "gen" / "a.go")

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.paths import (
    SLUG_MAX,
    Home,
    is_session_file_name,
    is_valid_slug,
    normalize_name,
    resolve_home,
    session_file_name,
    session_sort_key,
    slugify,
)


@pytest.mark.parametrize(
    "name, slug",
    [
        ("José Álvarez", "jose-alvarez"),
        ("李雷", "李雷"),
        ("Anne-Marie O'Neill", "anne-marie-o-neill"),
        ("../x", "x"),
        ("a/b", "a-b"),
        ("a\\b", "a-b"),
        ("..", "client"),
        (".", "client"),
        ("", "client"),
        ("   ", "client"),
        ("CON", "con-client"),
        ("nul", "nul-client"),
        ("Com1", "com1-client"),
        ("lpt9", "lpt9-client"),
        ("trailing dot.", "trailing-dot"),
        ("Ünïcödé", "unicode"),
        ("ＦＵＬＬ　ｗｉｄｔｈ", "full-width"),
        ("snake_case_name", "snake-case-name"),
        ("emoji 😀 name", "emoji-name"),
    ],
)
def test_slugify_examples(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_valid_slug(slug)


def test_long_names_are_bounded() -> None:
    slug = slugify("x" * 300)
    assert len(slug) == SLUG_MAX
    assert slugify("ab " * 100).endswith("b")


def test_nfc_nfd_and_case_spellings_share_a_slug() -> None:
    nfc = unicodedata.normalize("NFC", "Zoë Brontë")
    nfd = unicodedata.normalize("NFD", "Zoë Brontë")
    assert nfc != nfd
    assert slugify(nfc) == slugify(nfd) == slugify("ZOË BRONTË") == "zoe-bronte"
    assert normalize_name(nfc) == normalize_name(nfd.upper())


@settings(max_examples=500)
@given(st.text())
def test_any_name_gives_a_safe_slug_inside_the_home(name: str) -> None:
    slug = slugify(name)
    assert is_valid_slug(slug), slug
    assert "/" not in slug and "\\" not in slug and "." not in slug and ":" not in slug
    home = Home(Path("/data/home"))
    folder = home.client_dir(slug)
    assert folder.parent == home.clients_dir
    assert len(slug.encode("utf-8")) < 255


@pytest.mark.parametrize("bad", ["..", "../x", "a/b", "", ".hidden", "CON", "nul", "x" * 200, "A", "-x"])
def test_client_dir_refuses_anything_but_a_slug(bad: str) -> None:
    with pytest.raises(ValueError):
        Home(Path("/data/home")).client_dir(bad)


def test_home_resolution_order(tmp_path: Path) -> None:
    env = {"SESSIONPAL_HOME": str(tmp_path / "from-env")}
    assert resolve_home(tmp_path / "flag", env) == tmp_path / "flag"
    assert resolve_home(None, env) == tmp_path / "from-env"
    default = resolve_home(None, {})
    assert default.is_absolute() and "sessionpal" in str(default).lower()


def test_home_expands_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_home("~/coaching", {}) == tmp_path / "coaching"


def test_session_file_names_sort_by_time_then_suffix() -> None:
    names = [session_file_name("2026-11-23T1000", n) for n in (1, 2, 10)] + ["2026-11-22T0900.md"]
    assert [n for n in names if is_session_file_name(n)] == names
    assert sorted(names, key=session_sort_key) == [
        "2026-11-22T0900.md",
        "2026-11-23T1000.md",
        "2026-11-23T1000-2.md",
        "2026-11-23T1000-10.md",
    ]
    for stray in ["2026-11-23T1000.sync-conflict-20261123-101010-ABC.md", "2026-11-23T1000 (conflicted copy).md", "notes.md", "2026-11-23T1000.md~"]:
        assert not is_session_file_name(stray)


def test_each_home_has_its_own_cache(tmp_path: Path) -> None:
    assert Home(tmp_path / "a").cache_dir != Home(tmp_path / "b").cache_dir
